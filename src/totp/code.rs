//! The TOTP core: [`Totp`] (RFC 6238 over RFC 4226 HOTP), [`TotpCode`] and [`Algorithm`].

use std::fmt;
use std::hint::black_box;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Sha256, Sha512};
use zeroize::Zeroizing;

use super::base32::{base32_decode, base32_decode_into, base32_encode, DecodedSecret, MAX_DECODED_LEN};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// Largest secret accepted, in bytes: what the longest base32 text accepted (1024 characters)
/// decodes to, so every [`Totp`] can be shown again with [`Totp::secret_base32`].
const MAX_SECRET_BYTES: usize = MAX_DECODED_LEN;

/// Largest period accepted, in seconds (one hour).
const MAX_PERIOD: u64 = 3600;

/// The HMAC hash function of a TOTP generator.
///
/// DocSpace (and most services) use [`Algorithm::Sha1`], the default. SHA-256 and SHA-512 are
/// the RFC 6238 variants some other issuers use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// HMAC-SHA1 (RFC 4226). DocSpace's algorithm and the `otpauth://` default.
    Sha1,
    /// HMAC-SHA256 (RFC 6238).
    Sha256,
    /// HMAC-SHA512 (RFC 6238).
    Sha512,
}

impl Algorithm {
    /// The name used in `otpauth://` URIs: `"SHA1"`, `"SHA256"` or `"SHA512"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }
}

/// An HMAC state already keyed with the secret (the inner and outer pads are hashed once),
/// so computing a code costs two hash-block compressions instead of four.
#[derive(Clone)]
enum MacState {
    Sha1(Hmac<Sha1>),
    Sha256(Hmac<Sha256>),
    Sha512(Hmac<Sha512>),
}

/// Owner of the keyed HMAC state; overwrites it when dropped.
#[derive(Clone)]
struct KeyedMac(MacState);

impl KeyedMac {
    fn new(secret: &[u8], algorithm: Algorithm) -> Result<KeyedMac> {
        // HMAC takes keys of any length, so these never fail; map the error anyway.
        let invalid = |_| Error::invalid_argument("the TOTP secret cannot be used as an HMAC key");
        let state = match algorithm {
            Algorithm::Sha1 => MacState::Sha1(<Hmac<Sha1> as KeyInit>::new_from_slice(secret).map_err(invalid)?),
            Algorithm::Sha256 => MacState::Sha256(<Hmac<Sha256> as KeyInit>::new_from_slice(secret).map_err(invalid)?),
            Algorithm::Sha512 => MacState::Sha512(<Hmac<Sha512> as KeyInit>::new_from_slice(secret).map_err(invalid)?),
        };
        Ok(KeyedMac(state))
    }
}

impl Drop for KeyedMac {
    fn drop(&mut self) {
        // The hmac 0.12 types cannot be zeroized, so overwrite the keyed state in place with
        // one of the same algorithm keyed by an all-zero key (a smaller variant would leave the
        // tail of a larger state behind); `black_box` keeps the store from being optimised away.
        // Each all-zero-key state is computed once: keying it on every drop cost two hash
        // compressions, a quarter of `docspace_totp_code_at`'s time (bench/, W4).
        static SHA1: OnceLock<Hmac<Sha1>> = OnceLock::new();
        static SHA256: OnceLock<Hmac<Sha256>> = OnceLock::new();
        static SHA512: OnceLock<Hmac<Sha512>> = OnceLock::new();
        self.0 = match self.0 {
            MacState::Sha1(_) => {
                MacState::Sha1(SHA1.get_or_init(|| <Hmac<Sha1> as KeyInit>::new(&Default::default())).clone())
            }
            MacState::Sha256(_) => {
                MacState::Sha256(SHA256.get_or_init(|| <Hmac<Sha256> as KeyInit>::new(&Default::default())).clone())
            }
            MacState::Sha512(_) => {
                MacState::Sha512(SHA512.get_or_init(|| <Hmac<Sha512> as KeyInit>::new(&Default::default())).clone())
            }
        };
        black_box(&self.0);
    }
}

/// HMAC of the 8-byte counter with a keyed state (consumed: pass a copy to keep one), then
/// RFC 4226 §5.3 dynamic truncation to a 31-bit number. Everything stays on the stack.
#[inline]
fn truncated_hmac<M: Mac>(mut mac: M, counter: &[u8; 8]) -> u32 {
    mac.update(counter);
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[hash.len() - 1] & 0x0f);
    u32::from_be_bytes([hash[offset], hash[offset + 1], hash[offset + 2], hash[offset + 3]]) & 0x7fff_ffff
}

