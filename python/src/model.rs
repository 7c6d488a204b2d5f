//! The values the flows return, as immutable Python classes. `repr()` never shows a secret
//! (token, TOTP secret, otpauth URI, confirm key, backup code); the secrets are readable only
//! through their named attributes.

use docspace_auth::{self as core, LoginOutcome};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyList, PyTuple, PyType};
use pyo3::BoundObject;

use crate::enums;

/// Python `repr()` of a value (strings quoted the Python way).
pub(crate) fn py_repr<'py, T: IntoPyObject<'py>>(py: Python<'py>, value: T) -> PyResult<String> {
    let object = value.into_pyobject(py).map_err(Into::into)?;
    Ok(object.into_bound().into_any().repr()?.to_string())
}

/// `'***'` when a secret is present, `None` otherwise.
fn masked(present: bool) -> &'static str {
    if present {
        "'***'"
    } else {
        "None"
    }
}

fn py_bool(value: bool) -> &'static str {
    if value {
        "True"
    } else {
        "False"
    }
}

// ---------------------------------------------------------------------------------------------
// Session

/// A signed-in session: the portal's login token, or a personal API key.
#[pyclass(frozen, module = "docspace_auth")]
pub(crate) struct Session {
    pub(crate) inner: core::Session,
}

impl Session {
    pub(crate) fn new(inner: core::Session) -> Self {
        Session { inner }
    }
}

/// A stored token or key as the C ABI takes it (`docspace_session_new`): trimmed (a token read
/// from a file keeps its newline otherwise), and not empty.
fn stored_credential(value: String, name: &str) -> PyResult<String> {
    let value = zeroize::Zeroizing::new(value);
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(crate::errors::invalid_argument(format!("the `{name}` argument is empty (or only whitespace)")));
    }
    Ok(trimmed.to_owned())
}

#[pymethods]
impl Session {
    /// A session from a login token obtained earlier (for example stored between runs).
    /// Surrounding whitespace is trimmed; an empty token raises `InvalidArgumentError`.
    #[staticmethod]
    fn from_token(token: String) -> PyResult<Session> {
        Ok(Session::new(core::Session::from_token(stored_credential(token, "token")?)))
    }

    /// A session from a personal access token / API key (`sk-…`), sent as `Authorization: Bearer`.
    /// Surrounding whitespace is trimmed; an empty key raises `InvalidArgumentError`.
    #[staticmethod]
    fn from_api_key(key: String) -> PyResult<Session> {
        Ok(Session::new(core::Session::from_api_key(stored_credential(key, "key")?)))
    }

    /// The token or key. Never log it.
    #[getter]
    fn token(&self) -> &str {
        self.inner.token()
    }

    /// Whether this session is an API key rather than a login token.
    #[getter]
    fn is_api_key(&self) -> bool {
        self.inner.is_api_key()
    }

    /// Expiry the portal reported (ISO-8601), when it did.
    #[getter]
    fn expires(&self) -> Option<&str> {
        self.inner.expires()
    }

