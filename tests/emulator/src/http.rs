//! The request as the handlers see it (fully read, transport-independent) and the reply they
//! build.

use std::net::IpAddr;

use bytes::Bytes;
use hyper::HeaderMap;

use crate::cookies;

pub(crate) const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

pub(crate) struct Req {
    /// Upper-case method as sent.
    pub method: String,
    /// Path as sent (not decoded, original case).
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub remote_ip: IpAddr,
    pub secure: bool,
    /// `host:port` of the listener, used when the request has no `Host` header.
    pub fallback_host: String,
}

impl Req {
    /// The first value of a header, if it is visible ASCII.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub(crate) fn cookie(&self, name: &str) -> Option<&str> {
        let values = self.headers.get_all(hyper::header::COOKIE).iter().filter_map(|v| v.to_str().ok());
        cookies::find(values, name)
    }

    /// `scheme://host[:port]` as the client addressed us; the base of `confirmUrl`s.
    pub(crate) fn base_url(&self) -> String {
        let scheme = if self.secure { "https" } else { "http" };
        let host = self.header("host").filter(|h| !h.is_empty()).unwrap_or(&self.fallback_host);
        format!("{scheme}://{host}")
    }

    /// The full request URL (`GetDisplayUrl`): the `href` of the envelope's `links`.
    pub(crate) fn display_url(&self) -> String {
        match &self.query {
            Some(q) => format!("{}{}?{q}", self.base_url(), self.path),
            None => format!("{}{}", self.base_url(), self.path),
        }
    }

    /// The TOTP issuer: the host the request came to, lower-case, without the port.
    pub(crate) fn host_name(&self) -> String {
        let host = self.header("host").filter(|h| !h.is_empty()).unwrap_or(&self.fallback_host);
        let name = if host.starts_with('[') {
            host.split_once(']').map_or(host, |(v6, _)| v6.trim_start_matches('['))
        } else {
            host.rsplit_once(':').map_or(host, |(name, _)| name)
        };
        name.to_ascii_lowercase()
    }

    pub(crate) fn query_param(&self, name: &str) -> Option<String> {
        self.query
            .as_deref()?
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(n, _)| cookies::percent_decode(n).eq_ignore_ascii_case(name))
            .map(|(_, v)| cookies::percent_decode(&v.replace('+', " ")))
    }

    /// The brute-force key's IP: query parameter `request-x-real-ip` if present, else the peer.
    pub(crate) fn client_ip(&self) -> String {
        self.query_param("request-x-real-ip").filter(|ip| !ip.is_empty()).unwrap_or_else(|| self.remote_ip.to_string())
    }
}

/// A complete HTTP answer.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub(crate) fn json(status: u16, body: String) -> Reply {
        Reply { status, headers: vec![("content-type", JSON_CONTENT_TYPE.to_owned())], body: body.into_bytes() }
    }

    /// The auth layer's and the router's answers: a status with no body at all.
    pub(crate) fn empty(status: u16) -> Reply {
        Reply { status, headers: Vec::new(), body: Vec::new() }
    }

    pub(crate) fn with_set_cookies(mut self, cookies: Vec<String>) -> Reply {
        self.headers.extend(cookies.into_iter().map(|c| ("set-cookie", c)));
        self
    }
}
