//! `docspace_options`: transport options for `docspace_client_new_with_options()`.

use std::ffi::c_char;
use std::path::PathBuf;
use std::time::Duration;

use super::boundary::{arg_str, free_handle, handle_mut, new_handle, result_of, FfiError, FfiResult, Handle, Out};
use super::result::docspace_result;
use crate::client::ClientBuilder;

/// Transport options for a client: timeouts, extra CA certificates, plain-http opt-in,
/// User-Agent, answer size limit, proxy use. Create with `docspace_options_new()`, set what
/// you need, pass to `docspace_client_new_with_options()` (which copies them: the options may
/// be freed or reused right after), free with `docspace_options_free()`.
///
/// The setters only store their value: they fail only for a NULL argument or a string that
/// is not UTF-8. Every value is checked by `docspace_client_new_with_options()`, which says
/// through its `error_out` which one is wrong.
///
/// Not thread-safe for concurrent modification: set options from one thread at a time.
/// Corresponds to a `Box` of an internal Rust struct.
pub struct docspace_options {
    _private: [u8; 0],
}

/// What the setters collected, unchecked; checked and applied to a `ClientBuilder` at client
/// creation.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    ca_files: Vec<PathBuf>,
    ca_pems: Vec<Vec<u8>>,
    allow_insecure_http: bool,
    user_agent: Option<String>,
    max_response_bytes: Option<usize>,
    no_proxy: bool,
}

impl Handle for docspace_options {
    type Inner = Options;
}

impl Options {
    /// Apply the options to a builder. The core checks them when the client is built; the
    /// two values it would take as they are (an empty CA path, a zero size limit) are
    /// refused here.
    pub(crate) fn apply(&self, mut builder: ClientBuilder) -> FfiResult<ClientBuilder> {
        if self.ca_files.iter().any(|file| file.as_os_str().is_empty()) {
            return Err(FfiError::invalid("the CA file path (docspace_options_set_ca_file) is empty"));
        }
        if self.max_response_bytes == Some(0) {
            return Err(FfiError::invalid(
                "the answer size limit (docspace_options_set_max_response_bytes) must be greater than zero",
            ));
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(timeout) = self.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        for file in &self.ca_files {
            builder = builder.ca_file(file);
        }
        for pem in &self.ca_pems {
            builder = builder.ca_pem(pem.clone());
        }
        builder = builder.allow_insecure_http(self.allow_insecure_http);
        if let Some(user_agent) = &self.user_agent {
            builder = builder.user_agent(user_agent.clone());
        }
        if let Some(limit) = self.max_response_bytes {
            builder = builder.max_response_bytes(limit);
        }
        if self.no_proxy {
            builder = builder.no_proxy();
        }
        Ok(builder)
    }
}

fn set(options: *mut docspace_options, change: impl FnOnce(&mut Options) -> FfiResult<()>) -> docspace_result {
    result_of(|| change(unsafe { handle_mut(options, "options") }?))
}

/// Create an options object with the defaults: 30 s total timeout, 10 s connect timeout,
/// system CA roots only, https only (plain http only to loopback), User-Agent
/// `docspace-auth/<version>`, answers up to 1 MiB, proxy environment variables honoured.
///
/// On success `*options_out` is a new handle the caller owns and frees with
/// `docspace_options_free()`. Returns OK, or NULL_PARAMETER.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn docspace_options_new(options_out: *mut *mut docspace_options) -> docspace_result {
    ffi_boundary! {
        result_of(|| {
            let out = unsafe { Out::new(options_out, "options_out") }?;
            out.write(new_handle(Options::default()));
            Ok(())
        })
    }
}

/// Set the total time one request may take, connect included, in milliseconds (default
/// 30000; must be greater than zero, checked by `docspace_client_new_with_options()`).
/// Returns OK or NULL_PARAMETER.
/// Not thread-safe: do not call concurrently on the same options.
#[no_mangle]
pub extern "C" fn docspace_options_set_timeout_ms(options: *mut docspace_options, timeout_ms: u64) -> docspace_result {
    ffi_boundary! {
        set(options, |o| {
            o.timeout = Some(Duration::from_millis(timeout_ms));
            Ok(())
        })
    }
}

/// Set the time to establish a connection, TLS included, in milliseconds (default 10000;
/// must be greater than zero, checked by `docspace_client_new_with_options()`). Returns OK or
/// NULL_PARAMETER.
/// Not thread-safe: do not call concurrently on the same options.
#[no_mangle]
pub extern "C" fn docspace_options_set_connect_timeout_ms(
    options: *mut docspace_options,
    timeout_ms: u64,
) -> docspace_result {
    ffi_boundary! {
        set(options, |o| {
            o.connect_timeout = Some(Duration::from_millis(timeout_ms));
            Ok(())
        })
    }
}

/// Trust the CA certificate(s) in this PEM file in addition to the system roots (self-hosted
/// portals with their own CA). May be called several times: every file is added. The file is
/// read when the client is created; an empty path or an unreadable or invalid file makes
/// `docspace_client_new_with_options()` fail with INVALID_ARGUMENT. Returns OK,
/// NULL_PARAMETER, or INVALID_ARGUMENT (not UTF-8).
/// Not thread-safe: do not call concurrently on the same options.
#[no_mangle]
pub extern "C" fn docspace_options_set_ca_file(options: *mut docspace_options, path: *const c_char) -> docspace_result {
    ffi_boundary! {
        set(options, |o| {
            o.ca_files.push(PathBuf::from(unsafe { arg_str(path, "path") }?));
            Ok(())
        })
    }
}