    /// The user's id, when the flow that produced the session learnt it.
    #[getter]
    fn user_id(&self) -> Option<&str> {
        self.inner.user_id()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Session(token='***', is_api_key={}, expires={}, user_id={})",
            py_bool(self.inner.is_api_key()),
            py_repr(py, self.inner.expires())?,
            py_repr(py, self.inner.user_id())?
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Challenges and login outcomes

/// A pending app-2FA sign-in: the confirm context needed by `Client.setup_app` and
/// `Client.validate_app`. `CodeRequired` and `SetupRequired` are the two kinds `login` returns;
/// `Client.confirm_context` and `Client.reset_app` return plain challenges.
#[pyclass(frozen, subclass, module = "docspace_auth")]
pub(crate) struct Challenge {
    pub(crate) inner: core::Challenge,
}

#[pymethods]
impl Challenge {
    #[classattr]
    fn __match_args__(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
        PyTuple::new(py, ["confirm_type", "user_id"])
    }

    /// The user name the sign-in was made with ("" when the portal did not say it).
    #[getter]
    fn user_name(&self) -> &str {
        self.inner.user_name()
    }

    /// `ConfirmType.TFA_ACTIVATION` (link an app) or `ConfirmType.TFA_AUTH` (enter a code).
    #[getter]
    fn confirm_type<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        enums::confirm_type_to_py(py, self.inner.confirm_type())
    }

    /// Whether this challenge links an app (`TfaActivation`): `setup_app` works with it.
    #[getter]
    fn is_activation(&self) -> bool {
        self.inner.confirm_type() == core::ConfirmType::TfaActivation
    }

    /// The user's id (the confirm URL's `uid`).
    #[getter]
    fn user_id(&self) -> &str {
        self.inner.user_id()
    }

    /// The confirm URL the portal sent (a browser would open it). Contains no key.
    #[getter]
    fn confirm_url(&self) -> &str {
        self.inner.confirm_url()
    }

    /// The confirm key (`asc_confirm_key_<Type>` cookie), if the portal sent one. Secret.
    #[getter]
    fn confirm_key(&self) -> Option<&str> {
        self.inner.confirm_key()
    }

    /// The TOTP secret (base32) when no app is linked yet; `None` otherwise. Secret.
    #[getter]
    fn secret(&self) -> Option<&str> {
        self.inner.secret()
    }

    /// `otpauth://totp/…` for the secret (issuer = portal host, account = user name). Secret.
    #[getter]
    fn otpauth_uri(&self) -> Option<&str> {
        self.inner.otpauth_uri()
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let py = slf.py();
        let this = slf.get();
        let class = slf.get_type().name()?;
        Ok(format!(
            "{}(user_name={}, confirm_type={}, user_id={}, confirm_key={}, secret={})",
            class,
            py_repr(py, this.inner.user_name())?,
            py_repr(py, this.inner.confirm_type().as_str())?,
            py_repr(py, this.inner.user_id())?,
            masked(this.inner.confirm_key().is_some()),
            masked(this.inner.secret().is_some()),
        ))
    }
}

/// `login` outcome: the app is linked; finish with `Client.login_with_code` (TOTP or backup
/// code) or `Client.validate_app`.
#[pyclass(frozen, extends = Challenge, module = "docspace_auth")]
pub(crate) struct CodeRequired {}

#[pymethods]
impl CodeRequired {
    #[classattr]
    fn __match_args__(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
        PyTuple::new(py, ["user_name"])
    }
}

/// `login` outcome: 2FA applies but no app is linked. `secret` is the TOTP secret to enrol;
/// finish with `Client.login_with_code`, or `Client.setup_app` + `Client.validate_app`.
#[pyclass(frozen, extends = Challenge, module = "docspace_auth")]
pub(crate) struct SetupRequired {}

#[pymethods]
impl SetupRequired {
    #[classattr]
    fn __match_args__(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
        PyTuple::new(py, ["secret", "otpauth_uri"])
    }

    /// The TOTP secret (base32, the portal's `tfaKey`). Secret.
    #[getter]
    fn secret(slf: &Bound<'_, Self>) -> String {
        slf.as_super().get().inner.secret().unwrap_or_default().to_owned()
    }

    /// `otpauth://totp/…` for the secret, for a QR code. Secret.
    #[getter]
    fn otpauth_uri(slf: &Bound<'_, Self>) -> String {
        slf.as_super().get().inner.otpauth_uri().unwrap_or_default().to_owned()
    }
}

/// `login` outcome: SMS 2FA applies; finish with `Client.login_with_code` and the texted code.
#[pyclass(frozen, module = "docspace_auth")]
pub(crate) struct SmsRequired {
    inner: core::SmsChallenge,
}

#[pymethods]
impl SmsRequired {
    #[classattr]
    fn __match_args__(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
        PyTuple::new(py, ["phone_noise", "expires"])
    }

    /// Masked phone number (`+1***1234`); `None` when no phone is activated yet.
    #[getter]
    fn phone_noise(&self) -> Option<&str> {
        self.inner.phone_noise.as_deref()
    }

