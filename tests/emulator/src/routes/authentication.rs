//! `api/2.0/authentication`: sign-in, the TFA/SMS second step, logout (CONTRACT.md §2.1–§2.7).

use serde::Serialize;

use super::{Ctx, Failure};
use crate::body::Body;
use crate::clock::DOTNET_DEFAULT_DATE;
use crate::confirm::{self, ConfirmType, KeyStatus};
use crate::cookies::{self, AUTH_COOKIE, SOCKET_COOKIE};
use crate::envelope::{ApiError, Payload, TOO_MANY_CODES};
use crate::sms::phone_noise;
use crate::{auth, totp};

const TOO_MANY_LOGINS: &str = "Too many login attempts. Please try again later";

/// `AuthenticationTokenDto`; nulls are left out, the rest is always written.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenDto {
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<String>,
    expires: String,
    sms: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_noise: Option<String>,
    tfa: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    tfa_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confirm_url: Option<String>,
}

impl TokenDto {
    fn empty() -> TokenDto {
        TokenDto {
            token: None,
            expires: DOTNET_DEFAULT_DATE.to_owned(),
            sms: false,
            phone_noise: None,
            tfa: false,
            tfa_key: None,
            confirm_url: None,
        }
    }
}

/// The fields of `AuthRequestsDto` (+ `code`) the emulator reads; the others are type-checked
/// and ignored.
struct AuthRequest {
    user_name: Option<String>,
    password: Option<String>,
    password_hash: Option<String>,
    session: bool,
    /// Third-party or confirm-link sign-in, which the emulator does not offer.
    other_method: bool,
    code: Option<String>,
}

impl AuthRequest {
    fn bind(body: &Body) -> Result<AuthRequest, Failure> {
        for ignored in ["culture", "recaptchaResponse"] {
            body.string(ignored)?;
        }
        body.integer("recaptchaType")?;
        let mut other_method = body.present("confirmData");
        for name in ["provider", "accessToken", "serializedProfile", "codeOAuth"] {
            other_method |= body.string(name)?.is_some_and(|v| !v.is_empty());
        }
        Ok(AuthRequest {
            user_name: body.string("userName")?,
            password: body.string("password")?,
            password_hash: body.string("passwordHash")?,
            session: body.boolean("session")?.unwrap_or(false),
            other_method,
            code: body.string("code")?,
        })
    }
}

/// `GetUserAsync`: the credential check with brute-force accounting. Its errors keep their
/// status on every endpoint that uses it.
fn check_credentials(ctx: &mut Ctx, request: &AuthRequest) -> Result<String, Failure> {
    if request.other_method {
        return Err(ApiError::authentication().into());
    }
    let login = request.user_name.as_deref().map(str::trim).filter(|l| !l.is_empty());
    let Some(login) = login else {
        return Err(ApiError::authentication().into());
    };
    // A client-side hash cannot be checked (the portal's hashing salt is not emulated), so a
    // non-empty `passwordHash` is counted and fails like a wrong password.
    let password = match request.password_hash.as_deref().filter(|h| !h.is_empty()) {
        Some(_) => None,
        None => Some(request.password.as_deref().ok_or_else(ApiError::authentication)?.trim()),
    };
    let ip = ctx.req.client_ip();
    let settings = ctx.state.login_settings;
    let attempt = ctx
        .state
        .passwords
        .begin(login, &ip, ctx.now, &settings)
        .map_err(|_| ApiError::brute_force(TOO_MANY_LOGINS))?;
    let user_id = ctx
        .state
        .user_by_email(login)
        .filter(|u| password == Some(u.record.password.as_str()))
        .map(|u| u.id().to_owned());
    match user_id {
        Some(id) => {
            ctx.state.passwords.succeeded(attempt);
            Ok(id)
        }
        None => Err(ApiError::authentication().into()),
    }
}

fn ensure_active(ctx: &Ctx, user_id: &str) -> Result<(), Failure> {
    match ctx.state.user(user_id) {
        Some(u) if u.active() => Ok(()),
        _ => Err(ApiError::invalid_operation(
            "User disabled",
            "ASC.Web.Api.Controllers.AuthenticationController.AuthenticateMeAsync(AuthRequestsDto inDto)",
        )
        .into()),
    }
}

