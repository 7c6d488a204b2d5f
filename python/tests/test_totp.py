"""TOTP: RFC 6238 vectors, the CONTRACT.md §4 worked example, a pyotp cross-check on random
secrets and times, verification windows, otpauth URIs and argument checking."""

from __future__ import annotations

import base64
import datetime
import hashlib
import random
import time
from typing import Any, Callable, cast

import pyotp
import pytest

import docspace_auth as ds


class LenientTOTP(pyotp.TOTP):
    """pyotp 2.12 refuses secrets under 112 bits; DocSpace issues 80-bit ones. Same algorithm,
    without that length check."""

    def byte_secret(self) -> bytes:
        secret = self.secret + "=" * (-len(self.secret) % 8)
        return base64.b32decode(secret, casefold=True)


# CONTRACT.md §4: secret ASCII "Zk1NV2pGbU" -> manualEntryKey LJVTCTSWGJYEOYSV; at 1767225600 -> 157287.
CONTRACT_SECRET = "LJVTCTSWGJYEOYSV"
CONTRACT_TIME = 1767225600
CONTRACT_CODE = "157287"

RFC6238_SEEDS = {
    "SHA1": b"12345678901234567890",
    "SHA256": b"12345678901234567890123456789012",
    "SHA512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
RFC6238_VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


def test_contract_worked_example() -> None:
    assert base64.b32encode(b"Zk1NV2pGbU").decode() == CONTRACT_SECRET
    assert ds.totp(CONTRACT_SECRET, at=CONTRACT_TIME) == CONTRACT_CODE
    assert ds.Totp(CONTRACT_SECRET).code_at(CONTRACT_TIME) == CONTRACT_CODE
    assert ds.Totp.from_bytes(b"Zk1NV2pGbU").code_at(CONTRACT_TIME) == CONTRACT_CODE
    # Lenient base32, as DocSpace's manualEntryKey may be typed.
    assert ds.totp("ljvt ctsw gjye oysv", at=CONTRACT_TIME) == CONTRACT_CODE
    padded = base64.b32encode(b"eleven byte").decode()
    assert padded.endswith("======")
    assert ds.totp(padded, at=CONTRACT_TIME) == ds.totp(padded.rstrip("="), at=CONTRACT_TIME)


@pytest.mark.parametrize("vector", RFC6238_VECTORS, ids=lambda v: str(v[0]))
def test_rfc6238_vectors(vector: tuple[int, str, str, str]) -> None:
    t, *expected = vector
    for (name, seed), code in zip(RFC6238_SEEDS.items(), expected):
        generator = ds.Totp.from_bytes(seed, algorithm=name, digits=8)
        assert generator.code_at(t) == code, name
        assert generator.verify(code, window=0, at=t) == 0
        # The same through base32 and the enum.
        b32 = base64.b32encode(seed).decode()
        assert ds.Totp(b32, algorithm=ds.Algorithm(name), digits=8).code_at(t) == code


def test_matches_pyotp_on_random_secrets_and_times() -> None:
    rng = random.Random(20261123)
    digests = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}
    for i in range(200):
        secret = base64.b32encode(rng.randbytes(rng.choice([10, 10, 16, 20, 32, 64]))).decode().rstrip("=")
        if i % 2:
            # DocSpace's parameters, half of the time.
            algorithm, digits, period = "SHA1", 6, 30
        else:
            algorithm = rng.choice(list(digests))
            digits = rng.choice([6, 7, 8])
            period = rng.choice([15, 30, 60, 90])
        t = rng.randrange(0, 2**34)
        reference = LenientTOTP(secret, digits=digits, digest=digests[algorithm], interval=period)
        expected = reference.at(t)
        generator = ds.Totp(secret, algorithm=algorithm, digits=digits, period=period)
        assert generator.code_at(t) == expected, (i, algorithm, digits, period, t)
        assert generator.verify(expected, at=t) == 0
        if (algorithm, digits, period) == ("SHA1", 6, 30):
            assert ds.totp(secret, at=t) == expected
            assert ds.verify_totp(secret, expected, at=t) == 0
        # A code from the previous step verifies at offset -1 with the default window of 1.
        previous = reference.at(t - period) if t >= period else None
        if previous is not None and previous != expected:
            assert generator.verify(previous, at=t) == -1
            assert reference.verify(previous, for_time=t, valid_window=1)


