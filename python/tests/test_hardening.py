"""Hardening: one Client shared by 8 threads running 500 sign-in flows each, and bad input
(wrong types, None, out-of-range and malformed values) for every public function and method.

Concurrency: a flow is login + is_authenticated + logout with a no-2FA user; every 10th flow
is a full 2FA flow (login, a TOTP code, then login_with_code or validate_app, is_authenticated,
logout). Each thread has its own users, added through the emulator's controls. Zero errors,
no live token left afterwards; flows/s is printed. A second run with every answer delayed
shows that the threads' calls overlap (the GIL is released while waiting).

Bad input: every case must raise TypeError (wrong type, None) or ValueError (bad value:
InvalidArgumentError, UnicodeEncodeError ...), never crash and never reach the portal (the
calls that take a client use one whose URL is a closed port, so a request would surface as
NetworkError). A last test checks that every public callable of the package has cases.
"""

from __future__ import annotations

import datetime
import inspect
import math
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import pytest

import docspace_auth as ds

from conftest import Emulator, User

THREADS = 8
FLOWS_PER_THREAD = 500
TFA_EVERY = 10
PASSWORD = "Hard#Pass-2026"


# -- concurrency ------------------------------------------------------------------------------


@dataclass
class Worker:
    plain: User
    linked: User
    flows: int = 0
    tfa_flows: int = 0
    requests: int = 0
    errors: int = 0
    first_error: str = ""


