//! SMS codes for users with an activated phone (CONTRACT.md §5 "SMS codes"). Nothing is sent:
//! tests read the current code through the controls.

use crate::clock::Time;
use crate::random;

const CODE_LIFETIME_SECS: i64 = 600;
/// `sms:keycount`: at most this many resends and this many wrong checks per code window.
const KEY_COUNT: u32 = 5;

/// The code currently stored for a user and the counters that cap resends and guesses.
#[derive(Debug, Clone, Default)]
pub(crate) struct SmsState {
    code: Option<(String, Time)>,
    resends: u32,
    failed_checks: u32,
}

/// More codes or checks than `sms:keycount` allows.
pub(crate) struct TooMany;

impl SmsState {
    /// Stores a code unless a live one exists and `again` is false (the login path never
    /// resends); `again` (`/authentication/sendsms`) always makes a new one, within the cap.
    /// Returns the code's expiry.
    pub(crate) fn send(&mut self, now: Time, again: bool) -> Result<Time, TooMany> {
        match &self.code {
            Some((_, expires)) if *expires > now => {
                if !again {
                    return Ok(*expires);
                }
            }
            // No live code: a fresh window, so the counters start over.
            _ => {
                self.resends = 0;
                self.failed_checks = 0;
            }
        }
        if again {
            if self.resends >= KEY_COUNT {
                return Err(TooMany);
            }
            self.resends += 1;
        }
        let expires = now.plus_secs(CODE_LIFETIME_SECS);
        self.code = Some((random::sms_code(), expires));
        Ok(expires)
    }

    /// Single use: a correct code is consumed. After `KEY_COUNT` wrong guesses every check
    /// fails until a new code is issued.
    pub(crate) fn check(&mut self, code: &str, now: Time) -> bool {
        let Some((expected, expires)) = &self.code else {
            return false;
        };
        if *expires <= now || self.failed_checks >= KEY_COUNT {
            return false;
        }
        if expected == code.trim() {
            self.code = None;
            true
        } else {
            self.failed_checks += 1;
            false
        }
    }

    pub(crate) fn current(&self, now: Time) -> Option<&str> {
        self.code.as_ref().filter(|(_, expires)| *expires > now).map(|(code, _)| code.as_str())
    }
}

/// `BuildPhoneNoise`-style masking: country code, stars, last four digits.
pub(crate) fn phone_noise(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let tail: String = digits[digits.len().saturating_sub(4)..].iter().collect();
    let head: String = digits.iter().take(1).collect();
    format!("+{head}***{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_single_use_and_guesses_capped() {
        let now = Time::from_unix_ms(1_000_000);
        let mut sms = SmsState::default();
        let expires = sms.send(now, false).ok().unwrap();
        assert_eq!(sms.send(now, false).ok(), Some(expires), "no resend while a code is stored");
        let code = sms.current(now).unwrap().to_owned();
        assert!(sms.check(&format!(" {code} "), now));
        assert!(!sms.check(&code, now), "single use");

        sms.send(now, false).ok().unwrap();
        let code = sms.current(now).unwrap().to_owned();
        let wrong = if code == "000000" { "000001" } else { "000000" };
        for _ in 0..KEY_COUNT {
            assert!(!sms.check(wrong, now));
        }
        assert!(!sms.check(&code, now), "locked after too many guesses");
    }

    #[test]
    fn codes_expire_and_resends_are_capped() {
        let now = Time::from_unix_ms(1_000_000);
        let mut sms = SmsState::default();
        sms.send(now, false).ok().unwrap();
        let code = sms.current(now).unwrap().to_owned();
        assert!(!sms.check(&code, now.plus_secs(600)));
        for _ in 0..KEY_COUNT {
            assert!(sms.send(now, true).is_ok());
        }
        assert!(sms.send(now, true).is_err());
    }

    #[test]
    fn masks_phones() {
        assert_eq!(phone_noise("+12025550123"), "+1***0123");
    }
}
