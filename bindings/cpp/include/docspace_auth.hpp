/// @file docspace_auth.hpp
/// @brief C++17 binding of docspace-auth: ONLYOFFICE DocSpace sign-in and two-factor
/// authentication.
///
/// A thin, header-only layer over the C ABI in `docspace_auth.h`: it owns each C handle in a
/// move-only RAII class, turns C strings into `std::string`, and turns every failure into a
/// docspace::Error exception. All flow logic lives in the library.
///
/// @par Errors
/// Every function that can fail throws docspace::Error (network, portal and argument errors
/// alike), except where it says `noexcept`. Allocation failures throw `std::bad_alloc`.
///
/// @par Thread safety
/// - A docspace::Client may be shared between threads: its `const` member functions may run
///   concurrently (the calls block on the network and run in parallel over a connection
///   pool). Moving, assigning or destroying it needs exclusive access.
/// - Session, Challenge, AppSetup, Policy and Totp are immutable once created: reading one
///   from several threads at once is safe; moving or destroying it is not.
/// - No global initialisation or cleanup is needed.
///
/// @par Moved-from objects
/// A moved-from handle object is empty: `static_cast<bool>(object)` is false, destroying
/// or assigning to it is safe, and any other use throws docspace::Error with
/// ErrorKind::NullParameter.
///
/// @par Secrets
/// Tokens, TOTP secrets, codes and otpauth URIs come back as `std::string`s owned by the
/// caller; the library wipes its own copies, and the binding wipes the temporary buffers it
/// drops. Use docspace::wipe() on your copies when you are done with them.

#ifndef DOCSPACE_AUTH_HPP
#define DOCSPACE_AUTH_HPP

#if !defined(__cplusplus) || (__cplusplus < 201703L && (!defined(_MSVC_LANG) || _MSVC_LANG < 201703L))
#error "docspace_auth.hpp needs C++17 or later"
#endif

#include "docspace_auth.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

/// Everything of the C++ binding.
namespace docspace {

/// The clock of TOTP times (Unix time). Its time points reach about the year 2262.
using Clock = std::chrono::system_clock;

/// The library version, e.g. `"0.1.0"`. Compare it with `DOCSPACE_VERSION_STRING` (the header
/// this program was compiled against) to detect a mismatched shared library.
[[nodiscard]] inline std::string_view version() noexcept { return docspace_version(); }

/// Overwrites the characters of @p secret with zeros, then empties it. Use it on tokens,
/// codes and secrets once you no longer need them. It cannot reach copies the string left
/// behind when it grew, so reserve the capacity of strings you fill piece by piece.
inline void wipe(std::string& secret) noexcept {
    volatile char* bytes = secret.data();
    for (std::size_t i = 0; i < secret.size(); ++i) {
        bytes[i] = '\0';
    }
    secret.clear();
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

/// What went wrong, as a stable category. The values are the C `docspace_result` codes.
enum class ErrorKind : std::uint32_t {
    /// A caller-supplied argument is unusable (empty, too long, a NUL character, out of
    /// range, a bad base URL, an unusable TOTP secret…).
    InvalidArgument = DOCSPACE_RESULT_INVALID_ARGUMENT,
    /// The connection could not be made or broke (DNS, refused, reset, proxy).
    Network = DOCSPACE_RESULT_NETWORK,
    /// The connect or total timeout elapsed.
    Timeout = DOCSPACE_RESULT_TIMEOUT,
    /// The TLS handshake failed (untrusted or invalid certificate, protocol error).
    Tls = DOCSPACE_RESULT_TLS,
    /// The portal rejected the user name or password.
    InvalidCredentials = DOCSPACE_RESULT_INVALID_CREDENTIALS,
    /// The portal rejected the TOTP, backup or SMS code (wrong, expired or already used).
    InvalidCode = DOCSPACE_RESULT_INVALID_CODE,
    /// Too many failed attempts: the portal blocks this login (or 2FA codes) for a while.
    LockedOut = DOCSPACE_RESULT_LOCKED_OUT,
    /// The portal's rate limiter answered 429; see Error::retry_after().
    RateLimited = DOCSPACE_RESULT_RATE_LIMITED,
    /// 2FA by app is not available for this request (policy off, app already linked for
    /// setup, no app linked for backup codes).
    TfaNotAvailable = DOCSPACE_RESULT_TFA_NOT_AVAILABLE,
    /// The confirm context of a challenge is missing, expired or refused.
    ConfirmContext = DOCSPACE_RESULT_CONFIRM_CONTEXT,
    /// The portal refused the operation for this account ("Access denied", user disabled).
    AccessDenied = DOCSPACE_RESULT_ACCESS_DENIED,
    /// The session is not (or no longer) valid: signed out, revoked or expired.
    SessionInvalid = DOCSPACE_RESULT_SESSION_INVALID,
    /// The portal failed (HTTP 5xx), often with an HTML error page.
    ServerError = DOCSPACE_RESULT_SERVER_ERROR,
    /// The answer did not have the expected shape (not JSON, missing field, too large,
    /// redirect to another origin).
    UnexpectedResponse = DOCSPACE_RESULT_UNEXPECTED_RESPONSE,
    /// A handle was empty: the object was moved from (C: a NULL pointer argument).
    NullParameter = DOCSPACE_RESULT_NULL_PARAMETER,
    /// An output buffer was too small (a binding bug if it ever happens).
    BufferTooSmall = DOCSPACE_RESULT_BUFFER_TOO_SMALL,
    /// The library hit an internal error (a bug); the call had no effect you can rely on.
    Panic = DOCSPACE_RESULT_PANIC,
};

/// The stable snake_case name of @p kind, shared by every language binding
/// (`"invalid_code"`, `"rate_limited"`…), or `"unknown"` for a value this header does not
/// know (a newer library).
[[nodiscard]] constexpr std::string_view to_string(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::InvalidArgument: return "invalid_argument";
        case ErrorKind::Network: return "network";
        case ErrorKind::Timeout: return "timeout";
        case ErrorKind::Tls: return "tls";
        case ErrorKind::InvalidCredentials: return "invalid_credentials";
        case ErrorKind::InvalidCode: return "invalid_code";
        case ErrorKind::LockedOut: return "locked_out";
        case ErrorKind::RateLimited: return "rate_limited";
        case ErrorKind::TfaNotAvailable: return "tfa_not_available";
        case ErrorKind::ConfirmContext: return "confirm_context";
        case ErrorKind::AccessDenied: return "access_denied";
        case ErrorKind::SessionInvalid: return "session_invalid";
        case ErrorKind::ServerError: return "server_error";
        case ErrorKind::UnexpectedResponse: return "unexpected_response";
        case ErrorKind::NullParameter: return "null_parameter";
        case ErrorKind::BufferTooSmall: return "buffer_too_small";
        case ErrorKind::Panic: return "panic";
    }
    return "unknown";
}

class Error;

namespace detail {
[[noreturn]] inline void throw_error(docspace_result result, docspace_error* error);
[[noreturn]] inline void throw_error(docspace_result result, const std::string& message);
}  // namespace detail

/// The exception every failing call throws. `what()` says what happened and what to do
/// next, in plain words; it never contains a secret.
class Error : public std::runtime_error {
public:
    /// The category to branch on.
    [[nodiscard]] ErrorKind kind() const noexcept { return static_cast<ErrorKind>(result_); }