    /// When the sent code expires (ISO-8601), when the portal said.
    #[getter]
    fn expires(&self) -> Option<&str> {
        self.inner.expires.as_deref()
    }

    /// The confirm URL (`PhoneAuth` or `PhoneActivation` link).
    #[getter]
    fn confirm_url(&self) -> Option<&str> {
        self.inner.confirm_url.as_deref()
    }

    /// Whether the user must first register a phone (in a browser) before codes can be sent.
    #[getter]
    fn phone_activation_required(&self) -> bool {
        self.inner.phone_activation_required()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "SmsRequired(phone_noise={}, expires={})",
            py_repr(py, self.inner.phone_noise.as_deref())?,
            py_repr(py, self.inner.expires.as_deref())?
        ))
    }
}

/// `login` outcome: signed in, no second factor applies.
#[pyclass(frozen, module = "docspace_auth")]
pub(crate) struct Authenticated {
    session: Py<Session>,
}

#[pymethods]
impl Authenticated {
    #[classattr]
    fn __match_args__(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
        PyTuple::new(py, ["session"])
    }

    /// The new session.
    #[getter]
    fn session(&self, py: Python<'_>) -> Py<Session> {
        self.session.clone_ref(py)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("Authenticated(session={})", self.session.get().__repr__(py)?))
    }
}

pub(crate) fn challenge_to_py(py: Python<'_>, challenge: core::Challenge) -> PyResult<Bound<'_, Challenge>> {
    Bound::new(py, Challenge { inner: challenge })
}

/// A core login outcome as one of `Authenticated`, `CodeRequired`, `SetupRequired`, `SmsRequired`.
pub(crate) fn outcome_to_py(py: Python<'_>, outcome: LoginOutcome) -> PyResult<Bound<'_, PyAny>> {
    Ok(match outcome {
        LoginOutcome::Authenticated(session) => {
            Bound::new(py, Authenticated { session: Py::new(py, Session::new(session))? })?.into_any()
        }
        LoginOutcome::CodeRequired(challenge) => {
            Bound::new(py, PyClassInitializer::from(Challenge { inner: challenge }).add_subclass(CodeRequired {}))?
                .into_any()
        }
        LoginOutcome::SetupRequired(challenge) => {
            Bound::new(py, PyClassInitializer::from(Challenge { inner: challenge }).add_subclass(SetupRequired {}))?
                .into_any()
        }
        LoginOutcome::SmsRequired(sms) => Bound::new(py, SmsRequired { inner: sms })?.into_any(),
        // LoginOutcome is exhaustive today; keep the binding compiling if the core grows.
        #[allow(unreachable_patterns)]
        _ => {
            return Err(crate::errors::to_pyerr(
                py,
                &core::Error::new(
                    core::ErrorKind::UnexpectedResponse,
                    "the portal asked for an unsupported second factor",
                ),
            ))
        }
    })
}

// ---------------------------------------------------------------------------------------------
// App setup and validation

/// The setup payload for linking an authenticator app (`Client.setup_app`).
#[pyclass(frozen, module = "docspace_auth")]
pub(crate) struct AppSetup {
    pub(crate) inner: core::AppSetup,
}

#[pymethods]
impl AppSetup {
    /// The account label (the user's e-mail).
    #[getter]
    fn account(&self) -> &str {
        &self.inner.account
    }

    /// The base32 secret to type into an authenticator app. Secret.
    #[getter]
    fn manual_entry_key(&self) -> &str {
        self.inner.manual_entry_key.expose()
    }

    /// The QR code as PNG bytes.
    #[getter]
    fn qr_code_png<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.qr_code_png)
    }

    /// `otpauth://totp/…` for the same secret. Secret.
    #[getter]
    fn otpauth_uri(&self) -> &str {
        self.inner.otpauth_uri.expose()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "AppSetup(account={}, manual_entry_key='***', qr_code_png=<{} bytes>, otpauth_uri='***')",
            py_repr(py, self.inner.account.as_str())?,
            self.inner.qr_code_png.len()
        ))
    }
}

