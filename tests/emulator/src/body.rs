//! JSON model binding as ASP.NET does it for these controllers (CONTRACT.md §1.1): property names
//! match case-insensitively, numbers may come as strings, unknown properties are ignored, and a
//! body that cannot be bound is an automatic 400 with `ValidationProblemDetails`.

use serde_json::{Map, Value};

use crate::http::Req;

/// Why a `[FromBody]` parameter could not be bound.
#[derive(Debug)]
pub(crate) enum BindError {
    /// 400: field → messages, as in `ValidationProblemDetails.errors`.
    Invalid(Vec<(String, String)>),
    /// 415: a body with a content type other than JSON.
    UnsupportedMediaType,
}

/// A bound JSON object.
pub(crate) struct Body {
    map: Map<String, Value>,
}

impl Body {
    /// Binds the request body as the action parameter `param` (which names the errors).
    pub(crate) fn bind(req: &Req, param: &str) -> Result<Body, BindError> {
        let content_type = req.header("content-type").unwrap_or("").to_ascii_lowercase();
        let media_type = content_type.split(';').next().unwrap_or("").trim();
        let is_json = media_type == "application/json" || media_type == "text/json" || media_type.ends_with("+json");
        if !is_json {
            return Err(BindError::UnsupportedMediaType);
        }
        if req.body.iter().all(u8::is_ascii_whitespace) {
            return Err(BindError::Invalid(vec![(String::new(), "A non-empty request body is required.".to_owned())]));
        }
        match serde_json::from_slice::<Value>(&req.body) {
            Ok(Value::Object(map)) => Ok(Body { map }),
            Ok(_) => Err(Self::conversion_error("$", "an object")),
            Err(e) => Err(BindError::Invalid(vec![
                (param.to_owned(), format!("The {param} field is required.")),
                (
                    "$".to_owned(),
                    format!(
                        "'{e}' is an invalid JSON literal. Path: $ | LineNumber: {} | BytePositionInLine: {}.",
                        e.line().saturating_sub(1),
                        e.column()
                    ),
                ),
            ])),
        }
    }

    /// The property named `name`, ignoring case; `null` counts as absent.
    fn get(&self, name: &str) -> Option<&Value> {
        self.map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v).filter(|v| !v.is_null())
    }

    /// The property exists, even if it is `null` (C# `required` only asks for presence).
    pub(crate) fn has(&self, name: &str) -> bool {
        self.map.keys().any(|k| k.eq_ignore_ascii_case(name))
    }

    /// The property exists and is not `null`.
    pub(crate) fn present(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub(crate) fn string(&self, name: &str) -> Result<Option<String>, BindError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Self::conversion_error(&format!("$.{name}"), "System.String")),
        }
    }

    /// Booleans must be JSON booleans: `AllowReadingFromString` covers numbers only.
    pub(crate) fn boolean(&self, name: &str) -> Result<Option<bool>, BindError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(Self::conversion_error(&format!("$.{name}"), "System.Boolean")),
        }
    }

    /// An integer, given as a JSON number or as a string holding one.
    pub(crate) fn integer(&self, name: &str) -> Result<Option<i64>, BindError> {
        let parsed = match self.get(name) {
            None => return Ok(None),
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            Some(_) => None,
        };
        parsed.map(Some).ok_or_else(|| Self::conversion_error(&format!("$.{name}"), "System.Int32"))
    }

    /// A `Guid`, normalised to the lower-case hyphenated form.
    pub(crate) fn guid(&self, name: &str) -> Result<Option<String>, BindError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => {
                parse_guid(s).map(Some).ok_or_else(|| Self::conversion_error(&format!("$.{name}"), "System.Guid"))
            }
            Some(_) => Err(Self::conversion_error(&format!("$.{name}"), "System.Guid")),
        }
    }

    /// An enum bound by `JsonStringEnumConverter`: a member name (any case) or its number.
    pub(crate) fn enum_value(&self, name: &str, members: &[&str]) -> Result<Option<usize>, BindError> {
        let index = match self.get(name) {
            None => return Ok(None),
            Some(Value::String(s)) => members
                .iter()
                .position(|m| m.eq_ignore_ascii_case(s.trim()))
                .or_else(|| s.trim().parse::<usize>().ok().filter(|i| *i < members.len())),
            Some(Value::Number(n)) => n.as_u64().map(|i| i as usize).filter(|i| *i < members.len()),
            Some(_) => None,
        };
        index.map(Some).ok_or_else(|| Self::conversion_error(&format!("$.{name}"), "an enum"))
    }

    /// A list of strings (`null` items are dropped), or of GUIDs when `guids` is set.
    pub(crate) fn list(&self, name: &str, guids: bool) -> Result<Option<Vec<String>>, BindError> {
        let target = if guids { "System.Guid[]" } else { "System.String[]" };
        let error = || Self::conversion_error(&format!("$.{name}"), target);
        let Some(value) = self.get(name) else { return Ok(None) };
        let Value::Array(items) = value else { return Err(error()) };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Value::Null if !guids => {}
                Value::String(s) if !guids => out.push(s.clone()),
                Value::String(s) => out.push(parse_guid(s).ok_or_else(error)?),
                _ => return Err(error()),
            }
        }
        Ok(Some(out))
    }

    fn conversion_error(path: &str, target: &str) -> BindError {
        BindError::Invalid(vec![(
            path.to_owned(),
            format!("The JSON value could not be converted to {target}. Path: {path} | LineNumber: 0 | BytePositionInLine: 0."),
        )])
    }
}

/// Accepts the `D` (hyphenated) and `N` (32 digits) forms, any case.
pub(crate) fn parse_guid(s: &str) -> Option<String> {
    let s = s.trim();
    let digits: String = match s.len() {
        36 => {
            let dashes_ok = [8, 13, 18, 23].iter().all(|&i| s.as_bytes()[i] == b'-');
            if !dashes_ok {
                return None;
            }
            s.chars().filter(|c| *c != '-').collect()
        }
        32 => s.to_owned(),
        _ => return None,
    };
    if digits.len() != 32 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let d = digits.to_ascii_lowercase();
    Some(format!("{}-{}-{}-{}-{}", &d[..8], &d[8..12], &d[12..16], &d[16..20], &d[20..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids() {
        assert_eq!(
            parse_guid("9A1E28C4-51F2-4F6B-B0A3-0C21E7F2A7D1").as_deref(),
            Some("9a1e28c4-51f2-4f6b-b0a3-0c21e7f2a7d1")
        );
        assert_eq!(
            parse_guid("9a1e28c451f24f6bb0a30c21e7f2a7d1").as_deref(),
            Some("9a1e28c4-51f2-4f6b-b0a3-0c21e7f2a7d1")
        );
        assert_eq!(parse_guid("not-a-guid"), None);
        assert_eq!(parse_guid("9a1e28c4+51f2-4f6b-b0a3-0c21e7f2a7d1"), None);
    }
}