def one_flow(client: ds.Client, worker: Worker, n: int) -> None:
    if n % TFA_EVERY == TFA_EVERY - 1:
        assert worker.linked.totp_secret
        outcome = client.login(worker.linked.email, worker.linked.password)
        assert isinstance(outcome, ds.CodeRequired), outcome
        code = ds.totp(worker.linked.totp_secret)
        if (n // TFA_EVERY) % 2:
            linked_now, session = client.validate_app(outcome, code)
            assert not linked_now
        else:
            session = client.login_with_code(worker.linked.email, worker.linked.password, code)
        worker.tfa_flows += 1
    else:
        outcome = client.login(worker.plain.email, worker.plain.password)
        assert isinstance(outcome, ds.Authenticated), outcome
        session = outcome.session
    assert client.is_authenticated(session)
    client.logout(session)
    worker.requests += 4 if n % TFA_EVERY == TFA_EVERY - 1 else 3


def run_workers(client: ds.Client, workers: list[Worker], flows: int) -> float:
    barrier = threading.Barrier(len(workers) + 1)

    def work(worker: Worker) -> None:
        barrier.wait()
        for n in range(flows):
            try:
                one_flow(client, worker, n)
            except Exception as error:  # noqa: BLE001 - every failure is counted
                worker.errors += 1
                if not worker.first_error:
                    worker.first_error = f"flow {n}: {error!r}"
            worker.flows += 1

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.monotonic()
    for t in threads:
        t.join()
    return time.monotonic() - started


def add_workers(emulator: Emulator, tag: str) -> list[Worker]:
    return [
        Worker(
            emulator.add_user(f"hard-{tag}-plain-{i}@example.com", PASSWORD, "no_tfa"),
            emulator.add_user(f"hard-{tag}-linked-{i}@example.com", PASSWORD, "linked"),
        )
        for i in range(THREADS)
    ]


def test_eight_threads_share_one_client(emulator: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    workers = add_workers(emulator, "stress")
    with ds.Client(emulator.url, timeout=30) as client:
        elapsed = run_workers(client, workers, FLOWS_PER_THREAD)
    flows = sum(w.flows for w in workers)
    errors = sum(w.errors for w in workers)
    requests = sum(w.requests for w in workers)
    with capsys.disabled():
        print(
            f"\n[python stress] {THREADS} threads x {FLOWS_PER_THREAD} flows on one Client: {flows} flows "
            f"({sum(w.tfa_flows for w in workers)} with 2FA), {requests} requests in {elapsed:.2f} s: "
            f"{flows / elapsed:.0f} flows/s, {errors} errors"
        )
    assert flows == THREADS * FLOWS_PER_THREAD
    assert errors == 0, [w.first_error for w in workers if w.errors]
    for w in workers:
        for user in (w.plain, w.linked):
            assert emulator.user_state(user.email)["active_tokens"] == 0, user.email


def test_threads_overlap_while_the_portal_is_slow(emulator: Emulator) -> None:
    """Every answer is delayed by 100 ms: 8 threads x 2 flows (6 calls each) finish in well
    under the serial time, so the calls really run side by side (GIL released)."""
    workers = add_workers(emulator, "slow")
    delay_ms, flows = 100, 2
    calls = THREADS * flows * 3
    emulator.fault("/api/2.0/", delay_ms=delay_ms, times=calls)
    with ds.Client(emulator.url, timeout=30) as client:
        elapsed = run_workers(client, workers, flows)
    assert sum(w.errors for w in workers) == 0, [w.first_error for w in workers if w.errors]
    assert emulator.control("GET", "faults") == []  # every call was delayed
    serial = calls * delay_ms / 1000
    assert elapsed < serial / 3, f"{calls} delayed calls took {elapsed:.2f} s (serial: {serial:.1f} s)"


# -- bad input --------------------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Fixtures:
    client: Any  # a client whose portal is a closed port: any request gives NetworkError
    session: Any
    code_required: Any
    setup_required: Any
    update: Any
    totp: Any
    uri: Any


@pytest.fixture(scope="module")
def fx(emulator_process: Emulator) -> Iterator[Fixtures]:
    emulator_process.reset()
    live = ds.Client(emulator_process.url)
    plain = emulator_process.user("plain@example.com")
    linked = emulator_process.user("linked@example.com")
    setup = emulator_process.user("setup@example.com")
    authenticated = live.login(plain.email, plain.password)
    assert isinstance(authenticated, ds.Authenticated)
    code_required = live.login(linked.email, linked.password)
    setup_required = live.login(setup.email, setup.password)
    assert isinstance(code_required, ds.CodeRequired) and isinstance(setup_required, ds.SetupRequired)
    totp = ds.Totp("LJVTCTSWGJYEOYSV")
    with ds.Client(f"http://127.0.0.1:{closed_port()}", timeout=5) as client:
        yield Fixtures(
            client,
            authenticated.session,
            code_required,
            setup_required,
            ds.TfaPolicyUpdate(ds.TfaMethod.APP),
            totp,
            ds.OtpauthUri(totp, "ann@example.com", "ACME"),
        )
    live.close()


BIG = "a" * (1 << 20)
GUID = "975224eb-3934-4293-9186-ded6a493e29f"
NOT_STR: list[tuple[str, Any]] = [
    ("None", None),
    ("int", 42),
    ("bytes", b"LJVTCTSWGJYEOYSV"),
    ("list", ["x"]),
    ("object", object()),
]
#: Strings a Rust `String` cannot hold: a lone surrogate (not encodable as UTF-8).
NOT_UTF8 = "ab\ud800cd"

#: The package, untyped: the cases call it with arguments its stubs rightly refuse.
ANY_DS: Any = ds

Case = tuple[str, type[BaseException], Callable[[Fixtures], object]]
CASES: list[Case] = []


def case(name: str, expected: type[BaseException], call: Callable[[Fixtures], object]) -> None:
    CASES.append((name, expected, call))


def bound(call: Callable[..., object], *values: Any) -> Callable[[Fixtures], object]:
    """`call(fixtures, *values)`: binds a loop's current values (a typed lambda default)."""
    return lambda f: call(f, *values)


def str_param_cases(name: str, call: Callable[[Fixtures, Any], object], *, empty: bool = True) -> None:
    """Wrong types, a lone surrogate, and (when `empty`) "" for one string parameter."""
    for label, value in NOT_STR:
        case(f"{name}[{label}]", TypeError, bound(lambda f, v: call(f, v), value))
    case(f"{name}[surrogate]", ValueError, lambda f: call(f, NOT_UTF8))
    if empty:
        case(f"{name}[empty]", ValueError, lambda f: call(f, ""))


# Client(...)
def new_client(url: Any = "https://portal.example.com", **kw: Any) -> object:
    client: Any = ds.Client
    return client(url, **kw)


str_param_cases("Client(base_url)", lambda f, v: new_client(v))
for label, url in [
    ("ftp", "ftp://portal.example.com"),
    ("file", "file:///etc/passwd"),
    ("javascript", "javascript:alert(1)"),
    ("data", "data:text/plain,x"),
    ("userinfo", "https://user:password@portal.example.com"),
    ("query", "https://portal.example.com/?q=1"),
    ("fragment", "https://portal.example.com/#f"),
    ("plain-http", "http://portal.example.com"),
    ("not-a-url", "not a url"),
    ("1MiB", "https://portal.example.com/" + BIG),
]:
    case(f"Client(base_url)[{label}]", ValueError, bound(lambda f, u: new_client(u), url))
CLIENT_KWARGS: list[tuple[str, Any, list[Any]]] = [
    ("timeout", "5", [0, -1, math.nan, math.inf, 1e300, datetime.timedelta(seconds=-1)]),
    ("connect_timeout", b"5", [0, -0.5, math.nan]),
    ("ca_file", 123, ["/nonexistent/ca.pem", ""]),
    ("ca_pem", 123, ["not a certificate", b"", "-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----\n"]),
    ("user_agent", 5, ["bad\nagent", "bad\x00agent"]),
    ("max_response_bytes", "1", [0, -1]),
    ("allow_insecure_http", "yes", []),
    ("use_env_proxy", None, []),
]
for kw, bad_type, bad_values in CLIENT_KWARGS:
    case(f"Client({kw})[type]", TypeError, bound(lambda f, k, v: new_client(**{k: v}), kw, bad_type))
    case(f"Client({kw})[list]", TypeError, bound(lambda f, k: new_client(**{k: [True]}), kw))
    for i, value in enumerate(bad_values):
        case(f"Client({kw})[value-{i}]", ValueError, bound(lambda f, k, v: new_client(**{k: v}), kw, value))
case("Client(timeout)[bool]", TypeError, lambda f: new_client(timeout=True))
case("Client(max_response_bytes)[float]", TypeError, lambda f: new_client(max_response_bytes=1.5))
case("Client(unknown keyword)", TypeError, lambda f: new_client(verify=False))
case("Client()[no argument]", TypeError, lambda f: ANY_DS.Client())

# Client methods
GOOD_USER, GOOD_PASSWORD = "user@example.com", "Pw-123"
str_param_cases("Client.login(user_name)", lambda f, v: f.client.login(v, GOOD_PASSWORD))
str_param_cases("Client.login(password)", lambda f, v: f.client.login(GOOD_USER, v))
case("Client.login(user_name)[control]", ValueError, lambda f: f.client.login("u\r\nX: y", GOOD_PASSWORD))
case("Client.login(user_name)[1MiB]", ValueError, lambda f: f.client.login(BIG, GOOD_PASSWORD))
case("Client.login(password)[1MiB]", ValueError, lambda f: f.client.login(GOOD_USER, BIG))
case("Client.login(password)[nul]", ValueError, lambda f: f.client.login(GOOD_USER, "p\x00w"))
case("Client.login()[missing]", TypeError, lambda f: f.client.login(GOOD_USER))
str_param_cases("Client.login_with_code(user_name)", lambda f, v: f.client.login_with_code(v, GOOD_PASSWORD, "123456"))
str_param_cases("Client.login_with_code(password)", lambda f, v: f.client.login_with_code(GOOD_USER, v, "123456"))
str_param_cases("Client.login_with_code(code)", lambda f, v: f.client.login_with_code(GOOD_USER, GOOD_PASSWORD, v))
for label, code in [
    ("slash", "12/34"), ("question", "12?456"), ("hash", "1#3456"), ("percent", "%2e%2e"), ("dotdot", ".."),
    ("traversal", "../123"), ("space", "12 34"), ("tab", "12\t34"), ("crlf", "12\r\n34"), ("nul", "12\x0034"),
    ("escape", "12\x1b[0m"), ("unicode", "\u00e912345"), ("1MiB", BIG), ("semicolon", "12;34"),
]:
    case(f"Client.login_with_code(code)[{label}]", ValueError,
         bound(lambda f, c: f.client.login_with_code(GOOD_USER, GOOD_PASSWORD, c), code))
    case(f"Client.validate_app(code)[{label}]", ValueError, bound(lambda f, c: f.client.validate_app(f.code_required, c), code))
for label, value in NOT_STR:
    case(f"Client.setup_app(challenge)[{label}]", TypeError, bound(lambda f, v: f.client.setup_app(v), value))
    case(f"Client.validate_app(challenge)[{label}]", TypeError, bound(lambda f, v: f.client.validate_app(v, "123456"), value))
case("Client.setup_app(challenge)[session]", TypeError, lambda f: f.client.setup_app(f.session))
case("Client.setup_app(challenge)[code-required]", ValueError, lambda f: f.client.setup_app(f.code_required))
case("Client.validate_app(challenge)[session]", TypeError, lambda f: f.client.validate_app(f.session, "123456"))
str_param_cases("Client.validate_app(code)", lambda f, v: f.client.validate_app(f.code_required, v))
for method in ["backup_codes", "regenerate_backup_codes", "logout", "is_authenticated", "tfa_policy", "confirm_context"]:
    for label, value in NOT_STR:
        case(f"Client.{method}(session)[{label}]", TypeError, bound(lambda f, m, v: getattr(f.client, m)(v), method, value))
    case(f"Client.{method}(session)[token-string]", TypeError,
         bound(lambda f, m: getattr(f.client, m)("stored-token-as-str"), method))
    case(f"Client.{method}(session)[challenge]", TypeError, bound(lambda f, m: getattr(f.client, m)(f.code_required), method))
case("Client.logout(session)[api-key]", ValueError, lambda f: f.client.logout(ds.Session.from_api_key("sk-x")))
for label, value in NOT_STR:
    case(f"Client.set_tfa_policy(session)[{label}]", TypeError, bound(lambda f, v: f.client.set_tfa_policy(v, f.update), value))
    case(f"Client.set_tfa_policy(update)[{label}]", TypeError, bound(lambda f, v: f.client.set_tfa_policy(f.session, v), value))
case("Client.set_tfa_policy(update)[str]", TypeError, lambda f: f.client.set_tfa_policy(f.session, "app"))
for label, value in NOT_STR:
    case(f"Client.reset_app(session)[{label}]", TypeError, bound(lambda f, v: f.client.reset_app(v, GUID), value))
str_param_cases("Client.reset_app(user_id)", lambda f, v: f.client.reset_app(f.session, v))
for label, uid in [("traversal", "../x"), ("slash", "a/b"), ("query", "a?b"), ("hash", "a#b"), ("percent", "%2e%2e"),
                   ("space", "a b"), ("crlf", "a\r\nb"), ("1MiB", BIG)]:
    case(f"Client.reset_app(user_id)[{label}]", ValueError, bound(lambda f, u: f.client.reset_app(f.session, u), uid))


def closed_client_call(f: Fixtures) -> object:
    client: Any = ds.Client("https://portal.example.com")
    client.close()
    client.close()  # idempotent
    return client.login(GOOD_USER, GOOD_PASSWORD)


case("Client.close()[then login]", ValueError, closed_client_call)
case("Client.__enter__()[args]", TypeError, lambda f: f.client.__enter__(1))
case("Client.__exit__()[keyword]", TypeError, lambda f: f.client.__exit__(x=1))

# Sessions
str_param_cases("Session.from_token(token)", lambda f, v: ds.Session.from_token(v))
case("Session.from_token(token)[whitespace]", ValueError, lambda f: ds.Session.from_token(" \t\n"))
str_param_cases("Session.from_api_key(key)", lambda f, v: ds.Session.from_api_key(v))

# Classes without a constructor
for cls in ["Session", "Challenge", "CodeRequired", "SetupRequired", "SmsRequired", "Authenticated", "AppSetup",
            "BackupCode", "TfaMethodSettings", "TfaPolicy", "AppReset"]:
    case(f"{cls}()", TypeError, bound(lambda f, c: getattr(ds, c)(), cls))

# TfaPolicyUpdate
case("TfaPolicyUpdate(method)[None]", TypeError, lambda f: ANY_DS.TfaPolicyUpdate(None))
case("TfaPolicyUpdate(method)[int]", TypeError, lambda f: ANY_DS.TfaPolicyUpdate(2))
case("TfaPolicyUpdate(method)[unknown]", ValueError, lambda f: ds.TfaPolicyUpdate("email"))
case("TfaPolicyUpdate(method)[surrogate]", ValueError, lambda f: ds.TfaPolicyUpdate(NOT_UTF8))
for kw in ["trusted_ips", "mandatory_users", "mandatory_groups"]:
    new_update: Any = ds.TfaPolicyUpdate
    case(f"TfaPolicyUpdate({kw})[str]", TypeError, bound(lambda f, k, u: u("app", **{k: "10.0.0.1"}), kw, new_update))
    case(f"TfaPolicyUpdate({kw})[None-item]", TypeError, bound(lambda f, k, u: u("app", **{k: [None]}), kw, new_update))
    case(f"TfaPolicyUpdate({kw})[bytes-item]", TypeError, bound(lambda f, k, u: u("app", **{k: [b"x"]}), kw, new_update))
    case(f"TfaPolicyUpdate({kw})[int]", TypeError, bound(lambda f, k, u: u("app", **{k: 5}), kw, new_update))
    # The entries are checked when the update is sent, before any request (closed port).
    for label, entry in [("malformed", "../x; DROP"), ("empty-item", ""), ("crlf", "10.0.0.1\r\nX: 1"), ("1MiB", BIG)]:
        case(f"Client.set_tfa_policy(update.{kw})[{label}]", ValueError,
             bound(lambda f, k, e, u: f.client.set_tfa_policy(f.session, u("app", **{k: [e]})), kw, entry, new_update))

# Totp and its methods
str_param_cases("Totp(secret)", lambda f, v: ds.Totp(v))
case("Totp(secret)[not-base32]", ValueError, lambda f: ds.Totp("LJVT1CTS!"))
case("Totp(secret)[1MiB]", ValueError, lambda f: ds.Totp(BIG))
new_totp: Any = ds.Totp
TOTP_KWARGS: list[tuple[str, Any, list[Any]]] = [
    ("algorithm", 1, ["MD5", "", NOT_UTF8]),
    ("digits", "6", [0, 5, 9, -1, 2**70]),
    ("period", 30.0, [0, 3601, -30, 2**70]),
]
for kw, bad_type, bad_values in TOTP_KWARGS:
    case(f"Totp({kw})[type]", TypeError, bound(lambda f, k, v: new_totp("LJVTCTSWGJYEOYSV", **{k: v}), kw, bad_type))
    for i, value in enumerate(bad_values):
        case(f"Totp({kw})[value-{i}]", ValueError, bound(lambda f, k, v: new_totp("LJVTCTSWGJYEOYSV", **{k: v}), kw, value))
case("Totp(digits)[bool]", TypeError, lambda f: new_totp("LJVTCTSWGJYEOYSV", digits=True))
case("Totp.from_bytes(secret)[str]", TypeError, lambda f: new_totp.from_bytes("LJVTCTSWGJYEOYSV"))
case("Totp.from_bytes(secret)[None]", TypeError, lambda f: new_totp.from_bytes(None))
case("Totp.from_bytes(secret)[empty]", ValueError, lambda f: ds.Totp.from_bytes(b""))
case("Totp.from_bytes(digits)[value]", ValueError, lambda f: ds.Totp.from_bytes(b"12345678901234567890", digits=12))
str_param_cases("Totp.from_uri(uri)", lambda f, v: ds.Totp.from_uri(v))
str_param_cases("parse_otpauth_uri(uri)", lambda f, v: ds.parse_otpauth_uri(v))
str_param_cases("OtpauthUri.parse(uri)", lambda f, v: ds.OtpauthUri.parse(v))
for label, uri in [
    ("hotp", "otpauth://totp/x".replace("totp", "hotp") + "?secret=LJVTCTSWGJYEOYSV&counter=1"),
    ("no-secret", "otpauth://totp/x?issuer=y"),
    ("bad-digits", "otpauth://totp/x?secret=LJVTCTSWGJYEOYSV&digits=99"),
    ("https", "https://example.com/"),
    ("1MiB", "otpauth://totp/x?secret=" + BIG),
]:
    case(f"Totp.from_uri(uri)[{label}]", ValueError, bound(lambda f, u: ds.Totp.from_uri(u), uri))
    case(f"parse_otpauth_uri(uri)[{label}]", ValueError, bound(lambda f, u: ds.parse_otpauth_uri(u), uri))
    case(f"OtpauthUri.parse(uri)[{label}]", ValueError, bound(lambda f, u: ds.OtpauthUri.parse(u), uri))

BAD_TIMES_TYPE: list[tuple[str, Any]] = [("str", "now"), ("bool", True), ("bytes", b"1"), ("list", [1])]
BAD_TIMES_VALUE: list[tuple[str, Any]] = [
    ("negative", -1), ("negative-float", -0.5), ("nan", math.nan), ("inf", math.inf), ("huge", 10**30),
    ("huge-float", 1e30),
]
for label, at in BAD_TIMES_TYPE:
    case(f"Totp.code_at(at)[{label}]", TypeError, bound(lambda f, t: f.totp.code_at(t), at))
    case(f"Totp.verify(at)[{label}]", TypeError, bound(lambda f, t: f.totp.verify("123456", at=t), at))
    case(f"Totp.seconds_remaining(at)[{label}]", TypeError, bound(lambda f, t: f.totp.seconds_remaining(t), at))
    case(f"totp(at)[{label}]", TypeError, bound(lambda f, t: ds.totp("LJVTCTSWGJYEOYSV", at=t), at))
    case(f"verify_totp(at)[{label}]", TypeError, bound(lambda f, t: ds.verify_totp("LJVTCTSWGJYEOYSV", "123456", at=t), at))
    case(f"seconds_remaining(at)[{label}]", TypeError, bound(lambda f, t: ds.seconds_remaining(t), at))
for label, at in BAD_TIMES_VALUE:
    case(f"Totp.code_at(at)[{label}]", ValueError, bound(lambda f, t: f.totp.code_at(t), at))
    case(f"totp(at)[{label}]", ValueError, bound(lambda f, t: ds.totp("LJVTCTSWGJYEOYSV", at=t), at))
    case(f"seconds_remaining(at)[{label}]", ValueError, bound(lambda f, t: ds.seconds_remaining(t), at))
case("Totp.code_at(at)[None]", TypeError, lambda f: f.totp.code_at(None))
case("Totp.code_now()[args]", TypeError, lambda f: f.totp.code_now(1))
for label, value in NOT_STR:
    case(f"Totp.verify(code)[{label}]", TypeError, bound(lambda f, v: f.totp.verify(v), value))
    case(f"verify_totp(code)[{label}]", TypeError, bound(lambda f, v: ds.verify_totp("LJVTCTSWGJYEOYSV", v), value))
case("Totp.verify(code)[surrogate]", ValueError, lambda f: f.totp.verify(NOT_UTF8))
case("Totp.verify(window)[negative]", ValueError, lambda f: f.totp.verify("123456", window=-1))
case("Totp.verify(window)[str]", TypeError, lambda f: f.totp.verify("123456", window="1"))
case("Totp.verify(window)[float]", TypeError, lambda f: f.totp.verify("123456", window=1.0))
case("verify_totp(window)[negative]", ValueError, lambda f: ds.verify_totp("LJVTCTSWGJYEOYSV", "1", window=-5))
str_param_cases("totp(secret)", lambda f, v: ds.totp(v))
str_param_cases("verify_totp(secret)", lambda f, v: ds.verify_totp(v, "123456"))
case("seconds_remaining(period)[zero]", ValueError, lambda f: ds.seconds_remaining(period=0))
case("seconds_remaining(period)[3601]", ValueError, lambda f: ds.seconds_remaining(period=3601))
case("seconds_remaining(period)[negative]", ValueError, lambda f: ds.seconds_remaining(period=-30))
case("seconds_remaining(period)[str]", TypeError, lambda f: ANY_DS.seconds_remaining(period="30"))
for label, value in NOT_STR:
    case(f"Totp.to_uri(account)[{label}]", TypeError, bound(lambda f, v: f.totp.to_uri(v), value))
case("Totp.to_uri(account)[surrogate]", ValueError, lambda f: f.totp.to_uri(NOT_UTF8))
case("Totp.to_uri(issuer)[int]", TypeError, lambda f: f.totp.to_uri("a", issuer=5))
case("Totp.to_uri(issuer)[surrogate]", ValueError, lambda f: f.totp.to_uri("a", issuer=NOT_UTF8))
for label, value in NOT_STR:
    case(f"OtpauthUri(totp)[{label}]", TypeError, bound(lambda f, v: ds.OtpauthUri(v, "a"), value))
    if value is not None:
        case(f"OtpauthUri(issuer)[{label}]", TypeError, bound(lambda f, v: ds.OtpauthUri(f.totp, "a", v), value))
    case(f"OtpauthUri(account)[{label}]", TypeError, bound(lambda f, v: ds.OtpauthUri(f.totp, v), value))
case("OtpauthUri(account)[surrogate]", ValueError, lambda f: ds.OtpauthUri(f.totp, NOT_UTF8))
case("OtpauthUri.to_uri()[args]", TypeError, lambda f: f.uri.to_uri(1))


def test_stored_credentials_are_trimmed_like_the_c_abi() -> None:
    """As docspace_session_new (C, Node, Go): a token read from a file keeps no newline."""
    assert ds.Session.from_token("  tok-123\n").token == "tok-123"
    assert ds.Session.from_api_key("\tsk-abc \r\n").token == "sk-abc"
    with pytest.raises(ds.InvalidArgumentError, match="`token` argument is empty"):
        ds.Session.from_token(" \n")


@pytest.mark.parametrize(
    "url", ["https://portal.example.com/\x00", "\x01https://portal.example.com", "https://portal.exa\r\nmple.com/x"]
)
def test_control_characters_in_a_base_url_are_refused(url: str) -> None:
    """The WHATWG URL parser would drop them silently and reach another address."""
    with pytest.raises(ds.InvalidArgumentError, match="control character"):
        ds.Client(url)


@pytest.mark.parametrize(
    "url", ["https://portal.example.com/\n", "\thttps://portal.example.com", " https://portal.example.com\r\n"]
)
def test_whitespace_around_a_base_url_is_trimmed(url: str) -> None:
    """A URL read from a file or an environment variable may end with a line break."""
    with ds.Client(url) as client:
        assert client.base_url == "https://portal.example.com/"


@pytest.mark.parametrize("name,expected,call", CASES, ids=[c[0] for c in CASES])
def test_bad_input(fx: Fixtures, name: str, expected: type[BaseException], call: Callable[[Fixtures], object]) -> None:
    with pytest.raises((TypeError, ValueError)) as caught:
        call(fx)
    error = caught.value
    assert isinstance(error, expected), f"{name}: {type(error).__name__}: {error}"
    # An argument error, never a portal or transport error (nothing was sent).
    assert not isinstance(error, ds.DocSpaceError) or isinstance(error, ds.InvalidArgumentError), repr(error)
    assert str(error)  # says what is wrong


def public_callables() -> set[str]:
    """Every public function, constructor and method of the package's native classes."""
    names: set[str] = set()
    for name in ds.__all__:
        obj = getattr(ds, name)
        if isinstance(obj, type):
            if obj.__module__.startswith("docspace_auth.") and obj.__module__ != "docspace_auth._native":
                continue  # errors, enums and results are plain Python classes
            if getattr(obj, "__module__", "") not in ("docspace_auth", "docspace_auth._native"):
                continue
            names.add(f"{name}()")
            for attr, value in vars(obj).items():
                if attr.startswith("_") and attr not in ("__enter__", "__exit__"):
                    continue
                if callable(value) or isinstance(value, (staticmethod, classmethod)):
                    names.add(f"{name}.{attr}()")
        elif inspect.isbuiltin(obj) or inspect.isfunction(obj):
            names.add(f"{name}()")
    return names


def test_every_public_callable_has_bad_input_cases() -> None:
    covered = {name.split("(")[0] + "()" for name, _, _ in CASES}
    missing = sorted(public_callables() - covered)
    # Methods that take no argument beyond self have nothing to get wrong but an extra one.
    assert not missing, f"no bad-input case for: {missing}"
    assert len(CASES) >= 200, len(CASES)
