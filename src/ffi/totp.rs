//! TOTP without network: one-shot functions on a base32 secret (DocSpace parameters) and the
//! parsed `docspace_totp` handle for other parameters and repeated use.

use std::ffi::c_char;

use super::boundary::{
    arg_opt_str, arg_str, arg_unix_time, c_string, c_string_opt, free_handle, handle_opt, handle_ref, new_handle,
    write_to_buffer, FfiError, FfiResult, Handle, Out,
};
use super::error::{docspace_error, with_error_out};
use super::result::{docspace_result, docspace_totp_algorithm};
use crate::totp::{self, Algorithm, OtpauthUri, Totp};

/// Size of a buffer that holds any TOTP code and its NUL (codes have 6 to 8 digits).
pub const DOCSPACE_TOTP_CODE_BUFFER_SIZE: usize = 16;

/// A parsed TOTP generator: secret, algorithm, digits and period. Parsing once makes
/// `docspace_totp_generate()` cheap (no allocation, two hash compressions per code). From
/// `docspace_totp_new()` or `docspace_totp_from_uri()`; free with `docspace_totp_free()` (the
/// secret and keyed state are wiped). Immutable: safe to use from several threads at once.
/// Corresponds to a `Box` of a `docspace_auth::totp::Totp`.
pub struct docspace_totp {
    _private: [u8; 0],
}

impl Handle for docspace_totp {
    type Inner = Totp;
}

fn algorithm_from(value: u32) -> Option<Algorithm> {
    match value {
        v if v == docspace_totp_algorithm::Sha1 as u32 => Some(Algorithm::Sha1),
        v if v == docspace_totp_algorithm::Sha256 as u32 => Some(Algorithm::Sha256),
        v if v == docspace_totp_algorithm::Sha512 as u32 => Some(Algorithm::Sha512),
        _ => None,
    }
}

fn parse_secret(secret_base32: *const c_char) -> FfiResult<Totp> {
    Ok(Totp::new(unsafe { arg_str(secret_base32, "secret_base32") }?)?)
}

/// Verify `code` at `unix_time` and write the outputs; shared by the one-shot and handle forms.
fn check(
    totp: &Totp,
    code: *const c_char,
    unix_time: i64,
    window: u32,
    matched_out: *mut bool,
    offset_out: *mut i32,
) -> FfiResult<()> {
    let code = unsafe { arg_str(code, "code") }?;
    let unix_time = arg_unix_time(unix_time)?;
    let matched = unsafe { Out::new(matched_out, "matched_out") }?;
    let offset = unsafe { Out::optional(offset_out) };
    let found = totp.verify_at(code, unix_time, window);
    matched.write(found.is_some());
    if let (Some(step), Some(offset)) = (found, offset) {
        // |step| <= MAX_WINDOW (10): always fits.
        offset.write(i32::try_from(step).unwrap_or_default());
    }
    Ok(())
}

/// Write how many seconds the code for `unix_time` stays current (at most the period, <= 3600).
fn write_seconds_remaining(totp: &Totp, unix_time: i64, seconds_out: *mut u32) -> FfiResult<()> {
    let unix_time = arg_unix_time(unix_time)?;
    let out = unsafe { Out::new(seconds_out, "seconds_out") }?;
    out.write(u32::try_from(totp.seconds_remaining_at(unix_time)).unwrap_or(u32::MAX));
    Ok(())
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

// Common to the functions below: on failure `*error_out` (if `error_out` is not NULL)
// receives a new `docspace_error` saying what is wrong (which base32 rule a secret breaks,
// which parameter is out of range...; never the secret itself), to free with
// `docspace_error_free()`. With `error_out` NULL nothing is allocated on failure.

/// The TOTP code at `unix_time` (seconds since 1970) for a base32 secret such as the portal's
/// `tfaKey` / manual entry key, with DocSpace's parameters (HMAC-SHA1, 6 digits, 30 s). The
/// secret is read leniently (either case, spaces, optional `=` padding). Allocates nothing on
/// success: the secret is decoded into a stack buffer that is wiped before returning (a
/// `docspace_totp` handle is still cheaper for many codes from one secret).
///
/// Writes the code and a NUL into `code_out` (`code_out_len` bytes; use
/// `DOCSPACE_TOTP_CODE_BUFFER_SIZE`). Returns OK, NULL_PARAMETER, INVALID_ARGUMENT (secret not
/// base32 or empty, negative time) or BUFFER_TOO_SMALL (nothing written); on failure
/// `*error_out` (if not NULL) receives the details. Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_totp_code_at(
    secret_base32: *const c_char,
    unix_time: i64,
    code_out: *mut c_char,
    code_out_len: usize,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        with_error_out(error_out, || {
            let unix_time = arg_unix_time(unix_time)?;
            let code = totp::code_at(unsafe { arg_str(secret_base32, "secret_base32") }?, unix_time)?;
            unsafe { write_to_buffer(code.as_str(), code_out, code_out_len, "code_out") }
        })
    }
}