/// Compare two byte strings without an early exit on the first difference.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    black_box(diff) == 0
}

/// Seconds since the Unix epoch from the system clock (0 if the clock is before 1970).
fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs())
}

/// A TOTP generator and verifier (RFC 6238): a secret, an [`Algorithm`], a code length and a
/// period.
///
/// [`Totp::new`] gives DocSpace's parameters: HMAC-SHA1, 6 digits, 30 seconds. Any secret of
/// at least one byte is accepted, including DocSpace's 80-bit (10-byte, 16 base32 characters)
/// `tfaKey`, which some other libraries refuse.
///
/// Secrets are protected: `Debug` prints `secret: ***`; the secret bytes are zeroed when the
/// value is dropped, and the pre-keyed HMAC state (kept so that each code costs two hash
/// compressions) is overwritten on drop. That last wipe is best effort: the hmac crate keeps
/// short-lived copies on the stack while a code is computed, which are not wiped.
///
/// `Totp` is `Send + Sync` and cheap to share: generating and verifying take `&self`.
///
/// ```
/// use docspace_auth::totp::Totp;
///
/// let totp = Totp::new("LJVT CTSW GJYE OYSV")?; // DocSpace's manualEntryKey, spaces allowed
/// assert_eq!(totp.code_at(1_767_225_600).as_str(), "157287");
/// assert_eq!(totp.verify_at("157287", 1_767_225_630, 1), Some(-1));
/// # Ok::<(), docspace_auth::Error>(())
/// ```
#[derive(Clone)]
pub struct Totp {
    secret: Zeroizing<Vec<u8>>,
    mac: Box<KeyedMac>,
    algorithm: Algorithm,
    digits: u32,
    period: u64,
}

impl Totp {
    /// The code length DocSpace (and the `otpauth://` format) use when none is given.
    pub const DEFAULT_DIGITS: u32 = 6;
    /// The time step DocSpace (and the `otpauth://` format) use when none is given, in seconds.
    pub const DEFAULT_PERIOD: u64 = 30;
    /// The largest verify window accepted, in steps each way; larger windows are clamped to
    /// it. DocSpace itself accepts ±10 steps (±5 minutes).
    pub const MAX_WINDOW: u32 = 10;

    /// A generator with DocSpace's parameters (HMAC-SHA1, 6 digits, 30 s) for a base32
    /// secret such as the portal's `tfaKey` / `manualEntryKey`.
    ///
    /// The base32 text is read leniently: either case, ASCII whitespace anywhere, optional
    /// `=` padding at the end (see [`base32_decode`](super::base32_decode)).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::error::ErrorKind::InvalidArgument) when the secret
    /// is empty, longer than 1024 characters or not base32. The message never contains the
    /// secret.
    pub fn new(secret_base32: &str) -> Result<Totp> {
        Totp::with_params(secret_base32, Algorithm::Sha1, Totp::DEFAULT_DIGITS, Totp::DEFAULT_PERIOD)
    }

    /// A generator with explicit parameters for a base32 secret (read as by [`Totp::new`]).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::error::ErrorKind::InvalidArgument) when the secret
    /// is unusable (as for [`Totp::new`]), `digits` is not 6, 7 or 8, or `period` is not
    /// between 1 and 3600 seconds.
    pub fn with_params(secret_base32: &str, algorithm: Algorithm, digits: u32, period: u64) -> Result<Totp> {
        check_params(digits, period)?;
        let secret = base32_decode(secret_base32)?;
        Totp::from_secret(secret, algorithm, digits, period)
    }

    /// A generator for raw secret bytes (for example DocSpace's 10 ASCII key bytes). The bytes
    /// are copied into a buffer that is zeroed on drop.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::error::ErrorKind::InvalidArgument) when `secret`
    /// is empty or longer than 640 bytes (what 1024 base32 characters encode), `digits` is not
    /// 6, 7 or 8, or `period` is not between 1 and 3600 seconds.
    pub fn from_bytes(secret: &[u8], algorithm: Algorithm, digits: u32, period: u64) -> Result<Totp> {
        check_params(digits, period)?;
        Totp::from_secret(Zeroizing::new(secret.to_vec()), algorithm, digits, period)
    }

