//! `docspace_session`: a signed-in session (login token or API key).

use std::ffi::c_char;

use super::boundary::{
    arg_str, c_string, c_string_opt, free_handle, handle_opt, handle_ref, new_handle, result_of, FfiError, FfiResult,
    Handle, Out,
};
use super::error::{docspace_error, with_error_out};
use super::result::docspace_result;
use crate::model::Session;

/// A signed-in session: the portal's login token (sent as the `asc_auth_key` cookie) or a
/// personal API key (`sk-...`, sent as `Authorization: Bearer`). From the flows,
/// `docspace_login_session()`, `docspace_session_new()` or `docspace_session_new_api_key()`;
/// free with `docspace_session_free()` (the token is wiped). Immutable: safe to use from
/// several threads and with several clients. Corresponds to a `Box` of a
/// `docspace_auth::Session`.
pub struct docspace_session {
    _private: [u8; 0],
}

impl Handle for docspace_session {
    type Inner = Session;
}

fn new_session(
    value: *const c_char,
    name: &'static str,
    out: *mut *mut docspace_session,
    error_out: *mut *mut docspace_error,
    make: fn(String) -> Session,
) -> docspace_result {
    with_error_out(error_out, || {
        let value = unsafe { arg_str(value, name) }?.trim();
        let out = unsafe { Out::new(out, "session_out") }?;
        if value.is_empty() {
            return Err(FfiError::invalid(format!("the `{name}` argument is empty (or only whitespace)")));
        }
        out.write(new_handle(make(value.to_owned())));
        Ok(())
    })
}

fn property(
    session: *const docspace_session,
    out: *mut *mut c_char,
    name: &'static str,
    get: impl FnOnce(&Session) -> FfiResult<*mut c_char>,
) -> docspace_result {
    result_of(|| {
        let session = unsafe { handle_ref::<docspace_session>(session, "session") }?;
        let out = unsafe { Out::new(out, name) }?;
        out.write(get(session)?);
        Ok(())
    })
}

/// A session from a login token obtained earlier (`docspace_session_token()`, stored between
/// runs). Surrounding whitespace is trimmed. On success `*session_out` is a new handle the
/// caller frees with `docspace_session_free()`. On failure `*error_out` (if `error_out` is not
/// NULL) receives a new `docspace_error` (free it with `docspace_error_free()`). Returns OK,
/// NULL_PARAMETER or INVALID_ARGUMENT (empty, not UTF-8). Nothing is sent: check it with
/// `docspace_client_is_authenticated()`.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_session_new(
    token: *const c_char,
    session_out: *mut *mut docspace_session,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        new_session(token, "token", session_out, error_out, Session::from_token)
    }
}

/// A session from a personal access token / API key (`sk-...`). API keys skip 2FA, cannot be
/// used for app setup or validation, and are not revoked by logout. Surrounding whitespace is
/// trimmed. On success `*session_out` is a new handle the caller frees with
/// `docspace_session_free()`. On failure `*error_out` (if `error_out` is not NULL) receives a
/// new `docspace_error` (free it with `docspace_error_free()`). Returns OK, NULL_PARAMETER or
/// INVALID_ARGUMENT (empty, not UTF-8).
/// Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_session_new_api_key(
    key: *const c_char,
    session_out: *mut *mut docspace_session,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        new_session(key, "key", session_out, error_out, Session::from_api_key)
    }
}

/// Whether the session is a personal API key (from `docspace_session_new_api_key()`) rather
/// than a login token. false for a NULL `session`.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_session_is_api_key(session: *const docspace_session) -> bool {
    ffi_boundary! {
        unsafe { handle_opt::<docspace_session>(session) }.is_some_and(Session::is_api_key)
    }
}

/// The session's token or key. **A secret**: keep it out of logs. On success `*token_out` is
/// a new string the caller frees with `docspace_string_free()` (which wipes it). Returns OK or
/// NULL_PARAMETER.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_session_token(
    session: *const docspace_session,
    token_out: *mut *mut c_char,
) -> docspace_result {
    ffi_boundary! {
        property(session, token_out, "token_out", |s| c_string(s.token()))
    }
}

/// The expiry the portal reported (ISO-8601). On success `*out` is a new string (free with
/// `docspace_string_free()`) or NULL when unknown. Returns OK or NULL_PARAMETER.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_session_expires(session: *const docspace_session, out: *mut *mut c_char) -> docspace_result {
    ffi_boundary! {
        property(session, out, "out", |s| c_string_opt(s.expires()))
    }
}

/// The user's id, when the flow that produced the session learnt it (validate, reset). On
/// success `*out` is a new string (free with `docspace_string_free()`) or NULL when unknown.
/// Returns OK or NULL_PARAMETER.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_session_user_id(session: *const docspace_session, out: *mut *mut c_char) -> docspace_result {
    ffi_boundary! {
        property(session, out, "out", |s| c_string_opt(s.user_id()))
    }
}

/// Free a session handle (the token is wiped). This does not sign out: call
/// `docspace_client_logout()` first for that. NULL is a no-op; do not free twice.
/// Must not race with other calls on the same handle.
#[no_mangle]
pub extern "C" fn docspace_session_free(session: *mut docspace_session) {
    ffi_boundary! {
        unsafe { free_handle(session) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::error::{docspace_error_free, docspace_error_message, docspace_error_result};
    use std::ffi::CStr;
    use std::ptr;

    #[test]
    fn tokens_and_keys() {
        let (mut token, mut key) = (ptr::null_mut(), ptr::null_mut());
        assert_eq!(docspace_session_new(c" tok ".as_ptr(), &mut token, ptr::null_mut()), docspace_result::Ok);
        assert_eq!(docspace_session_new_api_key(c"sk-1".as_ptr(), &mut key, ptr::null_mut()), docspace_result::Ok);
        assert!(!docspace_session_is_api_key(token));
        assert!(docspace_session_is_api_key(key));
        assert!(!docspace_session_is_api_key(ptr::null()));
        docspace_session_free(token);
        docspace_session_free(key);

        let mut error = ptr::null_mut();
        let mut session = ptr::null_mut();
        assert_eq!(
            docspace_session_new_api_key(c"  ".as_ptr(), &mut session, &mut error),
            docspace_result::InvalidArgument
        );
        assert!(session.is_null());
        assert_eq!(docspace_error_result(error), docspace_result::InvalidArgument);
        let message = unsafe { CStr::from_ptr(docspace_error_message(error)) }.to_str().unwrap();
        assert!(message.contains("`key`") && message.contains("empty"), "{message}");
        docspace_error_free(error);
    }
}