    /// The C result code (`DOCSPACE_RESULT_…`) of the failure.
    [[nodiscard]] docspace_result result() const noexcept { return result_; }

    /// The HTTP status of the portal's answer, when there was one.
    [[nodiscard]] std::optional<int> status() const noexcept { return status_; }

    /// The portal's own error message, when its answer carried one.
    [[nodiscard]] std::optional<std::string> server_message() const {
        return server_message_ ? std::optional<std::string>(*server_message_) : std::nullopt;
    }

    /// How long the portal asked the caller to wait (`Retry-After`), when it said.
    [[nodiscard]] std::optional<std::chrono::seconds> retry_after() const noexcept { return retry_after_; }

    /// Whether repeating the same call later, unchanged, may succeed (Network, Timeout,
    /// RateLimited: after retry_after(), ServerError, LockedOut). Advice only: the library
    /// never retries, and a code must not be resent blindly.
    [[nodiscard]] bool is_retryable() const noexcept {
        return docspace_result_is_retryable(static_cast<std::uint32_t>(result_));
    }

private:
    Error(docspace_result result, const std::string& message, std::optional<int> status,
          const char* server_message, std::optional<std::chrono::seconds> retry_after)
        : std::runtime_error(message),
          result_(result),
          status_(status),
          server_message_(server_message ? std::make_shared<const std::string>(server_message) : nullptr),
          retry_after_(retry_after) {}

    friend void detail::throw_error(docspace_result, docspace_error*);
    friend void detail::throw_error(docspace_result, const std::string&);

    docspace_result result_;
    std::optional<int> status_;
    // Shared, so that copying an Error (as exception handling may) cannot throw.
    std::shared_ptr<const std::string> server_message_;
    std::optional<std::chrono::seconds> retry_after_;
};

// ---------------------------------------------------------------------------------------
// Plumbing (not part of the API)
// ---------------------------------------------------------------------------------------

/// Implementation details of the binding; not part of the API.
namespace detail {

/// Calls the C `_free` function of a handle type.
template <typename T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* handle) const noexcept { Free(handle); }
};

/// An owned C handle.
template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

/// An owned library-allocated string (freed, and wiped, by `docspace_string_free`).
using OwnedString = Owned<char, docspace_string_free>;

/// Overwrites @p size bytes at @p data with zeros in a way the compiler keeps.
inline void wipe_bytes(void* data, std::size_t size) noexcept {
    volatile unsigned char* bytes = static_cast<unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) {
        bytes[i] = 0;
    }
}

/// Throws the Error of a failed call, built from the call's result and its `docspace_error`
/// (taken over and freed here; NULL when the call has no `error_out`). The one place where
/// C error details become an Error.
[[noreturn]] inline void throw_error(docspace_result result, docspace_error* error) {
    const Owned<docspace_error, docspace_error_free> owned(error);
    if (!owned) {
        throw_error(result, docspace_result_str(static_cast<std::uint32_t>(result)));
    }
    const char* message = docspace_error_message(owned.get());
    const std::uint16_t status = docspace_error_status(owned.get());
    const char* server_message = docspace_error_server_message(owned.get());
    const std::int64_t retry_after = docspace_error_retry_after(owned.get());
    throw Error(result, message ? message : docspace_result_str(static_cast<std::uint32_t>(result)),
                status != 0 ? std::optional<int>(status) : std::nullopt,
                server_message, retry_after >= 0 ? std::optional<std::chrono::seconds>(retry_after) : std::nullopt);
}

/// Throws an Error the binding itself detected (an argument C cannot represent).
[[noreturn]] inline void throw_error(docspace_result result, const std::string& message) {
    throw Error(result, message, std::nullopt, nullptr, std::nullopt);
}

/// Throws unless @p result is `DOCSPACE_RESULT_OK` (for calls without `error_out`).
inline void check(docspace_result result) {
    if (result != DOCSPACE_RESULT_OK) {
        throw_error(result, static_cast<docspace_error*>(nullptr));
    }
}

/// Calls a C function that ends with `docspace_error **error_out` and throws its error.
template <typename Function, typename... Args>
void call(Function function, Args... args) {
    docspace_error* error = nullptr;
    const docspace_result result = function(args..., &error);
    if (result != DOCSPACE_RESULT_OK) {
        throw_error(result, error);
    }
}

/// Throws ErrorKind::NullParameter for the accessors whose C function has no result code.
inline void require(const void* handle, const char* type) {
    if (handle == nullptr) {
        throw_error(DOCSPACE_RESULT_NULL_PARAMETER, std::string("this docspace::") + type + " is empty (moved from)");
    }
}

/// @p text as a C string; throws ErrorKind::InvalidArgument if it holds a NUL character,
/// which C would silently cut the string at.
inline const char* c_str(const std::string& text) {
    if (text.find('\0') != std::string::npos) {
        throw_error(DOCSPACE_RESULT_INVALID_ARGUMENT, "a string argument contains a NUL character");
    }
    return text.c_str();
}

/// @p text as a C string, or NULL when absent.
inline const char* c_str_or_null(const std::optional<std::string>& text) { return text ? c_str(*text) : nullptr; }

/// Takes over a library-allocated string; NULL becomes no value. Built in place, so no
/// stray copy of a secret is left behind.
inline std::optional<std::string> take_optional(char* raw) {
    const OwnedString owned(raw);
    std::optional<std::string> value;
    if (owned) {
        value.emplace(owned.get());
    }
    return value;
}

