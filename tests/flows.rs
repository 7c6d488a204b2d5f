//! The three seed flows and the other portal flows, end to end over real HTTP against the
//! emulator (an independent implementation of the portal).

mod common;

use common::{totp_now, Portal};
use docspace_auth::totp::Totp;
use docspace_auth::{ConfirmType, ErrorKind, LoginOutcome, Session, TfaMethod, TfaPolicyUpdate};

#[test]
fn user_without_2fa_signs_in_checks_and_logs_out() {
    let portal = Portal::start();
    let session = portal.session("no_tfa");
    assert!(!session.token().is_empty());
    assert!(
        session.expires().is_some_and(|e| e.ends_with('Z')),
        "persistent token has an expiry: {:?}",
        session.expires()
    );
    assert!(portal.client.is_authenticated(&session).unwrap());
    portal.client.logout(&session).unwrap();
    assert!(!portal.client.is_authenticated(&session).unwrap(), "logout revokes the token");
}

/// Seed flow 1: authenticate a user by code.
#[test]
fn linked_user_signs_in_with_password_and_totp_code() {
    let portal = Portal::start();
    let user = portal.user("linked");
    let LoginOutcome::CodeRequired(challenge) = portal.client.login(&user.email, &user.password).unwrap() else {
        panic!("a linked user must be asked for a code");
    };
    assert_eq!(challenge.confirm_type(), ConfirmType::TfaAuth);
    assert_eq!(challenge.user_id(), user.id);
    assert!(challenge.confirm_key().is_some(), "the asc_confirm_key_TfaAuth cookie is kept");
    assert!(challenge.secret().is_none(), "a linked user's secret is never sent again");

    let session = portal.client.login_with_code(&user.email, &user.password, &totp_now(&user)).unwrap();
    assert!(portal.client.is_authenticated(&session).unwrap());

    // The portal issues a second, unseen token in that answer: logout must revoke it too.
    let active = || portal.emulator.control().user_state(&user.email).unwrap().active_tokens;
    assert_eq!(active(), 2, "the code step of a linked account signs in twice");
    portal.client.logout(&session).unwrap();
    assert_eq!(active(), 0, "logout leaves no token of this sign-in alive");
}

