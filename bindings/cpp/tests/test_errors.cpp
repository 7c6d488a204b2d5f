// Every failure arrives as a docspace::Error of the right kind, with its details.
#include "emulator.hpp"
#include "helpers.hpp"

#include <docspace_auth.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <variant>

namespace docspace_test {
namespace {

using docspace::Client;
using docspace::Error;
using docspace::ErrorKind;
using docspace::Session;
using namespace std::chrono_literals;

class Errors : public EmulatorTest {
protected:
    /// Signs the plain (no 2FA) user in.
    static Session plain_session(const Client& client) {
        const User& plain = user("no_tfa");
        docspace::LoginOutcome outcome = client.login(plain.email, plain.password);
        return std::move(std::get<docspace::Authenticated>(outcome).session);
    }
};

TEST_F(Errors, WrongPasswordIsInvalidCredentials) {
    const User& plain = user("no_tfa");
    const Client client(url());
    const std::optional<Error> error = error_of([&] { (void)client.login(plain.email, "not-the-password"); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->kind(), ErrorKind::InvalidCredentials);
    EXPECT_EQ(error->result(), DOCSPACE_RESULT_INVALID_CREDENTIALS);
    EXPECT_EQ(error->status(), 401);
    EXPECT_FALSE(error->retry_after());
    EXPECT_FALSE(error->is_retryable()) << "the same password will be refused again";
    EXPECT_FALSE(std::string(error->what()).empty());
    EXPECT_EQ(std::string(error->what()).find("not-the-password"), std::string::npos);
}

TEST_F(Errors, WrongCodeIsInvalidCode) {
    const User& linked = user("linked");
    const Client client(url());
    EXPECT_EQ(kind_of([&] {
                  (void)client.login_with_code(linked.email, linked.password, wrong_code(*linked.totp_secret));
              }),
              ErrorKind::InvalidCode);
}

TEST_F(Errors, WrongCodeForChallengeIsInvalidCode) {
    const User& setup_user = user("not_linked");
    const Client client(url());
    docspace::LoginOutcome outcome = client.login(setup_user.email, setup_user.password);
    const auto& challenge = std::get<docspace::SetupRequired>(outcome).challenge;
    EXPECT_EQ(kind_of([&] { (void)client.validate_app(challenge, wrong_code(*challenge.secret())); }),
              ErrorKind::InvalidCode);
}

TEST_F(Errors, DisabledUserIsAccessDenied) {
    const User& disabled = user("disabled");
    const Client client(url());
    const std::optional<Error> error = error_of([&] { (void)client.login(disabled.email, disabled.password); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->kind(), ErrorKind::AccessDenied);
    EXPECT_EQ(error->status(), 403);
}

TEST_F(Errors, RepeatedWrongPasswordsLockOut) {
    const User& plain = user("no_tfa");
    const Client client(url());
    std::optional<ErrorKind> kind;
    int attempts = 0;
    do {
        kind = kind_of([&] { (void)client.login(plain.email, "wrong-password"); });
        ++attempts;
    } while (kind == ErrorKind::InvalidCredentials && attempts < 10);
    EXPECT_EQ(kind, ErrorKind::LockedOut) << "after " << attempts << " attempts";
    EXPECT_EQ(kind_of([&] { (void)client.login(plain.email, plain.password); }), ErrorKind::LockedOut);
}

TEST_F(Errors, BogusTokenIsSessionInvalid) {
    const Client client(url());
    const Session bogus = Session::from_token("0123456789abcdef0123456789abcdef");
    EXPECT_FALSE(client.is_authenticated(bogus)) << "an invalid token is a false, not an error";
    const std::optional<Error> error = error_of([&] { (void)client.backup_codes(bogus); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->kind(), ErrorKind::SessionInvalid);
    EXPECT_EQ(error->status(), 401);
}

TEST_F(Errors, LoggedOutSessionIsSessionInvalid) {
    const Client client(url());
    const Session session = plain_session(client);
    client.logout(session);
    EXPECT_EQ(kind_of([&] { (void)client.tfa_policy(session); }), ErrorKind::SessionInvalid);
}

TEST_F(Errors, BackupCodesWithoutAppAreTfaNotAvailable) {
    const Client client(url());
    const Session session = plain_session(client);
    EXPECT_EQ(kind_of([&] { (void)client.backup_codes(session); }), ErrorKind::TfaNotAvailable);
}

TEST_F(Errors, ExpiredConfirmKeyIsConfirmContext) {
    const User& setup_user = user("not_linked");
    const Client client(url());
    docspace::LoginOutcome outcome = client.login(setup_user.email, setup_user.password);
    const auto& challenge = std::get<docspace::SetupRequired>(outcome).challenge;
    // Confirm keys live one hour.
    ASSERT_EQ(emulator().control("POST", "clock", R"({"offset_seconds":7200})").status, 200);
    EXPECT_EQ(kind_of([&] { (void)client.setup_app(challenge); }), ErrorKind::ConfirmContext);
}

TEST_F(Errors, Html503IsServerError) {
    emulator().fault(R"({"path":"/api/2.0/authentication","method":"POST","status":503,"body":"html"})");
    const User& plain = user("no_tfa");
    const Client client(url());
    const std::optional<Error> error = error_of([&] { (void)client.login(plain.email, plain.password); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->kind(), ErrorKind::ServerError);
    EXPECT_EQ(error->status(), 503);
    EXPECT_FALSE(error->retry_after());
}

TEST_F(Errors, Status429WithRetryAfterIsRateLimited) {
    emulator().fault(R"({"path":"/api/2.0/authentication","status":429,"retry_after":"120"})");
    const User& plain = user("no_tfa");
    const Client client(url());
    const std::optional<Error> error = error_of([&] { (void)client.login(plain.email, plain.password); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->kind(), ErrorKind::RateLimited);
    EXPECT_EQ(error->status(), 429);
    EXPECT_EQ(error->retry_after(), std::optional<std::chrono::seconds>(120s));
    EXPECT_TRUE(error->is_retryable());
}

TEST_F(Errors, SlowAnswerIsTimeout) {
    emulator().fault(R"({"path":"/api/2.0/authentication","delay_ms":3000})");
    const User& plain = user("no_tfa");
    docspace::Client::Options options;
    options.timeout = 300ms;
    const Client client(url(), options);
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(kind_of([&] { (void)client.login(plain.email, plain.password); }), ErrorKind::Timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST_F(Errors, TruncatedJsonIsUnexpectedResponse) {
    emulator().fault(R"({"path":"/api/2.0/authentication","body":"truncated-json"})");
    const User& plain = user("no_tfa");
    const Client client(url());
    EXPECT_EQ(kind_of([&] { (void)client.login(plain.email, plain.password); }), ErrorKind::UnexpectedResponse);
}

TEST_F(Errors, OversizedAnswerIsUnexpectedResponse) {
    const User& plain = user("no_tfa");
    docspace::Client::Options options;
    options.max_response_bytes = 64;
    const Client client(url(), options);
    EXPECT_EQ(kind_of([&] { (void)client.login(plain.email, plain.password); }), ErrorKind::UnexpectedResponse);
}

TEST(ErrorsOffline, RefusedConnectionIsNetwork) {
    // Port 1 on loopback: nothing listens there.
    const Client client("http://127.0.0.1:1");
    const std::optional<Error> error = error_of([&] { (void)client.login("user@example.com", "password"); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->kind(), ErrorKind::Network);
    EXPECT_TRUE(error->is_retryable());
}

TEST(ErrorsOffline, RetryableFollowsTheLibrary) {
    for (const ErrorKind kind : {ErrorKind::Network, ErrorKind::Timeout, ErrorKind::RateLimited,
                                 ErrorKind::ServerError, ErrorKind::LockedOut}) {
        EXPECT_TRUE(docspace_result_is_retryable(static_cast<std::uint32_t>(kind))) << docspace::to_string(kind);
    }
    for (const ErrorKind kind : {ErrorKind::InvalidArgument, ErrorKind::InvalidCode, ErrorKind::Tls,
                                 ErrorKind::NullParameter, ErrorKind::Panic}) {
        EXPECT_FALSE(docspace_result_is_retryable(static_cast<std::uint32_t>(kind))) << docspace::to_string(kind);
    }
    const std::optional<Error> error = error_of([] { (void)docspace::totp("not base32 !"); });
    ASSERT_TRUE(error);
    EXPECT_FALSE(error->is_retryable());
}

/// The message of the Error @p call throws ("" and a test failure if it does not throw).
template <typename Call>
std::string message_of(Call&& call) {
    const std::optional<Error> error = error_of(std::forward<Call>(call));
    return error ? std::string(error->what()) : std::string();
}

/// Whether @p text contains @p part (GoogleTest prints both on failure).
bool HasSubstr(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(ErrorsOffline, MessagesSayWhatIsWrong) {
    // TOTP: the library's own words, never the secret.
    const std::string base32 = message_of([] { (void)docspace::totp("LJVT1CTSWGJYEOYSV"); });
    EXPECT_PRED2(HasSubstr, base32, "base32");
    EXPECT_FALSE(HasSubstr(base32, "LJVT1")) << base32;
    EXPECT_PRED2(HasSubstr, message_of([] { docspace::Totp("LJVTCTSWGJYEOYSV", docspace::TotpAlgorithm::Sha1, 9); }), "6, 7 or 8 digits");
    EXPECT_PRED2(HasSubstr, message_of([] { (void)docspace::Totp::from_uri("otpauth://hotp/x?secret=LJVTCTSWGJYEOYSV"); }), "HOTP");
    EXPECT_PRED2(HasSubstr, message_of([] { (void)docspace::verify_totp("", "123456"); }), "empty");
    // Sessions.
    EXPECT_PRED2(HasSubstr, message_of([] { (void)Session::from_token("   "); }), "`token` argument is empty");
    EXPECT_PRED2(HasSubstr, message_of([] { (void)Session::from_api_key(""); }), "`key` argument is empty");
    // Options: checked when the client is built, with the library's message.
    docspace::Client::Options zero;
    zero.timeout = 0ms;
    EXPECT_PRED2(HasSubstr, message_of([&] { Client("https://portal.example.com", zero); }), "timeouts must be greater than zero");
    docspace::Client::Options agent;
    agent.user_agent = "bad\nagent";
    EXPECT_PRED2(HasSubstr, message_of([&] { Client("https://portal.example.com", agent); }), "printable ASCII");
    docspace::Client::Options pem;
    pem.ca_pem = "not a certificate";
    EXPECT_PRED2(HasSubstr, message_of([&] { Client("https://portal.example.com", pem); }), "CA PEM");
    docspace::Client::Options limit;
    limit.max_response_bytes = 0;
    EXPECT_PRED2(HasSubstr, message_of([&] { Client("https://portal.example.com", limit); }), "size limit");
}

TEST(ErrorsOffline, UnusableArgumentsAreInvalidArgument) {
    EXPECT_EQ(kind_of([] { Client("not a url"); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(kind_of([] { Client("ftp://portal.example.com"); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(kind_of([] { Client("http://portal.example.com"); }), ErrorKind::InvalidArgument)
        << "plain http to a non-loopback host needs allow_insecure_http";
    docspace::Client::Options insecure;
    insecure.allow_insecure_http = true;
    EXPECT_NO_THROW(Client("http://portal.example.com", insecure));

    docspace::Client::Options missing_ca;
    missing_ca.ca_file = "/nonexistent/ca.pem";
    EXPECT_EQ(kind_of([&] { Client("https://portal.example.com", missing_ca); }), ErrorKind::InvalidArgument);

    docspace::Client::Options negative;
    negative.timeout = -1ms;
    EXPECT_EQ(kind_of([&] { Client("https://portal.example.com", negative); }), ErrorKind::InvalidArgument);
    docspace::Client::Options zero;
    zero.connect_timeout = 0ms;
    EXPECT_EQ(kind_of([&] { Client("https://portal.example.com", zero); }), ErrorKind::InvalidArgument);

    const Client client("http://127.0.0.1:1");
    const std::string with_nul("pass\0word", 9);
    const std::optional<Error> error = error_of([&] { (void)client.login("user@example.com", with_nul); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->kind(), ErrorKind::InvalidArgument);
    EXPECT_FALSE(error->status());
    EXPECT_FALSE(error->server_message());
    EXPECT_EQ(kind_of([&] { (void)client.login("", "password"); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(kind_of([] { (void)Session::from_token(""); }), ErrorKind::InvalidArgument);
    EXPECT_EQ(kind_of([] { (void)Session::from_api_key(""); }), ErrorKind::InvalidArgument);
}

TEST(ErrorsOffline, KindNamesAreTheCrossLanguageNames) {
    EXPECT_EQ(docspace::to_string(ErrorKind::InvalidArgument), "invalid_argument");
    EXPECT_EQ(docspace::to_string(ErrorKind::Network), "network");
    EXPECT_EQ(docspace::to_string(ErrorKind::Timeout), "timeout");
    EXPECT_EQ(docspace::to_string(ErrorKind::Tls), "tls");
    EXPECT_EQ(docspace::to_string(ErrorKind::InvalidCredentials), "invalid_credentials");
    EXPECT_EQ(docspace::to_string(ErrorKind::InvalidCode), "invalid_code");
    EXPECT_EQ(docspace::to_string(ErrorKind::LockedOut), "locked_out");
    EXPECT_EQ(docspace::to_string(ErrorKind::RateLimited), "rate_limited");
    EXPECT_EQ(docspace::to_string(ErrorKind::TfaNotAvailable), "tfa_not_available");
    EXPECT_EQ(docspace::to_string(ErrorKind::ConfirmContext), "confirm_context");
    EXPECT_EQ(docspace::to_string(ErrorKind::AccessDenied), "access_denied");
    EXPECT_EQ(docspace::to_string(ErrorKind::SessionInvalid), "session_invalid");
    EXPECT_EQ(docspace::to_string(ErrorKind::ServerError), "server_error");
    EXPECT_EQ(docspace::to_string(ErrorKind::UnexpectedResponse), "unexpected_response");
    EXPECT_EQ(docspace::to_string(ErrorKind::NullParameter), "null_parameter");
    EXPECT_EQ(docspace::to_string(ErrorKind::BufferTooSmall), "buffer_too_small");
    EXPECT_EQ(docspace::to_string(ErrorKind::Panic), "panic");
    EXPECT_EQ(docspace::to_string(static_cast<ErrorKind>(999)), "unknown");
}

TEST(ErrorsOffline, ErrorsAreCopyableWithoutThrowing) {
    static_assert(std::is_nothrow_copy_constructible_v<Error>);
    static_assert(std::is_base_of_v<std::runtime_error, Error>);
    const std::optional<Error> error = error_of([] { (void)docspace::totp("not base32 !"); });
    ASSERT_TRUE(error);
    const Error copy = *error;
    EXPECT_EQ(copy.kind(), ErrorKind::InvalidArgument);
    EXPECT_STREQ(copy.what(), error->what());
}

}  // namespace
}  // namespace docspace_test
