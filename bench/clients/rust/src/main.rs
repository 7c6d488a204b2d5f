//! Rust benchmark clients. `docspace-bench-rust IMPL MODE URL N WARMUP THREADS`:
//!
//! - IMPL `api`: the docspace-auth Rust API (`Client::login`, `Totp::code_now`,
//!   `Client::login_with_code`);
//! - IMPL `reqwest`: the anchor, what a Rust user would write without the library: one
//!   `reqwest::blocking::Client` (same reqwest build as the library), JSON bodies with
//!   serde_json, typed answers, the confirm cookie picked out, the code from totp-rs;
//! - IMPL `socket`: the floor, HTTP/1.1 written and read by hand over one socket.
//!
//! Modes and output (one JSON line) are described in bench/README.md.

use std::io::Read;
use std::sync::{Arc, Barrier};
use std::time::Instant;

use serde::{Deserialize, Serialize};

const USER: &str = "bench@example.com";
const PASSWORD: &str = "bench-password-1";
/// A 160-bit secret (RFC 4226's test key). DocSpace issues 80-bit secrets, but pyotp (2.10+)
/// and totp-rs refuse secrets under 112 / 128 bits, so every client uses this one.
const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

trait Flow: Sized + Send + Sync {
    fn new(url: &str) -> Self;
    /// One login-by-code flow; returns the token's length (checked by the caller).
    fn flow(&self) -> usize;
}

struct Api {
    client: docspace_auth::Client,
    totp: docspace_auth::totp::Totp,
}

impl Flow for Api {
    fn new(url: &str) -> Self {
        Api {
            client: docspace_auth::Client::new(url).expect("client"),
            totp: docspace_auth::totp::Totp::new(SECRET).expect("secret"),
        }
    }

    fn flow(&self) -> usize {
        match self.client.login(USER, PASSWORD).expect("login") {
            docspace_auth::LoginOutcome::CodeRequired(_) => {}
            _ => panic!("expected CodeRequired"),
        }
        let code = self.totp.code_now();
        let session = self.client.login_with_code(USER, PASSWORD, code.as_str()).expect("login_with_code");
        session.token().len()
    }
}

struct Raw {
    http: reqwest::blocking::Client,
    login_url: String,
    base: String,
    totp: totp_rs::Totp,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Credentials<'a> {
    user_name: &'a str,
    password: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    session: bool,
}

#[derive(Deserialize)]
struct Envelope<T> {
    response: T,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct AuthAnswer {
    token: Option<String>,
    expires: Option<String>,
    #[serde(default)]
    tfa: bool,
    #[serde(default)]
    sms: bool,
    confirm_url: Option<String>,
}

impl Raw {
    fn post(&self, url: &str, body: &Credentials<'_>) -> (Vec<u8>, Option<String>) {
        let response = self
            .http
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(body).expect("json"))
            .send()
            .expect("send");
        assert!(response.status().is_success(), "HTTP {}", response.status());
        let cookie =
            response.headers().get_all(reqwest::header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(
                |c| c.strip_prefix("asc_confirm_key_TfaAuth=").map(|v| v.split(';').next().unwrap_or("").to_owned()),
            );
        let mut bytes = Vec::new();
        response.take(1 << 20).read_to_end(&mut bytes).expect("body");
        (bytes, cookie)
    }
}

impl Flow for Raw {
    fn new(url: &str) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let secret = totp_rs::Secret::try_from_base32(SECRET).expect("secret");
        Raw {
            http: reqwest::blocking::Client::builder().build().expect("client"),
            login_url: format!("{url}/api/2.0/authentication"),
            base: format!("{url}/api/2.0/authentication/"),
            totp: totp_rs::Builder::new()
                .with_algorithm(totp_rs::Algorithm::SHA1)
                .with_digits(6)
                .with_step_duration(30)
                .with_secret(secret)
                .build()
                .expect("totp"),
        }
    }

    fn flow(&self) -> usize {
        let creds = Credentials { user_name: USER, password: PASSWORD, code: None, session: false };
        let (body, cookie) = self.post(&self.login_url, &creds);
        let answer: Envelope<AuthAnswer> = serde_json::from_slice(&body).expect("login answer");
        assert!(answer.response.tfa && answer.response.token.is_none(), "expected a 2FA challenge");
        assert!(answer.response.confirm_url.is_some_and(|u| u.contains("type=TfaAuth")), "confirm URL");
        assert!(cookie.is_some(), "confirm key cookie");
        let code = self.totp.generate_current().to_string();
        let creds = Credentials { user_name: USER, password: PASSWORD, code: Some(&code), session: false };
        let (body, _) = self.post(&format!("{}{code}", self.base), &creds);
        let answer: Envelope<AuthAnswer> = serde_json::from_slice(&body).expect("token answer");
        answer.response.token.expect("token").len()
    }
}

/// The floor: HTTP/1.1 written and read by hand over one kept-alive socket (the requests and
/// answer framing only; the token found by a substring search). Not an anchor: it measures
/// what the server and the loopback round trips cost on this machine.
struct Socket {
    stream: std::sync::Mutex<(std::net::TcpStream, Vec<u8>)>,
    host: String,
    totp: docspace_auth::totp::Totp,
}

