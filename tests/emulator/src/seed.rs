//! The seeded portal users and the user kinds tests can add.

use serde::Serialize;

/// A portal user as the tests see it: what was seeded or added, not its current TFA state
/// (read that with [`crate::Control::user_state`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeedUser {
    /// Sign-in name (`userName`).
    pub email: String,
    /// Plain-text password (`password`).
    pub password: String,
    /// The user's id (a lower-case UUID), as in `confirmUrl` and the `confirm` header.
    pub id: String,
    /// Base32 TOTP secret (16 chars) of a user created with the app already linked.
    /// `None` for everyone else: their secret is derived at first use, as on the real server,
    /// and comes back as `tfaKey`/`manualEntryKey`.
    pub totp_secret: Option<String>,
    /// Personal API key (`sk-…`), accepted as `Authorization: Bearer sk-…`.
    pub api_key: String,
    /// One of [`USER_KINDS`].
    pub kind: &'static str,
}

/// The user kinds: `no_tfa` (2FA exempt), `not_linked` (2FA applies, no app yet),
/// `linked` (app linked, 5 backup codes), `sms` (SMS 2FA with an activated phone),
/// `disabled` (terminated: 403 "User disabled"), `admin` (portal admin, 2FA exempt).
pub const USER_KINDS: [&str; 6] = ["no_tfa", "not_linked", "linked", "sms", "disabled", "admin"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    NoTfa,
    NotLinked,
    Linked,
    Sms,
    Disabled,
    Admin,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::NoTfa => USER_KINDS[0],
            Kind::NotLinked => USER_KINDS[1],
            Kind::Linked => USER_KINDS[2],
            Kind::Sms => USER_KINDS[3],
            Kind::Disabled => USER_KINDS[4],
            Kind::Admin => USER_KINDS[5],
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Kind> {
        [Kind::NoTfa, Kind::NotLinked, Kind::Linked, Kind::Sms, Kind::Disabled, Kind::Admin]
            .into_iter()
            .find(|k| k.name() == s)
    }
}

/// One seeded user: email, password, kind, fixed id.
pub(crate) struct Seed {
    pub email: &'static str,
    pub password: &'static str,
    pub kind: Kind,
    pub id: &'static str,
}

/// The seeded portal. Ids are fixed so scripts can rely on them across runs; the first user is
/// the portal owner.
pub(crate) const SEEDS: [Seed; 6] = [
    Seed {
        email: "admin@example.com",
        password: "Owner#Pass-2026",
        kind: Kind::Admin,
        id: "6d2e5f1a-3b7c-4e8d-9f10-a1b2c3d4e5f6",
    },
    Seed {
        email: "plain@example.com",
        password: "Plain#Pass-2026",
        kind: Kind::NoTfa,
        id: "1f0c6a2e-8d4b-4c3a-b5e7-2a9d8c7b6e51",
    },
    Seed {
        email: "setup@example.com",
        password: "Setup#Pass-2026",
        kind: Kind::NotLinked,
        id: "3c8b1d92-5e6f-4a07-8b19-c2d3e4f5a6b7",
    },
    Seed {
        email: "linked@example.com",
        password: "Linked#Pass-2026",
        kind: Kind::Linked,
        id: "9a1e28c4-51f2-4f6b-b0a3-0c21e7f2a7d1",
    },
    Seed {
        email: "sms@example.com",
        password: "Sms#Pass-2026",
        kind: Kind::Sms,
        id: "5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d",
    },
    Seed {
        email: "disabled@example.com",
        password: "Disabled#Pass-2026",
        kind: Kind::Disabled,
        id: "7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928",
    },
];

/// The seeded linked user's key: the CONTRACT.md §4 worked example (`LJVTCTSWGJYEOYSV`), so
/// published test vectors apply to it.
pub(crate) const SEEDED_LINKED_SECRET: &[u8] = b"Zk1NV2pGbU";

/// Phone number given to `sms` users (a reserved 555 number).
pub(crate) const SMS_PHONE: &str = "+12025550123";
