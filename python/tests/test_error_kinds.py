"""Every error kind, caused over real HTTP (emulator faults, clock control, lockouts, TLS) and
checked by exception class."""

from __future__ import annotations

import socket
import time

import docspace_auth as ds
import pytest

from conftest import Emulator, TlsFiles

LOGIN = "/api/2.0/authentication"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def plain(emulator: Emulator) -> tuple[str, str]:
    user = emulator.user("plain@example.com")
    return user.email, user.password


def test_invalid_argument(client: ds.Client) -> None:
    with pytest.raises(ds.InvalidArgumentError) as info:
        client.login("", "password")
    assert isinstance(info.value, ValueError) and info.value.status is None


def test_network_error_connection_refused() -> None:
    with ds.Client(f"http://127.0.0.1:{closed_port()}", timeout=5) as client:
        with pytest.raises(ds.NetworkError) as info:
            client.login("user@example.com", "password")
    assert isinstance(info.value, ConnectionError)
    assert info.value.kind == "network" and info.value.retryable


def test_network_error_dropped_connection(client: ds.Client, emulator: Emulator) -> None:
    emulator.fault(LOGIN, method="POST", drop_connection=True)
    with pytest.raises(ds.NetworkError):
        client.login(*plain(emulator))
    # The next attempt goes through.
    assert isinstance(client.login(*plain(emulator)), ds.Authenticated)


def test_timeout(emulator: Emulator) -> None:
    emulator.fault(LOGIN, method="POST", delay_ms=3000)
    with ds.Client(emulator.url, timeout=0.5) as client:
        started = time.monotonic()
        with pytest.raises(ds.DocSpaceTimeoutError) as info:
            client.login(*plain(emulator))
        assert time.monotonic() - started < 2.5
    assert isinstance(info.value, TimeoutError) and info.value.kind == "timeout"


def test_tls_error_for_an_untrusted_certificate(tls_emulator: Emulator) -> None:
    tls_emulator.reset()
    assert tls_emulator.url.startswith("https://localhost:")
    user = tls_emulator.user("plain@example.com")
    with ds.Client(tls_emulator.url, timeout=5) as untrusting:
        with pytest.raises(ds.TlsError) as info:
            untrusting.login(user.email, user.password)
    assert isinstance(info.value, ConnectionError) and info.value.kind == "tls"
    assert "UnknownIssuer" in str(info.value)


def test_tls_error_for_a_plain_http_server(emulator: Emulator) -> None:
    # https:// to a server that answers plain HTTP: the TLS handshake fails.
    with ds.Client(emulator.url.replace("http://", "https://"), timeout=5) as client:
        with pytest.raises(ds.TlsError) as info:
            client.login(*plain(emulator))
    assert isinstance(info.value, ConnectionError) and info.value.kind == "tls"


def test_custom_ca(tls_emulator: Emulator, tls_files: TlsFiles) -> None:
    tls_emulator.reset()
    user = tls_emulator.user("plain@example.com")
    with ds.Client(tls_emulator.url, timeout=5, ca_pem=tls_files.ca_pem) as by_pem:
        assert isinstance(by_pem.login(user.email, user.password), ds.Authenticated)
    with ds.Client(tls_emulator.url, timeout=5, ca_pem=tls_files.ca_pem.decode()) as by_text:
        assert isinstance(by_text.login(user.email, user.password), ds.Authenticated)
    with ds.Client(tls_emulator.url, timeout=5, ca_file=tls_files.ca_file) as by_path:
        assert isinstance(by_path.login(user.email, user.password), ds.Authenticated)
    with ds.Client(tls_emulator.url, timeout=5, ca_file=str(tls_files.ca_file)) as by_str:
        assert isinstance(by_str.login(user.email, user.password), ds.Authenticated)


def test_invalid_credentials(client: ds.Client, emulator: Emulator) -> None:
    email, password = plain(emulator)
    with pytest.raises(ds.InvalidCredentialsError) as info:
        client.login(email, password + "x")
    assert info.value.status == 401 and info.value.kind == "invalid_credentials"
    assert password not in str(info.value) and password not in repr(info.value)
    with pytest.raises(ds.InvalidCredentialsError):
        client.login("nobody@example.com", password)


def test_invalid_code(client: ds.Client, emulator: Emulator) -> None:
    user = emulator.user("linked@example.com")
    assert user.totp_secret
    wrong = "000000" if ds.totp(user.totp_secret, at=emulator.now()) != "000000" else "111111"
    with pytest.raises(ds.InvalidCodeError) as info:
        client.login_with_code(user.email, user.password, wrong)
    assert info.value.status == 401 and wrong not in str(info.value)
    outcome = client.login(user.email, user.password)
    assert isinstance(outcome, ds.CodeRequired)
    with pytest.raises(ds.InvalidCodeError) as at_validate:
        client.validate_app(outcome, wrong)
    assert at_validate.value.status == 400


def test_expired_code_is_refused_after_the_clock_moves(client: ds.Client, emulator: Emulator) -> None:
    user = emulator.user("linked@example.com")
    assert user.totp_secret
    code = ds.totp(user.totp_secret, at=emulator.now())
    emulator.set_clock(15 * 60)  # DocSpace accepts ±5 minutes
    with pytest.raises(ds.InvalidCodeError):
        client.login_with_code(user.email, user.password, code)
    session = client.login_with_code(user.email, user.password, ds.totp(user.totp_secret, at=emulator.now()))
    assert client.is_authenticated(session)


