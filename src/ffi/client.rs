//! `docspace_client`: creation, the per-thread last error, and every portal flow.

use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use super::boundary::{
    arg_str, arg_str_array, free_handle, handle_opt, handle_ref, new_handle, owned_c_string, FfiError, FfiResult,
    Handle, Out,
};
use super::challenge::docspace_challenge;
use super::codes::docspace_codes;
use super::error::{docspace_error, with_error_out, write_error_out, ErrorDetail, LastErrors};
use super::login::docspace_login;
use super::options::{docspace_options, Options};
use super::policy::{docspace_policy, tfa_method_from};
use super::result::docspace_result;
use super::session::docspace_session;
use super::setup::docspace_setup;
use crate::client::Client;
use crate::model::TfaPolicyUpdate;

/// A DocSpace portal client: the base URL, transport options and a connection pool.
/// Create with `docspace_client_new()` or `docspace_client_new_with_options()`, free with
/// `docspace_client_free()`.
///
/// Thread-safe: one client may be shared by any number of threads, and its flow functions
/// may run concurrently (each has its own request). Only `docspace_client_free()` must not
/// race with other calls on the handle. Corresponds to a `Box` of an internal Rust struct
/// holding a `docspace_auth::Client` and the per-thread last-error store.
pub struct docspace_client {
    _private: [u8; 0],
}

/// What a client handle holds.
#[derive(Debug)]
pub(crate) struct ClientState {
    client: Client,
    base_url: CString,
    last: LastErrors,
}

impl Handle for docspace_client {
    type Inner = ClientState;
}

fn new_client(base_url: *const c_char, options: Option<&Options>) -> FfiResult<*mut docspace_client> {
    let base_url = unsafe { arg_str(base_url, "base_url") }?;
    let mut builder = Client::builder(base_url);
    if let Some(options) = options {
        builder = options.apply(builder)?;
    }
    let client = builder.build()?;
    let base_url = owned_c_string(client.base_url());
    Ok(new_handle(ClientState { client, base_url, last: LastErrors::default() }))
}

/// Run one client call: check the handle, run `call` under `catch_unwind`, and record the
/// outcome as the calling thread's last error on the handle (a success clears it) and, on
/// failure, in `*error_out`. A NULL `client` is reported through `error_out` only.
fn client_call(
    client: *const docspace_client,
    error_out: *mut *mut docspace_error,
    call: impl FnOnce(&Client) -> FfiResult<()>,
) -> docspace_result {
    let state = match unsafe { handle_ref(client, "client") } {
        Ok(state) => state,
        Err(error) => return with_error_out(error_out, || Err(error)),
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| call(&state.client))).unwrap_or(Err(FfiError::Panic));
    match outcome {
        Ok(()) => {
            state.last.clear();
            docspace_result::Ok
        }
        Err(error) => {
            let detail = ErrorDetail::from_error(error);
            let result = detail.result;
            state.last.set(detail.clone());
            write_error_out(error_out, detail);
            result
        }
    }
}

/// Create a client with default options for the portal at `base_url`
/// (`"https://portal.example.com"`, a path prefix is allowed). The same as
/// `docspace_client_new_with_options(base_url, NULL, client_out, error_out)`.
///
/// On success `*client_out` is a new handle the caller owns and frees with
/// `docspace_client_free()`. On failure `*error_out` (if `error_out` is not NULL) receives a
/// new `docspace_error` saying why (free it with `docspace_error_free()`). Returns OK,
/// NULL_PARAMETER, or INVALID_ARGUMENT for an unusable base URL: not UTF-8, not a URL, not
/// http(s), a control character inside it (whitespace around it is ignored), with user info,
/// query or fragment, or plain `http://` to a host that is not loopback (use
/// `docspace_client_new_with_options()` with `docspace_options_set_allow_insecure_http()`
/// for that). Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_client_new(
    base_url: *const c_char,
    client_out: *mut *mut docspace_client,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        with_error_out(error_out, || {
            let out = unsafe { Out::new(client_out, "client_out") }?;
            out.write(new_client(base_url, None)?);
            Ok(())
        })
    }
}

