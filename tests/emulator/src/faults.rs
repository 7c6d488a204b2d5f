//! Injected faults: the next N matching DocSpace requests are delayed, dropped, answered with
//! something broken, or get their normal answer altered.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::envelope::ApiError;
use crate::http::{Reply, JSON_CONTENT_TYPE};

/// Size of the `oversized` body: a valid envelope larger than any sane client limit.
const OVERSIZED_BYTES: usize = 16 * 1024 * 1024;

/// One queued fault. JSON form (`POST /__emulator/faults`): the same field names, all optional
/// except `path`; `times` defaults to 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Fault {
    /// Path prefix to match, case-insensitive (`/api/2.0/authentication` matches all of them).
    pub path: String,
    /// HTTP method to match; `None` matches any.
    pub method: Option<String>,
    /// How many requests the fault applies to.
    pub times: u32,
    /// Answer with this status instead of processing the request. The body is `body` or, if
    /// that is unset, `json-error`.
    pub status: Option<u16>,
    /// The kind of faulty body; see [`FaultBody`].
    pub body: Option<FaultBody>,
    /// Adds a `Retry-After` header with this exact value (seconds or an HTTP-date).
    pub retry_after: Option<String>,
    /// Waits this long before answering.
    pub delay_ms: u64,
    /// Closes the connection without answering; the request is not processed.
    pub drop_connection: bool,
}

impl Default for Fault {
    fn default() -> Self {
        Fault {
            path: "/".to_owned(),
            method: None,
            times: 1,
            status: None,
            body: None,
            retry_after: None,
            delay_ms: 0,
            drop_connection: false,
        }
    }
}

/// What the faulty answer's body looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FaultBody {
    /// An nginx-style HTML error page (`text/html`) instead of the answer.
    #[serde(rename = "html")]
    Html,
    /// A DocSpace error envelope for the status (its reason phrase as message) instead of the answer.
    #[serde(rename = "json-error")]
    JsonError,
    /// `text/plain` `"<status> <reason>"` instead of the answer.
    #[serde(rename = "text")]
    Text,
    /// The first half of the body: of the normal answer without `status`, of a `json-error`
    /// envelope with it. `Content-Length` matches the cut body.
    #[serde(rename = "truncated-json")]
    TruncatedJson,
    /// No body at all, `Content-Type: application/json`.
    #[serde(rename = "empty")]
    Empty,
    /// A valid success envelope of 16 MiB instead of the answer.
    #[serde(rename = "oversized")]
    Oversized,
    /// HTTP 200 carrying an error envelope; its `statusCode` is `status` (default 401), not
    /// the HTTP status.
    #[serde(rename = "error-envelope-200")]
    ErrorEnvelope200,
    /// The normal answer with unknown properties added to the envelope, to `response` (and to
    /// each object in a `response` list) and to `error`. Not combinable with `status`.
    #[serde(rename = "extra-fields")]
    ExtraFields,
    /// The normal answer without its `Set-Cookie` headers. Not combinable with `status`.
    #[serde(rename = "no-set-cookie")]
    NoSetCookie,
}

/// A fault the emulator refuses to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidFault(pub String);

impl std::fmt::Display for InvalidFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid fault: {}", self.0)
    }
}

impl std::error::Error for InvalidFault {}

impl Fault {
    pub(crate) fn validate(&self) -> Result<(), InvalidFault> {
        let invalid = |why: &str| Err(InvalidFault(why.to_owned()));
        if !self.path.starts_with('/') {
            return invalid("path must start with '/'");
        }
        if self.path.to_ascii_lowercase().starts_with(crate::controls::CONTROL_PREFIX) {
            return invalid("the emulator's own controls cannot be faulted");
        }
        if self.times == 0 {
            return invalid("times must be at least 1");
        }
        if self.status.is_some_and(|s| !(100..=599).contains(&s)) {
            return invalid("status must be 100..=599");
        }
        if self.status.is_some() && matches!(self.body, Some(FaultBody::ExtraFields | FaultBody::NoSetCookie)) {
            return invalid("extra-fields and no-set-cookie alter the normal answer and cannot have a status");
        }
        if self.method.as_deref().is_some_and(|m| m.is_empty() || !m.bytes().all(|b| b.is_ascii_alphabetic())) {
            return invalid("method must be an HTTP method name");
        }
        if self.retry_after.as_deref().is_some_and(|v| v.chars().any(char::is_control)) {
            return invalid("retry_after must be a header value");
        }
        Ok(())
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        path.to_ascii_lowercase().starts_with(&self.path.to_ascii_lowercase())
            && self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
    }

