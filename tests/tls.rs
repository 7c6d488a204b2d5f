//! TLS against the emulator serving HTTPS with certificates made here (rcgen): a private CA
//! given as PEM text or as a file, self-signed portals, and every way a certificate can be
//! wrong (untrusted, wrong name, expired) reported as `ErrorKind::Tls`. Also bad CA input at
//! build time and the https-only rule for non-loopback hosts.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use docspace_auth::totp::Totp;
use docspace_auth::{Client, Error, ErrorKind, LoginOutcome};
use docspace_emulator::{Config, Emulator, SeedUser, TlsConfig};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
};

/// A private certificate authority.
struct TestCa {
    pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl TestCa {
    fn new(name: &str) -> TestCa {
        let key = KeyPair::generate().expect("CA key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages =
            vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        let cert = params.self_signed(&key).expect("CA certificate");
        TestCa { pem: cert.pem(), issuer: Issuer::new(params, key) }
    }

    /// A server certificate for `names` signed by this CA, as the emulator's TLS config.
    fn leaf(&self, names: &[&str]) -> TlsConfig {
        self.leaf_with(names, |_| {})
    }

    fn leaf_with(&self, names: &[&str], adjust: impl FnOnce(&mut CertificateParams)) -> TlsConfig {
        let key = KeyPair::generate().expect("leaf key");
        let mut params = leaf_params(names);
        adjust(&mut params);
        let cert = params.signed_by(&key, &self.issuer).expect("leaf certificate");
        TlsConfig { cert_chain_pem: cert.pem(), private_key_pem: key.serialize_pem() }
    }
}

fn leaf_params(names: &[&str]) -> CertificateParams {
    let mut params =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).expect("leaf params");
    params.distinguished_name.push(DnType::CommonName, names[0]);
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params
}

fn serve(tls: TlsConfig) -> Emulator {
    let emulator = Emulator::start(Config { tls: Some(tls), ..Config::default() }).expect("TLS emulator starts");
    assert!(emulator.url().starts_with("https://localhost:"), "{}", emulator.url());
    emulator
}

fn user(emulator: &Emulator, kind: &str) -> SeedUser {
    emulator.users().into_iter().find(|u| u.kind == kind).expect("seeded user")
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("docspace-auth-tls-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Seed flow 1 over https: a linked user signs in with password + TOTP code, the session
/// cookie then reads the backup codes (cookie auth over TLS) and logs out.
fn seed_flow_1(client: &Client, emulator: &Emulator) {
    let linked = user(emulator, "linked");
    let LoginOutcome::CodeRequired(challenge) =
        client.login(&linked.email, &linked.password).expect("login over https")
    else {
        panic!("a linked user must be asked for a code");
    };
    assert!(challenge.confirm_url().starts_with("https://localhost:"), "{}", challenge.confirm_url());
    assert!(challenge.confirm_key().is_some(), "the secure asc_confirm_key cookie is read over https");
    let code = Totp::new(linked.totp_secret.as_deref().unwrap()).unwrap().code_now();
    let session = client.login_with_code(&linked.email, &linked.password, code.as_str()).expect("code over https");
    assert!(client.is_authenticated(&session).unwrap());
    let codes = client.backup_codes(&session).expect("backup codes with the session cookie over https");
    assert_eq!(codes.len(), 5);
    client.logout(&session).unwrap();
    assert!(!client.is_authenticated(&session).unwrap(), "logout over https revokes the token");
}

fn assert_tls_error(error: &Error, started: Instant) {
    assert_eq!(error.kind(), ErrorKind::Tls, "{error}");
    assert!(!error.kind().is_retryable(), "a certificate problem does not go away by retrying");
    assert!(error.message().contains("CA"), "the message points at the CA option: {error}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "reported quickly, not after a timeout: {:?}",
        started.elapsed()
    );
}

fn login_error(client: &Client, emulator: &Emulator) -> (Error, Instant) {
    let plain = user(emulator, "no_tfa");
    let started = Instant::now();
    (client.login(&plain.email, &plain.password).expect_err("the handshake must fail"), started)
}

#[test]
fn private_ca_as_pem_text_completes_the_seed_flow_over_https() {
    let ca = TestCa::new("docspace-auth test CA");
    let emulator = serve(ca.leaf(&["localhost", "127.0.0.1"]));
    let client = Client::builder(emulator.url()).ca_pem(ca.pem.clone()).build().expect("client with the CA");
    seed_flow_1(&client, &emulator);
}

#[test]
fn private_ca_as_a_file_completes_the_seed_flow_over_https() {
    let ca = TestCa::new("docspace-auth test CA");
    let emulator = serve(ca.leaf(&["localhost", "127.0.0.1"]));
    let dir = TempDir::new();
    let path = dir.0.join("portal-ca.pem");
    std::fs::write(&path, &ca.pem).unwrap();
    let client = Client::builder(emulator.url()).ca_file(&path).build().expect("client with the CA file");
    seed_flow_1(&client, &emulator);
}

#[test]
fn ip_address_certificates_work() {
    let ca = TestCa::new("docspace-auth test CA");
    let emulator = serve(ca.leaf(&["localhost", "127.0.0.1"]));
    let url = format!("https://127.0.0.1:{}", emulator.addr().port());
    let client = Client::builder(url).ca_pem(ca.pem.clone()).build().unwrap();
    let plain = user(&emulator, "no_tfa");
    assert!(matches!(client.login(&plain.email, &plain.password).unwrap(), LoginOutcome::Authenticated(_)));
}

#[test]
fn a_self_signed_portal_certificate_can_be_trusted_directly() {
    // Self-hosted portals often have a self-signed certificate rather than a CA (PEERS §3.8).
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let tls = TlsConfig { cert_chain_pem: cert.cert.pem(), private_key_pem: cert.signing_key.serialize_pem() };
    let emulator = serve(tls);
    let client = Client::builder(emulator.url()).ca_pem(cert.cert.pem()).build().unwrap();
    seed_flow_1(&client, &emulator);

    let (error, started) = login_error(&Client::new(emulator.url()).unwrap(), &emulator);
    assert_tls_error(&error, started);
}

#[test]
fn an_untrusted_certificate_is_a_tls_error_not_a_network_error() {
    let ca = TestCa::new("docspace-auth test CA");
    let emulator = serve(ca.leaf(&["localhost", "127.0.0.1"]));
    let (error, started) = login_error(&Client::new(emulator.url()).unwrap(), &emulator);
    assert_tls_error(&error, started);
    assert!(error.message().contains("UnknownIssuer"), "{error}");

    // Trusting some other CA does not help.
    let other = TestCa::new("another CA");
    let client = Client::builder(emulator.url()).ca_pem(other.pem.clone()).build().unwrap();
    let (error, started) = login_error(&client, &emulator);
    assert_tls_error(&error, started);

    // The same client works once the right CA is added too (both are trusted).
    let client = Client::builder(emulator.url()).ca_pem(other.pem).ca_pem(ca.pem).build().unwrap();
    let plain = user(&emulator, "no_tfa");
    assert!(client.login(&plain.email, &plain.password).is_ok());
}

#[test]
fn a_certificate_for_another_host_name_is_a_tls_error() {
    let ca = TestCa::new("docspace-auth test CA");
    let emulator = serve(ca.leaf(&["portal.example.com"]));
    let client = Client::builder(emulator.url()).ca_pem(ca.pem.clone()).build().unwrap();
    let (error, started) = login_error(&client, &emulator);
    assert_tls_error(&error, started);
    assert!(error.message().contains("not valid for name"), "{error}");
}

#[test]
fn an_expired_certificate_is_a_tls_error() {
    let ca = TestCa::new("docspace-auth test CA");
    let emulator = serve(ca.leaf_with(&["localhost", "127.0.0.1"], |params| {
        params.not_before = rcgen::date_time_ymd(2020, 1, 1);
        params.not_after = rcgen::date_time_ymd(2021, 1, 1);
    }));
    let client = Client::builder(emulator.url()).ca_pem(ca.pem.clone()).build().unwrap();
    let (error, started) = login_error(&client, &emulator);
    assert_tls_error(&error, started);
    assert!(error.message().contains("expired"), "{error}");

    // Not yet valid either.
    let emulator = serve(ca.leaf_with(&["localhost"], |params| {
        params.not_before = rcgen::date_time_ymd(2999, 1, 1);
        params.not_after = rcgen::date_time_ymd(3000, 1, 1);
    }));
    let client = Client::builder(emulator.url()).ca_pem(ca.pem.clone()).build().unwrap();
    let (error, started) = login_error(&client, &emulator);
    assert_tls_error(&error, started);
}

#[test]
fn a_leaf_used_as_a_ca_does_not_sign_other_certificates() {
    // A server certificate (no CA basic constraint) must not be accepted as an issuer.
    let ca = TestCa::new("docspace-auth test CA");
    let intermediate_key = KeyPair::generate().unwrap();
    let intermediate_params = leaf_params(&["not-a-ca.example"]);
    let intermediate = intermediate_params.signed_by(&intermediate_key, &ca.issuer).unwrap();
    let fake_issuer = Issuer::new(intermediate_params, intermediate_key);
    let key = KeyPair::generate().unwrap();
    let leaf = leaf_params(&["localhost"]).signed_by(&key, &fake_issuer).unwrap();
    let emulator = serve(TlsConfig {
        cert_chain_pem: format!("{}{}", leaf.pem(), intermediate.pem()),
        private_key_pem: key.serialize_pem(),
    });
    let client = Client::builder(emulator.url()).ca_pem(ca.pem.clone()).build().unwrap();
    let (error, started) = login_error(&client, &emulator);
    assert_tls_error(&error, started);
}

#[test]
fn bad_ca_input_is_an_invalid_argument_at_build() {
    let url = "https://portal.example.com";
    let build_error = |builder: docspace_auth::ClientBuilder| builder.build().expect_err("must be refused at build");

    let garbage = [
        "not a certificate".as_bytes().to_vec(),
        Vec::new(),
        b"-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n".to_vec(),
        // Well-formed PEM framing around bytes that are not a certificate.
        b"-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n".to_vec(),
        // A private key is not a CA.
        KeyPair::generate().unwrap().serialize_pem().into_bytes(),
        vec![0xff, 0x00, 0xfe],
    ];
    for pem in garbage {
        let shown = String::from_utf8_lossy(&pem).into_owned();
        let error = build_error(Client::builder(url).ca_pem(pem));
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{shown:?}: {error}");
        assert!(error.message().contains("CA") || error.message().contains("certificate"), "{error}");
    }

    let dir = TempDir::new();
    let missing = dir.0.join("does-not-exist.pem");
    let error = build_error(Client::builder(url).ca_file(&missing));
    assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
    assert!(error.message().contains("does-not-exist.pem"), "names the file: {error}");
    let error = build_error(Client::builder(url).ca_file(&dir.0));
    assert_eq!(error.kind(), ErrorKind::InvalidArgument, "a directory: {error}");
    let junk = dir.0.join("junk.pem");
    std::fs::write(&junk, "junk").unwrap();
    assert_eq!(build_error(Client::builder(url).ca_file(&junk)).kind(), ErrorKind::InvalidArgument);

    // One good CA does not excuse a bad one next to it.
    let ca = TestCa::new("docspace-auth test CA");
    let error = build_error(Client::builder(url).ca_pem(ca.pem.clone()).ca_file(&missing));
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    // A bundle of several CAs is fine.
    let other = TestCa::new("another CA");
    assert!(Client::builder(url).ca_pem(format!("{}{}", ca.pem, other.pem)).build().is_ok());
}

#[test]
fn plain_http_is_refused_for_non_loopback_hosts_unless_explicitly_allowed() {
    for url in [
        "http://portal.example.com",
        "http://portal.example.com:80/docspace",
        "http://10.0.0.1",
        "http://192.168.1.10:8092",
        "http://[2001:db8::1]",
        "http://localhost.example.com",
        "http://127.0.0.1.nip.io",
        "HTTP://PORTAL.EXAMPLE.COM",
    ] {
        let error = Client::new(url).expect_err(url);
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{url}");
        assert!(error.message().contains("allow_insecure_http"), "names the switch: {error}");
        let allowed = Client::builder(url).allow_insecure_http(true).build();
        assert!(allowed.is_ok(), "{url}: explicitly allowed");
    }
    for url in [
        "http://localhost:8092",
        "http://127.0.0.1",
        "http://127.1.2.3:1",
        "http://[::1]:8092",
        "http://portal.localhost",
    ] {
        assert!(Client::new(url).is_ok(), "{url}: loopback needs no opt-in");
    }
    for url in ["https://portal.example.com", "https://10.0.0.1:8443/docspace"] {
        assert!(Client::new(url).is_ok(), "{url}");
    }
    for url in ["ftp://portal.example.com", "ws://portal.example.com", "file:///etc/passwd"] {
        assert_eq!(
            Client::builder(url).allow_insecure_http(true).build().unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
    }
}

#[test]
fn localhost_subdomains_are_always_reached_on_loopback() {
    // `*.localhost` counts as loopback for the http rule (RFC 6761), so it must really be
    // loopback: the system resolver may send such names to DNS, which could answer anything.
    let emulator = Emulator::start(Config::default()).unwrap();
    let url = format!("http://portal.localhost:{}", emulator.addr().port());
    let client = Client::new(url).unwrap();
    let plain = user(&emulator, "no_tfa");
    assert!(matches!(client.login(&plain.email, &plain.password).unwrap(), LoginOutcome::Authenticated(_)));
}