/// Takes over a library-allocated string that is always present (NULL reads as empty).
inline std::string take(char* raw) {
    const OwnedString owned(raw);
    return owned ? std::string(owned.get()) : std::string();
}

/// Reads an optional string property of a handle through its C getter (`char **out`).
template <typename Handle>
std::optional<std::string> optional_string(docspace_result (*getter)(const Handle*, char**), const Handle* handle) {
    char* raw = nullptr;
    check(getter(handle, &raw));
    return take_optional(raw);
}

/// Reads a string property that is always present.
template <typename Handle>
std::string required_string(docspace_result (*getter)(const Handle*, char**), const Handle* handle) {
    char* raw = nullptr;
    check(getter(handle, &raw));
    return take(raw);
}

/// Seconds since the Unix epoch of @p at, or of now.
inline std::int64_t unix_seconds(std::optional<Clock::time_point> at) {
    return std::chrono::floor<std::chrono::seconds>(at.value_or(Clock::now())).time_since_epoch().count();
}

/// A non-negative count that fits @p Target, or ErrorKind::InvalidArgument naming @p what.
template <typename Target, typename Count>
Target checked_count(Count count, const char* what) {
    if (count < 0 || static_cast<std::uintmax_t>(count) > std::numeric_limits<Target>::max()) {
        throw_error(DOCSPACE_RESULT_INVALID_ARGUMENT, std::string(what) + " is out of range");
    }
    return static_cast<Target>(count);
}

/// The stack buffer a TOTP code is written into; wiped when dropped.
class CodeBuffer {
public:
    CodeBuffer() = default;
    CodeBuffer(const CodeBuffer&) = delete;
    CodeBuffer& operator=(const CodeBuffer&) = delete;
    ~CodeBuffer() { wipe_bytes(data_, sizeof data_); }

    char* data() noexcept { return data_; }
    static constexpr std::size_t size() noexcept { return sizeof data_; }
    std::string str() const { return std::string(data_); }

private:
    char data_[DOCSPACE_TOTP_CODE_BUFFER_SIZE] = {};
};

/// An array of C strings viewing @p items (valid while @p items lives).
inline std::vector<const char*> c_str_array(const std::vector<std::string>& items) {
    std::vector<const char*> array;
    array.reserve(items.size());
    for (const std::string& item : items) {
        array.push_back(c_str(item));
    }
    return array;
}

}  // namespace detail

// ---------------------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------------------

/// Which confirm link the portal issued with a challenge.
enum class ConfirmType : std::uint32_t {
    /// `TfaActivation`: no app linked yet (Client::setup_app(), then Client::validate_app()).
    TfaActivation = DOCSPACE_CONFIRM_TYPE_TFA_ACTIVATION,
    /// `TfaAuth`: an app is linked; a code finishes the sign-in.
    TfaAuth = DOCSPACE_CONFIRM_TYPE_TFA_AUTH,
};

/// A portal 2FA method.
enum class TfaMethod : std::uint32_t {
    /// 2FA off.
    None = DOCSPACE_TFA_METHOD_NONE,
    /// Codes by text message.
    Sms = DOCSPACE_TFA_METHOD_SMS,
    /// Codes from an authenticator app (TOTP).
    App = DOCSPACE_TFA_METHOD_APP,
};

/// The HMAC hash of a TOTP generator.
enum class TotpAlgorithm : std::uint32_t {
    /// HMAC-SHA1: DocSpace's algorithm and the otpauth default.
    Sha1 = DOCSPACE_TOTP_ALGORITHM_SHA1,
    /// HMAC-SHA256 (RFC 6238).
    Sha256 = DOCSPACE_TOTP_ALGORITHM_SHA256,
    /// HMAC-SHA512 (RFC 6238).
    Sha512 = DOCSPACE_TOTP_ALGORITHM_SHA512,
};

// ---------------------------------------------------------------------------------------
// Values returned by the flows
// ---------------------------------------------------------------------------------------

class Client;

/// A signed-in session: the portal's login token, or a personal API key.
class Session {
public:
    /// A session from a login token obtained earlier (for example stored between runs).
    /// @throws Error ErrorKind::InvalidArgument for an empty or malformed token.
    [[nodiscard]] static Session from_token(const std::string& token) {
        docspace_session* raw = nullptr;
        detail::call(docspace_session_new, detail::c_str(token), &raw);
        return Session(raw);
    }

    /// A session from a personal API key (`sk-…`). API keys cannot set up or validate an
    /// app, and cannot be revoked by Client::logout().
    /// @throws Error ErrorKind::InvalidArgument for an empty or malformed key.
    [[nodiscard]] static Session from_api_key(const std::string& key) {
        docspace_session* raw = nullptr;
        detail::call(docspace_session_new_api_key, detail::c_str(key), &raw);
        return Session(raw);
    }

    /// Not copyable: each C handle has exactly one owner.
    Session(const Session&) = delete;
    /// Not copyable: each C handle has exactly one owner.
    Session& operator=(const Session&) = delete;
    /// Takes over @p other's handle; @p other becomes empty.
    Session(Session&& other) noexcept = default;
    /// Frees this handle and takes over @p other's; @p other becomes empty.
    Session& operator=(Session&& other) noexcept = default;
    /// Frees the C handle (nothing if empty).
    ~Session() = default;

    /// Whether this object holds a session (false once moved from).
    explicit operator bool() const noexcept { return static_cast<bool>(handle_); }

    /// The token or key. It is a secret: never log it, and wipe() your copy when done.
    [[nodiscard]] std::string token() const {
        return detail::required_string(docspace_session_token, handle_.get());
    }

    /// The expiry the portal reported (ISO-8601), when it did.
    [[nodiscard]] std::optional<std::string> expires() const {
        return detail::optional_string(docspace_session_expires, handle_.get());
    }

    /// The user's id, when the flow that produced the session learnt it.
    [[nodiscard]] std::optional<std::string> user_id() const {
        return detail::optional_string(docspace_session_user_id, handle_.get());
    }

    /// Whether this is a personal API key (from_api_key()) rather than a login token.
    [[nodiscard]] bool is_api_key() const {
        detail::require(handle_.get(), "Session");
        return docspace_session_is_api_key(handle_.get());
    }

private:
    explicit Session(docspace_session* handle) noexcept : handle_(handle) {}
    friend class Client;

    detail::Owned<docspace_session, docspace_session_free> handle_;
};