/// Create a client for the portal at `base_url` with transport options (`options` may be
/// NULL for the defaults; it is copied, so it may be freed right after). The options are
/// checked here, not by their setters.
///
/// On success `*client_out` is a new handle the caller owns and frees with
/// `docspace_client_free()`. On failure `*error_out` (if `error_out` is not NULL) receives a
/// new `docspace_error` saying which value is wrong (free it with `docspace_error_free()`).
/// Returns OK, NULL_PARAMETER, or INVALID_ARGUMENT: base URL as for `docspace_client_new()`, a
/// zero timeout or connect timeout, an empty, unreadable or invalid CA file, CA PEM text
/// without a valid certificate, a User-Agent that is not printable ASCII, or a zero answer
/// size limit. Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_client_new_with_options(
    base_url: *const c_char,
    options: *const docspace_options,
    client_out: *mut *mut docspace_client,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        with_error_out(error_out, || {
            let out = unsafe { Out::new(client_out, "client_out") }?;
            let options = unsafe { handle_opt::<docspace_options>(options) };
            out.write(new_client(base_url, options)?);
            Ok(())
        })
    }
}

/// Free a client. NULL is a no-op. Must not race with other calls on the same handle; the
/// strings borrowed from it (base URL, last errors) become invalid. Handles created through
/// the client (logins, sessions, ...) stay valid and are freed separately.
#[no_mangle]
pub extern "C" fn docspace_client_free(client: *mut docspace_client) {
    ffi_boundary! {
        unsafe { free_handle(client) }
    }
}

/// The portal base URL, normalised (always ends with `/`). Borrowed: valid until
/// `docspace_client_free()`; do not free it. NULL for a NULL client. Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_client_base_url(client: *const docspace_client) -> *const c_char {
    ffi_boundary! {
        unsafe { handle_opt::<docspace_client>(client) }.map_or(ptr::null(), |s| s.base_url.as_ptr())
    }
}

// ---- per-thread last error ------------------------------------------------------------------

fn last<R>(client: *const docspace_client, none: R, f: impl FnOnce(Option<&ErrorDetail>) -> R) -> R {
    match unsafe { handle_opt::<docspace_client>(client) } {
        Some(state) => state.last.read(f),
        None => none,
    }
}

/// [`last`] for the accessors that lend a string out of the record.
fn last_lent<R>(client: *const docspace_client, none: R, f: impl FnOnce(Option<&ErrorDetail>) -> R) -> R {
    match unsafe { handle_opt::<docspace_client>(client) } {
        Some(state) => state.last.lend(f),
        None => none,
    }
}

/// The message of the last call the **calling thread** made on this client: `""` after a
/// success (or before any call), otherwise what went wrong, as `docspace_error_message()`.
///
/// Borrowed: valid until the same thread's next call on this client (or
/// `docspace_client_free()`); do not free it. NULL for a NULL client.
///
/// The last-error functions keep one record per thread, so they stay correct when several
/// threads share a client. A success removes the thread's record. A client keeps at most
/// 1024 records: when that many threads' last calls failed, the next failing thread evicts
/// the oldest record of another thread, which then reads as OK / `""` (strings already
/// borrowed from it stay valid as stated above). FFI packages whose calls may run on
/// different threads from one call to the next (koffi async calls, Go's cgo, thread pools)
/// must use `error_out` instead.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_client_last_error(client: *const docspace_client) -> *const c_char {
    ffi_boundary! {
        last_lent(client, ptr::null(), |d| d.map_or(c"".as_ptr(), |d| d.message.as_ptr()))
    }
}

/// The result of the calling thread's last call on this client: OK after a success or before
/// any call; NULL_PARAMETER for a NULL client. See `docspace_client_last_error()`.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_client_last_result(client: *const docspace_client) -> docspace_result {
    ffi_boundary! {
        last(client, docspace_result::NullParameter, |d| d.map_or(docspace_result::Ok, |d| d.result))
    }
}

