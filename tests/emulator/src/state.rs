//! The portal's state: users, login tokens, the TFA policy, lockouts, pending faults and the
//! clock offset. One `State` sits behind one mutex; handlers run with it locked, so every
//! request is atomic with respect to the others.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use serde::Serialize;

use crate::clock::Time;
use crate::faults::FaultQueue;
use crate::lockout::{LoginSettings, PasswordGuard, TfaGuard};
use crate::seed::{Kind, SeedUser, SEEDED_LINKED_SECRET, SEEDS, SMS_PHONE};
use crate::sms::SmsState;
use crate::tokens::{IssuedToken, TokenStore};
use crate::{random, totp};

/// Per-user salts count milliseconds from this date (`TfaAppUserSettings`).
const SALT_EPOCH_MS: i64 = 1_530_921_600_000; // 2018-07-07T00:00:00Z

/// One backup code and whether it has been spent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupCode {
    /// Spent codes stay listed.
    pub is_used: bool,
    /// Six characters from `[A-Za-z0-9_-]`.
    pub code: String,
}

/// Why a user could not be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddUserError {
    /// Another user already has this e-mail (compared case-insensitively).
    DuplicateEmail(String),
    /// Not one of [`crate::USER_KINDS`].
    UnknownKind(String),
    /// The e-mail has no `@` or the password is empty.
    InvalidInput(&'static str),
}

impl std::fmt::Display for AddUserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AddUserError::DuplicateEmail(email) => write!(f, "a user with e-mail {email} already exists"),
            AddUserError::UnknownKind(kind) => {
                write!(f, "unknown user kind {kind:?}; expected one of {}", crate::USER_KINDS.join(", "))
            }
            AddUserError::InvalidInput(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for AddUserError {}

#[derive(Debug, Clone)]
pub(crate) struct User {
    pub record: SeedUser,
    pub kind: Kind,
    /// The portal owner (the first seeded user).
    pub owner: bool,
    /// 0 = not generated yet; generated at first use, reset to 0 by unlinking.
    pub salt: i64,
    /// Replaces the derived key until the app is unlinked (the seeded linked user).
    pub fixed_secret: Option<Vec<u8>>,
    /// Non-empty = the authenticator app is linked.
    pub backup_codes: Vec<BackupCode>,
    pub sms: SmsState,
}

impl User {
    pub(crate) fn id(&self) -> &str {
        &self.record.id
    }

    pub(crate) fn email(&self) -> &str {
        &self.record.email
    }

    /// Portal admins may change portal settings (`EditPortalSettings`).
    pub(crate) fn is_admin(&self) -> bool {
        self.kind == Kind::Admin
    }

    /// Simplification of mandatory users/groups and trusted IPs: a per-user flag.
    pub(crate) fn tfa_exempt(&self) -> bool {
        matches!(self.kind, Kind::Admin | Kind::NoTfa)
    }

    pub(crate) fn active(&self) -> bool {
        self.kind != Kind::Disabled
    }

    pub(crate) fn phone(&self) -> Option<&'static str> {
        (self.kind == Kind::Sms).then_some(SMS_PHONE)
    }

    pub(crate) fn app_linked(&self) -> bool {
        !self.backup_codes.is_empty()
    }

    /// The TOTP key, if one exists yet (a salt was generated or a fixed key is set).
    pub(crate) fn secret(&self, machine_key: &[u8]) -> Option<Vec<u8>> {
        match (&self.fixed_secret, self.salt) {
            (Some(fixed), _) => Some(fixed.clone()),
            (None, 0) => None,
            (None, salt) => Some(totp::derive_secret(salt, machine_key)),
        }
    }

    /// Marks the first unused backup code equal to `code` as used.
    pub(crate) fn spend_backup_code(&mut self, code: &str) -> bool {
        match self.backup_codes.iter_mut().find(|c| !c.is_used && c.code == code) {
            Some(entry) => {
                entry.is_used = true;
                true
            }
            None => false,
        }
    }
}

pub(crate) fn new_backup_codes() -> Vec<BackupCode> {
    (0..5).map(|_| BackupCode { is_used: false, code: random::backup_code() }).collect()
}

