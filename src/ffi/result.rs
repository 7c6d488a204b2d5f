//! `docspace_result` and the other C enums, the one table of result names and descriptions,
//! and the single mapping from the core's `ErrorKind`.

use std::ffi::{c_char, CStr};

use crate::error::ErrorKind;

/// The result of every fallible function. `DOCSPACE_RESULT_OK` (0) is success; everything
/// else is a failure whose details (message, HTTP status, server message, retry delay) are in
/// the `docspace_error` given through `error_out`, or, for client calls, in
/// `docspace_client_last_error()` and friends.
///
/// Values are stable and never reused; new ones may be added, so treat unknown values as
/// failures (`docspace_result_name()` returns NULL for them). Groups: 1-9 argument and
/// library errors, 10-19 transport, 20-29 what the portal refused, 30-39 portal failures.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum docspace_result {
    /// Success.
    Ok = 0,
    /// An argument is unusable: empty, too long, not UTF-8, out of range, a bad base URL, a
    /// code with characters a code cannot have, or a call that does not fit the handle
    /// (asking a login that is not AUTHENTICATED for its session).
    InvalidArgument = 1,
    /// A required pointer argument is NULL (the error message names it).
    NullParameter = 2,
    /// A caller-supplied buffer is too small (use `DOCSPACE_TOTP_CODE_BUFFER_SIZE`).
    BufferTooSmall = 3,
    /// The library panicked: a bug. The handle may be left in an unspecified but memory-safe
    /// state; free it.
    Panic = 4,
    /// The connection could not be made or broke (DNS, refused, reset, proxy).
    Network = 10,
    /// The connect or total timeout elapsed.
    Timeout = 11,
    /// The TLS handshake failed (untrusted or invalid certificate, protocol error).
    Tls = 12,
    /// The portal rejected the user name or password (HTTP 401 at sign-in).
    InvalidCredentials = 20,
    /// The portal rejected the TOTP, backup or SMS code (wrong, expired or already used).
    InvalidCode = 21,
    /// Too many failed attempts: the portal blocks this login (or 2FA codes) for a while.
    LockedOut = 22,
    /// The portal's rate limiter answered 429; see `docspace_error_retry_after()`.
    RateLimited = 23,
    /// 2FA by app is not available for this request (policy off, app already linked for
    /// setup, no app linked for backup codes).
    TfaNotAvailable = 24,
    /// The confirm context (key from the sign-in answer) is missing, expired or refused.
    ConfirmContext = 25,
    /// The portal refused the operation for this account ("Access denied", user disabled).
    AccessDenied = 26,
    /// The session is not (or no longer) valid: signed out, revoked or expired.
    SessionInvalid = 27,
    /// The portal failed (HTTP 5xx).
    ServerError = 30,
    /// The answer did not have the expected shape (not JSON, missing field, too large,
    /// redirect to another origin).
    UnexpectedResponse = 31,
}

/// What `docspace_client_login()` led to (`docspace_login_get_kind()`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum docspace_login_kind {
    /// Not a login: only returned for a NULL handle.
    Invalid = 0,
    /// Signed in; `docspace_login_session()` gives the session.
    Authenticated = 1,
    /// An authenticator app is linked: finish with `docspace_client_login_with_code()` (TOTP or
    /// backup code) or `docspace_client_validate_app()`; `docspace_login_challenge()`.
    CodeRequired = 2,
    /// 2FA applies but no app is linked: `docspace_login_challenge()` carries the TOTP secret.
    /// Finish with `docspace_client_login_with_code()` and a code computed from it, or with
    /// `docspace_client_setup_app()` + `docspace_client_validate_app()`.
    SetupRequired = 3,
    /// SMS 2FA applies: finish with `docspace_client_login_with_code()` and the texted code.
    SmsRequired = 4,
}

/// Which confirm link the portal issued with a challenge (`docspace_challenge_confirm_type()`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum docspace_confirm_type {
    /// Not a challenge: only returned for a NULL handle.
    Invalid = 0,
    /// `TfaActivation`: no app linked yet (setup, then validate).
    TfaActivation = 1,
    /// `TfaAuth`: an app is linked; a code finishes the sign-in.
    TfaAuth = 2,
}

/// A portal 2FA method. Pass these values where a function takes `uint32_t method`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum docspace_tfa_method {
    /// 2FA off.
    None = 0,
    /// Codes by text message.
    Sms = 1,
    /// Codes from an authenticator app (TOTP).
    App = 2,
}

/// One of the lists of a method's 2FA policy. Pass these values where a function takes
/// `uint32_t list`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum docspace_policy_list {
    /// Addresses or ranges from which 2FA is skipped (unless the user is mandatory).
    TrustedIps = 0,
    /// User ids for whom 2FA is always required.
    MandatoryUsers = 1,
    /// Group ids for whom 2FA is always required.
    MandatoryGroups = 2,
}