/// The HTTP status of the calling thread's last failed call on this client, 0 when none.
/// See `docspace_client_last_error()`.
/// 0 for a NULL client. Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_client_last_status(client: *const docspace_client) -> u16 {
    ffi_boundary! {
        last(client, 0, |d| d.map_or(0, |d| d.status))
    }
}

/// The `Retry-After` delay in seconds of the calling thread's last failed call on this
/// client, -1 when none. See `docspace_client_last_error()`.
/// -1 for a NULL client. Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_client_last_retry_after(client: *const docspace_client) -> i64 {
    ffi_boundary! {
        last(client, -1, |d| d.map_or(-1, |d| d.retry_after))
    }
}

/// The portal's own message for the calling thread's last failed call on this client, NULL
/// when none. Borrowed like `docspace_client_last_error()`.
/// NULL for a NULL client. Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_client_last_server_message(client: *const docspace_client) -> *const c_char {
    ffi_boundary! {
        last_lent(client, ptr::null(), |d| d.and_then(|d| d.server_message.as_ref()).map_or(ptr::null(), |m| m.as_ptr()))
    }
}

// ---- flows ----------------------------------------------------------------------------------
//
// Common to every flow: thread-safe (may run concurrently on one client); outputs written
// only on success; on failure `*error_out` (if not NULL) gets a new docspace_error and the
// calling thread's last error on the client is set; a success clears it.

/// Sign in with a user name (e-mail) and password (`POST /api/2.0/authentication`).
///
/// On success `*login_out` is a new `docspace_login` (free with `docspace_login_free()`)
/// whose kind says what happened: AUTHENTICATED (a session), CODE_REQUIRED (app linked: finish
/// with `docspace_client_login_with_code()`), SETUP_REQUIRED (no app yet: the challenge
/// carries the TOTP secret) or SMS_REQUIRED.
///
/// Returns OK, NULL_PARAMETER, INVALID_ARGUMENT (empty, too long, control characters, not
/// UTF-8), INVALID_CREDENTIALS (401), LOCKED_OUT (too many failures: blocked for a while),
/// ACCESS_DENIED (user disabled), RATE_LIMITED, NETWORK, TIMEOUT, TLS, SERVER_ERROR,
/// UNEXPECTED_RESPONSE. The password is not kept.
/// Thread-safe: may run concurrently with other calls on the same client. NULL for a required
/// pointer gives NULL_PARAMETER (a NULL `client` is reported through `error_out` only). On failure
/// `*error_out` (if `error_out` is not NULL) receives a new `docspace_error` to free with
/// `docspace_error_free()`, and the calling thread's last error on the client is set; a success
/// clears it.
#[no_mangle]
pub extern "C" fn docspace_client_login(
    client: *mut docspace_client,
    user: *const c_char,
    password: *const c_char,
    login_out: *mut *mut docspace_login,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        client_call(client, error_out, |c| {
            let user = unsafe { arg_str(user, "user") }?;
            let password = unsafe { arg_str(password, "password") }?;
            let out = unsafe { Out::new(login_out, "login_out") }?;
            out.write(new_handle(c.login(user, password)?));
            Ok(())
        })
    }
}

