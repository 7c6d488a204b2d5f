//! Redirects never carry credentials to another origin. A hand-written "portal" answers every
//! request with a 301/302/303/307/308 pointing at a second listener on another port (another
//! origin); that listener records every byte it receives. Whatever the flow (password in a
//! JSON body, code in the path and body, token as a cookie, confirm key in a header), nothing
//! reaches it and the client reports `UnexpectedResponse`. Redirects within the portal's
//! origin are followed. Loopback portals are never reached through a proxy either.

use std::io::{ErrorKind as IoErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use docspace_auth::totp::Totp;
use docspace_auth::{Challenge, Client, Error, ErrorKind, LoginOutcome, Session};
use docspace_emulator::{Config, Emulator};

type Respond = dyn Fn(usize, &[u8]) -> Vec<u8> + Send + Sync;

/// A one-request-per-connection HTTP/1.1 listener on 127.0.0.1 that records the raw bytes of
/// every request and answers with `respond(index, request)`.
struct Listener {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Vec<u8>>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Listener {
    fn start(respond: impl Fn(usize, &[u8]) -> Vec<u8> + Send + Sync + 'static) -> Listener {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let respond: Box<Respond> = Box::new(respond);
        let thread = {
            let (requests, stop) = (Arc::clone(&requests), Arc::clone(&stop));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((stream, _)) => serve_one(stream, &requests, &*respond),
                        Err(e) if e.kind() == IoErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(2)),
                        Err(e) => panic!("accept: {e}"),
                    }
                }
            })
        };
        Listener { addr, requests, stop, thread: Some(thread) }
    }

    /// A listener that answers every request with a JSON success envelope, as a portal would.
    fn recorder() -> Listener {
        Listener::start(|_, _| {
            http_response(
                "200 OK",
                &[],
                r#"{"response":{"token":"stolen","expires":"2027-11-23T00:05:12Z","sms":false,"tfa":false},"status":0,"statusCode":200}"#,
            )
        })
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<Vec<u8>> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Read one request (head, then `Content-Length` bytes of body), record it, answer, close.
fn serve_one(mut stream: TcpStream, requests: &Mutex<Vec<Vec<u8>>>, respond: &Respond) {
    stream.set_nonblocking(false).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    let body_start = loop {
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break Some(end + 4);
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break None,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    };
    if let Some(start) = body_start {
        let head = String::from_utf8_lossy(&raw[..start]).to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        while raw.len() < start + length {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => raw.extend_from_slice(&buf[..n]),
            }
        }
    }
    let index = {
        let mut requests = requests.lock().unwrap();
        requests.push(raw.clone());
        requests.len() - 1
    };
    let _ = stream.write_all(&respond(index, &raw));
    let _ = stream.flush();
}

fn http_response(status: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    out.into_bytes()
}

const REDIRECTS: [&str; 5] =
    ["301 Moved Permanently", "302 Found", "303 See Other", "307 Temporary Redirect", "308 Permanent Redirect"];

/// A portal that redirects every request to `target` (keeping the path).
fn redirecting_portal(status: &'static str, target: String) -> Listener {
    Listener::start(move |_, request| {
        let path = request_path(request);
        http_response(status, &[("Location", &format!("{target}{path}"))], "")
    })
}

