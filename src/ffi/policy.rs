//! `docspace_policy`: the portal's 2FA policy.

use std::ffi::c_char;

use super::boundary::{c_string, c_string_opt, free_handle, handle_opt, handle_ref, result_of, FfiError, Handle, Out};
use super::result::{docspace_policy_list, docspace_result, docspace_tfa_method};
use crate::model::{TfaMethod, TfaMethodSettings, TfaPolicy};

/// The portal's 2FA policy from `docspace_client_tfa_policy()`: which method is on, and per
/// method (SMS, APP) whether it is available and its trusted IPs, mandatory users and
/// mandatory groups. Free with `docspace_policy_free()`. Immutable: safe to read from several
/// threads. Corresponds to a `Box` of a `docspace_auth::TfaPolicy`.
pub struct docspace_policy {
    _private: [u8; 0],
}

impl Handle for docspace_policy {
    type Inner = TfaPolicy;
}

/// A `docspace_tfa_method` value from C.
pub(crate) fn tfa_method_from(value: u32) -> Option<TfaMethod> {
    match value {
        v if v == docspace_tfa_method::None as u32 => Some(TfaMethod::None),
        v if v == docspace_tfa_method::Sms as u32 => Some(TfaMethod::Sms),
        v if v == docspace_tfa_method::App as u32 => Some(TfaMethod::App),
        _ => None,
    }
}

/// The settings of `method` (SMS or APP) in the policy, if listed.
fn method_settings(policy: &TfaPolicy, method: u32) -> Result<Option<&TfaMethodSettings>, FfiError> {
    match tfa_method_from(method) {
        Some(TfaMethod::None) | None => {
            Err(FfiError::invalid("the method must be DOCSPACE_TFA_METHOD_SMS or DOCSPACE_TFA_METHOD_APP"))
        }
        Some(method) => Ok(policy.methods.iter().find(|m| m.method == method)),
    }
}

/// A `docspace_policy_list` value from C, as the accessor of that list.
fn list_from(value: u32) -> Option<fn(&TfaMethodSettings) -> &[String]> {
    match value {
        v if v == docspace_policy_list::TrustedIps as u32 => Some(|m| &m.trusted_ips),
        v if v == docspace_policy_list::MandatoryUsers as u32 => Some(|m| &m.mandatory_users),
        v if v == docspace_policy_list::MandatoryGroups as u32 => Some(|m| &m.mandatory_groups),
        _ => None,
    }
}

/// The method that is switched on: SMS, APP, or NONE (2FA off; also for a NULL `policy`).
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_policy_enabled_method(policy: *const docspace_policy) -> docspace_tfa_method {
    ffi_boundary! {
        match unsafe { handle_opt::<docspace_policy>(policy) }.map(TfaPolicy::enabled_method) {
            Some(TfaMethod::Sms) => docspace_tfa_method::Sms,
            Some(TfaMethod::App) => docspace_tfa_method::App,
            Some(TfaMethod::None) | None => docspace_tfa_method::None,
        }
    }
}

/// Whether `method` (a `docspace_tfa_method`: SMS or APP) can be used on this portal. A method
/// the portal does not list is not available. On success writes `*available_out`. Returns OK,
/// NULL_PARAMETER, or INVALID_ARGUMENT for NONE or an unknown value.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_policy_available(
    policy: *const docspace_policy,
    method: u32,
    available_out: *mut bool,
) -> docspace_result {
    ffi_boundary! {
        result_of(|| {
            let policy = unsafe { handle_ref::<docspace_policy>(policy, "policy") }?;
            let out = unsafe { Out::new(available_out, "available_out") }?;
            out.write(method_settings(policy, method)?.is_some_and(|m| m.available));
            Ok(())
        })
    }
}

/// Whether the portal's policy is switched on for `method` (a `docspace_tfa_method`: SMS or
/// APP). At most one method is on (`docspace_policy_enabled_method()`); a method the portal
/// does not list is off. On success writes `*enabled_out`. Returns OK, NULL_PARAMETER, or
/// INVALID_ARGUMENT for NONE or an unknown value.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_policy_enabled(
    policy: *const docspace_policy,
    method: u32,
    enabled_out: *mut bool,
) -> docspace_result {
    ffi_boundary! {
        result_of(|| {
            let policy = unsafe { handle_ref::<docspace_policy>(policy, "policy") }?;
            let out = unsafe { Out::new(enabled_out, "enabled_out") }?;
            out.write(method_settings(policy, method)?.is_some_and(|m| m.enabled));
            Ok(())
        })
    }
}