/// Sign in with password and a second factor in one call (`POST
/// /api/2.0/authentication/{code}`): a TOTP code, an unused backup code or an SMS code. For
/// an account without a linked app, the first accepted TOTP code links the app.
///
/// The code may contain only letters, digits, `-` and `_` (surrounding whitespace is
/// trimmed); anything else is INVALID_ARGUMENT before any request. On success
/// `*session_out` is a new `docspace_session` (free with `docspace_session_free()`).
///
/// Returns OK, NULL_PARAMETER, INVALID_ARGUMENT, INVALID_CODE (wrong, expired or spent
/// code, or too many code attempts), INVALID_CREDENTIALS, LOCKED_OUT, ACCESS_DENIED,
/// RATE_LIMITED and the transport results. Never retried: a backup code is spent on success.
/// Thread-safe: may run concurrently with other calls on the same client. NULL for a required
/// pointer gives NULL_PARAMETER (a NULL `client` is reported through `error_out` only). On failure
/// `*error_out` (if `error_out` is not NULL) receives a new `docspace_error` to free with
/// `docspace_error_free()`, and the calling thread's last error on the client is set; a success
/// clears it.
#[no_mangle]
pub extern "C" fn docspace_client_login_with_code(
    client: *mut docspace_client,
    user: *const c_char,
    password: *const c_char,
    code: *const c_char,
    session_out: *mut *mut docspace_session,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        client_call(client, error_out, |c| {
            let user = unsafe { arg_str(user, "user") }?;
            let password = unsafe { arg_str(password, "password") }?;
            let code = unsafe { arg_str(code, "code") }?;
            let out = unsafe { Out::new(session_out, "session_out") }?;
            out.write(new_handle(c.login_with_code(user, password, code)?));
            Ok(())
        })
    }
}

/// Get the authenticator-app setup payload for a SETUP_REQUIRED challenge (`GET
/// /api/2.0/settings/tfaapp/setup` with the challenge's confirm context): no browser needed.
///
/// On success `*setup_out` is a new `docspace_setup` (account, manual entry key, otpauth URI,
/// QR code PNG; free with `docspace_setup_free()`).
///
/// Returns OK, NULL_PARAMETER, INVALID_ARGUMENT (not an activation challenge), CONFIRM_CONTEXT
/// (no key, or refused: keys live one hour), TFA_NOT_AVAILABLE (already linked, or policy off),
/// UNEXPECTED_RESPONSE and the transport results.
/// Thread-safe: may run concurrently with other calls on the same client. NULL for a required
/// pointer gives NULL_PARAMETER (a NULL `client` is reported through `error_out` only). On failure
/// `*error_out` (if `error_out` is not NULL) receives a new `docspace_error` to free with
/// `docspace_error_free()`, and the calling thread's last error on the client is set; a success
/// clears it.
#[no_mangle]
pub extern "C" fn docspace_client_setup_app(
    client: *mut docspace_client,
    challenge: *const docspace_challenge,
    setup_out: *mut *mut docspace_setup,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        client_call(client, error_out, |c| {
            let challenge = unsafe { handle_ref(challenge, "challenge") }?;
            let out = unsafe { Out::new(setup_out, "setup_out") }?;
            out.write(new_handle(c.setup_app(challenge)?));
            Ok(())
        })
    }
}

/// Check a code with the challenge's confirm context (`POST
/// /api/2.0/settings/tfaapp/validate`). For an activation challenge (SETUP_REQUIRED) this links
/// the app and `*linked_now_out` is true (backup codes now exist); for a linked app
/// (CODE_REQUIRED) it signs the user in and `*linked_now_out` is false.
///
/// On success `*session_out` is a new `docspace_session` (free with
/// `docspace_session_free()`). Returns OK, NULL_PARAMETER, INVALID_ARGUMENT (malformed code),
/// INVALID_CODE, LOCKED_OUT (six wrong codes within a minute), CONFIRM_CONTEXT, RATE_LIMITED,
/// UNEXPECTED_RESPONSE and the transport results. Never retried.
/// Thread-safe: may run concurrently with other calls on the same client. NULL for a required
/// pointer gives NULL_PARAMETER (a NULL `client` is reported through `error_out` only). On failure
/// `*error_out` (if `error_out` is not NULL) receives a new `docspace_error` to free with
/// `docspace_error_free()`, and the calling thread's last error on the client is set; a success
/// clears it.
#[no_mangle]
pub extern "C" fn docspace_client_validate_app(
    client: *mut docspace_client,
    challenge: *const docspace_challenge,
    code: *const c_char,
    linked_now_out: *mut bool,
    session_out: *mut *mut docspace_session,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        client_call(client, error_out, |c| {
            let challenge = unsafe { handle_ref(challenge, "challenge") }?;
            let code = unsafe { arg_str(code, "code") }?;
            let linked_out = unsafe { Out::new(linked_now_out, "linked_now_out") }?;
            let out = unsafe { Out::new(session_out, "session_out") }?;
            let validation = c.validate_app(challenge, code)?;
            linked_out.write(validation.linked_now);
            out.write(new_handle(validation.session));
            Ok(())
        })
    }
}

