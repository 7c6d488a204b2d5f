//! # docspace-auth
//!
//! ONLYOFFICE DocSpace sign-in and two-factor authentication, done the way the real portal
//! works, for Rust and (through the C ABI in [`ffi`]) every other language.
//!
//! ```no_run
//! use docspace_auth::{Client, LoginOutcome, totp::Totp};
//!
//! # fn main() -> docspace_auth::Result<()> {
//! let client = Client::new("https://portal.example.com")?;
//! let session = match client.login("user@example.com", "password")? {
//!     LoginOutcome::Authenticated(session) => session,
//!     LoginOutcome::CodeRequired(_) => {
//!         let code = Totp::new("JBSWY3DPEHPK3PXP")?.code_now();
//!         client.login_with_code("user@example.com", "password", code.as_str())?
//!     }
//!     LoginOutcome::SetupRequired(challenge) => {
//!         // Enrol the secret, then finish with a code computed from it.
//!         let code = Totp::new(challenge.secret().unwrap_or_default())?.code_now();
//!         client.validate_app(&challenge, code.as_str())?.session
//!     }
//!     LoginOutcome::SmsRequired(_) => unimplemented!("ask the user for the texted code"),
//! };
//! for code in client.backup_codes(&session)? {
//!     println!("backup code used: {}", code.used);
//! }
//! client.logout(&session)?;
//! # Ok(()) }
//! ```
//!
//! Module map: [`client`] (options, the `Client`), `flows` (one function per portal flow),
//! `transport` (HTTP, TLS, limits), `envelope` (DocSpace answer and error decoding),
//! `cookie` (`Set-Cookie` parsing), [`totp`] (RFC 6238 codes, base32, otpauth URIs),
//! [`error`], [`secret`], [`model`] (the values flows return), [`ffi`] (the C ABI).

pub mod client;
mod cookie;
mod envelope;
pub mod error;
pub mod ffi;
mod flows;
mod input;
pub mod model;
pub mod secret;
pub mod totp;
mod transport;

pub use client::{Client, ClientBuilder};
pub use error::{Error, ErrorKind, Result};
pub use model::{
    AppReset, AppSetup, AppValidation, BackupCode, Challenge, ConfirmType, LoginOutcome, Session, SmsChallenge,
    TfaMethod, TfaMethodSettings, TfaPolicy, TfaPolicyUpdate,
};
pub use secret::Secret;

/// The library version (`CARGO_PKG_VERSION`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Thin entry points to the private parsers, for the cargo-fuzz targets in `fuzz/` (feature
/// `fuzzing`). Not a stable API: never use it outside the fuzz targets.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing {
    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
    use serde::de::IgnoredAny;

    use crate::envelope::{decode, decode_required, error_for, Endpoint};
    use crate::transport::Response;
    use crate::{Error, Secret};

    const ENDPOINTS: [Endpoint; 12] = [
        Endpoint::Login,
        Endpoint::LoginWithCode,
        Endpoint::Logout,
        Endpoint::IsAuthenticated,
        Endpoint::Setup,
        Endpoint::Validate,
        Endpoint::BackupCodes,
        Endpoint::RegenerateBackupCodes,
        Endpoint::Policy,
        Endpoint::SetPolicy,
        Endpoint::ConfirmData,
        Endpoint::ResetApp,
    ];

    /// Feed one answer (`status`, an optional raw `Retry-After` header, `body`) to the envelope
    /// classifier of every endpoint and to the decoder with several payload types. Returns
    /// every error produced (12 classifications, then one per failed decode), for the caller
    /// to check their invariants.
    pub fn decode_envelope(body: &[u8], status: u16, retry_after: Option<&[u8]>) -> Vec<Error> {
        let mut headers = HeaderMap::new();
        if let Some(value) = retry_after.and_then(|v| HeaderValue::from_bytes(v).ok()) {
            headers.insert(RETRY_AFTER, value);
        }
        let answer = Response { status, headers, body: body.to_vec().into() };
        // The classifier for every endpoint; then each payload decoder once (the endpoint
        // only chooses how a failure is classified, covered by the first line).
        let mut errors: Vec<Error> = ENDPOINTS.iter().map(|&endpoint| error_for(endpoint, &answer)).collect();
        errors.extend(decode::<IgnoredAny>(Endpoint::Logout, &answer).err());
        errors.extend(decode_required::<bool>(Endpoint::Validate, &answer).err());
        errors.extend(decode_required::<Secret>(Endpoint::ResetApp, &answer).err());
        errors.extend(decode::<Vec<serde_json::Value>>(Endpoint::BackupCodes, &answer).err());
        errors.extend(decode::<std::collections::BTreeMap<String, Option<Secret>>>(Endpoint::Login, &answer).err());
        errors
    }

    /// `Set-Cookie` parsing: `(name, percent-decoded value)`, or `None` when it is refused.
    pub fn parse_set_cookie(header: &str) -> Option<(String, String)> {
        let cookie = crate::cookie::SetCookie::parse(header.as_bytes())?;
        Some((String::from_utf8_lossy(cookie.name).into_owned(), cookie.value()?.to_string()))
    }

    /// How a login token is written into the `Cookie` header (percent-encoded).
    pub fn encode_cookie_value(token: &str) -> String {
        crate::transport::percent_encode(token).to_string()
    }
}
