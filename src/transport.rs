//! HTTP transport: one `reqwest` blocking client per [`crate::Client`], the safety rules
//! (https only except loopback, same-origin redirects only, size cap, no retries of writes),
//! and mapping of transport failures to error kinds.

use std::io::Read;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use reqwest::blocking::Client as HttpClient;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE, COOKIE, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use url::Url;
use zeroize::Zeroizing;

use crate::cookie::SetCookie;
use crate::error::{Error, ErrorKind, Result};

const MAX_BASE_URL_LEN: usize = 2048;
const MAX_REDIRECTS: usize = 5;
const DEFAULT_MAX_RESPONSE_BYTES: usize = 1 << 20;

/// Transport options, filled by [`crate::ClientBuilder`].
#[derive(Debug, Clone)]
pub(crate) struct TransportConfig {
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub ca_pem: Vec<Vec<u8>>,
    pub ca_files: Vec<PathBuf>,
    pub allow_insecure_http: bool,
    pub user_agent_prefix: Option<String>,
    pub max_response_bytes: usize,
    pub use_env_proxy: bool,
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            ca_pem: Vec::new(),
            ca_files: Vec::new(),
            allow_insecure_http: false,
            user_agent_prefix: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            use_env_proxy: true,
        }
    }
}

/// The HTTP side of a client. Cloning shares the connection pool.
#[derive(Clone)]
pub(crate) struct Transport {
    http: HttpClient,
    base: String,
    max_response_bytes: usize,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport").field("base", &self.base).finish_non_exhaustive()
    }
}

/// How a request proves who it is.
pub(crate) enum Auth<'a> {
    None,
    /// A login token, sent as the `asc_auth_key` cookie (the only form logout honours).
    Cookie(&'a str),
    /// An API key, sent as `Authorization: Bearer`.
    Bearer(&'a str),
    /// The `confirm` scheme: the header value (`type=…&uid=…&key=…`).
    Confirm(&'a str),
}

/// One request to the portal. `path` is relative to the base URL and already encoded.
pub(crate) struct Request<'a> {
    pub method: Method,
    pub path: &'a str,
    pub auth: Auth<'a>,
    /// JSON body; wiped after sending because it may hold a password or code.
    pub body: Option<Zeroizing<Vec<u8>>>,
}

impl<'a> Request<'a> {
    pub fn new(method: Method, path: &'a str) -> Self {
        Request { method, path, auth: Auth::None, body: None }
    }

    pub fn auth(mut self, auth: Auth<'a>) -> Self {
        self.auth = auth;
        self
    }

    /// Serialise `value` as the JSON body.
    pub fn json<T: serde::Serialize>(mut self, value: &T) -> Self {
        // Serialising plain structs of strings cannot fail.
        let bytes = serde_json::to_vec(value).unwrap_or_default();
        self.body = Some(Zeroizing::new(bytes));
        self
    }
}

/// A complete answer: status, headers and the (size-capped) body.
#[derive(Debug)]
pub(crate) struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Zeroizing<Vec<u8>>,
}

impl Response {
    /// The decoded values of every `Set-Cookie` named `name` that sets a value, in order.
    /// Other cookies are not decoded.
    pub fn cookie_values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = Zeroizing<String>> + 's {
        self.headers
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| SetCookie::parse(v.as_bytes()))
            .filter(move |c| c.sets(name))
            .filter_map(|c| c.value())
    }

    /// The value of the last `Set-Cookie` named `name` that sets a value.
    pub fn cookie(&self, name: &str) -> Option<Zeroizing<String>> {
        self.cookie_values(name).last()
    }

    /// `Retry-After` as a delay: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
    pub fn retry_after(&self) -> Option<Duration> {
        let value = self.headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(Duration::from_secs(seconds));
        }
        let when = httpdate::parse_http_date(value).ok()?;
        Some(when.duration_since(std::time::SystemTime::now()).unwrap_or(Duration::ZERO))
    }
}