/// A pending app-2FA sign-in: the confirm context the portal issued instead of a token and,
/// when no app is linked yet, the TOTP secret.
class Challenge {
public:
    /// Not copyable: each C handle has exactly one owner.
    Challenge(const Challenge&) = delete;
    /// Not copyable: each C handle has exactly one owner.
    Challenge& operator=(const Challenge&) = delete;
    /// Takes over @p other's handle; @p other becomes empty.
    Challenge(Challenge&& other) noexcept = default;
    /// Frees this handle and takes over @p other's; @p other becomes empty.
    Challenge& operator=(Challenge&& other) noexcept = default;
    /// Frees the C handle (nothing if empty).
    ~Challenge() = default;

    /// Whether this object holds a challenge (false once moved from).
    explicit operator bool() const noexcept { return static_cast<bool>(handle_); }

    /// ConfirmType::TfaActivation (link an app) or ConfirmType::TfaAuth (enter a code).
    [[nodiscard]] ConfirmType confirm_type() const {
        detail::require(handle_.get(), "Challenge");
        return static_cast<ConfirmType>(docspace_challenge_confirm_type(handle_.get()));
    }

    /// The user's id (the confirm URL's `uid`).
    [[nodiscard]] std::string user_id() const {
        return detail::required_string(docspace_challenge_user_id, handle_.get());
    }

    /// The user name the sign-in was made with (empty for Client::confirm_context()).
    [[nodiscard]] std::string user_name() const {
        return detail::required_string(docspace_challenge_user_name, handle_.get());
    }

    /// The confirm URL the portal sent (a browser would open it). Contains no key.
    [[nodiscard]] std::string confirm_url() const {
        return detail::required_string(docspace_challenge_confirm_url, handle_.get());
    }

    /// The TOTP secret (base32) when no app is linked yet. A secret: never log it.
    [[nodiscard]] std::optional<std::string> secret() const {
        return detail::optional_string(docspace_challenge_secret, handle_.get());
    }

    /// An `otpauth://totp/…` URI for secret() (issuer = portal host, account = user name).
    /// Contains the secret.
    [[nodiscard]] std::optional<std::string> otpauth_uri() const {
        return detail::optional_string(docspace_challenge_otpauth_uri, handle_.get());
    }

private:
    explicit Challenge(docspace_challenge* handle) noexcept : handle_(handle) {}
    friend class Client;

    detail::Owned<docspace_challenge, docspace_challenge_free> handle_;
};

/// The setup payload for linking an authenticator app (Client::setup_app()).
class AppSetup {
public:
    /// Not copyable: each C handle has exactly one owner.
    AppSetup(const AppSetup&) = delete;
    /// Not copyable: each C handle has exactly one owner.
    AppSetup& operator=(const AppSetup&) = delete;
    /// Takes over @p other's handle; @p other becomes empty.
    AppSetup(AppSetup&& other) noexcept = default;
    /// Frees this handle and takes over @p other's; @p other becomes empty.
    AppSetup& operator=(AppSetup&& other) noexcept = default;
    /// Frees the C handle (nothing if empty).
    ~AppSetup() = default;

    /// Whether this object holds a setup payload (false once moved from).
    explicit operator bool() const noexcept { return static_cast<bool>(handle_); }

    /// The account label (the user's e-mail).
    [[nodiscard]] std::string account() const { return detail::required_string(docspace_setup_account, handle_.get()); }

    /// The base32 secret to type into an authenticator app. A secret: never log it.
    [[nodiscard]] std::string manual_entry_key() const {
        return detail::required_string(docspace_setup_manual_entry_key, handle_.get());
    }

    /// `otpauth://totp/…` for the same secret. Contains the secret.
    [[nodiscard]] std::string otpauth_uri() const {
        return detail::required_string(docspace_setup_otpauth_uri, handle_.get());
    }

    /// The QR code to scan, as PNG bytes. It encodes the secret.
    [[nodiscard]] std::vector<std::uint8_t> qr_png() const {
        const std::uint8_t* data = nullptr;
        std::size_t size = 0;
        detail::check(docspace_setup_qr_png(handle_.get(), &data, &size));
        return std::vector<std::uint8_t>(data, data + size);
    }

private:
    explicit AppSetup(docspace_setup* handle) noexcept : handle_(handle) {}
    friend class Client;

    detail::Owned<docspace_setup, docspace_setup_free> handle_;
};

/// One backup code: a single-use replacement for a TOTP code.
struct BackupCode {
    /// The code (6 characters, case-sensitive). A secret: never log it.
    std::string code;
    /// Whether it was already spent.
    bool used = false;
};

/// The portal's 2FA policy (Client::tfa_policy()).
class Policy {
public:
    /// Not copyable: each C handle has exactly one owner.
    Policy(const Policy&) = delete;
    /// Not copyable: each C handle has exactly one owner.
    Policy& operator=(const Policy&) = delete;
    /// Takes over @p other's handle; @p other becomes empty.
    Policy(Policy&& other) noexcept = default;
    /// Frees this handle and takes over @p other's; @p other becomes empty.
    Policy& operator=(Policy&& other) noexcept = default;
    /// Frees the C handle (nothing if empty).
    ~Policy() = default;

    /// Whether this object holds a policy (false once moved from).
    explicit operator bool() const noexcept { return static_cast<bool>(handle_); }

    /// The method that is switched on, or TfaMethod::None.
    [[nodiscard]] TfaMethod enabled_method() const {
        detail::require(handle_.get(), "Policy");
        return static_cast<TfaMethod>(docspace_policy_enabled_method(handle_.get()));
    }

    /// Whether @p method can be used on this portal.
    [[nodiscard]] bool available(TfaMethod method) const {
        bool result = false;
        detail::check(docspace_policy_available(handle_.get(), static_cast<std::uint32_t>(method), &result));
        return result;
    }

    /// Whether the policy is switched on for @p method (at most one method is; see
    /// enabled_method()). False for a method the portal does not list.
    [[nodiscard]] bool enabled(TfaMethod method) const {
        bool result = false;
        detail::check(docspace_policy_enabled(handle_.get(), static_cast<std::uint32_t>(method), &result));
        return result;
    }

    /// The portal's localised title of @p method (`"By authenticator app"`), or no value when
    /// the portal does not list the method.
    [[nodiscard]] std::optional<std::string> title(TfaMethod method) const {
        char* raw = nullptr;
        detail::check(docspace_policy_title(handle_.get(), static_cast<std::uint32_t>(method), &raw));
        return detail::take_optional(raw);
    }

