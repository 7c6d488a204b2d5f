//! `api/2.0/settings/tfaapp*`: the confirm scheme, setup, validate, backup codes, unlink and
//! the portal policy.

mod common;

use base64::Engine as _;
use common::*;
use serde_json::json;

const SETUP: &str = "/api/2.0/settings/tfaapp/setup";
const VALIDATE: &str = "/api/2.0/settings/tfaapp/validate";
const CODES: &str = "/api/2.0/settings/tfaappcodes";

/// Logs the user in (TFA pending) and returns the confirm cookie's value.
fn confirm_key(emu: &docspace_emulator::Emulator, user: &docspace_emulator::SeedUser, kind: &str) -> String {
    let res = login(emu, &user.email, &user.password);
    res.cookie(&format!("asc_confirm_key_{kind}"))
        .unwrap_or_else(|| panic!("no {kind} cookie: {:?}", res.set_cookies()))
}

#[test]
fn setup_with_cookie_or_header_key() {
    let emu = start();
    let setup = user(&emu, "not_linked");
    let key = confirm_key(&emu, &setup, "TfaActivation");
    let confirm = format!("type=TfaActivation&uid={}", setup.id);

    let by_cookie = send(&emu, &Request::get(SETUP).confirm(&confirm).cookie("asc_confirm_key_TfaActivation", &key));
    assert_eq!(by_cookie.status, 200, "{}", by_cookie.text());
    let by_header = send(&emu, &Request::get(SETUP).confirm(&format!("{confirm}&key={key}")));
    assert_eq!(by_header.status, 200);
    assert_eq!(by_cookie.response(), by_header.response(), "setup is idempotent");

    let r = by_cookie.response();
    assert_eq!(r["account"], setup.email);
    let secret = emu.control().user_state(&setup.email).unwrap().totp_secret.unwrap();
    assert_eq!(r["manualEntryKey"], secret.as_str());
    let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 3);
    let png = base64::engine::general_purpose::STANDARD
        .decode(r["qrCodeSetupImageUrl"].as_str().unwrap().strip_prefix("data:image/png;base64,").unwrap())
        .unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[12..16], b"IHDR");
}

#[test]
fn confirm_scheme_refusals_have_empty_bodies() {
    let emu = start();
    let setup = user(&emu, "not_linked");
    let plain = user(&emu, "no_tfa");
    let key = confirm_key(&emu, &setup, "TfaActivation");
    let confirm = format!("type=TfaActivation&uid={}", setup.id);
    let token = token_for(&emu, &plain);
    let forged = {
        let (ms, hash) = key.split_once('.').unwrap();
        let mut chars: Vec<char> = hash.chars().collect();
        chars[0] = if chars[0] == 'A' { 'B' } else { 'A' };
        format!("{ms}.{}", chars.into_iter().collect::<String>())
    };
    let later_stamp = {
        let (ms, hash) = key.split_once('.').unwrap();
        format!("{}.{hash}", ms.parse::<i64>().unwrap() + 3_600_000)
    };
    let other_user = user(&emu, "linked");
    for (req, status) in [
        (Request::get(SETUP), 401),
        (Request::get(SETUP).confirm(&confirm), 401),
        (Request::get(SETUP).confirm(&format!("{confirm}&key={forged}")), 401),
        (Request::get(SETUP).confirm(&format!("{confirm}&key={later_stamp}")), 401),
        (Request::get(SETUP).confirm(&format!("type=TfaActivation&uid={}&key={key}", other_user.id)), 401),
        (Request::get(SETUP).confirm(&format!("type=Bogus&uid={}&key={key}", setup.id)), 401),
        (Request::get(SETUP).bearer(&token), 403),
        (Request::get(SETUP).bearer(&plain.api_key), 403),
        (Request::post(VALIDATE, &json!({"code": "123456"})).bearer(&setup.api_key), 403),
        (Request::post(VALIDATE, &json!({"code": "123456"})), 401),
    ] {
        let res = send(&emu, &req);
        assert_eq!(res.status, status, "{req:?}: {}", res.text());
        assert!(res.body.is_empty(), "{req:?}");
    }
    // Expiry: one hour of emulator time.
    emu.control().set_clock_offset(3_601);
    let res = send(&emu, &Request::get(SETUP).confirm(&format!("{confirm}&key={key}")));
    assert_eq!(res.status, 401);
    emu.control().set_clock_offset(3_500);
    assert_eq!(send(&emu, &Request::get(SETUP).confirm(&format!("{confirm}&key={key}"))).status, 200);
}

