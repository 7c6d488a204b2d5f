//! TOTP (RFC 6238) and `otpauth://` URIs: `Totp`, `OtpauthUri`, and the module functions
//! `totp`, `verify_totp`, `seconds_remaining`, `parse_otpauth_uri`. Pure computation: the GIL
//! is kept (each call takes microseconds).

use std::time::{SystemTime, UNIX_EPOCH};

use docspace_auth::totp::{self as core, Algorithm};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};

use crate::args::{self, Wiped};
use crate::enums;
use crate::errors::OrRaise;
use crate::model::py_repr;

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn window_arg(window: &Bound<'_, PyAny>) -> PyResult<u32> {
    args::small_count(window, "window")
}

/// A TOTP generator and verifier: a secret plus algorithm, digits and period. The defaults
/// are DocSpace's (SHA1, 6 digits, 30 s); DocSpace's 80-bit secrets are accepted.
#[pyclass(frozen, module = "docspace_auth")]
pub(crate) struct Totp {
    pub(crate) inner: core::Totp,
}

#[pymethods]
impl Totp {
    /// `secret` is base32, read leniently (either case, spaces, optional `=` padding).
    /// `algorithm` is an `Algorithm` or `"SHA1"`/`"SHA256"`/`"SHA512"`; `digits` 6–8;
    /// `period` 1–3600 seconds. Raises InvalidArgumentError for unusable values.
    #[new]
    #[pyo3(signature = (secret, *, algorithm = None, digits = None, period = None))]
    #[pyo3(text_signature = "(secret, *, algorithm='SHA1', digits=6, period=30)")]
    fn py_new(
        secret: Wiped,
        algorithm: Option<&Bound<'_, PyAny>>,
        digits: Option<&Bound<'_, PyAny>>,
        period: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let (algorithm, digits, period) = params(algorithm, digits, period)?;
        Ok(Totp { inner: core::Totp::with_params(&secret, algorithm, digits, period).or_raise()? })
    }

    /// A generator for raw secret bytes (same parameters as the constructor).
    #[staticmethod]
    #[pyo3(signature = (secret, *, algorithm = None, digits = None, period = None))]
    #[pyo3(text_signature = "(secret, *, algorithm='SHA1', digits=6, period=30)")]
    fn from_bytes(
        secret: &Bound<'_, PyBytes>,
        algorithm: Option<&Bound<'_, PyAny>>,
        digits: Option<&Bound<'_, PyAny>>,
        period: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Totp> {
        let (algorithm, digits, period) = params(algorithm, digits, period)?;
        Ok(Totp { inner: core::Totp::from_bytes(secret.as_bytes(), algorithm, digits, period).or_raise()? })
    }

    /// The generator of an `otpauth://totp/…` URI (issuer and account are dropped; use
    /// `parse_otpauth_uri` to keep them).
    #[staticmethod]
    fn from_uri(uri: Wiped) -> PyResult<Totp> {
        Ok(Totp { inner: core::OtpauthUri::parse(&uri).or_raise()?.totp })
    }

    /// The HMAC hash function.
    #[getter]
    fn algorithm<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        enums::algorithm_to_py(py, self.inner.algorithm())
    }

    /// The code length: 6, 7 or 8.
    #[getter]
    fn digits(&self) -> u32 {
        self.inner.digits()
    }

    /// The time step in seconds.
    #[getter]
    fn period(&self) -> u64 {
        self.inner.period()
    }

    /// The secret as canonical base32 (upper case, no spaces, no padding). Secret.
    #[getter]
    fn secret(&self) -> String {
        self.inner.secret_base32().expose().to_owned()
    }

    /// The code at `at` (Unix seconds as int/float, or a datetime).
    fn code_at(&self, at: &Bound<'_, PyAny>) -> PyResult<String> {
        let t = args::unix_time(Some(at))?.ok_or_else(|| {
            pyo3::exceptions::PyTypeError::new_err("at must be an int, a float or a datetime, not None")
        })?;
        Ok(self.inner.code_at(t).as_str().to_owned())
    }

    /// The code for the current system time.
    fn code_now(&self) -> String {
        self.inner.code_now().as_str().to_owned()
    }

