//! Transport and lifecycle: TLS, keep-alive under concurrency, shutdown, the HTTP controls and
//! the binary's startup contract.

mod common;

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::Arc;

use common::*;
use docspace_emulator::{Config, Emulator, TlsConfig};
use serde_json::json;

#[test]
fn tls_round_trip_with_secure_cookies() {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let tls = TlsConfig { cert_chain_pem: cert.cert.pem(), private_key_pem: cert.signing_key.serialize_pem() };
    let emu = Emulator::start(Config { tls: Some(tls), ..Config::default() }).unwrap();
    assert_eq!(emu.url(), format!("https://localhost:{}", emu.addr().port()));

    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.cert.der().clone()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let client = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let tcp = TcpStream::connect(emu.addr()).unwrap();
    let mut conn = Conn::over(rustls::StreamOwned::new(client, tcp), &format!("localhost:{}", emu.addr().port()));

    let plain = user(&emu, "no_tfa");
    let res = conn
        .send(&Request::post("/api/2.0/authentication", &json!({"userName": plain.email, "password": plain.password})))
        .unwrap();
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(res.set_cookies()[0].contains("; path=/; secure; samesite=strict; httponly"));
    assert_eq!(res.json()["links"][0]["href"], format!("{}/api/2.0/authentication", emu.url()));
    // Same connection, kept alive.
    let token = res.response()["token"].as_str().unwrap().to_owned();
    let res = conn.send(&Request::get("/api/2.0/authentication").bearer(&token)).unwrap();
    assert_eq!(res.response(), true);

    // The otpauth issuer is the host the request came to, without the port.
    let setup = user(&emu, "not_linked");
    let res = conn
        .send(&Request::post("/api/2.0/authentication", &json!({"userName": setup.email, "password": setup.password})))
        .unwrap();
    assert!(res.response()["confirmUrl"].as_str().unwrap().starts_with(emu.url()));
    assert!(res.set_cookies()[0].contains("; secure;"));
}

#[test]
fn bad_tls_material_is_an_error() {
    let tls = TlsConfig { cert_chain_pem: "nope".into(), private_key_pem: "nope".into() };
    let err = Emulator::start(Config { tls: Some(tls), ..Config::default() }).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
}

