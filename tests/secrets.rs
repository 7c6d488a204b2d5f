//! No secret in anything a caller can print, nor in the logs of the library and its HTTP/TLS
//! stack at the most verbose level.
//!
//! Every flow and every error path of the Rust API runs against the emulator (over http and
//! over https) with distinctive secrets: passwords, login tokens, API keys, TOTP secrets,
//! otpauth URIs, confirm keys, TOTP/SMS codes and backup codes. Everything a caller could
//! print is captured — `{:?}` and `{:#?}` of every returned value and error, `Display` of
//! errors, `message()` and `server_message()` — together with every `log` record (reqwest,
//! rustls, hyper-rustls log through `log`) and every `tracing` event (hyper-util) at Trace.
//! The test fails if any secret appears in any of it.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once};
use std::time::Duration;

use docspace_auth::totp::{OtpauthUri, Totp};
use docspace_auth::{
    AppSetup, BackupCode, Challenge, Client, Error, ErrorKind, LoginOutcome, Secret, Session, TfaMethod,
    TfaPolicyUpdate,
};
use docspace_emulator::{Config, Emulator, Fault, FaultBody, SeedUser, TlsConfig};

// ---------------------------------------------------------------------------------------------
// Log capture: a `log` logger and a `tracing` subscriber that keep everything, at Trace.

static LOGS: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct LogRecorder;

impl log::Log for LogRecorder {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = format!("log {} {} {}", record.level(), record.target(), record.args());
        LOGS.lock().unwrap_or_else(|e| e.into_inner()).push(line);
    }

    fn flush(&self) {}
}

struct TraceRecorder {
    next_span: AtomicU64,
}

struct FieldText(String);

impl tracing::field::Visit for FieldText {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl tracing::Subscriber for TraceRecorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut text = FieldText(format!("span {} {}", span.metadata().target(), span.metadata().name()));
        span.record(&mut text);
        LOGS.lock().unwrap_or_else(|e| e.into_inner()).push(text.0);
        tracing::span::Id::from_u64(self.next_span.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut text = FieldText("span-record".to_owned());
        values.record(&mut text);
        LOGS.lock().unwrap_or_else(|e| e.into_inner()).push(text.0);
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let meta = event.metadata();
        let mut text = FieldText(format!("tracing {} {}", meta.level(), meta.target()));
        event.record(&mut text);
        LOGS.lock().unwrap_or_else(|e| e.into_inner()).push(text.0);
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

fn install_recorders() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        static RECORDER: LogRecorder = LogRecorder;
        log::set_logger(&RECORDER).expect("no other logger in this test binary");
        log::set_max_level(log::LevelFilter::Trace);
        tracing::subscriber::set_global_default(TraceRecorder { next_span: AtomicU64::new(0) })
            .expect("no other subscriber in this test binary");
    });
}

// ---------------------------------------------------------------------------------------------
// What was printed, and what must not be in it.

#[derive(Default)]
struct Transcript {
    texts: Vec<String>,
    /// Secrets that must not appear anywhere (compared as substrings).
    secrets: BTreeSet<String>,
    /// Numeric codes (TOTP, SMS), compared as whole numbers so that digits inside longer
    /// numbers (ports, sizes, thread ids) do not count.
    codes: BTreeSet<String>,
    values: usize,
    errors: usize,
}

