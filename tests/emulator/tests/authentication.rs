//! `api/2.0/authentication`: envelopes, sign-in variants, the code step, logout, routing and
//! model binding, over real loopback HTTP.

mod common;

use common::*;
use serde_json::json;

#[test]
fn plain_login_success_envelope_is_byte_exact_in_shape() {
    let emu = start();
    let plain = user(&emu, "no_tfa");
    let res = login(&emu, &plain.email, &plain.password);
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), Some("application/json; charset=utf-8"));
    let text = res.text();
    let token = res.response()["token"].as_str().unwrap().to_owned();
    let expires = res.response()["expires"].as_str().unwrap().to_owned();
    let href = format!("{}/api/2.0/authentication", emu.url());
    assert_eq!(
        text,
        format!(
            r#"{{"response":{{"token":{},"expires":"{expires}","sms":false,"tfa":false}},"count":1,"links":[{{"href":"{href}","action":"POST"}}],"status":0,"statusCode":200}}"#,
            serde_json::to_string(&token).unwrap()
        )
    );
    // ISO-8601 with Z, about a year ahead.
    assert!(expires.ends_with('Z') && expires.len() >= 20, "{expires}");
    let year: i64 = expires[..4].parse().unwrap();
    let now_year: i64 = 1970 + emu.control().now_unix() / 31_556_952;
    assert!(year == now_year + 1 || year == now_year + 2, "{expires}");

    // The cookie carries the same token, percent-encoded the ASP.NET way.
    let cookie = res.cookie("asc_auth_key").unwrap();
    assert!(cookie.contains("%2B") && cookie.contains("%2F") && cookie.ends_with("%3D%3D"), "{cookie}");
    assert_eq!(percent_decode(&cookie), token);
    let set_cookie = res.set_cookies()[0];
    assert!(
        set_cookie.contains("; expires=") && set_cookie.ends_with("; path=/; samesite=strict; httponly"),
        "{set_cookie}"
    );
    assert!(!set_cookie.contains("secure"));
}

#[test]
fn session_login_gives_a_session_cookie_and_default_expires() {
    let emu = start();
    let plain = user(&emu, "no_tfa");
    let body = json!({"userName": plain.email, "password": plain.password, "session": true});
    let res = send(&emu, &Request::post("/api/2.0/authentication", &body));
    assert_eq!(res.status, 200);
    assert_eq!(res.response()["expires"], "0001-01-01T00:00:00");
    assert!(!res.set_cookies()[0].contains("expires="));
    // The token is just as valid.
    let token = res.response()["token"].as_str().unwrap().to_owned();
    assert!(is_authenticated(&emu, Request::get("/api/2.0/authentication").bearer(&token)));
}

#[test]
fn error_envelopes_for_bad_credentials() {
    let emu = start();
    let plain = user(&emu, "no_tfa");
    let expected = r#"{"error":{"message":"User authentication failed","type":null,"stack":null,"hresult":0},"status":1,"statusCode":401}"#;
    for body in [
        json!({"userName": plain.email, "password": "wrong"}),
        json!({"userName": "nobody@example.com", "password": "x"}),
        json!({"userName": "", "password": plain.password}),
        json!({"userName": null, "password": plain.password}),
        json!({"userName": plain.email}),
        json!({"userName": plain.email, "password": null}),
        json!({"userName": plain.email, "passwordHash": "abc"}),
        json!({"provider": "google", "accessToken": "t"}),
    ] {
        let res = send(&emu, &Request::post("/api/2.0/authentication", &body));
        assert_eq!(res.status, 401, "{body}");
        assert_eq!(res.text(), expected);
        assert!(res.set_cookies().is_empty());
    }
    // Surrounding whitespace of the password is trimmed, the e-mail is case-insensitive.
    let res = login(&emu, &plain.email.to_uppercase(), &format!("  {} ", plain.password));
    assert_eq!(res.status, 200, "{}", res.text());
}

