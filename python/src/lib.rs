//! `docspace_auth._native`: the PyO3 binding of the `docspace-auth` Rust core.
//!
//! The Python package `docspace_auth` (python/docspace_auth/) re-exports everything here; the
//! exceptions and enums are plain Python classes in that package, imported by this module.
//! Conventions:
//! - every network call runs inside `py.detach` with owned arguments (the GIL is released),
//!   and the module declares `gil_used = false`;
//! - core errors become Python exceptions in one place (`errors::to_pyerr`);
//! - `repr()` never shows a secret.

use pyo3::prelude::*;

mod args;
mod client;
mod enums;
mod errors;
mod model;
mod totp;

/// The package version: this crate's, which must equal the core's.
const VERSION: &str = env!("CARGO_PKG_VERSION");

const fn same_str(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const _: () = assert!(
    same_str(VERSION, docspace_auth::VERSION),
    "python/Cargo.toml's version must equal the root crate's (docspace_auth.__version__ is both)"
);

/// Every error-kind name of the core, in its order (for tests and tooling).
#[pyfunction]
fn _error_kinds() -> Vec<&'static str> {
    errors::kind_names()
}

/// The exception the binding raises for a core error of `kind`, built through the one mapping
/// (for tests). `retry_after` is in seconds.
#[pyfunction]
#[pyo3(signature = (kind, message, *, status = None, server_message = None, retry_after = None))]
fn _error_for_kind(
    py: Python<'_>,
    kind: String,
    message: String,
    status: Option<u16>,
    server_message: Option<String>,
    retry_after: Option<f64>,
) -> PyResult<Py<PyAny>> {
    let kind =
        errors::kind_by_name(&kind).ok_or_else(|| pyo3::exceptions::PyValueError::new_err("unknown error kind"))?;
    let mut error = docspace_auth::Error::new(kind, message);
    if let Some(status) = status {
        error = error.with_status(status);
    }
    if let Some(text) = server_message {
        error = error.with_server_message(&text);
    }
    if let Some(seconds) = retry_after {
        let delay = std::time::Duration::try_from_secs_f64(seconds)
            .map_err(|_| pyo3::exceptions::PyValueError::new_err("retry_after must be a non-negative number"))?;
        error = error.with_retry_after(delay);
    }
    Ok(errors::to_pyerr(py, &error).into_value(py).into_any())
}

/// Whether the core calls this error kind retryable (for tests: the Python classes say the same).
#[pyfunction]
fn _is_retryable(kind: String) -> PyResult<bool> {
    errors::kind_by_name(&kind)
        .map(|k| k.is_retryable())
        .ok_or_else(|| pyo3::exceptions::PyValueError::new_err("unknown error kind"))
}

#[pymodule(gil_used = false)]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", VERSION)?;
    m.add_class::<client::Client>()?;
    m.add_class::<model::Session>()?;
    m.add_class::<model::Challenge>()?;
    m.add_class::<model::Authenticated>()?;
    m.add_class::<model::CodeRequired>()?;
    m.add_class::<model::SetupRequired>()?;
    m.add_class::<model::SmsRequired>()?;
    m.add_class::<model::AppSetup>()?;
    m.add_class::<model::BackupCode>()?;
    m.add_class::<model::TfaMethodSettings>()?;
    m.add_class::<model::TfaPolicy>()?;
    m.add_class::<model::TfaPolicyUpdate>()?;
    m.add_class::<model::AppReset>()?;
    m.add_class::<totp::Totp>()?;
    m.add_class::<totp::OtpauthUri>()?;
    m.add_function(wrap_pyfunction!(totp::totp, m)?)?;
    m.add_function(wrap_pyfunction!(totp::verify_totp, m)?)?;
    m.add_function(wrap_pyfunction!(totp::seconds_remaining, m)?)?;
    m.add_function(wrap_pyfunction!(totp::parse_otpauth_uri, m)?)?;
    m.add_function(wrap_pyfunction!(_error_kinds, m)?)?;
    m.add_function(wrap_pyfunction!(_error_for_kind, m)?)?;
    m.add_function(wrap_pyfunction!(_is_retryable, m)?)?;
    // `__all__`: the public names only (the `_`-helpers above are for tests).
    let public: Vec<String> = m
        .index()?
        .iter()
        .map(|name| name.extract::<String>())
        .collect::<PyResult<Vec<_>>>()?
        .into_iter()
        .filter(|name| !name.starts_with('_') || name == "__version__")
        .collect();
    m.setattr("__all__", public)?;
    Ok(())
}
