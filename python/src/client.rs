//! `Client`: the portal flows. Every method that does HTTP extracts its arguments into owned
//! Rust values first, then runs the core call inside `py.detach` (the GIL is released while
//! waiting for the portal).

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use docspace_auth as core;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString};

use crate::args::{self, Wiped};
use crate::errors::{invalid_argument, OrRaise};
use crate::model::{self, AppReset, AppSetup, Challenge, Session, TfaPolicy, TfaPolicyUpdate};

/// A DocSpace portal client. Thread-safe: share one between threads (calls run concurrently,
/// the GIL released) or make one per thread. Use it as a context manager, or call `close()`,
/// to drop its connection pool.
#[pyclass(frozen, module = "docspace_auth")]
pub(crate) struct Client {
    /// `None` once closed. Calls clone the core client (cheap: a shared connection pool) out of
    /// the lock, so no lock is held during a request.
    core: Mutex<Option<core::Client>>,
    base_url: String,
}

impl Client {
    fn core(&self) -> PyResult<core::Client> {
        self.core
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or_else(|| invalid_argument("this Client is closed; create a new one"))
    }
}

fn pem_bytes(value: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(text.to_cow()?.as_bytes().to_vec());
    }
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Ok(bytes.as_bytes().to_vec());
    }
    Err(pyo3::exceptions::PyTypeError::new_err("ca_pem must be str or bytes (PEM text)"))
}

