//! The portal flows, one method each, done the way the real server works (CONTRACT.md §2, §3).

use base64::Engine as _;
use reqwest::Method;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::client::Client;
use crate::envelope::{decode, decode_required, Endpoint};
use crate::error::{Error, ErrorKind, Result};
use crate::input;
use crate::model::{
    AppReset, AppSetup, AppValidation, BackupCode, Challenge, ConfirmType, Credential, LoginOutcome, Session,
    SmsChallenge, TfaMethod, TfaMethodSettings, TfaPolicy, TfaPolicyUpdate,
};
use crate::secret::Secret;
use crate::totp::{OtpauthUri, Totp};
use crate::transport::{percent_encode, Auth, Request, Response};

const AUTHENTICATION: &str = "api/2.0/authentication";
const LOGOUT: &str = "api/2.0/authentication/logout";
const TFA_SETTINGS: &str = "api/2.0/settings/tfaapp";
const TFA_SETUP: &str = "api/2.0/settings/tfaapp/setup";
const TFA_VALIDATE: &str = "api/2.0/settings/tfaapp/validate";
const TFA_CONFIRM: &str = "api/2.0/settings/tfaapp/confirm";
const BACKUP_CODES: &str = "api/2.0/settings/tfaappcodes";
const NEW_BACKUP_CODES: &str = "api/2.0/settings/tfaappnewcodes";
const RESET_APP: &str = "api/2.0/settings/tfaappnewapp";

const AUTH_COOKIE: &str = "asc_auth_key";
/// What the portal writes for "no date" (`DateTime.MinValue`).
const NO_DATE_PREFIX: &str = "0001-01-01";
const MAX_TRUSTED_IP: usize = 100;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Credentials<'a> {
    user_name: &'a str,
    password: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    session: bool,
}