/// `docspace_totp_code_at()` at the current system time. Before submitting a code, consider
/// `docspace_totp_seconds_remaining_at()`: a code sent in the last second of its step may
/// arrive after it expired (the portal accepts +/-10 steps, so this rarely matters).
/// Same arguments, results, `error_out` and NULL handling as `docspace_totp_code_at()`.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_totp_code_now(
    secret_base32: *const c_char,
    code_out: *mut c_char,
    code_out_len: usize,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        docspace_totp_code_at(secret_base32, now(), code_out, code_out_len, error_out)
    }
}

/// Check `code` against a base32 secret (DocSpace parameters) at `unix_time`, accepting codes
/// up to `window` steps (30 s each) before or after (clamped to 10; 1 is the usual choice).
/// Surrounding whitespace is ignored; the comparison is constant-time.
///
/// Returns OK whether or not the code matched: `*matched_out` says which. When it matched
/// and `offset_out` is not NULL, `*offset_out` is the step offset of the match (0 = current,
/// -1 = previous, ...); otherwise it is not written. Returns NULL_PARAMETER or INVALID_ARGUMENT
/// (bad secret, negative time) on errors, with the details in `*error_out` (if not NULL). A
/// malformed code is simply not matched.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_totp_verify_at(
    secret_base32: *const c_char,
    code: *const c_char,
    unix_time: i64,
    window: u32,
    matched_out: *mut bool,
    offset_out: *mut i32,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        with_error_out(error_out, || check(&parse_secret(secret_base32)?, code, unix_time, window, matched_out, offset_out))
    }
}

/// How many seconds the code of any TOTP generator with a step of `period_seconds` stays
/// current at `unix_time`: 1 to the period (the period exactly at the start of a step). No
/// secret needed; for DocSpace pass 30.
///
/// On success writes `*seconds_out`. Returns OK, NULL_PARAMETER or INVALID_ARGUMENT (negative
/// time, period not between 1 and 3600), with the details in `*error_out` (if not NULL).
/// Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_totp_seconds_remaining_at(
    unix_time: i64,
    period_seconds: u32,
    seconds_out: *mut u32,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        with_error_out(error_out, || {
            // The core has no period-only helper: a throwaway generator checks the period with
            // the core's own rule (and message), then counts the same way as every generator.
            let step = Totp::from_bytes(&[0], Algorithm::Sha1, Totp::DEFAULT_DIGITS, u64::from(period_seconds))?;
            write_seconds_remaining(&step, unix_time, seconds_out)
        })
    }
}

/// Parse a TOTP generator: base32 secret, `algorithm` (a `docspace_totp_algorithm`), `digits`
/// (6, 7 or 8) and `period_seconds` (1 to 3600). DocSpace uses SHA1, 6, 30.
///
/// On success `*totp_out` is a new handle the caller frees with `docspace_totp_free()`.
/// Returns OK, NULL_PARAMETER or INVALID_ARGUMENT (secret, algorithm, digits or period: the
/// `*error_out` message says which). Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_totp_new(
    secret_base32: *const c_char,
    algorithm: u32,
    digits: u32,
    period_seconds: u32,
    totp_out: *mut *mut docspace_totp,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        with_error_out(error_out, || {
            let secret = unsafe { arg_str(secret_base32, "secret_base32") }?;
            let out = unsafe { Out::new(totp_out, "totp_out") }?;
            let algorithm = algorithm_from(algorithm).ok_or_else(|| {
                FfiError::invalid("unknown docspace_totp_algorithm value: pass DOCSPACE_TOTP_ALGORITHM_SHA1, _SHA256 or _SHA512")
            })?;
            out.write(new_handle(Totp::with_params(secret, algorithm, digits, u64::from(period_seconds))?));
            Ok(())
        })
    }
}