/// The signed-in user's backup codes, spent ones included (`GET
/// /api/2.0/settings/tfaappcodes`).
///
/// On success `*codes_out` is a new `docspace_codes` (free with `docspace_codes_free()`).
/// Returns OK, NULL_PARAMETER, TFA_NOT_AVAILABLE (no app linked, or app 2FA off),
/// SESSION_INVALID, ACCESS_DENIED, RATE_LIMITED and the transport results.
/// Thread-safe: may run concurrently with other calls on the same client. NULL for a required
/// pointer gives NULL_PARAMETER (a NULL `client` is reported through `error_out` only). On failure
/// `*error_out` (if `error_out` is not NULL) receives a new `docspace_error` to free with
/// `docspace_error_free()`, and the calling thread's last error on the client is set; a success
/// clears it.
#[no_mangle]
pub extern "C" fn docspace_client_backup_codes(
    client: *mut docspace_client,
    session: *const docspace_session,
    codes_out: *mut *mut docspace_codes,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        client_call(client, error_out, |c| {
            let session = unsafe { handle_ref(session, "session") }?;
            let out = unsafe { Out::new(codes_out, "codes_out") }?;
            out.write(new_handle(c.backup_codes(session)?));
            Ok(())
        })
    }
}

/// Replace the backup codes with a new set (`PUT /api/2.0/settings/tfaappnewcodes`). **The
/// old codes stop working at once**, and every call issues yet another set (never retried):
/// show or store the new codes before anything else.
///
/// On success `*codes_out` is a new `docspace_codes` (free with `docspace_codes_free()`).
/// Results as `docspace_client_backup_codes()`.
/// Thread-safe: may run concurrently with other calls on the same client. NULL for a required
/// pointer gives NULL_PARAMETER (a NULL `client` is reported through `error_out` only). On failure
/// `*error_out` (if `error_out` is not NULL) receives a new `docspace_error` to free with
/// `docspace_error_free()`, and the calling thread's last error on the client is set; a success
/// clears it.
#[no_mangle]
pub extern "C" fn docspace_client_regenerate_backup_codes(
    client: *mut docspace_client,
    session: *const docspace_session,
    codes_out: *mut *mut docspace_codes,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        client_call(client, error_out, |c| {
            let session = unsafe { handle_ref(session, "session") }?;
            let out = unsafe { Out::new(codes_out, "codes_out") }?;
            out.write(new_handle(c.regenerate_backup_codes(session)?));
            Ok(())
        })
    }
}

/// Sign out and revoke the session's token (`POST /api/2.0/authentication/logout`). The
/// session handle stays allocated (free it with `docspace_session_free()`), but the portal no
/// longer accepts it.
///
/// Returns OK, NULL_PARAMETER, INVALID_ARGUMENT (an API-key session: keys are revoked in the
/// portal's settings), RATE_LIMITED and the transport results.
/// Thread-safe: may run concurrently with other calls on the same client. NULL for a required
/// pointer gives NULL_PARAMETER (a NULL `client` is reported through `error_out` only). On failure
/// `*error_out` (if `error_out` is not NULL) receives a new `docspace_error` to free with
/// `docspace_error_free()`, and the calling thread's last error on the client is set; a success
/// clears it.
#[no_mangle]
pub extern "C" fn docspace_client_logout(
    client: *mut docspace_client,
    session: *const docspace_session,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        client_call(client, error_out, |c| {
            let session = unsafe { handle_ref(session, "session") }?;
            c.logout(session)?;
            Ok(())
        })
    }
}