/// The HMAC hash of a TOTP generator. Pass these values where a function takes
/// `uint32_t algorithm`; `docspace_totp_get_algorithm()` returns them.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum docspace_totp_algorithm {
    /// HMAC-SHA1: DocSpace's algorithm and the otpauth default.
    Sha1 = 0,
    /// HMAC-SHA256 (RFC 6238).
    Sha256 = 1,
    /// HMAC-SHA512 (RFC 6238).
    Sha512 = 2,
    /// Not an algorithm: only returned by `docspace_totp_get_algorithm()` for a NULL handle, and
    /// refused (INVALID_ARGUMENT) where an algorithm is expected.
    Invalid = 255,
}

/// One row of the result table.
struct ResultInfo {
    code: docspace_result,
    /// The enumerator's C name.
    name: &'static CStr,
    /// A short English description.
    description: &'static CStr,
    /// The core error kind behind the result and its stable name (`ErrorKind::name()`) as a C
    /// string; `None` for the C-only results (OK, NULL_PARAMETER, BUFFER_TOO_SMALL, PANIC).
    kind: Option<(ErrorKind, &'static CStr)>,
}

impl ResultInfo {
    const fn new(
        code: docspace_result,
        name: &'static CStr,
        description: &'static CStr,
        kind: Option<(ErrorKind, &'static CStr)>,
    ) -> ResultInfo {
        ResultInfo { code, name, description, kind }
    }
}

/// `bytes` followed by a NUL, as an array of exactly `N` bytes (compile time).
const fn nul_terminated<const N: usize>(text: &str) -> [u8; N] {
    let bytes = text.as_bytes();
    assert!(bytes.len() + 1 == N, "N must be the text's length plus one");
    let mut out = [0u8; N];
    let mut i = 0;
    while i < bytes.len() {
        out[i] = bytes[i];
        i += 1;
    }
    out
}

/// `Some((ErrorKind::$kind, c"<ErrorKind::$kind.name()>"))`: the core's own name, turned into
/// a static C string at compile time, so the C names cannot drift from the core's.
macro_rules! core_kind {
    ($kind:ident) => {{
        const NAME: &str = ErrorKind::$kind.name();
        const BYTES: [u8; NAME.len() + 1] = nul_terminated(NAME);
        const C_NAME: &CStr = match CStr::from_bytes_with_nul(&BYTES) {
            Ok(name) => name,
            Err(_) => panic!("an error kind name contains a NUL"),
        };
        Some((ErrorKind::$kind, C_NAME))
    }};
}

/// The one table of results: code, C name, description, core kind (with its name). Everything
/// the name, description, kind-name and retryable functions return comes from here.
const RESULTS: [ResultInfo; 18] = [
    ResultInfo::new(docspace_result::Ok, c"DOCSPACE_RESULT_OK", c"success", None),
    ResultInfo::new(
        docspace_result::InvalidArgument,
        c"DOCSPACE_RESULT_INVALID_ARGUMENT",
        c"an argument is unusable",
        core_kind!(InvalidArgument),
    ),
    ResultInfo::new(
        docspace_result::NullParameter,
        c"DOCSPACE_RESULT_NULL_PARAMETER",
        c"a required pointer argument is NULL",
        None,
    ),
    ResultInfo::new(
        docspace_result::BufferTooSmall,
        c"DOCSPACE_RESULT_BUFFER_TOO_SMALL",
        c"the output buffer is too small",
        None,
    ),
    ResultInfo::new(docspace_result::Panic, c"DOCSPACE_RESULT_PANIC", c"internal error: the library panicked", None),
    ResultInfo::new(
        docspace_result::Network,
        c"DOCSPACE_RESULT_NETWORK",
        c"the portal could not be reached or the connection broke",
        core_kind!(Network),
    ),
    ResultInfo::new(
        docspace_result::Timeout,
        c"DOCSPACE_RESULT_TIMEOUT",
        c"the portal did not answer in time",
        core_kind!(Timeout),
    ),
    ResultInfo::new(
        docspace_result::Tls,
        c"DOCSPACE_RESULT_TLS",
        c"the TLS connection to the portal failed",
        core_kind!(Tls),
    ),
    ResultInfo::new(
        docspace_result::InvalidCredentials,
        c"DOCSPACE_RESULT_INVALID_CREDENTIALS",
        c"the user name or password was rejected",
        core_kind!(InvalidCredentials),
    ),
    ResultInfo::new(
        docspace_result::InvalidCode,
        c"DOCSPACE_RESULT_INVALID_CODE",
        c"the TOTP, backup or SMS code was rejected",
        core_kind!(InvalidCode),
    ),
    ResultInfo::new(
        docspace_result::LockedOut,
        c"DOCSPACE_RESULT_LOCKED_OUT",
        c"too many failed attempts; sign-in is blocked for a while",
        core_kind!(LockedOut),
    ),
    ResultInfo::new(
        docspace_result::RateLimited,
        c"DOCSPACE_RESULT_RATE_LIMITED",
        c"the portal's rate limit was hit; retry later",
        core_kind!(RateLimited),
    ),
    ResultInfo::new(
        docspace_result::TfaNotAvailable,
        c"DOCSPACE_RESULT_TFA_NOT_AVAILABLE",
        c"two-factor authentication by app is not available for this request",
        core_kind!(TfaNotAvailable),
    ),
    ResultInfo::new(
        docspace_result::ConfirmContext,
        c"DOCSPACE_RESULT_CONFIRM_CONTEXT",
        c"the confirm context is missing, expired or refused; sign in again",
        core_kind!(ConfirmContext),
    ),
    ResultInfo::new(
        docspace_result::AccessDenied,
        c"DOCSPACE_RESULT_ACCESS_DENIED",
        c"the portal refused the operation for this account",
        core_kind!(AccessDenied),
    ),
    ResultInfo::new(
        docspace_result::SessionInvalid,
        c"DOCSPACE_RESULT_SESSION_INVALID",
        c"the session is not or no longer valid",
        core_kind!(SessionInvalid),
    ),
    ResultInfo::new(
        docspace_result::ServerError,
        c"DOCSPACE_RESULT_SERVER_ERROR",
        c"the portal failed (HTTP 5xx)",
        core_kind!(ServerError),
    ),
    ResultInfo::new(
        docspace_result::UnexpectedResponse,
        c"DOCSPACE_RESULT_UNEXPECTED_RESPONSE",
        c"the portal's answer did not have the expected shape",
        core_kind!(UnexpectedResponse),
    ),
];

const UNKNOWN_RESULT: &CStr = c"unknown result";

fn table_entry(result: u32) -> Option<&'static ResultInfo> {
    RESULTS.iter().find(|info| info.code as u32 == result)
}

/// The core error kind behind a result value, with its C name: `None` for the C-only results
/// and for values that are not results.
fn kind_entry(result: u32) -> Option<(ErrorKind, &'static CStr)> {
    table_entry(result).and_then(|info| info.kind)
}

/// The `docspace_result` for a core error kind: the one place where kinds become codes.
pub(crate) const fn result_for(kind: ErrorKind) -> docspace_result {
    match kind {
        ErrorKind::InvalidArgument => docspace_result::InvalidArgument,
        ErrorKind::Network => docspace_result::Network,
        ErrorKind::Timeout => docspace_result::Timeout,
        ErrorKind::Tls => docspace_result::Tls,
        ErrorKind::InvalidCredentials => docspace_result::InvalidCredentials,
        ErrorKind::InvalidCode => docspace_result::InvalidCode,
        ErrorKind::LockedOut => docspace_result::LockedOut,
        ErrorKind::RateLimited => docspace_result::RateLimited,
        ErrorKind::TfaNotAvailable => docspace_result::TfaNotAvailable,
        ErrorKind::ConfirmContext => docspace_result::ConfirmContext,
        ErrorKind::AccessDenied => docspace_result::AccessDenied,
        ErrorKind::SessionInvalid => docspace_result::SessionInvalid,
        ErrorKind::ServerError => docspace_result::ServerError,
        ErrorKind::UnexpectedResponse => docspace_result::UnexpectedResponse,
    }
}

/// The reverse of [`result_for`], from the table, for the tests: `None` for codes that are not
/// core kinds.
#[cfg(test)]
pub(crate) fn kind_for(result: docspace_result) -> Option<ErrorKind> {
    kind_entry(result as u32).map(|(kind, _)| kind)
}

/// The C name of a result, e.g. `"DOCSPACE_RESULT_INVALID_CODE"`, or NULL for a value that is
/// not a `docspace_result` (pass a `docspace_result`; it is taken as an integer so that any
/// value is safe). The string is static: do not free it. Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_result_name(result: u32) -> *const c_char {
    ffi_boundary! {
        table_entry(result).map_or(std::ptr::null(), |info| info.name.as_ptr())
    }
}