#[test]
fn disabled_user_is_an_invalid_operation() {
    let emu = start();
    let disabled = user(&emu, "disabled");
    let json = login(&emu, &disabled.email, &disabled.password).json();
    assert_eq!(json["statusCode"], 403);
    assert_eq!(json["status"], 1);
    assert_eq!(json["error"]["message"], "User disabled");
    assert_eq!(json["error"]["type"], "System.InvalidOperationException");
    assert_eq!(json["error"]["hresult"], -2146233079);
    assert!(json["error"]["stack"].as_str().unwrap().starts_with("   at "));
    // A wrong password is still just 401.
    assert_eq!(login(&emu, &disabled.email, "nope").status, 401);
}

#[test]
fn not_linked_login_gives_the_key_and_an_activation_cookie() {
    let emu = start();
    let setup = user(&emu, "not_linked");
    let res = login(&emu, &setup.email, &setup.password);
    assert_eq!(res.status, 200);
    let r = res.response();
    assert_eq!(r["tfa"], true);
    assert_eq!(r["sms"], false);
    assert_eq!(r["expires"], "0001-01-01T00:00:00");
    assert!(r.get("token").is_none());
    let key = r["tfaKey"].as_str().unwrap();
    assert_eq!(key.len(), 16);
    assert!(key.bytes().all(|c| c.is_ascii_uppercase() || (b'2'..=b'7').contains(&c)));
    assert_eq!(r["confirmUrl"], format!("{}/confirm/TfaActivation?type=TfaActivation&uid={}", emu.url(), setup.id));
    // Property order: expires, sms, tfa, tfaKey, confirmUrl.
    let text = res.text();
    let pos = |k: &str| text.find(&format!("\"{k}\"")).unwrap();
    assert!(
        pos("expires") < pos("sms")
            && pos("sms") < pos("tfa")
            && pos("tfa") < pos("tfaKey")
            && pos("tfaKey") < pos("confirmUrl")
    );

    assert_eq!(res.set_cookies().len(), 1);
    let cookie = res.set_cookies()[0];
    assert!(cookie.starts_with("asc_confirm_key_TfaActivation="));
    assert!(!cookie.contains("expires="), "a session cookie: {cookie}");
    let value = res.cookie("asc_confirm_key_TfaActivation").unwrap();
    let (ms, hash) = value.split_once('.').unwrap();
    assert!(ms.parse::<u64>().is_ok());
    assert!(hash.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));

    // The key is stable: a second login gives the same secret.
    assert_eq!(login(&emu, &setup.email, &setup.password).response()["tfaKey"], key);
    assert_eq!(emu.control().user_state(&setup.email).unwrap().totp_secret.as_deref(), Some(key));
}

#[test]
fn first_code_links_the_app_and_later_logins_use_tfa_auth() {
    let emu = start();
    let setup = user(&emu, "not_linked");
    login(&emu, &setup.email, &setup.password);
    let code = totp_now(&emu, &setup.email);

    // Only the body code counts: the route segment is ignored.
    let body = json!({"userName": setup.email, "password": setup.password, "code": code});
    let res = send(&emu, &Request::post("/api/2.0/authentication/000000", &body));
    assert_eq!(res.status, 200, "{}", res.text());
    let r = res.response();
    assert_eq!((r["tfa"].as_bool(), r["sms"].as_bool()), (Some(true), Some(false)));
    let token = r["token"].as_str().unwrap();
    assert_eq!(res.set_cookies().len(), 1, "first activation signs in once");
    assert_eq!(percent_decode(&res.cookie("asc_auth_key").unwrap()), token);
    let state = emu.control().user_state(&setup.email).unwrap();
    assert!(state.linked);
    assert_eq!(state.backup_codes.len(), 5);

    // Linked now: no tfaKey, a TfaAuth link and cookie.
    let res = login(&emu, &setup.email, &setup.password);
    assert!(res.response().get("tfaKey").is_none());
    assert!(res.response()["confirmUrl"].as_str().unwrap().contains("/confirm/TfaAuth?type=TfaAuth&uid="));
    assert!(res.cookie("asc_confirm_key_TfaAuth").is_some());
}

