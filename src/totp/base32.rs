//! RFC 4648 base32 (alphabet `A–Z 2–7`): canonical encoding and lenient decoding of secrets.
//!
//! Encoding is canonical: upper case, **no** `=` padding (what DocSpace shows as its
//! `manualEntryKey` and what authenticator apps expect in `otpauth://` URIs).
//!
//! Decoding accepts what people paste (PEERS.md §3 item 18):
//! - upper or lower case;
//! - ASCII whitespace (space, tab, CR, LF, form feed) anywhere, e.g. `lJvt ctsw gjye oysv`;
//! - missing, partial or complete `=` padding, but only at the end.
//!
//! It rejects: any other character (`0`, `1`, `8`, `9`, `-`, non-ASCII…), `=` followed by a
//! base32 character, more `=` than the final group needs, a final group of 1, 3 or 6
//! characters (no whole number of bytes fits), empty input, and input over 1024 characters.
//! Unused low bits of the final character are ignored, as RFC 4648 decoders usually do.
//! Error messages never repeat the text.

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The RFC 4648 §6 alphabet.
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Longest text [`base32_decode`] accepts, whitespace and padding included (bytes; any
/// non-ASCII character is rejected anyway).
pub(crate) const MAX_BASE32_INPUT: usize = 1024;

/// Number of characters [`base32_encode`] produces for `len` bytes (no padding).
fn encoded_len(len: usize) -> usize {
    // Written so that it cannot overflow: 8 characters per 5 bytes, then the partial group.
    len / 5 * 8 + (len % 5 * 8).div_ceil(5)
}

/// [`DECODE`] entries that are not 5-bit values.
const SKIP: u8 = 0x40;
const PAD: u8 = 0x41;
const BAD: u8 = 0xff;

/// Every byte's meaning when decoding: its 5-bit value (either case), [`SKIP`] for ASCII
/// whitespace, [`PAD`] for `=`, [`BAD`] otherwise. One lookup per character.
const DECODE: [u8; 256] = {
    let mut table = [BAD; 256];
    let mut value = 0;
    while value < 32 {
        let c = ALPHABET[value as usize];
        table[c as usize] = value;
        table[c.to_ascii_lowercase() as usize] = value;
        value += 1;
    }
    let mut c = 0;
    while c < 128 {
        if (c as u8).is_ascii_whitespace() {
            table[c] = SKIP;
        }
        c += 1;
    }
    table[b'=' as usize] = PAD;
    table
};

/// Longest secret [`base32_decode`] can produce, in bytes.
pub(crate) const MAX_DECODED_LEN: usize = MAX_BASE32_INPUT * 5 / 8;

/// Decoded secret bytes in a fixed buffer (on the stack, no allocation) whose written part
/// is zeroed when dropped, also after a failed decode.
pub(crate) struct DecodedSecret {
    bytes: [u8; MAX_DECODED_LEN],
    len: usize,
}

impl DecodedSecret {
    pub fn new() -> DecodedSecret {
        DecodedSecret { bytes: [0; MAX_DECODED_LEN], len: 0 }
    }

    pub fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl Drop for DecodedSecret {
    fn drop(&mut self) {
        // Only the written prefix: wiping all 640 bytes byte by byte would cost more than
        // the HMAC of a code.
        zeroize::Zeroize::zeroize(&mut self.bytes[..self.len]);
    }
}

/// Encode `bytes` as RFC 4648 base32: upper case, **no** `=` padding.
///
/// `b"foobar"` gives `"MZXW6YTBOI"`; an empty slice gives an empty string. The string is
/// allocated once at its final size, so no partial copy of a secret is left behind by a
/// reallocation.
#[must_use]
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(encoded_len(bytes.len()));
    let mut buffer: u32 = 0;
    let mut bits: u32 = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 0x1f) as usize]));
        }
        // Keep only the bits not yet written (fewer than 5).
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 0x1f) as usize]));
    }
    out
}

