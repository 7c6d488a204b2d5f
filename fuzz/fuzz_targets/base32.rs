//! Base32: decoding arbitrary text never panics; valid inputs round-trip through the
//! canonical encoding; any byte string round-trips through encode -> decode; a space anywhere
//! changes nothing (the decoder's whole-group fast path and its character loop agree); the
//! allocation-free one-shot TOTP code agrees with a parsed generator.
#![no_main]

use docspace_auth::totp::{self, base32_decode, base32_encode, Totp};
use docspace_auth::ErrorKind;
use libfuzzer_sys::fuzz_target;

/// Longest byte string whose encoding `base32_decode` accepts (1024 characters).
const MAX_DECODED: usize = 640;

fuzz_target!(|data: &[u8]| {
    // Bytes -> text -> bytes.
    if !data.is_empty() && data.len() <= MAX_DECODED {
        let encoded = base32_encode(data);
        assert_eq!(encoded.len(), (data.len() * 8).div_ceil(5));
        assert!(encoded.bytes().all(|c| c.is_ascii_uppercase() || (b'2'..=b'7').contains(&c)));
        assert_eq!(base32_decode(&encoded).expect("canonical text decodes").as_slice(), data);
        assert_eq!(base32_decode(&encoded.to_lowercase()).expect("lower case decodes").as_slice(), data);
    }

    // Text -> bytes -> canonical text -> the same bytes.
    let Ok(text) = std::str::from_utf8(data) else { return };
    match base32_decode(text) {
        Ok(bytes) => {
            assert!(!bytes.is_empty());
            let canonical = base32_encode(&bytes);
            assert_eq!(base32_decode(&canonical).expect("canonical text decodes").as_slice(), bytes.as_slice());
            assert_eq!(base32_encode(&base32_decode(&canonical).unwrap()), canonical, "canonical form is stable");
            assert_eq!(
                base32_decode(&text.to_ascii_lowercase()).expect("case does not matter").as_slice(),
                bytes.as_slice()
            );
        }
        Err(error) => assert_eq!(error.kind(), ErrorKind::InvalidArgument),
    }
    // (Below the 1024-character limit, which the added space must not cross.)
    let split = data.first().map(|&b| usize::from(b) % (text.len() + 1));
    if let Some(split) = split.filter(|&i| text.len() < 1024 && text.is_char_boundary(i)) {
        let spaced = format!("{} {}", &text[..split], &text[split..]);
        assert_eq!(
            base32_decode(&spaced).map(|b| b.to_vec()).map_err(|e| e.kind()),
            base32_decode(text).map(|b| b.to_vec()).map_err(|e| e.kind()),
            "a space at {split}"
        );
    }
    match Totp::new(text) {
        Ok(generator) => assert_eq!(totp::code_at(text, 59).expect("parses as a generator"), generator.code_at(59)),
        Err(error) => assert_eq!(totp::code_at(text, 59).unwrap_err().message(), error.message()),
    }
});
