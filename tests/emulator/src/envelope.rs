//! The JSON envelopes (CONTRACT.md §1.3, §1.4), written by hand so the property order and the
//! explicit `null`s match the server byte for byte.

use serde::Serialize;

/// A controller exception, rendered the way `CustomExceptionHandler` renders it.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: u16,
    pub message: String,
    /// `Some` for the exception classes whose type, stack and HResult the server writes.
    pub exception: Option<ExceptionInfo>,
}

#[derive(Debug, Clone)]
pub(crate) struct ExceptionInfo {
    pub type_name: &'static str,
    pub hresult: i32,
    /// The throwing method, used as the top frame of the (abbreviated) stack.
    pub site: &'static str,
}

pub(crate) const AUTH_FAILED: &str = "User authentication failed";
pub(crate) const TFA_NOT_AVAILABLE: &str = "TFA application settings are not available";
pub(crate) const NO_PERMISSIONS: &str = "No permissions to perform this action";
pub(crate) const TOO_MANY_CODES: &str = "You have sent too many text messages. Please try again later.";

impl ApiError {
    fn with_exception(status: u16, message: &str, type_name: &'static str, hresult: i32, site: &'static str) -> Self {
        ApiError { status, message: message.to_owned(), exception: Some(ExceptionInfo { type_name, hresult, site }) }
    }

    fn without_exception(status: u16, message: &str) -> Self {
        ApiError { status, message: message.to_owned(), exception: None }
    }

    /// `AuthenticationException`: 401, type and stack not written.
    pub(crate) fn authentication() -> Self {
        Self::without_exception(401, AUTH_FAILED)
    }

    /// `BruteForceCredentialException`: 403, type and stack not written.
    pub(crate) fn brute_force(message: &str) -> Self {
        Self::without_exception(403, message)
    }

    /// `ArgumentException`: 400.
    pub(crate) fn argument(message: &str, site: &'static str) -> Self {
        Self::with_exception(400, message, "System.ArgumentException", -2_147_024_809, site)
    }

    /// `InvalidOperationException`: 403.
    pub(crate) fn invalid_operation(message: &str, site: &'static str) -> Self {
        Self::with_exception(403, message, "System.InvalidOperationException", -2_146_233_079, site)
    }

    /// `SecurityException`: 403 with the fixed message "Access denied".
    pub(crate) fn access_denied(site: &'static str) -> Self {
        Self::with_exception(403, "Access denied", "System.Security.SecurityException", -2_146_233_078, site)
    }

    /// A plain `Exception` (or any unmapped one): 500.
    pub(crate) fn internal(message: &str, type_name: &'static str, hresult: i32, site: &'static str) -> Self {
        Self::with_exception(500, message, type_name, hresult, site)
    }

    /// `{"error":{"message":…,"type":…,"stack":…,"hresult":…},"status":1,"statusCode":N}`
    pub(crate) fn to_json(&self) -> String {
        let (type_name, stack, hresult) = match &self.exception {
            Some(e) => (
                json_string(e.type_name),
                json_string(&format!(
                    "   at {}\n   at ASC.Api.Core.Middleware.CustomResponseFilterAttribute.OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)",
                    e.site
                )),
                e.hresult,
            ),
            None => ("null".to_owned(), "null".to_owned(), 0),
        };
        format!(
            r#"{{"error":{{"message":{},"type":{type_name},"stack":{stack},"hresult":{hresult}}},"status":1,"statusCode":{}}}"#,
            json_string(&self.message),
            self.status
        )
    }
}

/// What an action returned, already serialised, with the `count` the response filter computes.
#[derive(Debug, Clone)]
pub(crate) struct Payload {
    json: Option<String>,
    count: usize,
}

impl Payload {
    /// The action returned `null`: no `response` property, `count` 0.
    pub(crate) fn none() -> Self {
        Payload { json: None, count: 0 }
    }

    /// Any single value (object, string, bool): `count` 1.
    pub(crate) fn value<T: Serialize + ?Sized>(value: &T) -> Self {
        Payload { json: Some(to_json(value)), count: 1 }
    }

