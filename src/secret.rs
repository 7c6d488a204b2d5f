//! Secret strings: redacted in `Debug`/`Display`, wiped from memory when dropped.

use std::fmt;
use zeroize::Zeroizing;

/// A secret value (password, token, TOTP secret, confirm key, backup code).
///
/// `Debug` prints `Secret(***)`; there is no `Display`. Read it only with [`Secret::expose`],
/// at the place that must send or show it. The heap buffer is zeroed on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wrap a value. The caller's `String` buffer is moved in, not copied.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Zeroizing::new(value.into()))
    }

    /// Adopt an already wiped buffer without copying it.
    pub(crate) fn from_zeroizing(value: Zeroizing<String>) -> Self {
        Secret(value)
    }

    /// The secret text. Keep the borrow short and never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Length in bytes (not secret).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The buffer is a `Zeroizing<String>`: dropping a `Secret` (or anything holding one) zeroes it.
impl zeroize::ZeroizeOnDrop for Secret {}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    /// Deserialises straight into the wiped buffer (no intermediate copy is kept).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}