    /// Whether the request is answered by the fault alone, without being processed.
    pub(crate) fn replaces_answer(&self) -> bool {
        self.status.is_some()
            || matches!(
                self.body,
                Some(
                    FaultBody::Html
                        | FaultBody::JsonError
                        | FaultBody::Text
                        | FaultBody::Empty
                        | FaultBody::Oversized
                        | FaultBody::ErrorEnvelope200
                )
            )
    }

    /// The answer that replaces the normal one.
    pub(crate) fn replacement(&self) -> Reply {
        let body = self.body.unwrap_or(FaultBody::JsonError);
        let default_status = if body == FaultBody::JsonError { 500 } else { 200 };
        let status = self.status.unwrap_or(default_status);
        let reason = reason_phrase(status);
        let mut reply = match body {
            FaultBody::Html => Reply {
                status,
                headers: vec![("content-type", "text/html".to_owned())],
                body: format!(
                    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
                )
                .into_bytes(),
            },
            FaultBody::Text => Reply {
                status,
                headers: vec![("content-type", "text/plain; charset=utf-8".to_owned())],
                body: format!("{status} {reason}").into_bytes(),
            },
            FaultBody::Empty => Reply { status, headers: vec![("content-type", JSON_CONTENT_TYPE.to_owned())], body: Vec::new() },
            FaultBody::Oversized => {
                let mut body = String::with_capacity(OVERSIZED_BYTES + 128);
                body.push_str(r#"{"response":""#);
                body.extend(std::iter::repeat_n('x', OVERSIZED_BYTES));
                body.push_str(&format!(r#"","count":1,"links":[],"status":0,"statusCode":{status}}}"#));
                Reply::json(status, body)
            }
            FaultBody::ErrorEnvelope200 => {
                let inner = self.status.unwrap_or(401);
                Reply::json(200, error_envelope(inner))
            }
            FaultBody::JsonError | FaultBody::TruncatedJson | FaultBody::ExtraFields | FaultBody::NoSetCookie => {
                Reply::json(status, error_envelope(status))
            }
        };
        if body == FaultBody::TruncatedJson {
            reply.body.truncate(reply.body.len() / 2);
        }
        self.add_retry_after(reply)
    }

    /// Alters a normal answer (`extra-fields`, `no-set-cookie`, `truncated-json`) and adds
    /// `Retry-After`.
    pub(crate) fn alter(&self, mut reply: Reply) -> Reply {
        match self.body {
            Some(FaultBody::ExtraFields) => {
                if let Ok(mut value) = serde_json::from_slice::<Value>(&reply.body) {
                    add_extra_fields(&mut value);
                    reply.body = value.to_string().into_bytes();
                }
            }
            Some(FaultBody::NoSetCookie) => reply.headers.retain(|(name, _)| *name != "set-cookie"),
            Some(FaultBody::TruncatedJson) => reply.body.truncate(reply.body.len() / 2),
            _ => {}
        }
        self.add_retry_after(reply)
    }

    fn add_retry_after(&self, mut reply: Reply) -> Reply {
        if let Some(value) = &self.retry_after {
            reply.headers.push(("retry-after", value.clone()));
        }
        reply
    }
}

fn error_envelope(status: u16) -> String {
    let message = match status {
        401 => crate::envelope::AUTH_FAILED.to_owned(),
        _ => reason_phrase(status).to_owned(),
    };
    let status_for_envelope = ApiError { status, message, exception: None };
    status_for_envelope.to_json()
}

fn reason_phrase(status: u16) -> &'static str {
    hyper::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error")
}

/// Unknown properties a tolerant client must ignore.
fn add_extra_fields(envelope: &mut Value) {
    let extra = || json!({"note": "unknown property added by the emulator", "nested": [1, {"deep": null}]});
    let Value::Object(top) = envelope else { return };
    for key in ["response", "error"] {
        match top.get_mut(key) {
            Some(Value::Object(inner)) => {
                inner.insert("emulatorExtra".to_owned(), extra());
            }
            Some(Value::Array(items)) => {
                for item in items.iter_mut() {
                    if let Value::Object(inner) = item {
                        inner.insert("emulatorExtra".to_owned(), extra());
                    }
                }
            }
            _ => {}
        }
    }
    top.insert("emulatorExtra".to_owned(), extra());
    top.insert("total".to_owned(), Value::from(0));
}

/// Pending faults, first queued first matched.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    faults: VecDeque<Fault>,
}

impl FaultQueue {
    pub(crate) fn push(&mut self, fault: Fault) -> Result<(), InvalidFault> {
        fault.validate()?;
        self.faults.push_back(fault);
        Ok(())
    }

