//! Every error kind, produced over real HTTP by the emulator's real behaviour (wrong
//! password, lockouts, expired confirm keys…) or its fault injection (HTML 5xx, 429, delays,
//! dropped connections, malformed answers). Each test also checks that the handle stays usable
//! and that no secret leaks into the error.

mod common;

use std::time::{Duration, Instant};

use common::{totp_now, Portal};
use docspace_auth::{Client, Error, ErrorKind, LoginOutcome, Session};
use docspace_emulator::{Fault, FaultBody};

const LOGIN_PATH: &str = "/api/2.0/authentication";

fn fault(path: &str) -> Fault {
    Fault { path: path.to_owned(), ..Fault::default() }
}

/// The error's text in every form a caller might print must not contain `secret`.
fn assert_no_leak(error: &Error, secret: &str) {
    for text in [error.to_string(), format!("{error:?}"), error.message().to_owned()] {
        assert!(!text.contains(secret), "secret leaked into {text:?}");
    }
}

fn login_error(portal: &Portal, user: &str, password: &str) -> Error {
    portal.client.login(user, password).expect_err("login should fail")
}

#[test]
fn invalid_arguments_are_refused_before_sending() {
    let portal = Portal::start();
    for url in ["", "not a url", "ftp://portal.example.com", "http://portal.example.com", "https://u:p@x.example"] {
        assert_eq!(Client::new(url).unwrap_err().kind(), ErrorKind::InvalidArgument, "{url:?}");
    }
    assert!(Client::builder("http://portal.example.com").allow_insecure_http(true).build().is_ok());
    let user = portal.user("linked");
    assert_eq!(login_error(&portal, "", "x").kind(), ErrorKind::InvalidArgument);
    assert_eq!(login_error(&portal, &user.email, "").kind(), ErrorKind::InvalidArgument);
    for code in ["", "12/34", "../../x", "1?a=b", "12#3", "%31", "12 34", "1\n2"] {
        let err = portal.client.login_with_code(&user.email, &user.password, code).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{code:?}");
        assert_no_leak(&err, &user.password);
    }
}

#[test]
fn wrong_password_is_invalid_credentials_then_locked_out() {
    let portal = Portal::start();
    let user = portal.user("no_tfa");
    let wrong = "Wrong-Passw0rd-xyzzy";
    for _ in 0..5 {
        let err = login_error(&portal, &user.email, wrong);
        assert_eq!(err.kind(), ErrorKind::InvalidCredentials);
        assert_eq!(err.status(), Some(401));
        assert_eq!(err.server_message(), Some("User authentication failed"));
        assert_no_leak(&err, wrong);
    }
    let err = login_error(&portal, &user.email, wrong);
    assert_eq!(err.kind(), ErrorKind::LockedOut, "the 6th failure within a minute locks the login");
    assert_eq!(err.status(), Some(403));
    assert!(err.kind().is_retryable());
    assert_eq!(
        login_error(&portal, &user.email, &user.password).kind(),
        ErrorKind::LockedOut,
        "even the right password"
    );

    portal.emulator.control().set_clock_offset(61);
    assert!(matches!(portal.client.login(&user.email, &user.password).unwrap(), LoginOutcome::Authenticated(_)));
}

#[test]
fn wrong_codes_are_invalid_code_at_both_endpoints_and_lock_validate() {
    let portal = Portal::start();
    let user = portal.user("linked");
    let err = portal.client.login_with_code(&user.email, &user.password, "000000").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidCode);
    assert_eq!(err.status(), Some(401));
    assert_no_leak(&err, "000000");
    portal.emulator.control().reset();

    let LoginOutcome::CodeRequired(challenge) = portal.client.login(&user.email, &user.password).unwrap() else {
        panic!("expected CodeRequired");
    };
    for _ in 0..5 {
        let err = portal.client.validate_app(&challenge, "000000").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidCode);
        assert_eq!(err.status(), Some(400));
        assert_eq!(err.server_message(), Some("Incorrect code"));
    }
    let err = portal.client.validate_app(&challenge, "000000").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LockedOut, "the 6th wrong code within a minute locks code checks");
    assert_eq!(err.status(), Some(403));
}

#[test]
fn disabled_users_are_access_denied() {
    let portal = Portal::start();
    let user = portal.user("disabled");
    let err = login_error(&portal, &user.email, &user.password);
    assert_eq!(err.kind(), ErrorKind::AccessDenied);
    assert_eq!(err.server_message(), Some("User disabled"));
}

#[test]
fn bogus_and_revoked_sessions_are_session_invalid() {
    let portal = Portal::start();
    let err = portal.client.backup_codes(&Session::from_token("bm90LWEtdG9rZW4=")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SessionInvalid);
    assert_no_leak(&err, "bm90LWEtdG9rZW4=");
    let session = portal.linked_session();
    portal.client.logout(&session).unwrap();
    assert_eq!(portal.client.backup_codes(&session).unwrap_err().kind(), ErrorKind::SessionInvalid);
}

#[test]
fn backup_codes_without_a_linked_app_are_tfa_not_available() {
    let portal = Portal::start();
    let err = portal.client.backup_codes(&portal.session("no_tfa")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TfaNotAvailable);
    assert_eq!(err.status(), Some(403));
}