#[pymethods]
impl Client {
    /// A client for the portal at `base_url` (`https://portal.example.com`).
    ///
    /// `timeout` is the total time one request may take and `connect_timeout` the time to
    /// connect (TLS included), in seconds. `ca_file` (path) and `ca_pem` (PEM text) add CA
    /// certificates to the system roots. Plain `http://` is refused for hosts other than
    /// loopback unless `allow_insecure_http`. `user_agent` prefixes the User-Agent header.
    /// Proxy environment variables are honoured unless `use_env_proxy=False`.
    #[new]
    #[pyo3(signature = (
        base_url, *, timeout = None, connect_timeout = None, ca_file = None, ca_pem = None,
        allow_insecure_http = false, user_agent = None, max_response_bytes = None, use_env_proxy = true
    ))]
    #[pyo3(
        text_signature = "(base_url, *, timeout=30.0, connect_timeout=10.0, ca_file=None, ca_pem=None, allow_insecure_http=False, user_agent=None, max_response_bytes=1048576, use_env_proxy=True)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn py_new(
        py: Python<'_>,
        base_url: String,
        timeout: Option<&Bound<'_, PyAny>>,
        connect_timeout: Option<&Bound<'_, PyAny>>,
        ca_file: Option<PathBuf>,
        ca_pem: Option<&Bound<'_, PyAny>>,
        allow_insecure_http: bool,
        user_agent: Option<String>,
        max_response_bytes: Option<&Bound<'_, PyAny>>,
        use_env_proxy: bool,
    ) -> PyResult<Self> {
        let mut builder = core::Client::builder(base_url).allow_insecure_http(allow_insecure_http);
        if let Some(timeout) = timeout.filter(|t| !t.is_none()) {
            builder = builder.timeout(args::duration(timeout, "timeout")?);
        }
        if let Some(timeout) = connect_timeout.filter(|t| !t.is_none()) {
            builder = builder.connect_timeout(args::duration(timeout, "connect_timeout")?);
        }
        if let Some(path) = ca_file {
            builder = builder.ca_file(path);
        }
        if let Some(pem) = ca_pem.filter(|p| !p.is_none()) {
            builder = builder.ca_pem(pem_bytes(pem)?);
        }
        if let Some(product) = user_agent {
            builder = builder.user_agent(product);
        }
        if let Some(limit) = max_response_bytes.filter(|l| !l.is_none()) {
            let limit = args::count_u64(limit, "max_response_bytes")?;
            if limit == 0 {
                return Err(invalid_argument("max_response_bytes must be positive"));
            }
            builder = builder.max_response_bytes(usize::try_from(limit).unwrap_or(usize::MAX));
        }
        if !use_env_proxy {
            builder = builder.no_proxy();
        }
        // Building reads CA files: no GIL needed for that.
        let client = py.detach(move || builder.build()).or_raise()?;
        let base_url = client.base_url().to_owned();
        Ok(Client { core: Mutex::new(Some(client)), base_url })
    }

    /// The portal's base URL, normalised (ends with `/`).
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.core.lock().unwrap_or_else(PoisonError::into_inner).is_none()
    }

    /// Drop the connection pool. Later calls raise `InvalidArgumentError`. Idempotent.
    fn close(&self, py: Python<'_>) {
        let client = self.core.lock().unwrap_or_else(PoisonError::into_inner).take();
        // Dropping the last handle stops reqwest's I/O thread and waits for it: no GIL needed.
        py.detach(move || drop(client));
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc_info))]
    fn __exit__(&self, py: Python<'_>, _exc_info: &Bound<'_, pyo3::types::PyTuple>) {
        self.close(py);
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("Client({})", model::py_repr(py, self.base_url.as_str())?))
    }

    /// Sign in with a password. Returns `Authenticated`, `CodeRequired`, `SetupRequired` or
    /// `SmsRequired`.
    ///
    /// Raises InvalidArgumentError, InvalidCredentialsError, LockedOutError, AccessDeniedError,
    /// RateLimitedError and the transport errors.
    fn login<'py>(&self, py: Python<'py>, user_name: String, password: Wiped) -> PyResult<Bound<'py, PyAny>> {
        let client = self.core()?;
        let outcome = py.detach(move || client.login(&user_name, &password)).or_raise()?;
        model::outcome_to_py(py, outcome)
    }

    /// Finish a 2FA sign-in with a TOTP code, an unused backup code or an SMS code. The first
    /// accepted code of an account without a linked app links the app.
    ///
    /// Raises InvalidCodeError (wrong, expired or spent code, or the code lockout),
    /// InvalidArgumentError, LockedOutError, AccessDeniedError, RateLimitedError, transport errors.
    fn login_with_code(&self, py: Python<'_>, user_name: String, password: Wiped, code: Wiped) -> PyResult<Session> {
        let client = self.core()?;
        let session = py.detach(move || client.login_with_code(&user_name, &password, &code)).or_raise()?;
        Ok(Session::new(session))
    }

    /// The authenticator-app setup payload for an activation challenge (`SetupRequired`, or a
    /// challenge from `confirm_context`/`reset_app`). No browser needed.
    ///
    /// Raises InvalidArgumentError (not an activation challenge), ConfirmContextError,
    /// TfaNotAvailableError, UnexpectedResponseError, transport errors.
    fn setup_app(&self, py: Python<'_>, challenge: &Bound<'_, Challenge>) -> PyResult<AppSetup> {
        let client = self.core()?;
        let challenge = challenge.get().inner.clone();
        let setup = py.detach(move || client.setup_app(&challenge)).or_raise()?;
        Ok(AppSetup { inner: setup })
    }

    /// Check a code with the challenge's confirm context. Returns `(linked_now, session)`:
    /// `linked_now` is True when this call linked the app, False when it was already linked.
    ///
    /// Raises InvalidCodeError, InvalidArgumentError, LockedOutError, ConfirmContextError,
    /// UnexpectedResponseError, RateLimitedError, transport errors.
    fn validate_app<'py>(
        &self,
        py: Python<'py>,
        challenge: &Bound<'_, Challenge>,
        code: Wiped,
    ) -> PyResult<Bound<'py, PyAny>> {
        let client = self.core()?;
        let challenge = challenge.get().inner.clone();
        let validation = py.detach(move || client.validate_app(&challenge, &code)).or_raise()?;
        model::app_validation_to_py(py, validation)
    }

    /// The user's backup codes, spent ones included.
    ///
    /// Raises TfaNotAvailableError, SessionInvalidError, AccessDeniedError, RateLimitedError,
    /// transport errors.
    fn backup_codes<'py>(&self, py: Python<'py>, session: &Bound<'_, Session>) -> PyResult<Bound<'py, PyList>> {
        let client = self.core()?;
        let session = session.get().inner.clone();
        let codes = py.detach(move || client.backup_codes(&session)).or_raise()?;
        model::backup_codes_to_py(py, codes)
    }

    /// Replace the backup codes with a new set. The old codes stop working at once; never
    /// retried automatically. Errors as `backup_codes`.
    fn regenerate_backup_codes<'py>(
        &self,
        py: Python<'py>,
        session: &Bound<'_, Session>,
    ) -> PyResult<Bound<'py, PyList>> {
        let client = self.core()?;
        let session = session.get().inner.clone();
        let codes = py.detach(move || client.regenerate_backup_codes(&session)).or_raise()?;
        model::backup_codes_to_py(py, codes)
    }

    /// Sign out and revoke the token. Raises InvalidArgumentError for an API-key session,
    /// RateLimitedError and transport errors.
    fn logout(&self, py: Python<'_>, session: &Bound<'_, Session>) -> PyResult<()> {
        let client = self.core()?;
        let session = session.get().inner.clone();
        py.detach(move || client.logout(&session)).or_raise()
    }

    /// Whether the portal accepts the session. An invalid, revoked or expired token gives False.
    fn is_authenticated(&self, py: Python<'_>, session: &Bound<'_, Session>) -> PyResult<bool> {
        let client = self.core()?;
        let session = session.get().inner.clone();
        py.detach(move || client.is_authenticated(&session)).or_raise()
    }

    /// The portal's 2FA policy (any signed-in user may read it).
    fn tfa_policy(&self, py: Python<'_>, session: &Bound<'_, Session>) -> PyResult<TfaPolicy> {
        let client = self.core()?;
        let session = session.get().inner.clone();
        let policy = py.detach(move || client.tfa_policy(&session)).or_raise()?;
        Ok(TfaPolicy::new(policy))
    }

    /// Set the portal's 2FA policy (owner or admin). Returns True when a method was switched
    /// on, False when 2FA was switched off. Switching a method on signs every user out.
    ///
    /// Raises InvalidArgumentError, AccessDeniedError, SessionInvalidError, transport errors.
    fn set_tfa_policy(
        &self,
        py: Python<'_>,
        session: &Bound<'_, Session>,
        update: &Bound<'_, TfaPolicyUpdate>,
    ) -> PyResult<bool> {
        let client = self.core()?;
        let session = session.get().inner.clone();
        let update = update.get().inner.clone();
        py.detach(move || client.set_tfa_policy(&session, &update)).or_raise()
    }

    /// A fresh confirm context for the signed-in user, or None when app 2FA does not apply.
    fn confirm_context(&self, py: Python<'_>, session: &Bound<'_, Session>) -> PyResult<Option<Py<Challenge>>> {
        let client = self.core()?;
        let session = session.get().inner.clone();
        let challenge = py.detach(move || client.confirm_context(&session)).or_raise()?;
        challenge.map(|c| model::challenge_to_py(py, c).map(Bound::unbind)).transpose()
    }

    /// Unlink (reset) the authenticator app of `user_id`. For your own id the portal signs
    /// all your sessions out and returns a fresh session plus an activation challenge.
    ///
    /// Raises InvalidArgumentError, TfaNotAvailableError, AccessDeniedError,
    /// SessionInvalidError, transport errors.
    fn reset_app(&self, py: Python<'_>, session: &Bound<'_, Session>, user_id: String) -> PyResult<AppReset> {
        let client = self.core()?;
        let session = session.get().inner.clone();
        let reset = py.detach(move || client.reset_app(&session, &user_id)).or_raise()?;
        AppReset::new(py, reset)
    }
}