def test_locked_out_after_six_failures_and_free_again_a_minute_later(client: ds.Client, emulator: Emulator) -> None:
    email, password = plain(emulator)
    for _ in range(5):
        with pytest.raises(ds.InvalidCredentialsError):
            client.login(email, "wrong password")
    with pytest.raises(ds.LockedOutError) as info:
        client.login(email, "wrong password")
    assert info.value.status == 403 and info.value.retryable
    with pytest.raises(ds.LockedOutError):
        client.login(email, password)  # blocked even with the right password
    emulator.set_clock(61)
    assert isinstance(client.login(email, password), ds.Authenticated)


def test_locked_out_after_six_wrong_codes_at_validate(client: ds.Client, emulator: Emulator) -> None:
    user = emulator.user("linked@example.com")
    assert user.totp_secret
    outcome = client.login(user.email, user.password)
    assert isinstance(outcome, ds.CodeRequired)
    right = ds.totp(user.totp_secret, at=emulator.now())
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ds.InvalidCodeError):
            client.validate_app(outcome, wrong)
    with pytest.raises(ds.LockedOutError):
        client.validate_app(outcome, wrong)


@pytest.mark.parametrize("retry_after, expected", [("120", 120.0), ("0", 0.0)])
def test_rate_limited_with_retry_after(client: ds.Client, emulator: Emulator, retry_after: str, expected: float) -> None:
    emulator.fault(LOGIN, method="POST", status=429, retry_after=retry_after)
    with pytest.raises(ds.RateLimitedError) as info:
        client.login(*plain(emulator))
    assert info.value.status == 429 and info.value.retry_after == expected
    assert info.value.retryable and isinstance(info.value.retry_after, float)


def test_rate_limited_with_an_http_date(client: ds.Client, emulator: Emulator) -> None:
    from email.utils import formatdate

    emulator.fault(LOGIN, method="POST", status=429, body="text", retry_after=formatdate(time.time() + 90, usegmt=True))
    with pytest.raises(ds.RateLimitedError) as info:
        client.login(*plain(emulator))
    assert info.value.retry_after is not None and 80 <= info.value.retry_after <= 91


def test_tfa_not_available(client: ds.Client, emulator: Emulator) -> None:
    outcome = client.login(*plain(emulator))
    assert isinstance(outcome, ds.Authenticated)
    with pytest.raises(ds.TfaNotAvailableError) as info:
        client.backup_codes(outcome.session)
    assert info.value.status == 403


def test_confirm_context_expired_key(client: ds.Client, emulator: Emulator) -> None:
    user = emulator.user("setup@example.com")
    outcome = client.login(user.email, user.password)
    assert isinstance(outcome, ds.SetupRequired)
    emulator.set_clock(2 * 3600)  # confirm keys live one hour
    with pytest.raises(ds.ConfirmContextError):
        client.setup_app(outcome)


def test_confirm_context_missing_key(client: ds.Client, emulator: Emulator) -> None:
    user = emulator.user("setup@example.com")
    emulator.fault(LOGIN, method="POST", body="no-set-cookie")
    outcome = client.login(user.email, user.password)
    assert isinstance(outcome, ds.SetupRequired) and outcome.confirm_key is None
    with pytest.raises(ds.ConfirmContextError):
        client.setup_app(outcome)
    with pytest.raises(ds.ConfirmContextError):
        client.validate_app(outcome, ds.totp(outcome.secret, at=emulator.now()))


def test_access_denied(client: ds.Client, emulator: Emulator) -> None:
    user = emulator.user("disabled@example.com")
    with pytest.raises(ds.AccessDeniedError) as info:
        client.login(user.email, user.password)
    assert isinstance(info.value, PermissionError)
    assert info.value.status == 403 and info.value.server_message == "User disabled"
    outcome = client.login(*plain(emulator))
    assert isinstance(outcome, ds.Authenticated)
    with pytest.raises(ds.AccessDeniedError):
        client.set_tfa_policy(outcome.session, ds.TfaPolicyUpdate(ds.TfaMethod.NONE))


def test_session_invalid(client: ds.Client, emulator: Emulator) -> None:
    with pytest.raises(ds.SessionInvalidError) as info:
        client.backup_codes(ds.Session.from_token("revoked-or-made-up"))
    assert info.value.status == 401
    session = client.login_with_code(
        "linked@example.com",
        emulator.user("linked@example.com").password,
        ds.totp(emulator.user("linked@example.com").totp_secret or "", at=emulator.now()),
    )
    client.logout(session)
    with pytest.raises(ds.SessionInvalidError):
        client.regenerate_backup_codes(session)


def test_server_error_html_page(client: ds.Client, emulator: Emulator) -> None:
    emulator.fault(LOGIN, method="POST", status=503, body="html")
    with pytest.raises(ds.ServerError) as info:
        client.login(*plain(emulator))
    assert info.value.status == 503 and info.value.retryable
    assert "<html" not in str(info.value)


@pytest.mark.parametrize("body", ["truncated-json", "oversized", "empty"])
def test_unexpected_response(client: ds.Client, emulator: Emulator, body: str) -> None:
    emulator.fault(LOGIN, method="POST", body=body)
    with pytest.raises(ds.UnexpectedResponseError):
        client.login(*plain(emulator))


def test_unexpected_response_without_session_cookie(client: ds.Client, emulator: Emulator) -> None:
    user = emulator.user("linked@example.com")
    assert user.totp_secret
    outcome = client.login(user.email, user.password)
    assert isinstance(outcome, ds.CodeRequired)
    emulator.fault("/api/2.0/settings/tfaapp/validate", body="no-set-cookie")
    with pytest.raises(ds.UnexpectedResponseError):
        client.validate_app(outcome, ds.totp(user.totp_secret, at=emulator.now()))


def test_unknown_fields_are_ignored(client: ds.Client, emulator: Emulator) -> None:
    emulator.fault(LOGIN, method="POST", body="extra-fields")
    assert isinstance(client.login(*plain(emulator)), ds.Authenticated)
