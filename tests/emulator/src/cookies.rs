//! Cookie names, the `Set-Cookie` writer (CONTRACT.md §1.5) and the `Cookie` header reader.

use crate::clock::Time;

pub(crate) const AUTH_COOKIE: &str = "asc_auth_key";
pub(crate) const SOCKET_COOKIE: &str = "socketio.sid";
pub(crate) const CONFIRM_COOKIE_PREFIX: &str = "asc_confirm_key_";

/// A `Set-Cookie` value with the attributes CookiesManager uses:
/// `name=value[; expires=…]; path=/[; secure]; samesite=strict; httponly`.
/// `expires: None` makes a browser-session cookie. `secure` is set for https requests only.
pub(crate) fn set_cookie(name: &str, value: &str, expires: Option<Time>, secure: bool) -> String {
    let mut out = format!("{name}={}", escape_data_string(value));
    if let Some(expires) = expires {
        out.push_str("; expires=");
        out.push_str(&expires.rfc1123());
    }
    out.push_str("; path=/");
    if secure {
        out.push_str("; secure");
    }
    out.push_str("; samesite=strict; httponly");
    out
}

/// The server deletes a cookie by writing it empty with an expiry three days in the past.
pub(crate) fn delete_cookie(name: &str, now: Time, secure: bool) -> String {
    set_cookie(name, "", Some(now.plus_secs(-3 * 86_400)), secure)
}

/// Finds cookie `name` in the request's `Cookie` headers (names are case-sensitive).
pub(crate) fn find<'a>(cookie_headers: impl Iterator<Item = &'a str>, name: &str) -> Option<&'a str> {
    cookie_headers
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .find(|(n, _)| n.trim() == name)
        .map(|(_, v)| v.trim().trim_matches('"'))
}

/// Percent-encodes everything outside RFC 3986 "unreserved", like .NET `Uri.EscapeDataString`
/// (which ASP.NET Core applies to cookie values): `+` `/` `=` become `%2B` `%2F` `%3D`.
pub(crate) fn escape_data_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; malformed escapes are kept as they are.
pub(crate) fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_aspnet_style_cookies() {
        let expires = Time::from_unix_ms(1_826_928_312_000);
        assert_eq!(
            set_cookie(AUTH_COOKIE, "ab+c/d==", Some(expires), true),
            "asc_auth_key=ab%2Bc%2Fd%3D%3D; expires=Tue, 23 Nov 2027 00:05:12 GMT; path=/; secure; samesite=strict; httponly"
        );
        assert_eq!(
            set_cookie("asc_confirm_key_TfaAuth", "1.AB", None, false),
            "asc_confirm_key_TfaAuth=1.AB; path=/; samesite=strict; httponly"
        );
    }

    #[test]
    fn reads_cookies() {
        let headers = ["a=1; asc_auth_key=x%2By", "b=2"];
        assert_eq!(find(headers.iter().copied(), AUTH_COOKIE), Some("x%2By"));
        assert_eq!(find(headers.iter().copied(), "b"), Some("2"));
        assert_eq!(find(headers.iter().copied(), "B"), None);
    }

    #[test]
    fn percent_round_trip() {
        let token = "+/+/abc==";
        assert_eq!(percent_decode(&escape_data_string(token)), token);
        assert_eq!(percent_decode("%2"), "%2");
        assert_eq!(percent_decode("%zz%41"), "%zzA");
    }
}
