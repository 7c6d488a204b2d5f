//! The values the flows return. Secrets inside them are [`Secret`]s: redacted in `Debug`,
//! wiped on drop.

use crate::secret::Secret;
use std::fmt;

/// A signed-in session: the portal's login token (or a personal API key).
///
/// Login tokens are sent as the `asc_auth_key` cookie, which is also what makes
/// [`crate::Client::logout`] really revoke them. API keys (`sk-…`) are sent as
/// `Authorization: Bearer`.
#[derive(Clone)]
pub struct Session {
    pub(crate) credential: Credential,
    pub(crate) expires: Option<String>,
    pub(crate) user_id: Option<String>,
    /// Other login tokens the portal issued in the same sign-in (see
    /// [`crate::Client::login_with_code`]); [`crate::Client::logout`] revokes them too.
    pub(crate) extra_tokens: Vec<Secret>,
}

#[derive(Clone)]
pub(crate) enum Credential {
    LoginToken(Secret),
    ApiKey(Secret),
}

impl Session {
    /// A session from a login token obtained earlier (for example stored between runs).
    pub fn from_token(token: impl Into<String>) -> Session {
        Session {
            credential: Credential::LoginToken(Secret::new(token)),
            expires: None,
            user_id: None,
            extra_tokens: Vec::new(),
        }
    }

    /// A session from a personal access token / API key (`sk-…`). API keys cannot be used
    /// for app setup or validation (the portal requires the confirm scheme there).
    pub fn from_api_key(key: impl Into<String>) -> Session {
        Session {
            credential: Credential::ApiKey(Secret::new(key)),
            expires: None,
            user_id: None,
            extra_tokens: Vec::new(),
        }
    }

    /// The token or key. Keep the borrow short and never log it.
    pub fn token(&self) -> &str {
        match &self.credential {
            Credential::LoginToken(s) | Credential::ApiKey(s) => s.expose(),
        }
    }

    /// Whether this session is an API key rather than a login token.
    pub fn is_api_key(&self) -> bool {
        matches!(self.credential, Credential::ApiKey(_))
    }

    /// Expiry the portal reported (ISO-8601), when it did.
    pub fn expires(&self) -> Option<&str> {
        self.expires.as_deref()
    }

    /// The user's id, when the flow that produced the session learnt it.
    pub fn user_id(&self) -> Option<&str> {
        self.user_id.as_deref()
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("token", &"***")
            .field("api_key", &self.is_api_key())
            .field("expires", &self.expires)
            .field("user_id", &self.user_id)
            .field("extra_tokens", &self.extra_tokens.len())
            .finish()
    }
}

/// Which confirm link the portal issued with a 2FA challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConfirmType {
    /// `TfaActivation`: the app is not linked yet (setup, then validate).
    TfaActivation,
    /// `TfaAuth`: the app is linked; a code finishes the sign-in.
    TfaAuth,
}

impl ConfirmType {
    /// The portal's name for it (`TfaActivation` / `TfaAuth`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ConfirmType::TfaActivation => "TfaActivation",
            ConfirmType::TfaAuth => "TfaAuth",
        }
    }
}

/// A pending app-2FA sign-in: what the portal answered instead of a token.
///
/// Carries the confirm context (`asc_confirm_key_<Type>` cookie value, the confirm URL's
/// `type` and `uid`) needed by [`crate::Client::setup_app`] and
/// [`crate::Client::validate_app`], and, when the app is not linked yet, the TOTP secret.
#[derive(Clone)]
pub struct Challenge {
    pub(crate) user_name: String,
    pub(crate) confirm_type: ConfirmType,
    pub(crate) user_id: String,
    pub(crate) confirm_url: String,
    pub(crate) confirm_key: Option<Secret>,
    pub(crate) secret: Option<Secret>,
    pub(crate) otpauth_uri: Option<Secret>,
}

impl Challenge {
    /// The user name the sign-in was made with.
    pub fn user_name(&self) -> &str {
        &self.user_name
    }
    /// `TfaActivation` (link an app) or `TfaAuth` (enter a code).
    pub fn confirm_type(&self) -> ConfirmType {
        self.confirm_type
    }
    /// The user's id (the confirm URL's `uid`).
    pub fn user_id(&self) -> &str {
        &self.user_id
    }
    /// The confirm URL the portal sent (a browser would open it). Contains no key.
    pub fn confirm_url(&self) -> &str {
        &self.confirm_url
    }
    /// The confirm key from `Set-Cookie: asc_confirm_key_<Type>`, if the portal sent one.
    pub fn confirm_key(&self) -> Option<&str> {
        self.confirm_key.as_ref().map(Secret::expose)
    }
    /// The TOTP secret (base32, the portal's `tfaKey`) when the app is not linked yet.
    pub fn secret(&self) -> Option<&str> {
        self.secret.as_ref().map(Secret::expose)
    }
    /// An `otpauth://totp/…` URI for the secret (issuer = portal host, account = user name).
    pub fn otpauth_uri(&self) -> Option<&str> {
        self.otpauth_uri.as_ref().map(Secret::expose)
    }
}

impl fmt::Debug for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Challenge")
            .field("user_name", &self.user_name)
            .field("confirm_type", &self.confirm_type)
            .field("user_id", &self.user_id)
            .field("confirm_url", &self.confirm_url)
            .field("confirm_key", &self.confirm_key.as_ref().map(|_| "***"))
            .field("secret", &self.secret.as_ref().map(|_| "***"))
            .finish()
    }
}

