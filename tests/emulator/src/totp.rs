//! The server side of the authenticator app (CONTRACT.md §4): secret derivation, base32, and
//! RFC 6238 TOTP validation with the GoogleAuthenticator parameters DocSpace uses.
//!
//! Written independently of the client crate on purpose: the two must agree only through the
//! RFC, so a bug in either shows up in the cross-language tests.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// Length of the key the server derives, in bytes (it is ASCII text used as raw bytes).
pub(crate) const SECRET_LEN: usize = 10;
const PERIOD_SECS: i64 = 30;
const DIGITS: u32 = 6;
/// ±5 minutes: GoogleAuthenticator's `DefaultClockDriftTolerance` divided by the period.
const DRIFT_STEPS: i64 = 10;

/// `Base64Url(UTF8(Base64(SHA256(UTF8(salt + machineKey)))))[..10]`: the salt is written in
/// decimal and followed by the machine key bytes.
pub(crate) fn derive_secret(salt: i64, machine_key: &[u8]) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(salt.to_string().as_bytes());
    hasher.update(machine_key);
    let inner = STANDARD.encode(hasher.finalize());
    let mut outer = URL_SAFE_NO_PAD.encode(inner.as_bytes()).into_bytes();
    outer.truncate(SECRET_LEN);
    outer
}

/// RFC 4648 base32, upper case, no padding (10 bytes give the 16-char manual entry key).
pub(crate) fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// HOTP (RFC 4226) with HMAC-SHA1 and 6 digits.
fn hotp(secret: &[u8], counter: u64) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[hash.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([hash[offset] & 0x7f, hash[offset + 1], hash[offset + 2], hash[offset + 3]]);
    format!("{:06}", binary % 10u32.pow(DIGITS))
}

/// The code for the 30-second step containing `unix_secs`.
pub(crate) fn code_at(secret: &[u8], unix_secs: i64) -> String {
    hotp(secret, unix_secs.div_euclid(PERIOD_SECS).max(0) as u64)
}

/// Accepts any code of the 21 steps around `unix_secs`, after trimming whitespace.
/// No replay cache: the real server has none either.
pub(crate) fn verify(secret: &[u8], code: &str, unix_secs: i64) -> bool {
    let code = code.trim();
    let step = unix_secs.div_euclid(PERIOD_SECS);
    (step - DRIFT_STEPS..=step + DRIFT_STEPS).filter(|s| *s >= 0).any(|s| hotp(secret, s as u64) == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_worked_example() {
        let secret = b"Zk1NV2pGbU";
        assert_eq!(base32(secret), "LJVTCTSWGJYEOYSV");
        assert_eq!(code_at(secret, 1_767_225_600), "157287");
        assert!(verify(secret, " 157287\n", 1_767_225_600));
    }

    #[test]
    fn rfc6238_sha1_vectors_truncated_to_six_digits() {
        let secret = b"12345678901234567890";
        for (t, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ] {
            assert_eq!(code_at(secret, t), code, "t={t}");
        }
    }

    #[test]
    fn rfc4648_base32_vectors() {
        for (input, expected) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32(input.as_bytes()), expected);
        }
    }

    #[test]
    fn window_is_ten_steps_each_way() {
        let secret = b"Zk1NV2pGbU";
        let t = 1_767_225_600;
        let code = code_at(secret, t);
        assert!(verify(secret, &code, t + 300));
        assert!(verify(secret, &code, t - 300));
        assert!(!verify(secret, &code, t + 330));
        assert!(!verify(secret, &code, t - 330));
    }

    #[test]
    fn derived_secret_is_ten_url_safe_ascii_bytes() {
        let a = derive_secret(123_456_789, b"machine");
        assert_eq!(a.len(), SECRET_LEN);
        assert!(a.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'));
        assert_eq!(a, derive_secret(123_456_789, b"machine"));
        assert_ne!(a, derive_secret(123_456_790, b"machine"));
        assert_ne!(a, derive_secret(123_456_789, b"other"));
    }
}
