//! Brute-force rules (CONTRACT.md §5), driven through the clock control.

mod common;

use common::*;
use serde_json::json;

const TOO_MANY: &str = r#"{"error":{"message":"Too many login attempts. Please try again later","type":null,"stack":null,"hresult":0},"status":1,"statusCode":403}"#;

#[test]
fn five_failures_then_a_sixty_second_block() {
    let emu = start();
    let plain = user(&emu, "no_tfa");
    for _ in 0..5 {
        assert_eq!(login(&emu, &plain.email, "wrong").status, 401);
    }
    let res = login(&emu, &plain.email, "wrong");
    assert_eq!(res.status, 403);
    assert_eq!(res.text(), TOO_MANY);
    // Blocked: even the right password, and the login is case-insensitive.
    let res = login(&emu, &plain.email.to_uppercase(), &plain.password);
    assert_eq!(res.text(), TOO_MANY);
    // The code step shares the guard and keeps the 403.
    assert_eq!(login_with_code(&emu, &plain.email, &plain.password, "123456").status, 403);
    // Other logins are unaffected.
    let setup = user(&emu, "not_linked");
    assert_eq!(login(&emu, &setup.email, &setup.password).status, 200);

    emu.control().set_clock_offset(59);
    assert_eq!(login(&emu, &plain.email, &plain.password).status, 403);
    emu.control().set_clock_offset(61);
    assert_eq!(login(&emu, &plain.email, &plain.password).status, 200);
}

#[test]
fn failures_outside_the_check_period_do_not_count() {
    let emu = start();
    let plain = user(&emu, "no_tfa");
    for _ in 0..4 {
        assert_eq!(login(&emu, &plain.email, "wrong").status, 401);
    }
    emu.control().set_clock_offset(61);
    for _ in 0..5 {
        assert_eq!(login(&emu, &plain.email, "wrong").status, 401);
    }
    assert_eq!(login(&emu, &plain.email, "wrong").status, 403);
}

#[test]
fn successes_remove_their_own_entry() {
    let emu = start();
    let plain = user(&emu, "no_tfa");
    for _ in 0..4 {
        assert_eq!(login(&emu, &plain.email, "wrong").status, 401);
    }
    for _ in 0..10 {
        assert_eq!(login(&emu, &plain.email, &plain.password).status, 200);
    }
    assert_eq!(login(&emu, &plain.email, "wrong").status, 401);
    assert_eq!(login(&emu, &plain.email, "wrong").status, 403);
}

#[test]
fn login_settings_change_the_limits() {
    let emu = start();
    let admin = user(&emu, "admin");
    let plain = user(&emu, "no_tfa");
    let path = "/api/2.0/settings/security/loginSettings";
    let res = send(&emu, &Request::get(path).bearer(&admin.api_key));
    assert_eq!(res.response(), json!({"attemptCount": 5, "blockTime": 60, "checkPeriod": 60, "isDefault": true}));
    assert_eq!(send(&emu, &Request::get(path)).status, 401);
    let res = send(&emu, &Request::get(path).bearer(&plain.api_key));
    assert_eq!((res.status, res.error_message()), (403, "Access denied".to_owned()));

    let res = send(
        &emu,
        &Request::put(path, &json!({"attemptCount": 2, "blockTime": "10", "checkPeriod": 30})).bearer(&admin.api_key),
    );
    assert_eq!(res.response(), json!({"attemptCount": 2, "blockTime": 10, "checkPeriod": 30, "isDefault": false}));
    assert_eq!(
        send(
            &emu,
            &Request::put(path, &json!({"attemptCount": 0, "blockTime": 1, "checkPeriod": 1})).bearer(&admin.api_key)
        )
        .status,
        400
    );

    assert_eq!(login(&emu, &plain.email, "wrong").status, 401);
    assert_eq!(login(&emu, &plain.email, "wrong").status, 401);
    assert_eq!(login(&emu, &plain.email, "wrong").status, 403);
    emu.control().set_clock_offset(11);
    assert_eq!(login(&emu, &plain.email, &plain.password).status, 200);

    let res = send(&emu, &Request::new("DELETE", path).bearer(&admin.api_key));
    assert_eq!(res.response()["isDefault"], true);
}

#[test]
fn tfa_code_lockout_at_the_code_step() {
    let emu = start();
    let linked = user(&emu, "linked");
    for _ in 0..5 {
        assert_eq!(login_with_code(&emu, &linked.email, &linked.password, "000000").status, 401);
    }
    let good = totp_now(&emu, &linked.email);
    let res = login_with_code(&emu, &linked.email, &linked.password, &good);
    assert_eq!(res.status, 401, "locked out: 401 here, not 403");
    assert_eq!(res.error_message(), "User authentication failed");
    // Password attempts succeeded, so the login guard is clean.
    assert_eq!(login(&emu, &linked.email, &linked.password).status, 200);
    emu.control().set_clock_offset(61);
    let good = totp_now(&emu, &linked.email);
    assert_eq!(login_with_code(&emu, &linked.email, &linked.password, &good).status, 200);
}

#[test]
fn totp_window_follows_the_emulator_clock() {
    let emu = start();
    let linked = user(&emu, "linked");
    let code = totp_now(&emu, &linked.email);
    emu.control().set_clock_offset(270);
    assert_eq!(login_with_code(&emu, &linked.email, &linked.password, &code).status, 200, "still in the ±5 min window");
    emu.control().set_clock_offset(400);
    assert_eq!(login_with_code(&emu, &linked.email, &linked.password, &code).status, 401);
    assert_ne!(totp_now(&emu, &linked.email), code);
}

#[test]
fn sms_guesses_are_capped() {
    let emu = start();
    let sms = user(&emu, "sms");
    login(&emu, &sms.email, &sms.password);
    let code = emu.control().sms_code(&sms.email).unwrap();
    let wrong = if code == "111111" { "222222" } else { "111111" };
    for _ in 0..5 {
        assert_eq!(login_with_code(&emu, &sms.email, &sms.password, wrong).status, 401);
    }
    assert_eq!(login_with_code(&emu, &sms.email, &sms.password, &code).status, 401, "too many checks");
    // After the code expires a new login sends a new code and the counters start over.
    emu.control().set_clock_offset(601);
    login(&emu, &sms.email, &sms.password);
    let code = emu.control().sms_code(&sms.email).unwrap();
    assert_eq!(login_with_code(&emu, &sms.email, &sms.password, &code).status, 200);
}
