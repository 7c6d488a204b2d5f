//! A deliberately tiny HTTP/1.1 client over `std::net` for the emulator's own tests, so they
//! exercise the real loopback server without depending on the docspace-auth client.

#![allow(dead_code)] // each test file uses a different part of it

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use docspace_emulator::{Config, Emulator, SeedUser};
use serde_json::Value;

pub fn start() -> Emulator {
    Emulator::start(Config::default()).expect("emulator starts")
}

pub fn user(emulator: &Emulator, kind: &str) -> SeedUser {
    emulator.users().into_iter().find(|u| u.kind == kind).expect("seeded kind")
}

#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

impl Request {
    pub fn new(method: &str, path: &str) -> Request {
        Request { method: method.to_owned(), path: path.to_owned(), headers: Vec::new(), body: None }
    }

    pub fn get(path: &str) -> Request {
        Request::new("GET", path)
    }

    pub fn post(path: &str, body: &Value) -> Request {
        Request::new("POST", path).json(body)
    }

    pub fn put(path: &str, body: &Value) -> Request {
        Request::new("PUT", path).json(body)
    }

    pub fn header(mut self, name: &str, value: &str) -> Request {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn json(self, body: &Value) -> Request {
        self.raw_body("application/json", body.to_string().as_bytes())
    }

    pub fn raw_body(mut self, content_type: &str, body: &[u8]) -> Request {
        self.headers.push(("Content-Type".to_owned(), content_type.to_owned()));
        self.body = Some(body.to_vec());
        self
    }

    pub fn bearer(self, token: &str) -> Request {
        self.header("Authorization", &format!("Bearer {token}"))
    }

    pub fn cookie(self, name: &str, value: &str) -> Request {
        self.header("Cookie", &format!("{name}={value}"))
    }

    pub fn confirm(self, value: &str) -> Request {
        self.header("confirm", value)
    }
}

#[derive(Clone, Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// `response` of a success envelope.
    pub fn response(&self) -> Value {
        self.json()["response"].clone()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn set_cookies(&self) -> Vec<&str> {
        self.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie")).map(|(_, v)| v.as_str()).collect()
    }

    /// The raw (still percent-encoded) value of the first `Set-Cookie` for `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies()
            .into_iter()
            .filter_map(|c| c.split(';').next()?.split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_owned())
    }

    /// The error envelope's message.
    pub fn error_message(&self) -> String {
        self.json()["error"]["message"].as_str().unwrap_or_default().to_owned()
    }
}

/// One connection (keep-alive): send requests one after another.
pub struct Conn<S: Read + Write> {
    reader: BufReader<S>,
    host: String,
}

impl Conn<TcpStream> {
    pub fn open(emulator: &Emulator) -> Conn<TcpStream> {
        let stream = TcpStream::connect(emulator.addr()).expect("connect");
        stream.set_nodelay(true).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        Conn::over(stream, emulator.url().split("://").nth(1).unwrap())
    }
}

impl<S: Read + Write> Conn<S> {
    pub fn over(stream: S, host: &str) -> Conn<S> {
        Conn { reader: BufReader::new(stream), host: host.to_owned() }
    }

    pub fn send(&mut self, req: &Request) -> std::io::Result<Response> {
        let mut head = format!("{} {} HTTP/1.1\r\nHost: {}\r\n", req.method, req.path, self.host);
        for (name, value) in &req.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        let body = req.body.clone().unwrap_or_default();
        if req.body.is_some() || req.method != "GET" {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        // One write: a separate small body write would wait for a delayed ACK (Nagle).
        let mut message = head.into_bytes();
        message.extend_from_slice(&body);
        let stream = self.reader.get_mut();
        stream.write_all(&message)?;
        stream.flush()?;
        self.read_response()
    }

    fn read_response(&mut self) -> std::io::Result<Response> {
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "connection closed"));
        }
        let status = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status line");
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let (name, value) = l.split_once(':').expect("header line");
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
        let length: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok())
            .expect("the emulator always sends Content-Length");
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok(Response { status, headers, body })
    }
}

/// A fresh connection per request.
pub fn send(emulator: &Emulator, req: &Request) -> Response {
    Conn::open(emulator).send(req).expect("HTTP exchange")
}

pub fn login(emulator: &Emulator, email: &str, password: &str) -> Response {
    send(
        emulator,
        &Request::post("/api/2.0/authentication", &serde_json::json!({"userName": email, "password": password})),
    )
}

pub fn login_with_code(emulator: &Emulator, email: &str, password: &str, code: &str) -> Response {
    let body = serde_json::json!({"userName": email, "password": password, "code": code});
    // The route segment is ignored by the server; keep it a valid path segment.
    let segment = if !code.is_empty() && code.bytes().all(|b| b.is_ascii_alphanumeric()) { code } else { "code" };
    send(emulator, &Request::post(&format!("/api/2.0/authentication/{segment}"), &body))
}

/// Signs a user without 2FA in and returns the token.
pub fn token_for(emulator: &Emulator, user: &SeedUser) -> String {
    let res = login(emulator, &user.email, &user.password);
    assert_eq!(res.status, 200, "{}", res.text());
    res.response()["token"].as_str().expect("token").to_owned()
}

/// Signs a linked user in with the current TOTP code and returns the token.
pub fn tfa_token_for(emulator: &Emulator, user: &SeedUser) -> String {
    let code = totp_now(emulator, &user.email);
    let res = login_with_code(emulator, &user.email, &user.password, &code);
    assert_eq!(res.status, 200, "{}", res.text());
    res.response()["token"].as_str().expect("token").to_owned()
}

pub fn totp_now(emulator: &Emulator, email: &str) -> String {
    emulator.control().user_state(email).and_then(|s| s.totp_now).expect("user has a key")
}

pub fn is_authenticated(emulator: &Emulator, req: Request) -> bool {
    let res = send(emulator, &req);
    assert_eq!(res.status, 200);
    res.response().as_bool().expect("bool")
}

/// `%XX` decoding for cookie values.
pub fn percent_decode(s: &str) -> String {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).expect("hex escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}