#[test]
fn setup_role_and_preconditions() {
    let emu = start();
    let linked = user(&emu, "linked");
    let key = confirm_key(&emu, &linked, "TfaAuth");
    // A TfaAuth key is valid but lacks the TfaActivation role.
    let res = send(&emu, &Request::get(SETUP).confirm(&format!("type=TfaAuth&uid={}&key={key}", linked.id)));
    assert_eq!(res.status, 403);
    assert!(res.body.is_empty());

    // An activation key for a user who is linked meanwhile: the action refuses.
    let setup = user(&emu, "not_linked");
    let key = confirm_key(&emu, &setup, "TfaActivation");
    let code = totp_now(&emu, &setup.email);
    assert_eq!(login_with_code(&emu, &setup.email, &setup.password, &code).status, 200);
    let res = send(&emu, &Request::get(SETUP).confirm(&format!("type=TfaActivation&uid={}&key={key}", setup.id)));
    assert_eq!(res.status, 403);
    let json = res.json();
    assert_eq!(json["error"]["message"], "TFA application settings are not available");
    assert_eq!(json["error"]["type"], "System.InvalidOperationException");
}

#[test]
fn validate_activation_then_auth() {
    let emu = start();
    let setup = user(&emu, "not_linked");
    let key = confirm_key(&emu, &setup, "TfaActivation");
    let confirm = format!("type=TfaActivation&uid={}", setup.id);
    let code = totp_now(&emu, &setup.email);

    let res = send(
        &emu,
        &Request::post(VALIDATE, &json!({"code": code}))
            .confirm(&confirm)
            .cookie("asc_confirm_key_TfaActivation", &key),
    );
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.response(), true, "first activation");
    assert_eq!(res.json()["count"], 1);
    let cookies = res.set_cookies();
    assert_eq!(cookies.len(), 2, "{cookies:?}");
    assert!(cookies[0].starts_with("asc_auth_key=") && cookies[0].contains("expires="));
    assert!(cookies[1].starts_with("asc_confirm_key_TfaActivation=; expires="), "confirm cookie deleted");
    let token = percent_decode(&res.cookie("asc_auth_key").unwrap());
    assert!(is_authenticated(&emu, Request::get("/api/2.0/authentication").bearer(&token)));
    assert_eq!(emu.control().user_state(&setup.email).unwrap().backup_codes.len(), 5);

    // Now linked: a TfaAuth key, sent in the header only, and a session sign-in.
    let key = confirm_key(&emu, &setup, "TfaAuth");
    let confirm = format!("type=TfaAuth&uid={}&key={key}", setup.id);
    let res = send(&emu, &Request::post(VALIDATE, &json!({"code": code, "session": true})).confirm(&confirm));
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.response(), false, "already linked");
    assert_eq!(res.set_cookies().len(), 1, "no confirm cookie was sent, none deleted");
    assert!(!res.set_cookies()[0].contains("expires="), "session=true");
    // TfaAuth is refused while the request carries a session.
    let res = send(&emu, &Request::post(VALIDATE, &json!({"code": code})).confirm(&confirm).bearer(&token));
    assert_eq!(res.status, 401);
    // A signed-in linked user gets a fresh TfaAuth key from tfaapp/confirm.
    let res = send(&emu, &Request::get("/api/2.0/settings/tfaapp/confirm").bearer(&token));
    assert_eq!(res.response()["cookieName"], "asc_confirm_key_TfaAuth");
    let fresh = res.response()["cookieValue"].as_str().unwrap().to_owned();
    let confirm = format!("type=TfaAuth&uid={}&key={fresh}", setup.id);
    assert_eq!(send(&emu, &Request::post(VALIDATE, &json!({"code": code})).confirm(&confirm)).status, 200);
}