/// The answer of `Client.validate_app`: a `docspace_auth.results.AppValidation` named tuple
/// `(linked_now, session)`, defined in Python so that unpacking is typed per element.
pub(crate) fn app_validation_to_py(py: Python<'_>, validation: core::AppValidation) -> PyResult<Bound<'_, PyAny>> {
    static APP_VALIDATION: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    let session = Py::new(py, Session::new(validation.session))?;
    APP_VALIDATION.import(py, "docspace_auth.results", "AppValidation")?.call1((validation.linked_now, session))
}

// ---------------------------------------------------------------------------------------------
// Backup codes

/// One backup code: `code` (6 characters, case-sensitive, single use) and whether it was `used`.
#[pyclass(frozen, module = "docspace_auth")]
pub(crate) struct BackupCode {
    inner: core::BackupCode,
}

#[pymethods]
impl BackupCode {
    #[classattr]
    fn __match_args__(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
        PyTuple::new(py, ["code", "used"])
    }

    /// The code. Secret.
    #[getter]
    fn code(&self) -> &str {
        self.inner.code.expose()
    }

    /// Whether it was already spent.
    #[getter]
    fn used(&self) -> bool {
        self.inner.used
    }

    fn __repr__(&self) -> String {
        format!("BackupCode(code='***', used={})", py_bool(self.inner.used))
    }
}

pub(crate) fn backup_codes_to_py(py: Python<'_>, codes: Vec<core::BackupCode>) -> PyResult<Bound<'_, PyList>> {
    let items = codes.into_iter().map(|inner| Py::new(py, BackupCode { inner })).collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

// ---------------------------------------------------------------------------------------------
// 2FA policy

/// One entry of the portal's 2FA policy.
#[pyclass(frozen, module = "docspace_auth")]
pub(crate) struct TfaMethodSettings {
    inner: core::TfaMethodSettings,
}

#[pymethods]
impl TfaMethodSettings {
    /// `TfaMethod.SMS` or `TfaMethod.APP`.
    #[getter]
    fn method<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        enums::tfa_method_to_py(py, self.inner.method)
    }

    /// Localised title ("By authenticator app").
    #[getter]
    fn title(&self) -> &str {
        &self.inner.title
    }

    /// The policy is on for this method.
    #[getter]
    fn enabled(&self) -> bool {
        self.inner.enabled
    }

    /// The method can be used on this portal.
    #[getter]
    fn available(&self) -> bool {
        self.inner.available
    }

    /// Addresses/ranges from which 2FA is skipped (unless the user is mandatory).
    #[getter]
    fn trusted_ips(&self) -> Vec<String> {
        self.inner.trusted_ips.clone()
    }

    /// User ids for whom 2FA is always required.
    #[getter]
    fn mandatory_users(&self) -> Vec<String> {
        self.inner.mandatory_users.clone()
    }

    /// Group ids for whom 2FA is always required.
    #[getter]
    fn mandatory_groups(&self) -> Vec<String> {
        self.inner.mandatory_groups.clone()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "TfaMethodSettings(method={}, enabled={}, available={}, trusted_ips={}, mandatory_users={}, mandatory_groups={})",
            py_repr(py, enums::tfa_method_to_py(py, self.inner.method)?.str()?)?,
            py_bool(self.inner.enabled),
            py_bool(self.inner.available),
            py_repr(py, self.inner.trusted_ips.clone())?,
            py_repr(py, self.inner.mandatory_users.clone())?,
            py_repr(py, self.inner.mandatory_groups.clone())?,
        ))
    }
}

/// The portal's 2FA policy (`Client.tfa_policy`).
#[pyclass(frozen, module = "docspace_auth")]
pub(crate) struct TfaPolicy {
    inner: core::TfaPolicy,
}

impl TfaPolicy {
    pub(crate) fn new(inner: core::TfaPolicy) -> Self {
        TfaPolicy { inner }
    }
}

