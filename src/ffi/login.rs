//! `docspace_login`: the outcome of `docspace_client_login()`.

use std::ffi::c_char;

use super::boundary::{
    c_string_opt, free_handle, handle_opt, handle_ref, new_handle, result_of, FfiError, Handle, Out,
};
use super::challenge::docspace_challenge;
use super::result::{docspace_login_kind, docspace_result};
use super::session::docspace_session;
use crate::model::{LoginOutcome, SmsChallenge};

/// What `docspace_client_login()` led to: a session, a code/setup challenge, or an SMS
/// challenge (`docspace_login_get_kind()`). Free with `docspace_login_free()`; the handles
/// taken from it (`docspace_login_session()`, `docspace_login_challenge()`) are copies with
/// their own lifetime. Immutable: safe to read from several threads.
/// Corresponds to a `Box` of a `docspace_auth::LoginOutcome`.
pub struct docspace_login {
    _private: [u8; 0],
}

impl Handle for docspace_login {
    type Inner = LoginOutcome;
}

fn sms<'a>(login: *const docspace_login) -> Result<&'a SmsChallenge, FfiError> {
    match unsafe { handle_ref::<docspace_login>(login, "login") }? {
        LoginOutcome::SmsRequired(sms) => Ok(sms),
        _ => Err(FfiError::invalid("the login is not SMS_REQUIRED")),
    }
}

/// The kind of outcome: AUTHENTICATED, CODE_REQUIRED, SETUP_REQUIRED or SMS_REQUIRED;
/// `DOCSPACE_LOGIN_KIND_INVALID` (0) for a NULL `login`.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_login_get_kind(login: *const docspace_login) -> docspace_login_kind {
    ffi_boundary! {
        match unsafe { handle_opt::<docspace_login>(login) } {
            None => docspace_login_kind::Invalid,
            Some(LoginOutcome::Authenticated(_)) => docspace_login_kind::Authenticated,
            Some(LoginOutcome::CodeRequired(_)) => docspace_login_kind::CodeRequired,
            Some(LoginOutcome::SetupRequired(_)) => docspace_login_kind::SetupRequired,
            Some(LoginOutcome::SmsRequired(_)) => docspace_login_kind::SmsRequired,
        }
    }
}

/// The session of an AUTHENTICATED login. On success `*session_out` is a new
/// `docspace_session` (a copy; free with `docspace_session_free()`). Returns OK,
/// NULL_PARAMETER, or INVALID_ARGUMENT when the login is not AUTHENTICATED.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_login_session(
    login: *const docspace_login,
    session_out: *mut *mut docspace_session,
) -> docspace_result {
    ffi_boundary! {
        result_of(|| {
            let login = unsafe { handle_ref::<docspace_login>(login, "login") }?;
            let out = unsafe { Out::new(session_out, "session_out") }?;
            match login {
                LoginOutcome::Authenticated(session) => out.write(new_handle(session.clone())),
                _ => return Err(FfiError::invalid("the login is not AUTHENTICATED")),
            }
            Ok(())
        })
    }
}

/// The challenge of a CODE_REQUIRED or SETUP_REQUIRED login, for
/// `docspace_client_setup_app()` / `docspace_client_validate_app()` and to read the TOTP
/// secret. On success `*challenge_out` is a new `docspace_challenge` (a copy; free with
/// `docspace_challenge_free()`). Returns OK, NULL_PARAMETER, or INVALID_ARGUMENT for other
/// kinds.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_login_challenge(
    login: *const docspace_login,
    challenge_out: *mut *mut docspace_challenge,
) -> docspace_result {
    ffi_boundary! {
        result_of(|| {
            let login = unsafe { handle_ref::<docspace_login>(login, "login") }?;
            let out = unsafe { Out::new(challenge_out, "challenge_out") }?;
            match login {
                LoginOutcome::CodeRequired(challenge) | LoginOutcome::SetupRequired(challenge) => {
                    out.write(new_handle(challenge.clone()))
                }
                _ => return Err(FfiError::invalid("the login is not CODE_REQUIRED or SETUP_REQUIRED")),
            }
            Ok(())
        })
    }
}

