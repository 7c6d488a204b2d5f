//! `api/2.0/settings/security/loginsettings` (CONTRACT.md §2.16): the brute-force parameters.

use serde::Serialize;

use super::{Ctx, Failure};
use crate::body::BindError;
use crate::envelope::{ApiError, Payload};
use crate::lockout::LoginSettings;

const SITE: &str =
    "ASC.Web.Api.Controllers.Settings.SecurityController.UpdateLoginSettingsAsync(LoginSettingsRequestDto inDto)";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LoginSettingsDto {
    attempt_count: i64,
    block_time: i64,
    check_period: i64,
    is_default: bool,
}

impl From<LoginSettings> for LoginSettingsDto {
    fn from(s: LoginSettings) -> Self {
        LoginSettingsDto {
            attempt_count: s.attempt_count,
            block_time: s.block_time,
            check_period: s.check_period,
            is_default: s == LoginSettings::default(),
        }
    }
}

/// `EditPortalSettings`: anonymous → 401 (no body), non-admin → 403 "Access denied".
fn require_admin(ctx: &Ctx) -> Result<(), Failure> {
    let identity = ctx.require_identity()?;
    match ctx.state.user(identity.user_id()) {
        Some(user) if user.is_admin() => Ok(()),
        _ => Err(ApiError::access_denied(SITE).into()),
    }
}

pub(super) fn get_login_settings(ctx: &mut Ctx) -> Result<Payload, Failure> {
    require_admin(ctx)?;
    Ok(Payload::value(&LoginSettingsDto::from(ctx.state.login_settings)))
}

/// Each value must be in `1..=9999` (`[Range(1, 9999)]`); a missing one binds as 0 and fails.
pub(super) fn put_login_settings(ctx: &mut Ctx) -> Result<Payload, Failure> {
    require_admin(ctx)?;
    let body = ctx.body("inDto")?;
    let mut errors = Vec::new();
    let mut field = |json_name: &str, field_name: &str| -> Result<i64, Failure> {
        let value = body.integer(json_name)?.unwrap_or(0);
        if !(1..=9999).contains(&value) {
            errors.push((field_name.to_owned(), format!("The field {field_name} must be between 1 and 9999.")));
        }
        Ok(value)
    };
    let settings = LoginSettings {
        attempt_count: field("attemptCount", "AttemptCount")?,
        block_time: field("blockTime", "BlockTime")?,
        check_period: field("checkPeriod", "CheckPeriod")?,
    };
    if !errors.is_empty() {
        return Err(BindError::Invalid(errors).into());
    }
    ctx.state.login_settings = settings;
    Ok(Payload::value(&LoginSettingsDto::from(settings)))
}

pub(super) fn reset_login_settings(ctx: &mut Ctx) -> Result<Payload, Failure> {
    require_admin(ctx)?;
    ctx.state.login_settings = LoginSettings::default();
    Ok(Payload::value(&LoginSettingsDto::from(LoginSettings::default())))
}
