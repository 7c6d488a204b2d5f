//! Test controls: the in-process [`Control`] handle and the same operations over HTTP under
//! `/__emulator/` (kept apart from the DocSpace routes, never faulted).

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::cookies::percent_decode;
use crate::faults::{Fault, InvalidFault};
use crate::http::{Reply, Req};
use crate::seed::SeedUser;
use crate::state::{AddUserError, BackupCode, Shared, State};
use crate::totp;

pub(crate) const CONTROL_PREFIX: &str = "/__emulator/";

/// A user's current TFA state, as `GET /__emulator/users/{email}` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserState {
    /// The e-mail as stored.
    pub email: String,
    /// The user's id.
    pub id: String,
    /// The authenticator app is linked (the user has backup codes).
    pub linked: bool,
    /// In stored order, spent ones included (JSON: `{"code","isUsed"}`).
    pub backup_codes: Vec<BackupCode>,
    /// The current base32 key, once one exists (salt generated or fixed).
    pub totp_secret: Option<String>,
    /// The TOTP code for the current step of the emulator clock.
    pub totp_now: Option<String>,
    /// The live SMS code of an `sms` user.
    pub sms_code: Option<String>,
    /// Login tokens of this user that are still valid.
    pub active_tokens: usize,
}

/// In-process test controls of a running [`crate::Emulator`]. Cheap to clone; stays usable
/// (but inert) after the emulator is dropped.
#[derive(Clone)]
pub struct Control {
    shared: Arc<Shared>,
}

impl Control {
    pub(crate) fn new(shared: Arc<Shared>) -> Control {
        Control { shared }
    }

    /// Back to the seeded state: same machine key and seeded users (ids, passwords, API keys,
    /// the linked user's key and backup codes). Added users, tokens, lockouts, faults, policy
    /// and login-settings changes and the clock offset are dropped.
    pub fn reset(&self) {
        self.shared.lock().reset();
    }

    /// Sets (not adds to) the clock offset in seconds, clamped to ±100 years. It moves TOTP
    /// steps, confirm-key and SMS-code expiry, token expiry and lockout windows.
    pub fn set_clock_offset(&self, offset_seconds: i64) {
        self.shared.lock().set_clock_offset(offset_seconds);
    }

    /// The current clock offset in seconds.
    pub fn clock_offset(&self) -> i64 {
        self.shared.lock().clock_offset()
    }

    /// The emulator's current Unix time in seconds (wall clock plus offset).
    pub fn now_unix(&self) -> i64 {
        self.shared.lock().now().unix_secs()
    }

    /// Queues a fault for the next `fault.times` matching DocSpace requests.
    pub fn push_fault(&self, fault: Fault) -> Result<(), InvalidFault> {
        self.shared.lock().faults.push(fault)
    }

    /// Removes all pending faults; returns how many there were.
    pub fn clear_faults(&self) -> usize {
        self.shared.lock().faults.clear()
    }

    /// The faults still pending (with their remaining `times`).
    pub fn pending_faults(&self) -> Vec<Fault> {
        self.shared.lock().faults.pending()
    }

    /// All users: the seeded ones first, then those added since the last reset.
    pub fn users(&self) -> Vec<SeedUser> {
        self.shared.lock().users().map(|u| u.record.clone()).collect()
    }

    /// Adds a user of `kind` (one of [`crate::USER_KINDS`]) with a random id and API key.
    /// A `linked` user gets its own key (in [`SeedUser::totp_secret`]) and 5 backup codes.
    pub fn add_user(&self, email: &str, password: &str, kind: &str) -> Result<SeedUser, AddUserError> {
        self.shared.lock().add_user(email, password, kind)
    }

    /// The user's current TFA state, looked up by e-mail (case-insensitive).
    pub fn user_state(&self, email: &str) -> Option<UserState> {
        let state = self.shared.lock();
        user_state(&state, email)
    }