#[test]
fn expired_or_missing_confirm_keys_are_confirm_context() {
    let portal = Portal::start();
    let user = portal.user("not_linked");
    let LoginOutcome::SetupRequired(challenge) = portal.client.login(&user.email, &user.password).unwrap() else {
        panic!("expected SetupRequired");
    };
    portal.emulator.control().set_clock_offset(3601);
    let err = portal.client.setup_app(&challenge).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConfirmContext, "confirm keys live one hour");
    assert_eq!(err.status(), Some(401));
    portal.emulator.control().set_clock_offset(0);

    portal.emulator.control().push_fault(Fault { body: Some(FaultBody::NoSetCookie), ..fault(LOGIN_PATH) }).unwrap();
    let LoginOutcome::SetupRequired(keyless) = portal.client.login(&user.email, &user.password).unwrap() else {
        panic!("expected SetupRequired");
    };
    assert!(keyless.confirm_key().is_none());
    assert_eq!(portal.client.setup_app(&keyless).unwrap_err().kind(), ErrorKind::ConfirmContext);
}

#[test]
fn html_error_pages_are_server_errors_and_writes_are_not_retried() {
    let portal = Portal::start();
    let user = portal.user("linked");
    let control = portal.emulator.control();
    control
        .push_fault(Fault {
            status: Some(503),
            body: Some(FaultBody::Html),
            method: Some("POST".into()),
            ..fault(LOGIN_PATH)
        })
        .unwrap();
    let err = portal.client.login_with_code(&user.email, &user.password, &totp_now(&user)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ServerError, "one failed POST is reported, not retried behind the caller's back");
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.server_message(), None);
    assert!(control.pending_faults().is_empty());
    portal.client.login_with_code(&user.email, &user.password, &totp_now(&user)).expect("the client is still usable");
}

#[test]
fn rate_limits_carry_retry_after() {
    let portal = Portal::start();
    let user = portal.user("no_tfa");
    portal
        .emulator
        .control()
        .push_fault(Fault {
            status: Some(429),
            body: Some(FaultBody::JsonError),
            retry_after: Some("7".into()),
            ..fault(LOGIN_PATH)
        })
        .unwrap();
    let err = login_error(&portal, &user.email, &user.password);
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
}

#[test]
fn slow_answers_time_out_within_the_configured_timeout() {
    let portal = Portal::start();
    let client = Client::builder(portal.emulator.url()).timeout(Duration::from_millis(300)).build().unwrap();
    let user = portal.user("no_tfa");
    portal.emulator.control().push_fault(Fault { delay_ms: 3000, ..fault(LOGIN_PATH) }).unwrap();
    let started = Instant::now();
    let err = client.login(&user.email, &user.password).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_millis(2000), "took {:?}", started.elapsed());
    assert!(client.login(&user.email, &user.password).is_ok(), "the client is usable afterwards");
}

#[test]
fn dropped_and_refused_connections_are_network_errors() {
    let portal = Portal::start();
    let user = portal.user("no_tfa");
    portal.emulator.control().push_fault(Fault { drop_connection: true, ..fault(LOGIN_PATH) }).unwrap();
    assert_eq!(login_error(&portal, &user.email, &user.password).kind(), ErrorKind::Network);

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let nobody = Client::new(format!("http://127.0.0.1:{port}")).unwrap();
    let err = nobody.login(&user.email, &user.password).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    assert_no_leak(&err, &user.password);
}

#[test]
fn tls_to_a_plain_http_server_is_a_tls_error() {
    let portal = Portal::start();
    let https = portal.emulator.url().replace("http://", "https://");
    let user = portal.user("no_tfa");
    let err = Client::new(https).unwrap().login(&user.email, &user.password).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Tls, "{err}");
}

#[test]
fn malformed_answers_are_unexpected_responses() {
    let portal = Portal::start();
    let user = portal.user("no_tfa");
    let control = portal.emulator.control();
    for body in [FaultBody::TruncatedJson, FaultBody::Empty, FaultBody::Oversized, FaultBody::Text] {
        control.push_fault(Fault { body: Some(body), status: Some(200), ..fault(LOGIN_PATH) }).unwrap();
        let err = login_error(&portal, &user.email, &user.password);
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{body:?}: {err}");
    }
    control
        .push_fault(Fault { body: Some(FaultBody::ErrorEnvelope200), status: Some(401), ..fault(LOGIN_PATH) })
        .unwrap();
    let err = login_error(&portal, &user.email, &user.password);
    assert_eq!(err.kind(), ErrorKind::InvalidCredentials, "an error envelope inside a 200 is still an error: {err}");

    control.push_fault(Fault { body: Some(FaultBody::ExtraFields), ..fault(LOGIN_PATH) }).unwrap();
    assert!(portal.client.login(&user.email, &user.password).is_ok(), "unknown fields are ignored");
}

#[test]
fn validate_without_a_session_cookie_is_an_unexpected_response() {
    let portal = Portal::start();
    let user = portal.user("linked");
    let LoginOutcome::CodeRequired(challenge) = portal.client.login(&user.email, &user.password).unwrap() else {
        panic!("expected CodeRequired");
    };
    portal
        .emulator
        .control()
        .push_fault(Fault { body: Some(FaultBody::NoSetCookie), ..fault("/api/2.0/settings/tfaapp/validate") })
        .unwrap();
    let err = portal.client.validate_app(&challenge, &totp_now(&user)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse);
}