/// Decode RFC 4648 base32 leniently, as people paste secrets.
///
/// Accepted: upper or lower case; ASCII whitespace (space, tab, CR, LF, form feed) anywhere,
/// e.g. `"ljvt ctsw gjye oysv"`; missing, partial or complete `=` padding at the end. Unused
/// low bits of the final character are ignored, as RFC 4648 decoders usually do.
///
/// Rejected: any other character (`0`, `1`, `8`, `9`, `-`, non-ASCII…); `=` followed by a
/// base32 character; more `=` than the final group needs (`"MZXW6YTB="`); a final group of
/// 1, 3 or 6 characters, which no byte string encodes to; empty input (also only whitespace
/// or padding); input over 1024 characters.
///
/// The bytes come back in a buffer that is zeroed when dropped, allocated once at its final
/// size.
///
/// # Errors
///
/// [`ErrorKind::InvalidArgument`](crate::error::ErrorKind::InvalidArgument) when the text is
/// empty (or only whitespace and padding), longer than 1024 characters, contains a character
/// outside the alphabet, has `=` before its end or more `=` than needed, or has a length that
/// no byte string encodes to. The message says which, and never contains the text.
pub fn base32_decode(text: &str) -> Result<Zeroizing<Vec<u8>>> {
    let mut decoded = DecodedSecret::new();
    base32_decode_into(text, &mut decoded)?;
    Ok(Zeroizing::new(decoded.as_slice().to_vec()))
}