/// Ask the portal whether it accepts the session (`GET /api/2.0/authentication`). An invalid,
/// revoked or expired token gives OK with `*authenticated_out == false`, not an error.
///
/// Returns OK, NULL_PARAMETER, RATE_LIMITED and the transport results.
/// Thread-safe: may run concurrently with other calls on the same client. NULL for a required
/// pointer gives NULL_PARAMETER (a NULL `client` is reported through `error_out` only). On failure
/// `*error_out` (if `error_out` is not NULL) receives a new `docspace_error` to free with
/// `docspace_error_free()`, and the calling thread's last error on the client is set; a success
/// clears it.
#[no_mangle]
pub extern "C" fn docspace_client_is_authenticated(
    client: *mut docspace_client,
    session: *const docspace_session,
    authenticated_out: *mut bool,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        client_call(client, error_out, |c| {
            let session = unsafe { handle_ref(session, "session") }?;
            let out = unsafe { Out::new(authenticated_out, "authenticated_out") }?;
            out.write(c.is_authenticated(session)?);
            Ok(())
        })
    }
}

/// The portal's 2FA policy (`GET /api/2.0/settings/tfaapp`); any signed-in user may read it.
///
/// On success `*policy_out` is a new `docspace_policy` (free with `docspace_policy_free()`).
/// Returns OK, NULL_PARAMETER, SESSION_INVALID, ACCESS_DENIED, RATE_LIMITED and the transport
/// results.
/// Thread-safe: may run concurrently with other calls on the same client. NULL for a required
/// pointer gives NULL_PARAMETER (a NULL `client` is reported through `error_out` only). On failure
/// `*error_out` (if `error_out` is not NULL) receives a new `docspace_error` to free with
/// `docspace_error_free()`, and the calling thread's last error on the client is set; a success
/// clears it.
#[no_mangle]
pub extern "C" fn docspace_client_tfa_policy(
    client: *mut docspace_client,
    session: *const docspace_session,
    policy_out: *mut *mut docspace_policy,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        client_call(client, error_out, |c| {
            let session = unsafe { handle_ref(session, "session") }?;
            let out = unsafe { Out::new(policy_out, "policy_out") }?;
            out.write(new_handle(c.tfa_policy(session)?));
            Ok(())
        })
    }
}

/// Set the portal's 2FA policy (`PUT /api/2.0/settings/tfaapp`; portal owner or admin).
/// `method` is a `docspace_tfa_method` (NONE switches 2FA off). Each list is an array of
/// `len` UTF-8 strings; a NULL array with length 0 is an empty list. Trusted IPs are single
/// addresses, `from-to` ranges or CIDR; mandatory users and groups are ids (GUIDs).
///
/// **Switching a method on signs every user of the portal out, the caller included.**
/// On success `*enabled_out` is true when a method was switched on, false when 2FA was
/// switched off. Returns OK, NULL_PARAMETER, INVALID_ARGUMENT (unknown method, malformed
/// entry), ACCESS_DENIED (not an admin), SESSION_INVALID and the transport results.
/// Thread-safe: may run concurrently with other calls on the same client. NULL for a required
/// pointer gives NULL_PARAMETER (a NULL `client` is reported through `error_out` only). On failure
/// `*error_out` (if `error_out` is not NULL) receives a new `docspace_error` to free with
/// `docspace_error_free()`, and the calling thread's last error on the client is set; a success
/// clears it.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn docspace_client_set_tfa_policy(
    client: *mut docspace_client,
    session: *const docspace_session,
    method: u32,
    trusted_ips: *const *const c_char,
    trusted_ips_len: usize,
    mandatory_users: *const *const c_char,
    mandatory_users_len: usize,
    mandatory_groups: *const *const c_char,
    mandatory_groups_len: usize,
    enabled_out: *mut bool,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        client_call(client, error_out, |c| {
            let session = unsafe { handle_ref(session, "session") }?;
            let method = tfa_method_from(method).ok_or_else(|| FfiError::invalid("unknown docspace_tfa_method value"))?;
            let update = TfaPolicyUpdate {
                method,
                trusted_ips: unsafe { arg_str_array(trusted_ips, trusted_ips_len, "trusted_ips") }?,
                mandatory_users: unsafe { arg_str_array(mandatory_users, mandatory_users_len, "mandatory_users") }?,
                mandatory_groups: unsafe { arg_str_array(mandatory_groups, mandatory_groups_len, "mandatory_groups") }?,
            };
            let out = unsafe { Out::new(enabled_out, "enabled_out") }?;
            out.write(c.set_tfa_policy(session, &update)?);
            Ok(())
        })
    }
}