#[test]
fn validate_errors() {
    let emu = start();
    let linked = user(&emu, "linked");
    let key = confirm_key(&emu, &linked, "TfaAuth");
    let confirm = format!("type=TfaAuth&uid={}&key={key}", linked.id);
    let validate = |body: serde_json::Value| send(&emu, &Request::post(VALIDATE, &body).confirm(&confirm));

    let res = validate(json!({"code": "000000"}));
    assert_eq!(res.status, 400);
    let json = res.json();
    assert_eq!(json["error"]["message"], "Incorrect code");
    assert_eq!(json["error"]["type"], "System.ArgumentException");
    assert_eq!(json["error"]["hresult"], -2147024809);
    assert!(json.get("links").is_none() && json.get("count").is_none());

    let res = validate(json!({"code": ""}));
    assert_eq!(res.status, 500);
    assert_eq!(res.error_message(), "Validation code field cannot be empty");
    assert_eq!(validate(json!({"code": null})).status, 500);

    let res = validate(json!({"session": true}));
    assert_eq!(res.status, 400);
    let json = res.json();
    assert_eq!(json["status"], 1);
    assert_eq!(json["response"]["status"], 400);
    assert!(json["response"]["errors"].is_object());

    // Backup codes: accepted once.
    let backup = emu.control().user_state(&linked.email).unwrap().backup_codes[0].code.clone();
    assert_eq!(validate(json!({"code": backup})).response(), false);
    assert_eq!(validate(json!({"code": backup})).status, 400);
}

#[test]
fn validate_lockout_is_403_and_slides() {
    let emu = start();
    let linked = user(&emu, "linked");
    let key = confirm_key(&emu, &linked, "TfaAuth");
    let confirm = format!("type=TfaAuth&uid={}&key={key}", linked.id);
    let validate = |code: &str| send(&emu, &Request::post(VALIDATE, &json!({"code": code})).confirm(&confirm));
    let good = totp_now(&emu, &linked.email);
    // Successes are neutral.
    for _ in 0..6 {
        assert_eq!(validate(&good).status, 200);
    }
    for _ in 0..5 {
        assert_eq!(validate("000000").status, 400);
    }
    let res = validate(&good);
    assert_eq!(res.status, 403, "the 6th attempt is refused even with a good code");
    assert_eq!(
        res.text(),
        r#"{"error":{"message":"You have sent too many text messages. Please try again later.","type":null,"stack":null,"hresult":0},"status":1,"statusCode":403}"#
    );
    // The code step reports the same lockout as 401.
    assert_eq!(login_with_code(&emu, &linked.email, &linked.password, &good).status, 401);
    emu.control().set_clock_offset(61);
    let good = totp_now(&emu, &linked.email);
    let key = confirm_key(&emu, &linked, "TfaAuth");
    let res = send(
        &emu,
        &Request::post(VALIDATE, &json!({"code": good})).confirm(&format!("type=TfaAuth&uid={}&key={key}", linked.id)),
    );
    assert_eq!(res.status, 200, "{}", res.text());
}

#[test]
fn backup_code_endpoints() {
    let emu = start();
    let linked = user(&emu, "linked");
    let token = tfa_token_for(&emu, &linked);

    let res = send(&emu, &Request::get(CODES).bearer(&token));
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["count"], 5);
    let codes = res.response();
    for c in codes.as_array().unwrap() {
        let keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["code", "isUsed"]); // serde_json sorts; the emulator writes isUsed first
        assert_eq!(c["code"].as_str().unwrap().len(), 6);
    }
    assert!(res.text().contains(r#"{"isUsed":false,"code":"#));
    // API keys work here too.
    assert_eq!(send(&emu, &Request::get(CODES).bearer(&linked.api_key)).response(), codes);

    let old = codes[0]["code"].as_str().unwrap().to_owned();
    let res = send(&emu, &Request::new("PUT", "/api/2.0/settings/tfaappnewcodes").bearer(&token));
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["count"], 5);
    assert!(res.response().as_array().unwrap().iter().all(|c| c["isUsed"] == false));
    assert_ne!(res.response(), codes);
    assert_eq!(login_with_code(&emu, &linked.email, &linked.password, &old).status, 401, "old codes are invalid");

    // Users without a linked app.
    let plain = user(&emu, "no_tfa");
    let plain_token = token_for(&emu, &plain);
    for req in [
        Request::get(CODES).bearer(&plain_token),
        Request::new("PUT", "/api/2.0/settings/tfaappnewcodes").bearer(&plain_token),
    ] {
        let res = send(&emu, &req);
        assert_eq!(res.status, 403);
        assert_eq!(res.error_message(), "TFA application settings are not available");
    }
    assert_eq!(send(&emu, &Request::get(CODES)).status, 401);
}