def test_totp_now_matches_pyotp() -> None:
    secret = pyotp.random_base32()
    before = pyotp.TOTP(secret).now()
    ours = ds.totp(secret)
    after = pyotp.TOTP(secret).now()
    docspace_secret = CONTRACT_SECRET  # 80 bits
    assert ds.totp(docspace_secret) in (LenientTOTP(docspace_secret).now(), LenientTOTP(docspace_secret).at(time.time() + 1))
    assert ours in (before, after)
    assert ds.Totp(secret).code_now() in (before, after)
    assert ds.verify_totp(secret, ours) in (-1, 0)


def test_verify_window_and_offsets() -> None:
    totp = ds.Totp(CONTRACT_SECRET)
    t = CONTRACT_TIME
    assert totp.verify(CONTRACT_CODE, at=t) == 0
    assert totp.verify(CONTRACT_CODE, at=t + 30) == -1
    assert totp.verify(CONTRACT_CODE, at=t - 30) == 1
    assert totp.verify(CONTRACT_CODE, at=t + 60) is None  # default window 1
    assert totp.verify(CONTRACT_CODE, window=2, at=t + 60) == -2
    assert totp.verify(CONTRACT_CODE, window=0, at=t + 30) is None
    assert totp.verify(CONTRACT_CODE, window=1000, at=t + 300) == -10  # clamped to 10 steps
    assert totp.verify(CONTRACT_CODE, window=1000, at=t + 330) is None
    assert totp.verify(f"  {CONTRACT_CODE}\n", at=t) == 0  # surrounding whitespace trimmed
    assert totp.verify("12345", at=t) is None
    assert totp.verify("abcdef", at=t) is None
    assert ds.verify_totp(CONTRACT_SECRET, CONTRACT_CODE, window=1, at=t + 30) == -1
    assert ds.verify_totp(CONTRACT_SECRET, CONTRACT_CODE, 1, t + 30) == -1


def test_times_as_float_and_datetime() -> None:
    aware = datetime.datetime.fromtimestamp(CONTRACT_TIME, tz=datetime.timezone.utc)
    assert ds.totp(CONTRACT_SECRET, at=aware) == CONTRACT_CODE
    assert ds.totp(CONTRACT_SECRET, at=CONTRACT_TIME + 29.999) == CONTRACT_CODE
    assert ds.totp(CONTRACT_SECRET, at=float(CONTRACT_TIME)) == CONTRACT_CODE
    assert ds.Totp(CONTRACT_SECRET).code_at(aware + datetime.timedelta(seconds=10)) == CONTRACT_CODE


def test_seconds_remaining() -> None:
    assert ds.seconds_remaining(at=CONTRACT_TIME) == 30
    assert ds.seconds_remaining(at=CONTRACT_TIME + 1) == 29
    assert ds.seconds_remaining(at=CONTRACT_TIME + 29) == 1
    assert ds.seconds_remaining(at=CONTRACT_TIME + 5, period=60) == 55
    assert 1 <= ds.seconds_remaining() <= 30
    totp = ds.Totp(CONTRACT_SECRET, period=60)
    assert totp.seconds_remaining(at=CONTRACT_TIME) == 60
    assert 1 <= totp.seconds_remaining() <= 60
    expected = 30 - int(time.time()) % 30
    assert ds.seconds_remaining() in (expected, expected - 1, 30)


def test_totp_properties_and_repr_hide_the_secret() -> None:
    totp = ds.Totp("ljvt ctsw gjye oysv", algorithm="sha-256", digits=8, period=60)
    assert totp.algorithm is ds.Algorithm.SHA256
    assert totp.algorithm == "SHA256"
    assert (totp.digits, totp.period) == (8, 60)
    assert totp.secret == CONTRACT_SECRET
    assert CONTRACT_SECRET not in repr(totp)
    assert "LJVT" not in repr(totp) and "***" in repr(totp)
    assert repr(ds.Totp(CONTRACT_SECRET)) == "Totp(secret='***', algorithm='SHA1', digits=6, period=30)"