    /// Addresses or ranges from which @p method is skipped (unless the user is mandatory).
    [[nodiscard]] std::vector<std::string> trusted_ips(TfaMethod method) const {
        return list(method, DOCSPACE_POLICY_LIST_TRUSTED_IPS);
    }

    /// User ids for whom @p method is always required.
    [[nodiscard]] std::vector<std::string> mandatory_users(TfaMethod method) const {
        return list(method, DOCSPACE_POLICY_LIST_MANDATORY_USERS);
    }

    /// Group ids for whom @p method is always required.
    [[nodiscard]] std::vector<std::string> mandatory_groups(TfaMethod method) const {
        return list(method, DOCSPACE_POLICY_LIST_MANDATORY_GROUPS);
    }

private:
    explicit Policy(docspace_policy* handle) noexcept : handle_(handle) {}
    friend class Client;

    std::vector<std::string> list(TfaMethod method, docspace_policy_list which) const {
        detail::require(handle_.get(), "Policy");
        const auto method_value = static_cast<std::uint32_t>(method);
        const auto list_value = static_cast<std::uint32_t>(which);
        const std::size_t size = docspace_policy_list_len(handle_.get(), method_value, list_value);
        std::vector<std::string> items;
        items.reserve(size);
        for (std::size_t i = 0; i < size; ++i) {
            char* raw = nullptr;
            detail::check(docspace_policy_list_get(handle_.get(), method_value, list_value, i, &raw));
            items.push_back(detail::take(raw));
        }
        return items;
    }

    detail::Owned<docspace_policy, docspace_policy_free> handle_;
};

/// A change to the portal's 2FA policy (Client::set_tfa_policy()).
struct PolicyUpdate {
    /// The method to switch on, or TfaMethod::None to switch 2FA off.
    TfaMethod method = TfaMethod::None;
    /// Trusted addresses: single IPs, `from-to` ranges or CIDR.
    std::vector<std::string> trusted_ips;
    /// User ids for whom 2FA is always required.
    std::vector<std::string> mandatory_users;
    /// Group ids for whom 2FA is always required.
    std::vector<std::string> mandatory_groups;
};

/// Login outcome: signed in, no second factor applies.
struct Authenticated {
    /// The new session.
    Session session;
};

/// Login outcome: an app is linked; finish with Client::login_with_code() (TOTP or backup
/// code) or Client::validate_app().
struct CodeRequired {
    /// The confirm context (ConfirmType::TfaAuth).
    Challenge challenge;
};

/// Login outcome: 2FA applies but no app is linked. Enrol Challenge::secret(), then finish
/// with Client::login_with_code() or Client::setup_app() + Client::validate_app().
struct SetupRequired {
    /// The confirm context (ConfirmType::TfaActivation) with the TOTP secret.
    Challenge challenge;
};

/// Login outcome: SMS 2FA applies; finish with Client::login_with_code() and the texted code.
struct SmsRequired {
    /// The masked phone number (`+1***1234`); absent when a phone must be registered first.
    std::optional<std::string> phone_noise;
    /// When the sent code expires (ISO-8601), when the portal said.
    std::optional<std::string> expires;
    /// The confirm link the portal issued (`PhoneAuth`, or `PhoneActivation` when a phone must
    /// be registered first in a browser), when it sent one.
    std::optional<std::string> confirm_url;
};

/// What Client::login() led to. Handle every case with `std::visit`, or test with
/// `std::holds_alternative` / `std::get_if`.
using LoginOutcome = std::variant<Authenticated, CodeRequired, SetupRequired, SmsRequired>;

/// The answer of Client::validate_app().
struct AppValidation {
    /// True when this call linked the app (backup codes now exist); false when the app was
    /// already linked and the code signed the user in.
    bool linked_now = false;
    /// The new session.
    Session session;
};

/// The answer of Client::reset_app().
struct AppReset {
    /// For a self-reset: the fresh session the portal set (the old token is dead).
    std::optional<Session> session;
    /// For a self-reset: an activation challenge to link a new app right away.
    std::optional<Challenge> challenge;
};

// ---------------------------------------------------------------------------------------
// TOTP (no network)
// ---------------------------------------------------------------------------------------

struct OtpauthUri;

/// A TOTP generator (RFC 6238): secret, algorithm, digits and period. Computes and checks
/// codes locally; DocSpace uses the defaults (SHA-1, 6 digits, 30 s).
class Totp {
public:
    /// A generator for @p secret_base32 (any case; spaces and padding are ignored).
    /// @throws Error ErrorKind::InvalidArgument for an unusable secret, @p digits other than
    ///         6–8, or a @p period outside 1–3600 s.
    explicit Totp(const std::string& secret_base32, TotpAlgorithm algorithm = TotpAlgorithm::Sha1,
                  unsigned digits = 6, std::chrono::seconds period = std::chrono::seconds(30)) {
        docspace_totp* raw = nullptr;
        detail::call(docspace_totp_new, detail::c_str(secret_base32), static_cast<std::uint32_t>(algorithm), digits,
                     detail::checked_count<std::uint32_t>(period.count(), "the TOTP period"), &raw);
        handle_.reset(raw);
    }

    /// Reads an `otpauth://totp/…` URI (from a QR code), tolerating what real issuers write.
    /// @throws Error ErrorKind::InvalidArgument when it is not a usable TOTP URI.
    [[nodiscard]] static OtpauthUri from_uri(const std::string& uri);

    /// Not copyable: each C handle has exactly one owner.
    Totp(const Totp&) = delete;
    /// Not copyable: each C handle has exactly one owner.
    Totp& operator=(const Totp&) = delete;
    /// Takes over @p other's handle; @p other becomes empty.
    Totp(Totp&& other) noexcept = default;
    /// Frees this handle and takes over @p other's; @p other becomes empty.
    Totp& operator=(Totp&& other) noexcept = default;
    /// Frees the C handle (nothing if empty).
    ~Totp() = default;

    /// Whether this object holds a generator (false once moved from).
    explicit operator bool() const noexcept { return static_cast<bool>(handle_); }

    /// The code at @p at (default: now).
    [[nodiscard]] std::string code(std::optional<Clock::time_point> at = std::nullopt) const {
        detail::CodeBuffer buffer;
        detail::call(docspace_totp_generate, handle_.get(), detail::unix_seconds(at), buffer.data(), buffer.size());
        return buffer.str();
    }

