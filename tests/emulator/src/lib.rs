//! A local ONLYOFFICE DocSpace portal for tests: the sign-in and two-factor endpoints over real
//! HTTP on loopback, behaving as `shared/CONTRACT.md` describes the real server.
//!
//! It is an independent implementation of the server side: it shares no TOTP, base32,
//! envelope or cookie code with the `docspace-auth` client, so a bug in one is caught by the
//! other. See `tests/emulator/README.md` for the seeded users, the controls, the fault kinds
//! and every simplification.
//!
//! ```no_run
//! use docspace_emulator::{Config, Emulator};
//!
//! let emulator = Emulator::start(Config::default())?;
//! let plain = emulator.users().into_iter().find(|u| u.kind == "no_tfa").unwrap();
//! println!("POST {}/api/2.0/authentication as {}", emulator.url(), plain.email);
//! emulator.control().set_clock_offset(3600); // an hour later: confirm keys have expired
//! # Ok::<(), std::io::Error>(())
//! ```

#![warn(missing_docs)]

mod auth;
mod body;
mod clock;
mod confirm;
mod controls;
mod cookies;
mod envelope;
mod faults;
mod http;
mod lockout;
mod qr;
mod random;
mod routes;
mod seed;
mod server;
mod sms;
mod state;
mod tfa;
mod tokens;
mod totp;

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

pub use controls::{Control, UserState};
pub use faults::{Fault, FaultBody, InvalidFault};
pub use seed::{SeedUser, USER_KINDS};
pub use state::{AddUserError, BackupCode};

/// How to start an [`Emulator`].
#[derive(Debug, Clone)]
pub struct Config {
    /// TCP port; 0 (the default) picks a free one.
    pub port: u16,
    /// Address to listen on; 127.0.0.1 by default.
    pub host: IpAddr,
    /// Serve HTTPS with this certificate instead of plain HTTP.
    pub tls: Option<TlsConfig>,
    /// The portal's machine key (it keys TOTP secrets and confirm keys); `None` = random.
    pub machine_key: Option<Vec<u8>>,
}

impl Default for Config {
    fn default() -> Self {
        Config { port: 0, host: IpAddr::V4(Ipv4Addr::LOCALHOST), tls: None, machine_key: None }
    }
}

/// A PEM certificate chain (leaf first) and its private key (PKCS#8, PKCS#1 or SEC1).
#[derive(Clone)]
pub struct TlsConfig {
    /// PEM `CERTIFICATE` blocks, leaf first.
    pub cert_chain_pem: String,
    /// The leaf's PEM private key.
    pub private_key_pem: String,
}

impl std::fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsConfig")
            .field("cert_chain_pem", &format_args!("{} bytes", self.cert_chain_pem.len()))
            .field("private_key_pem", &"<redacted>")
            .finish()
    }
}

/// A running emulator. Dropping it shuts the server down and joins its thread.
pub struct Emulator {
    url: String,
    addr: SocketAddr,
    control: Control,
    /// Stops the server and joins its thread when the emulator is dropped.
    _server: server::Server,
}

impl Emulator {
    /// Binds, seeds the portal and starts serving on background threads (its own tokio
    /// runtime). Returns once the socket is listening, so requests can be sent at once.
    /// Fails if the port is taken or the TLS material cannot be used.
    pub fn start(config: Config) -> io::Result<Emulator> {
        let listener = std::net::TcpListener::bind((config.host, config.port))?;
        let addr = listener.local_addr()?;
        let machine_key = config.machine_key.unwrap_or_else(|| random::bytes::<32>().to_vec());
        let shared = Arc::new(state::Shared::new(state::State::new(machine_key)));
        let server = server::spawn(listener, config.tls.as_ref(), Arc::clone(&shared))?;
        Ok(Emulator {
            url: server::public_url(addr, config.tls.is_some()),
            addr,
            control: Control::new(shared),
            _server: server,
        })
    }

    /// `http://127.0.0.1:PORT`, or `https://localhost:PORT` with TLS (the listener is still
    /// on the configured address; the name is one a test certificate can cover).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The socket address actually listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The portal's users: the seeded ones first, then any added through the controls.
    pub fn users(&self) -> Vec<SeedUser> {
        self.control.users()
    }

    /// In-process test controls (the same operations as `/__emulator/…`).
    pub fn control(&self) -> Control {
        self.control.clone()
    }
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator").field("url", &self.url).finish_non_exhaustive()
    }
}
