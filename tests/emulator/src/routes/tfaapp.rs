//! `api/2.0/settings/tfaapp*`: the portal policy and the authenticator-app lifecycle
//! (CONTRACT.md §2.8–§2.15).

use serde::Serialize;

use super::{Ctx, Failure};
use crate::auth::{self, Identity};
use crate::body::BindError;
use crate::confirm::{self, ConfirmType};
use crate::cookies::{self, escape_data_string};
use crate::envelope::{ApiError, Payload, NO_PERMISSIONS, TFA_NOT_AVAILABLE, TOO_MANY_CODES};
use crate::state::{new_backup_codes as fresh_backup_codes, PolicyLists, User};
use crate::tfa::CodeError;
use crate::{qr, totp};

const EMPTY_GUID: &str = "00000000-0000-0000-0000-000000000000";
const POLICY_TYPES: [&str; 3] = ["None", "Sms", "App"];
const APP_POLICY: usize = 2;
const SMS_POLICY: usize = 1;

/// The stack site of a `TfaappController` action.
macro_rules! site {
    ($action:literal) => {
        concat!("ASC.Web.Api.Controllers.Settings.TfaappController.", $action)
    };
}

/// The signed-in user (default scheme), or 401.
fn caller<'a>(ctx: &'a Ctx) -> Result<(Identity, &'a User), Failure> {
    let identity = ctx.require_identity()?;
    let user = ctx.state.user(identity.user_id()).ok_or(Failure::Denied(auth::Denied::Unauthorized))?;
    Ok((identity, user))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TfaSettingsDto {
    id: &'static str,
    title: &'static str,
    enabled: bool,
    available: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    trusted_ips: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mandatory_users: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mandatory_groups: Option<Vec<String>>,
}

/// `GET /settings/tfaapp`: the `app` entry only (the portal has no SMS provider).
pub(super) fn get_policy(ctx: &mut Ctx) -> Result<Payload, Failure> {
    caller(ctx)?;
    let policy = &ctx.state.policy;
    let lists = policy.lists.clone();
    let entry = TfaSettingsDto {
        id: "app",
        title: "By authenticator app",
        enabled: policy.app_enabled,
        available: true,
        trusted_ips: lists.as_ref().map(|l| l.trusted_ips.clone()),
        mandatory_users: lists.as_ref().map(|l| l.mandatory_users.clone()),
        mandatory_groups: lists.map(|l| l.mandatory_groups),
    };
    Ok(Payload::list(&[entry]))
}

/// `PUT /settings/tfaapp`: admins only. Switching the app method on logs every session of the
/// portal out, the caller's included.
pub(super) fn put_policy(ctx: &mut Ctx) -> Result<Payload, Failure> {
    let (_, user) = caller(ctx)?;
    let (caller_id, is_admin) = (user.id().to_owned(), user.is_admin());
    if !is_admin {
        return Err(ApiError::access_denied(site!("UpdateTfaSettingsAsync(TfaRequestsDto inDto)")).into());
    }
    let body = ctx.body("inDto")?;
    let policy_type = body.enum_value("type", &POLICY_TYPES)?.unwrap_or(0);
    let id = body.guid("id")?.unwrap_or_else(|| EMPTY_GUID.to_owned());
    let lists = PolicyLists {
        trusted_ips: body.list("trustedIps", false)?.unwrap_or_default(),
        mandatory_users: body.list("mandatoryUsers", true)?.unwrap_or_default(),
        mandatory_groups: body.list("mandatoryGroups", true)?.unwrap_or_default(),
    };
    let owner_id = ctx.state.users().find(|u| u.owner).map(|u| u.id().to_owned());
    if let Some(owner_id) = owner_id {
        let owner_listed = lists.mandatory_users.contains(&owner_id) || id == owner_id;
        if owner_listed && id != caller_id {
            return Err(ApiError::invalid_operation(
                NO_PERMISSIONS,
                site!("UpdateTfaSettingsAsync(TfaRequestsDto inDto)"),
            )
            .into());
        }
    }
    let switched_on = match policy_type {
        APP_POLICY => {
            ctx.state.policy.app_enabled = true;
            true
        }
        SMS_POLICY => {
            return Err(ApiError::invalid_operation(
                "SMS settings are not available",
                site!("UpdateTfaSettingsAsync(TfaRequestsDto inDto)"),
            )
            .into());
        }
        _ => {
            ctx.state.policy.app_enabled = false;
            false
        }
    };
    ctx.state.policy.lists = Some(lists);
    if switched_on {
        ctx.state.reset_tenant_cookies();
    }
    Ok(Payload::value(&switched_on))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConfirmLinkDto {
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    cookie_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cookie_value: Option<String>,
}

/// `GET /settings/tfaapp/confirm`: a fresh confirm link and key for the signed-in user, or
/// nothing when no TFA applies.
pub(super) fn confirm_link(ctx: &mut Ctx) -> Result<Payload, Failure> {
    let (_, user) = caller(ctx)?;
    let base_url = ctx.req.base_url();
    let user_id = user.id().to_owned();
    if ctx.state.sms_tfa_applies(user) {
        let url = ConfirmType::PhoneAuth.url(&base_url, &user_id);
        return Ok(Payload::value(&ConfirmLinkDto { url, cookie_name: None, cookie_value: None }));
    }
    if !ctx.state.app_tfa_applies(user) {
        return Ok(Payload::none());
    }
    let kind = if user.app_linked() { ConfirmType::TfaAuth } else { ConfirmType::TfaActivation };
    let key = confirm::make_key(&ctx.state.machine_key, &user_id, kind, ctx.now);
    ctx.set_cookies.push(cookies::set_cookie(&kind.cookie_name(), &key, None, ctx.secure()));
    Ok(Payload::value(&ConfirmLinkDto {
        url: kind.url(&base_url, &user_id),
        cookie_name: Some(kind.cookie_name()),
        cookie_value: Some(key),
    }))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SetupDto {
    account: String,
    manual_entry_key: String,
    qr_code_setup_image_url: String,
}

/// `GET /settings/tfaapp/setup` (confirm scheme, role TfaActivation): the key and its QR code,
/// while the policy is on and no app is linked.
pub(super) fn setup(ctx: &mut Ctx) -> Result<Payload, Failure> {
    let (user_id, _) =
        auth::confirm_identity(ctx.req, ctx.state, ctx.now, &[ConfirmType::TfaActivation]).map_err(Failure::Denied)?;
    let not_available = || ApiError::invalid_operation(TFA_NOT_AVAILABLE, site!("TfaAppGenerateSetupCodeAsync()"));
    let user = ctx.state.user(&user_id).ok_or_else(not_available)?;
    if !ctx.state.policy.app_enabled || user.app_linked() {
        return Err(not_available().into());
    }
    let account = escape_uri_string(&user.email().chars().filter(|c| !c.is_whitespace()).collect::<String>());
    let secret = ctx.state.ensure_secret(&user_id).ok_or_else(not_available)?;
    let manual_entry_key = totp::base32(&secret);
    let issuer = escape_data_string(&ctx.req.host_name());
    let uri = format!("otpauth://totp/{issuer}:{account}?secret={manual_entry_key}&issuer={issuer}");
    let qr_code_setup_image_url = qr::png_data_uri(&uri).ok_or_else(|| {
        ApiError::internal(
            "QR code too large",
            "System.Exception",
            -2_146_233_088,
            site!("TfaAppGenerateSetupCodeAsync()"),
        )
    })?;
    Ok(Payload::value(&SetupDto { account, manual_entry_key, qr_code_setup_image_url }))
}

/// `POST /settings/tfaapp/validate` (confirm scheme, TfaActivation or TfaAuth): `true` on the
/// first activation, `false` otherwise; the session token only comes as a cookie.
pub(super) fn validate(ctx: &mut Ctx) -> Result<Payload, Failure> {
    let (user_id, kind) =
        auth::confirm_identity(ctx.req, ctx.state, ctx.now, &[ConfirmType::TfaActivation, ConfirmType::TfaAuth])
            .map_err(Failure::Denied)?;
    let body = ctx.body("inDto")?;
    if !body.has("code") {
        return Err(BindError::Invalid(vec![
            ("inDto".to_owned(), "The inDto field is required.".to_owned()),
            (
                "$".to_owned(),
                "JSON deserialization for type 'ASC.Web.Api.ApiModels.RequestsDto.TfaValidateRequestsDto' was missing required properties including: 'code'.".to_owned(),
            ),
        ])
        .into());
    }
    let code = body.string("code")?;
    let session = body.boolean("session")?.unwrap_or(false);
    const SITE: &str = "ASC.Web.Studio.Core.TFA.TfaManager.ValidateAuthCodeAsync(UserInfo user, String code, Boolean checkBackup, Boolean isEntryPoint, Boolean session)";
    // With the portal policy off the server answers `false` without looking at the code.
    let first_activation = if ctx.state.policy.app_enabled {
        match ctx.state.check_tfa_code(&user_id, code.as_deref(), ctx.now) {
            Ok(first) => {
                ctx.sign_in(&user_id, session);
                first
            }
            Err(CodeError::Empty) => {
                return Err(ApiError::internal(
                    "Validation code field cannot be empty",
                    "System.Exception",
                    -2_146_233_088,
                    SITE,
                )
                .into())
            }
            Err(CodeError::LockedOut) => return Err(ApiError::brute_force(TOO_MANY_CODES).into()),
            Err(CodeError::Incorrect) => return Err(ApiError::argument("Incorrect code", SITE).into()),
        }
    } else {
        false
    };
    if ctx.req.cookie(&kind.cookie_name()).is_some() {
        ctx.set_cookies.push(cookies::delete_cookie(&kind.cookie_name(), ctx.now, ctx.secure()));
    }
    Ok(Payload::value(&first_activation))
}

/// `GET /settings/tfaappcodes`: the caller's backup codes, spent ones included.
pub(super) fn backup_codes(ctx: &mut Ctx) -> Result<Payload, Failure> {
    let (_, user) = caller(ctx)?;
    if !ctx.state.policy.app_enabled || !user.app_linked() {
        return Err(ApiError::invalid_operation(TFA_NOT_AVAILABLE, site!("GetTfaAppCodesAsync()")).into());
    }
    Ok(Payload::list(&user.backup_codes))
}

/// `PUT /settings/tfaappnewcodes`: replaces all backup codes (the policy flag is not checked).
pub(super) fn new_backup_codes(ctx: &mut Ctx) -> Result<Payload, Failure> {
    let (identity, user) = caller(ctx)?;
    if !user.app_linked() {
        return Err(ApiError::invalid_operation(TFA_NOT_AVAILABLE, site!("UpdateTfaAppCodesAsync()")).into());
    }
    let codes = fresh_backup_codes();
    if let Some(user) = ctx.state.user_mut(identity.user_id()) {
        user.backup_codes = codes.clone();
    }
    Ok(Payload::list(&codes))
}

/// `PUT /settings/tfaappnewapp`: unlinks the app of `id` (yourself, or anyone for the owner),
/// logs all of that user's sessions out, and for yourself starts a new activation.
pub(super) fn unlink_app(ctx: &mut Ctx) -> Result<Payload, Failure> {
    const SITE: &str = site!("UnlinkTfaAppAsync(TfaRequestsDto inDto)");
    let (_, caller_user) = caller(ctx)?;
    let (caller_id, caller_is_owner) = (caller_user.id().to_owned(), caller_user.owner);
    let body = ctx.body("inDto")?;
    // An empty id means "me", but the server's lookup of it yields no user.
    let id = body.guid("id")?.filter(|id| id != EMPTY_GUID);
    let not_available = || ApiError::invalid_operation(TFA_NOT_AVAILABLE, SITE);
    let target = id.as_deref().and_then(|id| ctx.state.user(id)).ok_or_else(not_available)?;
    let target_id = target.id().to_owned();
    let is_self = target_id == caller_id;
    if !is_self && !caller_is_owner {
        return Err(ApiError::invalid_operation(NO_PERMISSIONS, SITE).into());
    }
    if !target.active() {
        return Err(ApiError::invalid_operation("Not available.", SITE).into());
    }
    if !target.app_linked() {
        return Err(not_available().into());
    }
    ctx.state.unlink_app(&target_id);
    ctx.state.reset_user_cookies(&target_id);
    if !is_self {
        return Ok(Payload::value(""));
    }
    ctx.sign_in(&target_id, false);
    let kind = ConfirmType::TfaActivation;
    let key = confirm::make_key(&ctx.state.machine_key, &target_id, kind, ctx.now);
    ctx.set_cookies.push(cookies::set_cookie(&kind.cookie_name(), &key, None, ctx.secure()));
    Ok(Payload::value(&kind.url(&ctx.req.base_url(), &target_id)))
}

/// .NET `Uri.EscapeUriString`: escapes everything but RFC 3986 unreserved and reserved
/// characters (so `@` stays as it is in the account name).
fn escape_uri_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_uri_string;

    #[test]
    fn escapes_accounts_like_dotnet() {
        assert_eq!(escape_uri_string("setup@example.com"), "setup@example.com");
        assert_eq!(escape_uri_string("a b\"c<ü"), "a%20b%22c%3C%C3%BC");
    }
}