fn sms_too_many() -> ApiError {
    ApiError::internal(
        TOO_MANY_CODES,
        "System.Exception",
        -2_146_233_088,
        "ASC.Web.Core.Sms.SmsKeyStorage.GenerateKeyAsync(String phone)",
    )
}

/// `GET /api/2.0/authentication`: `true` when the request is signed in; never 401.
pub(super) fn is_authenticated(ctx: &mut Ctx) -> Result<Payload, Failure> {
    Ok(Payload::value(&ctx.identity().is_some()))
}

/// `POST /api/2.0/authentication`.
pub(super) fn login(ctx: &mut Ctx) -> Result<Payload, Failure> {
    let request = AuthRequest::bind(&ctx.body("inDto")?)?;
    let user_id = check_credentials(ctx, &request)?;
    ensure_active(ctx, &user_id)?;
    let base_url = ctx.req.base_url();
    let (sms, app) = match ctx.state.user(&user_id) {
        Some(user) => (ctx.state.sms_tfa_applies(user), ctx.state.app_tfa_applies(user)),
        None => return Err(ApiError::authentication().into()),
    };
    if sms {
        let now = ctx.now;
        let Some(user) = ctx.state.user_mut(&user_id) else {
            return Err(ApiError::authentication().into());
        };
        let expires = user.sms.send(now, false).map_err(|_| sms_too_many())?;
        return Ok(Payload::value(&TokenDto {
            expires: expires.iso8601(),
            sms: true,
            phone_noise: user.phone().map(phone_noise),
            confirm_url: Some(ConfirmType::PhoneAuth.url(&base_url, &user_id)),
            ..TokenDto::empty()
        }));
    }
    if app {
        // The first TFA-pending login persists the user's salt, fixing the key.
        let secret = ctx.state.ensure_secret(&user_id).unwrap_or_default();
        let linked = ctx.state.user(&user_id).is_some_and(|u| u.app_linked());
        let kind = if linked { ConfirmType::TfaAuth } else { ConfirmType::TfaActivation };
        let key = confirm::make_key(&ctx.state.machine_key, &user_id, kind, ctx.now);
        ctx.set_cookies.push(cookies::set_cookie(&kind.cookie_name(), &key, None, ctx.secure()));
        return Ok(Payload::value(&TokenDto {
            tfa: true,
            tfa_key: (!linked).then(|| totp::base32(&secret)),
            confirm_url: Some(kind.url(&base_url, &user_id)),
            ..TokenDto::empty()
        }));
    }
    let (token, expires) = ctx.sign_in(&user_id, request.session);
    Ok(Payload::value(&TokenDto { token: Some(token), expires, ..TokenDto::empty() }))
}

/// `POST /api/2.0/authentication/{code}`: only the body `code` counts. Credentials are checked
/// again (their errors keep 401/403); every later failure is 401 "User authentication failed".
pub(super) fn login_with_code(ctx: &mut Ctx) -> Result<Payload, Failure> {
    let request = AuthRequest::bind(&ctx.body("inDto")?)?;
    let user_id = check_credentials(ctx, &request)?;
    ensure_active(ctx, &user_id)?;
    complete_with_code(ctx, &user_id, &request).ok_or_else(|| ApiError::authentication().into())
}

fn complete_with_code(ctx: &mut Ctx, user_id: &str, request: &AuthRequest) -> Option<Payload> {
    let user = ctx.state.user(user_id)?;
    let (sms, app) = (ctx.state.sms_tfa_applies(user), ctx.state.app_tfa_applies(user));
    let code = request.code.as_deref();
    if sms {
        let now = ctx.now;
        let user = ctx.state.user_mut(user_id)?;
        if !user.sms.check(code.unwrap_or_default(), now) {
            return None;
        }
        let noise = user.phone().map(phone_noise);
        let (token, expires) = ctx.sign_in(user_id, request.session);
        return Some(Payload::value(&TokenDto {
            token: Some(token),
            expires,
            sms: true,
            phone_noise: noise,
            ..TokenDto::empty()
        }));
    }
    if !app {
        return None; // "Auth code is not available"
    }
    let first_activation = ctx.state.check_tfa_code(user_id, code, ctx.now).ok()?;
    let (mut token, mut expires) = ctx.sign_in(user_id, request.session);
    if !first_activation {
        // The controller discards the validator's sign-in and signs in again with defaults:
        // a second, persistent `asc_auth_key` cookie, and its token in the body.
        let (second, second_expires) = ctx.sign_in(user_id, false);
        token = second;
        if !request.session {
            expires = second_expires;
        }
    }
    Some(Payload::value(&TokenDto { token: Some(token), expires, tfa: true, ..TokenDto::empty() }))
}

