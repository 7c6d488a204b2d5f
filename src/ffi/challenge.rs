//! `docspace_challenge`: a pending app-2FA sign-in (confirm context, TOTP secret).

use std::ffi::c_char;

use super::boundary::{c_string, c_string_opt, free_handle, handle_opt, handle_ref, result_of, FfiResult, Handle, Out};
use super::result::{docspace_confirm_type, docspace_result};
use crate::model::{Challenge, ConfirmType};

/// A pending app-2FA sign-in: the confirm context needed by `docspace_client_setup_app()` and
/// `docspace_client_validate_app()` and, when no app is linked yet, the TOTP secret. From
/// `docspace_login_challenge()`, `docspace_client_confirm_context()` or
/// `docspace_client_reset_app()`; free with `docspace_challenge_free()` (its secrets are
/// wiped). Immutable: safe to use from several threads. Confirm keys live one hour.
/// Corresponds to a `Box` of a `docspace_auth::Challenge`.
pub struct docspace_challenge {
    _private: [u8; 0],
}

impl Handle for docspace_challenge {
    type Inner = Challenge;
}

/// Write one string property of a challenge to `out` (a new string, or NULL when absent).
fn property(
    challenge: *const docspace_challenge,
    out: *mut *mut c_char,
    get: impl FnOnce(&Challenge) -> FfiResult<*mut c_char>,
) -> docspace_result {
    result_of(|| {
        let challenge = unsafe { handle_ref::<docspace_challenge>(challenge, "challenge") }?;
        let out = unsafe { Out::new(out, "out") }?;
        out.write(get(challenge)?);
        Ok(())
    })
}

/// TFA_ACTIVATION (no app linked: setup, then validate) or TFA_AUTH (an app is linked: a
/// code finishes the sign-in); `DOCSPACE_CONFIRM_TYPE_INVALID` (0) for a NULL `challenge`.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_challenge_confirm_type(challenge: *const docspace_challenge) -> docspace_confirm_type {
    ffi_boundary! {
        match unsafe { handle_opt::<docspace_challenge>(challenge) }.map(Challenge::confirm_type) {
            None => docspace_confirm_type::Invalid,
            Some(ConfirmType::TfaActivation) => docspace_confirm_type::TfaActivation,
            Some(ConfirmType::TfaAuth) => docspace_confirm_type::TfaAuth,
        }
    }
}

/// The user's id (the confirm URL's `uid`). On success `*out` is a new string the caller frees
/// with `docspace_string_free()`. Returns OK or NULL_PARAMETER.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_challenge_user_id(
    challenge: *const docspace_challenge,
    out: *mut *mut c_char,
) -> docspace_result {
    ffi_boundary! {
        property(challenge, out, |c| c_string(c.user_id()))
    }
}

/// The user name the sign-in was made with (empty for challenges from
/// `docspace_client_confirm_context()`). On success `*out` is a new string (free with
/// `docspace_string_free()`). Returns OK or NULL_PARAMETER.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_challenge_user_name(
    challenge: *const docspace_challenge,
    out: *mut *mut c_char,
) -> docspace_result {
    ffi_boundary! {
        property(challenge, out, |c| c_string(c.user_name()))
    }
}

/// The confirm URL the portal sent (what a browser would open; contains no key). On success
/// `*out` is a new string (free with `docspace_string_free()`). Returns OK, NULL_PARAMETER, or
/// UNEXPECTED_RESPONSE if the portal's text contains a NUL.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_challenge_confirm_url(
    challenge: *const docspace_challenge,
    out: *mut *mut c_char,
) -> docspace_result {
    ffi_boundary! {
        property(challenge, out, |c| c_string(c.confirm_url()))
    }
}

/// The TOTP secret (base32, the portal's `tfaKey`) of a SETUP_REQUIRED challenge: enrol it in
/// an authenticator, or compute codes with `docspace_totp_code_now()`. **A secret**: keep it
/// out of logs. On success `*out` is a new string (free with `docspace_string_free()`, which
/// wipes it), or NULL when the challenge has none (CODE_REQUIRED). Returns OK or
/// NULL_PARAMETER.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_challenge_secret(
    challenge: *const docspace_challenge,
    out: *mut *mut c_char,
) -> docspace_result {
    ffi_boundary! {
        property(challenge, out, |c| c_string_opt(c.secret()))
    }
}

/// An `otpauth://totp/...` URI for the secret (issuer = portal host, account = user name), for
/// a QR code. **Contains the secret.** On success `*out` is a new string (free with
/// `docspace_string_free()`), or NULL when the challenge has no secret. Returns OK or
/// NULL_PARAMETER.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_challenge_otpauth_uri(
    challenge: *const docspace_challenge,
    out: *mut *mut c_char,
) -> docspace_result {
    ffi_boundary! {
        property(challenge, out, |c| c_string_opt(c.otpauth_uri()))
    }
}

/// Free a challenge (its confirm key and secret are wiped). NULL is a no-op; do not free
/// twice.
/// Must not race with other calls on the same handle.
#[no_mangle]
pub extern "C" fn docspace_challenge_free(challenge: *mut docspace_challenge) {
    ffi_boundary! {
        unsafe { free_handle(challenge) }
    }
}
