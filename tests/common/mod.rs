//! Shared set-up for the integration tests: a fresh emulator per test, over real loopback HTTP.
#![allow(dead_code)]

use docspace_auth::{Client, Session};
use docspace_emulator::{Config, Emulator, SeedUser};

pub struct Portal {
    pub emulator: Emulator,
    pub client: Client,
}

impl Portal {
    pub fn start() -> Portal {
        let emulator = Emulator::start(Config::default()).expect("emulator starts");
        let client = Client::new(emulator.url()).expect("client for the emulator");
        Portal { emulator, client }
    }

    /// The seeded user of this kind ("no_tfa", "not_linked", "linked", "sms", "disabled", "admin").
    pub fn user(&self, kind: &str) -> SeedUser {
        self.emulator.users().into_iter().find(|u| u.kind == kind).unwrap_or_else(|| panic!("no seeded {kind} user"))
    }

    /// Sign in a user to whom no second factor applies.
    pub fn session(&self, kind: &str) -> Session {
        let user = self.user(kind);
        match self.client.login(&user.email, &user.password).expect("login") {
            docspace_auth::LoginOutcome::Authenticated(session) => session,
            other => panic!("{kind} user should sign in directly, got {other:?}"),
        }
    }

    /// Sign in the linked user with a TOTP code.
    pub fn linked_session(&self) -> Session {
        let user = self.user("linked");
        let code = totp_now(&user);
        self.client.login_with_code(&user.email, &user.password, &code).expect("login with code")
    }
}

pub fn totp_now(user: &SeedUser) -> String {
    let secret = user.totp_secret.as_deref().expect("user has a TOTP secret");
    docspace_auth::totp::Totp::new(secret).expect("valid secret").code_now().to_string()
}