    /// The step offset of the matching code within ±`window` steps (0 = current, -1 =
    /// previous…), or None. `at` defaults to now. `window` is clamped to 10.
    #[pyo3(signature = (code, window = None, at = None))]
    #[pyo3(text_signature = "($self, code, window=1, at=None)")]
    fn verify(
        &self,
        code: Wiped,
        window: Option<&Bound<'_, PyAny>>,
        at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<i64>> {
        let window = window.map(window_arg).transpose()?.unwrap_or(1);
        let t = args::unix_time(at)?.unwrap_or_else(now);
        Ok(self.inner.verify_at(&code, t, window))
    }

    /// How many seconds the code at `at` (default now) stays current: 1..=period.
    #[pyo3(signature = (at = None))]
    fn seconds_remaining(&self, at: Option<&Bound<'_, PyAny>>) -> PyResult<u64> {
        let t = args::unix_time(at)?.unwrap_or_else(now);
        Ok(self.inner.seconds_remaining_at(t))
    }

    /// `otpauth://totp/…` for this generator, for a QR code. Secret (it contains the key).
    #[pyo3(signature = (account, issuer = None))]
    fn to_uri(&self, account: String, issuer: Option<String>) -> String {
        core::OtpauthUri::new(self.inner.clone(), issuer.as_deref(), &account).to_uri().expose().to_owned()
    }

    fn __repr__(&self) -> String {
        format!(
            "Totp(secret='***', algorithm='{}', digits={}, period={})",
            self.inner.algorithm().as_str(),
            self.inner.digits(),
            self.inner.period()
        )
    }
}

fn params(
    algorithm: Option<&Bound<'_, PyAny>>,
    digits: Option<&Bound<'_, PyAny>>,
    period: Option<&Bound<'_, PyAny>>,
) -> PyResult<(Algorithm, u32, u64)> {
    let algorithm =
        algorithm.filter(|a| !a.is_none()).map(enums::algorithm_from_py).transpose()?.unwrap_or(Algorithm::Sha1);
    let digits = digits
        .filter(|d| !d.is_none())
        .map(|d| args::small_count(d, "digits"))
        .transpose()?
        .unwrap_or(core::Totp::DEFAULT_DIGITS);
    let period = period
        .filter(|p| !p.is_none())
        .map(|p| args::count_u64(p, "period"))
        .transpose()?
        .unwrap_or(core::Totp::DEFAULT_PERIOD);
    Ok((algorithm, digits, period))
}

/// A TOTP key URI: the generator plus the issuer and account names an authenticator shows.
#[pyclass(frozen, module = "docspace_auth")]
pub(crate) struct OtpauthUri {
    inner: core::OtpauthUri,
}

#[pymethods]
impl OtpauthUri {
    /// Put a generator together with its names (an empty issuer counts as none).
    #[new]
    #[pyo3(signature = (totp, account, issuer = None))]
    fn py_new(totp: &Bound<'_, Totp>, account: String, issuer: Option<String>) -> OtpauthUri {
        OtpauthUri { inner: core::OtpauthUri::new(totp.get().inner.clone(), issuer.as_deref(), &account) }
    }

    /// Read an `otpauth://totp/…` URI tolerantly. Raises InvalidArgumentError.
    #[staticmethod]
    fn parse(uri: Wiped) -> PyResult<OtpauthUri> {
        Ok(OtpauthUri { inner: core::OtpauthUri::parse(&uri).or_raise()? })
    }

    #[classattr]
    fn __match_args__(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
        PyTuple::new(py, ["totp", "issuer", "account"])
    }

    /// The generator.
    #[getter]
    fn totp(&self) -> Totp {
        Totp { inner: self.inner.totp.clone() }
    }

    /// Who issued the key (DocSpace: the portal's domain), if known.
    #[getter]
    fn issuer(&self) -> Option<&str> {
        self.inner.issuer.as_deref()
    }

    /// The account name (DocSpace: the user's e-mail). May be empty.
    #[getter]
    fn account(&self) -> &str {
        &self.inner.account
    }

    /// The URI text. Secret (it contains the key).
    fn to_uri(&self) -> String {
        self.inner.to_uri().expose().to_owned()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "OtpauthUri(totp={}, issuer={}, account={})",
            Totp { inner: self.inner.totp.clone() }.__repr__(),
            py_repr(py, self.inner.issuer.as_deref())?,
            py_repr(py, self.inner.account.as_str())?
        ))
    }
}

/// The current (or `at`) 6-digit SHA1/30 s code of a base32 secret, as DocSpace computes it.
#[pyfunction]
#[pyo3(signature = (secret, at = None))]
pub(crate) fn totp(secret: Wiped, at: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
    let t = args::unix_time(at)?.unwrap_or_else(now);
    Ok(core::code_at(&secret, t).or_raise()?.as_str().to_owned())
}

/// The step offset of `code` within ±`window` steps of now (or `at`), or None.
#[pyfunction]
#[pyo3(signature = (secret, code, window = None, at = None))]
#[pyo3(text_signature = "(secret, code, window=1, at=None)")]
pub(crate) fn verify_totp(
    secret: Wiped,
    code: Wiped,
    window: Option<&Bound<'_, PyAny>>,
    at: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<i64>> {
    let generator = core::Totp::new(&secret).or_raise()?;
    let window = window.map(window_arg).transpose()?.unwrap_or(1);
    let t = args::unix_time(at)?.unwrap_or_else(now);
    Ok(generator.verify_at(&code, t, window))
}

/// How many seconds the code at `at` (default now) stays current: 1..=period.
#[pyfunction]
#[pyo3(signature = (at = None, *, period = None))]
#[pyo3(text_signature = "(at=None, *, period=30)")]
pub(crate) fn seconds_remaining(at: Option<&Bound<'_, PyAny>>, period: Option<&Bound<'_, PyAny>>) -> PyResult<u64> {
    let period = period
        .filter(|p| !p.is_none())
        .map(|p| args::count_u64(p, "period"))
        .transpose()?
        .unwrap_or(core::Totp::DEFAULT_PERIOD);
    if !(1..=3600).contains(&period) {
        return Err(crate::errors::invalid_argument("the TOTP period must be between 1 and 3600 seconds"));
    }
    let t = args::unix_time(at)?.unwrap_or_else(now);
    Ok(period - t % period)
}

/// Read an `otpauth://totp/…` URI. Raises InvalidArgumentError.
#[pyfunction]
pub(crate) fn parse_otpauth_uri(uri: Wiped) -> PyResult<OtpauthUri> {
    OtpauthUri::parse(uri)
}
