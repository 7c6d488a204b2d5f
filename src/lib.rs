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