impl Transport {
    pub fn new(base_url: &str, config: TransportConfig) -> Result<Transport> {
        let base = normalise_base_url(base_url, config.allow_insecure_http)?;
        // reqwest is built without a bundled crypto provider; use ring unless the host
        // application already chose one (the call fails harmlessly then).
        let _ = rustls::crypto::ring::default_provider().install_default();

        let mut certs = Vec::new();
        for pem in &config.ca_pem {
            certs.extend(parse_ca_pem(pem, "the CA PEM text")?);
        }
        for path in &config.ca_files {
            let pem = std::fs::read(path)
                .map_err(|e| Error::invalid_argument(format!("cannot read the CA file {}: {e}", path.display())))?;
            certs.extend(parse_ca_pem(&pem, &format!("the CA file {}", path.display()))?);
        }

        let user_agent = match config.user_agent_prefix.as_deref().map(str::trim) {
            Some(prefix) if !prefix.is_empty() => format!("{prefix} docspace-auth/{}", crate::VERSION),
            _ => format!("docspace-auth/{}", crate::VERSION),
        };
        // HeaderValue alone would also take TAB and bytes >= 0x80 and send them raw.
        if !user_agent.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(Error::invalid_argument("the user agent must be printable ASCII"));
        }
        if config.timeout.is_zero() || config.connect_timeout.is_zero() {
            return Err(Error::invalid_argument("timeouts must be greater than zero"));
        }

        let mut builder = HttpClient::builder()
            .user_agent(user_agent)
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .redirect(same_origin_redirects())
            .tcp_nodelay(true)
            .http1_only();
        builder = if certs.is_empty() {
            builder.use_preconfigured_tls(shared_tls_config())
        } else {
            builder.tls_certs_merge(certs)
        };
        if !config.use_env_proxy {
            builder = builder.no_proxy();
        }
        if let Some(host) = Url::parse(&base).ok().as_ref().and_then(Url::host) {
            if is_loopback(&host) {
                // A proxy would reach its own loopback, not this machine's, and would read a
                // plain-http password on the way: loopback portals are always reached directly.
                builder = builder.no_proxy();
                if let url::Host::Domain(name) = host {
                    // `*.localhost` passes the http rule as loopback (RFC 6761), but the system
                    // resolver may ask DNS for it, which could answer anything: pin it.
                    let loopback =
                        [SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), SocketAddr::from((Ipv6Addr::LOCALHOST, 0))];
                    builder = builder.resolve_to_addrs(name, &loopback);
                }
            }
        }
        let http = builder
            .build()
            .map_err(|e| Error::new(ErrorKind::InvalidArgument, format!("cannot set up HTTP: {}", root_cause(&e))))?;
        Ok(Transport { http, base, max_response_bytes: config.max_response_bytes })
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// Send one request and read the whole answer. Never retries on its own.
    pub fn send(&self, request: Request<'_>) -> Result<Response> {
        let url = format!("{}{}", self.base, request.path);
        let mut builder = self.http.request(request.method, url).header(reqwest::header::ACCEPT, "application/json");
        match request.auth {
            Auth::None => {}
            Auth::Cookie(token) => {
                let cookie = Zeroizing::new(format!("asc_auth_key={}", percent_encode(token).as_str()));
                builder = builder.header(COOKIE, sensitive_header(&cookie)?);
            }
            Auth::Bearer(key) => {
                let value = Zeroizing::new(format!("Bearer {key}"));
                builder = builder.header(AUTHORIZATION, sensitive_header(&value)?);
            }
            Auth::Confirm(value) => builder = builder.header("confirm", sensitive_header(value)?),
        }
        if let Some(body) = &request.body {
            // reqwest needs its own buffer, which it does not wipe; ours is wiped on drop.
            builder = builder.header(CONTENT_TYPE, "application/json").body(body.to_vec());
        }

        let mut response = builder.send().map_err(|e| map_transport_error(&e))?;
        let status = response.status();
        if status.is_redirection() {
            return Err(Error::new(
                ErrorKind::UnexpectedResponse,
                "the portal redirected to another address; not followed so that credentials are not sent there. \
                 Check the base URL (scheme, host, port).",
            )
            .with_status(status.as_u16()));
        }
        let headers = std::mem::take(response.headers_mut());
        let body = self.read_body(response, status)?;
        Ok(Response { status: status.as_u16(), headers, body: Zeroizing::new(body) })
    }

    fn read_body(&self, response: reqwest::blocking::Response, status: StatusCode) -> Result<Vec<u8>> {
        let limit = self.max_response_bytes;
        let too_large = || {
            Error::new(
                ErrorKind::UnexpectedResponse,
                format!("the answer is larger than the {limit}-byte limit; is the base URL a DocSpace portal?"),
            )
            .with_status(status.as_u16())
        };
        let content_length = response.content_length();
        if content_length.is_some_and(|len| len > limit as u64) {
            return Err(too_large());
        }
        // Sized up front when the length is known: growing the buffer would copy the answer,
        // which may hold a token, into allocations freed without being wiped.
        let mut body = Vec::with_capacity(content_length.map_or(0, |len| len as usize));
        response
            .take(limit as u64 + 1)
            .read_to_end(&mut body)
            .map_err(|e| read_error(&e).with_status(status.as_u16()))?;
        if body.len() > limit {
            return Err(too_large());
        }
        Ok(body)
    }
}