fn request_path(request: &[u8]) -> String {
    let line = String::from_utf8_lossy(request).lines().next().unwrap_or_default().to_owned();
    line.split(' ').nth(1).unwrap_or("/").to_owned()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// `needle` as sent: raw, or percent-encoded as in the `Cookie` header.
fn contains_as_sent(haystack: &[u8], needle: &str) -> bool {
    let encoded: String = needle
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    contains(haystack, needle) || contains(haystack, &encoded)
}

/// The real emulator, for challenges with genuine confirm keys.
struct Secrets {
    emulator: Emulator,
    email: String,
    password: String,
    totp: Totp,
    auth_challenge: Challenge,
    activation_challenge: Challenge,
    token: String,
}

impl Secrets {
    fn new() -> Secrets {
        let emulator = Emulator::start(Config::default()).unwrap();
        let control = emulator.control();
        let password = "Pw-REDIRECT-5f2a9c71e4";
        let linked = control.add_user("redirect.linked@example.com", password, "linked").unwrap();
        let fresh = control.add_user("redirect.fresh@example.com", "Pw-REDIRECT-fresh-77d1", "not_linked").unwrap();
        let client = Client::new(emulator.url()).unwrap();
        let LoginOutcome::CodeRequired(auth_challenge) = client.login(&linked.email, &linked.password).unwrap() else {
            panic!("expected CodeRequired");
        };
        let LoginOutcome::SetupRequired(activation_challenge) = client.login(&fresh.email, &fresh.password).unwrap()
        else {
            panic!("expected SetupRequired");
        };
        let totp = Totp::new(linked.totp_secret.as_deref().unwrap()).unwrap();
        let session = client.login_with_code(&linked.email, &linked.password, totp.code_now().as_str()).unwrap();
        Secrets {
            emulator,
            email: linked.email,
            password: password.to_owned(),
            totp,
            auth_challenge,
            activation_challenge,
            token: session.token().to_owned(),
        }
    }
}

/// A flow's name, the call, and the secrets it sends.
type Flow<'a> = (&'static str, Box<dyn Fn(&Client) -> Result<(), Error> + 'a>, Vec<String>);

/// Every flow that carries a credential.
fn credential_flows(s: &Secrets) -> Vec<Flow<'_>> {
    let confirm_key = |c: &Challenge| c.confirm_key().expect("confirm key").to_owned();
    vec![
        ("login", Box::new(|c: &Client| c.login(&s.email, &s.password).map(drop)), vec![s.password.clone()]),
        (
            "login_with_code",
            Box::new(|c: &Client| c.login_with_code(&s.email, &s.password, "864209").map(drop)),
            vec![s.password.clone(), "864209".to_owned()],
        ),
        (
            "backup_codes",
            Box::new(|c: &Client| c.backup_codes(&Session::from_token(s.token.clone())).map(drop)),
            vec![s.token.clone()],
        ),
        (
            "is_authenticated",
            Box::new(|c: &Client| c.is_authenticated(&Session::from_token(s.token.clone())).map(drop)),
            vec![s.token.clone()],
        ),
        (
            "logout",
            Box::new(|c: &Client| c.logout(&Session::from_token(s.token.clone())).map(drop)),
            vec![s.token.clone()],
        ),
        (
            "backup_codes (API key)",
            Box::new(|c: &Client| c.backup_codes(&Session::from_api_key("sk-REDIRECT-apikey-0c9e")).map(drop)),
            vec!["sk-REDIRECT-apikey-0c9e".to_owned()],
        ),
        (
            "setup_app",
            Box::new(|c: &Client| c.setup_app(&s.activation_challenge).map(drop)),
            vec![confirm_key(&s.activation_challenge)],
        ),
        (
            "validate_app",
            Box::new(|c: &Client| c.validate_app(&s.auth_challenge, s.totp.code_now().as_str()).map(drop)),
            vec![confirm_key(&s.auth_challenge)],
        ),
        (
            "regenerate_backup_codes",
            Box::new(|c: &Client| c.regenerate_backup_codes(&Session::from_token(s.token.clone())).map(drop)),
            vec![s.token.clone()],
        ),
    ]
}

#[test]
fn redirects_to_another_origin_never_carry_credentials() {
    let secrets = Secrets::new();
    let mut cases = 0;
    for status in REDIRECTS {
        let elsewhere = Listener::recorder();
        let portal = redirecting_portal(status, elsewhere.url());
        let client = Client::new(portal.url()).unwrap();
        for (flow, call, sent) in credential_flows(&secrets) {
            let before = portal.requests().len();
            let error = call(&client).expect_err(flow);
            assert_eq!(error.kind(), ErrorKind::UnexpectedResponse, "{status} {flow}: {error}");
            assert!(error.message().contains("redirect"), "{status} {flow}: {error}");
            let status_code: u16 = status[..3].parse().unwrap();
            assert_eq!(error.status(), Some(status_code), "{flow}");
            let seen = portal.requests();
            assert_eq!(seen.len(), before + 1, "{status} {flow}: one request, no retry");
            for secret in &sent {
                // The portal itself did get the credential: the check below is meaningful.
                assert!(contains_as_sent(&seen[before], secret), "{flow}: the portal should have received {secret}");
                assert!(
                    !error.to_string().contains(secret.as_str()) && !format!("{error:?}").contains(secret.as_str())
                );
            }
            cases += 1;
        }
        assert!(
            elsewhere.requests().is_empty(),
            "{status}: the other origin received {} request(s)",
            elsewhere.requests().len()
        );
    }
    // Straight to stderr: shown even when the test harness captures output.
    let _ = std::io::stderr()
        .write_all(format!("redirects: {cases} cross-origin cases, no credential left the origin\n").as_bytes());
}

#[test]
fn redirects_to_the_same_listener_under_another_origin_are_not_followed() {
    // The same socket, but another origin: another host name, or another scheme.
    let secrets = Secrets::new();
    let targets: [fn(u16) -> String; 3] = [
        |port| format!("http://localhost:{port}"),
        |port| format!("//localhost:{port}"),
        |port| format!("https://127.0.0.1:{port}"),
    ];
    for target in targets {
        let portal = Listener::start(move |_, request| {
            let port = request_port(request);
            http_response(
                "307 Temporary Redirect",
                &[("Location", &format!("{}/api/2.0/authentication", target(port)))],
                "",
            )
        });
        let client = Client::new(portal.url()).unwrap();
        let error = client.login(&secrets.email, &secrets.password).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UnexpectedResponse, "{}: {error}", target(portal.addr.port()));
        assert_eq!(portal.requests().len(), 1, "{}: not followed", target(portal.addr.port()));
    }
}

