//! The `str`-valued enums defined in `docspace_auth/enums.py` (`TfaMethod`, `Algorithm`,
//! `ConfirmType`): built from core values, and read back from either the enum or a plain string.

use docspace_auth::totp::Algorithm;
use docspace_auth::{ConfirmType, TfaMethod};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

use crate::errors::invalid_argument;

static TFA_METHOD: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static ALGORITHM: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static CONFIRM_TYPE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

const ENUMS_MODULE: &str = "docspace_auth.enums";

fn member<'py>(
    py: Python<'py>,
    cell: &PyOnceLock<Py<PyType>>,
    class: &str,
    value: &str,
) -> PyResult<Bound<'py, PyAny>> {
    cell.import(py, ENUMS_MODULE, class)?.call1((value,))
}

pub(crate) fn tfa_method_to_py(py: Python<'_>, method: TfaMethod) -> PyResult<Bound<'_, PyAny>> {
    let value = match method {
        TfaMethod::None => "none",
        TfaMethod::Sms => "sms",
        TfaMethod::App => "app",
    };
    member(py, &TFA_METHOD, "TfaMethod", value)
}

pub(crate) fn algorithm_to_py(py: Python<'_>, algorithm: Algorithm) -> PyResult<Bound<'_, PyAny>> {
    member(py, &ALGORITHM, "Algorithm", algorithm.as_str())
}

pub(crate) fn confirm_type_to_py(py: Python<'_>, confirm_type: ConfirmType) -> PyResult<Bound<'_, PyAny>> {
    member(py, &CONFIRM_TYPE, "ConfirmType", confirm_type.as_str())
}

/// A `str` argument (enum members are `str`s too), or a TypeError naming the expected type.
/// A `str` that is not valid Unicode (a lone surrogate) keeps its `UnicodeEncodeError`.
fn text(value: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    if value.is_instance_of::<pyo3::types::PyString>() {
        return value.extract::<String>();
    }
    value.extract::<String>().map_err(|_| {
        pyo3::exceptions::PyTypeError::new_err(format!(
            "{what} must be a str or a {what} member, not {}",
            value.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into())
        ))
    })
}

/// `TfaMethod.APP` or `"app"` (any case).
pub(crate) fn tfa_method_from_py(value: &Bound<'_, PyAny>) -> PyResult<TfaMethod> {
    let text = text(value, "TfaMethod")?;
    match text.trim().to_ascii_lowercase().as_str() {
        "none" | "off" => Ok(TfaMethod::None),
        "sms" => Ok(TfaMethod::Sms),
        "app" => Ok(TfaMethod::App),
        _ => Err(invalid_argument("the 2FA method must be 'none', 'sms' or 'app'")),
    }
}

/// `Algorithm.SHA256` or `"SHA256"` / `"sha-256"` / `"SHA_256"`.
pub(crate) fn algorithm_from_py(value: &Bound<'_, PyAny>) -> PyResult<Algorithm> {
    let text = text(value, "Algorithm")?;
    let normalised: String =
        text.trim().chars().filter(|c| *c != '-' && *c != '_').collect::<String>().to_ascii_uppercase();
    match normalised.as_str() {
        "SHA1" => Ok(Algorithm::Sha1),
        "SHA256" => Ok(Algorithm::Sha256),
        "SHA512" => Ok(Algorithm::Sha512),
        _ => Err(invalid_argument("the TOTP algorithm must be SHA1, SHA256 or SHA512")),
    }
}
