//! `docspace_setup`: the authenticator-app setup payload.

use std::ffi::c_char;

use super::boundary::{c_string, free_handle, handle_ref, result_of, FfiResult, Handle, Out};
use super::result::docspace_result;
use crate::model::AppSetup;

/// The payload for linking an authenticator app, from `docspace_client_setup_app()`: the
/// account label, the manual entry key (the TOTP secret), an otpauth URI and the portal's QR
/// code as PNG bytes. Free with `docspace_setup_free()` (the secrets are wiped). Immutable:
/// safe to read from several threads. Corresponds to a `Box` of a `docspace_auth::AppSetup`.
pub struct docspace_setup {
    _private: [u8; 0],
}

impl Handle for docspace_setup {
    type Inner = AppSetup;
}

fn property(
    setup: *const docspace_setup,
    out: *mut *mut c_char,
    get: impl FnOnce(&AppSetup) -> FfiResult<*mut c_char>,
) -> docspace_result {
    result_of(|| {
        let setup = unsafe { handle_ref::<docspace_setup>(setup, "setup") }?;
        let out = unsafe { Out::new(out, "out") }?;
        out.write(get(setup)?);
        Ok(())
    })
}

/// The account label (the user's e-mail). On success `*out` is a new string (free with
/// `docspace_string_free()`). Returns OK, NULL_PARAMETER or UNEXPECTED_RESPONSE (NUL in the
/// portal's text).
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_setup_account(setup: *const docspace_setup, out: *mut *mut c_char) -> docspace_result {
    ffi_boundary! {
        property(setup, out, |s| c_string(&s.account))
    }
}

/// The base32 secret to type into an authenticator app (the same secret as the
/// SETUP_REQUIRED challenge's). **A secret.** On success `*out` is a new string (free with
/// `docspace_string_free()`, which wipes it). Returns OK or NULL_PARAMETER.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_setup_manual_entry_key(
    setup: *const docspace_setup,
    out: *mut *mut c_char,
) -> docspace_result {
    ffi_boundary! {
        property(setup, out, |s| c_string(s.manual_entry_key.expose()))
    }
}

/// `otpauth://totp/...` for the same secret (issuer = portal host). **Contains the secret.** On
/// success `*out` is a new string (free with `docspace_string_free()`). Returns OK or
/// NULL_PARAMETER.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_setup_otpauth_uri(setup: *const docspace_setup, out: *mut *mut c_char) -> docspace_result {
    ffi_boundary! {
        property(setup, out, |s| c_string(s.otpauth_uri.expose()))
    }
}

/// The portal's QR code as PNG bytes (it encodes the otpauth URI, so treat it as a secret).
/// On success `*data_out` points to `*len_out` bytes **borrowed** from the setup: valid until
/// `docspace_setup_free()`; do not free them. Returns OK or NULL_PARAMETER.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_setup_qr_png(
    setup: *const docspace_setup,
    data_out: *mut *const u8,
    len_out: *mut usize,
) -> docspace_result {
    ffi_boundary! {
        result_of(|| {
            let setup = unsafe { handle_ref::<docspace_setup>(setup, "setup") }?;
            let data = unsafe { Out::new(data_out, "data_out") }?;
            let len = unsafe { Out::new(len_out, "len_out") }?;
            data.write(setup.qr_code_png.as_ptr());
            len.write(setup.qr_code_png.len());
            Ok(())
        })
    }
}

/// Free a setup payload (the secret is wiped). NULL is a no-op; do not free twice; the PNG
/// bytes borrowed from it become invalid.
/// Must not race with other calls on the same handle.
#[no_mangle]
pub extern "C" fn docspace_setup_free(setup: *mut docspace_setup) {
    ffi_boundary! {
        unsafe { free_handle(setup) }
    }
}