#[test]
fn fifty_concurrent_keep_alive_clients() {
    let emu = Arc::new(start());
    let control = emu.control();
    let workers: Vec<_> = (0..50)
        .map(|i| {
            let emu = Arc::clone(&emu);
            let control = control.clone();
            std::thread::spawn(move || {
                let email = format!("worker{i}@example.com");
                let user =
                    control.add_user(&email, "Worker#Pass-1", if i % 2 == 0 { "no_tfa" } else { "linked" }).unwrap();
                let mut conn = Conn::open(&emu);
                for _ in 0..20 {
                    let body = json!({"userName": user.email, "password": user.password});
                    let res = conn.send(&Request::post("/api/2.0/authentication", &body)).unwrap();
                    assert_eq!(res.status, 200);
                    let token = if user.kind == "linked" {
                        assert_eq!(res.response()["tfa"], true);
                        let code = control.user_state(&email).unwrap().totp_now.unwrap();
                        let body = json!({"userName": user.email, "password": user.password, "code": code});
                        let res = conn.send(&Request::post(&format!("/api/2.0/authentication/{code}"), &body)).unwrap();
                        assert_eq!(res.status, 200, "{}", res.text());
                        res.response()["token"].as_str().unwrap().to_owned()
                    } else {
                        res.response()["token"].as_str().unwrap().to_owned()
                    };
                    let res = conn.send(&Request::get("/api/2.0/authentication").bearer(&token)).unwrap();
                    assert_eq!(res.response(), true);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("worker");
    }
    assert_eq!(emu.users().len(), 56);
    let secrets: std::collections::HashSet<_> = emu.users().into_iter().filter_map(|u| u.totp_secret).collect();
    assert_eq!(secrets.len(), 26, "every linked user has its own key");
}

#[test]
fn drop_stops_the_server() {
    let emu = start();
    let addr = emu.addr();
    let mut conn = Conn::open(&emu);
    assert_eq!(conn.send(&Request::get("/api/2.0/authentication")).unwrap().status, 200);
    drop(emu);
    assert!(TcpStream::connect(addr).is_err() || conn.send(&Request::get("/api/2.0/authentication")).is_err());
}

#[test]
fn http_controls() {
    let emu = start();
    let res = send(&emu, &Request::get("/__emulator/users"));
    let users = res.json();
    assert_eq!(users.as_array().unwrap().len(), 6);
    assert_eq!(users[0]["email"], "admin@example.com");
    assert_eq!(users[3]["totp_secret"], "LJVTCTSWGJYEOYSV");
    assert_eq!(users[1]["totp_secret"], serde_json::Value::Null);
    assert!(users[0]["api_key"].as_str().unwrap().starts_with("sk-"));

    let res = send(
        &emu,
        &Request::post(
            "/__emulator/users",
            &json!({"email": "new@example.com", "password": "New#Pass-1", "kind": "not_linked"}),
        ),
    );
    assert_eq!(res.status, 200, "{}", res.text());
    let id = res.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 36);
    assert_eq!(
        send(
            &emu,
            &Request::post(
                "/__emulator/users",
                &json!({"email": "NEW@example.com", "password": "x", "kind": "no_tfa"})
            )
        )
        .status,
        409
    );
    assert_eq!(
        send(
            &emu,
            &Request::post("/__emulator/users", &json!({"email": "x@example.com", "password": "x", "kind": "root"}))
        )
        .status,
        400
    );
    assert_eq!(login(&emu, "new@example.com", "New#Pass-1").response()["tfa"], true);

    let state = send(&emu, &Request::get("/__emulator/users/linked%40example.com")).json();
    assert_eq!(state["linked"], true);
    assert_eq!(state["backup_codes"].as_array().unwrap().len(), 5);
    assert_eq!(state["backup_codes"][0]["isUsed"], false);
    assert_eq!(state["totp_now"].as_str().unwrap().len(), 6);
    assert_eq!(send(&emu, &Request::get("/__emulator/users/ghost@example.com")).status, 404);

    let res = send(&emu, &Request::post("/__emulator/clock", &json!({"offset_seconds": -120})));
    assert_eq!(res.json()["offset_seconds"], -120);
    assert_eq!(emu.control().clock_offset(), -120);

    // Reset: seeded users unchanged, added ones gone, clock back.
    let before = emu.users()[..6].to_vec();
    assert_eq!(send(&emu, &Request::post("/__emulator/reset", &json!({}))).status, 200);
    assert_eq!(emu.users(), before);
    assert_eq!(emu.control().clock_offset(), 0);
    assert!(emu.control().user_state("new@example.com").is_none());

    assert_eq!(send(&emu, &Request::get("/__emulator/nope")).status, 404);
    assert_eq!(send(&emu, &Request::get("/__emulator/reset")).status, 405);
}

#[test]
fn reset_restores_the_seeded_tfa_state() {
    let emu = start();
    let linked = user(&emu, "linked");
    let codes = emu.control().user_state(&linked.email).unwrap().backup_codes;
    let token = tfa_token_for(&emu, &linked);
    send(&emu, &Request::put("/api/2.0/settings/tfaappnewapp", &json!({"id": linked.id})).bearer(&token));
    assert!(!emu.control().user_state(&linked.email).unwrap().linked);
    emu.control().reset();
    let state = emu.control().user_state(&linked.email).unwrap();
    assert_eq!(state.backup_codes, codes);
    assert_eq!(state.totp_secret.as_deref(), Some("LJVTCTSWGJYEOYSV"));
    assert_eq!(state.active_tokens, 0);
}

#[test]
fn confirm_keys_are_bound_to_the_machine_key() {
    let key = b"fixed machine key".to_vec();
    let a = Emulator::start(Config { machine_key: Some(key.clone()), ..Config::default() }).unwrap();
    let b = Emulator::start(Config { machine_key: Some(key), ..Config::default() }).unwrap();
    let c = start();
    let setup = user(&a, "not_linked");
    let key_a = login(&a, &setup.email, &setup.password).cookie("asc_confirm_key_TfaActivation").unwrap();
    let confirm = format!("type=TfaActivation&uid={}&key={key_a}", setup.id);
    let setup_path = "/api/2.0/settings/tfaapp/setup";
    assert_eq!(send(&b, &Request::get(setup_path).confirm(&confirm)).status, 200, "same machine key");
    assert_eq!(send(&c, &Request::get(setup_path).confirm(&confirm)).status, 401, "another machine key");
}

#[test]
fn binary_prints_the_url_first_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_docspace-emulator"))
        .args(["--port", "0", "--machine-key", "00ff10"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first.strip_prefix("docspace-emulator listening on ").expect(&first).to_owned();
    let users: Vec<String> = lines.by_ref().take(6).map(Result::unwrap).collect();
    assert!(users[0].starts_with("user email=admin@example.com password=Owner#Pass-2026 kind=admin id="));
    assert!(users[3].contains(" totp_secret=LJVTCTSWGJYEOYSV api_key=sk-"));

    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    let mut conn = Conn::over(TcpStream::connect(("127.0.0.1", port)).unwrap(), &format!("127.0.0.1:{port}"));
    let res = conn.send(&Request::get("/api/2.0/authentication")).unwrap();
    assert_eq!(res.response(), false);
    child.kill().unwrap();
    child.wait().unwrap();

    let bad = Command::new(env!("CARGO_BIN_EXE_docspace-emulator")).args(["--port", "x"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
