//! Brute-force protection (CONTRACT.md §5): the password guard keyed by (login, IP) and the
//! per-user TFA code counter. All times are emulator time, so the clock control moves them.

use std::collections::HashMap;

use serde::Serialize;

use crate::clock::Time;

/// Portal login settings (`/api/2.0/settings/security/loginsettings`). Times in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LoginSettings {
    pub attempt_count: i64,
    pub block_time: i64,
    pub check_period: i64,
}

impl Default for LoginSettings {
    fn default() -> Self {
        LoginSettings { attempt_count: 5, block_time: 60, check_period: 60 }
    }
}

#[derive(Debug, Default)]
struct PasswordEntry {
    history: Vec<Time>,
    blocked_until: Option<Time>,
}

/// The attempt `PasswordGuard::begin` recorded, so a success can remove exactly it.
pub(crate) struct Attempt {
    key: (String, String),
    at: Time,
}

/// The request is refused: the key is blocked (403 "Too many login attempts…").
pub(crate) struct Blocked;

/// `BruteForceLoginManager`: every credential check is recorded before the password is looked
/// at; more than `attempt_count` within `check_period` blocks the key for `block_time`.
#[derive(Debug, Default)]
pub(crate) struct PasswordGuard {
    entries: HashMap<(String, String), PasswordEntry>,
}

impl PasswordGuard {
    pub(crate) fn begin(
        &mut self,
        login: &str,
        ip: &str,
        now: Time,
        settings: &LoginSettings,
    ) -> Result<Attempt, Blocked> {
        let key = (login.to_lowercase(), ip.to_owned());
        let entry = self.entries.entry(key.clone()).or_default();
        if entry.blocked_until.is_some_and(|until| now < until) {
            return Err(Blocked);
        }
        entry.blocked_until = None;
        let window_start = now.plus_secs(-settings.check_period);
        entry.history.retain(|t| *t > window_start);
        entry.history.push(now);
        if entry.history.len() as i64 > settings.attempt_count {
            entry.history.clear();
            entry.blocked_until = Some(now.plus_secs(settings.block_time));
            return Err(Blocked);
        }
        Ok(Attempt { key, at: now })
    }

    /// A successful credential check removes its own history entry.
    pub(crate) fn succeeded(&mut self, attempt: Attempt) {
        if let Some(entry) = self.entries.get_mut(&attempt.key) {
            if let Some(pos) = entry.history.iter().position(|t| *t == attempt.at) {
                entry.history.remove(pos);
            }
            if entry.history.is_empty() && entry.blocked_until.is_none() {
                self.entries.remove(&attempt.key);
            }
        }
    }
}

/// The user sent too many TFA codes (403 at validate, 401 at `/authentication/{code}`).
pub(crate) struct LockedOut;

/// `TfaManager`'s `tfa/<userId>` cache counter: incremented before each check, expiring one
/// minute after the last attempt; a success gives its increment back.
#[derive(Debug, Default)]
pub(crate) struct TfaGuard {
    counters: HashMap<String, (i64, Time)>,
}

const TFA_WINDOW_SECS: i64 = 60;

impl TfaGuard {
    pub(crate) fn begin(&mut self, user_id: &str, now: Time, limit: i64) -> Result<(), LockedOut> {
        let counter = self.counters.entry(user_id.to_owned()).or_insert((0, now));
        if counter.1 <= now {
            counter.0 = 0;
        }
        counter.0 += 1;
        counter.1 = now.plus_secs(TFA_WINDOW_SECS);
        if counter.0 > limit {
            Err(LockedOut)
        } else {
            Ok(())
        }
    }

    pub(crate) fn succeeded(&mut self, user_id: &str) {
        if let Some(counter) = self.counters.get_mut(user_id) {
            counter.0 -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixth_password_attempt_blocks() {
        let mut guard = PasswordGuard::default();
        let settings = LoginSettings::default();
        let t0 = Time::from_unix_ms(1_000_000);
        for i in 0..5 {
            assert!(guard.begin("User@X", "ip", t0.plus_secs(i), &settings).is_ok());
        }
        assert!(guard.begin("user@x", "ip", t0.plus_secs(5), &settings).is_err());
        assert!(guard.begin("user@x", "other-ip", t0.plus_secs(5), &settings).is_ok());
        assert!(guard.begin("user@x", "ip", t0.plus_secs(64), &settings).is_err());
        assert!(guard.begin("user@x", "ip", t0.plus_secs(65), &settings).is_ok());
    }

    #[test]
    fn successes_do_not_count() {
        let mut guard = PasswordGuard::default();
        let settings = LoginSettings::default();
        let t0 = Time::from_unix_ms(1_000_000);
        for i in 0..20 {
            let attempt = guard.begin("u", "ip", t0.plus_secs(i), &settings).ok().unwrap();
            guard.succeeded(attempt);
        }
    }

    #[test]
    fn tfa_counter_slides_and_successes_are_neutral() {
        let mut guard = TfaGuard::default();
        let t0 = Time::from_unix_ms(1_000_000);
        for i in 0..5 {
            assert!(guard.begin("u", t0.plus_secs(i), 5).is_ok());
        }
        assert!(guard.begin("u", t0.plus_secs(50), 5).is_err());
        // Still locked: the window slides with each attempt.
        assert!(guard.begin("u", t0.plus_secs(100), 5).is_err());
        assert!(guard.begin("u", t0.plus_secs(161), 5).is_ok());
        guard.succeeded("u");
        for i in 0..5 {
            assert!(guard.begin("u", t0.plus_secs(170 + i), 5).is_ok());
        }
        assert!(guard.begin("u", t0.plus_secs(175), 5).is_err());
    }
}
