//! The one error type of the library.
//!
//! Every failure is an [`Error`] with a fieldless, stable [`ErrorKind`] that callers (and the
//! C, Python, Node, C++ and Go layers) branch on. The HTTP status, the server's own
//! `error.message` and the `Retry-After` delay travel as data. Messages are written for a
//! person ("what happened, what to do next") and never contain a secret: no password, token,
//! TOTP secret, confirm key, code or request URL path with a code in it.

use std::fmt;
use std::time::Duration;

/// What went wrong, as a stable category. Names are also the cross-language identifiers
/// returned by [`ErrorKind::name`]; they are never renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A caller-supplied argument is unusable (empty, too long, control characters, bad URL…).
    InvalidArgument,
    /// The connection could not be made or broke (DNS, refused, reset, proxy).
    Network,
    /// The connect or total timeout elapsed.
    Timeout,
    /// The TLS handshake failed (untrusted or invalid certificate, protocol error).
    Tls,
    /// The portal rejected the user name or password (401 at sign-in).
    InvalidCredentials,
    /// The portal rejected the TOTP or backup code.
    InvalidCode,
    /// Too many failed attempts: the portal blocks this login (or 2FA codes) for a while.
    LockedOut,
    /// The portal's rate limiter answered 429; see [`Error::retry_after`].
    RateLimited,
    /// Two-factor authentication by app is not available for this request (policy off,
    /// app already linked for setup, not linked for backup codes).
    TfaNotAvailable,
    /// The confirm context (key from the sign-in answer) is missing, expired or refused.
    ConfirmContext,
    /// The portal refused the operation for this account ("Access denied", user disabled).
    AccessDenied,
    /// The session token is not (or no longer) valid: signed out, revoked, or expired.
    SessionInvalid,
    /// The portal failed (5xx), often with an HTML error page.
    ServerError,
    /// The answer did not have the expected shape (not JSON, wrong envelope, missing field,
    /// too large, redirect to another origin).
    UnexpectedResponse,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 14] = [
        ErrorKind::InvalidArgument,
        ErrorKind::Network,
        ErrorKind::Timeout,
        ErrorKind::Tls,
        ErrorKind::InvalidCredentials,
        ErrorKind::InvalidCode,
        ErrorKind::LockedOut,
        ErrorKind::RateLimited,
        ErrorKind::TfaNotAvailable,
        ErrorKind::ConfirmContext,
        ErrorKind::AccessDenied,
        ErrorKind::SessionInvalid,
        ErrorKind::ServerError,
        ErrorKind::UnexpectedResponse,
    ];

    /// Stable snake_case identifier shared by every language binding.
    pub const fn name(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Tls => "tls",
            ErrorKind::InvalidCredentials => "invalid_credentials",
            ErrorKind::InvalidCode => "invalid_code",
            ErrorKind::LockedOut => "locked_out",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::TfaNotAvailable => "tfa_not_available",
            ErrorKind::ConfirmContext => "confirm_context",
            ErrorKind::AccessDenied => "access_denied",
            ErrorKind::SessionInvalid => "session_invalid",
            ErrorKind::ServerError => "server_error",
            ErrorKind::UnexpectedResponse => "unexpected_response",
        }
    }

    /// Whether repeating the same call later may succeed without changing its inputs.
    /// The library itself never retries POST/PUT; this is advice for the caller.
    pub const fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorKind::Network
                | ErrorKind::Timeout
                | ErrorKind::RateLimited
                | ErrorKind::ServerError
                | ErrorKind::LockedOut
        )
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A failure of a library call. Cheap to clone; contains no secret.
#[derive(Clone)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    status: Option<u16>,
    server_message: Option<String>,
    retry_after: Option<Duration>,
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Longest server message kept; anything longer is cut (servers can send whole pages).
const MAX_SERVER_MESSAGE: usize = 512;

impl Error {
    /// A new error of `kind` with a plain-words `message` (which must contain no secret).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into(), status: None, server_message: None, retry_after: None }
    }

    /// Shorthand for an [`ErrorKind::InvalidArgument`] error.
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidArgument, message)
    }

    /// Attach the HTTP status of the answer.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Attach the server's `error.message`, cleaned of control characters and bounded.
    pub fn with_server_message(mut self, message: &str) -> Self {
        let cleaned: String =
            message.chars().map(|c| if c.is_control() { ' ' } else { c }).take(MAX_SERVER_MESSAGE).collect();
        let cleaned = cleaned.trim();
        if !cleaned.is_empty() {
            self.server_message = Some(cleaned.to_owned());
        }
        self
    }

    /// Attach the delay the server asked for (`Retry-After`).
    pub fn with_retry_after(mut self, delay: Duration) -> Self {
        self.retry_after = Some(delay);
        self
    }

    /// The category of the failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// What happened and what to do next, in plain words. Never contains a secret.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The portal's own `error.message`, when the answer carried one.
    pub fn server_message(&self) -> Option<&str> {
        self.server_message.as_deref()
    }

    /// How long the portal asked the caller to wait (`Retry-After`), when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status}")?;
            if let Some(server) = &self.server_message {
                write!(f, ": {server}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("status", &self.status)
            .field("server_message", &self.server_message)
            .field("retry_after", &self.retry_after)
            .finish()
    }
}

impl std::error::Error for Error {}