impl Transcript {
    fn secret(&mut self, secret: &str) {
        assert!(secret.len() >= 6, "too short to be checked reliably: {secret:?}");
        self.secrets.insert(secret.to_owned());
        // As sent in a `Cookie` header, and as a case-insensitive base32 secret may appear.
        self.secrets.insert(percent_encode(secret));
        if secret.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)) {
            self.secrets.insert(secret.to_ascii_lowercase());
        }
        // A confirm key's hash part (after the timestamp) on its own.
        if let Some((stamp, hash)) = secret.split_once('.') {
            if stamp.bytes().all(|b| b.is_ascii_digit()) && hash.len() >= 16 {
                self.secrets.insert(hash.to_owned());
            }
        }
    }

    fn code(&mut self, code: &str) {
        assert!(code.len() >= 6 && code.bytes().all(|b| b.is_ascii_digit()), "{code:?}");
        self.codes.insert(code.to_owned());
    }

    fn value<T: Debug>(&mut self, value: &T) {
        self.values += 1;
        self.texts.push(format!("{value:?}"));
        self.texts.push(format!("{value:#?}"));
    }

    fn error(&mut self, error: &Error) {
        self.errors += 1;
        self.value(error);
        self.texts.push(error.to_string());
        self.texts.push(format!("{error:>40}"));
        self.texts.push(error.message().to_owned());
        self.texts.extend(error.server_message().map(str::to_owned));
        self.texts.push(error.kind().to_string());
    }

    /// Record a result and hand the value back.
    fn ok<T: Debug>(&mut self, result: docspace_auth::Result<T>, what: &str) -> T {
        match result {
            Ok(value) => {
                self.value(&value);
                value
            }
            Err(error) => panic!("{what}: {error}"),
        }
    }

    /// Record an expected failure of `kind`.
    fn err<T: Debug>(&mut self, result: docspace_auth::Result<T>, kind: ErrorKind, what: &str) -> Error {
        match result {
            Ok(value) => panic!("{what}: expected {kind}, got {value:?}"),
            Err(error) => {
                self.error(&error);
                assert_eq!(error.kind(), kind, "{what}: {error}");
                error
            }
        }
    }

    fn leaks_in<'a>(&self, texts: impl Iterator<Item = &'a String>) -> Vec<String> {
        let mut leaks = Vec::new();
        for text in texts {
            for secret in &self.secrets {
                if text.contains(secret.as_str()) {
                    leaks.push(format!("{secret:?} in {}", excerpt(text, secret)));
                }
            }
            for code in &self.codes {
                if contains_whole_number(text, code) {
                    leaks.push(format!("code {code:?} in {}", excerpt(text, code)));
                }
            }
        }
        leaks
    }
}

fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn contains_whole_number(text: &str, number: &str) -> bool {
    text.match_indices(number).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + number.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric()) && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

fn excerpt(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap_or(0);
    let mut start = at.saturating_sub(80);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + needle.len() + 80).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    format!("…{}…", &text[start..end])
}

/// A distinctive, unguessable-looking suffix for this run.
fn run_id() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("{:08x}{:05x}", nanos, std::process::id() & 0xfffff)
}

// ---------------------------------------------------------------------------------------------
// The scenario.

struct Users {
    plain: SeedUser,
    linked: SeedUser,
    fresh: SeedUser,
    sms: SeedUser,
    disabled: SeedUser,
    admin: SeedUser,
    lock_password: SeedUser,
    lock_codes: SeedUser,
}

fn add_users(emulator: &Emulator, t: &mut Transcript, tag: &str) -> Users {
    let control = emulator.control();
    let id = run_id();
    let mut add = |name: &str, kind: &str| {
        let password = format!("Pw-LEAKCHECK-{name}-{id}");
        let user = control.add_user(&format!("leak.{name}.{tag}@example.com"), &password, kind).unwrap();
        t.secret(&user.password);
        t.secret(&user.api_key);
        if let Some(secret) = &user.totp_secret {
            t.secret(secret);
        }
        user
    };
    Users {
        plain: add("plain", "no_tfa"),
        linked: add("linked", "linked"),
        fresh: add("fresh", "not_linked"),
        sms: add("sms", "sms"),
        disabled: add("disabled", "disabled"),
        admin: add("admin", "admin"),
        lock_password: add("lockpw", "no_tfa"),
        lock_codes: add("lockcodes", "linked"),
    }
}

/// A login that must sign in directly: its session, with the token recorded as a secret.
fn session_of(t: &mut Transcript, result: docspace_auth::Result<LoginOutcome>, what: &str) -> Session {
    match t.ok(result, what) {
        LoginOutcome::Authenticated(session) => {
            t.secret(session.token());
            session
        }
        other => panic!("expected a session, got {other:?}"),
    }
}

fn challenge_of(t: &mut Transcript, challenge: &Challenge) {
    if let Some(key) = challenge.confirm_key() {
        t.secret(key);
    }
    if let Some(secret) = challenge.secret() {
        t.secret(secret);
    }
    if let Some(uri) = challenge.otpauth_uri() {
        t.secret(uri);
    }
}

fn codes_of(t: &mut Transcript, codes: &[BackupCode]) {
    for code in codes {
        t.secret(code.code.expose());
    }
}

fn setup_of(t: &mut Transcript, setup: &AppSetup) {
    t.secret(setup.manual_entry_key.expose());
    t.secret(setup.otpauth_uri.expose());
}

