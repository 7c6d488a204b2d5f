//! [`Client`]: the DocSpace sign-in and 2FA flows, done the way the real portal works.
//!
//! # Thread safety
//! A `Client` is `Send + Sync`: share one between threads (calls run concurrently over a
//! connection pool) or make one per thread; both are supported and tested. Results
//! ([`Session`](crate::Session), [`Challenge`](crate::Challenge), …) are plain values, also
//! `Send + Sync`. No global state, no init/cleanup.

use std::path::Path;
use std::time::Duration;

use crate::error::Result;
use crate::transport::{Transport, TransportConfig};

/// Builds a [`Client`] with transport options. Start with [`Client::builder`].
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    config: TransportConfig,
}

impl std::fmt::Debug for ClientBuilder {
    /// The base URL is shown only when it carries no user name or password (such URLs are
    /// refused by [`ClientBuilder::build`], but could still be printed before that).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let has_user_info = url::Url::parse(self.base_url.trim())
            .map_or(true, |url| !url.username().is_empty() || url.password().is_some());
        let base_url = if has_user_info && self.base_url.contains('@') { "***" } else { self.base_url.as_str() };
        f.debug_struct("ClientBuilder").field("base_url", &base_url).field("config", &self.config).finish()
    }
}

impl ClientBuilder {
    /// Total time one request may take, connect included (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = timeout;
        self
    }

    /// Time to establish a connection, TLS included (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// Trust the CA certificate(s) in this PEM text, in addition to the system roots
    /// (self-hosted portals with their own CA).
    pub fn ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.config.ca_pem.push(pem.into());
        self
    }

    /// Trust the CA certificate(s) in this PEM file (read at [`ClientBuilder::build`]).
    pub fn ca_file(mut self, path: impl AsRef<Path>) -> Self {
        self.config.ca_files.push(path.as_ref().to_path_buf());
        self
    }

    /// Allow plain `http://` to hosts other than loopback. Off by default: the password
    /// and tokens would cross the network unencrypted.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.config.allow_insecure_http = allow;
        self
    }

    /// Prefix the `User-Agent` header with this product token (`myapp/1.2`); the library
    /// always adds `docspace-auth/<version>` after it.
    pub fn user_agent(mut self, product: impl Into<String>) -> Self {
        self.config.user_agent_prefix = Some(product.into());
        self
    }

    /// Largest answer body accepted, in bytes (default 1 MiB). Larger answers fail with
    /// [`crate::ErrorKind::UnexpectedResponse`].
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.config.max_response_bytes = limit;
        self
    }

    /// Ignore `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`/`NO_PROXY` (they are honoured by default).
    pub fn no_proxy(mut self) -> Self {
        self.config.use_env_proxy = false;
        self
    }

    /// Validate the options and build the client.
    ///
    /// Fails with [`crate::ErrorKind::InvalidArgument`] for an unusable base URL (not a URL,
    /// not http(s), a control character inside it, user info, query or fragment, plain http
    /// to a non-loopback host without [`ClientBuilder::allow_insecure_http`]) or an
    /// unreadable/invalid CA. Whitespace around the URL is ignored.
    pub fn build(self) -> Result<Client> {
        Ok(Client { transport: Transport::new(&self.base_url, self.config)? })
    }
}

/// A DocSpace portal client. See the module docs for thread safety.
#[derive(Debug, Clone)]
pub struct Client {
    pub(crate) transport: Transport,
}

impl Client {
    /// A builder for a client of the portal at `base_url` (`https://portal.example.com`).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder { base_url: base_url.into(), config: TransportConfig::default() }
    }

    /// A client with default options. Same errors as [`ClientBuilder::build`].
    pub fn new(base_url: impl Into<String>) -> Result<Client> {
        Client::builder(base_url).build()
    }

    /// The portal's base URL, normalised (always ends with `/`).
    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }
}

// The flows (`login`, `login_with_code`, `setup_app`, …) are `impl Client` blocks in `flows.rs`.