/// A fresh confirm context for the signed-in user (`GET /api/2.0/settings/tfaapp/confirm`):
/// an activation challenge (link an app with `docspace_client_setup_app()` +
/// `docspace_client_validate_app()`) or an auth challenge. Its user name is empty (the portal
/// does not say it).
///
/// On success `*challenge_out` is a new `docspace_challenge` (free with
/// `docspace_challenge_free()`), or NULL when app 2FA does not apply to the user. Returns OK,
/// NULL_PARAMETER, SESSION_INVALID, ACCESS_DENIED, RATE_LIMITED and the transport results.
/// Thread-safe: may run concurrently with other calls on the same client. NULL for a required
/// pointer gives NULL_PARAMETER (a NULL `client` is reported through `error_out` only). On failure
/// `*error_out` (if `error_out` is not NULL) receives a new `docspace_error` to free with
/// `docspace_error_free()`, and the calling thread's last error on the client is set; a success
/// clears it.
#[no_mangle]
pub extern "C" fn docspace_client_confirm_context(
    client: *mut docspace_client,
    session: *const docspace_session,
    challenge_out: *mut *mut docspace_challenge,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        client_call(client, error_out, |c| {
            let session = unsafe { handle_ref(session, "session") }?;
            let out = unsafe { Out::new(challenge_out, "challenge_out") }?;
            out.write(c.confirm_context(session)?.map_or(ptr::null_mut(), new_handle));
            Ok(())
        })
    }
}