/// The portal's localised title of `method` (SMS or APP), e.g. `"By authenticator app"`. On
/// success `*title_out` is a new string (free with `docspace_string_free()`), or NULL when the
/// portal does not list the method. Returns OK, NULL_PARAMETER, or INVALID_ARGUMENT for NONE
/// or an unknown value.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_policy_title(
    policy: *const docspace_policy,
    method: u32,
    title_out: *mut *mut c_char,
) -> docspace_result {
    ffi_boundary! {
        result_of(|| {
            let policy = unsafe { handle_ref::<docspace_policy>(policy, "policy") }?;
            let out = unsafe { Out::new(title_out, "title_out") }?;
            out.write(c_string_opt(method_settings(policy, method)?.map(|m| m.title.as_str()))?);
            Ok(())
        })
    }
}

/// The length of one list (`list`: a `docspace_policy_list`) of `method` (SMS or APP). 0 for a
/// NULL policy, an unknown method or list, or a method the portal does not list.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_policy_list_len(policy: *const docspace_policy, method: u32, list: u32) -> usize {
    ffi_boundary! {
        unsafe { handle_opt::<docspace_policy>(policy) }
            .and_then(|p| method_settings(p, method).ok().flatten())
            .zip(list_from(list))
            .map_or(0, |(settings, list)| list(settings).len())
    }
}

/// Entry `index` of one list of `method` (see `docspace_policy_list_len()`). On success
/// `*value_out` is a new string (free with `docspace_string_free()`). Returns OK,
/// NULL_PARAMETER, or INVALID_ARGUMENT for an unknown method or list or an index out of range.
/// Thread-safe: the handle is read-only.
#[no_mangle]
pub extern "C" fn docspace_policy_list_get(
    policy: *const docspace_policy,
    method: u32,
    list: u32,
    index: usize,
    value_out: *mut *mut c_char,
) -> docspace_result {
    ffi_boundary! {
        result_of(|| {
            let policy = unsafe { handle_ref::<docspace_policy>(policy, "policy") }?;
            let out = unsafe { Out::new(value_out, "value_out") }?;
            let settings = method_settings(policy, method)?;
            let list = list_from(list).ok_or_else(|| FfiError::invalid("unknown docspace_policy_list value"))?;
            let values = settings.map_or(&[][..], list);
            let value = values.get(index).ok_or_else(|| FfiError::invalid("the policy list index is out of range"))?;
            out.write(c_string(value)?);
            Ok(())
        })
    }
}

/// Free a policy. NULL is a no-op; do not free twice.
/// Must not race with other calls on the same handle.
#[no_mangle]
pub extern "C" fn docspace_policy_free(policy: *mut docspace_policy) {
    ffi_boundary! {
        unsafe { free_handle(policy) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;
    use std::ptr;

    #[test]
    fn per_method_detail() {
        let settings = |method, title: &str, enabled| TfaMethodSettings {
            method,
            title: title.to_owned(),
            enabled,
            available: true,
            trusted_ips: vec![],
            mandatory_users: vec![],
            mandatory_groups: vec![],
        };
        let policy: *mut docspace_policy = super::super::boundary::new_handle(TfaPolicy {
            methods: vec![settings(TfaMethod::App, "By authenticator app", true)],
        });
        let (app, sms) = (docspace_tfa_method::App as u32, docspace_tfa_method::Sms as u32);
        let mut enabled = false;
        assert_eq!(docspace_policy_enabled(policy, app, &mut enabled), docspace_result::Ok);
        assert!(enabled);
        enabled = true;
        assert_eq!(docspace_policy_enabled(policy, sms, &mut enabled), docspace_result::Ok);
        assert!(!enabled, "a method the portal does not list is off");
        let mut title = ptr::null_mut();
        assert_eq!(docspace_policy_title(policy, app, &mut title), docspace_result::Ok);
        assert_eq!(unsafe { CStr::from_ptr(title) }.to_str().unwrap(), "By authenticator app");
        crate::ffi::docspace_string_free(title);
        title = c"untouched".as_ptr().cast_mut();
        assert_eq!(docspace_policy_title(policy, sms, &mut title), docspace_result::Ok);
        assert!(title.is_null(), "no title for a method the portal does not list");
        for bad in [docspace_tfa_method::None as u32, 7] {
            assert_eq!(docspace_policy_enabled(policy, bad, &mut enabled), docspace_result::InvalidArgument);
            assert_eq!(docspace_policy_title(policy, bad, &mut title), docspace_result::InvalidArgument);
        }
        assert_eq!(docspace_policy_enabled(ptr::null(), app, &mut enabled), docspace_result::NullParameter);
        assert_eq!(docspace_policy_title(policy, app, ptr::null_mut()), docspace_result::NullParameter);
        docspace_policy_free(policy);
    }
}
