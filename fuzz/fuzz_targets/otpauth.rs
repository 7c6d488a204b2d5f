//! `otpauth://` parsing never panics; whatever parses survives `to_uri` -> `parse` with equal
//! fields, and `Debug` never shows the secret.
#![no_main]

use docspace_auth::totp::OtpauthUri;
use libfuzzer_sys::fuzz_target;

/// Longest URI `OtpauthUri::parse` accepts (bytes).
const MAX_URI_LEN: usize = 4096;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(parsed) = OtpauthUri::parse(text) else { return };

    let secret = parsed.totp.secret_base32();
    let debug = format!("{parsed:?}");
    let names_contain_secret = parsed.account.contains(secret.expose())
        || parsed.issuer.as_deref().is_some_and(|issuer| issuer.contains(secret.expose()));
    if !names_contain_secret {
        assert!(!debug.contains(secret.expose()), "Debug shows the secret: {debug}");
    }

    let uri = parsed.to_uri();
    if uri.len() > MAX_URI_LEN {
        // Documented limit: names of thousands of characters (the issuer is written twice,
        // non-ASCII triples in size) give a URI longer than `parse` accepts.
        let err = OtpauthUri::parse(uri.expose()).expect_err("over the limit");
        assert!(err.message().contains("too long"), "{err}");
        return;
    }
    let again = OtpauthUri::parse(uri.expose())
        .unwrap_or_else(|err| panic!("to_uri output does not parse ({err}): {}", uri.expose()));
    assert_eq!(again.totp.secret_base32(), secret);
    assert_eq!(again.totp.algorithm(), parsed.totp.algorithm());
    assert_eq!(again.totp.digits(), parsed.totp.digits());
    assert_eq!(again.totp.period(), parsed.totp.period());
    assert_eq!(again.issuer, parsed.issuer, "{}", uri.expose());
    assert_eq!(again.account, parsed.account, "{}", uri.expose());
    assert_eq!(again.totp.code_at(1_767_225_600), parsed.totp.code_at(1_767_225_600));
    assert_eq!(again.to_uri(), uri, "to_uri is stable");
});