    /// Checks @p code at @p at (default: now), allowing @p window steps of clock drift each
    /// way. @return the matching step's offset (0 = current, -1 = previous…), or no value.
    [[nodiscard]] std::optional<int> check(const std::string& code,
                                           std::optional<Clock::time_point> at = std::nullopt,
                                           unsigned window = 1) const {
        bool matched = false;
        std::int32_t offset = 0;
        detail::call(docspace_totp_check, handle_.get(), detail::c_str(code), detail::unix_seconds(at), window,
                     &matched, &offset);
        return matched ? std::optional<int>(offset) : std::nullopt;
    }

    /// How long the code of @p at (default: now) stays current: 1 s up to the period.
    [[nodiscard]] std::chrono::seconds seconds_remaining(std::optional<Clock::time_point> at = std::nullopt) const {
        std::uint32_t seconds = 0;
        detail::call(docspace_totp_seconds_remaining, handle_.get(), detail::unix_seconds(at), &seconds);
        return std::chrono::seconds(seconds);
    }

    /// The HMAC hash.
    [[nodiscard]] TotpAlgorithm algorithm() const {
        detail::require(handle_.get(), "Totp");
        return static_cast<TotpAlgorithm>(docspace_totp_get_algorithm(handle_.get()));
    }

    /// The code length: 6, 7 or 8.
    [[nodiscard]] unsigned digits() const {
        detail::require(handle_.get(), "Totp");
        return docspace_totp_digits(handle_.get());
    }

    /// The step: 1 s to 3600 s (DocSpace: 30 s).
    [[nodiscard]] std::chrono::seconds period() const {
        detail::require(handle_.get(), "Totp");
        return std::chrono::seconds(docspace_totp_period(handle_.get()));
    }

    /// An `otpauth://totp/…` URI for this generator. Contains the secret.
    [[nodiscard]] std::string to_uri(const std::string& account,
                                     const std::optional<std::string>& issuer = std::nullopt) const {
        char* raw = nullptr;
        detail::call(docspace_totp_to_uri, handle_.get(), detail::c_str_or_null(issuer), detail::c_str(account), &raw);
        return detail::take(raw);
    }

private:
    explicit Totp(docspace_totp* handle) noexcept : handle_(handle) {}

    detail::Owned<docspace_totp, docspace_totp_free> handle_;
};

/// A parsed `otpauth://totp/…` URI (Totp::from_uri()).
struct OtpauthUri {
    /// The generator.
    Totp totp;
    /// Who issued the key (DocSpace: the portal's domain), if known.
    std::optional<std::string> issuer;
    /// The account name (DocSpace: the user's e-mail); may be empty.
    std::string account;
};

inline OtpauthUri Totp::from_uri(const std::string& uri) {
    docspace_totp* raw = nullptr;
    char* issuer = nullptr;
    char* account = nullptr;
    detail::call(docspace_totp_from_uri, detail::c_str(uri), &raw, &issuer, &account);
    Totp totp(raw);
    std::optional<std::string> issuer_value = detail::take_optional(issuer);
    std::string account_value = detail::take(account);
    return OtpauthUri{std::move(totp), std::move(issuer_value), std::move(account_value)};
}

/// The DocSpace TOTP code (SHA-1, 6 digits, 30 s) of @p secret_base32 at @p at (default: now).
/// @throws Error ErrorKind::InvalidArgument for an unusable secret.
[[nodiscard]] inline std::string totp(const std::string& secret_base32,
                                      std::optional<Clock::time_point> at = std::nullopt) {
    detail::CodeBuffer buffer;
    detail::call(docspace_totp_code_at, detail::c_str(secret_base32), detail::unix_seconds(at), buffer.data(),
                 buffer.size());
    return buffer.str();
}

/// Checks a DocSpace TOTP @p code against @p secret_base32 at @p at (default: now), allowing
/// @p window steps of clock drift each way.
/// @return the matching step's offset (0 = current, -1 = previous…), or no value.
/// @throws Error ErrorKind::InvalidArgument for an unusable secret.
[[nodiscard]] inline std::optional<int> verify_totp(const std::string& secret_base32, const std::string& code,
                                                    std::optional<Clock::time_point> at = std::nullopt,
                                                    unsigned window = 1) {
    bool matched = false;
    std::int32_t offset = 0;
    detail::call(docspace_totp_verify_at, detail::c_str(secret_base32), detail::c_str(code), detail::unix_seconds(at),
                 window, &matched, &offset);
    return matched ? std::optional<int>(offset) : std::nullopt;
}

/// How long the code of @p at (default: now) stays current for any TOTP generator with a
/// step of @p period (DocSpace: 30 s): 1 s up to the period. Needs no secret; for a
/// generator at hand, Totp::seconds_remaining() is the same count.
/// @throws Error ErrorKind::InvalidArgument for a @p period outside 1–3600 s, or a time
///         before 1970.
[[nodiscard]] inline std::chrono::seconds totp_seconds_remaining(
    std::optional<Clock::time_point> at = std::nullopt, std::chrono::seconds period = std::chrono::seconds(30)) {
    std::uint32_t seconds = 0;
    detail::call(docspace_totp_seconds_remaining_at, detail::unix_seconds(at),
                 detail::checked_count<std::uint32_t>(period.count(), "the TOTP period"), &seconds);
    return std::chrono::seconds(seconds);
}

// ---------------------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------------------

/// Transport options of a Client. Unset values keep the library's defaults.
struct ClientOptions {
    /// Total time one request may take, connect included; positive (library default: 30 s).
    std::optional<std::chrono::milliseconds> timeout;
    /// Time to establish a connection, TLS included; positive (library default: 10 s).
    std::optional<std::chrono::milliseconds> connect_timeout;
    /// A PEM file of extra CA certificates to trust (self-hosted portals with their own CA),
    /// read when the Client is created.
    std::optional<std::string> ca_file;
    /// PEM text of extra CA certificates to trust.
    std::optional<std::string> ca_pem;
    /// Allow plain `http://` to hosts other than loopback (passwords would cross the
    /// network unencrypted).
    bool allow_insecure_http = false;
    /// A product token (`myapp/1.2`) put before the library's own `User-Agent`.
    std::optional<std::string> user_agent;
    /// The largest answer body accepted, in bytes (library default: 1 MiB).
    std::optional<std::size_t> max_response_bytes;
    /// Ignore the `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`/`NO_PROXY` environment variables.
    bool no_proxy = false;
};