#[test]
fn unlinking_yourself_kills_sessions_and_changes_the_key() {
    let emu = start();
    let linked = user(&emu, "linked");
    let token = tfa_token_for(&emu, &linked);
    let other_token = tfa_token_for(&emu, &linked);
    let res = send(&emu, &Request::put("/api/2.0/settings/tfaappnewapp", &json!({"id": linked.id})).bearer(&token));
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.response(), format!("{}/confirm/TfaActivation?type=TfaActivation&uid={}", emu.url(), linked.id));
    let new_token = percent_decode(&res.cookie("asc_auth_key").unwrap());
    let key = res.cookie("asc_confirm_key_TfaActivation").unwrap();
    let auth = "/api/2.0/authentication";
    assert!(!is_authenticated(&emu, Request::get(auth).bearer(&token)));
    assert!(!is_authenticated(&emu, Request::get(auth).bearer(&other_token)));
    assert!(is_authenticated(&emu, Request::get(auth).bearer(&new_token)));
    assert!(is_authenticated(&emu, Request::get(auth).bearer(&linked.api_key)));

    let state = emu.control().user_state(&linked.email).unwrap();
    assert!(!state.linked && state.backup_codes.is_empty());
    let setup = send(&emu, &Request::get(SETUP).confirm(&format!("type=TfaActivation&uid={}&key={key}", linked.id)));
    assert_eq!(setup.status, 200);
    let new_secret = setup.response()["manualEntryKey"].as_str().unwrap().to_owned();
    assert_ne!(new_secret, "LJVTCTSWGJYEOYSV");
    assert_eq!(login(&emu, &linked.email, &linked.password).response()["tfaKey"], new_secret.as_str());
}

#[test]
fn unlink_refusals_and_the_owner() {
    let emu = start();
    let linked = user(&emu, "linked");
    let plain = user(&emu, "no_tfa");
    let admin = user(&emu, "admin");
    let plain_token = token_for(&emu, &plain);
    let path = "/api/2.0/settings/tfaappnewapp";
    for (body, message) in [
        (json!({"id": "00000000-0000-0000-0000-000000000000"}), "TFA application settings are not available"),
        (json!({}), "TFA application settings are not available"),
        (json!({"id": plain.id}), "TFA application settings are not available"),
        (json!({"id": linked.id}), "No permissions to perform this action"),
    ] {
        let res = send(&emu, &Request::put(path, &body).bearer(&plain_token));
        assert_eq!(res.status, 403, "{body}");
        assert_eq!(res.error_message(), message);
    }
    assert_eq!(send(&emu, &Request::put(path, &json!({"id": "nope"})).bearer(&plain_token)).status, 400);
    assert_eq!(send(&emu, &Request::put(path, &json!({"id": linked.id}))).status, 401);

    // The owner may unlink anyone: the answer is "" and the target's sessions end.
    let linked_token = tfa_token_for(&emu, &linked);
    let admin_token = token_for(&emu, &admin);
    let res = send(&emu, &Request::put(path, &json!({"id": linked.id.to_uppercase()})).bearer(&admin_token));
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.response(), "");
    assert!(res.set_cookies().is_empty());
    assert!(!is_authenticated(&emu, Request::get("/api/2.0/authentication").bearer(&linked_token)));
    assert!(is_authenticated(&emu, Request::get("/api/2.0/authentication").bearer(&admin_token)));
}

