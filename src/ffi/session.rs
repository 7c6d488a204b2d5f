//! `docspace_session`: a signed-in session (login token or API key).

use std::ffi::c_char;

use super::boundary::{
    arg_str, c_string, c_string_opt, free_handle, handle_ref, new_handle, result_of, FfiError, FfiResult, Handle, Out,
};
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
    make: fn(String) -> Session,
) -> docspace_result {
    result_of(|| {
        let value = unsafe { arg_str(value, name) }?.trim();
        let out = unsafe { Out::new(out, "session_out") }?;
        if value.is_empty() {
            return Err(FfiError::invalid("the token is empty"));
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
/// runs). On success `*session_out` is a new handle the caller frees with
/// `docspace_session_free()`. Returns OK, NULL_PARAMETER or INVALID_ARGUMENT (empty, not
/// UTF-8). Nothing is sent: check it with `docspace_client_is_authenticated()`.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_session_new(
    token: *const c_char,
    session_out: *mut *mut docspace_session,
) -> docspace_result {
    ffi_boundary! {
        new_session(token, "token", session_out, Session::from_token)
    }
}

/// A session from a personal access token / API key (`sk-...`). API keys skip 2FA, cannot be
/// used for app setup or validation, and are not revoked by logout. On success `*session_out`
/// is a new handle the caller frees with `docspace_session_free()`. Returns OK,
/// NULL_PARAMETER or INVALID_ARGUMENT (empty, not UTF-8).
/// Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_session_new_api_key(
    key: *const c_char,
    session_out: *mut *mut docspace_session,
) -> docspace_result {
    ffi_boundary! {
        new_session(key, "key", session_out, Session::from_api_key)
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
