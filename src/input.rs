//! Argument checks done before anything is sent, so bad input gets a clear
//! [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) instead of a confusing
//! answer from the portal. Messages name the argument, never its value.

use crate::error::{Error, Result};

pub(crate) const MAX_USER_NAME: usize = 255;
pub(crate) const MAX_PASSWORD: usize = 4096;
pub(crate) const MAX_CODE: usize = 32;
pub(crate) const MAX_ID: usize = 64;

/// A user name (e-mail): non-empty, bounded, no control characters.
pub(crate) fn user_name(value: &str) -> Result<&str> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid_argument("the user name is empty"));
    }
    if value.len() > MAX_USER_NAME {
        return Err(Error::invalid_argument(format!("the user name is longer than {MAX_USER_NAME} bytes")));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid_argument("the user name contains control characters"));
    }
    Ok(value)
}

/// A password: non-empty, bounded, no NUL (everything else is the user's business).
pub(crate) fn password(value: &str) -> Result<&str> {
    if value.is_empty() {
        return Err(Error::invalid_argument("the password is empty"));
    }
    if value.len() > MAX_PASSWORD {
        return Err(Error::invalid_argument(format!("the password is longer than {MAX_PASSWORD} bytes")));
    }
    if value.contains('\0') {
        return Err(Error::invalid_argument("the password contains a NUL character"));
    }
    Ok(value)
}

/// A TOTP, SMS or backup code. The portal trims it and compares exactly; every code it can
/// accept is made of `[A-Za-z0-9_-]` (digits for TOTP/SMS, that alphabet for backup codes),
/// so anything else is refused here and can never reach the request path.
pub(crate) fn code(value: &str) -> Result<&str> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid_argument("the code is empty"));
    }
    if value.len() > MAX_CODE {
        return Err(Error::invalid_argument(format!("the code is longer than {MAX_CODE} characters")));
    }
    if !value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(Error::invalid_argument(
            "the code may contain only letters, digits, '-' and '_' (TOTP codes are digits, backup codes 6 characters)",
        ));
    }
    Ok(value)
}

/// A user or group id (a GUID on real portals): bounded, URL- and JSON-safe characters.
pub(crate) fn id(value: &str, what: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() || value.len() > MAX_ID || !value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(Error::invalid_argument(format!(
            "the {what} must be a GUID like 9a1e28c4-51f2-4f6b-b0a3-0c21e7f2a7d1"
        )));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(code(" 123456 \n").unwrap(), "123456");
        assert_eq!(code("q7R-x2").unwrap(), "q7R-x2");
        for bad in ["", "   ", "12/34", "12?4", "1#2", "%2e%2e", "..", "12 34", "12\u{0}3", "ü12345", &"1".repeat(33)]
        {
            assert!(code(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_and_passwords() {
        assert!(user_name("").is_err());
        assert!(user_name("a\u{7}b").is_err());
        assert!(user_name(&"a".repeat(256)).is_err());
        assert_eq!(user_name(" u@example.com ").unwrap(), "u@example.com");
        assert!(password("").is_err());
        assert!(password("a\0b").is_err());
        assert!(password(&"p".repeat(MAX_PASSWORD + 1)).is_err());
        assert!(password(" spaces and ünïcode ").is_ok());
        let err = password("a\0secret").unwrap_err();
        assert!(!err.message().contains("secret"));
    }

    #[test]
    fn ids() {
        assert!(id("9a1e28c4-51f2-4f6b-b0a3-0c21e7f2a7d1", "user id").is_ok());
        assert!(id("../x", "user id").is_err());
        assert!(id("", "user id").is_err());
    }
}
