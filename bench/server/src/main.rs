//! The benchmark server: HTTP/1.1 with keep-alive on a loopback port, a thread per
//! connection, and fixed DocSpace-shaped answers for the login-by-code flow:
//!
//! - `POST /api/2.0/authentication` (a JSON body with `userName` and `password`): the 2FA
//!   challenge of an account with a linked app (`tfa: true`, a `TfaAuth` confirm URL) and the
//!   `asc_confirm_key_TfaAuth` cookie;
//! - `POST /api/2.0/authentication/{6 digits}` (a JSON body with the `code`): a login token,
//!   in the body and in the `asc_auth_key` cookie;
//! - `GET /__bench/stats`: how many of each were answered, and how many were refused (a
//!   client that skips the body or sends a malformed code gets a 400 and is counted here).
//!
//! The answers are built once at start-up; answering costs a header scan and one `write`.
//! Usage: `docspace-bench-server [--port N]` (0, the default, picks a free port). The first
//! line on stdout is `listening on http://127.0.0.1:PORT`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

const UID: &str = "9a1e28c4-51f2-4f6b-b0a3-0c21e7f2a7d1";
/// A login token of the portal's shape and length (base64 with `+`, `/` and `=`).
const TOKEN: &str = "8rT2kQ+ZxVb0n1Lw3M9pYc/Hd5sJ7gE2aF4uRtK6oWq1ZyXv0N8mB3CjD5hG7kP9sL2xQ4wE6rT8yU0iO1pA3sD5fG7hJ9kL1zX3cV5bN7mQ9wE2rT4yU6iO8pA0s==";
/// The confirm key cookie value, percent-encoded as ASP.NET writes it.
const CONFIRM_KEY: &str = "1767225600.Qm9vdGggc3RyZWV0IGJlbmNoIGtleSBmb3IgVGZhQXV0aA%3D%3D";
const MAX_HEAD: usize = 16 * 1024;
const MAX_BODY: usize = 64 * 1024;

#[derive(Default)]
struct Stats {
    login: AtomicU64,
    code: AtomicU64,
    refused: AtomicU64,
    connections: AtomicU64,
}

struct Answers {
    login: Vec<u8>,
    code: Vec<u8>,
    bad_request: Vec<u8>,
    not_found: Vec<u8>,
}