#[test]
fn linked_code_step_sets_two_auth_cookies_and_replays_are_accepted() {
    let emu = start();
    let linked = user(&emu, "linked");
    assert_eq!(linked.totp_secret.as_deref(), Some("LJVTCTSWGJYEOYSV"));
    let code = totp_now(&emu, &linked.email);
    let body = json!({"userName": linked.email, "password": linked.password, "code": code, "session": true});
    let res = send(&emu, &Request::post(&format!("/api/2.0/authentication/{code}"), &body));
    assert_eq!(res.status, 200, "{}", res.text());
    let cookies = res.set_cookies();
    assert_eq!(cookies.len(), 2, "{cookies:?}");
    assert!(cookies.iter().all(|c| c.starts_with("asc_auth_key=")));
    assert!(!cookies[0].contains("expires="), "the first honours session=true");
    assert!(cookies[1].contains("expires="), "the second is persistent");
    let token = res.response()["token"].as_str().unwrap().to_owned();
    assert_eq!(percent_decode(&res.cookie_nth("asc_auth_key", 1)), token, "the body carries the second token");
    assert_eq!(res.response()["expires"], "0001-01-01T00:00:00");
    assert_eq!(emu.control().user_state(&linked.email).unwrap().active_tokens, 2);

    // No replay cache: the same code works again.
    let again = login_with_code(&emu, &linked.email, &linked.password, &code);
    assert_eq!(again.status, 200, "{}", again.text());
}

trait NthCookie {
    fn cookie_nth(&self, name: &str, n: usize) -> String;
}

impl NthCookie for common::Response {
    fn cookie_nth(&self, name: &str, n: usize) -> String {
        self.set_cookies()
            .into_iter()
            .filter_map(|c| c.split(';').next()?.split_once('='))
            .filter(|(k, _)| *k == name)
            .nth(n)
            .map(|(_, v)| v.to_owned())
            .unwrap()
    }
}

#[test]
fn code_step_failures_are_all_401() {
    let emu = start();
    let linked = user(&emu, "linked");
    let plain = user(&emu, "no_tfa");
    let failed = r#"{"error":{"message":"User authentication failed","type":null,"stack":null,"hresult":0},"status":1,"statusCode":401}"#;
    for res in [
        login_with_code(&emu, &linked.email, &linked.password, "000000"),
        login_with_code(&emu, &linked.email, &linked.password, ""),
        send(
            &emu,
            &Request::post(
                "/api/2.0/authentication/123456",
                &json!({"userName": linked.email, "password": linked.password}),
            ),
        ),
        // TFA does not apply: "Auth code is not available" is wrapped to 401 too.
        login_with_code(&emu, &plain.email, &plain.password, "123456"),
    ] {
        assert_eq!(res.status, 401);
        assert_eq!(res.text(), failed);
    }
    // Credential errors keep their own answers.
    let code = totp_now(&emu, &linked.email);
    assert_eq!(login_with_code(&emu, &linked.email, "wrong", &code).status, 401);
    let disabled = user(&emu, "disabled");
    assert_eq!(login_with_code(&emu, &disabled.email, &disabled.password, "123456").error_message(), "User disabled");
}

#[test]
fn backup_codes_are_single_use_at_the_code_step() {
    let emu = start();
    let linked = user(&emu, "linked");
    let code = emu.control().user_state(&linked.email).unwrap().backup_codes[2].code.clone();
    let res = login_with_code(&emu, &linked.email, &linked.password, &format!(" {code} "));
    assert_eq!(res.status, 200, "{}", res.text());
    let state = emu.control().user_state(&linked.email).unwrap();
    assert!(state.backup_codes[2].is_used);
    assert_eq!(state.backup_codes.iter().filter(|c| c.is_used).count(), 1);
    assert_eq!(login_with_code(&emu, &linked.email, &linked.password, &code).status, 401);
}

#[test]
fn is_authenticated_accepts_every_credential_form_and_never_401s() {
    let emu = start();
    let plain = user(&emu, "no_tfa");
    let token = token_for(&emu, &plain);
    let path = "/api/2.0/authentication";
    assert!(!is_authenticated(&emu, Request::get(path)));
    assert!(!is_authenticated(&emu, Request::get(path).bearer("garbage")));
    assert!(is_authenticated(&emu, Request::get(path).bearer(&token)));
    assert!(is_authenticated(&emu, Request::get(path).header("Authorization", &token)));
    assert!(is_authenticated(&emu, Request::get(path).cookie("asc_auth_key", &token)));
    let encoded = token.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D");
    assert!(is_authenticated(&emu, Request::get(path).cookie("asc_auth_key", &encoded)));
    assert!(is_authenticated(&emu, Request::get(path).bearer(&token.replace('+', " "))));
    // The cookie wins over the header.
    assert!(!is_authenticated(&emu, Request::get(path).bearer(&token).cookie("asc_auth_key", "garbage")));
    assert!(is_authenticated(&emu, Request::get(path).bearer("garbage").cookie("asc_auth_key", &token)));
    // API keys.
    assert!(is_authenticated(&emu, Request::get(path).bearer(&plain.api_key)));
    assert!(!is_authenticated(&emu, Request::get(path).bearer("sk-unknown")));
    let disabled = user(&emu, "disabled");
    assert!(!is_authenticated(&emu, Request::get(path).bearer(&disabled.api_key)));
    let res = send(&emu, &Request::get(path));
    assert_eq!(res.json()["count"], 1);
}

