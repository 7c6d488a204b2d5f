//! `Set-Cookie` parsing (RFC 6265 §5.2, the parts this client needs: name and value).
//! Parsing borrows the header and finds the name; only a cookie the caller wants is
//! percent-decoded (the way the portal reads values back) into a wiped buffer, because
//! values are tokens and confirm keys.

use zeroize::Zeroizing;

/// Longest `Set-Cookie` header parsed; longer ones are ignored.
const MAX_SET_COOKIE_LEN: usize = 8192;

/// One parsed `Set-Cookie` header, borrowing it.
pub(crate) struct SetCookie<'a> {
    pub name: &'a str,
    /// The value as sent: trimmed, quotes removed, still percent-encoded.
    raw_value: &'a str,
}

impl<'a> SetCookie<'a> {
    /// Parse a header value; `None` when it has no `name=value` pair or a bad name.
    pub fn parse(header: &'a str) -> Option<SetCookie<'a>> {
        if header.len() > MAX_SET_COOKIE_LEN {
            return None;
        }
        let pair = header.split(';').next()?;
        let (name, value) = pair.split_once('=')?;
        let name = name.trim();
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return None;
        }
        let value = value.trim();
        let raw_value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
        Some(SetCookie { name, raw_value })
    }

    /// Whether this cookie is `name` (cookie names compare case-insensitively here, as
    /// ASP.NET does) and sets a value rather than deleting the cookie.
    pub fn sets(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name) && !self.raw_value.is_empty()
    }

    /// The percent-decoded value; `None` when it does not decode to UTF-8.
    pub fn value(&self) -> Option<Zeroizing<String>> {
        let decoded = percent_encoding::percent_decode_str(self.raw_value).decode_utf8().ok()?;
        Some(Zeroizing::new(decoded.into_owned()))
    }
}

/// RFC 7230 `tchar`.
fn is_token_byte(b: u8) -> bool {
    matches!(b, b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' | b'!' | b'#'..=b'\'' | b'*' | b'+' | b'-' | b'.' | b'^'..=b'`' | b'|' | b'~')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(header: &str) -> String {
        SetCookie::parse(header).unwrap().value().unwrap().to_string()
    }

    #[test]
    fn parses_portal_cookies() {
        let header =
            "asc_auth_key=6jo5%2Bkx%2FQQ%3D%3D; expires=Tue, 23 Nov 2027 00:05:12 GMT; path=/; secure; samesite=strict; httponly";
        let c = SetCookie::parse(header).unwrap();
        assert_eq!(c.name, "asc_auth_key");
        assert!(c.sets("ASC_AUTH_KEY"));
        assert!(!c.sets("asc_auth"));
        assert_eq!(value(header), "6jo5+kx/QQ==");
        assert_eq!(value("asc_confirm_key_TfaAuth=504921600000.LXEWQRCM; path=/"), "504921600000.LXEWQRCM");
        assert_eq!(value("a=\"quoted\""), "quoted");
    }

    #[test]
    fn a_deleting_cookie_sets_nothing() {
        let c = SetCookie::parse("asc_auth_key=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/").unwrap();
        assert!(!c.sets("asc_auth_key"));
        assert!(c.value().unwrap().is_empty());
    }

    #[test]
    fn token_bytes_are_rfc_7230_tchar() {
        for b in 0..=u8::MAX {
            let tchar = b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
            assert_eq!(is_token_byte(b), tchar, "byte {b:#04x}");
        }
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "novalue", "=x", "bad name=x", "; a=b"] {
            assert!(SetCookie::parse(bad).is_none(), "{bad:?}");
        }
        assert!(SetCookie::parse(&format!("a={}", "x".repeat(MAX_SET_COOKIE_LEN))).is_none());
        assert!(SetCookie::parse("a=%FF%FE").unwrap().value().is_none(), "not UTF-8 once decoded");
    }
}