/// Unlink (reset) the authenticator app of `user_id` (`PUT /api/2.0/settings/tfaappnewapp`).
/// Pass your own id to reset yourself: the portal then signs all your sessions out and
/// returns a fresh session and an activation challenge to link a new app right away (the old
/// secret and backup codes are gone). Resetting another user needs the portal owner; then
/// both outputs are NULL.
///
/// On success `*session_out` and `*challenge_out` are new handles (free with
/// `docspace_session_free()` / `docspace_challenge_free()`) or NULL. Returns OK,
/// NULL_PARAMETER, INVALID_ARGUMENT (malformed id), TFA_NOT_AVAILABLE (no app linked),
/// ACCESS_DENIED, SESSION_INVALID and the transport results.
/// Thread-safe: may run concurrently with other calls on the same client. NULL for a required
/// pointer gives NULL_PARAMETER (a NULL `client` is reported through `error_out` only). On failure
/// `*error_out` (if `error_out` is not NULL) receives a new `docspace_error` to free with
/// `docspace_error_free()`, and the calling thread's last error on the client is set; a success
/// clears it.
#[no_mangle]
pub extern "C" fn docspace_client_reset_app(
    client: *mut docspace_client,
    session: *const docspace_session,
    user_id: *const c_char,
    session_out: *mut *mut docspace_session,
    challenge_out: *mut *mut docspace_challenge,
    error_out: *mut *mut docspace_error,
) -> docspace_result {
    ffi_boundary! {
        client_call(client, error_out, |c| {
            let session = unsafe { handle_ref(session, "session") }?;
            let user_id = unsafe { arg_str(user_id, "user_id") }?;
            let new_session_out = unsafe { Out::new(session_out, "session_out") }?;
            let new_challenge_out = unsafe { Out::new(challenge_out, "challenge_out") }?;
            let reset = c.reset_app(session, user_id)?;
            new_session_out.write(reset.session.map_or(ptr::null_mut(), new_handle));
            new_challenge_out.write(reset.challenge.map_or(ptr::null_mut(), new_handle));
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::error::{docspace_error_free, docspace_error_message, docspace_error_result};
    use std::ffi::CStr;

    fn client() -> *mut docspace_client {
        let mut client = ptr::null_mut();
        assert_eq!(
            docspace_client_new(c"http://127.0.0.1:9".as_ptr(), &mut client, ptr::null_mut()),
            docspace_result::Ok
        );
        client
    }

    #[test]
    fn a_panic_inside_a_client_call_is_recorded() {
        let client = client();
        let mut error = ptr::null_mut();
        let result = ffi_boundary! {
            client_call(client, &mut error, |_| {
                if std::hint::black_box(true) {
                    panic!("deliberate test panic");
                }
                Ok(())
            })
        };
        assert_eq!(result, docspace_result::Panic);
        assert_eq!(docspace_error_result(error), docspace_result::Panic);
        assert_eq!(docspace_client_last_result(client), docspace_result::Panic);
        docspace_error_free(error);
        docspace_client_free(client);
    }

    #[test]
    fn null_arguments_are_named_and_recorded() {
        let client = client();
        let mut error = ptr::null_mut();
        let mut login = ptr::null_mut();
        let r = docspace_client_login(client, ptr::null(), c"pw".as_ptr(), &mut login, &mut error);
        assert_eq!(r, docspace_result::NullParameter);
        assert!(login.is_null());
        let message = unsafe { CStr::from_ptr(docspace_error_message(error)) }.to_str().unwrap();
        assert!(message.contains("`user`"), "{message}");
        let last = unsafe { CStr::from_ptr(docspace_client_last_error(client)) }.to_str().unwrap();
        assert_eq!(last, message);
        docspace_error_free(error);

        // A NULL client is reported through error_out only.
        let mut error = ptr::null_mut();
        let r = docspace_client_login(ptr::null_mut(), c"u".as_ptr(), c"p".as_ptr(), &mut login, &mut error);
        assert_eq!(r, docspace_result::NullParameter);
        assert_eq!(docspace_error_result(error), docspace_result::NullParameter);
        docspace_error_free(error);
        docspace_client_free(client);
    }

    #[test]
    fn bad_codes_never_reach_the_network() {
        let client = client();
        for code in [c"12/34", c"1?2", c"1#2", c"%2e", c"..", c"12 34"] {
            let mut session = ptr::null_mut();
            let r = docspace_client_login_with_code(
                client,
                c"u@example.com".as_ptr(),
                c"pw".as_ptr(),
                code.as_ptr(),
                &mut session,
                ptr::null_mut(),
            );
            assert_eq!(r, docspace_result::InvalidArgument, "{code:?}");
        }
        docspace_client_free(client);
    }

    #[test]
    fn base_urls_are_checked() {
        let mut client = ptr::null_mut();
        for bad in [c"not a url", c"ftp://x.example", c"http://portal.example.com"] {
            assert_eq!(
                docspace_client_new(bad.as_ptr(), &mut client, ptr::null_mut()),
                docspace_result::InvalidArgument
            );
        }
        assert!(client.is_null());
        let mut error = ptr::null_mut();
        assert_eq!(
            docspace_client_new(c"ftp://x.example".as_ptr(), &mut client, &mut error),
            docspace_result::InvalidArgument
        );
        let message = unsafe { CStr::from_ptr(docspace_error_message(error)) }.to_str().unwrap();
        assert!(message.contains("http(s)"), "{message}");
        docspace_error_free(error);
        assert_eq!(
            docspace_client_new(c"https://portal.example.com/x".as_ptr(), &mut client, ptr::null_mut()),
            docspace_result::Ok
        );
        let base = unsafe { CStr::from_ptr(docspace_client_base_url(client)) };
        assert_eq!(base.to_str().unwrap(), "https://portal.example.com/x/");
        docspace_client_free(client);
    }
}