/// `POST /api/2.0/authentication/logout`: closes the login event of the `asc_auth_key` COOKIE
/// only; a token sent in `Authorization` stays valid. Clears the cookies it was sent.
pub(super) fn logout(ctx: &mut Ctx) -> Result<Payload, Failure> {
    if let Some(raw) = ctx.req.cookie(AUTH_COOKIE) {
        ctx.state.close_token(&auth::decode_token(raw));
        ctx.set_cookies.push(cookies::delete_cookie(AUTH_COOKIE, ctx.now, ctx.secure()));
    }
    if ctx.req.cookie(SOCKET_COOKIE).is_some() {
        ctx.set_cookies.push(cookies::delete_cookie(SOCKET_COOKIE, ctx.now, ctx.secure()));
    }
    Ok(Payload::none())
}

/// `POST /api/2.0/authentication/sendsms`: a new SMS code (within the resend cap).
pub(super) fn send_sms(ctx: &mut Ctx) -> Result<Payload, Failure> {
    let request = AuthRequest::bind(&ctx.body("inDto")?)?;
    let user_id = check_credentials(ctx, &request)?;
    ensure_active(ctx, &user_id)?;
    let applies = ctx.state.user(&user_id).is_some_and(|u| ctx.state.sms_tfa_applies(u));
    if !applies {
        return Err(ApiError::internal(
            "Method not available",
            "System.MethodAccessException",
            -2_146_233_072,
            "ASC.Web.Api.Controllers.AuthenticationController.SendSmsCodeAsync(AuthRequestsDto inDto)",
        )
        .into());
    }
    let now = ctx.now;
    let Some(user) = ctx.state.user_mut(&user_id) else {
        return Err(ApiError::authentication().into());
    };
    let expires = user.sms.send(now, true).map_err(|_| sms_too_many())?;
    Ok(Payload::value(&TokenDto {
        expires: expires.iso8601(),
        sms: true,
        phone_noise: user.phone().map(phone_noise),
        ..TokenDto::empty()
    }))
}

/// `ConfirmDto` of `POST /api/2.0/authentication/confirm`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConfirmDto {
    /// 0 Ok, 1 Invalid, 2 Expired.
    result: u8,
    is_agent: bool,
}

/// `POST /api/2.0/authentication/confirm`: checks a confirm key without signing anyone in.
/// Only the TFA and phone confirm types are known; anything else is `Invalid`.
pub(super) fn check_confirm(ctx: &mut Ctx) -> Result<Payload, Failure> {
    let body = ctx.body("inDto")?;
    let kind = body.string("type")?.as_deref().and_then(ConfirmType::parse);
    let uid = body.string("uiD")?;
    let key = body.string("key")?.filter(|k| !k.is_empty());
    let status = match (kind, uid) {
        (Some(kind), Some(uid)) => {
            let key = key.or_else(|| ctx.req.cookie(&kind.cookie_name()).map(cookies::percent_decode));
            match (ctx.state.user(&uid), key) {
                (Some(user), Some(key)) => {
                    let status = confirm::check_key(&ctx.state.machine_key, user.id(), kind, &key, ctx.now);
                    if kind == ConfirmType::TfaAuth && ctx.identity().is_some() {
                        KeyStatus::Invalid
                    } else {
                        status
                    }
                }
                _ => KeyStatus::Invalid,
            }
        }
        _ => KeyStatus::Invalid,
    };
    let result = match status {
        KeyStatus::Ok => 0,
        KeyStatus::Invalid => 1,
        KeyStatus::Expired => 2,
    };
    Ok(Payload::value(&ConfirmDto { result, is_agent: false }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_dto_shape() {
        let dto = TokenDto { tfa: true, confirm_url: Some("u".into()), ..TokenDto::empty() };
        assert_eq!(
            serde_json::to_string(&dto).unwrap(),
            r#"{"expires":"0001-01-01T00:00:00","sms":false,"tfa":true,"confirmUrl":"u"}"#
        );
    }
}