/// A short English description of a result, e.g. `"the TOTP, backup or SMS code was
/// rejected"`; `"unknown result"` for a value that is not a `docspace_result`. Never NULL;
/// static: do not free it. For the specific reason of a failure use
/// `docspace_error_message()` or `docspace_client_last_error()`. Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_result_str(result: u32) -> *const c_char {
    ffi_boundary! {
        table_entry(result).map_or(UNKNOWN_RESULT.as_ptr(), |info| info.description.as_ptr())
    }
}

/// The core's stable, cross-language name of the error kind behind a result, e.g.
/// `"invalid_code"` for `DOCSPACE_RESULT_INVALID_CODE` (the same names every binding uses).
/// NULL for the results that are not core kinds (OK, NULL_PARAMETER, BUFFER_TOO_SMALL, PANIC)
/// and for values that are not a `docspace_result`. Static: do not free it. Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_result_kind_name(result: u32) -> *const c_char {
    ffi_boundary! {
        kind_entry(result).map_or(std::ptr::null(), |(_, name)| name.as_ptr())
    }
}

/// Whether repeating the same call later, with the same inputs, may succeed: true for
/// NETWORK, TIMEOUT, RATE_LIMITED (wait `docspace_error_retry_after()` seconds when given),
/// SERVER_ERROR and LOCKED_OUT (after the lockout); false for every other result, for OK and
/// for unknown values. Advice only: the library never retries, and a code or a backup-code
/// regeneration must not be repeated blindly. Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_result_is_retryable(result: u32) -> bool {
    ffi_boundary! {
        kind_entry(result).is_some_and(|(kind, _)| kind.is_retryable())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_maps_and_round_trips() {
        for kind in ErrorKind::ALL {
            let result = result_for(kind);
            assert_eq!(kind_for(result), Some(kind), "{kind:?}");
            assert_ne!(result, docspace_result::Ok);
        }
        assert_eq!(kind_for(docspace_result::Panic), None);
        assert_eq!(kind_for(docspace_result::Ok), None);
    }

    #[test]
    fn kind_names_and_retryable_come_from_the_core() {
        for kind in ErrorKind::ALL {
            let code = result_for(kind) as u32;
            let name = unsafe { CStr::from_ptr(docspace_result_kind_name(code)) };
            assert_eq!(name.to_str().unwrap(), kind.name(), "{kind:?}");
            assert_eq!(docspace_result_is_retryable(code), kind.is_retryable(), "{kind:?}");
        }
        for c_only in [
            docspace_result::Ok,
            docspace_result::NullParameter,
            docspace_result::BufferTooSmall,
            docspace_result::Panic,
        ] {
            assert!(docspace_result_kind_name(c_only as u32).is_null(), "{c_only:?}");
            assert!(!docspace_result_is_retryable(c_only as u32), "{c_only:?}");
        }
        assert!(docspace_result_kind_name(9999).is_null());
        assert!(!docspace_result_is_retryable(9999));
        assert!(docspace_result_is_retryable(docspace_result::RateLimited as u32));
        assert!(!docspace_result_is_retryable(docspace_result::InvalidCode as u32));
    }

    #[test]
    fn table_is_complete_and_unique() {
        for (i, info) in RESULTS.iter().enumerate() {
            assert!(info.name.to_str().unwrap().starts_with("DOCSPACE_RESULT_"));
            assert!(!info.description.to_bytes().is_empty());
            assert!(RESULTS[i + 1..].iter().all(|other| other.code != info.code && other.name != info.name));
            assert_eq!(docspace_result_name(info.code as u32), info.name.as_ptr());
            if let Some((kind, _)) = info.kind {
                assert_eq!(result_for(kind), info.code, "the table and result_for agree on {kind:?}");
            }
        }
        for kind in ErrorKind::ALL {
            assert!(table_entry(result_for(kind) as u32).is_some());
        }
        assert!(docspace_result_name(9999).is_null());
        let unknown = unsafe { CStr::from_ptr(docspace_result_str(9999)) };
        assert_eq!(unknown, UNKNOWN_RESULT);
    }

    #[test]
    fn header_matches_the_table() {
        let header = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/docspace_auth.h")).unwrap();
        for info in RESULTS {
            let line = format!("{} = {},", info.name.to_str().unwrap(), info.code as u32);
            assert!(header.contains(&line), "the header lacks `{line}`");
        }
    }

    #[test]
    fn the_guide_lists_every_result() {
        let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/c-api.md")).unwrap();
        for info in RESULTS {
            let row = format!("| {} | `{}` |", info.code as u32, info.name.to_str().unwrap());
            assert!(guide.contains(&row), "docs/c-api.md lacks the row `{row}`");
        }
    }

    #[test]
    fn names_follow_the_variants() {
        // The header's enumerators are generated from the variant names; the table must match.
        let name = |r: docspace_result| unsafe { CStr::from_ptr(docspace_result_name(r as u32)) }.to_str().unwrap();
        assert_eq!(name(docspace_result::TfaNotAvailable), "DOCSPACE_RESULT_TFA_NOT_AVAILABLE");
        assert_eq!(name(docspace_result::UnexpectedResponse), "DOCSPACE_RESULT_UNEXPECTED_RESPONSE");
        assert_eq!(docspace_result::UnexpectedResponse as u32, 31);
    }
}