    /// The live SMS code of an `sms` user (sent by a TFA-pending login or `sendsms`).
    pub fn sms_code(&self, email: &str) -> Option<String> {
        self.user_state(email)?.sms_code
    }

    /// Handles a request under `/__emulator/`.
    pub(crate) fn handle_http(&self, req: &Req) -> Reply {
        let path = req.path.to_ascii_lowercase();
        let path = path.strip_prefix(CONTROL_PREFIX).unwrap_or("").trim_end_matches('/');
        match (req.method.as_str(), path) {
            ("POST", "reset") => {
                self.reset();
                ok(json!({"reset": true}))
            }
            ("GET", "clock") => ok(self.clock_json()),
            ("POST", "clock") => match parse::<ClockRequest>(req) {
                Ok(body) => {
                    self.set_clock_offset(body.offset_seconds);
                    ok(self.clock_json())
                }
                Err(reply) => reply,
            },
            ("GET", "faults") => ok(json!(self.pending_faults())),
            ("POST", "faults") => match parse::<Fault>(req).map(|f| self.push_fault(f)) {
                Ok(Ok(())) => ok(json!({"pending": self.pending_faults().len()})),
                Ok(Err(e)) => error(400, &e.to_string()),
                Err(reply) => reply,
            },
            ("DELETE", "faults") => ok(json!({"cleared": self.clear_faults()})),
            ("GET", "users") => ok(json!(self.users())),
            ("POST", "users") => match parse::<AddUserRequest>(req) {
                Ok(body) => match self.add_user(&body.email, &body.password, &body.kind) {
                    Ok(user) => ok(json!(user)),
                    Err(e @ AddUserError::DuplicateEmail(_)) => error(409, &e.to_string()),
                    Err(e) => error(400, &e.to_string()),
                },
                Err(reply) => reply,
            },
            ("GET", p) if p.starts_with("users/") => {
                // Use the original path: e-mails are matched case-insensitively anyway, but
                // the lower-cased copy must not leak into the answer.
                let raw = req.path.get(CONTROL_PREFIX.len() + "users/".len()..).unwrap_or("");
                let email = percent_decode(raw.trim_end_matches('/'));
                match self.user_state(&email) {
                    Some(user) => ok(json!(user)),
                    None => error(404, &format!("no user with e-mail {email}")),
                }
            }
            (_, "reset" | "clock" | "faults" | "users") => error(405, "method not allowed"),
            _ => error(404, "unknown control; see tests/emulator/README.md"),
        }
    }

    fn clock_json(&self) -> serde_json::Value {
        let state = self.shared.lock();
        json!({"offset_seconds": state.clock_offset(), "now_unix": state.now().unix_secs()})
    }
}

fn user_state(state: &State, email: &str) -> Option<UserState> {
    let user = state.user_by_email(email)?;
    let now = state.now();
    let secret = user.secret(&state.machine_key);
    Some(UserState {
        email: user.email().to_owned(),
        id: user.id().to_owned(),
        linked: user.app_linked(),
        backup_codes: user.backup_codes.clone(),
        totp_secret: secret.as_deref().map(totp::base32),
        totp_now: secret.as_deref().map(|s| totp::code_at(s, now.unix_secs())),
        sms_code: user.sms.current(now).map(str::to_owned),
        active_tokens: state.active_tokens(user.id(), now),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockRequest {
    offset_seconds: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddUserRequest {
    email: String,
    password: String,
    kind: String,
}

fn parse<T: for<'de> Deserialize<'de>>(req: &Req) -> Result<T, Reply> {
    serde_json::from_slice(&req.body).map_err(|e| error(400, &format!("bad JSON body: {e}")))
}

fn ok(value: serde_json::Value) -> Reply {
    Reply::json(200, value.to_string())
}

fn error(status: u16, message: &str) -> Reply {
    Reply::json(status, json!({"error": message}).to_string())
}
