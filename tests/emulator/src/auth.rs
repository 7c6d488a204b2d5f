//! Who a request is (CONTRACT.md §1.2): the default scheme selector (login-token cookie or
//! `Authorization`, or an `sk-` API key) and the `confirm` scheme of TFA setup/validate.

use crate::clock::Time;
use crate::confirm::{self, ConfirmHeader, ConfirmType, KeyStatus};
use crate::cookies::{self, AUTH_COOKIE};
use crate::http::Req;
use crate::state::State;

/// How the default scheme signed the request in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Identity {
    /// A login token, from the `asc_auth_key` cookie or the `Authorization` header.
    Session { user_id: String },
    /// `Authorization: Bearer sk-…`.
    ApiKey { user_id: String },
}

impl Identity {
    pub(crate) fn user_id(&self) -> &str {
        match self {
            Identity::Session { user_id } | Identity::ApiKey { user_id } => user_id,
        }
    }
}

/// The auth layer's refusal: these answers have no body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Denied {
    /// 401: no valid credentials for the scheme.
    Unauthorized,
    /// 403: signed in, but not with the role the endpoint needs.
    Forbidden,
}

impl Denied {
    pub(crate) fn status(self) -> u16 {
        match self {
            Denied::Unauthorized => 401,
            Denied::Forbidden => 403,
        }
    }
}

fn strip_prefix_ignore_case<'a>(value: &'a str, prefix: &str) -> Option<&'a str> {
    let head = value.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &value[prefix.len()..])
}

/// Tokens may arrive percent-encoded (as in the cookie) and with `+` turned into spaces.
pub(crate) fn decode_token(raw: &str) -> String {
    cookies::percent_decode(raw).replace(' ', "+")
}

/// The default scheme. An `Authorization: Bearer sk-…` header selects the API-key handler
/// (the cookie is then ignored); otherwise the cookie handler reads `asc_auth_key`, falling
/// back to the `Authorization` value with any `Bearer ` prefix removed.
pub(crate) fn identify(req: &Req, state: &State, now: Time) -> Option<Identity> {
    let authorization = req.header("authorization").map(str::trim).filter(|v| !v.is_empty());
    let bearer = authorization.and_then(|a| strip_prefix_ignore_case(a, "Bearer "));
    if let Some(key) = bearer.map(str::trim).filter(|t| t.starts_with("sk-")) {
        let user = state.user_by_api_key(key)?;
        return Some(Identity::ApiKey { user_id: user.id().to_owned() });
    }
    if authorization.is_some_and(|a| strip_prefix_ignore_case(a, "Basic ").is_some()) {
        return None; // Basic authentication is not emulated.
    }
    let raw = req.cookie(AUTH_COOKIE).filter(|c| !c.is_empty()).or(bearer).or(authorization)?;
    let user = state.token_user(&decode_token(raw), now)?;
    Some(Identity::Session { user_id: user.id().to_owned() })
}

/// The `confirm` scheme followed by the endpoint's role check. Returns the user and the role
/// (confirm type) the key granted.
pub(crate) fn confirm_identity(
    req: &Req,
    state: &State,
    now: Time,
    roles: &[ConfirmType],
) -> Result<(String, ConfirmType), Denied> {
    let header = req.header("confirm").map(ConfirmHeader::parse).unwrap_or_default();
    let Some(type_name) = header.kind.filter(|t| !t.is_empty()) else {
        // No type: the handler passes the existing identity through, which has no confirm role.
        return Err(match identify(req, state, now) {
            Some(_) => Denied::Forbidden,
            None => Denied::Unauthorized,
        });
    };
    let kind = ConfirmType::parse(&type_name).ok_or(Denied::Unauthorized)?;
    let user = header
        .uid
        .as_deref()
        .and_then(|uid| state.user(uid.trim()))
        .filter(|u| u.active())
        .ok_or(Denied::Unauthorized)?;
    let key = header
        .key
        .filter(|k| !k.is_empty())
        .or_else(|| req.cookie(&kind.cookie_name()).map(cookies::percent_decode))
        .ok_or(Denied::Unauthorized)?;
    if confirm::check_key(&state.machine_key, user.id(), kind, &key, now) != KeyStatus::Ok {
        return Err(Denied::Unauthorized);
    }
    // A TfaAuth key is refused when the request is already signed in another way.
    if kind == ConfirmType::TfaAuth && identify(req, state, now).is_some() {
        return Err(Denied::Unauthorized);
    }
    if !roles.contains(&kind) {
        return Err(Denied::Forbidden);
    }
    Ok((user.id().to_owned(), kind))
}
