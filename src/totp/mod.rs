//! TOTP (RFC 6238) / HOTP (RFC 4226) codes, lenient base32 and `otpauth://` URIs.
//!
//! DocSpace issues 80-bit secrets (16 base32 characters) and uses HMAC-SHA1, 6 digits, 30 s;
//! those are the defaults here. SHA-256/512 and 7–8 digits are accepted for other issuers.
//!
//! - [`Totp`]: generate ([`Totp::code_at`], [`Totp::code_now`]) and verify
//!   ([`Totp::verify_at`], [`Totp::verify`]) codes; any secret of at least one byte is
//!   accepted, including DocSpace's 10-byte `tfaKey`. Generation does not allocate.
//! - [`code_at`] / [`code_now`]: one code straight from a base32 secret with DocSpace's
//!   parameters, nothing allocated.
//! - [`TotpCode`]: one code, inline, redacted in `Debug`.
//! - [`base32_encode`] / [`base32_decode`]: canonical output (upper case, no padding), lenient
//!   input (either case, whitespace, optional padding).
//! - [`OtpauthUri`]: build and tolerantly parse `otpauth://totp/…` key URIs.
//!
//! ```
//! use docspace_auth::totp::{Algorithm, OtpauthUri, Totp};
//!
//! // DocSpace's tfaKey / manualEntryKey, as the login answer or the setup page gives it.
//! let totp = Totp::new("LJVTCTSWGJYEOYSV")?;
//! assert_eq!(totp.code_at(1_767_225_600).as_str(), "157287");
//!
//! // A key URI from a QR code.
//! let uri = OtpauthUri::parse("otpauth://totp/ACME:ann@acme.test?secret=ljvt%20ctsw%20gjye%20oysv&algorithm=SHA-1")?;
//! assert_eq!(uri.totp.algorithm(), Algorithm::Sha1);
//! assert_eq!(uri.issuer.as_deref(), Some("ACME"));
//! # Ok::<(), docspace_auth::Error>(())
//! ```

mod base32;
mod code;
mod otpauth;

pub use base32::{base32_decode, base32_encode};
pub use code::{code_at, code_now, Algorithm, Totp, TotpCode};
pub use otpauth::OtpauthUri;