    /// Shared tail of the constructors; `digits` and `period` are already checked.
    fn from_secret(secret: Zeroizing<Vec<u8>>, algorithm: Algorithm, digits: u32, period: u64) -> Result<Totp> {
        if secret.is_empty() {
            return Err(Error::invalid_argument("the TOTP secret is empty"));
        }
        if secret.len() > MAX_SECRET_BYTES {
            return Err(Error::invalid_argument(format!(
                "the TOTP secret is too long (more than {MAX_SECRET_BYTES} bytes)"
            )));
        }
        let mac = Box::new(KeyedMac::new(&secret, algorithm)?);
        Ok(Totp { secret, mac, algorithm, digits, period })
    }

    /// The HMAC hash function.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The code length: 6, 7 or 8.
    pub fn digits(&self) -> u32 {
        self.digits
    }

    /// The time step in seconds (1..=3600).
    pub fn period(&self) -> u64 {
        self.period
    }

    /// The secret as canonical base32: upper case, no spaces, no `=` padding (DocSpace's
    /// `manualEntryKey` form).
    #[must_use]
    pub fn secret_base32(&self) -> Secret {
        Secret::new(base32_encode(&self.secret))
    }

    /// The HOTP value (RFC 4226) for a counter. Allocation-free.
    pub(crate) fn hotp(&self, counter: u64) -> TotpCode {
        let message = counter.to_be_bytes();
        let value = match &self.mac.0 {
            MacState::Sha1(keyed) => truncated_hmac(keyed.clone(), &message),
            MacState::Sha256(keyed) => truncated_hmac(keyed.clone(), &message),
            MacState::Sha512(keyed) => truncated_hmac(keyed.clone(), &message),
        };
        TotpCode::from_value(value, self.digits)
    }

    /// The code for a moment given in seconds since the Unix epoch: HOTP over the counter
    /// `unix_time / period`, zero-padded to [`digits`](Totp::digits). Allocation-free.
    #[must_use]
    pub fn code_at(&self, unix_time: u64) -> TotpCode {
        self.hotp(unix_time / self.period)
    }

    /// The code for the current system time.
    #[must_use]
    pub fn code_now(&self) -> TotpCode {
        self.code_at(unix_now())
    }

    /// How many seconds the code for `unix_time` stays current: `1..=period`
    /// (`period` exactly at the start of a step).
    pub fn seconds_remaining_at(&self, unix_time: u64) -> u64 {
        self.period - unix_time % self.period
    }

    /// How many seconds the current code stays current: `1..=period`.
    pub fn seconds_remaining(&self) -> u64 {
        self.seconds_remaining_at(unix_now())
    }

    /// Returns `Some(step offset)` of the matching code within ±`window` steps (0 = current
    /// step, -1 = previous…), checking offset 0 first then ±1, ±2…; `None` if no match or the
    /// code is malformed. Trims surrounding whitespace like the server. Constant-time
    /// comparison of the digits.
    ///
    /// Details:
    /// - For each distance the past step (`-k`) is checked before the future one (`+k`).
    /// - `window` is in steps each way and is clamped to [`Totp::MAX_WINDOW`] (10, DocSpace's
    ///   own tolerance); 0 checks the current step only. A window of 1 is the usual choice
    ///   for authenticator apps.
    /// - Steps before the Unix epoch (counter below 0) are skipped, as are steps past the
    ///   largest counter.
    /// - A code whose length is not [`digits`](Totp::digits), or that has anything but ASCII
    ///   digits between the surrounding whitespace, gives `None` without computing anything.
    /// - There is no replay protection (DocSpace has none either): keep the returned step
    ///   (`unix_time / period + offset`) and refuse steps already used if you need it.
    #[must_use]
    pub fn verify_at(&self, code: &str, unix_time: u64, window: u32) -> Option<i64> {
        let candidate = code.trim().as_bytes();
        if candidate.len() != self.digits as usize || !candidate.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let counter = unix_time / self.period;
        if constant_time_eq(self.hotp(counter).as_bytes(), candidate) {
            return Some(0);
        }
        for distance in 1..=window.min(Totp::MAX_WINDOW) {
            let step = u64::from(distance);
            if let Some(past) = counter.checked_sub(step) {
                if constant_time_eq(self.hotp(past).as_bytes(), candidate) {
                    return Some(-i64::from(distance));
                }
            }
            if let Some(future) = counter.checked_add(step) {
                if constant_time_eq(self.hotp(future).as_bytes(), candidate) {
                    return Some(i64::from(distance));
                }
            }
        }
        None
    }