/// `AuthenticationTokenDto`; secret fields land directly in wiped buffers.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AuthenticationToken {
    token: Option<Secret>,
    expires: Option<String>,
    #[serde(default)]
    sms: bool,
    phone_noise: Option<String>,
    #[serde(default)]
    tfa: bool,
    tfa_key: Option<Secret>,
    confirm_url: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SetupCode {
    account: String,
    manual_entry_key: Secret,
    qr_code_setup_image_url: Secret,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BackupCodeDto {
    is_used: bool,
    code: Secret,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TfaSettingsDto {
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    enabled: bool,
    #[serde(default)]
    available: bool,
    #[serde(default)]
    trusted_ips: Option<Vec<String>>,
    #[serde(default)]
    mandatory_users: Option<Vec<String>>,
    #[serde(default)]
    mandatory_groups: Option<Vec<String>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TfaSettingsUpdate<'a> {
    #[serde(rename = "type")]
    method: &'static str,
    trusted_ips: &'a [String],
    mandatory_users: &'a [String],
    mandatory_groups: &'a [String],
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConfirmData {
    url: Option<String>,
    cookie_value: Option<Secret>,
}

impl Client {
    /// Sign in with a password (`POST /api/2.0/authentication`).
    ///
    /// Returns a typed outcome: a session, or the second factor the portal wants. No token
    /// is issued while 2FA is pending; the challenge carries the confirm context and, for
    /// accounts without a linked app, the TOTP secret (`tfaKey`).
    ///
    /// Errors: `InvalidArgument`, `InvalidCredentials` (401), `LockedOut` (the 6th failure
    /// within a minute for this login and address: 403 for 60 s), `AccessDenied` (user
    /// disabled), `RateLimited`, and the transport kinds.
    pub fn login(&self, user_name: &str, password: &str) -> Result<LoginOutcome> {
        let user_name = input::user_name(user_name)?;
        let password = input::password(password)?;
        let request = Request::new(Method::POST, AUTHENTICATION).json(&Credentials {
            user_name,
            password,
            code: None,
            session: false,
        });
        let answer = self.transport.send(request)?;
        let dto: AuthenticationToken = decode_required(Endpoint::Login, &answer)?;

        if let Some(token) = dto.token.filter(|t| !t.is_empty()) {
            return Ok(LoginOutcome::Authenticated(Session {
                credential: Credential::LoginToken(token),
                expires: real_date(dto.expires),
                user_id: None,
                extra_tokens: Vec::new(),
            }));
        }
        if dto.sms {
            return Ok(LoginOutcome::SmsRequired(SmsChallenge {
                phone_noise: dto.phone_noise,
                expires: real_date(dto.expires),
                confirm_url: dto.confirm_url,
            }));
        }
        if !dto.tfa {
            return Err(unexpected(&answer, "the portal answered with neither a token nor a 2FA challenge"));
        }
        let confirm_url = dto.confirm_url.ok_or_else(|| unexpected(&answer, "the 2FA answer has no confirm URL"))?;
        let (confirm_type, user_id) = parse_confirm_url(&confirm_url).ok_or_else(|| {
            unexpected(&answer, "the 2FA answer's confirm URL has no TfaAuth/TfaActivation type and uid")
        })?;
        let confirm_key = confirm_key_cookie(&answer, confirm_type);
        let mut challenge = Challenge {
            user_name: user_name.to_owned(),
            confirm_type,
            user_id,
            confirm_url,
            confirm_key,
            secret: None,
            otpauth_uri: None,
        };
        match dto.tfa_key.filter(|k| !k.is_empty()) {
            Some(secret) => {
                let uri = self
                    .otpauth_uri(&secret, user_name)
                    .map_err(|_| unexpected(&answer, "the portal's TOTP secret (tfaKey) is not valid base32"))?;
                challenge.secret = Some(secret);
                challenge.otpauth_uri = Some(uri);
                Ok(LoginOutcome::SetupRequired(challenge))
            }
            None => Ok(LoginOutcome::CodeRequired(challenge)),
        }
    }

    /// Finish a 2FA sign-in with a TOTP code, an unused backup code or an SMS code
    /// (`POST /api/2.0/authentication/{code}`, code in the body and, percent-encoded, in the
    /// path). The first accepted code of an account without a linked app links the app.
    ///
    /// The portal checks the password again and answers every code failure with the same
    /// 401, so a wrong, expired or spent code, and the one-minute code lockout, all give
    /// `InvalidCode`. Also: `InvalidArgument`, `LockedOut` (password lockout), `AccessDenied`,
    /// `RateLimited`, transport kinds. Never retried: a backup code is consumed on success.
    ///
    /// For an account whose app is already linked the portal signs the user in twice and
    /// sets two `asc_auth_key` cookies; the body holds the second token (CONTRACT.md §2.3,
    /// derived from the server's code). The first would stay valid for a year with nobody
    /// holding it, so the session keeps it and [`Client::logout`] revokes it as well.
    pub fn login_with_code(&self, user_name: &str, password: &str, code: &str) -> Result<Session> {
        let user_name = input::user_name(user_name)?;
        let password = input::password(password)?;
        let code = input::code(code)?;
        let path = Zeroizing::new(format!("{AUTHENTICATION}/{}", percent_encode(code).as_str()));
        let request = Request::new(Method::POST, &path).json(&Credentials {
            user_name,
            password,
            code: Some(code),
            session: false,
        });
        let answer = self.transport.send(request)?;
        let dto: AuthenticationToken = decode_required(Endpoint::LoginWithCode, &answer)?;
        let token = dto
            .token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| unexpected(&answer, "the portal accepted the code but sent no token"))?;
        let extra_tokens = answer
            .cookie_values(AUTH_COOKIE)
            .filter(|value| value.as_str() != token.expose())
            .map(Secret::from_zeroizing)
            .collect();
        Ok(Session {
            credential: Credential::LoginToken(token),
            expires: real_date(dto.expires),
            user_id: None,
            extra_tokens,
        })
    }

    /// Get the authenticator-app setup payload for an activation challenge
    /// (`GET /api/2.0/settings/tfaapp/setup` with the `confirm` scheme). No browser needed.
    ///
    /// Errors: `InvalidArgument` (the challenge is not `TfaActivation`), `ConfirmContext`
    /// (no key, or the portal refused it: keys live one hour), `TfaNotAvailable` (already
    /// linked, or the policy is off), `UnexpectedResponse`, transport kinds.
    pub fn setup_app(&self, challenge: &Challenge) -> Result<AppSetup> {
        if challenge.confirm_type != ConfirmType::TfaActivation {
            return Err(Error::invalid_argument(
                "setup needs an activation challenge (SetupRequired); this account already has an app linked",
            ));
        }
        let confirm = confirm_header(challenge)?;
        let answer = self.transport.send(Request::new(Method::GET, TFA_SETUP).auth(Auth::Confirm(&confirm)))?;
        let setup: SetupCode = decode_required(Endpoint::Setup, &answer)?;
        let qr_code_png = decode_png_data_uri(setup.qr_code_setup_image_url.expose())
            .ok_or_else(|| unexpected(&answer, "the setup QR code is not a data:image/png;base64 URI"))?;
        let account = percent_encoding::percent_decode_str(&setup.account).decode_utf8_lossy().into_owned();
        let otpauth_uri = self
            .otpauth_uri(&setup.manual_entry_key, &account)
            .map_err(|_| unexpected(&answer, "the setup's manual entry key is not valid base32"))?;
        Ok(AppSetup { account, manual_entry_key: setup.manual_entry_key, qr_code_png, otpauth_uri })
    }

    /// Check a code with the challenge's confirm context (`POST /api/2.0/settings/tfaapp/validate`).
    ///
    /// For an activation challenge this links the app (`linked_now == true`); for an
    /// already linked app it signs the user in (`false`). The session comes from the
    /// answer's `Set-Cookie: asc_auth_key`; the body holds only true/false.
    ///
    /// Errors: `InvalidArgument`, `InvalidCode` (400 "Incorrect code"), `LockedOut` (six wrong
    /// codes within a minute), `ConfirmContext`, `UnexpectedResponse` (no session cookie),
    /// `RateLimited`, transport kinds. Never retried.
    pub fn validate_app(&self, challenge: &Challenge, code: &str) -> Result<AppValidation> {
        let code = input::code(code)?;
        let confirm = confirm_header(challenge)?;
        #[derive(Serialize)]
        struct Body<'a> {
            code: &'a str,
            session: bool,
        }
        // TfaAuth keys are refused when the request also carries a session: send none.
        let request =
            Request::new(Method::POST, TFA_VALIDATE).auth(Auth::Confirm(&confirm)).json(&Body { code, session: false });
        let answer = self.transport.send(request)?;
        let linked_now: bool = decode_required(Endpoint::Validate, &answer)?;
        let token = answer.cookie(AUTH_COOKIE).ok_or_else(|| {
            unexpected(&answer, "the portal accepted the code but set no asc_auth_key session cookie")
        })?;
        Ok(AppValidation {
            linked_now,
            session: Session {
                credential: Credential::LoginToken(Secret::from_zeroizing(token)),
                expires: None,
                user_id: Some(challenge.user_id.clone()),
                extra_tokens: Vec::new(),
            },
        })
    }

    /// The user's backup codes, spent ones included (`GET /api/2.0/settings/tfaappcodes`).
    ///
    /// Errors: `TfaNotAvailable` (no app linked, or 2FA by app off), `SessionInvalid`,
    /// `AccessDenied`, `RateLimited`, transport kinds.
    pub fn backup_codes(&self, session: &Session) -> Result<Vec<BackupCode>> {
        let answer = self.transport.send(Request::new(Method::GET, BACKUP_CODES).auth(session_auth(session)))?;
        Ok(backup_codes_from(decode_required(Endpoint::BackupCodes, &answer)?))
    }

    /// Replace the backup codes with a new set (`PUT /api/2.0/settings/tfaappnewcodes`).
    ///
    /// **The old codes stop working at once**, and every call issues yet another set: this
    /// call is never retried automatically. Show or store the returned codes before doing
    /// anything else. Errors as [`Client::backup_codes`].
    pub fn regenerate_backup_codes(&self, session: &Session) -> Result<Vec<BackupCode>> {
        let answer = self.transport.send(Request::new(Method::PUT, NEW_BACKUP_CODES).auth(session_auth(session)))?;
        Ok(backup_codes_from(decode_required(Endpoint::RegenerateBackupCodes, &answer)?))
    }

    /// Sign out and revoke the token (`POST /api/2.0/authentication/logout`). The token is
    /// sent as the `asc_auth_key` cookie: the portal ignores a token sent any other way and
    /// would leave it valid. Tokens the portal issued alongside it in the same sign-in are
    /// revoked too (one request each); the first failure is reported after trying them all.
    ///
    /// Errors: `InvalidArgument` (an API-key session: keys are revoked in the portal's
    /// settings, not by logout), `RateLimited`, transport kinds.
    pub fn logout(&self, session: &Session) -> Result<()> {
        let Credential::LoginToken(token) = &session.credential else {
            return Err(Error::invalid_argument("API keys are revoked in the portal's settings, not by logout"));
        };
        let mut first_error = None;
        for token in std::iter::once(token).chain(&session.extra_tokens) {
            let revoked = self
                .transport
                .send(Request::new(Method::POST, LOGOUT).auth(Auth::Cookie(token.expose())))
                .and_then(|answer| decode::<IgnoredAny>(Endpoint::Logout, &answer).map(drop));
            if let Err(error) = revoked {
                first_error.get_or_insert(error);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Whether the portal accepts the session (`GET /api/2.0/authentication`). An invalid,
    /// revoked or expired token gives `Ok(false)`, not an error.
    pub fn is_authenticated(&self, session: &Session) -> Result<bool> {
        let answer = self.transport.send(Request::new(Method::GET, AUTHENTICATION).auth(session_auth(session)))?;
        decode_required(Endpoint::IsAuthenticated, &answer)
    }

    /// The portal's 2FA policy (`GET /api/2.0/settings/tfaapp`); any signed-in user may read it.
    pub fn tfa_policy(&self, session: &Session) -> Result<TfaPolicy> {
        let answer = self.transport.send(Request::new(Method::GET, TFA_SETTINGS).auth(session_auth(session)))?;
        let entries: Vec<TfaSettingsDto> = decode_required(Endpoint::Policy, &answer)?;
        let methods = entries
            .into_iter()
            .filter_map(|e| {
                let method = match e.id.to_ascii_lowercase().as_str() {
                    "app" => TfaMethod::App,
                    "sms" => TfaMethod::Sms,
                    _ => return None,
                };
                Some(TfaMethodSettings {
                    method,
                    title: e.title,
                    enabled: e.enabled,
                    available: e.available,
                    trusted_ips: e.trusted_ips.unwrap_or_default(),
                    mandatory_users: e.mandatory_users.unwrap_or_default(),
                    mandatory_groups: e.mandatory_groups.unwrap_or_default(),
                })
            })
            .collect();
        Ok(TfaPolicy { methods })
    }

    /// Set the portal's 2FA policy (`PUT /api/2.0/settings/tfaapp`; owner or admin).
    /// Returns `true` when a method was switched on, `false` when 2FA was switched off.
    ///
    /// **Switching a method on signs out every user of the portal, the caller included.**
    /// Trusted IPs are checked here (a malformed entry breaks sign-ins on real portals).
    /// Errors: `InvalidArgument`, `AccessDenied` (not an admin), `SessionInvalid`, transport kinds.
    pub fn set_tfa_policy(&self, session: &Session, update: &TfaPolicyUpdate) -> Result<bool> {
        for ip in &update.trusted_ips {
            check_trusted_ip(ip)?;
        }
        let mandatory_users =
            update.mandatory_users.iter().map(|u| input::id(u, "mandatory user id")).collect::<Result<Vec<_>>>()?;
        let mandatory_groups =
            update.mandatory_groups.iter().map(|g| input::id(g, "mandatory group id")).collect::<Result<Vec<_>>>()?;
        let method = match update.method {
            TfaMethod::None => "None",
            TfaMethod::Sms => "Sms",
            TfaMethod::App => "App",
        };
        let body = TfaSettingsUpdate {
            method,
            trusted_ips: &update.trusted_ips,
            mandatory_users: &mandatory_users,
            mandatory_groups: &mandatory_groups,
        };
        let answer =
            self.transport.send(Request::new(Method::PUT, TFA_SETTINGS).auth(session_auth(session)).json(&body))?;
        decode_required(Endpoint::SetPolicy, &answer)
    }

    /// A fresh confirm context for the signed-in user (`GET /api/2.0/settings/tfaapp/confirm`):
    /// an activation challenge (link an app with [`Client::setup_app`] +
    /// [`Client::validate_app`]) or an auth challenge. `None` when app 2FA does not apply to
    /// the user (or SMS 2FA does). The challenge's user name is empty (the portal does not say it).
    pub fn confirm_context(&self, session: &Session) -> Result<Option<Challenge>> {
        let answer = self.transport.send(Request::new(Method::GET, TFA_CONFIRM).auth(session_auth(session)))?;
        let Some(data) = decode::<ConfirmData>(Endpoint::ConfirmData, &answer)? else {
            return Ok(None);
        };
        let Some(url) = data.url else { return Ok(None) };
        let Some((confirm_type, user_id)) = parse_confirm_url(&url) else { return Ok(None) };
        let confirm_key =
            data.cookie_value.filter(|k| !k.is_empty()).or_else(|| confirm_key_cookie(&answer, confirm_type));
        Ok(Some(Challenge {
            user_name: String::new(),
            confirm_type,
            user_id,
            confirm_url: url,
            confirm_key,
            secret: None,
            otpauth_uri: None,
        }))
    }

    /// Unlink (reset) the authenticator app of `user_id` (`PUT /api/2.0/settings/tfaappnewapp`).
    /// Pass your own id to reset yourself: the portal then signs all your sessions out and
    /// returns a fresh session plus an activation challenge to link a new app (the old
    /// secret and backup codes are gone). Resetting another user needs the portal owner.
    ///
    /// Errors: `InvalidArgument`, `TfaNotAvailable` (no app linked), `AccessDenied`,
    /// `SessionInvalid`, transport kinds.
    pub fn reset_app(&self, session: &Session, user_id: &str) -> Result<AppReset> {
        let id = input::id(user_id, "user id")?;
        #[derive(Serialize)]
        struct Body<'a> {
            id: &'a str,
        }
        let request = Request::new(Method::PUT, RESET_APP).auth(session_auth(session)).json(&Body { id: &id });
        let answer = self.transport.send(request)?;
        let url: Option<String> = decode(Endpoint::ResetApp, &answer)?;
        let new_session = answer.cookie(AUTH_COOKIE).map(|token| Session {
            credential: Credential::LoginToken(Secret::from_zeroizing(token)),
            expires: None,
            user_id: Some(id.clone()),
            extra_tokens: Vec::new(),
        });
        let challenge = url.filter(|u| !u.is_empty()).and_then(|url| {
            let (confirm_type, user_id) = parse_confirm_url(&url)?;
            Some(Challenge {
                user_name: String::new(),
                confirm_type,
                user_id,
                confirm_key: confirm_key_cookie(&answer, confirm_type),
                confirm_url: url,
                secret: None,
                otpauth_uri: None,
            })
        });
        Ok(AppReset { session: new_session, challenge })
    }

    /// `otpauth://` URI for a portal secret: issuer = the portal's host, as the portal's
    /// own QR code does (its tenant domain), account = the user's e-mail.
    fn otpauth_uri(&self, secret: &Secret, account: &str) -> Result<Secret> {
        let totp = Totp::new(secret.expose())?;
        let issuer = url::Url::parse(self.base_url()).ok().and_then(|u| u.host_str().map(str::to_ascii_lowercase));
        Ok(OtpauthUri::new(totp, issuer.as_deref(), account).to_uri())
    }
}

fn session_auth(session: &Session) -> Auth<'_> {
    match &session.credential {
        Credential::LoginToken(token) => Auth::Cookie(token.expose()),
        Credential::ApiKey(key) => Auth::Bearer(key.expose()),
    }
}

fn backup_codes_from(codes: Vec<BackupCodeDto>) -> Vec<BackupCode> {
    codes.into_iter().map(|c| BackupCode { code: c.code, used: c.is_used }).collect()
}

/// The `confirm` header value: `type=<Type>&uid=<id>&key=<key>`.
fn confirm_header(challenge: &Challenge) -> Result<Zeroizing<String>> {
    let key = challenge.confirm_key.as_ref().ok_or_else(|| {
        Error::new(
            ErrorKind::ConfirmContext,
            "this challenge has no confirm key (the portal's asc_confirm_key cookie was missing); sign in again",
        )
    })?;
    Ok(Zeroizing::new(format!(
        "type={}&uid={}&key={}",
        challenge.confirm_type.as_str(),
        percent_encode(&challenge.user_id).as_str(),
        percent_encode(key.expose()).as_str()
    )))
}

/// The `asc_confirm_key_<Type>` cookie the portal sets with a 2FA challenge.
fn confirm_key_cookie(answer: &Response, confirm_type: ConfirmType) -> Option<Secret> {
    let name = match confirm_type {
        ConfirmType::TfaActivation => "asc_confirm_key_TfaActivation",
        ConfirmType::TfaAuth => "asc_confirm_key_TfaAuth",
    };
    answer.cookie(name).map(Secret::from_zeroizing)
}

/// `(type, uid)` from a confirm URL such as `https://portal/confirm/TfaAuth?type=TfaAuth&uid=…`.
/// Only the query is read (the rest of the URL is the portal's business), so it is split
/// out by hand rather than parsing the whole URL on every sign-in.
fn parse_confirm_url(confirm_url: &str) -> Option<(ConfirmType, String)> {
    let (_, query) = confirm_url.split_once('?')?;
    let query = query.split_once('#').map_or(query, |(query, _fragment)| query);
    let mut confirm_type = None;
    let mut uid = None;
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if name.eq_ignore_ascii_case("type") {
            confirm_type = [ConfirmType::TfaActivation, ConfirmType::TfaAuth]
                .into_iter()
                .find(|known| known.as_str().eq_ignore_ascii_case(&value));
        } else if name.eq_ignore_ascii_case("uid") {
            uid = input::id(&value, "uid").ok();
        }
    }
    Some((confirm_type?, uid?))
}

/// A `data:image/png;base64,…` URI's bytes, if it is one and really holds a PNG.
fn decode_png_data_uri(uri: &str) -> Option<Vec<u8>> {
    let (header, data) = uri.split_once(',')?;
    if !header.eq_ignore_ascii_case("data:image/png;base64") {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD.decode(data.trim()).ok()?;
    bytes.starts_with(b"\x89PNG\r\n\x1a\n").then_some(bytes)
}

/// The portal's "no date" is reported as no date.
fn real_date(date: Option<String>) -> Option<String> {
    date.filter(|d| !d.is_empty() && !d.starts_with(NO_DATE_PREFIX))
}

/// A trusted-IP entry: one address, `from-to`, or CIDR `addr/bits`.
fn check_trusted_ip(entry: &str) -> Result<()> {
    use std::net::IpAddr;
    let bad = || Error::invalid_argument("a trusted IP must be an address, a from-to range or CIDR (10.0.0.0/8)");
    let entry = entry.trim();
    if entry.is_empty() || entry.len() > MAX_TRUSTED_IP {
        return Err(bad());
    }
    let ok = if let Some((from, to)) = entry.split_once('-') {
        matches!(
            (from.trim().parse::<IpAddr>(), to.trim().parse::<IpAddr>()),
            (Ok(IpAddr::V4(_)), Ok(IpAddr::V4(_))) | (Ok(IpAddr::V6(_)), Ok(IpAddr::V6(_)))
        )
    } else if let Some((addr, bits)) = entry.split_once('/') {
        match (addr.parse::<IpAddr>(), bits.parse::<u8>()) {
            (Ok(IpAddr::V4(_)), Ok(b)) => b <= 32,
            (Ok(IpAddr::V6(_)), Ok(b)) => b <= 128,
            _ => false,
        }
    } else {
        entry.parse::<IpAddr>().is_ok()
    };
    if ok {
        Ok(())
    } else {
        Err(bad())
    }
}

fn unexpected(answer: &Response, message: &str) -> Error {
    Error::new(ErrorKind::UnexpectedResponse, message).with_status(answer.status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confirm_urls() {
        let (t, uid) = parse_confirm_url(
            "https://p.example/confirm/TfaAuth?type=TfaAuth&uid=9a1e28c4-51f2-4f6b-b0a3-0c21e7f2a7d1",
        )
        .unwrap();
        assert_eq!(t, ConfirmType::TfaAuth);
        assert_eq!(uid, "9a1e28c4-51f2-4f6b-b0a3-0c21e7f2a7d1");
        assert_eq!(
            parse_confirm_url("https://p/confirm/X?type=TfaActivation&uid=abc").unwrap().0,
            ConfirmType::TfaActivation
        );
        assert!(parse_confirm_url("https://p/confirm/PhoneAuth?type=PhoneAuth&uid=abc").is_none());
        assert!(parse_confirm_url("https://p/confirm/TfaAuth?type=TfaAuth&uid=../x").is_none());
        assert!(parse_confirm_url("not a url").is_none());
        // Percent-encoded and mixed-case query, a fragment, a relative URL.
        let (t, uid) = parse_confirm_url("/confirm/TfaAuth?TYPE=tfa%41uth&uid=a%2Db#type=TfaActivation").unwrap();
        assert_eq!((t, uid.as_str()), (ConfirmType::TfaAuth, "a-b"));
        assert!(parse_confirm_url("https://p/confirm?uid=abc#?type=TfaAuth").is_none());
    }

    #[test]
    fn png_data_uris() {
        let png = b"\x89PNG\r\n\x1a\nrest";
        let uri = format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(png));
        assert_eq!(decode_png_data_uri(&uri).unwrap(), png);
        assert!(decode_png_data_uri("https://x/qr.png").is_none());
        assert!(decode_png_data_uri("data:image/png;base64,!!!").is_none());
        assert!(decode_png_data_uri("data:image/png;base64,aGVsbG8=").is_none());
    }

    #[test]
    fn trusted_ips() {
        for ok in ["10.0.0.1", "10.0.0.0/8", "10.0.0.1-10.0.0.9", "::1", "fe80::/10"] {
            assert!(check_trusted_ip(ok).is_ok(), "{ok}");
        }
        for bad in ["", "10.0.0", "10.0.0.0/33", "1.2.3.4-::1", "x", "10.0.0.1;DROP"] {
            assert!(check_trusted_ip(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(real_date(Some("0001-01-01T00:00:00".into())), None);
        assert_eq!(real_date(Some("2027-11-23T00:05:12Z".into())).as_deref(), Some("2027-11-23T00:05:12Z"));
    }
}