def test_otpauth_uris() -> None:
    totp = ds.Totp(CONTRACT_SECRET)
    uri = totp.to_uri("john@example.com", issuer="portal.example.com")
    assert uri == (
        "otpauth://totp/portal.example.com:john@example.com?secret=LJVTCTSWGJYEOYSV&issuer=portal.example.com"
    )
    assert totp.to_uri("john@example.com") == "otpauth://totp/john@example.com?secret=LJVTCTSWGJYEOYSV"
    parsed = ds.parse_otpauth_uri(uri)
    assert (parsed.issuer, parsed.account) == ("portal.example.com", "john@example.com")
    assert parsed.totp.code_at(CONTRACT_TIME) == CONTRACT_CODE
    assert parsed.to_uri() == uri
    assert CONTRACT_SECRET not in repr(parsed)
    match parsed:
        case ds.OtpauthUri(totp=t, issuer="portal.example.com", account=account):
            assert account == "john@example.com" and t.digits == 6
        case _:
            pytest.fail("OtpauthUri did not match")
    # Tolerant parsing: issuer parameter wins, SHA-256 spelling, lower-case spaced secret.
    other = ds.OtpauthUri.parse(
        "otpauth://totp/Old:ann@acme.test?secret=ljvt%20ctsw%20gjye%20oysv&issuer=ACME&algorithm=SHA-256&digits=8&period=60"
    )
    assert (other.issuer, other.account) == ("ACME", "ann@acme.test")
    assert (other.totp.algorithm, other.totp.digits, other.totp.period) == (ds.Algorithm.SHA256, 8, 60)
    assert ds.Totp.from_uri(uri).code_at(CONTRACT_TIME) == CONTRACT_CODE
    built = ds.OtpauthUri(totp, "john@example.com", issuer="portal.example.com")
    assert built.to_uri() == uri
    # pyotp reads our URIs and we read pyotp's (pyotp itself refuses 80-bit secrets).
    long_secret = base64.b32encode(bytes(range(20))).decode()
    long_uri = ds.Totp(long_secret).to_uri("john@example.com", issuer="Portal Example")
    assert cast(pyotp.TOTP, pyotp.parse_uri(long_uri)).at(CONTRACT_TIME) == ds.totp(long_secret, at=CONTRACT_TIME)
    assert pyotp.parse_uri(long_uri).issuer == "Portal Example"
    theirs = pyotp.TOTP(long_secret, digits=8, digest=hashlib.sha512).provisioning_uri(name="a@b.c", issuer_name="X Y")
    assert ds.Totp.from_uri(theirs).code_at(CONTRACT_TIME) == cast(pyotp.TOTP, pyotp.parse_uri(theirs)).at(CONTRACT_TIME)


@pytest.mark.parametrize(
    "call",
    [
        lambda: ds.Totp(""),
        lambda: ds.Totp("not base32!"),
        lambda: ds.Totp(CONTRACT_SECRET, digits=5),
        lambda: ds.Totp(CONTRACT_SECRET, digits=9),
        lambda: ds.Totp(CONTRACT_SECRET, digits=-1),
        lambda: ds.Totp(CONTRACT_SECRET, period=0),
        lambda: ds.Totp(CONTRACT_SECRET, period=3601),
        lambda: ds.Totp(CONTRACT_SECRET, algorithm="MD5"),
        lambda: ds.Totp.from_bytes(b""),
        lambda: ds.totp(CONTRACT_SECRET, at=-1),
        lambda: ds.totp(CONTRACT_SECRET, at=float("nan")),
        lambda: ds.totp(CONTRACT_SECRET, at=2**80),
        lambda: ds.verify_totp(CONTRACT_SECRET, "123456", window=-1),
        lambda: ds.seconds_remaining(period=0),
        lambda: ds.parse_otpauth_uri("https://example.com"),
        lambda: ds.parse_otpauth_uri("otpauth://hotp/x?secret=LJVTCTSWGJYEOYSV&counter=1"),
        lambda: ds.parse_otpauth_uri("otpauth://totp/x"),
    ],
)
def test_bad_values_raise_invalid_argument(call: Callable[[], object]) -> None:
    with pytest.raises(ds.InvalidArgumentError) as info:
        call()
    assert isinstance(info.value, ValueError)
    assert info.value.kind == "invalid_argument"
    assert CONTRACT_SECRET not in str(info.value)


untyped: Any = ds  # the package, seen as untyped: these calls are wrong on purpose


@pytest.mark.parametrize(
    "call",
    [
        lambda: untyped.totp(None),
        lambda: untyped.totp(123456),
        lambda: untyped.totp(CONTRACT_SECRET, at="now"),
        lambda: ds.totp(CONTRACT_SECRET, at=True),
        lambda: untyped.verify_totp(CONTRACT_SECRET, 157287),
        lambda: untyped.verify_totp(CONTRACT_SECRET, "157287", window=1.5),
        lambda: untyped.Totp(CONTRACT_SECRET, digits="6"),
        lambda: untyped.Totp(CONTRACT_SECRET, algorithm=1),
        lambda: untyped.Totp.from_bytes("Zk1NV2pGbU"),
        lambda: untyped.Totp(CONTRACT_SECRET).code_at(None),
        lambda: untyped.OtpauthUri("not a totp", "a@b.c"),
    ],
)
def test_wrong_types_raise_type_error(call: Callable[[], object]) -> None:
    with pytest.raises(TypeError):
        call()
