//! Login tokens. Tokens are random and valid only while stored here: the server's cookie-index
//! bumps and login-event closing are modelled by removing them.

use std::collections::HashMap;

use crate::clock::Time;
use crate::random;

pub(crate) struct IssuedToken {
    pub value: String,
    pub expires: Time,
}

#[derive(Debug, Default)]
pub(crate) struct TokenStore {
    /// token → user id
    owners: HashMap<String, String>,
    /// user id → (token → expiry), so per-user revocation and counting stay cheap.
    by_user: HashMap<String, HashMap<String, Time>>,
}

impl TokenStore {
    /// A new token valid for a year (the tenant cookie lifetime).
    pub(crate) fn issue(&mut self, user_id: &str, now: Time) -> IssuedToken {
        let value = random::login_token();
        let expires = now.plus_one_year();
        self.owners.insert(value.clone(), user_id.to_owned());
        self.by_user.entry(user_id.to_owned()).or_default().insert(value.clone(), expires);
        IssuedToken { value, expires }
    }

    /// The user id of a stored, unexpired token.
    pub(crate) fn owner(&self, token: &str, now: Time) -> Option<&str> {
        let user_id = self.owners.get(token)?;
        let expires = self.by_user.get(user_id)?.get(token)?;
        (*expires > now).then_some(user_id.as_str())
    }

    pub(crate) fn revoke(&mut self, token: &str) {
        if let Some(user_id) = self.owners.remove(token) {
            if let Some(tokens) = self.by_user.get_mut(&user_id) {
                tokens.remove(token);
            }
        }
    }

    pub(crate) fn revoke_user(&mut self, user_id: &str) {
        for token in self.by_user.remove(user_id).unwrap_or_default().into_keys() {
            self.owners.remove(&token);
        }
    }

    pub(crate) fn revoke_all(&mut self) {
        self.owners.clear();
        self.by_user.clear();
    }

    pub(crate) fn count_valid(&self, user_id: &str, now: Time) -> usize {
        self.by_user.get(user_id).map_or(0, |tokens| tokens.values().filter(|e| **e > now).count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revocation_and_expiry() {
        let now = Time::from_unix_ms(1_767_225_600_000);
        let mut store = TokenStore::default();
        let a1 = store.issue("a", now).value;
        let a2 = store.issue("a", now).value;
        let b = store.issue("b", now).value;
        assert_eq!(store.owner(&a1, now), Some("a"));
        assert_eq!(store.count_valid("a", now), 2);
        store.revoke(&a1);
        assert_eq!(store.owner(&a1, now), None);
        assert_eq!(store.count_valid("a", now), 1);
        store.revoke_user("a");
        assert_eq!(store.owner(&a2, now), None);
        assert_eq!(store.owner(&b, now), Some("b"));
        assert_eq!(store.owner(&b, now.plus_one_year()), None, "a year later it has expired");
        store.revoke_all();
        assert_eq!(store.owner(&b, now), None);
    }
}