/// A DocSpace portal client: every sign-in and 2FA flow. Calls block until the portal
/// answers (or a timeout elapses).
///
/// Thread safety: one Client may be shared by any number of threads; its `const` member
/// functions may run concurrently.
class Client {
public:
    /// The options type, `docspace::Client::Options`.
    using Options = ClientOptions;

    /// A client of the portal at @p base_url (`https://portal.example.com`).
    /// @throws Error ErrorKind::InvalidArgument for an unusable URL (not http(s), user info,
    ///         query or fragment, plain http to a non-loopback host without
    ///         Options::allow_insecure_http), an unreadable or invalid CA, a timeout that is
    ///         not positive, or a user agent that is not printable ASCII.
    explicit Client(const std::string& base_url, const Options& options = Options()) {
        docspace_options* raw_options = nullptr;
        detail::check(docspace_options_new(&raw_options));
        const detail::Owned<docspace_options, docspace_options_free> settings(raw_options);
        if (options.timeout) {
            detail::check(docspace_options_set_timeout_ms(
                settings.get(), detail::checked_count<std::uint64_t>(options.timeout->count(), "the timeout")));
        }
        if (options.connect_timeout) {
            detail::check(docspace_options_set_connect_timeout_ms(
                settings.get(),
                detail::checked_count<std::uint64_t>(options.connect_timeout->count(), "the connect timeout")));
        }
        if (options.ca_file) {
            detail::check(docspace_options_set_ca_file(settings.get(), detail::c_str(*options.ca_file)));
        }
        if (options.ca_pem) {
            detail::check(docspace_options_set_ca_pem(settings.get(), detail::c_str(*options.ca_pem)));
        }
        detail::check(docspace_options_set_allow_insecure_http(settings.get(), options.allow_insecure_http));
        if (options.user_agent) {
            detail::check(docspace_options_set_user_agent(settings.get(), detail::c_str(*options.user_agent)));
        }
        if (options.max_response_bytes) {
            detail::check(docspace_options_set_max_response_bytes(settings.get(), *options.max_response_bytes));
        }
        detail::check(docspace_options_set_no_proxy(settings.get(), options.no_proxy));
        docspace_client* raw = nullptr;
        detail::call(docspace_client_new_with_options, detail::c_str(base_url), settings.get(), &raw);
        handle_.reset(raw);
    }

    /// Not copyable: each C handle has exactly one owner.
    Client(const Client&) = delete;
    /// Not copyable: each C handle has exactly one owner.
    Client& operator=(const Client&) = delete;
    /// Takes over @p other's handle; @p other becomes empty.
    Client(Client&& other) noexcept = default;
    /// Frees this handle and takes over @p other's; @p other becomes empty.
    Client& operator=(Client&& other) noexcept = default;
    /// Frees the C handle (nothing if empty).
    ~Client() = default;

    /// Whether this object holds a client (false once moved from).
    explicit operator bool() const noexcept { return static_cast<bool>(handle_); }

    /// The portal's base URL, normalised (always ends with `/`).
    [[nodiscard]] std::string base_url() const {
        detail::require(handle_.get(), "Client");
        return docspace_client_base_url(handle_.get());
    }

    /// Signs in with a password. No token is issued while 2FA is pending: the outcome is a
    /// session or the second factor the portal wants.
    /// @throws Error InvalidCredentials, LockedOut, AccessDenied (user disabled),
    ///         RateLimited, InvalidArgument, or a transport kind.
    [[nodiscard]] LoginOutcome login(const std::string& user_name, const std::string& password) const {
        docspace_login* raw = nullptr;
        detail::call(docspace_client_login, handle_.get(), detail::c_str(user_name), detail::c_str(password), &raw);
        const detail::Owned<docspace_login, docspace_login_free> login(raw);
        switch (docspace_login_get_kind(login.get())) {
            case DOCSPACE_LOGIN_KIND_AUTHENTICATED: {
                docspace_session* session = nullptr;
                detail::check(docspace_login_session(login.get(), &session));
                return Authenticated{Session(session)};
            }
            case DOCSPACE_LOGIN_KIND_CODE_REQUIRED:
                return CodeRequired{login_challenge(login.get())};
            case DOCSPACE_LOGIN_KIND_SETUP_REQUIRED:
                return SetupRequired{login_challenge(login.get())};
            case DOCSPACE_LOGIN_KIND_SMS_REQUIRED:
                return SmsRequired{detail::optional_string(docspace_login_sms_phone_noise, login.get()),
                                   detail::optional_string(docspace_login_sms_expires, login.get()),
                                   detail::optional_string(docspace_login_sms_confirm_url, login.get())};
            default:
                detail::throw_error(DOCSPACE_RESULT_UNEXPECTED_RESPONSE,
                                    "the library reported a login outcome this binding does not know");
        }
    }

    /// Finishes a 2FA sign-in with a TOTP code, an unused backup code or an SMS code. The
    /// first accepted code of an account without a linked app links the app. Never retried:
    /// a backup code is consumed on success.
    /// @throws Error InvalidCode (wrong, expired or spent code), LockedOut, AccessDenied,
    ///         RateLimited, InvalidArgument, or a transport kind.
    [[nodiscard]] Session login_with_code(const std::string& user_name, const std::string& password,
                                          const std::string& code) const {
        docspace_session* raw = nullptr;
        detail::call(docspace_client_login_with_code, handle_.get(), detail::c_str(user_name), detail::c_str(password),
                     detail::c_str(code), &raw);
        return Session(raw);
    }

    /// The authenticator-app setup payload (secret, otpauth URI, QR code) for an activation
    /// challenge (ConfirmType::TfaActivation).
    /// @throws Error ConfirmContext (key missing or expired), TfaNotAvailable (already linked,
    ///         or the policy is off), InvalidArgument (not an activation challenge),
    ///         UnexpectedResponse, or a transport kind.
    [[nodiscard]] AppSetup setup_app(const Challenge& challenge) const {
        docspace_setup* raw = nullptr;
        detail::call(docspace_client_setup_app, handle_.get(), challenge.handle_.get(), &raw);
        return AppSetup(raw);
    }

