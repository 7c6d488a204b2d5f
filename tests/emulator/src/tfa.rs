//! `TfaManager.ValidateAuthCodeAsync`: the code check shared by `/authentication/{code}` and
//! `/settings/tfaapp/validate` (CONTRACT.md §2.3, §2.12, §5, §6).

use crate::clock::Time;
use crate::state::{new_backup_codes, State};
use crate::totp;

pub(crate) enum CodeError {
    /// Null or empty code (500 at validate).
    Empty,
    /// The per-user attempt counter is over the limit (403 at validate).
    LockedOut,
    /// Neither a TOTP code in the window nor an unused backup code (400 at validate).
    Incorrect,
}

impl State {
    /// Checks `code` for the user: TOTP first, then an unused backup code (which is spent).
    /// Returns `true` when this was the first activation: the app is now linked and five
    /// backup codes exist.
    pub(crate) fn check_tfa_code(&mut self, user_id: &str, code: Option<&str>, now: Time) -> Result<bool, CodeError> {
        let code = code.unwrap_or_default();
        if code.is_empty() {
            return Err(CodeError::Empty);
        }
        let limit = self.login_settings.attempt_count;
        if self.tfa_attempts.begin(user_id, now, limit).is_err() {
            return Err(CodeError::LockedOut);
        }
        let secret = self.ensure_secret(user_id).ok_or(CodeError::Incorrect)?;
        let user = self.user_mut(user_id).ok_or(CodeError::Incorrect)?;
        let accepted = totp::verify(&secret, code, now.unix_secs()) || user.spend_backup_code(code.trim());
        if !accepted {
            return Err(CodeError::Incorrect);
        }
        let first_activation = !user.app_linked();
        if first_activation {
            user.backup_codes = new_backup_codes();
        }
        self.tfa_attempts.succeeded(user_id);
        Ok(first_activation)
    }
}