/// Trust the CA certificate(s) in this PEM text (`-----BEGIN CERTIFICATE-----...`) in addition
/// to the system roots. May be called several times: every text is added. Text that is not
/// PEM or holds no certificate (an empty text included) makes
/// `docspace_client_new_with_options()` fail with INVALID_ARGUMENT. Returns OK,
/// NULL_PARAMETER, or INVALID_ARGUMENT (not UTF-8).
/// Not thread-safe: do not call concurrently on the same options.
#[no_mangle]
pub extern "C" fn docspace_options_set_ca_pem(options: *mut docspace_options, pem: *const c_char) -> docspace_result {
    ffi_boundary! {
        set(options, |o| {
            o.ca_pems.push(unsafe { arg_str(pem, "pem") }?.as_bytes().to_vec());
            Ok(())
        })
    }
}

/// Allow plain `http://` to hosts other than loopback (default false). Passwords and tokens
/// then cross the network unencrypted: for test portals only. Returns OK or NULL_PARAMETER.
/// Not thread-safe: do not call concurrently on the same options.
#[no_mangle]
pub extern "C" fn docspace_options_set_allow_insecure_http(
    options: *mut docspace_options,
    allow: bool,
) -> docspace_result {
    ffi_boundary! {
        set(options, |o| {
            o.allow_insecure_http = allow;
            Ok(())
        })
    }
}

/// Prefix the User-Agent with this product token (`"myapp/1.2"`); the library always adds
/// `docspace-auth/<version>` after it. Must be printable ASCII (checked by
/// `docspace_client_new_with_options()`). Returns OK, NULL_PARAMETER or INVALID_ARGUMENT (not
/// UTF-8).
/// Not thread-safe: do not call concurrently on the same options.
#[no_mangle]
pub extern "C" fn docspace_options_set_user_agent(
    options: *mut docspace_options,
    user_agent: *const c_char,
) -> docspace_result {
    ffi_boundary! {
        set(options, |o| {
            o.user_agent = Some(unsafe { arg_str(user_agent, "user_agent") }?.to_owned());
            Ok(())
        })
    }
}

/// Largest answer body accepted, in bytes (default 1 MiB; must be greater than zero, checked
/// by `docspace_client_new_with_options()`); larger answers fail with UNEXPECTED_RESPONSE.
/// Returns OK or NULL_PARAMETER.
/// Not thread-safe: do not call concurrently on the same options.
#[no_mangle]
pub extern "C" fn docspace_options_set_max_response_bytes(
    options: *mut docspace_options,
    max_bytes: usize,
) -> docspace_result {
    ffi_boundary! {
        set(options, |o| {
            o.max_response_bytes = Some(max_bytes);
            Ok(())
        })
    }
}

/// When true, ignore `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`/`NO_PROXY` (honoured by
/// default). Returns OK or NULL_PARAMETER.
/// Not thread-safe: do not call concurrently on the same options.
#[no_mangle]
pub extern "C" fn docspace_options_set_no_proxy(options: *mut docspace_options, no_proxy: bool) -> docspace_result {
    ffi_boundary! {
        set(options, |o| {
            o.no_proxy = no_proxy;
            Ok(())
        })
    }
}

/// Free an options object. NULL is a no-op; do not free twice. Clients created from it are
/// not affected.
/// Must not race with other calls on the same handle.
#[no_mangle]
pub extern "C" fn docspace_options_free(options: *mut docspace_options) {
    ffi_boundary! {
        unsafe { free_handle(options) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::client::{docspace_client_free, docspace_client_new_with_options};
    use crate::ffi::error::{docspace_error_free, docspace_error_message};
    use std::ffi::CStr;
    use std::ptr;

    type Setter = fn(*mut docspace_options) -> docspace_result;

    /// Build a client with one setter applied; the setter itself must succeed. Returns the
    /// result of the build and its message.
    fn build_with(set: impl FnOnce(*mut docspace_options) -> docspace_result) -> (docspace_result, String) {
        let mut options = ptr::null_mut();
        assert_eq!(docspace_options_new(&mut options), docspace_result::Ok);
        assert_eq!(set(options), docspace_result::Ok, "setters only store");
        let (mut client, mut error) = (ptr::null_mut(), ptr::null_mut());
        let result =
            docspace_client_new_with_options(c"https://portal.example.com".as_ptr(), options, &mut client, &mut error);
        let message = if error.is_null() {
            String::new()
        } else {
            unsafe { CStr::from_ptr(docspace_error_message(error)) }.to_str().unwrap().to_owned()
        };
        docspace_error_free(error);
        docspace_client_free(client);
        docspace_options_free(options);
        (result, message)
    }

    #[test]
    fn values_are_checked_when_the_client_is_built() {
        let cases: [(Setter, &str); 7] = [
            (|o| docspace_options_set_timeout_ms(o, 0), "timeout"),
            (|o| docspace_options_set_connect_timeout_ms(o, 0), "timeout"),
            (|o| docspace_options_set_max_response_bytes(o, 0), "size limit"),
            (|o| docspace_options_set_ca_file(o, c"".as_ptr()), "CA file"),
            (|o| docspace_options_set_ca_file(o, c"/nonexistent/ca.pem".as_ptr()), "CA file"),
            (|o| docspace_options_set_ca_pem(o, c"".as_ptr()), "CA PEM"),
            (|o| docspace_options_set_user_agent(o, c"bad\nagent".as_ptr()), "user agent"),
        ];
        for (set, needle) in cases {
            let (result, message) = build_with(set);
            assert_eq!(result, docspace_result::InvalidArgument, "{needle}");
            assert!(message.contains(needle), "{needle}: {message}");
        }
        assert_eq!(build_with(|o| docspace_options_set_timeout_ms(o, 5000)).0, docspace_result::Ok);
        assert_eq!(docspace_options_set_timeout_ms(ptr::null_mut(), 1), docspace_result::NullParameter);
    }
}