/// Parse an `otpauth://totp/...` key URI (the text in an authenticator QR code), tolerating
/// what real issuers produce (`SHA-1`, issuer in label or parameter, lower-case secrets...).
///
/// On success `*totp_out` is a new handle (free with `docspace_totp_free()`). `issuer_out`
/// and `account_out` may be NULL when not wanted; otherwise they receive new strings (free
/// with `docspace_string_free()`), `*issuer_out` being NULL when the URI names no issuer and
/// `*account_out` possibly empty. Returns OK, NULL_PARAMETER or INVALID_ARGUMENT (not an
/// otpauth TOTP URI, bad secret or parameter, longer than 4096 bytes: the `*error_out`
/// message says which).
/// Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_totp_from_uri(
    uri: *const c_char,
    totp_out: *mut *mut docspace_totp,
    issuer_out: *mut *mut c_char,
    account_out: *mut *mut c_char,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        with_error_out(error_out, || {
            let uri = unsafe { arg_str(uri, "uri") }?;
            let out = unsafe { Out::new(totp_out, "totp_out") }?;
            let issuer = unsafe { Out::optional(issuer_out) };
            let account = unsafe { Out::optional(account_out) };
            let parsed = OtpauthUri::parse(uri)?;
            if parsed.account.contains('\0') || parsed.issuer.as_deref().is_some_and(|i| i.contains('\0')) {
                return Err(FfiError::invalid("the otpauth URI's issuer or account contains a NUL (%00)"));
            }
            let issuer_string = if issuer.is_some() { c_string_opt(parsed.issuer.as_deref())? } else { std::ptr::null_mut() };
            let account_string = match account {
                Some(_) => match c_string(&parsed.account) {
                    Ok(s) => s,
                    Err(e) => {
                        super::strings::docspace_string_free(issuer_string);
                        return Err(e);
                    }
                },
                None => std::ptr::null_mut(),
            };
            out.write(new_handle(parsed.totp));
            if let Some(issuer) = issuer {
                issuer.write(issuer_string);
            }
            if let Some(account) = account {
                account.write(account_string);
            }
            Ok(())
        })
    }
}

/// The code at `unix_time` (seconds since 1970): writes the digits and a NUL into `code_out`
/// (`code_out_len` bytes; use `DOCSPACE_TOTP_CODE_BUFFER_SIZE`). Does not allocate (unless it
/// fails with `error_out` not NULL). Returns OK, NULL_PARAMETER, INVALID_ARGUMENT (negative
/// time) or BUFFER_TOO_SMALL (nothing written); details in `*error_out` (if not NULL).
/// Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_totp_generate(
    totp: *const docspace_totp,
    unix_time: i64,
    code_out: *mut c_char,
    code_out_len: usize,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        with_error_out(error_out, || {
            let totp = unsafe { handle_ref::<docspace_totp>(totp, "totp") }?;
            let unix_time = arg_unix_time(unix_time)?;
            unsafe { write_to_buffer(totp.code_at(unix_time).as_str(), code_out, code_out_len, "code_out") }
        })
    }
}

/// `docspace_totp_verify_at()` with a parsed generator (its own digits and period).
/// Same results, `error_out` and NULL handling; `offset_out` may be NULL.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_totp_check(
    totp: *const docspace_totp,
    code: *const c_char,
    unix_time: i64,
    window: u32,
    matched_out: *mut bool,
    offset_out: *mut i32,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        with_error_out(error_out, || {
            check(unsafe { handle_ref::<docspace_totp>(totp, "totp") }?, code, unix_time, window, matched_out, offset_out)
        })
    }
}