    /// [`Totp::verify_at`] at the current system time.
    #[must_use]
    pub fn verify(&self, code: &str, window: u32) -> Option<i64> {
        self.verify_at(code, unix_now(), window)
    }
}

/// The code at `unix_time` (seconds since the Unix epoch) for a base32 secret, with DocSpace's
/// parameters (HMAC-SHA1, 6 digits, 30 s), without building a [`Totp`]: the secret is
/// decoded into a stack buffer that is wiped afterwards and nothing is allocated (the hmac
/// crate's short-lived stack copies of the keyed state are not wiped, as for [`Totp`]). For one code
/// from a secret held as text; keep a [`Totp`] to make many. The secret is read as by
/// [`Totp::new`].
///
/// ```
/// assert_eq!(docspace_auth::totp::code_at("LJVT CTSW GJYE OYSV", 1_767_225_600)?.as_str(), "157287");
/// # Ok::<(), docspace_auth::Error>(())
/// ```
///
/// # Errors
///
/// [`ErrorKind::InvalidArgument`](crate::error::ErrorKind::InvalidArgument) as for
/// [`Totp::new`]; the message never contains the secret.
pub fn code_at(secret_base32: &str, unix_time: u64) -> Result<TotpCode> {
    let mut secret = DecodedSecret::new();
    base32_decode_into(secret_base32, &mut secret)?;
    // HMAC takes keys of any length; the decoder refuses empty secrets.
    let mac = <Hmac<Sha1> as KeyInit>::new_from_slice(secret.as_slice())
        .map_err(|_| Error::invalid_argument("the TOTP secret cannot be used as an HMAC key"))?;
    let counter = unix_time / Totp::DEFAULT_PERIOD;
    Ok(TotpCode::from_value(truncated_hmac(mac, &counter.to_be_bytes()), Totp::DEFAULT_DIGITS))
}

/// [`code_at`] for the current system time.
///
/// # Errors
///
/// As for [`code_at`].
pub fn code_now(secret_base32: &str) -> Result<TotpCode> {
    code_at(secret_base32, unix_now())
}

/// Validate the code length and period shared by every constructor.
fn check_params(digits: u32, period: u64) -> Result<()> {
    if !(6..=8).contains(&digits) {
        return Err(Error::invalid_argument("TOTP codes must have 6, 7 or 8 digits"));
    }
    if !(1..=MAX_PERIOD).contains(&period) {
        return Err(Error::invalid_argument(format!("the TOTP period must be between 1 and {MAX_PERIOD} seconds")));
    }
    Ok(())
}

impl fmt::Debug for Totp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Totp")
            .field("secret", &format_args!("***"))
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .field("period", &self.period)
            .finish()
    }
}

/// One TOTP code: 6 to 8 ASCII digits, kept inline (no heap).
///
/// [`TotpCode::as_str`] and `Display` give the digits, for sending; `Debug` prints
/// `TotpCode(******)` so a code does not end up in logs by accident. Equality compares in
/// constant time.
#[derive(Clone, Copy)]
pub struct TotpCode {
    digits: [u8; 10],
    len: u8,
}

impl TotpCode {
    /// Format the low `digits` decimal digits of `value`, zero-padded. `digits` is 6..=8
    /// (checked by every constructor).
    fn from_value(value: u32, digits: u32) -> TotpCode {
        let len = digits as usize;
        // Constant divisors compile to multiplications (a hardware divide is the slowest step
        // after the hash).
        let mut rest = match digits {
            6 => value % 1_000_000,
            7 => value % 10_000_000,
            _ => value % 100_000_000, // 8: the constructors admit only 6..=8
        };
        let mut code = TotpCode { digits: [0; 10], len: digits as u8 };
        for slot in code.digits[..len].iter_mut().rev() {
            *slot = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        code
    }

    /// The code's digits as ASCII bytes.
    fn as_bytes(&self) -> &[u8] {
        &self.digits[..usize::from(self.len)]
    }

    /// The code's digits, e.g. `"012345"`.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored, so this cannot fail.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}

impl fmt::Display for TotpCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl fmt::Debug for TotpCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpCode(******)")
    }
}

impl PartialEq for TotpCode {
    fn eq(&self, other: &TotpCode) -> bool {
        constant_time_eq(self.as_bytes(), other.as_bytes())
    }
}

