//! The one mapping from the core's [`docspace_auth::Error`] to the Python exceptions defined in
//! `docspace_auth/errors.py` (imported here, as pyca/cryptography does, so their docstrings,
//! attributes and pickling stay plain Python).

use docspace_auth::{Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};
use pyo3::PyTypeInfo;

pyo3::import_exception!(docspace_auth.errors, DocSpaceError);
pyo3::import_exception!(docspace_auth.errors, InvalidArgumentError);
pyo3::import_exception!(docspace_auth.errors, NetworkError);
pyo3::import_exception!(docspace_auth.errors, DocSpaceTimeoutError);
pyo3::import_exception!(docspace_auth.errors, TlsError);
pyo3::import_exception!(docspace_auth.errors, InvalidCredentialsError);
pyo3::import_exception!(docspace_auth.errors, InvalidCodeError);
pyo3::import_exception!(docspace_auth.errors, LockedOutError);
pyo3::import_exception!(docspace_auth.errors, RateLimitedError);
pyo3::import_exception!(docspace_auth.errors, TfaNotAvailableError);
pyo3::import_exception!(docspace_auth.errors, ConfirmContextError);
pyo3::import_exception!(docspace_auth.errors, AccessDeniedError);
pyo3::import_exception!(docspace_auth.errors, SessionInvalidError);
pyo3::import_exception!(docspace_auth.errors, ServerError);
pyo3::import_exception!(docspace_auth.errors, UnexpectedResponseError);

/// The Python class of an error kind: the single place where kinds become classes.
fn exception_type(py: Python<'_>, kind: ErrorKind) -> Bound<'_, PyType> {
    match kind {
        ErrorKind::InvalidArgument => InvalidArgumentError::type_object(py),
        ErrorKind::Network => NetworkError::type_object(py),
        ErrorKind::Timeout => DocSpaceTimeoutError::type_object(py),
        ErrorKind::Tls => TlsError::type_object(py),
        ErrorKind::InvalidCredentials => InvalidCredentialsError::type_object(py),
        ErrorKind::InvalidCode => InvalidCodeError::type_object(py),
        ErrorKind::LockedOut => LockedOutError::type_object(py),
        ErrorKind::RateLimited => RateLimitedError::type_object(py),
        ErrorKind::TfaNotAvailable => TfaNotAvailableError::type_object(py),
        ErrorKind::ConfirmContext => ConfirmContextError::type_object(py),
        ErrorKind::AccessDenied => AccessDeniedError::type_object(py),
        ErrorKind::SessionInvalid => SessionInvalidError::type_object(py),
        ErrorKind::ServerError => ServerError::type_object(py),
        ErrorKind::UnexpectedResponse => UnexpectedResponseError::type_object(py),
        // ErrorKind is non-exhaustive: a kind added to the core later is still a DocSpaceError.
        _ => DocSpaceError::type_object(py),
    }
}

/// The Python exception for a core error: `cls(message, status=…, server_message=…, retry_after=…)`.
pub(crate) fn to_pyerr(py: Python<'_>, error: &Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("status", error.status())?;
        kwargs.set_item("server_message", error.server_message())?;
        kwargs.set_item("retry_after", error.retry_after().map(|d| d.as_secs_f64()))?;
        let instance = exception_type(py, error.kind()).call((error.to_string(),), Some(&kwargs))?;
        Ok(PyErr::from_value(instance))
    };
    // If docspace_auth.errors cannot be imported or called, that failure is what the caller sees.
    build().unwrap_or_else(|failure| failure)
}

/// `?`-friendly conversion of core results into Python exceptions.
pub(crate) trait OrRaise<T> {
    fn or_raise(self) -> PyResult<T>;
}

impl<T> OrRaise<T> for docspace_auth::Result<T> {
    fn or_raise(self) -> PyResult<T> {
        self.map_err(|error| Python::attach(|py| to_pyerr(py, &error)))
    }
}

/// An `InvalidArgumentError` raised by the binding itself (argument checks the core does not do).
pub(crate) fn invalid_argument(message: impl Into<String>) -> PyErr {
    Python::attach(|py| to_pyerr(py, &Error::invalid_argument(message)))
}

/// Every kind name, in the core's order (`_native._error_kinds()`, for the tests).
pub(crate) fn kind_names() -> Vec<&'static str> {
    ErrorKind::ALL.iter().map(|k| k.name()).collect()
}

/// The kind with this stable name.
pub(crate) fn kind_by_name(name: &str) -> Option<ErrorKind> {
    ErrorKind::ALL.into_iter().find(|k| k.name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_distinct_name_that_round_trips() {
        let names = kind_names();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        for kind in ErrorKind::ALL {
            assert_eq!(kind_by_name(kind.name()), Some(kind));
        }
        assert_eq!(kind_by_name("nope"), None);
    }
}