/// How many seconds the code for `unix_time` stays current: 1 to the period (the period
/// exactly at the start of a step). Returns OK, NULL_PARAMETER or INVALID_ARGUMENT (negative
/// time); details in `*error_out` (if not NULL). See also `docspace_totp_seconds_remaining_at()`,
/// which needs no generator.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_totp_seconds_remaining(
    totp: *const docspace_totp,
    unix_time: i64,
    seconds_out: *mut u32,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        with_error_out(error_out, || {
            write_seconds_remaining(unsafe { handle_ref::<docspace_totp>(totp, "totp") }?, unix_time, seconds_out)
        })
    }
}

/// An `otpauth://totp/...` URI for the generator, with `issuer` (may be NULL or empty: none)
/// and `account` (e.g. the e-mail), for a QR code; `algorithm`, `digits` and `period` are
/// written only when they differ from SHA1 / 6 / 30. **Contains the secret.** On success
/// `*uri_out` is a new string (free with `docspace_string_free()`, which wipes it). Returns OK,
/// NULL_PARAMETER or INVALID_ARGUMENT (not UTF-8); details in `*error_out` (if not NULL).
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_totp_to_uri(
    totp: *const docspace_totp,
    issuer: *const c_char,
    account: *const c_char,
    uri_out: *mut *mut c_char,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        with_error_out(error_out, || {
            let totp = unsafe { handle_ref::<docspace_totp>(totp, "totp") }?;
            let issuer = unsafe { arg_opt_str(issuer, "issuer") }?;
            let account = unsafe { arg_str(account, "account") }?;
            let out = unsafe { Out::new(uri_out, "uri_out") }?;
            let uri = OtpauthUri::new(totp.clone(), issuer, account).to_uri();
            out.write(c_string(uri.expose())?);
            Ok(())
        })
    }
}

/// The generator's HMAC hash: SHA1, SHA256 or SHA512; `DOCSPACE_TOTP_ALGORITHM_INVALID` for a
/// NULL `totp`. (Named `_get_` because `docspace_totp_algorithm` is the enum's type name.)
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_totp_get_algorithm(totp: *const docspace_totp) -> docspace_totp_algorithm {
    ffi_boundary! {
        match unsafe { handle_opt::<docspace_totp>(totp) }.map(Totp::algorithm) {
            Some(Algorithm::Sha1) => docspace_totp_algorithm::Sha1,
            Some(Algorithm::Sha256) => docspace_totp_algorithm::Sha256,
            Some(Algorithm::Sha512) => docspace_totp_algorithm::Sha512,
            None => docspace_totp_algorithm::Invalid,
        }
    }
}

/// The generator's code length: 6, 7 or 8; 0 for a NULL `totp`.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_totp_digits(totp: *const docspace_totp) -> u32 {
    ffi_boundary! {
        unsafe { handle_opt::<docspace_totp>(totp) }.map_or(0, Totp::digits)
    }
}

/// The generator's step in seconds: 1 to 3600 (30 for DocSpace); 0 for a NULL `totp`.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_totp_period(totp: *const docspace_totp) -> u32 {
    ffi_boundary! {
        // At most 3600: always fits.
        unsafe { handle_opt::<docspace_totp>(totp) }.map_or(0, |t| u32::try_from(t.period()).unwrap_or(u32::MAX))
    }
}

