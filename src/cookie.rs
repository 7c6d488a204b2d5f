//! `Set-Cookie` parsing (RFC 6265 §5.2, the parts this client needs: name, value, and
//! whether the cookie deletes itself). Values are percent-decoded the way the portal reads
//! them back, and held in wiped buffers because they are tokens and confirm keys.

use zeroize::Zeroizing;

/// Longest `Set-Cookie` header parsed; longer ones are ignored.
const MAX_SET_COOKIE_LEN: usize = 8192;

/// One parsed `Set-Cookie` header.
pub(crate) struct SetCookie {
    pub name: String,
    /// The percent-decoded value.
    pub value: Zeroizing<String>,
}

impl SetCookie {
    /// Parse a header value; `None` when it has no `name=value` pair or a bad name.
    pub fn parse(header: &str) -> Option<SetCookie> {
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
        let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
        let decoded = percent_encoding::percent_decode_str(value).decode_utf8().ok()?;
        Some(SetCookie { name: name.to_owned(), value: Zeroizing::new(decoded.into_owned()) })
    }
}

/// RFC 7230 `tchar`.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_portal_cookies() {
        let c = SetCookie::parse(
            "asc_auth_key=6jo5%2Bkx%2FQQ%3D%3D; expires=Tue, 23 Nov 2027 00:05:12 GMT; path=/; secure; samesite=strict; httponly",
        )
        .unwrap();
        assert_eq!(c.name, "asc_auth_key");
        assert_eq!(&*c.value, "6jo5+kx/QQ==");
        let c = SetCookie::parse("asc_confirm_key_TfaAuth=504921600000.LXEWQRCM; path=/").unwrap();
        assert_eq!(&*c.value, "504921600000.LXEWQRCM");
        let c = SetCookie::parse("asc_auth_key=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/").unwrap();
        assert!(c.value.is_empty());
        assert_eq!(&*SetCookie::parse("a=\"quoted\"").unwrap().value, "quoted");
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "novalue", "=x", "bad name=x", "a=%FF%FE", "; a=b"] {
            assert!(SetCookie::parse(bad).is_none(), "{bad:?}");
        }
        assert!(SetCookie::parse(&format!("a={}", "x".repeat(MAX_SET_COOKIE_LEN))).is_none());
    }
}