/// The port of the request's `Host` header.
fn request_port(request: &[u8]) -> u16 {
    String::from_utf8_lossy(request)
        .lines()
        .find_map(|line| line.to_ascii_lowercase().strip_prefix("host:").map(str::to_owned))
        .and_then(|host| host.trim().rsplit(':').next().and_then(|p| p.parse().ok()))
        .expect("a Host header with a port")
}

#[test]
fn same_origin_redirects_are_followed() {
    let secrets = Secrets::new();
    let token_body = r#"{"response":{"token":"c2FtZS1vcmlnaW4=","expires":"2027-11-23T00:05:12Z","sms":false,"tfa":false},"status":0,"statusCode":200}"#;
    for status in ["307 Temporary Redirect", "308 Permanent Redirect"] {
        let portal = Listener::start(move |index, _| match index {
            0 => http_response(status, &[("Location", "/moved/api/2.0/authentication")], ""),
            _ => http_response("200 OK", &[], token_body),
        });
        let client = Client::new(portal.url()).unwrap();
        let outcome = client.login(&secrets.email, &secrets.password).expect("followed within the origin");
        let LoginOutcome::Authenticated(session) = outcome else { panic!("expected a session") };
        assert_eq!(session.token(), "c2FtZS1vcmlnaW4=");
        let seen = portal.requests();
        assert_eq!(seen.len(), 2);
        assert!(seen[1].starts_with(b"POST /moved/api/2.0/authentication "), "{status}: method and body kept");
        assert!(contains(&seen[1], &secrets.password), "{status}: a 307/308 re-sends the body to the same origin");
    }

    // A GET with a cookie, redirected within the origin: the cookie goes along.
    let portal = Listener::start(|index, _| match index {
        0 => http_response("302 Found", &[("Location", "/elsewhere/settings/tfaappcodes")], ""),
        _ => http_response(
            "200 OK",
            &[],
            r#"{"response":[{"isUsed":false,"code":"q7R-x2"}],"status":0,"statusCode":200}"#,
        ),
    });
    let client = Client::new(portal.url()).unwrap();
    let codes = client.backup_codes(&Session::from_token(secrets.token.clone())).unwrap();
    assert_eq!(codes.len(), 1);
    assert!(contains(&portal.requests()[1], "asc_auth_key="));
}

#[test]
fn redirect_loops_within_the_origin_stop() {
    let portal = Listener::start(|index, _| {
        http_response("307 Temporary Redirect", &[("Location", &format!("/loop/{index}"))], "")
    });
    let client = Client::new(portal.url()).unwrap();
    let started = Instant::now();
    let error = client.login("someone@example.com", "Pw-REDIRECT-loop").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnexpectedResponse, "{error}");
    let count = portal.requests().len();
    assert!((2..=6).contains(&count), "a bounded number of hops, got {count}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn secrets_emulator_is_usable() {
    // The fixture itself: the emulator produced real confirm keys and a live token.
    let secrets = Secrets::new();
    assert!(secrets.auth_challenge.confirm_key().is_some());
    assert!(secrets.activation_challenge.confirm_key().is_some());
    let client = Client::new(secrets.emulator.url()).unwrap();
    assert!(client.is_authenticated(&Session::from_token(secrets.token.clone())).unwrap());
}

/// Run by `loopback_portals_are_never_reached_through_a_proxy` in a child process with
/// `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY` set (the environment is process-wide, so the parent
/// test cannot set it for itself). Does nothing in a normal run.
#[test]
fn proxy_child() {
    let Ok(portal_url) = std::env::var("DOCSPACE_AUTH_PROXY_CHILD_PORTAL") else { return };
    let client = Client::new(portal_url).unwrap();
    let LoginOutcome::Authenticated(_) = client.login("proxy.child@example.com", "Pw-PROXYCHECK-3e8b1f").unwrap()
    else {
        panic!("expected a session");
    };
}

#[test]
fn loopback_portals_are_never_reached_through_a_proxy() {
    // A plain-http password must not travel to a proxy (which may be on another machine):
    // a loopback portal is always reached directly, even when the environment names a proxy.
    let emulator = Emulator::start(Config::default()).unwrap();
    emulator.control().add_user("proxy.child@example.com", "Pw-PROXYCHECK-3e8b1f", "no_tfa").unwrap();
    let proxy = Listener::recorder();
    for portal in [emulator.url().to_owned(), format!("http://localhost:{}", emulator.addr().port())] {
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "proxy_child", "--nocapture", "--test-threads=1"])
            .env("DOCSPACE_AUTH_PROXY_CHILD_PORTAL", &portal)
            .env("HTTP_PROXY", proxy.url())
            .env("http_proxy", proxy.url())
            .env("HTTPS_PROXY", proxy.url())
            .env("ALL_PROXY", proxy.url())
            .env_remove("NO_PROXY")
            .env_remove("no_proxy")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{portal}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("1 passed"), "the child ran the flow");
        assert!(
            proxy.requests().is_empty(),
            "{portal}: the proxy received {:?}",
            proxy.requests().first().map(|r| String::from_utf8_lossy(r).into_owned())
        );
    }
}