/// Free a generator (secret and keyed state wiped). NULL is a no-op; do not free twice.
/// Must not race with other calls on the same handle.
#[no_mangle]
pub extern "C" fn docspace_totp_free(totp: *mut docspace_totp) {
    ffi_boundary! {
        unsafe { free_handle(totp) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;
    use std::ptr;

    fn code_at(secret: &CStr, t: i64) -> String {
        let mut buf = [0 as c_char; DOCSPACE_TOTP_CODE_BUFFER_SIZE];
        assert_eq!(
            docspace_totp_code_at(secret.as_ptr(), t, buf.as_mut_ptr(), buf.len(), ptr::null_mut()),
            docspace_result::Ok
        );
        unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap().to_owned()
    }

    #[test]
    fn contract_worked_example() {
        assert_eq!(code_at(c"LJVTCTSWGJYEOYSV", 1_767_225_600), "157287");
        assert_eq!(code_at(c"ljvt ctsw gjye oysv", 1_767_225_600), "157287");
    }

    #[test]
    fn rfc6238_sha1_vector() {
        // RFC 6238 appendix B, SHA1, 8 digits, seed "12345678901234567890".
        let mut totp = ptr::null_mut();
        let secret = c"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assert_eq!(docspace_totp_new(secret.as_ptr(), 0, 8, 30, &mut totp, ptr::null_mut()), docspace_result::Ok);
        let mut buf = [0 as c_char; DOCSPACE_TOTP_CODE_BUFFER_SIZE];
        let none = ptr::null_mut();
        assert_eq!(docspace_totp_generate(totp, 59, buf.as_mut_ptr(), buf.len(), none), docspace_result::Ok);
        assert_eq!(unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap(), "94287082");
        assert_eq!(docspace_totp_generate(totp, 59, buf.as_mut_ptr(), 8, none), docspace_result::BufferTooSmall);
        assert_eq!(
            docspace_totp_generate(totp, -1, buf.as_mut_ptr(), buf.len(), none),
            docspace_result::InvalidArgument
        );
        let (mut matched, mut offset) = (false, 99);
        assert_eq!(
            docspace_totp_check(totp, c"94287082".as_ptr(), 89, 1, &mut matched, &mut offset, none),
            docspace_result::Ok
        );
        assert!(matched);
        assert_eq!(offset, -1);
        assert_eq!(docspace_totp_get_algorithm(totp), docspace_totp_algorithm::Sha1);
        assert_eq!((docspace_totp_digits(totp), docspace_totp_period(totp)), (8, 30));
        docspace_totp_free(totp);
        assert_eq!(docspace_totp_new(secret.as_ptr(), 3, 6, 30, &mut totp, none), docspace_result::InvalidArgument);
        assert_eq!(docspace_totp_new(secret.as_ptr(), 255, 6, 30, &mut totp, none), docspace_result::InvalidArgument);
        assert_eq!(docspace_totp_get_algorithm(ptr::null()), docspace_totp_algorithm::Invalid);
        assert_eq!((docspace_totp_digits(ptr::null()), docspace_totp_period(ptr::null())), (0, 0));
    }

    /// Counts heap allocations per thread, to prove `docspace_totp_generate` makes none.
    mod counting {
        use std::alloc::{GlobalAlloc, Layout, System};
        use std::cell::Cell;

        pub struct Counting;

        thread_local! {
            pub static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
        }

        unsafe impl GlobalAlloc for Counting {
            unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
                let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
                System.alloc(layout)
            }
            unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
                System.dealloc(ptr, layout)
            }
        }

        #[global_allocator]
        static GLOBAL: Counting = Counting;
    }

    #[test]
    fn generate_does_not_allocate() {
        let mut totp = ptr::null_mut();
        let none = ptr::null_mut();
        assert_eq!(docspace_totp_new(c"LJVTCTSWGJYEOYSV".as_ptr(), 0, 6, 30, &mut totp, none), docspace_result::Ok);
        let mut buf = [0 as c_char; DOCSPACE_TOTP_CODE_BUFFER_SIZE];
        let before = counting::ALLOCATIONS.with(|n| n.get());
        for t in 0..1000 {
            assert_eq!(
                docspace_totp_generate(totp, 1_767_225_600 + t * 30, buf.as_mut_ptr(), buf.len(), none),
                docspace_result::Ok
            );
        }
        assert_eq!(docspace_totp_generate(totp, 0, buf.as_mut_ptr(), 3, none), docspace_result::BufferTooSmall);
        assert_eq!(
            docspace_totp_generate(ptr::null(), 0, buf.as_mut_ptr(), buf.len(), none),
            docspace_result::NullParameter
        );
        assert_eq!(counting::ALLOCATIONS.with(|n| n.get()), before);
        docspace_totp_free(totp);
    }

    #[test]
    fn uri_round_trip() {
        let mut totp = ptr::null_mut();
        let (mut issuer, mut account) = (ptr::null_mut(), ptr::null_mut());
        let uri = c"otpauth://totp/ACME:ann@acme.test?secret=LJVTCTSWGJYEOYSV&issuer=ACME";
        let none = ptr::null_mut();
        assert_eq!(
            docspace_totp_from_uri(uri.as_ptr(), &mut totp, &mut issuer, &mut account, none),
            docspace_result::Ok
        );
        assert_eq!(unsafe { CStr::from_ptr(issuer) }.to_str().unwrap(), "ACME");
        let mut back = ptr::null_mut();
        assert_eq!(docspace_totp_to_uri(totp, issuer, account, &mut back, none), docspace_result::Ok);
        assert_eq!(unsafe { CStr::from_ptr(back) }, uri);
        let nul = c"otpauth://totp/a%00b?secret=LJVTCTSWGJYEOYSV";
        let mut other = ptr::null_mut();
        assert_eq!(
            docspace_totp_from_uri(nul.as_ptr(), &mut other, ptr::null_mut(), &mut account, none),
            docspace_result::InvalidArgument
        );
        assert!(other.is_null());
        for s in [issuer, account, back] {
            crate::ffi::docspace_string_free(s);
        }
        docspace_totp_free(totp);
    }

    /// The message of the error a failing call wrote to `error_out`, and the error freed.
    fn message_of(call: impl FnOnce(*mut *mut docspace_error) -> docspace_result) -> (docspace_result, String) {
        let mut error = ptr::null_mut();
        let result = call(&mut error);
        assert!(!error.is_null(), "a failure writes error_out");
        let message = unsafe { CStr::from_ptr(crate::ffi::docspace_error_message(error)) }.to_str().unwrap().to_owned();
        assert_eq!(crate::ffi::docspace_error_result(error), result);
        crate::ffi::docspace_error_free(error);
        (result, message)
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let mut buf = [0 as c_char; DOCSPACE_TOTP_CODE_BUFFER_SIZE];
        let (r, m) = message_of(|e| docspace_totp_code_at(c"not base32!".as_ptr(), 0, buf.as_mut_ptr(), buf.len(), e));
        assert_eq!(r, docspace_result::InvalidArgument);
        assert!(m.contains("base32") && !m.contains("not base32!"), "{m}");
        let (r, m) = message_of(|e| docspace_totp_code_at(c"LJVTCTSWGJYEOYSV".as_ptr(), 0, buf.as_mut_ptr(), 3, e));
        assert_eq!(r, docspace_result::BufferTooSmall);
        assert!(m.contains("code_out"), "{m}");
        let mut totp = ptr::null_mut();
        let (_, m) = message_of(|e| docspace_totp_new(c"LJVTCTSWGJYEOYSV".as_ptr(), 0, 9, 30, &mut totp, e));
        assert!(m.contains("digits"), "{m}");
        let (_, m) = message_of(|e| docspace_totp_new(c"LJVTCTSWGJYEOYSV".as_ptr(), 0, 6, 0, &mut totp, e));
        assert!(m.contains("period"), "{m}");
        let (_, m) = message_of(|e| {
            docspace_totp_from_uri(c"https://x".as_ptr(), &mut totp, ptr::null_mut(), ptr::null_mut(), e)
        });
        assert!(m.contains("otpauth"), "{m}");
        assert!(totp.is_null());
        let mut seconds = 0;
        let (_, m) = message_of(|e| docspace_totp_seconds_remaining_at(0, 0, &mut seconds, e));
        assert!(m.contains("period"), "{m}");
        let (r, m) = message_of(|e| docspace_totp_seconds_remaining_at(-1, 30, &mut seconds, e));
        assert_eq!(r, docspace_result::InvalidArgument);
        assert!(m.contains("negative"), "{m}");
        let (r, _) = message_of(|e| docspace_totp_seconds_remaining_at(0, 30, ptr::null_mut(), e));
        assert_eq!(r, docspace_result::NullParameter);
        assert_eq!(seconds, 0, "nothing written on failure");
    }

    #[test]
    fn seconds_remaining_without_a_secret() {
        let mut seconds = 0;
        let none = ptr::null_mut();
        for (t, period, want) in [
            (1_767_225_600, 30, 30),
            (1_767_225_629, 30, 1),
            (1_767_225_600, 60, 60),
            (61, 60, 59),
            (0, 1, 1),
            (0, 3600, 3600),
        ] {
            assert_eq!(docspace_totp_seconds_remaining_at(t, period, &mut seconds, none), docspace_result::Ok);
            assert_eq!(seconds, want, "{t} / {period}");
        }
        assert_eq!(docspace_totp_seconds_remaining_at(0, 3601, &mut seconds, none), docspace_result::InvalidArgument);
    }
}
