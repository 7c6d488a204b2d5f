//! The HTTP(S)/1.1 server: a tokio runtime on a background thread, hyper connections with
//! keep-alive, optional rustls, and the split between controls, faults and DocSpace routes.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::sync::Notify;
use tokio_rustls::TlsAcceptor;

use crate::controls::{Control, CONTROL_PREFIX};
use crate::http::{Reply, Req};
use crate::routes;
use crate::state::Shared;
use crate::TlsConfig;

/// Request bodies above this size get 413 (the endpoints take a few hundred bytes).
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The running server. Dropping it stops accepting, ends the runtime and joins its thread.
pub(crate) struct Server {
    shutdown: Arc<Notify>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        // notify_one stores a permit, so this works even before the loop first waits.
        self.shutdown.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Serves `listener` (already bound and listening) on a new background thread.
pub(crate) fn spawn(
    listener: std::net::TcpListener,
    tls: Option<&TlsConfig>,
    shared: Arc<Shared>,
) -> io::Result<Server> {
    let acceptor = tls.map(tls_acceptor).transpose()?;
    let fallback_host = listener.local_addr()?.to_string();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("docspace-emulator-worker")
        .enable_all()
        .build()?;
    listener.set_nonblocking(true)?;
    let listener = {
        let _guard = runtime.enter();
        tokio::net::TcpListener::from_std(listener)?
    };
    let shutdown = Arc::new(Notify::new());
    let stop = Arc::clone(&shutdown);
    let thread = std::thread::Builder::new().name("docspace-emulator".to_owned()).spawn(move || {
        runtime.block_on(accept_loop(listener, acceptor, shared, fallback_host, stop));
        // Open keep-alive connections are simply cut.
        runtime.shutdown_timeout(Duration::from_secs(1));
    })?;
    Ok(Server { shutdown, thread: Some(thread) })
}

fn tls_acceptor(tls: &TlsConfig) -> io::Result<TlsAcceptor> {
    let invalid =
        |what: &str, e: &dyn std::fmt::Display| io::Error::new(io::ErrorKind::InvalidInput, format!("{what}: {e}"));
    let certs = CertificateDer::pem_slice_iter(tls.cert_chain_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid("TLS certificate chain", &e))?;
    if certs.is_empty() {
        return Err(invalid("TLS certificate chain", &"no CERTIFICATE in the PEM"));
    }
    let key =
        PrivateKeyDer::from_pem_slice(tls.private_key_pem.as_bytes()).map_err(|e| invalid("TLS private key", &e))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid("TLS setup", &e))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| invalid("TLS certificate", &e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

async fn accept_loop(
    listener: tokio::net::TcpListener,
    tls: Option<TlsAcceptor>,
    shared: Arc<Shared>,
    fallback_host: String,
    shutdown: Arc<Notify>,
) {
    loop {
        let accepted = tokio::select! {
            _ = shutdown.notified() => return,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, peer)) = accepted else {
            // Typically out of file descriptors: back off instead of spinning.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let conn = Connection { peer: peer.ip(), shared: Arc::clone(&shared), fallback_host: fallback_host.clone() };
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(stream).await {
                        conn.serve(TokioIo::new(stream), true).await;
                    }
                }
                None => conn.serve(TokioIo::new(stream), false).await,
            }
        });
    }
}

/// What every request on one connection shares.
#[derive(Clone)]
struct Connection {
    peer: IpAddr,
    shared: Arc<Shared>,
    fallback_host: String,
}

/// Returned by the service to make hyper close the connection without an answer.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for DropConnection {}

impl Connection {
    async fn serve<I>(self, io: I, secure: bool)
    where
        I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    {
        let service = service_fn(move |request| {
            let conn = self.clone();
            async move { conn.handle(request, secure).await }
        });
        // Errors here are the client's (reset, bad request line) or our deliberate drops.
        let _ = http1::Builder::new().keep_alive(true).serve_connection(io, service).await;
    }

    async fn handle(self, request: Request<Incoming>, secure: bool) -> Result<Response<Full<Bytes>>, DropConnection> {
        let (parts, body) = request.into_parts();
        let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => return Ok(to_response(Reply::empty(413))),
            Err(_) => return Err(DropConnection),
        };
        let req = Req {
            method: parts.method.as_str().to_owned(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
            headers: parts.headers,
            body,
            remote_ip: self.peer,
            secure,
            fallback_host: self.fallback_host.clone(),
        };
        let reply = if req.path.to_ascii_lowercase().starts_with(CONTROL_PREFIX) {
            Control::new(Arc::clone(&self.shared)).handle_http(&req)
        } else {
            self.docspace(&req).await?
        };
        Ok(to_response(reply))
    }

    /// A DocSpace request, with the first matching fault (if any) applied.
    async fn docspace(&self, req: &Req) -> Result<Reply, DropConnection> {
        let fault = self.shared.lock().faults.take(&req.method, &req.path);
        let Some(fault) = fault else {
            return Ok(routes::dispatch(req, &mut self.shared.lock()));
        };
        if fault.delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
        }
        if fault.drop_connection {
            return Err(DropConnection);
        }
        if fault.replaces_answer() {
            return Ok(fault.replacement());
        }
        let reply = routes::dispatch(req, &mut self.shared.lock());
        Ok(fault.alter(reply))
    }
}

fn to_response(reply: Reply) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    for (name, value) in reply.headers {
        // Values come from our own code or from validated fault fields; skip rather than panic.
        if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
            headers.append(name, value);
        }
    }
    response
}

/// The URL clients use: `https://localhost:PORT` with TLS (test certificates name localhost),
/// else `http://IP:PORT` (127.0.0.1 when listening on all interfaces).
pub(crate) fn public_url(addr: SocketAddr, tls: bool) -> String {
    if tls {
        return format!("https://localhost:{}", addr.port());
    }
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("http://127.0.0.1:{}", addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("http://[::1]:{}", addr.port()),
        _ => format!("http://{addr}"),
    }
}
