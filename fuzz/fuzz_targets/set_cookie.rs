//! `Set-Cookie` parsing, and the round trip of a token through the `Cookie` encoding the
//! client sends and the decoding it applies to what the portal sets.
#![no_main]

use docspace_auth::fuzzing::{encode_cookie_value, parse_set_cookie};
use libfuzzer_sys::fuzz_target;

const MAX_SET_COOKIE_LEN: usize = 8192;

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };

    if let Some((name, _value)) = parse_set_cookie(text) {
        assert!(text.len() <= MAX_SET_COOKIE_LEN);
        assert!(!name.is_empty() && name.bytes().all(is_token_byte), "{name:?}");
    }

    // Any token survives encode -> Set-Cookie -> parse unchanged.
    let header = format!("asc_auth_key={}; path=/; secure; httponly", encode_cookie_value(text));
    if header.len() <= MAX_SET_COOKIE_LEN {
        let (name, value) = parse_set_cookie(&header).expect("an encoded token parses");
        assert_eq!(name, "asc_auth_key");
        assert_eq!(value, text);
    }
});