fn answer(status: &str, extra_headers: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n{extra_headers}\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn error_answer(status: u16, reason: &str, message: &str) -> Vec<u8> {
    let body = format!(
        r#"{{"error":{{"message":"{message}","type":null,"stack":null,"hresult":0}},"status":1,"statusCode":{status}}}"#
    );
    answer(&format!("{status} {reason}"), "", &body)
}

impl Answers {
    fn new(base: &str) -> Answers {
        let login_body = format!(
            r#"{{"response":{{"expires":"0001-01-01T00:00:00","sms":false,"tfa":true,"confirmUrl":"{base}/confirm/TfaAuth?type=TfaAuth&uid={UID}"}},"count":1,"links":[{{"href":"{base}/api/2.0/authentication","action":"POST"}}],"status":0,"statusCode":200}}"#
        );
        let code_body = format!(
            r#"{{"response":{{"token":"{TOKEN}","expires":"2027-01-01T00:00:00.0000000Z","sms":false,"tfa":true}},"count":1,"links":[{{"href":"{base}/api/2.0/authentication","action":"POST"}}],"status":0,"statusCode":200}}"#
        );
        let token_cookie = TOKEN.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D");
        Answers {
            login: answer(
                "200 OK",
                &format!("Set-Cookie: asc_confirm_key_TfaAuth={CONFIRM_KEY}; path=/; samesite=strict; httponly\r\n"),
                &login_body,
            ),
            code: answer(
                "200 OK",
                &format!(
                    "Set-Cookie: asc_auth_key={token_cookie}; expires=Fri, 01 Jan 2027 00:00:00 GMT; path=/; samesite=strict; httponly\r\n"
                ),
                &code_body,
            ),
            bad_request: error_answer(400, "Bad Request", "The benchmark server refused the request"),
            not_found: error_answer(404, "Not Found", "Not found"),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// What a request head says: method, path, body length, whether to close after answering.
struct Head<'a> {
    method: &'a [u8],
    path: &'a [u8],
    content_length: usize,
    close: bool,
    chunked: bool,
}

fn parse_head(head: &[u8]) -> Option<Head<'_>> {
    let mut lines = head.split(|&b| b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let mut request_line = lines.next()?.split(|&b| b == b' ');
    let method = request_line.next()?;
    let path = request_line.next()?;
    let version = request_line.next()?;
    let mut parsed = Head { method, path, content_length: 0, close: version == b"HTTP/1.0", chunked: false };
    for line in lines {
        let Some(colon) = line.iter().position(|&b| b == b':') else { continue };
        let name = &line[..colon];
        let value = line[colon + 1..].trim_ascii();
        if name.eq_ignore_ascii_case(b"content-length") {
            parsed.content_length = std::str::from_utf8(value).ok()?.parse().ok()?;
        } else if name.eq_ignore_ascii_case(b"connection") {
            if value.eq_ignore_ascii_case(b"close") {
                parsed.close = true;
            } else if value.eq_ignore_ascii_case(b"keep-alive") {
                parsed.close = false;
            }
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            parsed.chunked = true;
        }
    }
    Some(parsed)
}

fn route<'a>(answers: &'a Answers, stats: &Stats, method: &[u8], path: &[u8], body: &[u8]) -> &'a [u8] {
    const AUTH: &[u8] = b"/api/2.0/authentication";
    let path = path.split(|&b| b == b'?').next().unwrap_or(path);
    if method == b"GET" && path == b"/__bench/stats" {
        return &[];
    }
    if method != b"POST" || !path.starts_with(AUTH) {
        stats.refused.fetch_add(1, Ordering::Relaxed);
        return &answers.not_found;
    }
    let rest = &path[AUTH.len()..];
    if rest.is_empty() {
        if find(body, b"\"userName\"").is_some() && find(body, b"\"password\"").is_some() {
            stats.login.fetch_add(1, Ordering::Relaxed);
            return &answers.login;
        }
    } else if let Some(code) = rest.strip_prefix(b"/") {
        let mut quoted = Vec::with_capacity(code.len() + 2);
        quoted.push(b'"');
        quoted.extend_from_slice(code);
        quoted.push(b'"');
        if code.len() == 6 && code.iter().all(u8::is_ascii_digit) && find(body, &quoted).is_some() {
            stats.code.fetch_add(1, Ordering::Relaxed);
            return &answers.code;
        }
    }
    stats.refused.fetch_add(1, Ordering::Relaxed);
    &answers.bad_request
}

fn serve(mut stream: TcpStream, answers: &Answers, stats: &Stats) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buf = vec![0u8; MAX_HEAD + MAX_BODY];
    let mut filled = 0;
    loop {
        // One complete request (head and body) at the front of `buf`?
        let head_end = loop {
            if let Some(pos) = find(&buf[..filled], b"\r\n\r\n") {
                break pos + 4;
            }
            if filled >= MAX_HEAD {
                stream.write_all(&answers.bad_request)?;
                return Ok(());
            }
            let n = stream.read(&mut buf[filled..])?;
            if n == 0 {
                return Ok(());
            }
            filled += n;
        };
        let Some(head) = parse_head(&buf[..head_end]) else {
            stream.write_all(&answers.bad_request)?;
            return Ok(());
        };
        if head.chunked || head.content_length > MAX_BODY {
            stats.refused.fetch_add(1, Ordering::Relaxed);
            stream.write_all(&answers.bad_request)?;
            return Ok(());
        }
        let (content_length, close) = (head.content_length, head.close);
        let total = head_end + content_length;
        while filled < total {
            let n = stream.read(&mut buf[filled..])?;
            if n == 0 {
                return Ok(());
            }
            filled += n;
        }
        let head = parse_head(&buf[..head_end]).expect("parsed above");
        let reply = route(answers, stats, head.method, head.path, &buf[head_end..total]);
        if reply.is_empty() {
            let body = format!(
                r#"{{"login":{},"code":{},"refused":{},"connections":{}}}"#,
                stats.login.load(Ordering::Relaxed),
                stats.code.load(Ordering::Relaxed),
                stats.refused.load(Ordering::Relaxed),
                stats.connections.load(Ordering::Relaxed)
            );
            stream.write_all(&answer("200 OK", "", &body))?;
        } else {
            stream.write_all(reply)?;
        }
        if close {
            return Ok(());
        }
        buf.copy_within(total..filled, 0);
        filled -= total;
    }
}

fn main() {
    let mut port = 0u16;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => port = args.next().and_then(|p| p.parse().ok()).expect("--port N"),
            other => panic!("unknown argument {other}; usage: docspace-bench-server [--port N]"),
        }
    }
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("local address").port();
    let base = format!("http://127.0.0.1:{port}");
    let answers: &'static Answers = Box::leak(Box::new(Answers::new(&base)));
    let stats = Arc::new(Stats::default());
    println!("listening on {base}");
    std::io::stdout().flush().ok();
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let stats = Arc::clone(&stats);
        stats.connections.fetch_add(1, Ordering::Relaxed);
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let _ = serve(stream, answers, &stats);
            })
            .expect("spawn a connection thread");
    }
}
