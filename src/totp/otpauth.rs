//! `otpauth://totp/…` key URIs (the text inside authenticator QR codes): building and
//! tolerant parsing.
//!
//! Built URIs look like DocSpace's own:
//! `otpauth://totp/{issuer}:{account}?secret={BASE32}&issuer={issuer}`, or
//! `otpauth://totp/{account}?secret={BASE32}` without an issuer. `algorithm`, `digits` and
//! `period` are added only when they differ from the defaults SHA1 / 6 / 30 (DocSpace omits
//! them). Issuer and account are percent-encoded except for the RFC 3986 unreserved
//! characters (`A–Z a–z 0–9 - . _ ~`) and `@`, which is kept so e-mail accounts stay readable
//! (as in DocSpace's and Google's examples); a space becomes `%20`, a `:` inside either part
//! `%3A`.

use std::borrow::Cow;
use std::fmt;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use url::form_urlencoded;
use zeroize::Zeroize;

use super::code::{Algorithm, Totp};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// Longest URI [`OtpauthUri::parse`] accepts, in bytes.
const MAX_URI_LEN: usize = 4096;

/// Characters percent-encoded in the label and the `issuer` value: everything except the
/// RFC 3986 unreserved set and `@`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b'@');

/// A TOTP key URI: the generator plus the issuer and account names an authenticator app shows.
///
/// `Debug` hides the secret (it prints the [`Totp`]'s redacted form); [`OtpauthUri::to_uri`]
/// returns a [`Secret`] because the URI contains the key.
///
/// ```
/// use docspace_auth::totp::{OtpauthUri, Totp};
///
/// let uri = OtpauthUri::new(Totp::new("LJVTCTSWGJYEOYSV")?, Some("portal.example.com"), "john@example.com");
/// assert_eq!(
///     uri.to_uri().expose(),
///     "otpauth://totp/portal.example.com:john@example.com?secret=LJVTCTSWGJYEOYSV&issuer=portal.example.com"
/// );
/// let parsed = OtpauthUri::parse(uri.to_uri().expose())?;
/// assert_eq!(parsed.account, "john@example.com");
/// # Ok::<(), docspace_auth::Error>(())
/// ```
#[derive(Clone)]
pub struct OtpauthUri {
    /// The generator: secret, algorithm, digits and period.
    pub totp: Totp,
    /// Who issued the key (DocSpace: the portal's domain), if known.
    pub issuer: Option<String>,
    /// The account name (DocSpace: the user's e-mail). May be empty.
    pub account: String,
}

impl OtpauthUri {
    /// Put a generator together with its names. An issuer that is empty or only whitespace
    /// counts as none.
    pub fn new(totp: Totp, issuer: Option<&str>, account: &str) -> OtpauthUri {
        OtpauthUri {
            totp,
            issuer: issuer.filter(|issuer| !issuer.trim().is_empty()).map(str::to_owned),
            account: account.to_owned(),
        }
    }