impl Eq for TotpCode {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const SEED_SHA1: &[u8] = b"12345678901234567890";
    const SEED_SHA256: &[u8] = b"12345678901234567890123456789012";
    const SEED_SHA512: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

    /// RFC 6238 Appendix B: (time, SHA1, SHA256, SHA512), 8 digits, 30 s.
    const RFC6238: [(u64, &str, &str, &str); 6] = [
        (59, "94287082", "46119246", "90693936"),
        (1_111_111_109, "07081804", "68084774", "25091201"),
        (1_111_111_111, "14050471", "67062674", "99943326"),
        (1_234_567_890, "89005924", "91819424", "93441116"),
        (2_000_000_000, "69279037", "90698825", "38618901"),
        (20_000_000_000, "65353130", "77737706", "47863826"),
    ];

    /// RFC 4226 Appendix D: HOTP values for counters 0..=9 (SHA1, 6 digits).
    const RFC4226: [&str; 10] =
        ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];

    fn docspace() -> Totp {
        Totp::new("LJVTCTSWGJYEOYSV").unwrap()
    }

    #[test]
    fn rfc6238_appendix_b() {
        let sha1 = Totp::from_bytes(SEED_SHA1, Algorithm::Sha1, 8, 30).unwrap();
        let sha256 = Totp::from_bytes(SEED_SHA256, Algorithm::Sha256, 8, 30).unwrap();
        let sha512 = Totp::from_bytes(SEED_SHA512, Algorithm::Sha512, 8, 30).unwrap();
        for (time, c1, c256, c512) in RFC6238 {
            assert_eq!(sha1.code_at(time).as_str(), c1, "SHA1 at {time}");
            assert_eq!(sha256.code_at(time).as_str(), c256, "SHA256 at {time}");
            assert_eq!(sha512.code_at(time).as_str(), c512, "SHA512 at {time}");
            assert_eq!(sha1.verify_at(c1, time, 0), Some(0));
            assert_eq!(sha256.verify_at(c256, time, 0), Some(0));
            assert_eq!(sha512.verify_at(c512, time, 0), Some(0));
        }
    }

    #[test]
    fn one_shot_codes_match_the_generator() {
        for secret in ["LJVTCTSWGJYEOYSV", "ljvt ctsw gjye oysv", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "MZ", "MZXW6YQ="]
        {
            let totp = Totp::new(secret).unwrap();
            for time in [0, 59, 1_767_225_600, 20_000_000_000, u64::MAX] {
                assert_eq!(code_at(secret, time).unwrap(), totp.code_at(time), "{secret} at {time}");
            }
        }
        let long = "A".repeat(1024);
        assert_eq!(code_at(&long, 59).unwrap(), Totp::new(&long).unwrap().code_at(59), "key longer than a block");
        assert_eq!(code_now("LJVTCTSWGJYEOYSV").unwrap().as_str().len(), 6);
        for bad in ["", "LJVT1", "MZX", "=MZ", &"A".repeat(1025)] {
            let one_shot = code_at(bad, 59).unwrap_err();
            assert_eq!(one_shot.message(), Totp::new(bad).unwrap_err().message(), "{bad:?}");
            assert_eq!(one_shot.kind(), ErrorKind::InvalidArgument);
        }
    }

    #[test]
    fn rfc6238_vectors_through_base32() {
        let secret = base32_encode(SEED_SHA256);
        let totp = Totp::with_params(&secret.to_lowercase(), Algorithm::Sha256, 8, 30).unwrap();
        assert_eq!(totp.code_at(59).as_str(), "46119246");
    }

    #[test]
    fn rfc4226_appendix_d() {
        let hotp = Totp::from_bytes(SEED_SHA1, Algorithm::Sha1, 6, 30).unwrap();
        for (counter, expected) in RFC4226.iter().enumerate() {
            let counter = counter as u64;
            assert_eq!(hotp.hotp(counter).as_str(), *expected, "counter {counter}");
            // The same values through time arithmetic: any moment of step `counter`.
            assert_eq!(hotp.code_at(counter * 30).as_str(), *expected);
            assert_eq!(hotp.code_at(counter * 30 + 29).as_str(), *expected);
        }
        // With a 1-second period the counter is the time itself.
        let per_second = Totp::from_bytes(SEED_SHA1, Algorithm::Sha1, 6, 1).unwrap();
        for (counter, expected) in RFC4226.iter().enumerate() {
            assert_eq!(per_second.code_at(counter as u64).as_str(), *expected);
        }
    }

    #[test]
    fn docspace_contract_example() {
        let totp = docspace();
        assert_eq!(totp.algorithm(), Algorithm::Sha1);
        assert_eq!(totp.digits(), 6);
        assert_eq!(totp.period(), 30);
        assert_eq!(totp.secret_base32().expose(), "LJVTCTSWGJYEOYSV");
        assert_eq!(totp.code_at(1_767_225_600).as_str(), "157287");
        // Same from the raw 10 ASCII key bytes DocSpace derives.
        let raw = Totp::from_bytes(b"Zk1NV2pGbU", Algorithm::Sha1, 6, 30).unwrap();
        assert_eq!(raw.code_at(1_767_225_600).as_str(), "157287");
        assert_eq!(raw.secret_base32().expose(), "LJVTCTSWGJYEOYSV");
    }

    #[test]
    fn lenient_secret_input_is_canonicalised() {
        for text in ["ljvtctswgjyeoysv", " LJVT CTSW GJYE OYSV ", "LJVTCTSWGJYEOYSV\n", "\tLjVtCtSw\nGjYeOySv"] {
            let totp = Totp::new(text).unwrap();
            assert_eq!(totp.secret_base32().expose(), "LJVTCTSWGJYEOYSV", "{text:?}");
            assert_eq!(totp.code_at(1_767_225_600).as_str(), "157287");
        }
    }

    #[test]
    fn codes_are_zero_padded_and_sized() {
        // RFC 6238 at 1111111109 is "07081804": the leading zero is kept.
        let totp = Totp::from_bytes(SEED_SHA1, Algorithm::Sha1, 8, 30).unwrap();
        assert_eq!(totp.code_at(1_111_111_109).as_str(), "07081804");
        let seven = Totp::from_bytes(SEED_SHA1, Algorithm::Sha1, 7, 30).unwrap();
        assert_eq!(seven.code_at(1_111_111_109).as_str(), "7081804");
        let six = Totp::from_bytes(SEED_SHA1, Algorithm::Sha1, 6, 30).unwrap();
        assert_eq!(six.code_at(1_111_111_109).as_str(), "081804");
        assert_eq!(TotpCode::from_value(42, 6).as_str(), "000042");
        assert_eq!(TotpCode::from_value(u32::MAX >> 1, 8).as_str(), "47483647");
    }

    #[test]
    fn rejects_bad_parameters() {
        for digits in [0, 1, 5, 9, 10, u32::MAX] {
            let err = Totp::with_params("LJVTCTSWGJYEOYSV", Algorithm::Sha1, digits, 30).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "digits {digits}");
            assert!(Totp::from_bytes(b"x", Algorithm::Sha1, digits, 30).is_err());
        }
        for period in [0, 3601, u64::MAX] {
            let err = Totp::with_params("LJVTCTSWGJYEOYSV", Algorithm::Sha1, 6, period).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "period {period}");
        }
        assert!(Totp::with_params("LJVTCTSWGJYEOYSV", Algorithm::Sha512, 8, 3600).is_ok());
        assert!(Totp::with_params("LJVTCTSWGJYEOYSV", Algorithm::Sha256, 7, 1).is_ok());
    }

    #[test]
    fn rejects_bad_secrets_without_echoing_them() {
        assert_eq!(Totp::from_bytes(b"", Algorithm::Sha1, 6, 30).unwrap_err().kind(), ErrorKind::InvalidArgument);
        assert!(Totp::from_bytes(&[7; MAX_SECRET_BYTES], Algorithm::Sha1, 6, 30).is_ok());
        assert!(Totp::from_bytes(&[7; MAX_SECRET_BYTES + 1], Algorithm::Sha1, 6, 30).is_err());
        assert!(Totp::from_bytes(&[0], Algorithm::Sha1, 6, 30).is_ok(), "1 byte is enough");
        for text in ["", "  ", "LJVTCTSWGJYEOYS1", "LJVTCTSWGJYEOYSVA", "LJVT=CTSWGJYEOYSV", "LJVTCTSWGJYEOYSV="] {
            let err = Totp::new(text).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{text:?}");
            assert!(!err.message().contains("LJVT"), "{}", err.message());
            assert!(!format!("{err:?}").contains("LJVT"));
        }
    }

    #[test]
    fn verify_offsets() {
        let totp = docspace();
        let t = 1_767_225_600; // start of a step
        let code = |step: i64| totp.code_at((t as i64 + step * 30) as u64);
        assert_eq!(totp.verify_at(code(0).as_str(), t, 1), Some(0));
        assert_eq!(totp.verify_at(code(0).as_str(), t + 29, 0), Some(0));
        assert_eq!(totp.verify_at(code(-1).as_str(), t, 1), Some(-1));
        assert_eq!(totp.verify_at(code(1).as_str(), t, 1), Some(1));
        assert_eq!(totp.verify_at(code(-1).as_str(), t, 0), None);
        assert_eq!(totp.verify_at(code(2).as_str(), t, 1), None);
        assert_eq!(totp.verify_at(code(2).as_str(), t, 2), Some(2));
        assert_eq!(totp.verify_at(code(-10).as_str(), t, 10), Some(-10));
        assert_eq!(totp.verify_at(code(10).as_str(), t, 10), Some(10));
        // The step found is the one of the code: code(-1) checked one step later is at -2.
        assert_eq!(totp.verify_at(code(-1).as_str(), t + 30, 3), Some(-2));
    }

    #[test]
    fn verify_checks_current_step_first_then_past() {
        // With a 1-second period the counter is the time, so RFC 4226 gives every neighbour.
        let totp = Totp::from_bytes(SEED_SHA1, Algorithm::Sha1, 6, 1).unwrap();
        // At time 5, counter 5 is current; RFC 4226 gives each neighbour's code.
        assert_eq!(totp.verify_at("254676", 5, 3), Some(0));
        assert_eq!(totp.verify_at("338314", 5, 3), Some(-1));
        assert_eq!(totp.verify_at("287922", 5, 3), Some(1));
        assert_eq!(totp.verify_at("755224", 5, 5), Some(-5));
        assert_eq!(totp.verify_at("520489", 5, 4), Some(4));
        assert_eq!(totp.verify_at("520489", 5, 3), None);
    }

    #[test]
    fn verify_window_is_clamped() {
        let totp = docspace();
        let t = 1_767_225_600;
        let far_past = totp.code_at(t - 11 * 30);
        let far_future = totp.code_at(t + 11 * 30);
        let edge = totp.code_at(t - 10 * 30);
        assert_eq!(totp.verify_at(edge.as_str(), t, u32::MAX), Some(-10));
        assert_eq!(totp.verify_at(far_past.as_str(), t, 11), None);
        assert_eq!(totp.verify_at(far_past.as_str(), t, u32::MAX), None);
        assert_eq!(totp.verify_at(far_future.as_str(), t, 100), None);
    }

    #[test]
    fn verify_near_time_zero_skips_negative_counters() {
        let totp = Totp::from_bytes(SEED_SHA1, Algorithm::Sha1, 6, 30).unwrap();
        // At t = 0..29 the counter is 0; nothing before it exists.
        assert_eq!(totp.verify_at("755224", 0, 10), Some(0));
        assert_eq!(totp.verify_at("287082", 0, 10), Some(1));
        assert_eq!(totp.verify_at("755224", 45, 10), Some(-1));
        assert_eq!(totp.verify_at("755224", 29, 0), Some(0));
        // A code from "counter -1" cannot exist; an unrelated code is simply not found.
        assert_eq!(totp.verify_at("000000", 0, 10), None);
        // Far end: counters past u64::MAX are skipped, not wrapped.
        let max = totp.code_at(u64::MAX);
        assert_eq!(totp.verify_at(max.as_str(), u64::MAX, 10), Some(0));
        let per_second = Totp::from_bytes(SEED_SHA1, Algorithm::Sha1, 6, 1).unwrap();
        assert_eq!(per_second.verify_at("755224", u64::MAX, 10), None, "no wrap to counter 0");
    }

    #[test]
    fn verify_trims_and_rejects_malformed_codes() {
        let totp = docspace();
        let t = 1_767_225_600;
        assert_eq!(totp.verify_at(" 157287 ", t, 0), Some(0));
        assert_eq!(totp.verify_at("\t157287\r\n", t, 0), Some(0));
        for bad in
            ["", "      ", "15728", "1572870", "157 287", "15728a", "+57287", "-57287", "１５７２８７", "157287x"]
        {
            assert_eq!(totp.verify_at(bad, t, 10), None, "{bad:?}");
        }
        assert_eq!(totp.verify_at("157288", t, 0), None);
    }

    #[test]
    fn seconds_remaining() {
        let totp = docspace();
        assert_eq!(totp.seconds_remaining_at(0), 30);
        assert_eq!(totp.seconds_remaining_at(1), 29);
        assert_eq!(totp.seconds_remaining_at(29), 1);
        assert_eq!(totp.seconds_remaining_at(30), 30);
        assert_eq!(totp.seconds_remaining_at(1_767_225_615), 15);
        assert_eq!(totp.seconds_remaining_at(u64::MAX), 30 - u64::MAX % 30);
        let per_second = Totp::from_bytes(b"k", Algorithm::Sha1, 6, 1).unwrap();
        assert_eq!(per_second.seconds_remaining_at(12_345), 1);
        let now = totp.seconds_remaining();
        assert!((1..=30).contains(&now));
    }

    #[test]
    fn code_now_matches_clock() {
        let totp = docspace();
        let before = unix_now();
        let code = totp.code_now();
        let after = unix_now();
        assert!(code == totp.code_at(before) || code == totp.code_at(after));
        assert!(totp.verify(code.as_str(), 1).is_some());
    }

    #[test]
    fn totp_code_traits() {
        let code = TotpCode::from_value(157_287, 6);
        assert_eq!(code.as_str(), "157287");
        assert_eq!(code.to_string(), "157287");
        assert_eq!(format!("{code:>8}"), "  157287");
        assert_eq!(format!("{code:?}"), "TotpCode(******)");
        assert_eq!(format!("{:?}", TotpCode::from_value(1, 8)), "TotpCode(******)");
        let copy = code;
        assert_eq!(copy, code);
        assert_ne!(code, TotpCode::from_value(157_288, 6));
        assert_ne!(TotpCode::from_value(1, 6), TotpCode::from_value(1, 7));
    }

    #[test]
    fn totp_debug_and_clone_hide_secret() {
        let totp = docspace();
        let debug = format!("{totp:?}");
        assert_eq!(debug, "Totp { secret: ***, algorithm: Sha1, digits: 6, period: 30 }");
        let pretty = format!("{totp:#?}");
        for needle in ["LJVT", "ljvt", "Zk1N", "90, 107"] {
            assert!(!debug.contains(needle) && !pretty.contains(needle), "{needle}");
        }
        let clone = totp.clone();
        drop(totp);
        assert_eq!(clone.code_at(1_767_225_600).as_str(), "157287");
        assert_eq!(format!("{:?}", clone.secret_base32()), "Secret(***)");
    }

    #[test]
    fn algorithm_names() {
        assert_eq!(Algorithm::Sha1.as_str(), "SHA1");
        assert_eq!(Algorithm::Sha256.as_str(), "SHA256");
        assert_eq!(Algorithm::Sha512.as_str(), "SHA512");
    }

    #[test]
    fn totp_is_send_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Totp>();
        assert_send_sync::<TotpCode>();
    }

    #[test]
    fn long_keys_are_hashed_like_hmac() {
        // Keys longer than the hash block are hashed first (RFC 2104); the pre-keyed state
        // must behave exactly like keying each time.
        let key = [0x5a_u8; 200];
        for algorithm in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
            let totp = Totp::from_bytes(&key, algorithm, 8, 30).unwrap();
            let expected = match algorithm {
                Algorithm::Sha1 => {
                    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(&key).unwrap();
                    mac.update(&42u64.to_be_bytes());
                    dynamic(&mac.finalize().into_bytes())
                }
                Algorithm::Sha256 => {
                    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).unwrap();
                    mac.update(&42u64.to_be_bytes());
                    dynamic(&mac.finalize().into_bytes())
                }
                Algorithm::Sha512 => {
                    let mut mac = <Hmac<Sha512> as KeyInit>::new_from_slice(&key).unwrap();
                    mac.update(&42u64.to_be_bytes());
                    dynamic(&mac.finalize().into_bytes())
                }
            };
            assert_eq!(totp.code_at(42 * 30).as_str(), format!("{:08}", expected % 100_000_000));
            // Repeated use of the keyed state gives the same answer (the state is cloned).
            assert_eq!(totp.code_at(42 * 30), totp.code_at(42 * 30 + 1));
        }

        fn dynamic(hash: &[u8]) -> u32 {
            let offset = (hash[hash.len() - 1] & 0x0f) as usize;
            u32::from_be_bytes(hash[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff
        }
    }
}
