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
/// Not thread-safe for concurrent modification: set options from one thread at a time.
/// Corresponds to a `Box` of an internal Rust struct.
pub struct docspace_options {
    _private: [u8; 0],
}

/// What the setters collected; applied to a `ClientBuilder` at client creation.
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
    pub(crate) fn apply(&self, mut builder: ClientBuilder) -> ClientBuilder {
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
        builder
    }
}

fn set(options: *mut docspace_options, change: impl FnOnce(&mut Options) -> FfiResult<()>) -> docspace_result {
    result_of(|| change(unsafe { handle_mut(options, "options") }?))
}

fn millis(ms: u64) -> FfiResult<Duration> {
    if ms == 0 {
        return Err(FfiError::invalid("timeouts must be greater than zero"));
    }
    Ok(Duration::from_millis(ms))
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
/// 30000). Returns OK, NULL_PARAMETER, or INVALID_ARGUMENT for 0.
/// Not thread-safe: do not call concurrently on the same options.
#[no_mangle]
pub extern "C" fn docspace_options_set_timeout_ms(options: *mut docspace_options, timeout_ms: u64) -> docspace_result {
    ffi_boundary! {
        set(options, |o| {
            o.timeout = Some(millis(timeout_ms)?);
            Ok(())
        })
    }
}

/// Set the time to establish a connection, TLS included, in milliseconds (default 10000).
/// Returns OK, NULL_PARAMETER, or INVALID_ARGUMENT for 0.
/// Not thread-safe: do not call concurrently on the same options.
#[no_mangle]
pub extern "C" fn docspace_options_set_connect_timeout_ms(
    options: *mut docspace_options,
    timeout_ms: u64,
) -> docspace_result {
    ffi_boundary! {
        set(options, |o| {
            o.connect_timeout = Some(millis(timeout_ms)?);
            Ok(())
        })
    }
}

/// Trust the CA certificate(s) in this PEM file in addition to the system roots (self-hosted
/// portals with their own CA). May be called several times: every file is added. The file is
/// read when the client is created; an unreadable or invalid file makes
/// `docspace_client_new_with_options()` fail with INVALID_ARGUMENT. Returns OK,
/// NULL_PARAMETER, or INVALID_ARGUMENT (not UTF-8, empty).
/// Not thread-safe: do not call concurrently on the same options.
#[no_mangle]
pub extern "C" fn docspace_options_set_ca_file(options: *mut docspace_options, path: *const c_char) -> docspace_result {
    ffi_boundary! {
        set(options, |o| {
            let path = unsafe { arg_str(path, "path") }?;
            if path.is_empty() {
                return Err(FfiError::invalid("the CA file path is empty"));
            }
            o.ca_files.push(PathBuf::from(path));
            Ok(())
        })
    }
}

/// Trust the CA certificate(s) in this PEM text (`-----BEGIN CERTIFICATE-----...`) in addition
/// to the system roots. May be called several times: every text is added. Invalid PEM makes
/// `docspace_client_new_with_options()` fail with INVALID_ARGUMENT. Returns OK,
/// NULL_PARAMETER, or INVALID_ARGUMENT (not UTF-8, empty).
/// Not thread-safe: do not call concurrently on the same options.
#[no_mangle]
pub extern "C" fn docspace_options_set_ca_pem(options: *mut docspace_options, pem: *const c_char) -> docspace_result {
    ffi_boundary! {
        set(options, |o| {
            let pem = unsafe { arg_str(pem, "pem") }?;
            if pem.trim().is_empty() {
                return Err(FfiError::invalid("the CA PEM text is empty"));
            }
            o.ca_pems.push(pem.as_bytes().to_vec());
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
/// `docspace-auth/<version>` after it. Must be printable ASCII (checked when the client is
/// created). Returns OK, NULL_PARAMETER or INVALID_ARGUMENT (not UTF-8).
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

/// Largest answer body accepted, in bytes (default 1 MiB); larger answers fail with
/// UNEXPECTED_RESPONSE. Returns OK, NULL_PARAMETER, or INVALID_ARGUMENT for 0.
/// Not thread-safe: do not call concurrently on the same options.
#[no_mangle]
pub extern "C" fn docspace_options_set_max_response_bytes(
    options: *mut docspace_options,
    max_bytes: usize,
) -> docspace_result {
    ffi_boundary! {
        set(options, |o| {
            if max_bytes == 0 {
                return Err(FfiError::invalid("the answer size limit must be greater than zero"));
            }
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
