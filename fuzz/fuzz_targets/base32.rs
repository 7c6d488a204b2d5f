//! Base32: decoding arbitrary text never panics; valid inputs round-trip through the
//! canonical encoding; any byte string round-trips through encode -> decode.
#![no_main]

use docspace_auth::totp::{base32_decode, base32_encode};
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
});