/// The portal's TFA policy (`PUT /settings/tfaapp`). SMS as a portal policy is not emulated.
#[derive(Debug, Clone, Default)]
pub(crate) struct Policy {
    pub app_enabled: bool,
    /// The lists saved with the policy; `None` until the policy is first saved.
    pub lists: Option<PolicyLists>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct PolicyLists {
    pub trusted_ips: Vec<String>,
    pub mandatory_users: Vec<String>,
    pub mandatory_groups: Vec<String>,
}

pub(crate) struct State {
    pub machine_key: Vec<u8>,
    pub policy: Policy,
    pub login_settings: LoginSettings,
    pub passwords: PasswordGuard,
    pub tfa_attempts: TfaGuard,
    pub faults: FaultQueue,
    clock_offset_secs: i64,
    users: HashMap<String, User>,
    /// Ids in creation order, for listings.
    user_order: Vec<String>,
    by_email: HashMap<String, String>,
    by_api_key: HashMap<String, String>,
    tokens: TokenStore,
    last_salt: i64,
    /// The freshly seeded users, restored by `reset`.
    seeded: Vec<User>,
}

impl State {
    pub(crate) fn new(machine_key: Vec<u8>) -> State {
        let mut state = State {
            machine_key,
            policy: Policy { app_enabled: true, lists: None },
            login_settings: LoginSettings::default(),
            passwords: PasswordGuard::default(),
            tfa_attempts: TfaGuard::default(),
            faults: FaultQueue::default(),
            clock_offset_secs: 0,
            users: HashMap::new(),
            user_order: Vec::new(),
            by_email: HashMap::new(),
            by_api_key: HashMap::new(),
            tokens: TokenStore::default(),
            last_salt: 0,
            seeded: Vec::new(),
        };
        for seed in &SEEDS {
            let user = state.build_user(seed.email, seed.password, seed.kind, seed.id.to_owned(), true);
            state.insert(user);
        }
        state.seeded = state.user_order.iter().filter_map(|id| state.users.get(id)).cloned().collect();
        state
    }

    /// Back to the seeded portal: same machine key, same seeded users (ids, passwords, API
    /// keys, linked secret and backup codes); added users, tokens, lockouts, faults, policy
    /// changes and the clock offset are dropped.
    pub(crate) fn reset(&mut self) {
        let seeded = std::mem::take(&mut self.seeded);
        let machine_key = std::mem::take(&mut self.machine_key);
        let last_salt = self.last_salt;
        *self = State {
            machine_key,
            policy: Policy { app_enabled: true, lists: None },
            login_settings: LoginSettings::default(),
            passwords: PasswordGuard::default(),
            tfa_attempts: TfaGuard::default(),
            faults: FaultQueue::default(),
            clock_offset_secs: 0,
            users: HashMap::new(),
            user_order: Vec::new(),
            by_email: HashMap::new(),
            by_api_key: HashMap::new(),
            tokens: TokenStore::default(),
            last_salt,
            seeded: Vec::new(),
        };
        for user in &seeded {
            self.insert(user.clone());
        }
        self.seeded = seeded;
    }

    pub(crate) fn now(&self) -> Time {
        Time::now_with_offset(self.clock_offset_secs)
    }

    pub(crate) fn clock_offset(&self) -> i64 {
        self.clock_offset_secs
    }

    /// Clamped to ±100 years, which keeps every date computation far from overflow.
    pub(crate) fn set_clock_offset(&mut self, secs: i64) {
        const LIMIT: i64 = 100 * 366 * 86_400;
        self.clock_offset_secs = secs.clamp(-LIMIT, LIMIT);
    }

    // ---- users ----

    pub(crate) fn add_user(&mut self, email: &str, password: &str, kind: &str) -> Result<SeedUser, AddUserError> {
        let kind = Kind::parse(kind).ok_or_else(|| AddUserError::UnknownKind(kind.to_owned()))?;
        let email = email.trim();
        if !email.contains('@') || email.chars().any(char::is_whitespace) {
            return Err(AddUserError::InvalidInput("the e-mail must contain '@' and no whitespace"));
        }
        if password.trim().is_empty() {
            return Err(AddUserError::InvalidInput("the password must not be empty"));
        }
        if self.by_email.contains_key(&email.to_lowercase()) {
            return Err(AddUserError::DuplicateEmail(email.to_owned()));
        }
        let user = self.build_user(email, password.trim(), kind, random::uuid_v4(), false);
        let record = user.record.clone();
        self.insert(user);
        Ok(record)
    }

    /// `seeded` users get fixed ids (chosen by the caller) and the seeded admin owns the portal.
    fn build_user(&mut self, email: &str, password: &str, kind: Kind, id: String, seeded: bool) -> User {
        let mut user = User {
            record: SeedUser {
                email: email.to_owned(),
                password: password.to_owned(),
                id,
                totp_secret: None,
                api_key: random::api_key(),
                kind: kind.name(),
            },
            kind,
            owner: seeded && kind == Kind::Admin,
            salt: 0,
            fixed_secret: None,
            backup_codes: Vec::new(),
            sms: SmsState::default(),
        };
        if kind == Kind::Linked {
            // The seeded linked user gets the published example key; added ones a derived key.
            if seeded {
                user.fixed_secret = Some(SEEDED_LINKED_SECRET.to_vec());
            } else {
                user.salt = self.next_salt(Time::now_with_offset(self.clock_offset_secs));
            }
            user.backup_codes = new_backup_codes();
            user.record.totp_secret = user.secret(&self.machine_key).map(|s| totp::base32(&s));
        }
        user
    }