    /// Read an `otpauth://totp/…` URI, tolerating what real issuers produce.
    ///
    /// - Surrounding whitespace is ignored; the scheme and the type are case-insensitive; a
    ///   `#fragment` is ignored.
    /// - The label is `Issuer:Account` or `Account`, percent-decoded; the separator may be a
    ///   literal `:` or `%3A`. Spaces around both names are trimmed. `+` in the label is kept
    ///   literally (e-mail accounts such as `user+tag@example.com`).
    /// - The `issuer` parameter wins over the label's issuer when both are present and differ
    ///   (Microsoft 365 style URIs); an empty issuer counts as none.
    /// - Query values are form-decoded (`%XX`, and `+` as a space); parameter names are
    ///   case-insensitive; when a parameter is repeated the first one counts; unknown
    ///   parameters (`image`, `counter`, …) are ignored.
    /// - `secret` is required and read leniently (case, whitespace, padding).
    /// - `algorithm` is `SHA1`, `SHA256` or `SHA512` in any case, also written `SHA-1`,
    ///   `SHA_256`…; `digits` (6–8) and `period` (1–3600 s) are optional.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::error::ErrorKind::InvalidArgument) when the URI is
    /// longer than 4096 bytes, is not `otpauth://`, is an `hotp` URI ("HOTP URIs are not
    /// supported"), has another type, lacks `secret`, or has an unusable secret, algorithm,
    /// digits or period. Messages never contain the URI or the secret.
    pub fn parse(uri: &str) -> Result<OtpauthUri> {
        if uri.len() > MAX_URI_LEN {
            return Err(Error::invalid_argument(format!(
                "the otpauth URI is too long (more than {MAX_URI_LEN} bytes)"
            )));
        }
        let uri = uri.trim();
        let not_otpauth = || Error::invalid_argument("not an otpauth:// URI");
        let (scheme, rest) = uri.split_once("://").ok_or_else(not_otpauth)?;
        if !scheme.eq_ignore_ascii_case("otpauth") {
            return Err(not_otpauth());
        }
        let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (kind, label) = path.split_once('/').unwrap_or((path, ""));
        if kind.eq_ignore_ascii_case("hotp") {
            return Err(Error::invalid_argument("HOTP URIs are not supported"));
        }
        if !kind.eq_ignore_ascii_case("totp") {
            return Err(Error::invalid_argument("the otpauth URI type must be totp"));
        }

        let (label_issuer, account) = split_label(label);

        let mut secret: Option<Cow<'_, str>> = None;
        let mut issuer: Option<Cow<'_, str>> = None;
        let mut algorithm: Option<Cow<'_, str>> = None;
        let mut digits: Option<Cow<'_, str>> = None;
        let mut period: Option<Cow<'_, str>> = None;
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            let slot = if name.eq_ignore_ascii_case("secret") {
                &mut secret
            } else if name.eq_ignore_ascii_case("issuer") {
                &mut issuer
            } else if name.eq_ignore_ascii_case("algorithm") {
                &mut algorithm
            } else if name.eq_ignore_ascii_case("digits") {
                &mut digits
            } else if name.eq_ignore_ascii_case("period") {
                &mut period
            } else {
                continue;
            };
            if slot.is_none() {
                *slot = Some(value);
            } else if let Cow::Owned(mut ignored) = value {
                ignored.zeroize();
            }
        }

        let algorithm = match algorithm {
            None => Algorithm::Sha1,
            Some(name) => parse_algorithm(&name)
                .ok_or_else(|| Error::invalid_argument("unsupported otpauth algorithm: use SHA1, SHA256 or SHA512"))?,
        };
        let digits = match digits {
            None => Totp::DEFAULT_DIGITS,
            Some(text) => text
                .trim()
                .parse::<u32>()
                .map_err(|_| Error::invalid_argument("the otpauth digits parameter is not a number"))?,
        };
        let period = match period {
            None => Totp::DEFAULT_PERIOD,
            Some(text) => text
                .trim()
                .parse::<u64>()
                .map_err(|_| Error::invalid_argument("the otpauth period parameter is not a number"))?,
        };
        let secret = secret.ok_or_else(|| Error::invalid_argument("the otpauth URI has no secret parameter"))?;
        let totp = Totp::with_params(&secret, algorithm, digits, period);
        if let Cow::Owned(mut decoded) = secret {
            decoded.zeroize();
        }
        let totp = totp?;