    pub(crate) fn clear(&mut self) -> usize {
        let n = self.faults.len();
        self.faults.clear();
        n
    }

    pub(crate) fn pending(&self) -> Vec<Fault> {
        self.faults.iter().cloned().collect()
    }

    /// Consumes one use of the first fault matching the request.
    pub(crate) fn take(&mut self, method: &str, path: &str) -> Option<Fault> {
        let index = self.faults.iter().position(|f| f.matches(method, path))?;
        let fault = self.faults[index].clone();
        if fault.times <= 1 {
            self.faults.remove(index);
        } else {
            self.faults[index].times -= 1;
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_json() {
        let fault: Fault = serde_json::from_str(
            r#"{"path":"/api/2.0/authentication","method":"POST","times":2,"status":503,"body":"html","retry_after":"120","delay_ms":0,"drop_connection":false}"#,
        )
        .unwrap();
        assert_eq!(fault.status, Some(503));
        assert_eq!(fault.body, Some(FaultBody::Html));
        let fault: Fault = serde_json::from_str(r#"{"path":"/x","body":"error-envelope-200"}"#).unwrap();
        assert_eq!((fault.times, fault.body), (1, Some(FaultBody::ErrorEnvelope200)));
        assert!(serde_json::from_str::<Fault>(r#"{"path":"/x","body":"nope"}"#).is_err());
    }

    #[test]
    fn queue_matches_prefix_method_and_counts_down() {
        let mut queue = FaultQueue::default();
        let fault =
            Fault { path: "/API/2.0/authentication".into(), method: Some("post".into()), times: 2, ..Fault::default() };
        queue.push(fault).unwrap();
        assert!(queue.take("GET", "/api/2.0/authentication").is_none());
        assert!(queue.take("POST", "/api/2.0/authentication/123").is_some());
        assert!(queue.take("POST", "/api/2.0/Authentication").is_some());
        assert!(queue.take("POST", "/api/2.0/authentication").is_none());
    }

    #[test]
    fn rejects_nonsense() {
        let mut queue = FaultQueue::default();
        assert!(queue.push(Fault { path: "nope".into(), ..Fault::default() }).is_err());
        assert!(queue
            .push(Fault { status: Some(500), body: Some(FaultBody::NoSetCookie), ..Fault::default() })
            .is_err());
        assert!(queue.push(Fault { path: "/__emulator/reset".into(), ..Fault::default() }).is_err());
        assert!(queue.push(Fault { times: 0, ..Fault::default() }).is_err());
    }

    #[test]
    fn error_envelope_200_keeps_http_200() {
        let fault = Fault { body: Some(FaultBody::ErrorEnvelope200), status: Some(403), ..Fault::default() };
        let reply = fault.replacement();
        assert_eq!(reply.status, 200);
        let json: Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(json["statusCode"], 403);
        assert_eq!(json["status"], 1);
    }
}
