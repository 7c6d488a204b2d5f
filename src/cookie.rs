//! `Set-Cookie` parsing (RFC 6265 §5.2, the parts this client needs: name and value).
//! Parsing borrows the header and finds the name; only a cookie the caller wants is
//! percent-decoded (the way the portal reads values back) into a wiped buffer, because
//! values are tokens and confirm keys.

use zeroize::Zeroizing;

/// Longest `Set-Cookie` header parsed; longer ones are ignored.
const MAX_SET_COOKIE_LEN: usize = 8192;

/// One parsed `Set-Cookie` header, borrowing it. Works on the header's bytes: only the
/// decoded value of a wanted cookie has to be UTF-8.
pub(crate) struct SetCookie<'a> {
    /// An RFC 7230 token, so ASCII.
    pub name: &'a [u8],
    /// The value as sent: trimmed, quotes removed, still percent-encoded.
    raw_value: &'a [u8],
}

impl<'a> SetCookie<'a> {
    /// Parse a header value; `None` when it has no `name=value` pair or a bad name.
    pub fn parse(header: &'a [u8]) -> Option<SetCookie<'a>> {
        if header.len() > MAX_SET_COOKIE_LEN {
            return None;
        }
        let pair = header.split(|&b| b == b';').next()?;
        let equals = pair.iter().position(|&b| b == b'=')?;
        let name = pair[..equals].trim_ascii();
        if name.is_empty() || !name.iter().copied().all(is_token_byte) {
            return None;
        }
        let value = pair[equals + 1..].trim_ascii();
        let raw_value = value.strip_prefix(b"\"").and_then(|v| v.strip_suffix(b"\"")).unwrap_or(value);
        Some(SetCookie { name, raw_value })
    }

    /// Whether this cookie is `name` (cookie names compare case-insensitively here, as
    /// ASP.NET does) and sets a value rather than deleting the cookie.
    pub fn sets(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name.as_bytes()) && !self.raw_value.is_empty()
    }

    /// The percent-decoded value; `None` when it does not decode to UTF-8. A `%` not
    /// followed by two hex digits is kept as it is, as ASP.NET's `UrlDecode` does.
    pub fn value(&self) -> Option<Zeroizing<String>> {
        // Written once into a buffer of the final capacity, so no copy is left unwiped.
        let mut decoded = Zeroizing::new(Vec::with_capacity(self.raw_value.len()));
        let mut rest = self.raw_value;
        while let Some(percent) = rest.iter().position(|&b| b == b'%') {
            decoded.extend_from_slice(&rest[..percent]);
            let escaped = match rest.get(percent + 1..percent + 3) {
                Some(&[high, low]) => hex_value(high).zip(hex_value(low)).map(|(h, l)| h << 4 | l),
                _ => None,
            };
            match escaped {
                Some(byte) => {
                    decoded.push(byte);
                    rest = &rest[percent + 3..];
                }
                None => {
                    decoded.push(b'%');
                    rest = &rest[percent + 1..];
                }
            }
        }
        decoded.extend_from_slice(rest);
        std::str::from_utf8(&decoded).ok()?;
        // Valid UTF-8 (checked above): the buffer becomes the string without a copy.
        let text = String::from_utf8(std::mem::take(&mut *decoded)).unwrap_or_default();
        Some(Zeroizing::new(text))
    }
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
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
        SetCookie::parse(header.as_bytes()).unwrap().value().unwrap().to_string()
    }

    #[test]
    fn parses_portal_cookies() {
        let header =
            "asc_auth_key=6jo5%2Bkx%2FQQ%3D%3D; expires=Tue, 23 Nov 2027 00:05:12 GMT; path=/; secure; samesite=strict; httponly";
        let c = SetCookie::parse(header.as_bytes()).unwrap();
        assert_eq!(c.name, b"asc_auth_key");
        assert!(c.sets("ASC_AUTH_KEY"));
        assert!(!c.sets("asc_auth"));
        assert_eq!(value(header), "6jo5+kx/QQ==");
        assert_eq!(value("asc_confirm_key_TfaAuth=504921600000.LXEWQRCM; path=/"), "504921600000.LXEWQRCM");
        assert_eq!(value("a=\"quoted\""), "quoted");
        assert_eq!(value("a=%e2%82%AC%2b%"), "\u{20ac}+%", "either case; a lone % stays");
        assert_eq!(value("a=100%zz%4"), "100%zz%4", "a % without two hex digits stays");
    }

    #[test]
    fn decodes_like_the_percent_encoding_crate() {
        let samples = ["6jo5%2Bkx%2FQQ%3D%3D", "%41%42c", "%", "%%41", "x%4", "%C3%A9t%C3%A9", "plain", ""];
        for raw in samples {
            let ours = SetCookie::parse(format!("a={raw}").as_bytes()).unwrap().value().map(|v| v.to_string());
            let reference = percent_encoding::percent_decode_str(raw).decode_utf8().ok().map(|v| v.into_owned());
            assert_eq!(ours, reference, "{raw:?}");
        }
    }

    #[test]
    fn a_deleting_cookie_sets_nothing() {
        let c = SetCookie::parse(b"asc_auth_key=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/").unwrap();
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
            assert!(SetCookie::parse(bad.as_bytes()).is_none(), "{bad:?}");
        }
        assert!(SetCookie::parse(format!("a={}", "x".repeat(MAX_SET_COOKIE_LEN)).as_bytes()).is_none());
        assert!(SetCookie::parse(b"a=%FF%FE").unwrap().value().is_none(), "not UTF-8 once decoded");
        assert!(SetCookie::parse(b"a=\xff").unwrap().value().is_none(), "raw bytes that are not UTF-8");
    }
}