        let issuer = issuer.map(|issuer| issuer.trim().to_owned()).filter(|issuer| !issuer.is_empty()).or(label_issuer);
        Ok(OtpauthUri { totp, issuer, account })
    }

    /// The URI, as a [`Secret`] since it contains the key:
    /// `otpauth://totp/{issuer}:{account}?secret={BASE32}&issuer={issuer}` (or
    /// `otpauth://totp/{account}?secret={BASE32}` without an issuer), then `&algorithm=`,
    /// `&digits=`, `&period=` only for values other than SHA1, 6 and 30 (DocSpace's own URIs
    /// omit them).
    ///
    /// Issuer and account are percent-encoded except for the RFC 3986 unreserved characters
    /// (`A–Z a–z 0–9 - . _ ~`) and `@`, which is kept so that e-mail accounts stay readable,
    /// as in DocSpace's and Google's URIs. A space becomes `%20`, a `:` inside either name
    /// `%3A`, `+` becomes `%2B`.
    ///
    /// An account containing `:` without an issuer is written after an empty issuer
    /// (`otpauth://totp/:a%3Ab?…`), so that [`OtpauthUri::parse`] does not read the part before
    /// its colon as the issuer. `parse` reads back every URI built here, except one longer than
    /// the 4096 bytes it accepts (names of thousands of characters).
    #[must_use]
    pub fn to_uri(&self) -> Secret {
        let mut prefix = String::from("otpauth://totp/");
        if let Some(issuer) = &self.issuer {
            prefix.extend(utf8_percent_encode(issuer, COMPONENT));
            prefix.push(':');
        } else if self.account.contains(':') {
            prefix.push(':');
        }
        prefix.extend(utf8_percent_encode(&self.account, COMPONENT));
        prefix.push_str("?secret=");

        let mut suffix = String::new();
        if let Some(issuer) = &self.issuer {
            suffix.push_str("&issuer=");
            suffix.extend(utf8_percent_encode(issuer, COMPONENT));
        }
        if self.totp.algorithm() != Algorithm::Sha1 {
            suffix.push_str("&algorithm=");
            suffix.push_str(self.totp.algorithm().as_str());
        }
        if self.totp.digits() != Totp::DEFAULT_DIGITS {
            suffix.push_str(&format!("&digits={}", self.totp.digits()));
        }
        if self.totp.period() != Totp::DEFAULT_PERIOD {
            suffix.push_str(&format!("&period={}", self.totp.period()));
        }

        // Allocated once at its final size: no reallocation leaves a copy of the key behind.
        let secret = self.totp.secret_base32();
        let mut uri = String::with_capacity(prefix.len() + secret.len() + suffix.len());
        uri.push_str(&prefix);
        uri.push_str(secret.expose());
        uri.push_str(&suffix);
        Secret::new(uri)
    }
}

impl fmt::Debug for OtpauthUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OtpauthUri")
            .field("totp", &self.totp)
            .field("issuer", &self.issuer)
            .field("account", &self.account)
            .finish()
    }
}

/// Split a raw (still percent-encoded) label into the issuer (if any) and the account.
///
/// A literal `:` separates first, so a `%3A` inside either name stays part of it; without
/// one, the decoded label is split at its first `:` (labels written `Issuer%3Aaccount`).
fn split_label(raw: &str) -> (Option<String>, String) {
    let decode = |text: &str| percent_decode_str(text).decode_utf8_lossy().trim().to_owned();
    let (issuer, account) = match raw.split_once(':') {
        Some((issuer, account)) => (decode(issuer), decode(account)),
        None => {
            let label = decode(raw);
            match label.split_once(':') {
                Some((issuer, account)) => (issuer.trim().to_owned(), account.trim().to_owned()),
                None => (String::new(), label),
            }
        }
    };
    (Some(issuer).filter(|issuer| !issuer.is_empty()), account)
}