impl Socket {
    fn exchange(&self, path: &str, body: &str) -> Vec<u8> {
        use std::io::Write;
        let mut guard = self.stream.lock().expect("lock");
        let (stream, buf) = &mut *guard;
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.host,
            body.len()
        );
        stream.write_all(request.as_bytes()).expect("write");
        buf.clear();
        let mut chunk = [0u8; 4096];
        loop {
            let n = stream.read(&mut chunk).expect("read");
            assert!(n > 0, "connection closed");
            buf.extend_from_slice(&chunk[..n]);
            if let Some(head_end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = std::str::from_utf8(&buf[..head_end]).expect("head");
                let len: usize = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().expect("length"))
                    })
                    .expect("content-length");
                if buf.len() >= head_end + 4 + len {
                    assert!(head.starts_with("HTTP/1.1 200"), "status");
                    return buf[head_end + 4..head_end + 4 + len].to_vec();
                }
            }
        }
    }
}

impl Flow for Socket {
    fn new(url: &str) -> Self {
        let host = url.trim_start_matches("http://").to_owned();
        let stream = std::net::TcpStream::connect(&host).expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Socket {
            stream: std::sync::Mutex::new((stream, Vec::with_capacity(4096))),
            host,
            totp: docspace_auth::totp::Totp::new(SECRET).expect("secret"),
        }
    }

    fn flow(&self) -> usize {
        let creds = format!(r#"{{"userName":"{USER}","password":"{PASSWORD}","session":false}}"#);
        let answer = self.exchange("/api/2.0/authentication", &creds);
        assert!(answer.windows(7).any(|w| w == b"TfaAuth"), "challenge");
        let code = self.totp.code_now();
        let creds =
            format!(r#"{{"userName":"{USER}","password":"{PASSWORD}","code":"{}","session":false}}"#, code.as_str());
        let answer = self.exchange(&format!("/api/2.0/authentication/{}", code.as_str()), &creds);
        let start = answer.windows(9).position(|w| w == b"\"token\":\"").expect("token") + 9;
        answer[start..].iter().position(|&b| b == b'"').expect("token end")
    }
}

/// The experiment: the same requests and parsing as `Raw`, on reqwest's async client driven by
/// a current-thread tokio runtime on the calling thread (`block_on`), so no request hops to
/// the blocking client's runtime thread and back. Single-threaded use only (W1, cold, mem).
struct AsyncCt {
    rt: tokio::runtime::Runtime,
    http: reqwest::Client,
    login_url: String,
    totp: totp_rs::Totp,
}

impl AsyncCt {
    async fn post(&self, url: &str, body: &Credentials<'_>) -> (Vec<u8>, Option<String>) {
        let response = self
            .http
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(body).expect("json"))
            .send()
            .await
            .expect("send");
        assert!(response.status().is_success(), "HTTP {}", response.status());
        let cookie =
            response.headers().get_all(reqwest::header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(
                |c| c.strip_prefix("asc_confirm_key_TfaAuth=").map(|v| v.split(';').next().unwrap_or("").to_owned()),
            );
        (response.bytes().await.expect("body").to_vec(), cookie)
    }
}

impl Flow for AsyncCt {
    fn new(url: &str) -> Self {
        let raw = Raw::new(url);
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let http = rt.block_on(async { reqwest::Client::builder().build() }).expect("client");
        AsyncCt { rt, http, login_url: raw.login_url, totp: raw.totp }
    }

    fn flow(&self) -> usize {
        self.rt.block_on(async {
            let creds = Credentials { user_name: USER, password: PASSWORD, code: None, session: false };
            let (body, cookie) = self.post(&self.login_url, &creds).await;
            let answer: Envelope<AuthAnswer> = serde_json::from_slice(&body).expect("login answer");
            assert!(answer.response.tfa && answer.response.token.is_none(), "expected a 2FA challenge");
            assert!(cookie.is_some(), "confirm key cookie");
            let code = self.totp.generate_current().to_string();
            let creds = Credentials { user_name: USER, password: PASSWORD, code: Some(&code), session: false };
            let (body, _) = self.post(&format!("{}/{code}", self.login_url), &creds).await;
            let answer: Envelope<AuthAnswer> = serde_json::from_slice(&body).expect("token answer");
            answer.response.token.expect("token").len()
        })
    }
}

fn rss_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn w1<F: Flow>(url: &str, n: usize, warmup: usize) {
    let client = F::new(url);
    for _ in 0..warmup {
        assert!(client.flow() > 0);
    }
    let mut times = Vec::with_capacity(n);
    let start = Instant::now();
    for _ in 0..n {
        let t = Instant::now();
        assert!(client.flow() > 0);
        times.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let total = start.elapsed().as_secs_f64();
    times.sort_by(f64::total_cmp);
    println!(
        r#"{{"n":{n},"median_us":{:.2},"p99_us":{:.2},"flows_per_s":{:.1},"rss_kib":{},"hwm_kib":{}}}"#,
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        n as f64 / total,
        rss_kib("VmRSS:"),
        rss_kib("VmHWM:")
    );
}

fn w3<F: Flow + 'static>(url: &str, n: usize, warmup: usize, threads: usize) {
    // One client shared by every thread (each flow function is documented thread-safe; for
    // reqwest a Client is a shared pool too).
    let client = Arc::new(F::new(url));
    let barrier = Arc::new(Barrier::new(threads + 1));
    let per_thread = n / threads;
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (client, barrier) = (Arc::clone(&client), Arc::clone(&barrier));
            std::thread::spawn(move || {
                for _ in 0..warmup {
                    client.flow();
                }
                barrier.wait();
                for _ in 0..per_thread {
                    assert!(client.flow() > 0);
                }
            })
        })
        .collect();
    barrier.wait();
    let start = Instant::now();
    for h in handles {
        h.join().expect("thread");
    }
    let total = start.elapsed().as_secs_f64();
    println!(
        r#"{{"threads":{threads},"n":{},"flows_per_s":{:.1}}}"#,
        per_thread * threads,
        (per_thread * threads) as f64 / total
    );
}