/// The masked phone number (`"+1***0123"`) of an SMS_REQUIRED login. On success
/// `*phone_noise_out` is a new string (free with `docspace_string_free()`), or NULL when the
/// user must first register a phone in a browser. Returns OK, NULL_PARAMETER, or
/// INVALID_ARGUMENT for other kinds.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_login_sms_phone_noise(
    login: *const docspace_login,
    phone_noise_out: *mut *mut c_char,
) -> docspace_result {
    ffi_boundary! {
        result_of(|| {
            let sms = sms(login)?;
            let out = unsafe { Out::new(phone_noise_out, "phone_noise_out") }?;
            out.write(c_string_opt(sms.phone_noise.as_deref())?);
            Ok(())
        })
    }
}

/// When the texted code of an SMS_REQUIRED login expires (ISO-8601). On success `*expires_out`
/// is a new string (free with `docspace_string_free()`), or NULL when the portal did not say.
/// Returns OK, NULL_PARAMETER, or INVALID_ARGUMENT for other kinds.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_login_sms_expires(
    login: *const docspace_login,
    expires_out: *mut *mut c_char,
) -> docspace_result {
    ffi_boundary! {
        result_of(|| {
            let sms = sms(login)?;
            let out = unsafe { Out::new(expires_out, "expires_out") }?;
            out.write(c_string_opt(sms.expires.as_deref())?);
            Ok(())
        })
    }
}

/// The confirm link the portal issued with an SMS_REQUIRED login (`PhoneAuth`, or
/// `PhoneActivation` when the user must first register a phone in a browser). On success
/// `*confirm_url_out` is a new string (free with `docspace_string_free()`), or NULL when the
/// portal sent none. Returns OK, NULL_PARAMETER, or INVALID_ARGUMENT for other kinds.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_login_sms_confirm_url(
    login: *const docspace_login,
    confirm_url_out: *mut *mut c_char,
) -> docspace_result {
    ffi_boundary! {
        result_of(|| {
            let sms = sms(login)?;
            let out = unsafe { Out::new(confirm_url_out, "confirm_url_out") }?;
            out.write(c_string_opt(sms.confirm_url.as_deref())?);
            Ok(())
        })
    }
}

/// Free a login outcome (its secrets are wiped). NULL is a no-op; do not free twice.
/// Must not race with other calls on the same handle.
#[no_mangle]
pub extern "C" fn docspace_login_free(login: *mut docspace_login) {
    ffi_boundary! {
        unsafe { free_handle(login) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;
    use std::ptr;

    #[test]
    fn sms_confirm_url() {
        let login: *mut docspace_login = new_handle(LoginOutcome::SmsRequired(SmsChallenge {
            phone_noise: Some("+1***0123".to_owned()),
            expires: None,
            confirm_url: Some("https://portal.example.com/confirm/PhoneAuth?type=PhoneAuth".to_owned()),
        }));
        let mut url = ptr::null_mut();
        assert_eq!(docspace_login_sms_confirm_url(login, &mut url), docspace_result::Ok);
        assert!(unsafe { CStr::from_ptr(url) }.to_str().unwrap().contains("PhoneAuth"));
        crate::ffi::docspace_string_free(url);
        assert_eq!(docspace_login_sms_confirm_url(login, ptr::null_mut()), docspace_result::NullParameter);
        assert_eq!(docspace_login_sms_confirm_url(ptr::null(), &mut url), docspace_result::NullParameter);
        docspace_login_free(login);

        let other: *mut docspace_login = new_handle(LoginOutcome::Authenticated(crate::Session::from_token("t")));
        url = ptr::null_mut();
        assert_eq!(docspace_login_sms_confirm_url(other, &mut url), docspace_result::InvalidArgument);
        assert!(url.is_null());
        docspace_login_free(other);
    }
}
