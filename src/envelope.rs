//! DocSpace answer decoding: the success envelope (`{"response": …, "status": 0, …}`), the
//! error envelope (`{"error": {"message": …}, "status": 1, "statusCode": N}`), and the one
//! table that turns a failed answer into an [`ErrorKind`] (CONTRACT.md §1.3, §1.4, §2).
//!
//! The portal's statuses are not the spec's: it answers 403 where the spec says 405 or 429,
//! and 401 for every failure at `/authentication/{code}`. Mapping is by endpoint, status and
//! the server's (fixed, English) message.

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;

use crate::error::{Error, ErrorKind, Result};
use crate::transport::Response;

/// Which call an answer belongs to; the same status means different things per endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    Login,
    LoginWithCode,
    Logout,
    IsAuthenticated,
    Setup,
    Validate,
    BackupCodes,
    RegenerateBackupCodes,
    Policy,
    SetPolicy,
    ConfirmData,
    ResetApp,
}

impl Endpoint {
    /// Endpoints that authenticate with the `confirm` scheme.
    fn uses_confirm_scheme(self) -> bool {
        matches!(self, Endpoint::Setup | Endpoint::Validate)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SuccessEnvelope<T> {
    #[serde(default = "Option::default")]
    response: Option<T>,
    #[serde(default)]
    status: Option<i64>,
    #[serde(default)]
    error: Option<IgnoredAny>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ErrorEnvelope {
    #[serde(default)]
    error: Option<ErrorBody>,
    #[serde(default)]
    status_code: Option<i64>,
    /// A model-binding 400 puts `ValidationProblemDetails` here.
    #[serde(default)]
    response: Option<ProblemDetails>,
}

#[derive(Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    message: Option<String>,
}

#[derive(Deserialize, Default)]
struct ProblemDetails {
    #[serde(default)]
    title: Option<String>,
}

/// The `response` of a successful answer, `None` when the portal left it out (null).
pub(crate) fn decode<T: DeserializeOwned>(endpoint: Endpoint, answer: &Response) -> Result<Option<T>> {
    if (200..300).contains(&answer.status) {
        if let Ok(envelope) = serde_json::from_slice::<SuccessEnvelope<T>>(&answer.body) {
            if envelope.error.is_none() && envelope.status.unwrap_or(0) == 0 {
                return Ok(envelope.response);
            }
        }
    }
    Err(error_for(endpoint, answer))
}

/// Like [`decode`], for answers whose `response` must be present.
pub(crate) fn decode_required<T: DeserializeOwned>(endpoint: Endpoint, answer: &Response) -> Result<T> {
    decode(endpoint, answer)?.ok_or_else(|| {
        Error::new(ErrorKind::UnexpectedResponse, "the portal's answer has no `response` value")
            .with_status(answer.status)
    })
}

/// Turn a failed (or malformed) answer into an error.
pub(crate) fn error_for(endpoint: Endpoint, answer: &Response) -> Error {
    let body_is_empty = answer.body.iter().all(u8::is_ascii_whitespace);
    let parsed: Option<ErrorEnvelope> = serde_json::from_slice(&answer.body).ok();
    let server_message = parsed.as_ref().and_then(|p| {
        p.error.as_ref().and_then(|e| e.message.clone()).or_else(|| p.response.as_ref().and_then(|r| r.title.clone()))
    });

    let status = if (200..300).contains(&answer.status) {
        // An error envelope inside a 2xx: classify by the status it carries.
        match parsed.as_ref().and_then(|p| p.error.as_ref().and(p.status_code)) {
            Some(inner) if (400..600).contains(&inner) => inner as u16,
            _ => return malformed(answer, parsed.is_some()),
        }
    } else {
        answer.status
    };

    let (kind, message) = classify(endpoint, status, server_message.as_deref(), body_is_empty, parsed.is_some());
    let mut error = Error::new(kind, message).with_status(answer.status);
    if let Some(text) = &server_message {
        error = error.with_server_message(text);
    }
    if let Some(delay) = answer.retry_after() {
        error = error.with_retry_after(delay);
    }
    error
}

fn malformed(answer: &Response, is_json: bool) -> Error {
    let message = if is_json {
        "the portal's answer does not have the expected shape; is the base URL a DocSpace portal?"
    } else {
        "the portal answered with something that is not JSON (an HTML page?); is the base URL a DocSpace portal?"
    };
    Error::new(ErrorKind::UnexpectedResponse, message).with_status(answer.status)
}

const BRUTE_FORCE_LOGIN: &str = "too many login attempts";
const BRUTE_FORCE_CODE: &str = "too many text messages";
const TFA_NOT_AVAILABLE: &str = "tfa application settings are not available";
const NOT_AVAILABLE: &str = "not available.";
const INCORRECT_CODE: &str = "incorrect code";

/// The mapping table. `has_json` tells an auth-layer answer (empty body) from a controller's.
fn classify(endpoint: Endpoint, status: u16, server: Option<&str>, empty: bool, has_json: bool) -> (ErrorKind, String) {
    let server_lower = server.map(str::to_ascii_lowercase).unwrap_or_default();
    let says = |needle: &str| server_lower.contains(needle);
    use ErrorKind::*;
    let (kind, message): (ErrorKind, &str) = match status {
        429 => (RateLimited, "the portal's rate limit was reached; wait for the Retry-After delay, then try again"),
        500..=599 if !has_json => (ServerError, "the portal is failing (it sent an error page, not JSON); try again later"),
        500..=599 => (ServerError, "the portal failed to handle the request; try again later"),
        403 if says(BRUTE_FORCE_LOGIN) => (
            LockedOut,
            "too many failed sign-ins for this login from this address: the portal blocks it for a while \
             (60 s by default); wait, then try again",
        ),
        403 if says(BRUTE_FORCE_CODE) => (
            LockedOut,
            "too many wrong 2FA codes: the portal blocks code checks for this user for a minute; wait, then try again",
        ),
        403 if says(TFA_NOT_AVAILABLE) || says(NOT_AVAILABLE) => (
            TfaNotAvailable,
            match endpoint {
                Endpoint::Setup => "app setup is not available: the app is already linked, or the portal's 2FA-by-app policy is off",
                Endpoint::BackupCodes | Endpoint::RegenerateBackupCodes => {
                    "backup codes are not available: no authenticator app is linked, or 2FA by app is off"
                }
                Endpoint::ResetApp => "there is no linked authenticator app to reset for this user",
                _ => "two-factor authentication by app is not available here",
            },
        ),
        401 | 403 if endpoint.uses_confirm_scheme() && empty => (
            ConfirmContext,
            "the portal refused the confirm context: the key is missing, expired (keys live one hour) or of the \
             wrong type; sign in again to get a fresh challenge",
        ),
        401 => match endpoint {
            Endpoint::Login => (InvalidCredentials, "the portal rejected the user name or password"),
            Endpoint::LoginWithCode => (
                InvalidCode,
                "the portal rejected the sign-in code: it is wrong, expired, or an already used backup code \
                 (after five wrong codes the portal also refuses for a minute); check the device clock and try a fresh code",
            ),
            _ => (SessionInvalid, "the session is not valid (signed out, revoked or expired); sign in again"),
        },
        400 if endpoint == Endpoint::Validate && says(INCORRECT_CODE) => {
            (InvalidCode, "the portal rejected the code; check the device clock and try a fresh code")
        }
        400 => (InvalidArgument, "the portal rejected the request as malformed"),
        402 => (AccessDenied, "the portal's plan or payment state does not allow this"),
        403 => match endpoint {
            Endpoint::Login | Endpoint::LoginWithCode => (AccessDenied, "the portal refused this account's sign-in"),
            _ if empty => (AccessDenied, "this credential may not call this endpoint"),
            _ => (AccessDenied, "the portal denied access for this account"),
        },
        404 => (UnexpectedResponse, "the portal has no such endpoint; is the base URL a DocSpace portal?"),
        _ => (UnexpectedResponse, "the portal answered with an unexpected status"),
    };
    (kind, message.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

    fn answer(status: u16, body: &str) -> Response {
        Response { status, headers: HeaderMap::new(), body: body.as_bytes().to_vec().into() }
    }

    fn kind(endpoint: Endpoint, status: u16, body: &str) -> ErrorKind {
        error_for(endpoint, &answer(status, body)).kind()
    }

    fn envelope_error(status: u16, message: &str) -> String {
        format!(
            r#"{{"error":{{"message":"{message}","type":null,"stack":null,"hresult":0}},"status":1,"statusCode":{status}}}"#
        )
    }

    #[test]
    fn success_envelope() {
        let ok = answer(200, r#"{"response":true,"count":1,"links":[],"status":0,"statusCode":200}"#);
        assert_eq!(decode::<bool>(Endpoint::Validate, &ok).unwrap(), Some(true));
        let absent = answer(200, r#"{"count":0,"links":[],"status":0,"statusCode":200}"#);
        assert_eq!(decode::<String>(Endpoint::Logout, &absent).unwrap(), None);
        assert_eq!(
            decode_required::<String>(Endpoint::Logout, &absent).unwrap_err().kind(),
            ErrorKind::UnexpectedResponse
        );
        let extra = answer(200, r#"{"response":5,"surprise":{"a":[1]},"status":0}"#);
        assert_eq!(decode::<u32>(Endpoint::Policy, &extra).unwrap(), Some(5));
    }

    #[test]
    fn error_envelope_on_2xx_is_classified_by_its_status() {
        let err = error_for(Endpoint::Login, &answer(200, &envelope_error(401, "User authentication failed")));
        assert_eq!(err.kind(), ErrorKind::InvalidCredentials);
        assert_eq!(err.server_message(), Some("User authentication failed"));
        assert_eq!(
            decode::<bool>(Endpoint::Login, &answer(200, "<html>hi</html>")).unwrap_err().kind(),
            ErrorKind::UnexpectedResponse
        );
        assert_eq!(
            decode::<bool>(Endpoint::Login, &answer(200, r#"{"response":"#)).unwrap_err().kind(),
            ErrorKind::UnexpectedResponse
        );
        assert_eq!(
            decode::<bool>(Endpoint::Login, &answer(200, r#"{"response":"x"}"#)).unwrap_err().kind(),
            ErrorKind::UnexpectedResponse
        );
    }

    #[test]
    fn contract_status_table() {
        use Endpoint::*;
        assert_eq!(kind(Login, 401, &envelope_error(401, "User authentication failed")), ErrorKind::InvalidCredentials);
        assert_eq!(
            kind(Login, 403, &envelope_error(403, "Too many login attempts. Please try again later")),
            ErrorKind::LockedOut
        );
        assert_eq!(
            kind(LoginWithCode, 403, &envelope_error(403, "Too many login attempts. Please try again later")),
            ErrorKind::LockedOut
        );
        assert_eq!(kind(Login, 403, &envelope_error(403, "User disabled")), ErrorKind::AccessDenied);
        assert_eq!(
            kind(LoginWithCode, 401, &envelope_error(401, "User authentication failed")),
            ErrorKind::InvalidCode
        );
        assert_eq!(kind(Validate, 400, &envelope_error(400, "Incorrect code")), ErrorKind::InvalidCode);
        assert_eq!(
            kind(Validate, 403, &envelope_error(403, "You have sent too many text messages. Please try again later.")),
            ErrorKind::LockedOut
        );
        assert_eq!(kind(Validate, 401, ""), ErrorKind::ConfirmContext);
        assert_eq!(kind(Setup, 403, ""), ErrorKind::ConfirmContext);
        assert_eq!(
            kind(Setup, 403, &envelope_error(403, "TFA application settings are not available")),
            ErrorKind::TfaNotAvailable
        );
        assert_eq!(
            kind(BackupCodes, 403, &envelope_error(403, "TFA application settings are not available")),
            ErrorKind::TfaNotAvailable
        );
        assert_eq!(kind(BackupCodes, 401, ""), ErrorKind::SessionInvalid);
        assert_eq!(kind(SetPolicy, 403, &envelope_error(403, "Access denied")), ErrorKind::AccessDenied);
        assert_eq!(kind(Policy, 503, "<html><body>Bad gateway</body></html>"), ErrorKind::ServerError);
        assert_eq!(
            kind(Validate, 500, &envelope_error(500, "Validation code field cannot be empty")),
            ErrorKind::ServerError
        );
        assert_eq!(kind(Login, 404, ""), ErrorKind::UnexpectedResponse);
        assert_eq!(kind(Login, 405, ""), ErrorKind::UnexpectedResponse);
        let validation = r#"{"response":{"type":"x","title":"One or more validation errors occurred.","status":400},"status":1,"statusCode":400}"#;
        let err = error_for(Validate, &answer(400, validation));
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert_eq!(err.server_message(), Some("One or more validation errors occurred."));
    }

    #[test]
    fn rate_limit_carries_retry_after() {
        let mut a = answer(429, &envelope_error(429, "Too Many Requests"));
        a.headers.insert(RETRY_AFTER, HeaderValue::from_static("120"));
        let err = error_for(Endpoint::Login, &a);
        assert_eq!(err.kind(), ErrorKind::RateLimited);
        assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(120)));
        let when = httpdate::fmt_http_date(std::time::SystemTime::now() + std::time::Duration::from_secs(90));
        a.headers.insert(RETRY_AFTER, HeaderValue::from_str(&when).unwrap());
        let delay = error_for(Endpoint::Login, &a).retry_after().unwrap().as_secs();
        assert!((85..=90).contains(&delay), "{delay}");
    }

    #[test]
    fn server_messages_are_bounded_and_cleaned() {
        let long = "x".repeat(5000);
        let err = error_for(Endpoint::Login, &answer(401, &envelope_error(401, &format!("a\\nb{long}"))));
        assert!(err.server_message().unwrap().len() <= 512);
        assert!(!err.server_message().unwrap().contains('\n'));
    }
}