/// [`base32_decode`] into a fixed buffer, in one pass over the text: what the one-shot TOTP
/// functions use so that a code from a base32 secret allocates nothing.
pub(crate) fn base32_decode_into(text: &str, out: &mut DecodedSecret) -> Result<()> {
    if text.len() > MAX_BASE32_INPUT {
        return Err(Error::invalid_argument(format!(
            "the base32 secret is too long (more than {MAX_BASE32_INPUT} characters)"
        )));
    }
    // A reused buffer: what it held goes first.
    zeroize::Zeroize::zeroize(&mut out.bytes[..out.len]);
    out.len = 0;
    let bytes = text.as_bytes();
    // Fast path for the usual secret (no spaces, no padding): whole groups of 8 characters
    // to 5 bytes. It stops at the first group holding anything else; the loop below goes on
    // from there.
    let mut start = 0;
    while let Some(group) = bytes.get(start..start + 8) {
        let values: [u8; 8] = std::array::from_fn(|i| DECODE[usize::from(group[i])]);
        if values.iter().any(|&v| v >= 32) {
            break;
        }
        let word = values.iter().fold(0u64, |word, &v| (word << 5) | u64::from(v));
        out.bytes[out.len..out.len + 5].copy_from_slice(&word.to_be_bytes()[3..]);
        out.len += 5;
        start += 8;
    }
    let mut data_chars = start;
    let mut padding = 0usize;
    let mut buffer: u32 = 0;
    let mut bits: u32 = 0;
    for (index, &c) in bytes.iter().enumerate().skip(start) {
        let value = DECODE[usize::from(c)];
        if value < 32 {
            if padding > 0 {
                return Err(Error::invalid_argument(
                    "the base32 secret has '=' padding before its end; '=' may only close the secret",
                ));
            }
            data_chars += 1;
            buffer = (buffer << 5) | u32::from(value);
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                // At most 1024 data characters (checked above): 640 bytes, the buffer's size.
                out.bytes[out.len] = (buffer >> bits) as u8;
                out.len += 1;
            }
            // Keep only the bits not yet written (fewer than 8).
            buffer &= (1 << bits) - 1;
        } else if value == PAD {
            padding += 1;
        } else if value == BAD {
            // Position as a character count, 1-based; the character itself is not repeated.
            let position = text[..index].chars().count() + 1;
            return Err(Error::invalid_argument(format!(
                "the base32 secret has an invalid character at position {position}: base32 uses \
                 only the letters A-Z and the digits 2-7 (never 0, 1, 8 or 9)"
            )));
        }
    }
    if data_chars == 0 {
        return Err(Error::invalid_argument("the base32 secret is empty"));
    }
    let needed_padding = match data_chars % 8 {
        0 => 0,
        2 => 6,
        4 => 4,
        5 => 3,
        7 => 1,
        _ => {
            return Err(Error::invalid_argument(format!(
                "the base32 secret has an impossible length ({data_chars} characters without \
                 spaces and padding); a character is probably missing or extra"
            )))
        }
    };
    if padding > needed_padding {
        return Err(Error::invalid_argument("the base32 secret has more '=' padding than its length allows"));
    }
    // Whatever is left in `buffer` (fewer than 8 bits) is the final group's unused tail.
    debug_assert_eq!(out.len, data_chars * 5 / 8);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    /// RFC 4648 §10 test vectors, padded form.
    const RFC4648: [(&str, &str); 7] = [
        ("", ""),
        ("f", "MY======"),
        ("fo", "MZXQ===="),
        ("foo", "MZXW6==="),
        ("foob", "MZXW6YQ="),
        ("fooba", "MZXW6YTB"),
        ("foobar", "MZXW6YTBOI======"),
    ];

    fn decode_err(text: &str) -> Error {
        base32_decode(text).expect_err("should be rejected")
    }

    #[test]
    fn rfc4648_encode_has_no_padding() {
        for (plain, encoded) in RFC4648 {
            assert_eq!(base32_encode(plain.as_bytes()), encoded.trim_end_matches('='), "{plain:?}");
        }
    }

    #[test]
    fn rfc4648_decode_padded_and_unpadded() {
        for (plain, encoded) in RFC4648.iter().skip(1) {
            assert_eq!(base32_decode(encoded).unwrap().as_slice(), plain.as_bytes(), "{encoded}");
            let bare = encoded.trim_end_matches('=');
            assert_eq!(base32_decode(bare).unwrap().as_slice(), plain.as_bytes(), "{bare}");
        }
    }

    #[test]
    fn decode_partial_padding() {
        assert_eq!(base32_decode("MY=").unwrap().as_slice(), b"f");
        assert_eq!(base32_decode("MY===").unwrap().as_slice(), b"f");
        assert_eq!(base32_decode("MZXW6YTBOI==").unwrap().as_slice(), b"foobar");
    }

    #[test]
    fn decode_lower_and_mixed_case() {
        assert_eq!(base32_decode("mzxw6ytboi").unwrap().as_slice(), b"foobar");
        assert_eq!(base32_decode("MzXw6YtBoI======").unwrap().as_slice(), b"foobar");
    }

    #[test]
    fn decode_ignores_ascii_whitespace() {
        assert_eq!(base32_decode("MZXW 6YTB OI").unwrap().as_slice(), b"foobar");
        assert_eq!(base32_decode(" mzxw\t6ytb\r\noi \n").unwrap().as_slice(), b"foobar");
        assert_eq!(base32_decode("MZXW6YTBOI == ==\n==").unwrap().as_slice(), b"foobar");
        assert_eq!(base32_decode("ljvt ctsw gjye oysv").unwrap().as_slice(), b"Zk1NV2pGbU");
    }

    #[test]
    fn decode_rejects_extra_padding() {
        for text in ["MY=======", "MZXW6YTB=", "MZXW6YTB========", "MZXW6YQ=="] {
            assert_eq!(decode_err(text).kind(), ErrorKind::InvalidArgument, "{text}");
        }
    }

    #[test]
    fn decode_rejects_padding_in_the_middle() {
        for text in ["MY======MY======", "MZ=XW6", "=MZXW6YTB"] {
            let err = decode_err(text);
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{text}");
            assert!(err.message().contains("padding"), "{text}: {}", err.message());
        }
    }

    #[test]
    fn decode_rejects_bad_characters_without_echoing_them() {
        for text in ["MZXW6YT1", "MZXW0YTB", "MZXW-6YTB", "MZXW6YT8", "MZXW6YTB\u{e9}", "MZ\u{b}XW6YTB"] {
            let err = decode_err(text);
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{text:?}");
            assert!(err.message().contains("invalid character"), "{text:?}");
            assert!(!err.message().contains("MZ"), "message echoes input: {}", err.message());
        }
        assert!(decode_err("ABCD1").message().contains("position 5"));
        // Position counts characters, not bytes.
        assert!(decode_err("é1").message().contains("position 1"));
        assert!(decode_err("Aé").message().contains("position 2"));
    }

    #[test]
    fn decode_rejects_impossible_lengths() {
        for text in ["M", "MZX", "MZXW6Y", "MZXW6YTBO", "MZXW6YTBOIA", "MZXW6YTBOIAAAA", "M======="] {
            let err = decode_err(text);
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{text}");
            assert!(err.message().contains("impossible length"), "{text}: {}", err.message());
        }
        // Final groups of 2, 4, 5 and 7 characters (and full groups) are fine.
        for (text, len) in [("MZ", 1), ("MZXW", 2), ("MZXW6", 3), ("MZXW6YT", 4), ("MZXW6YTB", 5)] {
            assert_eq!(base32_decode(text).unwrap().len(), len, "{text}");
        }
    }

    #[test]
    fn decode_rejects_empty() {
        for text in ["", "   ", "\n\t", "========", " = "] {
            let err = decode_err(text);
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{text:?}");
            assert!(err.message().contains("empty"), "{text:?}: {}", err.message());
        }
    }

    #[test]
    fn decode_caps_input_length() {
        let max = "A".repeat(MAX_BASE32_INPUT);
        assert_eq!(base32_decode(&max).unwrap().len(), 640);
        let err = decode_err(&"A".repeat(MAX_BASE32_INPUT + 1));
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert!(err.message().contains("too long"));
    }

    #[test]
    fn nonzero_leftover_bits_are_accepted() {
        // "MZ" is canonical for "f"; "M7" carries non-zero unused bits and decodes the same byte.
        assert_eq!(base32_decode("M7").unwrap().as_slice(), &[0x67]);
        assert_eq!(base32_decode("MZ").unwrap().as_slice(), b"f");
    }

    #[test]
    fn round_trip_all_lengths() {
        let data: Vec<u8> = (0u8..=255).collect();
        for len in 1..=data.len() {
            let encoded = base32_encode(&data[..len]);
            assert_eq!(encoded.len(), encoded_len(len));
            assert_eq!(encoded.capacity(), encoded.len(), "allocated at its final size");
            assert!(encoded.bytes().all(|c| ALPHABET.contains(&c)));
            let decoded = base32_decode(&encoded).unwrap();
            assert_eq!(decoded.as_slice(), &data[..len]);
            assert_eq!(decoded.capacity(), len, "allocated at its final size");
        }
    }

    #[test]
    fn whole_groups_and_spaced_text_decode_alike() {
        // The fast path takes whole unspaced groups; spaces, padding or a bad character send
        // the rest through the character loop. Both must agree wherever the switch happens.
        let data: Vec<u8> = (0u8..=255).rev().collect();
        let encoded = base32_encode(&data[..100]);
        for split in 0..encoded.len() {
            let spaced = format!("{} {}", &encoded[..split], &encoded[split..]);
            assert_eq!(base32_decode(&spaced).unwrap().as_slice(), &data[..100], "space at {split}");
            let mut bad = encoded.clone().into_bytes();
            bad[split] = b'1';
            let err = base32_decode(std::str::from_utf8(&bad).unwrap()).unwrap_err();
            assert!(err.message().contains(&format!("position {}", split + 1)), "{}", err.message());
        }
    }

    #[test]
    fn a_reused_buffer_keeps_nothing_of_its_last_secret() {
        let mut buffer = DecodedSecret::new();
        base32_decode_into("MZXW6YTBOI", &mut buffer).unwrap();
        assert_eq!(buffer.as_slice(), b"foobar");
        base32_decode_into("MY", &mut buffer).unwrap();
        assert_eq!(buffer.as_slice(), b"f");
        assert!(buffer.bytes[1..].iter().all(|&b| b == 0), "the rest of the old secret is wiped");
        assert!(base32_decode_into("MZ1", &mut buffer).is_err());
        assert_eq!(buffer.len, 1, "a failed decode's partial bytes stay in the part wiped on drop");
        assert!(buffer.bytes[buffer.len..].iter().all(|&b| b == 0));
    }

    #[test]
    fn docspace_manual_entry_key() {
        assert_eq!(base32_encode(b"Zk1NV2pGbU"), "LJVTCTSWGJYEOYSV");
        assert_eq!(base32_decode("LJVTCTSWGJYEOYSV").unwrap().as_slice(), b"Zk1NV2pGbU");
    }
}