#[pymethods]
impl TfaPolicy {
    /// One entry per visible method (at most SMS and app).
    #[getter]
    fn methods<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .inner
            .methods
            .iter()
            .map(|m| Py::new(py, TfaMethodSettings { inner: m.clone() }))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The method that is on, or `TfaMethod.NONE`.
    #[getter]
    fn enabled_method<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        enums::tfa_method_to_py(py, self.inner.enabled_method())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let methods = self.methods(py)?;
        Ok(format!(
            "TfaPolicy(enabled_method={}, methods={})",
            py_repr(py, self.enabled_method(py)?.str()?)?,
            methods.repr()?
        ))
    }
}

/// A change to the portal's 2FA policy, for `Client.set_tfa_policy` (owner or admin).
/// Switching a method on signs every user of the portal out, the caller included.
#[pyclass(frozen, module = "docspace_auth")]
pub(crate) struct TfaPolicyUpdate {
    pub(crate) inner: core::TfaPolicyUpdate,
}

#[pymethods]
impl TfaPolicyUpdate {
    /// `method` is a `TfaMethod` (or `"none"`, `"sms"`, `"app"`); the lists hold trusted
    /// addresses (IP, `from-to` range or CIDR), mandatory user ids and mandatory group ids.
    #[new]
    #[pyo3(signature = (method, *, trusted_ips = Vec::new(), mandatory_users = Vec::new(), mandatory_groups = Vec::new()))]
    fn py_new(
        method: &Bound<'_, PyAny>,
        trusted_ips: Vec<String>,
        mandatory_users: Vec<String>,
        mandatory_groups: Vec<String>,
    ) -> PyResult<Self> {
        let method = enums::tfa_method_from_py(method)?;
        Ok(TfaPolicyUpdate { inner: core::TfaPolicyUpdate { method, trusted_ips, mandatory_users, mandatory_groups } })
    }

    #[getter]
    fn method<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        enums::tfa_method_to_py(py, self.inner.method)
    }

    #[getter]
    fn trusted_ips(&self) -> Vec<String> {
        self.inner.trusted_ips.clone()
    }

    #[getter]
    fn mandatory_users(&self) -> Vec<String> {
        self.inner.mandatory_users.clone()
    }

    #[getter]
    fn mandatory_groups(&self) -> Vec<String> {
        self.inner.mandatory_groups.clone()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "TfaPolicyUpdate(method={}, trusted_ips={}, mandatory_users={}, mandatory_groups={})",
            py_repr(py, self.method(py)?.str()?)?,
            py_repr(py, self.inner.trusted_ips.clone())?,
            py_repr(py, self.inner.mandatory_users.clone())?,
            py_repr(py, self.inner.mandatory_groups.clone())?,
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// App reset

/// The answer of `Client.reset_app`. For a self-reset: the fresh `session` (the old token is
/// dead) and an activation `challenge` to link a new app; both `None` when resetting another user.
#[pyclass(frozen, module = "docspace_auth")]
pub(crate) struct AppReset {
    session: Option<Py<Session>>,
    challenge: Option<Py<Challenge>>,
}

impl AppReset {
    pub(crate) fn new(py: Python<'_>, reset: core::AppReset) -> PyResult<AppReset> {
        Ok(AppReset {
            session: reset.session.map(|s| Py::new(py, Session::new(s))).transpose()?,
            challenge: reset.challenge.map(|c| challenge_to_py(py, c).map(Bound::unbind)).transpose()?,
        })
    }
}

#[pymethods]
impl AppReset {
    #[classattr]
    fn __match_args__(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
        PyTuple::new(py, ["session", "challenge"])
    }

    #[getter]
    fn session(&self, py: Python<'_>) -> Option<Py<Session>> {
        self.session.as_ref().map(|s| s.clone_ref(py))
    }

    #[getter]
    fn challenge(&self, py: Python<'_>) -> Option<Py<Challenge>> {
        self.challenge.as_ref().map(|c| c.clone_ref(py))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let session = match &self.session {
            Some(s) => s.get().__repr__(py)?,
            None => "None".to_owned(),
        };
        let challenge = match &self.challenge {
            Some(c) => c.bind(py).repr()?.to_string(),
            None => "None".to_owned(),
        };
        Ok(format!("AppReset(session={session}, challenge={challenge})"))
    }
}