    /// Checks @p code with the challenge's confirm context: links the app of an activation
    /// challenge, or signs in with an already linked one. Never retried.
    /// @throws Error InvalidCode, LockedOut, ConfirmContext, UnexpectedResponse (no session),
    ///         RateLimited, InvalidArgument, or a transport kind.
    [[nodiscard]] AppValidation validate_app(const Challenge& challenge, const std::string& code) const {
        bool linked_now = false;
        docspace_session* raw = nullptr;
        detail::call(docspace_client_validate_app, handle_.get(), challenge.handle_.get(), detail::c_str(code),
                     &linked_now, &raw);
        return AppValidation{linked_now, Session(raw)};
    }

    /// The user's backup codes, spent ones included.
    /// @throws Error TfaNotAvailable (no app linked, or app 2FA off), SessionInvalid,
    ///         AccessDenied, RateLimited, or a transport kind.
    [[nodiscard]] std::vector<BackupCode> backup_codes(const Session& session) const {
        docspace_codes* raw = nullptr;
        detail::call(docspace_client_backup_codes, handle_.get(), session.handle_.get(), &raw);
        return codes(raw);
    }

    /// Replaces the backup codes with a new set. **The old codes stop working at once**:
    /// show or store the returned codes before anything else. Never retried.
    /// @throws Error as backup_codes().
    [[nodiscard]] std::vector<BackupCode> regenerate_backup_codes(const Session& session) const {
        docspace_codes* raw = nullptr;
        detail::call(docspace_client_regenerate_backup_codes, handle_.get(), session.handle_.get(), &raw);
        return codes(raw);
    }

    /// Signs out and revokes the login token.
    /// @throws Error InvalidArgument (an API-key session: keys are revoked in the portal's
    ///         settings), RateLimited, or a transport kind.
    void logout(const Session& session) const {
        detail::call(docspace_client_logout, handle_.get(), session.handle_.get());
    }

    /// Whether the portal accepts @p session. An invalid, revoked or expired token gives
    /// false, not an exception.
    /// @throws Error RateLimited or a transport kind.
    [[nodiscard]] bool is_authenticated(const Session& session) const {
        bool authenticated = false;
        detail::call(docspace_client_is_authenticated, handle_.get(), session.handle_.get(), &authenticated);
        return authenticated;
    }

    /// The portal's 2FA policy; any signed-in user may read it.
    /// @throws Error SessionInvalid, AccessDenied, RateLimited, or a transport kind.
    [[nodiscard]] Policy tfa_policy(const Session& session) const {
        docspace_policy* raw = nullptr;
        detail::call(docspace_client_tfa_policy, handle_.get(), session.handle_.get(), &raw);
        return Policy(raw);
    }

    /// Sets the portal's 2FA policy (portal owner or admin). **Switching a method on signs
    /// every user of the portal out, the caller included.**
    /// @return true when a method was switched on, false when 2FA was switched off.
    /// @throws Error InvalidArgument (malformed entry), AccessDenied (not an admin),
    ///         SessionInvalid, or a transport kind.
    bool set_tfa_policy(const Session& session, const PolicyUpdate& update) const {
        const std::vector<const char*> trusted_ips = detail::c_str_array(update.trusted_ips);
        const std::vector<const char*> mandatory_users = detail::c_str_array(update.mandatory_users);
        const std::vector<const char*> mandatory_groups = detail::c_str_array(update.mandatory_groups);
        bool enabled = false;
        detail::call(docspace_client_set_tfa_policy, handle_.get(), session.handle_.get(),
                     static_cast<std::uint32_t>(update.method), trusted_ips.data(), trusted_ips.size(),
                     mandatory_users.data(), mandatory_users.size(), mandatory_groups.data(), mandatory_groups.size(),
                     &enabled);
        return enabled;
    }

    /// A fresh confirm context for the signed-in user: an activation challenge (link an app
    /// with setup_app() + validate_app()) or an auth challenge; no value when app 2FA does
    /// not apply to the user.
    /// @throws Error SessionInvalid, AccessDenied, RateLimited, or a transport kind.
    [[nodiscard]] std::optional<Challenge> confirm_context(const Session& session) const {
        docspace_challenge* raw = nullptr;
        detail::call(docspace_client_confirm_context, handle_.get(), session.handle_.get(), &raw);
        if (raw == nullptr) {
            return std::nullopt;
        }
        return Challenge(raw);
    }

    /// Unlinks the authenticator app of @p user_id. Resetting yourself signs all your
    /// sessions out and returns a fresh session and an activation challenge; resetting
    /// another user needs the portal owner and returns neither.
    /// @throws Error TfaNotAvailable (no app linked), AccessDenied, SessionInvalid,
    ///         InvalidArgument (malformed id), or a transport kind.
    [[nodiscard]] AppReset reset_app(const Session& session, const std::string& user_id) const {
        docspace_session* raw_session = nullptr;
        docspace_challenge* raw_challenge = nullptr;
        detail::call(docspace_client_reset_app, handle_.get(), session.handle_.get(), detail::c_str(user_id),
                     &raw_session, &raw_challenge);
        Session new_session(raw_session);
        Challenge challenge(raw_challenge);
        AppReset reset;
        if (new_session) {
            reset.session = std::move(new_session);
        }
        if (challenge) {
            reset.challenge = std::move(challenge);
        }
        return reset;
    }

private:
    /// The challenge of a CODE_REQUIRED or SETUP_REQUIRED login.
    static Challenge login_challenge(const docspace_login* login) {
        docspace_challenge* raw = nullptr;
        detail::check(docspace_login_challenge(login, &raw));
        return Challenge(raw);
    }

    /// Takes over a `docspace_codes` handle and copies its codes out.
    static std::vector<BackupCode> codes(docspace_codes* raw) {
        const detail::Owned<docspace_codes, docspace_codes_free> owned(raw);
        const std::size_t count = docspace_codes_count(owned.get());
        std::vector<BackupCode> result;
        // Reserved up front: growing would leave copies of the codes in freed memory.
        result.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            char* code = nullptr;
            bool used = false;
            detail::check(docspace_codes_get(owned.get(), i, &code, &used));
            const detail::OwnedString owned_code(code);
            BackupCode& entry = result.emplace_back();
            entry.code.assign(owned_code ? owned_code.get() : "");
            entry.used = used;
        }
        return result;
    }

    detail::Owned<docspace_client, docspace_client_free> handle_;
};

}  // namespace docspace

#endif  // DOCSPACE_AUTH_HPP