fn mem<F: Flow>(url: &str, extra: usize) {
    let first = F::new(url);
    first.flow();
    let base = rss_kib("VmRSS:");
    let mut clients = Vec::with_capacity(extra);
    for _ in 0..extra {
        clients.push(F::new(url));
    }
    let idle = rss_kib("VmRSS:");
    for c in &clients {
        c.flow();
    }
    let used = rss_kib("VmRSS:");
    println!(
        r#"{{"extra":{extra},"rss_base_kib":{base},"rss_idle_kib":{idle},"rss_used_kib":{used},"per_handle_idle_kib":{:.1},"per_handle_used_kib":{:.1}}}"#,
        (idle - base) as f64 / extra as f64,
        (used - base) as f64 / extra as f64
    );
}

/// Where the RSS of one reqwest blocking client goes: `memparts N` creates N of each part and
/// prints the mean RSS growth per unit (profiling aid for the "one extra handle" target).
fn memparts(n: usize) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut out = Vec::new();
    let mut measure = |name: &str, f: &mut dyn FnMut() -> Box<dyn std::any::Any>| {
        let before = rss_kib("VmRSS:");
        let kept: Vec<_> = (0..n).map(|_| f()).collect();
        let after = rss_kib("VmRSS:");
        out.push(format!(r#""{name}":{:.1}"#, (after - before) as f64 / n as f64));
        std::mem::forget(kept);
    };
    measure("parked_thread_kib", &mut || {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        std::thread::spawn(move || {
            let _ = rx.recv();
        });
        Box::new(tx)
    });
    measure("tokio_current_thread_runtime_kib", &mut || {
        Box::new(tokio::runtime::Builder::new_current_thread().enable_all().build().expect("rt"))
    });
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("rt");
    let guard = rt.enter();
    measure("reqwest_async_client_kib", &mut || Box::new(reqwest::Client::builder().build().expect("client")));
    let tls =
        rustls::ClientConfig::builder().with_root_certificates(rustls::RootCertStore::empty()).with_no_client_auth();
    measure("reqwest_async_client_shared_tls_kib", &mut || {
        Box::new(reqwest::Client::builder().use_preconfigured_tls(tls.clone()).build().expect("client"))
    });
    measure("rustls_platform_verifier_kib", &mut || {
        let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
        Box::new(rustls_platform_verifier::Verifier::new(provider).expect("verifier"))
    });
    drop(guard);
    measure("reqwest_blocking_client_shared_tls_kib", &mut || {
        Box::new(reqwest::blocking::Client::builder().use_preconfigured_tls(tls.clone()).build().expect("client"))
    });
    measure("reqwest_blocking_client_kib", &mut || {
        Box::new(reqwest::blocking::Client::builder().build().expect("client"))
    });
    println!("{{{}}}", out.join(","));
}

fn run<F: Flow + 'static>(mode: &str, url: &str, n: usize, warmup: usize, threads: usize) {
    match mode {
        "w1" => w1::<F>(url, n, warmup),
        "w3" => w3::<F>(url, n, warmup, threads),
        "cold" => {
            assert!(F::new(url).flow() > 0);
            println!(r#"{{"ok":true}}"#);
        }
        "mem" => mem::<F>(url, n),
        other => panic!("unknown mode {other}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let get = |i: usize, default: usize| args.get(i).and_then(|v| v.parse().ok()).unwrap_or(default);
    let (imp, mode, url) = (args[1].as_str(), args[2].as_str(), args[3].trim_end_matches('/'));
    let (n, warmup, threads) = (get(4, 1000), get(5, 100), get(6, 1));
    if imp == "memparts" {
        return memparts(n);
    }
    match imp {
        "api" => run::<Api>(mode, url, n, warmup, threads),
        "reqwest" => run::<Raw>(mode, url, n, warmup, threads),
        "socket" => run::<Socket>(mode, url, n, warmup, threads),
        "reqwest-async" => run::<AsyncCt>(mode, url, n, warmup, threads),
        other => panic!("unknown implementation {other}"),
    }
}
