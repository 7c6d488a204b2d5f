//! Fault injection: every body kind, delays, drops, Retry-After, matching and the HTTP control.

mod common;

use std::time::{Duration, Instant};

use common::*;
use docspace_emulator::{Fault, FaultBody};
use serde_json::json;

const LOGIN: &str = "/api/2.0/authentication";

fn fault(status: Option<u16>, body: Option<FaultBody>) -> Fault {
    Fault { path: LOGIN.to_owned(), status, body, ..Fault::default() }
}

#[test]
fn replacement_bodies() {
    let emu = start();
    let plain = user(&emu, "no_tfa");
    let control = emu.control();

    control.push_fault(Fault { retry_after: Some("120".into()), ..fault(Some(503), Some(FaultBody::Html)) }).unwrap();
    let res = login(&emu, &plain.email, &plain.password);
    assert_eq!(res.status, 503);
    assert_eq!(res.header("content-type"), Some("text/html"));
    assert_eq!(res.header("retry-after"), Some("120"));
    assert!(res.text().contains("<title>503 Service Unavailable</title>"));
    assert_eq!(emu.control().user_state(&plain.email).unwrap().active_tokens, 0, "not processed");

    control.push_fault(fault(Some(502), None)).unwrap();
    let res = login(&emu, &plain.email, &plain.password);
    assert_eq!(res.status, 502);
    assert_eq!(
        res.text(),
        r#"{"error":{"message":"Bad Gateway","type":null,"stack":null,"hresult":0},"status":1,"statusCode":502}"#
    );

    control.push_fault(fault(Some(429), Some(FaultBody::Text))).unwrap();
    let res = login(&emu, &plain.email, &plain.password);
    assert_eq!((res.status, res.text()), (429, "429 Too Many Requests".to_owned()));

    control.push_fault(fault(None, Some(FaultBody::Empty))).unwrap();
    let res = login(&emu, &plain.email, &plain.password);
    assert_eq!(res.status, 200);
    assert!(res.body.is_empty());

    control.push_fault(fault(Some(500), Some(FaultBody::TruncatedJson))).unwrap();
    let res = login(&emu, &plain.email, &plain.password);
    assert_eq!(res.status, 500);
    assert!(res.text().starts_with(r#"{"error":{"#) && serde_json::from_slice::<serde_json::Value>(&res.body).is_err());

    control.push_fault(fault(Some(401), Some(FaultBody::ErrorEnvelope200))).unwrap();
    let res = login(&emu, &plain.email, &plain.password);
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["statusCode"], 401);
    assert_eq!(res.error_message(), "User authentication failed");

    control.push_fault(fault(None, Some(FaultBody::Oversized))).unwrap();
    let res = login(&emu, &plain.email, &plain.password);
    assert_eq!(res.status, 200);
    assert!(res.body.len() > 16 * 1024 * 1024);
    assert_eq!(res.json()["status"], 0);

    // Faults are used up: the next login is normal.
    assert_eq!(login(&emu, &plain.email, &plain.password).status, 200);
}

#[test]
fn altering_faults_keep_the_real_answer() {
    let emu = start();
    let plain = user(&emu, "no_tfa");
    let control = emu.control();

    control.push_fault(fault(None, Some(FaultBody::ExtraFields))).unwrap();
    let res = login(&emu, &plain.email, &plain.password);
    let json = res.json();
    assert!(json["emulatorExtra"].is_object() && json["response"]["emulatorExtra"].is_object());
    assert!(json["response"]["token"].is_string());
    assert_eq!(json["total"], 0);

    control.push_fault(fault(None, Some(FaultBody::NoSetCookie))).unwrap();
    let res = login(&emu, &plain.email, &plain.password);
    assert!(res.set_cookies().is_empty());
    assert!(res.response()["token"].is_string());

    control.push_fault(fault(None, Some(FaultBody::TruncatedJson))).unwrap();
    let res = login(&emu, &plain.email, &plain.password);
    assert_eq!(res.status, 200);
    assert!(res.text().starts_with(r#"{"response":{"token":"#));
    assert!(serde_json::from_slice::<serde_json::Value>(&res.body).is_err());
    assert_eq!(emu.control().user_state(&plain.email).unwrap().active_tokens, 3, "processed all three");

    // Error answers are altered too.
    control
        .push_fault(Fault { path: "/api/2.0/settings".into(), ..fault(None, Some(FaultBody::ExtraFields)) })
        .unwrap();
    let res = send(&emu, &Request::get("/api/2.0/settings/tfaappcodes").bearer(&plain.api_key));
    assert_eq!(res.status, 403);
    assert!(res.json()["error"]["emulatorExtra"].is_object());
}

#[test]
fn delays_drops_and_matching() {
    let emu = start();
    let plain = user(&emu, "no_tfa");
    let control = emu.control();

    control.push_fault(Fault { delay_ms: 300, ..fault(None, None) }).unwrap();
    let started = Instant::now();
    assert_eq!(login(&emu, &plain.email, &plain.password).status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));

    control.push_fault(Fault { drop_connection: true, ..fault(None, None) }).unwrap();
    let mut conn = Conn::open(&emu);
    let err = conn
        .send(&Request::post(LOGIN, &json!({"userName": plain.email, "password": plain.password})))
        .expect_err("dropped");
    assert!(matches!(err.kind(), std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset), "{err:?}");

    // Method and prefix matching, counted uses.
    control
        .push_fault(Fault {
            path: "/API/2.0/Settings/".into(),
            method: Some("get".into()),
            times: 2,
            ..fault(Some(503), None)
        })
        .unwrap();
    assert_eq!(login(&emu, &plain.email, &plain.password).status, 200, "other path");
    assert_eq!(send(&emu, &Request::put("/api/2.0/settings/tfaapp", &json!({}))).status, 401, "other method");
    assert_eq!(send(&emu, &Request::get("/api/2.0/settings/tfaapp")).status, 503);
    assert_eq!(control.pending_faults()[0].times, 1);
    assert_eq!(send(&emu, &Request::get("/api/2.0/settings/tfaappcodes")).status, 503);
    assert!(control.pending_faults().is_empty());
    assert_eq!(send(&emu, &Request::get("/api/2.0/settings/tfaapp")).status, 401);

    // Controls are never faulted.
    control.push_fault(Fault { path: "/".into(), times: 5, ..fault(Some(500), None) }).unwrap();
    assert_eq!(send(&emu, &Request::get("/__emulator/users")).status, 200);
    assert_eq!(control.clear_faults(), 1);
    assert!(control
        .push_fault(Fault { status: Some(500), body: Some(FaultBody::ExtraFields), ..fault(None, None) })
        .is_err());
}

#[test]
fn faults_over_http() {
    let emu = start();
    let plain = user(&emu, "no_tfa");
    let res = send(
        &emu,
        &Request::post(
            "/__emulator/faults",
            &json!({"path": "/api/2.0/authentication", "method": "POST", "times": 2, "status": 503, "body": "json-error",
                    "retry_after": "Wed, 21 Oct 2037 07:28:00 GMT", "delay_ms": 0, "drop_connection": false}),
        ),
    );
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["pending"], 1);
    let listed = send(&emu, &Request::get("/__emulator/faults")).json();
    assert_eq!(listed[0]["body"], "json-error");
    assert_eq!(listed[0]["times"], 2);

    let res = login(&emu, &plain.email, &plain.password);
    assert_eq!((res.status, res.header("retry-after")), (503, Some("Wed, 21 Oct 2037 07:28:00 GMT")));
    assert_eq!(send(&emu, &Request::new("DELETE", "/__emulator/faults")).json()["cleared"], 1);
    assert_eq!(login(&emu, &plain.email, &plain.password).status, 200);

    for bad in [json!({"path": "/x", "body": "bogus"}), json!({"path": "x"}), json!({"path": "/x", "extra": 1})] {
        assert_eq!(send(&emu, &Request::post("/__emulator/faults", &bad)).status, 400, "{bad}");
    }
    let res = send(
        &emu,
        &Request::post("/__emulator/faults", &json!({"path": "/api/2.0/authentication", "body": "no-set-cookie"})),
    );
    assert_eq!(res.status, 200);
    assert!(login(&emu, &plain.email, &plain.password).set_cookies().is_empty());
}