/// `SHA1`, `SHA256`, `SHA512` in any case, with `-` or `_` anywhere (`SHA-1`, `sha_256`).
fn parse_algorithm(name: &str) -> Option<Algorithm> {
    let mut normalized = [0u8; 8];
    let mut len = 0;
    for byte in name.trim().bytes().filter(|byte| *byte != b'-' && *byte != b'_') {
        if len == normalized.len() {
            return None;
        }
        normalized[len] = byte.to_ascii_uppercase();
        len += 1;
    }
    match &normalized[..len] {
        b"SHA1" => Some(Algorithm::Sha1),
        b"SHA256" => Some(Algorithm::Sha256),
        b"SHA512" => Some(Algorithm::Sha512),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const KEY: &str = "LJVTCTSWGJYEOYSV";
    const T: u64 = 1_767_225_600;

    fn parse(uri: &str) -> OtpauthUri {
        OtpauthUri::parse(uri).unwrap_or_else(|err| panic!("{uri}: {err}"))
    }

    fn parse_err(uri: &str) -> Error {
        let err = OtpauthUri::parse(uri).expect_err(uri);
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{uri}");
        assert!(!err.message().contains(KEY) && !err.message().contains("alice"), "{}", err.message());
        err
    }

    #[test]
    fn docspace_uri_round_trip() {
        let uri = OtpauthUri::new(Totp::new(KEY).unwrap(), Some("portal.example.com"), "john.doe@example.com");
        let text = uri.to_uri();
        assert_eq!(
            text.expose(),
            "otpauth://totp/portal.example.com:john.doe@example.com?secret=LJVTCTSWGJYEOYSV&issuer=portal.example.com"
        );
        let parsed = parse(text.expose());
        assert_eq!(parsed.issuer.as_deref(), Some("portal.example.com"));
        assert_eq!(parsed.account, "john.doe@example.com");
        assert_eq!(parsed.totp.secret_base32(), Secret::new(KEY));
        assert_eq!(parsed.totp.algorithm(), Algorithm::Sha1);
        assert_eq!((parsed.totp.digits(), parsed.totp.period()), (6, 30));
        assert_eq!(parsed.totp.code_at(T).as_str(), "157287");
        assert_eq!(parsed.to_uri(), text);
    }

    #[test]
    fn uri_without_issuer() {
        let uri = OtpauthUri::new(Totp::new(KEY).unwrap(), None, "alice");
        assert_eq!(uri.to_uri().expose(), "otpauth://totp/alice?secret=LJVTCTSWGJYEOYSV");
        let parsed = parse(uri.to_uri().expose());
        assert_eq!(parsed.issuer, None);
        assert_eq!(parsed.account, "alice");
        // Empty or blank issuers count as none.
        assert_eq!(OtpauthUri::new(Totp::new(KEY).unwrap(), Some(""), "a").issuer, None);
        assert_eq!(OtpauthUri::new(Totp::new(KEY).unwrap(), Some("  "), "a").issuer, None);
    }

    #[test]
    fn non_default_parameters_are_written_and_read() {
        let totp = Totp::with_params(KEY, Algorithm::Sha512, 8, 60).unwrap();
        let uri = OtpauthUri::new(totp, Some("Big Corp"), "ann smith");
        let text = uri.to_uri();
        assert_eq!(
            text.expose(),
            "otpauth://totp/Big%20Corp:ann%20smith?secret=LJVTCTSWGJYEOYSV&issuer=Big%20Corp\
             &algorithm=SHA512&digits=8&period=60"
        );
        let parsed = parse(text.expose());
        assert_eq!(parsed.totp.algorithm(), Algorithm::Sha512);
        assert_eq!((parsed.totp.digits(), parsed.totp.period()), (8, 60));
        assert_eq!(parsed.issuer.as_deref(), Some("Big Corp"));
        assert_eq!(parsed.account, "ann smith");
        assert_eq!(parsed.totp.code_at(T), uri.totp.code_at(T));
        // Only the parameters that differ are written.
        let only_digits = OtpauthUri::new(Totp::with_params(KEY, Algorithm::Sha1, 7, 30).unwrap(), None, "x");
        assert_eq!(only_digits.to_uri().expose(), "otpauth://totp/x?secret=LJVTCTSWGJYEOYSV&digits=7");
        let only_alg = OtpauthUri::new(Totp::with_params(KEY, Algorithm::Sha256, 6, 30).unwrap(), None, "x");
        assert_eq!(only_alg.to_uri().expose(), "otpauth://totp/x?secret=LJVTCTSWGJYEOYSV&algorithm=SHA256");
    }

    #[test]
    fn special_characters_round_trip() {
        let totp = Totp::new(KEY).unwrap();
        let cases = [
            ("Acme: R&D", "user+tag@example.com"),
            ("Ünïcödé ✓", "ärger@例え.jp"),
            ("a/b?c#d", "e%f=g&h i"),
            ("~tilde_.-", "plus+sign"),
            ("issuer", "account:with:colons"),
        ];
        for (issuer, account) in cases {
            let uri = OtpauthUri::new(totp.clone(), Some(issuer), account);
            let text = uri.to_uri();
            let after_scheme = &text.expose()["otpauth://".len()..];
            assert!(!after_scheme.contains(' ') && !after_scheme.contains('#'), "{}", text.expose());
            let parsed = parse(text.expose());
            assert_eq!(parsed.issuer.as_deref(), Some(issuer), "{}", text.expose());
            assert_eq!(parsed.account, account, "{}", text.expose());
        }
        let uri = OtpauthUri::new(totp, Some("Acme: R&D"), "user+tag@example.com");
        assert_eq!(
            uri.to_uri().expose(),
            "otpauth://totp/Acme%3A%20R%26D:user%2Btag@example.com?secret=LJVTCTSWGJYEOYSV&issuer=Acme%3A%20R%26D"
        );
    }

    #[test]
    fn accounts_with_colons_and_no_issuer_round_trip() {
        // Found by the `otpauth` fuzz target (fuzz/artifacts/otpauth/crash-731ea8df…): an empty
        // label issuer left a `:` in the account, and `to_uri` then wrote the account alone, so
        // parsing it again read the part before that colon as the issuer.
        let crash: &[u8] = b"otpauth://totp/:%3%CCn%C3\xef\xbf\xbd%%AC3%A9:%C3%A4r8er@example.jp?secret=MZXW6YTBOI======&algo\0\0\0\0\0\0p256&period=5&seciod=15&secrts=7";
        let crash = std::str::from_utf8(crash).unwrap();
        for uri in
            [crash, "otpauth://totp/:a:b?secret=LJVTCTSWGJYEOYSV", "otpauth://totp/%3Aa%3Ab?secret=LJVTCTSWGJYEOYSV"]
        {
            let parsed = parse(uri);
            let text = parsed.to_uri();
            let again = parse(text.expose());
            assert_eq!(again.issuer, parsed.issuer, "{uri} -> {}", text.expose());
            assert_eq!(again.account, parsed.account, "{uri} -> {}", text.expose());
            assert_eq!(again.to_uri(), text);
        }
        let parsed = parse("otpauth://totp/:a:b?secret=LJVTCTSWGJYEOYSV");
        assert_eq!((parsed.issuer.as_deref(), parsed.account.as_str()), (None, "a:b"));
        let built = OtpauthUri::new(Totp::new(KEY).unwrap(), None, "account:with:colons");
        assert_eq!(built.to_uri().expose(), "otpauth://totp/:account%3Awith%3Acolons?secret=LJVTCTSWGJYEOYSV");
        let again = parse(built.to_uri().expose());
        assert_eq!((again.issuer, again.account.as_str()), (None, "account:with:colons"));
    }

    #[test]
    fn issuer_parameter_wins_over_label() {
        let parsed = parse("otpauth://totp/Microsoft:alice@contoso.com?secret=LJVTCTSWGJYEOYSV&issuer=Contoso");
        assert_eq!(parsed.issuer.as_deref(), Some("Contoso"));
        assert_eq!(parsed.account, "alice@contoso.com");
        // Only in the label.
        let parsed = parse("otpauth://totp/Example:alice?secret=LJVTCTSWGJYEOYSV");
        assert_eq!(parsed.issuer.as_deref(), Some("Example"));
        // Only as a parameter.
        let parsed = parse("otpauth://totp/alice?secret=LJVTCTSWGJYEOYSV&issuer=Example");
        assert_eq!(parsed.issuer.as_deref(), Some("Example"));
        assert_eq!(parsed.account, "alice");
        // An empty parameter does not erase the label's issuer.
        let parsed = parse("otpauth://totp/Example:alice?secret=LJVTCTSWGJYEOYSV&issuer=");
        assert_eq!(parsed.issuer.as_deref(), Some("Example"));
    }

    #[test]
    fn tolerant_labels() {
        let cases = [
            ("otpauth://totp/Example%3Aalice%40google.com?secret=LJVTCTSWGJYEOYSV", Some("Example"), "alice@google.com"),
            ("otpauth://totp/Example%3aalice?secret=LJVTCTSWGJYEOYSV", Some("Example"), "alice"),
            ("otpauth://totp/Example:%20alice?secret=LJVTCTSWGJYEOYSV", Some("Example"), "alice"),
            ("otpauth://totp/Big%20Corp:%20bob?secret=LJVTCTSWGJYEOYSV", Some("Big Corp"), "bob"),
            ("otpauth://totp/a+b@example.com?secret=LJVTCTSWGJYEOYSV", None, "a+b@example.com"),
            ("otpauth://totp/?secret=LJVTCTSWGJYEOYSV&issuer=Only", Some("Only"), ""),
            ("otpauth://totp?secret=LJVTCTSWGJYEOYSV", None, ""),
            ("otpauth://totp/:bob?secret=LJVTCTSWGJYEOYSV", None, "bob"),
            ("otpauth://totp/Bad%FFByte?secret=LJVTCTSWGJYEOYSV", None, "Bad\u{fffd}Byte"),
            // DocSpace: EscapeDataString(issuer), EscapeUriString(email).
            (
                "otpauth://totp/my.docspace.example:john.doe@example.com?secret=LJVTCTSWGJYEOYSV&issuer=my.docspace.example",
                Some("my.docspace.example"),
                "john.doe@example.com",
            ),
        ];
        for (uri, issuer, account) in cases {
            let parsed = parse(uri);
            assert_eq!(parsed.issuer.as_deref(), issuer, "{uri}");
            assert_eq!(parsed.account, account, "{uri}");
        }
    }

    #[test]
    fn tolerant_scheme_type_and_parameters() {
        let cases = [
            "OTPAUTH://TOTP/Example:alice?SECRET=ljvtctswgjyeoysv",
            "  otpauth://totp/Example:alice?secret=LJVT%20CTSW%20GJYE%20OYSV\n",
            "otpauth://totp/Example:alice?secret=LJVT+CTSW+GJYE+OYSV",
            "otpauth://totp/Example:alice?secret=LJVTCTSWGJYEOYSV%0A",
            "otpauth://totp/Example:alice?image=https%3A%2F%2Fx%2Fy.png&secret=LJVTCTSWGJYEOYSV&foo=bar&counter=3",
            "otpauth://totp/Example:alice?secret=LJVTCTSWGJYEOYSV&secret=AAAAAAAA",
            "otpauth://totp/Example:alice?secret=LJVTCTSWGJYEOYSV#fragment",
            "otpauth://totp/Example:alice?&&secret=LJVTCTSWGJYEOYSV&",
            "otpauth://totp/Example:alice?secret=LJVTCTSWGJYEOYSV&algorithm=sha-1&digits=6&period=30",
        ];
        for uri in cases {
            let parsed = parse(uri);
            assert_eq!(parsed.totp.secret_base32().expose(), KEY, "{uri}");
            assert_eq!(parsed.totp.code_at(T).as_str(), "157287", "{uri}");
            assert_eq!(parsed.account, "alice", "{uri}");
        }
    }

    #[test]
    fn algorithm_spellings() {
        let cases = [
            ("SHA1", Algorithm::Sha1),
            ("sha1", Algorithm::Sha1),
            ("SHA-1", Algorithm::Sha1),
            ("SHA256", Algorithm::Sha256),
            ("sha-256", Algorithm::Sha256),
            ("Sha_256", Algorithm::Sha256),
            ("SHA512", Algorithm::Sha512),
            ("SHA-512", Algorithm::Sha512),
            (" sha512 ", Algorithm::Sha512),
        ];
        for (name, algorithm) in cases {
            let uri = format!("otpauth://totp/a?secret={KEY}&algorithm={name}");
            assert_eq!(parse(&uri).totp.algorithm(), algorithm, "{name}");
        }
        for name in ["MD5", "SHA384", "SHA3-256", "", "SHA", "SHA-1-1-1-1-1-1-1-1", "SHA1SHA1SHA1"] {
            let err = parse_err(&format!("otpauth://totp/a?secret={KEY}&algorithm={name}"));
            assert!(err.message().contains("algorithm"), "{name}");
        }
    }

    #[test]
    fn rejects_bad_uris() {
        let hotp = parse_err("otpauth://hotp/Example:alice?secret=LJVTCTSWGJYEOYSV&counter=0");
        assert_eq!(hotp.message(), "HOTP URIs are not supported");
        parse_err("OTPAUTH://HOTP/alice?secret=LJVTCTSWGJYEOYSV");
        for uri in [
            "",
            "LJVTCTSWGJYEOYSV",
            "https://totp/alice?secret=LJVTCTSWGJYEOYSV",
            "otpauth:totp/alice?secret=LJVTCTSWGJYEOYSV",
            "otpauth://steam/alice?secret=LJVTCTSWGJYEOYSV",
            "otpauth://alice?secret=LJVTCTSWGJYEOYSV",
        ] {
            parse_err(uri);
        }
        let missing = parse_err("otpauth://totp/alice?issuer=Example");
        assert!(missing.message().contains("no secret"));
        for uri in [
            "otpauth://totp/alice?secret=",
            "otpauth://totp/alice?secret=LJVTCTSWGJYEOYS1",
            "otpauth://totp/alice?secret=LJVTCTSWGJYEOYSVA",
            "otpauth://totp/alice?secret=LJVTCTSWGJYEOYSV%3D",
            "otpauth://totp/alice?secret=LJVTCTSWGJYEOYSV&digits=5",
            "otpauth://totp/alice?secret=LJVTCTSWGJYEOYSV&digits=9",
            "otpauth://totp/alice?secret=LJVTCTSWGJYEOYSV&digits=six",
            "otpauth://totp/alice?secret=LJVTCTSWGJYEOYSV&period=0",
            "otpauth://totp/alice?secret=LJVTCTSWGJYEOYSV&period=3601",
            "otpauth://totp/alice?secret=LJVTCTSWGJYEOYSV&period=-30",
            "otpauth://totp/alice?secret=LJVTCTSWGJYEOYSV&period=30s",
        ] {
            parse_err(uri);
        }
    }

    #[test]
    fn caps_uri_length() {
        let base = "otpauth://totp/a?secret=LJVTCTSWGJYEOYSV&x=";
        let ok = format!("{base}{}", "y".repeat(MAX_URI_LEN - base.len()));
        assert_eq!(ok.len(), MAX_URI_LEN);
        parse(&ok);
        let err = parse_err(&format!("{ok}y"));
        assert!(err.message().contains("too long"));
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let uri = parse("otpauth://totp/Example:alice?secret=LJVTCTSWGJYEOYSV&issuer=Example");
        for debug in [format!("{uri:?}"), format!("{uri:#?}")] {
            assert!(
                !debug.contains(KEY) && !debug.contains("Zk1N") && !debug.to_lowercase().contains("ljvt"),
                "{debug}"
            );
            assert!(debug.contains("alice") && debug.contains("Example") && debug.contains("***"), "{debug}");
        }
        assert_eq!(format!("{:?}", uri.to_uri()), "Secret(***)");
    }

    #[test]
    fn parse_algorithm_helper() {
        assert_eq!(parse_algorithm("SHA-512"), Some(Algorithm::Sha512));
        assert_eq!(parse_algorithm("s-h-a-1"), Some(Algorithm::Sha1));
        assert_eq!(parse_algorithm("SHA5120"), None);
        assert_eq!(parse_algorithm("ŠHA1"), None);
    }
}