fn totp_code(t: &mut Transcript, secret: &str) -> String {
    let totp = Totp::new(secret).unwrap();
    t.value(&totp);
    let code = totp.code_now();
    t.value(&code);
    t.code(code.as_str());
    code.as_str().to_owned()
}

/// A client builder for `emulator`, trusting `ca` (the https run).
fn builder(emulator: &Emulator, ca: Option<&str>) -> docspace_auth::ClientBuilder {
    let builder = Client::builder(emulator.url());
    match ca {
        Some(pem) => builder.ca_pem(pem),
        None => builder,
    }
}

/// Every flow of the API, its happy path and its error paths, against `emulator`.
fn run_flows(emulator: &Emulator, ca: Option<&str>, t: &mut Transcript, tag: &str) {
    let control = emulator.control();
    let client = &builder(emulator, ca).build().unwrap();
    let u = add_users(emulator, t, tag);
    t.value(client);

    // No 2FA: sign in, check, read the policy, no confirm context, no backup codes, log out.
    let session = session_of(t, client.login(&u.plain.email, &u.plain.password), "plain login");
    assert!(t.ok(client.is_authenticated(&session), "is_authenticated"));
    t.ok(client.tfa_policy(&session), "tfa_policy");
    assert!(t.ok(client.confirm_context(&session), "confirm_context").is_none());
    t.err(client.backup_codes(&session), ErrorKind::TfaNotAvailable, "backup codes without an app");
    t.ok(client.logout(&session), "logout");
    assert!(!t.ok(client.is_authenticated(&session), "is_authenticated after logout"));
    t.err(client.backup_codes(&session), ErrorKind::SessionInvalid, "backup codes after logout");
    t.err(client.tfa_policy(&session), ErrorKind::SessionInvalid, "policy after logout");

    // Linked app: challenge, validate, backup codes, regenerate, sign in with a backup code and
    // with a TOTP code, a fresh confirm context, a wrong code, reset and re-link.
    let linked_secret = u.linked.totp_secret.clone().unwrap();
    let outcome = t.ok(client.login(&u.linked.email, &u.linked.password), "linked login");
    let LoginOutcome::CodeRequired(challenge) = outcome else { panic!("expected CodeRequired") };
    challenge_of(t, &challenge);
    let code = totp_code(t, &linked_secret);
    let validation = t.ok(client.validate_app(&challenge, &code), "validate_app");
    t.secret(validation.session.token());
    let session = validation.session;
    let codes = t.ok(client.backup_codes(&session), "backup_codes");
    codes_of(t, &codes);
    let codes = t.ok(client.regenerate_backup_codes(&session), "regenerate_backup_codes");
    codes_of(t, &codes);
    let by_backup =
        t.ok(client.login_with_code(&u.linked.email, &u.linked.password, codes[0].code.expose()), "backup code");
    t.secret(by_backup.token());
    t.err(
        client.login_with_code(&u.linked.email, &u.linked.password, codes[0].code.expose()),
        ErrorKind::InvalidCode,
        "spent backup code",
    );
    let code = totp_code(t, &linked_secret);
    let by_totp = t.ok(client.login_with_code(&u.linked.email, &u.linked.password, &code), "totp code");
    t.secret(by_totp.token());
    let context = t.ok(client.confirm_context(&by_totp), "confirm_context").expect("app 2FA applies");
    challenge_of(t, &context);
    t.code("271828");
    t.err(client.validate_app(&context, "271828"), ErrorKind::InvalidCode, "wrong code at validate");
    t.code("161803");
    t.err(
        client.login_with_code(&u.linked.email, &u.linked.password, "161803"),
        ErrorKind::InvalidCode,
        "wrong code at login",
    );
    t.err(client.setup_app(&context), ErrorKind::InvalidArgument, "setup with an auth challenge");
    let reset = t.ok(client.reset_app(&by_totp, &u.linked.id), "reset_app");
    let fresh_session = reset.session.expect("a fresh session");
    t.secret(fresh_session.token());
    let activation = reset.challenge.expect("an activation challenge");
    challenge_of(t, &activation);
    let setup = t.ok(client.setup_app(&activation), "setup after reset");
    setup_of(t, &setup);
    // The reset gave the user a new secret: use it from here on.
    let linked_secret = setup.manual_entry_key.expose().to_owned();
    let code = totp_code(t, &linked_secret);
    let relinked = t.ok(client.validate_app(&activation, &code), "validate after reset");
    assert!(relinked.linked_now);
    t.secret(relinked.session.token());
    let codes = t.ok(client.backup_codes(&relinked.session), "backup codes after relink");
    codes_of(t, &codes);
    t.err(client.reset_app(&fresh_session, "not a guid/../x"), ErrorKind::InvalidArgument, "reset with a bad id");

    // API key.
    let api = Session::from_api_key(u.linked.api_key.clone());
    t.value(&api);
    assert!(t.ok(client.is_authenticated(&api), "api key is_authenticated"));
    let codes = t.ok(client.backup_codes(&api), "api key backup codes");
    codes_of(t, &codes);
    t.err(client.logout(&api), ErrorKind::InvalidArgument, "api key logout");
    let bogus_key = format!("sk-LEAKCHECK-bogus-{}", run_id());
    t.secret(&bogus_key);
    t.err(client.backup_codes(&Session::from_api_key(bogus_key)), ErrorKind::SessionInvalid, "bogus api key");

    // Not linked yet: the secret comes with the challenge; setup, validate.
    let outcome = t.ok(client.login(&u.fresh.email, &u.fresh.password), "fresh login");
    let LoginOutcome::SetupRequired(challenge) = outcome else { panic!("expected SetupRequired") };
    challenge_of(t, &challenge);
    let setup = t.ok(client.setup_app(&challenge), "setup_app");
    setup_of(t, &setup);
    let otpauth = OtpauthUri::parse(setup.otpauth_uri.expose()).unwrap();
    t.value(&otpauth);
    t.value(&otpauth.to_uri());
    // An expired confirm key.
    control.set_clock_offset(3601);
    t.err(client.setup_app(&challenge), ErrorKind::ConfirmContext, "expired confirm key");
    control.set_clock_offset(0);
    let code = totp_code(t, challenge.secret().unwrap());
    let validation = t.ok(client.validate_app(&challenge, &code), "validate linking");
    assert!(validation.linked_now);
    t.secret(validation.session.token());
    let codes = t.ok(client.backup_codes(&validation.session), "fresh backup codes");
    codes_of(t, &codes);

    // SMS.
    let outcome = t.ok(client.login(&u.sms.email, &u.sms.password), "sms login");
    assert!(matches!(outcome, LoginOutcome::SmsRequired(_)));
    let sms_code = control.sms_code(&u.sms.email).expect("an SMS code was sent");
    t.code(&sms_code);
    let session = t.ok(client.login_with_code(&u.sms.email, &u.sms.password, &sms_code), "sms code");
    t.secret(session.token());

    // Refusals.
    t.err(client.login(&u.disabled.email, &u.disabled.password), ErrorKind::AccessDenied, "disabled user");
    let wrong = format!("Pw-LEAKCHECK-wrong-{}", run_id());
    t.secret(&wrong);
    for _ in 0..5 {
        t.err(client.login(&u.lock_password.email, &wrong), ErrorKind::InvalidCredentials, "wrong password");
    }
    t.err(client.login(&u.lock_password.email, &wrong), ErrorKind::LockedOut, "password lockout");
    t.err(
        client.login(&u.lock_password.email, &u.lock_password.password),
        ErrorKind::LockedOut,
        "locked, right password",
    );
    let outcome = t.ok(client.login(&u.lock_codes.email, &u.lock_codes.password), "lock codes login");
    let LoginOutcome::CodeRequired(challenge) = outcome else { panic!("expected CodeRequired") };
    challenge_of(t, &challenge);
    t.code("314159");
    for _ in 0..5 {
        t.err(client.validate_app(&challenge, "314159"), ErrorKind::InvalidCode, "wrong codes");
    }
    t.err(client.validate_app(&challenge, "314159"), ErrorKind::LockedOut, "code lockout");
    let bogus_token = format!("tok-LEAKCHECK-{}+/=", run_id());
    t.secret(&bogus_token);
    let bogus = Session::from_token(bogus_token);
    t.value(&bogus);
    t.err(client.backup_codes(&bogus), ErrorKind::SessionInvalid, "bogus token");
    assert!(!t.ok(client.is_authenticated(&bogus), "bogus token is_authenticated"));
    t.ok(client.logout(&bogus), "logout of a bogus token");

    // Arguments refused before sending (messages name the argument, never its value).
    let nul_password = format!("Pw-LEAKCHECK-nul\0{}", run_id());
    t.secret(&nul_password);
    t.err(client.login(&u.plain.email, &nul_password), ErrorKind::InvalidArgument, "NUL in password");
    let long_password = format!("Pw-LEAKCHECK-long-{}", "x".repeat(5000));
    t.secret(&long_password[..40]);
    t.err(client.login(&u.plain.email, &long_password), ErrorKind::InvalidArgument, "long password");
    for bad_code in ["LEAK/CODE/771", "LEAKCODE 7734", "LEAKCODE-77345-LEAKCODE-77345-LEAKCODE"] {
        t.secret(bad_code);
        t.err(
            client.login_with_code(&u.plain.email, &u.plain.password, bad_code),
            ErrorKind::InvalidArgument,
            "bad code",
        );
    }
    t.err(client.login(&format!("{}\u{7}", u.plain.email), &u.plain.password), ErrorKind::InvalidArgument, "bad name");

    // Broken answers and transport failures, each with credentials in flight.
    let linked_fault = |body: Option<FaultBody>, status: Option<u16>| Fault {
        path: "/api/2.0/authentication".to_owned(),
        body,
        status,
        ..Fault::default()
    };
    for (fault, kind) in [
        (linked_fault(Some(FaultBody::Html), Some(503)), ErrorKind::ServerError),
        (linked_fault(Some(FaultBody::JsonError), Some(500)), ErrorKind::ServerError),
        (
            Fault { retry_after: Some("7".into()), ..linked_fault(Some(FaultBody::JsonError), Some(429)) },
            ErrorKind::RateLimited,
        ),
        (linked_fault(Some(FaultBody::TruncatedJson), Some(200)), ErrorKind::UnexpectedResponse),
        (linked_fault(Some(FaultBody::Empty), Some(200)), ErrorKind::UnexpectedResponse),
        (linked_fault(Some(FaultBody::Oversized), Some(200)), ErrorKind::UnexpectedResponse),
        (linked_fault(Some(FaultBody::Text), Some(502)), ErrorKind::ServerError),
        (linked_fault(Some(FaultBody::ErrorEnvelope200), Some(401)), ErrorKind::InvalidCode),
        (linked_fault(Some(FaultBody::JsonError), Some(404)), ErrorKind::UnexpectedResponse),
        (Fault { drop_connection: true, ..linked_fault(None, None) }, ErrorKind::Network),
    ] {
        control.push_fault(fault).unwrap();
        let code = totp_code(t, &linked_secret);
        t.err(client.login_with_code(&u.linked.email, &u.linked.password, &code), kind, "fault");
    }
    control.push_fault(linked_fault(Some(FaultBody::ExtraFields), None)).unwrap();
    let session = session_of(t, client.login(&u.plain.email, &u.plain.password), "extra fields");
    control
        .push_fault(Fault {
            path: "/api/2.0/settings/tfaappcodes".into(),
            status: Some(403),
            body: Some(FaultBody::JsonError),
            ..Fault::default()
        })
        .unwrap();
    t.err(client.backup_codes(&session), ErrorKind::AccessDenied, "403 on backup codes");
    control.push_fault(linked_fault(Some(FaultBody::NoSetCookie), None)).unwrap();
    let outcome = t.ok(client.login(&u.linked.email, &u.linked.password), "keyless challenge");
    let LoginOutcome::CodeRequired(keyless) = outcome else { panic!("expected CodeRequired") };
    t.err(client.validate_app(&keyless, "123456"), ErrorKind::ConfirmContext, "no confirm key");
    let outcome = t.ok(client.login(&u.linked.email, &u.linked.password), "challenge");
    let LoginOutcome::CodeRequired(challenge) = outcome else { panic!("expected CodeRequired") };
    challenge_of(t, &challenge);
    control
        .push_fault(Fault {
            path: "/api/2.0/settings/tfaapp/validate".into(),
            body: Some(FaultBody::NoSetCookie),
            ..Fault::default()
        })
        .unwrap();
    let code = totp_code(t, &linked_secret);
    t.err(client.validate_app(&challenge, &code), ErrorKind::UnexpectedResponse, "no session cookie");

    let slow = builder(emulator, ca).timeout(Duration::from_millis(300)).build().unwrap();
    control.push_fault(Fault { delay_ms: 2000, ..linked_fault(None, None) }).unwrap();
    t.err(slow.login(&u.plain.email, &u.plain.password), ErrorKind::Timeout, "timeout");
    let tiny = builder(emulator, ca).max_response_bytes(64).build().unwrap();
    t.err(tiny.login(&u.plain.email, &u.plain.password), ErrorKind::UnexpectedResponse, "size cap");

    // Admin: the policy (switching a method on signs everybody out: last).
    let admin = session_of(t, client.login(&u.admin.email, &u.admin.password), "admin login");
    t.ok(client.tfa_policy(&admin), "admin policy");
    let mut update = TfaPolicyUpdate::new(TfaMethod::App);
    update.trusted_ips = vec!["10.0.0.0/8".into()];
    update.mandatory_users = vec![u.linked.id.clone()];
    t.value(&update);
    t.err(client.set_tfa_policy(&session, &update), ErrorKind::AccessDenied, "policy by a non-admin");
    assert!(t.ok(client.set_tfa_policy(&admin, &update), "set policy"));
    t.err(client.tfa_policy(&admin), ErrorKind::SessionInvalid, "signed out by the policy change");
}