/// The TLS configuration of every client that trusts only the system roots. Building the
/// platform verifier parses the system CA store: about 100 KiB per client if each built its
/// own (bench/, "one extra client handle"). Without any system CA store the verifier cannot
/// be built; clients then get an empty trust store, so plain http to loopback still works and
/// https fails at the handshake with a `Tls` error instead of every client failing to build.
fn shared_tls_config() -> rustls::ClientConfig {
    static CONFIG: OnceLock<rustls::ClientConfig> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let provider = rustls::crypto::CryptoProvider::get_default()
                .cloned()
                .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
            let builder = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
                .with_safe_default_protocol_versions()
                .expect("the ring provider supports the default protocol versions");
            let mut config = match rustls_platform_verifier::Verifier::new(provider) {
                Ok(verifier) => builder.dangerous().with_custom_certificate_verifier(Arc::new(verifier)),
                Err(_) => builder.with_root_certificates(rustls::RootCertStore::empty()),
            }
            .with_no_client_auth();
            // What reqwest itself sets for an HTTP/1-only client.
            config.alpn_protocols = vec![b"http/1.1".to_vec()];
            config
        })
        .clone()
}

/// Follow redirects only within the origin of the first request: a redirect elsewhere would
/// carry the cookie, confirm header or (307/308) the password body to another host.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt.previous().first().is_some_and(|first| first.origin() == attempt.url().origin());
        if same_origin && attempt.previous().len() <= MAX_REDIRECTS {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

fn sensitive_header(value: &str) -> Result<HeaderValue> {
    let mut header = HeaderValue::from_str(value)
        .map_err(|_| Error::invalid_argument("a credential contains characters that cannot be sent in a header"))?;
    header.set_sensitive(true);
    Ok(header)
}

/// Percent-encode everything but RFC 3986 unreserved characters (`A-Za-z0-9-_.~`). Used for
/// request-path segments, `confirm` header values and the token in the `Cookie` header (the
/// portal URL-decodes cookie values, and ASP.NET writes `+`, `/`, `=` encoded). The result
/// may be a secret, so it is wiped on drop.
pub(crate) fn percent_encode(value: &str) -> Zeroizing<String> {
    const UNRESERVED: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    Zeroizing::new(percent_encoding::utf8_percent_encode(value, UNRESERVED).to_string())
}

/// Check and normalise the base URL; the result always ends with `/`.
fn normalise_base_url(input: &str, allow_insecure_http: bool) -> Result<String> {
    let input = input.trim();
    if input.is_empty() {
        return Err(Error::invalid_argument("the portal base URL is empty; pass e.g. https://portal.example.com"));
    }
    if input.len() > MAX_BASE_URL_LEN {
        return Err(Error::invalid_argument(format!("the portal base URL is longer than {MAX_BASE_URL_LEN} bytes")));
    }
    // The URL parser would silently drop a tab or line break inside (WHATWG), turning a
    // mangled address into another one instead of an error.
    if input.chars().any(char::is_control) {
        return Err(Error::invalid_argument(
            "the portal base URL contains a control character (tab, line break…); check where it was read from",
        ));
    }
    let mut url = Url::parse(input).map_err(|e| {
        Error::invalid_argument(format!("the portal base URL is not a URL ({e}); pass e.g. https://portal.example.com"))
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid_argument("the portal base URL must not contain a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid_argument("the portal base URL must not have a query or fragment"));
    }
    let host = url.host().ok_or_else(|| Error::invalid_argument("the portal base URL has no host"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(&host) => {}
        "http" => {
            return Err(Error::invalid_argument(
                "plain http is refused for a non-loopback portal: passwords and tokens would travel unencrypted. \
                 Use https, or opt in explicitly with allow_insecure_http",
            ))
        }
        other => return Err(Error::invalid_argument(format!("the portal base URL must be http(s), not {other}"))),
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url.to_string())
}

fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(name) => {
            name.eq_ignore_ascii_case("localhost") || name.to_ascii_lowercase().ends_with(".localhost")
        }
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    }
}

fn parse_ca_pem(pem: &[u8], what: &str) -> Result<Vec<reqwest::Certificate>> {
    let certs = reqwest::Certificate::from_pem_bundle(pem)
        .map_err(|e| Error::invalid_argument(format!("{what} is not valid PEM: {}", root_cause(&e))))?;
    if certs.is_empty() {
        return Err(Error::invalid_argument(format!("{what} contains no certificate")));
    }
    Ok(certs)
}

/// Map a reqwest failure to a kind. The message names the cause but never the URL (a code
/// may be part of the path).
fn map_transport_error(error: &reqwest::Error) -> Error {
    let cause = root_cause(error);
    if error.is_timeout() {
        return Error::new(
            ErrorKind::Timeout,
            "the portal did not answer in time; try again later or raise the timeout",
        );
    }
    if is_tls_error(error) {
        return Error::new(
            ErrorKind::Tls,
            format!("the TLS connection to the portal failed ({cause}); if the portal uses its own CA, pass it as the CA file"),
        );
    }
    if error.is_redirect() {
        return Error::new(ErrorKind::UnexpectedResponse, "the portal redirected too many times");
    }
    Error::new(ErrorKind::Network, format!("could not reach the portal ({cause}); check the URL and the network"))
}

fn read_error(error: &std::io::Error) -> Error {
    // The blocking body reader reports timeouts as io errors wrapping reqwest's.
    let timed_out = error.kind() == std::io::ErrorKind::TimedOut
        || error.get_ref().and_then(|e| e.downcast_ref::<reqwest::Error>()).is_some_and(reqwest::Error::is_timeout);
    if timed_out {
        Error::new(
            ErrorKind::Timeout,
            "the portal did not finish its answer in time; try again later or raise the timeout",
        )
    } else {
        Error::new(ErrorKind::Network, format!("the connection broke while reading the answer ({error})"))
    }
}

fn is_tls_error(error: &(dyn std::error::Error + 'static)) -> bool {
    causes(error).any(|e| e.is::<rustls::Error>())
}

/// The innermost cause's text: the useful part ("connection refused", "invalid peer
/// certificate: UnknownIssuer") without reqwest's wrapper, which names the URL.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    causes(error).last().map_or_else(String::new, ToString::to_string)
}

/// The error and its causes, outermost first. `io::Error::source` skips the error it wraps,
/// and hyper nests io errors (a rustls error inside io::Error inside io::Error), so wrapped
/// io errors are opened with `get_ref` instead.
fn causes<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(error), |e| match e.downcast_ref::<std::io::Error>() {
        Some(io) => io.get_ref().map(|inner| inner as &(dyn std::error::Error + 'static)),
        None => e.source(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_rules() {
        assert_eq!(normalise_base_url("https://portal.example.com", false).unwrap(), "https://portal.example.com/");
        assert_eq!(normalise_base_url(" https://x.example/docspace ", false).unwrap(), "https://x.example/docspace/");
        assert_eq!(normalise_base_url("http://127.0.0.1:8080", false).unwrap(), "http://127.0.0.1:8080/");
        assert_eq!(normalise_base_url("http://[::1]:80/", false).unwrap(), "http://[::1]/");
        assert_eq!(normalise_base_url("http://localhost:1", false).unwrap(), "http://localhost:1/");
        assert!(normalise_base_url("http://portal.example.com", true).is_ok());
        for bad in [
            "",
            "portal.example.com",
            "ftp://x.example",
            "http://portal.example.com",
            "https://u:p@x.example",
            "https://x.example/?a=1",
            "https://x.example/#f",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "https://portal\n.example.com",
            "https://portal.exam\tple.com",
            "https://portal.example.com/\r/docspace",
            "https://portal.example.com\u{0}",
        ] {
            let err = normalise_base_url(bad, false).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{bad}");
            assert!(!err.message().contains("u:p"));
        }
        assert!(normalise_base_url(&format!("https://x.example/{}", "a".repeat(3000)), false).is_err());
        // Surrounding whitespace, such as the line break of a value read from a file, is fine.
        assert_eq!(normalise_base_url("https://x.example\n", false).unwrap(), "https://x.example/");
    }

    #[test]
    fn user_agents_must_be_printable_ascii() {
        for bad in ["café/1", "app\t/1", "app\n/1"] {
            let config = TransportConfig { user_agent_prefix: Some(bad.into()), ..TransportConfig::default() };
            assert_eq!(Transport::new("http://127.0.0.1:1", config).unwrap_err().kind(), ErrorKind::InvalidArgument);
        }
        let config = TransportConfig { user_agent_prefix: Some("app/1.2 (ops)".into()), ..TransportConfig::default() };
        assert!(Transport::new("http://127.0.0.1:1", config).is_ok());
    }

    #[test]
    fn cookie_values_are_percent_encoded() {
        assert_eq!(&*percent_encode("ab+/c=="), "ab%2B%2Fc%3D%3D");
        assert_eq!(&*percent_encode("A-z_0.9~"), "A-z_0.9~");
        assert_eq!(&*percent_encode("12/3?#%.."), "12%2F3%3F%23%25..", "a code cannot escape its path segment");
    }
}