#[test]
fn logout_revokes_only_the_cookie_token() {
    let emu = start();
    let plain = user(&emu, "no_tfa");
    let path = "/api/2.0/authentication";

    let header_token = token_for(&emu, &plain);
    let res = send(&emu, &Request::new("POST", "/api/2.0/authentication/logout").bearer(&header_token));
    assert_eq!(res.status, 200);
    assert_eq!(
        res.text(),
        format!(
            r#"{{"count":0,"links":[{{"href":"{}/api/2.0/authentication/logout","action":"POST"}}],"status":0,"statusCode":200}}"#,
            emu.url()
        )
    );
    assert!(res.set_cookies().is_empty(), "no cookie sent, none cleared");
    assert!(
        is_authenticated(&emu, Request::get(path).bearer(&header_token)),
        "Authorization-only logout keeps the token"
    );

    let cookie_token = token_for(&emu, &plain);
    let res = send(
        &emu,
        &Request::new("POST", "/api/2.0/authentication/logout")
            .header("Cookie", &format!("asc_auth_key={cookie_token}; socketio.sid=abc")),
    );
    assert_eq!(res.status, 200);
    let cleared = res.set_cookies();
    assert_eq!(cleared.len(), 2);
    assert!(cleared[0].starts_with("asc_auth_key=; expires=") && cleared[1].starts_with("socketio.sid=; expires="));
    assert!(!is_authenticated(&emu, Request::get(path).bearer(&cookie_token)));
    assert!(is_authenticated(&emu, Request::get(path).bearer(&header_token)), "other sessions survive");
}

#[test]
fn sms_user_signs_in_with_the_sms_code() {
    let emu = start();
    let sms = user(&emu, "sms");
    let res = login(&emu, &sms.email, &sms.password);
    let r = res.response();
    assert_eq!((r["sms"].as_bool(), r["tfa"].as_bool()), (Some(true), Some(false)));
    assert_eq!(r["phoneNoise"], "+1***0123");
    assert!(r["expires"].as_str().unwrap().ends_with('Z'));
    assert!(r["confirmUrl"].as_str().unwrap().contains("/confirm/PhoneAuth?type=PhoneAuth&uid="));
    let code = emu.control().sms_code(&sms.email).unwrap();
    // A second login does not resend.
    login(&emu, &sms.email, &sms.password);
    assert_eq!(emu.control().sms_code(&sms.email).unwrap(), code);

    let res = login_with_code(&emu, &sms.email, &sms.password, &code);
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.response()["sms"], true);
    assert_eq!(res.response()["phoneNoise"], "+1***0123");
    assert!(res.response()["token"].is_string());
    assert!(emu.control().sms_code(&sms.email).is_none(), "single use");
    assert_eq!(login_with_code(&emu, &sms.email, &sms.password, &code).status, 401);

    // sendsms issues a new code.
    let res = send(
        &emu,
        &Request::post("/api/2.0/authentication/sendsms", &json!({"userName": sms.email, "password": sms.password})),
    );
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.response()["sms"], true);
    assert!(emu.control().sms_code(&sms.email).is_some());
    let plain = user(&emu, "no_tfa");
    let res = send(
        &emu,
        &Request::post(
            "/api/2.0/authentication/sendsms",
            &json!({"userName": plain.email, "password": plain.password}),
        ),
    );
    assert_eq!(res.status, 500);
}