/// A pending SMS-2FA sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsChallenge {
    /// Masked phone number (`+1***1234`), absent when no phone is activated yet.
    pub phone_noise: Option<String>,
    /// When the sent code expires (ISO-8601), when the portal said.
    pub expires: Option<String>,
    /// The confirm URL (`PhoneAuth` or `PhoneActivation` link).
    pub confirm_url: Option<String>,
}

impl SmsChallenge {
    /// Whether the user must first register a phone (in a browser) before codes can be sent.
    pub fn phone_activation_required(&self) -> bool {
        self.phone_noise.is_none()
    }
}

/// What `POST /api/2.0/authentication` led to.
#[derive(Debug, Clone)]
pub enum LoginOutcome {
    /// Signed in; no second factor applies.
    Authenticated(Session),
    /// The app is linked: finish with [`crate::Client::login_with_code`] (TOTP or backup code).
    CodeRequired(Challenge),
    /// 2FA applies but no app is linked: the challenge carries the TOTP secret. Enrol it,
    /// then finish with [`crate::Client::login_with_code`] or
    /// [`crate::Client::setup_app`] + [`crate::Client::validate_app`].
    SetupRequired(Challenge),
    /// SMS 2FA applies: finish with [`crate::Client::login_with_code`] and the texted code.
    SmsRequired(SmsChallenge),
}

/// The setup payload for linking an authenticator app.
#[derive(Clone)]
pub struct AppSetup {
    /// The account label (the user's e-mail).
    pub account: String,
    /// The base32 secret to type into an authenticator app.
    pub manual_entry_key: Secret,
    /// The QR code as PNG bytes (decoded from the portal's `data:` URI).
    pub qr_code_png: Vec<u8>,
    /// `otpauth://totp/…` for the same secret.
    pub otpauth_uri: Secret,
}

impl fmt::Debug for AppSetup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppSetup")
            .field("account", &self.account)
            .field("manual_entry_key", &"***")
            .field("qr_code_png", &format_args!("<{} bytes>", self.qr_code_png.len()))
            .field("otpauth_uri", &"***")
            .finish()
    }
}

/// The answer of [`crate::Client::validate_app`].
#[derive(Debug, Clone)]
pub struct AppValidation {
    /// `true` when this call linked the app (first activation; backup codes now exist),
    /// `false` when the app was already linked and the code signed the user in.
    pub linked_now: bool,
    /// The new session (the portal sends it only as `Set-Cookie: asc_auth_key`).
    pub session: Session,
}

/// One backup code.
#[derive(Clone, PartialEq, Eq)]
pub struct BackupCode {
    /// The code (6 characters, case-sensitive).
    pub code: Secret,
    /// Whether it was already spent (single use).
    pub used: bool,
}

impl fmt::Debug for BackupCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackupCode").field("code", &"***").field("used", &self.used).finish()
    }
}

/// A portal 2FA method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TfaMethod {
    /// 2FA off.
    None,
    /// Codes by text message.
    Sms,
    /// Codes from an authenticator app (TOTP).
    App,
}

/// One entry of the portal's 2FA policy (`GET /api/2.0/settings/tfaapp`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TfaMethodSettings {
    /// `Sms` or `App`.
    pub method: TfaMethod,
    /// Localised title ("By authenticator app").
    pub title: String,
    /// The policy is on for this method.
    pub enabled: bool,
    /// The method can be used on this portal.
    pub available: bool,
    /// Addresses/ranges from which 2FA is skipped (unless the user is mandatory).
    pub trusted_ips: Vec<String>,
    /// Users for whom 2FA is always required.
    pub mandatory_users: Vec<String>,
    /// Groups for whom 2FA is always required.
    pub mandatory_groups: Vec<String>,
}

/// The portal's 2FA policy.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TfaPolicy {
    /// One entry per visible method (at most `Sms` and `App`).
    pub methods: Vec<TfaMethodSettings>,
}

impl TfaPolicy {
    /// The method that is on, or [`TfaMethod::None`].
    pub fn enabled_method(&self) -> TfaMethod {
        self.methods.iter().find(|m| m.enabled).map_or(TfaMethod::None, |m| m.method)
    }
}

/// A change to the portal's 2FA policy (admins only). Switching a method on signs every
/// user of the portal out, the caller included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TfaPolicyUpdate {
    /// The method to switch on, or [`TfaMethod::None`] to switch 2FA off.
    pub method: TfaMethod,
    /// Trusted addresses (single IP, `from-to` range or CIDR).
    pub trusted_ips: Vec<String>,
    /// User ids for whom 2FA is always required.
    pub mandatory_users: Vec<String>,
    /// Group ids for whom 2FA is always required.
    pub mandatory_groups: Vec<String>,
}

impl TfaPolicyUpdate {
    /// Switch `method` on (or off with [`TfaMethod::None`]) with empty lists.
    pub fn new(method: TfaMethod) -> Self {
        TfaPolicyUpdate { method, trusted_ips: Vec::new(), mandatory_users: Vec::new(), mandatory_groups: Vec::new() }
    }
}

/// The answer of [`crate::Client::reset_app`].
#[derive(Debug, Clone)]
pub struct AppReset {
    /// For a self-reset: the fresh session the portal set (the old token is dead).
    pub session: Option<Session>,
    /// For a self-reset: an activation challenge to link a new app right away.
    pub challenge: Option<Challenge>,
}
