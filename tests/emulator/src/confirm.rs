//! Confirm keys (CONTRACT.md §1.2, `EmailValidationKeyProvider`): what the `confirm` scheme
//! accepts for TFA setup/validate.
//!
//! Format `<ms since 2010-01-01 UTC>.<UPPERCASE base64 of a SHA-256 MAC, without = + />`. The MAC
//! is HMAC-SHA256 keyed with the machine key over the timestamp, user id and confirm type, so a
//! client cannot forge one. Keys live one hour (emulator clock) and are not single-use.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::clock::Time;

const EPOCH_2010_MS: i64 = 1_262_304_000_000;
const LIFETIME_MS: i64 = 3_600_000;

/// The confirm types the emulator knows. The type is both part of the key and the role the
/// request is granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConfirmType {
    TfaActivation,
    TfaAuth,
    PhoneActivation,
    PhoneAuth,
}

impl ConfirmType {
    pub(crate) fn name(self) -> &'static str {
        match self {
            ConfirmType::TfaActivation => "TfaActivation",
            ConfirmType::TfaAuth => "TfaAuth",
            ConfirmType::PhoneActivation => "PhoneActivation",
            ConfirmType::PhoneAuth => "PhoneAuth",
        }
    }

    /// Case-insensitive, like .NET `Enum.TryParse(…, ignoreCase: true)`.
    pub(crate) fn parse(s: &str) -> Option<ConfirmType> {
        [Self::TfaActivation, Self::TfaAuth, Self::PhoneActivation, Self::PhoneAuth]
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(s))
    }

    /// The cookie the login answer sets and the scheme falls back to: `asc_confirm_key_<Type>`.
    pub(crate) fn cookie_name(self) -> String {
        format!("{}{}", crate::cookies::CONFIRM_COOKIE_PREFIX, self.name())
    }

    /// `<base>/confirm/<Type>?type=<Type>&uid=<id>`
    pub(crate) fn url(self, base_url: &str, user_id: &str) -> String {
        let name = self.name();
        format!("{base_url}/confirm/{name}?type={name}&uid={user_id}")
    }
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum KeyStatus {
    Ok,
    Invalid,
    Expired,
}

pub(crate) fn make_key(machine_key: &[u8], user_id: &str, kind: ConfirmType, now: Time) -> String {
    let ms = now.unix_ms() - EPOCH_2010_MS;
    format!("{ms}.{}", mac(machine_key, ms, user_id, kind))
}

pub(crate) fn check_key(machine_key: &[u8], user_id: &str, kind: ConfirmType, key: &str, now: Time) -> KeyStatus {
    let Some((ms, hash)) = key.trim().split_once('.') else {
        return KeyStatus::Invalid;
    };
    let Ok(ms) = ms.parse::<i64>() else {
        return KeyStatus::Invalid;
    };
    if !constant_time_eq(hash.as_bytes(), mac(machine_key, ms, user_id, kind).as_bytes()) {
        return KeyStatus::Invalid;
    }
    if now.unix_ms() - EPOCH_2010_MS > ms.saturating_add(LIFETIME_MS) {
        return KeyStatus::Expired;
    }
    KeyStatus::Ok
}

fn mac(machine_key: &[u8], ms: i64, user_id: &str, kind: ConfirmType) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(machine_key).expect("HMAC takes any key length");
    mac.update(format!("{ms}.{}{}", user_id.to_ascii_lowercase(), kind.name()).as_bytes());
    STANDARD
        .encode(mac.finalize().into_bytes())
        .chars()
        .filter(|c| !matches!(c, '=' | '+' | '/'))
        .collect::<String>()
        .to_uppercase()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The parsed `confirm` request header (a query string such as `type=TfaAuth&uid=…&key=…`).
#[derive(Debug, Default)]
pub(crate) struct ConfirmHeader {
    pub kind: Option<String>,
    pub uid: Option<String>,
    pub key: Option<String>,
}

impl ConfirmHeader {
    pub(crate) fn parse(value: &str) -> ConfirmHeader {
        let mut header = ConfirmHeader::default();
        for pair in value.trim_start_matches('?').split('&') {
            let (name, val) = pair.split_once('=').unwrap_or((pair, ""));
            let val = crate::cookies::percent_decode(&val.replace('+', " "));
            match name.to_ascii_lowercase().as_str() {
                "type" => header.kind = Some(val),
                "uid" => header.uid = Some(val),
                "key" => header.key = Some(val),
                _ => {}
            }
        }
        header
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MK: &[u8] = b"machine-key";
    const UID: &str = "9a1e28c4-51f2-4f6b-b0a3-0c21e7f2a7d1";

    #[test]
    fn key_format() {
        let now = Time::from_unix_ms(EPOCH_2010_MS + 504_921_600_000);
        let key = make_key(MK, UID, ConfirmType::TfaAuth, now);
        let (ms, hash) = key.split_once('.').unwrap();
        assert_eq!(ms, "504921600000");
        assert!(hash.len() >= 40);
        assert!(hash.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
    }

    #[test]
    fn keys_are_bound_to_user_type_machine_and_time() {
        let now = Time::from_unix_ms(1_767_225_600_000);
        let key = make_key(MK, UID, ConfirmType::TfaActivation, now);
        assert_eq!(check_key(MK, UID, ConfirmType::TfaActivation, &key, now), KeyStatus::Ok);
        assert_eq!(check_key(MK, &UID.to_uppercase(), ConfirmType::TfaActivation, &key, now), KeyStatus::Ok);
        assert_eq!(check_key(MK, UID, ConfirmType::TfaAuth, &key, now), KeyStatus::Invalid);
        assert_eq!(check_key(b"other", UID, ConfirmType::TfaActivation, &key, now), KeyStatus::Invalid);
        let other_user = "9a1e28c4-51f2-4f6b-b0a3-0c21e7f2a7d2";
        assert_eq!(check_key(MK, other_user, ConfirmType::TfaActivation, &key, now), KeyStatus::Invalid);
        // Moving the timestamp breaks the MAC: the lifetime cannot be extended by editing it.
        let (ms, hash) = key.split_once('.').unwrap();
        let shifted = format!("{}.{hash}", ms.parse::<i64>().unwrap() + 1000);
        assert_eq!(check_key(MK, UID, ConfirmType::TfaActivation, &shifted, now), KeyStatus::Invalid);
        assert_eq!(check_key(MK, UID, ConfirmType::TfaActivation, "garbage", now), KeyStatus::Invalid);
        assert_eq!(check_key(MK, UID, ConfirmType::TfaActivation, &key, now.plus_secs(3600)), KeyStatus::Ok);
        assert_eq!(check_key(MK, UID, ConfirmType::TfaActivation, &key, now.plus_secs(3601)), KeyStatus::Expired);
    }

    #[test]
    fn parses_the_header() {
        let h = ConfirmHeader::parse("type=TfaAuth&uid=abc&key=1.XY%2B");
        assert_eq!(h.kind.as_deref(), Some("TfaAuth"));
        assert_eq!(h.uid.as_deref(), Some("abc"));
        assert_eq!(h.key.as_deref(), Some("1.XY+"));
        assert_eq!(ConfirmType::parse("tfaactivation"), Some(ConfirmType::TfaActivation));
        assert_eq!(ConfirmType::parse("Auth"), None);
    }
}
