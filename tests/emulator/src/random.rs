//! Random values: backup codes, SMS codes, login tokens, ids and keys.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

/// Fills `buf` from the OS random source. There is no sensible fallback if the OS has none.
pub(crate) fn fill(buf: &mut [u8]) {
    getrandom::getrandom(buf).expect("the OS random source is unavailable");
}

pub(crate) fn bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    fill(&mut buf);
    buf
}

/// A 6-character backup code: each character is `random byte % 64` over a 64-symbol alphabet
/// (CONTRACT.md §6), so the distribution is uniform.
pub(crate) fn backup_code() -> String {
    const ALPHABET: &[u8; 64] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
    bytes::<6>().iter().map(|b| ALPHABET[usize::from(b % 64)] as char).collect()
}

/// A 6-digit SMS code (the modulo bias over 2^32 is negligible here).
pub(crate) fn sms_code() -> String {
    format!("{:06}", u32::from_le_bytes(bytes::<4>()) % 1_000_000)
}

/// An opaque login token. Real tokens are base64 of AES output; these start with a fixed byte
/// triple that encodes to `+/+/` and have a length that needs `==` padding, so every token
/// exercises the cookie percent-encoding of `+`, `/` and `=`.
pub(crate) fn login_token() -> String {
    let mut raw = [0u8; 61];
    raw[..3].copy_from_slice(&[0xfb, 0xff, 0xbf]);
    fill(&mut raw[3..]);
    STANDARD.encode(raw)
}

/// A random (version 4) UUID in its lower-case 8-4-4-4-12 form.
pub(crate) fn uuid_v4() -> String {
    let mut b = bytes::<16>();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

/// A personal API key in the `sk-` format the server's ApiKeyBearer scheme recognises.
pub(crate) fn api_key() -> String {
    format!("sk-{}", hex(&bytes::<24>()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_need_percent_encoding() {
        let t = login_token();
        assert!(t.starts_with("+/+/") && t.ends_with("==") && t.len() == 84);
    }

    #[test]
    fn shapes() {
        let code = backup_code();
        assert_eq!(code.len(), 6);
        assert!(code.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_eq!(sms_code().len(), 6);
        let id = uuid_v4();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(api_key().starts_with("sk-"));
    }
}
