//! Argument conversions shared by the classes: moments in time, counts, durations. Wrong types
//! raise `TypeError`, out-of-range values `InvalidArgumentError` (a `ValueError`); nothing panics.

use std::time::Duration;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt};

use crate::errors::invalid_argument;

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into())
}

/// A moment as Unix seconds: `None` (now), an `int`, a `float` (rounded down) or a
/// `datetime.datetime` (its `.timestamp()`; naive datetimes are local time, as in Python).
pub(crate) fn unix_time(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<u64>> {
    let Some(value) = value else { return Ok(None) };
    if value.is_none() {
        return Ok(None);
    }
    if value.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err("a time must be an int, a float or a datetime, not bool"));
    }
    let seconds: f64 = if value.is_instance_of::<PyInt>() {
        return match value.extract::<i128>() {
            Ok(t) if t < 0 => Err(invalid_argument("the time must not be before 1970 (Unix time below 0)")),
            Ok(t) => u64::try_from(t).map(Some).map_err(|_| invalid_argument("the time is too far in the future")),
            Err(_) => Err(invalid_argument("the time is too far in the future")),
        };
    } else if value.is_instance_of::<PyFloat>() {
        value.extract()?
    } else if value.hasattr("timestamp")? && value.hasattr("tzinfo")? {
        value.call_method0("timestamp")?.extract()?
    } else {
        return Err(PyTypeError::new_err(format!(
            "a time must be an int, a float or a datetime, not {}",
            type_name(value)
        )));
    };
    if !seconds.is_finite() {
        return Err(invalid_argument("the time must be a finite number of seconds"));
    }
    if seconds < 0.0 {
        return Err(invalid_argument("the time must not be before 1970 (Unix time below 0)"));
    }
    if seconds >= 18_446_744_073_709_551_615.0 {
        return Err(invalid_argument("the time is too far in the future"));
    }
    // Truncation toward zero is floor here (non-negative).
    Ok(Some(seconds as u64))
}

/// A non-negative whole number that fits `u32` (TOTP window, digits).
pub(crate) fn small_count(value: &Bound<'_, PyAny>, what: &str) -> PyResult<u32> {
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!("{what} must be an int, not {}", type_name(value))));
    }
    match value.extract::<i128>() {
        Ok(n) if n < 0 => Err(invalid_argument(format!("{what} must not be negative"))),
        Ok(n) => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
        Err(_) => Ok(u32::MAX),
    }
}

/// A non-negative whole number that fits `u64` (TOTP period).
pub(crate) fn count_u64(value: &Bound<'_, PyAny>, what: &str) -> PyResult<u64> {
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!("{what} must be an int, not {}", type_name(value))));
    }
    match value.extract::<i128>() {
        Ok(n) if n < 0 => Err(invalid_argument(format!("{what} must not be negative"))),
        Ok(n) => Ok(u64::try_from(n).unwrap_or(u64::MAX)),
        Err(_) => Ok(u64::MAX),
    }
}

/// A positive, finite duration in seconds (`int`, `float` or `datetime.timedelta`).
pub(crate) fn duration(value: &Bound<'_, PyAny>, what: &str) -> PyResult<Duration> {
    let seconds: f64 = if value.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(format!("{what} must be a number of seconds, not bool")));
    } else if value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>() {
        value.extract()?
    } else if value.hasattr("total_seconds")? {
        value.call_method0("total_seconds")?.extract()?
    } else {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a number of seconds (int, float or timedelta), not {}",
            type_name(value)
        )));
    };
    if !seconds.is_finite() || seconds <= 0.0 {
        return Err(invalid_argument(format!("{what} must be a positive, finite number of seconds")));
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| invalid_argument(format!("{what} is too large")))
}

/// A password, code or token copied out of a Python `str`; the Rust copy is wiped when dropped.
pub(crate) struct Wiped(zeroize::Zeroizing<String>);

impl std::ops::Deref for Wiped {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl FromPyObject<'_, '_> for Wiped {
    type Error = PyErr;

    fn extract(obj: pyo3::Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        Ok(Wiped(zeroize::Zeroizing::new(obj.extract::<String>()?)))
    }
}