    fn insert(&mut self, user: User) {
        let id = user.id().to_owned();
        self.by_email.insert(user.email().to_lowercase(), id.clone());
        self.by_api_key.insert(user.record.api_key.clone(), id.clone());
        self.user_order.push(id.clone());
        self.users.insert(id, user);
    }

    pub(crate) fn users(&self) -> impl Iterator<Item = &User> {
        self.user_order.iter().filter_map(|id| self.users.get(id))
    }

    pub(crate) fn user(&self, id: &str) -> Option<&User> {
        self.users.get(&id.to_ascii_lowercase())
    }

    pub(crate) fn user_mut(&mut self, id: &str) -> Option<&mut User> {
        self.users.get_mut(&id.to_ascii_lowercase())
    }

    pub(crate) fn user_by_email(&self, email: &str) -> Option<&User> {
        self.by_email.get(&email.trim().to_lowercase()).and_then(|id| self.users.get(id))
    }

    pub(crate) fn user_by_api_key(&self, key: &str) -> Option<&User> {
        self.by_api_key.get(key).and_then(|id| self.users.get(id)).filter(|u| u.active())
    }

    /// Milliseconds since 2018-07-07, strictly increasing so no two users (or two links of one
    /// user) ever share a salt, and therefore a key.
    fn next_salt(&mut self, now: Time) -> i64 {
        let salt = (now.unix_ms() - SALT_EPOCH_MS).max(self.last_salt + 1).max(1);
        self.last_salt = salt;
        salt
    }

    /// Generates and stores the user's salt on first use; returns the user's key.
    pub(crate) fn ensure_secret(&mut self, user_id: &str) -> Option<Vec<u8>> {
        let needs_salt = self.user(user_id).is_some_and(|u| u.fixed_secret.is_none() && u.salt == 0);
        if needs_salt {
            let salt = self.next_salt(self.now());
            if let Some(user) = self.user_mut(user_id) {
                user.salt = salt;
            }
        }
        self.user(user_id).and_then(|u| u.secret(&self.machine_key))
    }

    /// Unlinks the app: backup codes deleted, salt reset (the next key differs).
    pub(crate) fn unlink_app(&mut self, user_id: &str) {
        if let Some(user) = self.user_mut(user_id) {
            user.backup_codes.clear();
            user.salt = 0;
            user.fixed_secret = None;
        }
    }

    /// App TFA applies: the portal policy is on and the user is not exempt. SMS users use SMS.
    pub(crate) fn app_tfa_applies(&self, user: &User) -> bool {
        self.policy.app_enabled && !user.tfa_exempt() && user.phone().is_none()
    }

    /// SMS TFA applies: the user has an activated phone and the portal's 2FA is on.
    pub(crate) fn sms_tfa_applies(&self, user: &User) -> bool {
        self.policy.app_enabled && !user.tfa_exempt() && user.phone().is_some()
    }

    // ---- login tokens ----

    /// Signs the user in.
    pub(crate) fn issue_token(&mut self, user_id: &str, now: Time) -> IssuedToken {
        self.tokens.issue(&user_id.to_ascii_lowercase(), now)
    }

    /// The user a token signs in, if it is still valid.
    pub(crate) fn token_user(&self, token: &str, now: Time) -> Option<&User> {
        self.tokens.owner(token, now).and_then(|id| self.users.get(id)).filter(|u| u.active())
    }

    /// Logout: closes the token's login event.
    pub(crate) fn close_token(&mut self, token: &str) {
        self.tokens.revoke(token);
    }

    pub(crate) fn active_tokens(&self, user_id: &str, now: Time) -> usize {
        let active = self.user(user_id).is_some_and(User::active);
        if active {
            self.tokens.count_valid(&user_id.to_ascii_lowercase(), now)
        } else {
            0
        }
    }

    /// `ResetTenantCookieAsync`: every login token of the portal stops working.
    pub(crate) fn reset_tenant_cookies(&mut self) {
        self.tokens.revoke_all();
    }

    /// `ResetUserCookieAsync`: all of one user's login tokens stop working.
    pub(crate) fn reset_user_cookies(&mut self, user_id: &str) {
        self.tokens.revoke_user(&user_id.to_ascii_lowercase());
    }
}

/// The state and its lock, shared by the server tasks and every [`crate::Control`].
pub(crate) struct Shared {
    state: Mutex<State>,
}

impl Shared {
    pub(crate) fn new(state: State) -> Shared {
        Shared { state: Mutex::new(state) }
    }

    /// Locks the state. A panic in a handler must not take the emulator down with it, so a
    /// poisoned lock is simply taken over.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