#[test]
fn policy_changes_need_an_admin_and_end_every_session() {
    let emu = start();
    let admin = user(&emu, "admin");
    let plain = user(&emu, "no_tfa");
    let setup = user(&emu, "not_linked");
    let admin_token = token_for(&emu, &admin);
    let plain_token = token_for(&emu, &plain);
    let policy = "/api/2.0/settings/tfaapp";

    let res = send(&emu, &Request::get(policy).bearer(&plain_token));
    assert_eq!(res.status, 200);
    assert_eq!(
        res.response(),
        json!([{"id": "app", "title": "By authenticator app", "enabled": true, "available": true}])
    );
    assert_eq!(send(&emu, &Request::get(policy)).status, 401);

    let res = send(&emu, &Request::put(policy, &json!({"type": "App"})).bearer(&plain_token));
    assert_eq!(res.status, 403);
    assert_eq!(res.error_message(), "Access denied");
    assert_eq!(res.json()["error"]["type"], "System.Security.SecurityException");

    // Off: setup users sign in directly; sessions survive.
    let res = send(&emu, &Request::put(policy, &json!({"type": 0})).bearer(&admin_token));
    assert_eq!(res.response(), false);
    assert!(is_authenticated(&emu, Request::get("/api/2.0/authentication").bearer(&plain_token)));
    assert!(login(&emu, &setup.email, &setup.password).response()["token"].is_string());
    let res = send(&emu, &Request::get(policy).bearer(&plain_token));
    assert_eq!(res.response()[0]["enabled"], false);
    assert_eq!(res.response()[0]["trustedIps"], json!([]));

    // On again (any case, or the number): every login token dies, the caller's included.
    let res = send(&emu, &Request::put(policy, &json!({"type": "app"})).bearer(&admin_token));
    assert_eq!(res.response(), true);
    assert!(!is_authenticated(&emu, Request::get("/api/2.0/authentication").bearer(&admin_token)));
    assert!(!is_authenticated(&emu, Request::get("/api/2.0/authentication").bearer(&plain_token)));
    assert!(is_authenticated(&emu, Request::get("/api/2.0/authentication").bearer(&admin.api_key)));
    let res = send(&emu, &Request::put(policy, &json!({"type": "2"})).bearer(&admin.api_key));
    assert_eq!(res.response(), true);
    assert!(login(&emu, &setup.email, &setup.password).response()["tfaKey"].is_string());

    assert_eq!(send(&emu, &Request::put(policy, &json!({"type": "Sms"})).bearer(&admin.api_key)).status, 403);
    assert_eq!(send(&emu, &Request::put(policy, &json!({"type": "Bogus"})).bearer(&admin.api_key)).status, 400);
    let res = send(
        &emu,
        &Request::put(policy, &json!({"type": "App", "mandatoryUsers": [admin.id], "id": plain.id}))
            .bearer(&admin.api_key),
    );
    assert_eq!(res.error_message(), "No permissions to perform this action");
}

#[test]
fn confirm_link_endpoint() {
    let emu = start();
    let setup = user(&emu, "not_linked");
    let plain = user(&emu, "no_tfa");
    let sms = user(&emu, "sms");
    let path = "/api/2.0/settings/tfaapp/confirm";

    // Exempt: null response, count 0.
    let res = send(&emu, &Request::get(path).bearer(&plain.api_key));
    assert_eq!(res.status, 200);
    assert!(res.json().get("response").is_none());
    assert_eq!(res.json()["count"], 0);

    let res = send(&emu, &Request::get(path).bearer(&setup.api_key));
    let r = res.response();
    assert_eq!(r["cookieName"], "asc_confirm_key_TfaActivation");
    assert_eq!(res.cookie("asc_confirm_key_TfaActivation").as_deref(), r["cookieValue"].as_str());
    let key = r["cookieValue"].as_str().unwrap();
    let url = r["url"].as_str().unwrap();
    let query = url.split_once('?').unwrap().1;
    assert_eq!(send(&emu, &Request::get(SETUP).confirm(&format!("{query}&key={key}"))).status, 200);

    let res = send(&emu, &Request::get(path).bearer(&sms.api_key));
    assert!(res.response()["url"].as_str().unwrap().contains("/confirm/PhoneAuth"));
    assert!(res.response().get("cookieName").is_none());
}