fn tls_emulator() -> (Emulator, String) {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let tls = TlsConfig { cert_chain_pem: cert.cert.pem(), private_key_pem: cert.signing_key.serialize_pem() };
    (Emulator::start(Config { tls: Some(tls), ..Config::default() }).unwrap(), cert.cert.pem())
}

#[test]
fn no_secret_reaches_printed_values_errors_or_trace_logs() {
    install_recorders();
    let mut t = Transcript::default();

    let plain = Emulator::start(Config::default()).unwrap();
    run_flows(&plain, None, &mut t, "http");
    let (tls, ca) = tls_emulator();
    run_flows(&tls, Some(&ca), &mut t, "https");

    // Transport failures around the portal, with a password in flight.
    let user = plain.users().into_iter().find(|u| u.kind == "no_tfa").unwrap();
    let password = format!("Pw-LEAKCHECK-transport-{}", run_id());
    t.secret(&password);
    let untrusting = Client::new(tls.url()).unwrap();
    t.err(untrusting.login(&user.email, &password), ErrorKind::Tls, "untrusted certificate");
    let https_to_http = Client::new(plain.url().replace("http://", "https://")).unwrap();
    t.err(https_to_http.login(&user.email, &password), ErrorKind::Tls, "https to an http server");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let refused = Client::new(format!("http://127.0.0.1:{port}")).unwrap();
    t.err(refused.login(&user.email, &password), ErrorKind::Network, "connection refused");
    let in_url = format!("Pw-LEAKCHECK-inurl-{}", run_id());
    t.secret(&in_url);
    let builder = Client::builder(format!("https://someone:{in_url}@portal.example.com"));
    t.value(&builder);
    t.err(builder.build(), ErrorKind::InvalidArgument, "user info in the base URL");
    t.value(&Client::builder("https://portal.example.com").ca_pem(b"junk".to_vec()));

    let logs = LOGS.lock().unwrap().clone();
    let leaks: Vec<String> = t.leaks_in(t.texts.iter()).into_iter().chain(t.leaks_in(logs.iter())).collect();
    // Straight to stderr: shown even when the test harness captures output.
    let summary = format!(
        "secrets: {} secret strings and {} numeric codes checked against {} printed texts ({} values, {} errors) \
         and {} log/trace records\n",
        t.secrets.len(),
        t.codes.len(),
        t.texts.len(),
        t.values,
        t.errors,
        logs.len()
    );
    let _ = std::io::Write::write_all(&mut std::io::stderr(), summary.as_bytes());
    assert!(leaks.is_empty(), "{} leak(s):\n{}", leaks.len(), leaks.join("\n"));

    // The capture really saw the HTTP and TLS stack at its most verbose.
    let saw = |prefix: &str| logs.iter().any(|line| line.starts_with(prefix));
    assert!(saw("log DEBUG reqwest") || saw("log TRACE reqwest"), "reqwest's log records were captured");
    assert!(saw("log DEBUG rustls") || saw("log TRACE rustls"), "rustls's log records were captured");
    assert!(saw("tracing") || saw("span"), "hyper-util's tracing events were captured");
    // reqwest's verbose connection log (raw bytes on the wire) stays off.
    assert!(!logs.iter().any(|line| line.contains("reqwest::connect::verbose")), "verbose connection logging is on");
}