#[test]
fn routing_is_case_insensitive_and_unknown_routes_are_bare() {
    let emu = start();
    let plain = user(&emu, "no_tfa");
    let res = send(
        &emu,
        &Request::post("/API/2.0/AUTHENTICATION/", &json!({"USERNAME": plain.email, "PassWord": plain.password})),
    );
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["links"][0]["href"], format!("{}/API/2.0/AUTHENTICATION/", emu.url()));

    let res = send(&emu, &Request::get("/api/2.0/authentication?x=1&y=2"));
    assert_eq!(res.json()["links"][0]["href"], format!("{}/api/2.0/authentication?x=1&y=2", emu.url()));

    for (req, status) in [
        (Request::get("/api/2.0/nope"), 404),
        (Request::get("/api/2.0/authentication/123456/extra"), 404),
        (Request::post("/api/2.0/authentication/setphone", &json!({})), 404),
        (Request::new("DELETE", "/api/2.0/authentication"), 405),
        (Request::get("/api/2.0/authentication/123456"), 405),
        (Request::get("/api/2.0/settings/tfaappnewcodes"), 405),
    ] {
        let res = send(&emu, &req);
        assert_eq!(res.status, status, "{req:?}");
        assert!(res.body.is_empty());
        assert_eq!(res.header("content-length"), Some("0"));
    }
}

#[test]
fn model_binding_errors() {
    let emu = start();
    let path = "/api/2.0/authentication";
    // Not JSON.
    let res = send(&emu, &Request::new("POST", path).raw_body("application/json", b"{not json"));
    assert_eq!(res.status, 400);
    let json = res.json();
    assert_eq!((json["status"].as_i64(), json["statusCode"].as_i64()), (Some(1), Some(400)));
    assert_eq!(json["response"]["status"], 400);
    assert_eq!(json["response"]["title"], "One or more validation errors occurred.");
    assert!(json["response"]["errors"].is_object());
    assert!(json["response"]["traceId"].as_str().unwrap().starts_with("00-"));
    // Wrong types.
    for body in [json!({"userName": 5, "password": "x"}), json!({"userName": "a", "session": "yes"}), json!([1])] {
        assert_eq!(send(&emu, &Request::post(path, &body)).status, 400, "{body}");
    }
    // Numbers as strings are fine.
    assert_eq!(
        send(&emu, &Request::post(path, &json!({"userName": "a@b", "password": "x", "recaptchaType": "1"}))).status,
        401
    );
    // Empty body, wrong content type.
    assert_eq!(send(&emu, &Request::new("POST", path).raw_body("application/json", b"")).status, 400);
    let res = send(&emu, &Request::new("POST", path).raw_body("text/plain", b"{}"));
    assert_eq!(res.status, 415);
    assert_eq!(res.json()["statusCode"], 415);
}

#[test]
fn client_ip_comes_from_request_x_real_ip() {
    let emu = start();
    let plain = user(&emu, "no_tfa");
    let body = json!({"userName": plain.email, "password": "wrong"});
    for _ in 0..5 {
        assert_eq!(send(&emu, &Request::post("/api/2.0/authentication?request-x-real-ip=10.0.0.1", &body)).status, 401);
    }
    assert_eq!(send(&emu, &Request::post("/api/2.0/authentication?request-x-real-ip=10.0.0.1", &body)).status, 403);
    // Another IP (and the real peer) are separate keys.
    assert_eq!(send(&emu, &Request::post("/api/2.0/authentication?request-x-real-ip=10.0.0.2", &body)).status, 401);
    assert_eq!(login(&emu, &plain.email, &plain.password).status, 200);
}

#[test]
fn confirm_endpoint_checks_keys() {
    let emu = start();
    let setup = user(&emu, "not_linked");
    let key = login(&emu, &setup.email, &setup.password).cookie("asc_confirm_key_TfaActivation").unwrap();
    let check = |body: serde_json::Value| {
        send(&emu, &Request::post("/api/2.0/authentication/confirm", &body)).response()["result"].clone()
    };
    assert_eq!(check(json!({"type": "TfaActivation", "uiD": setup.id, "key": key})), 0);
    assert_eq!(check(json!({"type": "TfaAuth", "uiD": setup.id, "key": key})), 1);
    emu.control().set_clock_offset(3601);
    assert_eq!(check(json!({"type": "TfaActivation", "uiD": setup.id, "key": key})), 2);
}