    /// A list: `count` is its length.
    pub(crate) fn list<T: Serialize>(items: &[T]) -> Self {
        Payload { json: Some(to_json(items)), count: items.len() }
    }
}

/// `{"response":…,"count":…,"links":[{"href":…,"action":…}],"status":S,"statusCode":N}`;
/// `response` is left out when the action returned null.
pub(crate) fn success(payload: &Payload, href: &str, method: &str, status: u8, status_code: u16) -> String {
    let response = match &payload.json {
        Some(json) => format!(r#""response":{json},"#),
        None => String::new(),
    };
    format!(
        r#"{{{response}"count":{},"links":[{{"href":{},"action":{}}}],"status":{status},"statusCode":{status_code}}}"#,
        payload.count,
        json_string(href),
        json_string(method)
    )
}

/// The ASP.NET `ValidationProblemDetails` of an automatic 400, as the response filter wraps it:
/// a success envelope with `status: 1`.
pub(crate) fn validation_problem(errors: &[(String, String)], href: &str, method: &str) -> String {
    let mut fields = serde_json::Map::new();
    for (field, message) in errors {
        let entry = fields.entry(field.clone()).or_insert_with(|| serde_json::Value::Array(Vec::new()));
        if let serde_json::Value::Array(list) = entry {
            list.push(serde_json::Value::String(message.clone()));
        }
    }
    let problem = format!(
        r#"{{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,"errors":{},"traceId":{}}}"#,
        serde_json::Value::Object(fields),
        json_string(&trace_id())
    );
    let payload = Payload { json: Some(problem), count: 1 };
    success(&payload, href, method, 1, 400)
}

/// The 415 `ProblemDetails` of a body sent with a non-JSON content type, wrapped the same way.
pub(crate) fn unsupported_media_type(href: &str, method: &str) -> String {
    let problem = format!(
        r#"{{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.16","title":"Unsupported Media Type","status":415,"traceId":{}}}"#,
        json_string(&trace_id())
    );
    let payload = Payload { json: Some(problem), count: 1 };
    success(&payload, href, method, 1, 415)
}

/// A W3C trace id in the `00-<32 hex>-<16 hex>-00` form ASP.NET puts in problem details.
fn trace_id() -> String {
    let ids = crate::random::bytes::<24>();
    format!("00-{}-{}-00", crate::random::hex(&ids[..16]), crate::random::hex(&ids[16..]))
}

pub(crate) fn json_string(s: &str) -> String {
    to_json(s)
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    // Serialising plain data (strings, bools, derived structs) into a String cannot fail.
    serde_json::to_string(value).expect("plain data serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_envelope_shape() {
        let href = "http://127.0.0.1:1/api/2.0/settings/tfaappcodes";
        assert_eq!(
            success(&Payload::value(&true), href, "GET", 0, 200),
            r#"{"response":true,"count":1,"links":[{"href":"http://127.0.0.1:1/api/2.0/settings/tfaappcodes","action":"GET"}],"status":0,"statusCode":200}"#
        );
        assert_eq!(
            success(&Payload::none(), href, "POST", 0, 200),
            r#"{"count":0,"links":[{"href":"http://127.0.0.1:1/api/2.0/settings/tfaappcodes","action":"POST"}],"status":0,"statusCode":200}"#
        );
        assert!(
            success(&Payload::list(&[1, 2, 3]), href, "GET", 0, 200).starts_with(r#"{"response":[1,2,3],"count":3,"#)
        );
    }

    #[test]
    fn error_envelope_shapes() {
        assert_eq!(
            ApiError::authentication().to_json(),
            r#"{"error":{"message":"User authentication failed","type":null,"stack":null,"hresult":0},"status":1,"statusCode":401}"#
        );
        let json: serde_json::Value =
            serde_json::from_str(&ApiError::argument("Incorrect code", "X.Y()").to_json()).unwrap();
        assert_eq!(json["error"]["type"], "System.ArgumentException");
        assert_eq!(json["error"]["hresult"], -2_147_024_809);
        assert!(json["error"]["stack"].as_str().unwrap().starts_with("   at X.Y()"));
        assert_eq!(json["statusCode"], 400);
    }
}