/// Seed flow 2: link an authenticator app, without a browser (setup + validate).
#[test]
fn new_user_links_an_app_with_setup_and_validate() {
    let portal = Portal::start();
    let user = portal.user("not_linked");
    let LoginOutcome::SetupRequired(challenge) = portal.client.login(&user.email, &user.password).unwrap() else {
        panic!("an unlinked user must be asked to set up an app");
    };
    assert_eq!(challenge.confirm_type(), ConfirmType::TfaActivation);
    let secret = challenge.secret().expect("tfaKey is the TOTP secret").to_owned();
    assert_eq!(secret.len(), 16, "DocSpace secrets are 80 bits = 16 base32 characters");
    let uri = challenge.otpauth_uri().unwrap();
    assert!(uri.starts_with("otpauth://totp/") && uri.contains(&format!("secret={secret}")), "{uri}");

    let setup = portal.client.setup_app(&challenge).unwrap();
    assert_eq!(setup.manual_entry_key.expose(), secret);
    assert_eq!(setup.account, user.email);
    assert!(setup.qr_code_png.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(setup.otpauth_uri.expose(), uri);

    let code = Totp::new(&secret).unwrap().code_now();
    let validation = portal.client.validate_app(&challenge, code.as_str()).unwrap();
    assert!(validation.linked_now, "the first valid code links the app");
    assert!(portal.client.is_authenticated(&validation.session).unwrap());
    assert_eq!(portal.client.backup_codes(&validation.session).unwrap().len(), 5, "linking creates backup codes");

    match portal.client.login(&user.email, &user.password).unwrap() {
        LoginOutcome::CodeRequired(next) => {
            // An already linked app: a correct code signs in but reports linked_now = false.
            let again = portal.client.validate_app(&next, Totp::new(&secret).unwrap().code_now().as_str()).unwrap();
            assert!(!again.linked_now);
            assert!(portal.client.is_authenticated(&again.session).unwrap());
        }
        other => panic!("after linking, login asks for a code; got {other:?}"),
    }
    assert_eq!(
        portal.client.setup_app(&challenge).unwrap_err().kind(),
        ErrorKind::TfaNotAvailable,
        "setup is refused once an app is linked"
    );
}

/// The API-only way to link: enrol the secret, then sign in with a code from it.
#[test]
fn new_user_links_an_app_by_signing_in_with_a_code() {
    let portal = Portal::start();
    let user = portal.user("not_linked");
    let LoginOutcome::SetupRequired(challenge) = portal.client.login(&user.email, &user.password).unwrap() else {
        panic!("expected SetupRequired");
    };
    let code = Totp::new(challenge.secret().unwrap()).unwrap().code_now();
    let session = portal.client.login_with_code(&user.email, &user.password, code.as_str()).unwrap();
    assert_eq!(portal.client.backup_codes(&session).unwrap().len(), 5);
    assert!(matches!(portal.client.login(&user.email, &user.password).unwrap(), LoginOutcome::CodeRequired(_)));
}

/// Seed flow 3: read and regenerate backup codes; codes are single use and die on regeneration.
#[test]
fn backup_codes_are_listed_regenerated_and_single_use() {
    let portal = Portal::start();
    let user = portal.user("linked");
    let session = portal.linked_session();

    let old = portal.client.backup_codes(&session).unwrap();
    assert_eq!(old.len(), 5);
    for code in &old {
        assert_eq!(code.code.len(), 6);
        assert!(code.code.expose().bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }

    let new = portal.client.regenerate_backup_codes(&session).unwrap();
    assert_eq!(new.len(), 5);
    assert!(new.iter().all(|c| !c.used));
    assert!(new.iter().all(|n| old.iter().all(|o| o.code != n.code)), "a fresh set");
    assert_eq!(portal.client.backup_codes(&session).unwrap(), new);

    let stale = old.iter().find(|c| !c.used).unwrap();
    let err = portal.client.login_with_code(&user.email, &user.password, stale.code.expose()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidCode, "an old code dies on regeneration");

    let fresh = new[2].code.expose();
    let signed_in = portal.client.login_with_code(&user.email, &user.password, fresh).unwrap();
    assert!(portal.client.is_authenticated(&signed_in).unwrap());
    let listed = portal.client.backup_codes(&session).unwrap();
    assert!(listed[2].used, "a spent code is listed as used");
    assert_eq!(listed.iter().filter(|c| c.used).count(), 1);
    let err = portal.client.login_with_code(&user.email, &user.password, fresh).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidCode, "a backup code works once");
}

#[test]
fn api_keys_read_backup_codes_but_cannot_log_out() {
    let portal = Portal::start();
    let user = portal.user("linked");
    let session = Session::from_api_key(user.api_key.clone());
    assert_eq!(portal.client.backup_codes(&session).unwrap().len(), 5);
    assert_eq!(portal.client.logout(&session).unwrap_err().kind(), ErrorKind::InvalidArgument);
}

#[test]
fn a_stored_token_can_be_reused() {
    let portal = Portal::start();
    let token = portal.session("no_tfa").token().to_owned();
    assert!(portal.client.is_authenticated(&Session::from_token(token)).unwrap());
    assert!(!portal.client.is_authenticated(&Session::from_token("bm90IGEgdG9rZW4=")).unwrap());
}

#[test]
fn sms_users_get_an_sms_challenge() {
    let portal = Portal::start();
    let user = portal.user("sms");
    let LoginOutcome::SmsRequired(sms) = portal.client.login(&user.email, &user.password).unwrap() else {
        panic!("expected SmsRequired");
    };
    assert!(sms.phone_noise.as_deref().is_some_and(|p| p.contains('*')), "{sms:?}");
    assert!(!sms.phone_activation_required());
}

#[test]
fn admins_read_and_change_the_portal_policy() {
    let portal = Portal::start();
    let admin = portal.session("admin");
    let policy = portal.client.tfa_policy(&admin).unwrap();
    assert_eq!(policy.enabled_method(), TfaMethod::App);

    assert!(!portal.client.set_tfa_policy(&admin, &TfaPolicyUpdate::new(TfaMethod::None)).unwrap());
    assert_eq!(portal.client.tfa_policy(&admin).unwrap().enabled_method(), TfaMethod::None);
    let user = portal.user("linked");
    assert!(
        matches!(portal.client.login(&user.email, &user.password).unwrap(), LoginOutcome::Authenticated(_)),
        "with 2FA off nobody is asked for a code"
    );

    let mut update = TfaPolicyUpdate::new(TfaMethod::App);
    update.trusted_ips = vec!["10.0.0.0/8".into()];
    assert!(portal.client.set_tfa_policy(&admin, &update).unwrap());
    assert!(!portal.client.is_authenticated(&admin).unwrap(), "switching 2FA on signs everybody out");

    let plain = portal.session("no_tfa");
    let err = portal.client.set_tfa_policy(&plain, &TfaPolicyUpdate::new(TfaMethod::None)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AccessDenied);
    let mut bad = TfaPolicyUpdate::new(TfaMethod::App);
    bad.trusted_ips = vec!["10.0.0.0/99".into()];
    assert_eq!(portal.client.set_tfa_policy(&plain, &bad).unwrap_err().kind(), ErrorKind::InvalidArgument);
}

#[test]
fn a_signed_in_user_gets_a_confirm_context_and_validates_with_it() {
    let portal = Portal::start();
    let user = portal.user("linked");
    let session = portal.linked_session();
    let challenge = portal.client.confirm_context(&session).unwrap().expect("app 2FA applies");
    assert_eq!(challenge.confirm_type(), ConfirmType::TfaAuth);
    assert_eq!(challenge.user_id(), user.id);
    let validation = portal.client.validate_app(&challenge, &totp_now(&user)).unwrap();
    assert!(!validation.linked_now);
    assert!(portal.client.confirm_context(&portal.session("no_tfa")).unwrap().is_none());
}

#[test]
fn resetting_your_own_app_gives_a_new_session_and_a_new_secret() {
    let portal = Portal::start();
    let user = portal.user("linked");
    let session = portal.linked_session();
    let reset = portal.client.reset_app(&session, &user.id).unwrap();
    assert!(!portal.client.is_authenticated(&session).unwrap(), "the old token is dead");
    let fresh = reset.session.expect("a fresh session cookie");
    assert!(portal.client.is_authenticated(&fresh).unwrap());
    let challenge = reset.challenge.expect("an activation challenge");
    assert_eq!(challenge.confirm_type(), ConfirmType::TfaActivation);
    let setup = portal.client.setup_app(&challenge).unwrap();
    assert_ne!(Some(setup.manual_entry_key.expose()), user.totp_secret.as_deref(), "unlinking resets the secret");
    let code = Totp::new(setup.manual_entry_key.expose()).unwrap().code_now();
    assert!(portal.client.validate_app(&challenge, code.as_str()).unwrap().linked_now);
}