#[test]
fn debug_output_of_every_secret_bearing_type_is_redacted() {
    let secret = Secret::new("Sec-LEAKCHECK-0001");
    assert_eq!(format!("{secret:?}"), "Secret(***)");
    assert_eq!(format!("{secret:#?}"), "Secret(***)");

    for session in [Session::from_token("tok-LEAKCHECK-0002"), Session::from_api_key("sk-LEAKCHECK-0003")] {
        for text in [format!("{session:?}"), format!("{session:#?}")] {
            assert!(!text.contains("LEAKCHECK") && text.contains("***"), "{text}");
        }
    }

    let totp = Totp::new("LJVTCTSWGJYEOYSV").unwrap();
    for text in [format!("{totp:?}"), format!("{totp:#?}")] {
        assert!(!text.contains("LJVT") && !text.to_lowercase().contains("ljvt") && text.contains("***"), "{text}");
    }
    let code = totp.code_at(1_767_225_600);
    assert_eq!(format!("{code:?}"), "TotpCode(******)");
    assert_eq!(format!("{code:#?}"), "TotpCode(******)");
    assert_eq!(code.to_string(), "157287", "Display gives the digits, for sending");

    let uri = OtpauthUri::new(totp, Some("portal.example.com"), "ann@example.com");
    for text in [format!("{uri:?}"), format!("{uri:#?}"), format!("{:?}", uri.to_uri())] {
        assert!(!text.contains("LJVT") && !text.contains("secret="), "{text}");
    }

    // The values only flows create: take them from the emulator.
    let emulator = Emulator::start(Config::default()).unwrap();
    let client = Client::new(emulator.url()).unwrap();
    let fresh = emulator.users().into_iter().find(|u| u.kind == "not_linked").unwrap();
    let LoginOutcome::SetupRequired(challenge) = client.login(&fresh.email, &fresh.password).unwrap() else {
        panic!("expected SetupRequired")
    };
    let key = challenge.confirm_key().unwrap().to_owned();
    let secret = challenge.secret().unwrap().to_owned();
    let outcome = LoginOutcome::SetupRequired(challenge.clone());
    for text in [format!("{challenge:?}"), format!("{challenge:#?}"), format!("{outcome:?}"), format!("{outcome:#?}")] {
        assert!(!text.contains(&key) && !text.contains(&secret) && !text.contains("otpauth://"), "{text}");
        assert!(text.contains("***"), "{text}");
    }
    let setup = client.setup_app(&challenge).unwrap();
    for text in [format!("{setup:?}"), format!("{setup:#?}")] {
        assert!(!text.contains(&secret) && !text.contains("otpauth://") && !text.contains("data:image"), "{text}");
    }
    let code = Totp::new(&secret).unwrap().code_now();
    let validation = client.validate_app(&challenge, code.as_str()).unwrap();
    for text in [format!("{validation:?}"), format!("{validation:#?}")] {
        assert!(!text.contains(validation.session.token()), "{text}");
    }
    let codes = client.backup_codes(&validation.session).unwrap();
    for text in [format!("{codes:?}"), format!("{codes:#?}")] {
        for code in &codes {
            assert!(!text.contains(code.code.expose()), "{text}");
        }
    }
}

#[test]
fn secrets_are_wiped_when_dropped() {
    // `Secret` holds a `Zeroizing<String>` and says so with the `ZeroizeOnDrop` marker; the
    // secret-bearing values (sessions, challenges, setups, backup codes) hold `Secret`s, so
    // their drop glue wipes them too. Checked through the trait bound: reading freed memory to
    // "see" the zeros would be undefined behaviour.
    fn assert_zeroize_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    assert_zeroize_on_drop::<Secret>();
    assert_zeroize_on_drop::<zeroize::Zeroizing<String>>();

    // Wiping a copy in place leaves an empty value, and the original is untouched.
    let original = Secret::new("Sec-LEAKCHECK-wipe");
    let mut copy = zeroize::Zeroizing::new(original.expose().to_owned());
    zeroize::Zeroize::zeroize(&mut *copy);
    assert!(copy.is_empty());
    assert_eq!(original.expose(), "Sec-LEAKCHECK-wipe");
}
