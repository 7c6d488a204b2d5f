//! Arbitrary answers (status, `Retry-After`, body) through the envelope decoder and the error
//! classifier, for every endpoint. Must never panic, and every error must be well formed.
//!
//! Input: byte 0 picks the status (below 0x80: one of `STATUSES`; else 100..=989), byte 1 is
//! the length of the raw `Retry-After` value that follows (0: none), the rest is the body.
#![no_main]

use docspace_auth::fuzzing::decode_envelope;
use docspace_auth::ErrorKind;
use libfuzzer_sys::fuzz_target;

const STATUSES: [u16; 16] = [200, 401, 403, 400, 429, 500, 503, 404, 402, 405, 201, 204, 301, 307, 502, 418];
/// `decode_envelope` classifies the answer for 12 endpoints, then tries 5 payload types.
const ENDPOINTS: usize = 12;
const PAYLOAD_TYPES: usize = 5;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let status = if selector < 0x80 {
        STATUSES[usize::from(selector) % STATUSES.len()]
    } else {
        100 + u16::from(selector - 0x80) * 7
    };
    let Some((&len, rest)) = rest.split_first() else { return };
    let (retry_after, body) = match usize::from(len).min(rest.len()) {
        0 => (None, rest),
        n => (Some(&rest[..n]), &rest[n..]),
    };

    let errors = decode_envelope(body, status, retry_after);
    if !(200..300).contains(&status) {
        // A failed status never decodes as a success, whatever the body says.
        assert_eq!(errors.len(), ENDPOINTS + PAYLOAD_TYPES, "a non-2xx answer decoded");
    }
    for error in &errors {
        assert!(ErrorKind::ALL.contains(&error.kind()));
        assert!(!error.message().is_empty());
        assert_eq!(error.status(), Some(status));
        if let Some(server) = error.server_message() {
            assert!(!server.is_empty() && server.chars().count() <= 512, "{server:?}");
            assert!(!server.chars().any(char::is_control), "{server:?}");
            assert_eq!(server, server.trim());
        }
        let shown = format!("{error} {error:?} {error:#?}");
        assert!(!shown.is_empty());
    }
});
