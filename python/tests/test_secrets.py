"""No secret reaches anything a Python user can see.

Users with distinctive secrets are added through the emulator (passwords
``Pw-LEAKCHECK-<random>``). Every flow and error path runs through the package; the secrets'
values are read through the package's own attributes (``Session.token``, ``Challenge.secret``
and ``.confirm_key``, ``AppSetup.manual_entry_key``, ``BackupCode.code``, the codes sent ...).
Everything a user could see is collected: ``repr``/``str``/``format`` of every returned object
and every exception (with its ``args``, ``server_message`` and formatted traceback), every
log record with the root logger at DEBUG (each object and error is also logged, errors with
``logging.exception``), warnings, and everything written to the process's stdout/stderr
(file-descriptor level, so native output counts too). The test fails if any password, token,
TOTP secret, confirm key, otpauth URI, API key, TOTP code or backup code appears: long
secrets as substrings, 6-character codes as whole words.
"""

from __future__ import annotations

import logging
import re
import secrets as random_secrets
import socket
import traceback
import warnings
from typing import Any, Callable

import pytest

import docspace_auth as ds

from conftest import Emulator

LOG = logging.getLogger("docspace-auth-leakcheck")


class Watch:
    """What must stay hidden, and what was shown."""

    def __init__(self) -> None:
        self.secrets: dict[str, str] = {}  # value -> what it is
        self.codes: dict[str, str] = {}  # 6-character codes: matched as whole words
        self.shown: list[tuple[str, str]] = []

    def secret(self, what: str, value: str | None) -> None:
        if value:
            self.secrets.setdefault(value, what)

    def code(self, what: str, value: str | None) -> None:
        if value:
            self.codes.setdefault(value, what)

    def show(self, label: str, value: object) -> object:
        """Record every way `value` is commonly displayed (and log it)."""
        self.shown += [(f"repr({label})", repr(value)), (f"str({label})", str(value)), (f"format({label})", f"{value}")]
        if isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                self.show(f"{label}[{i}]", item)
        LOG.debug("%s: %r", label, value)
        LOG.info("%s: %s", label, value)
        return value

    def error(self, label: str, error: BaseException) -> None:
        self.show(label, error)
        self.shown.append((f"{label}.args", repr(error.args)))
        self.shown.append((f"{label} traceback", "".join(traceback.format_exception(error))))
        if isinstance(error, ds.DocSpaceError):
            self.shown.append((f"{label}.server_message", str(error.server_message)))
            self.shown.append((f"{label}.kind", error.kind))
        try:
            raise error
        except BaseException:
            LOG.exception("%s failed", label)

    def fails(self, label: str, expected: type[BaseException], call: Callable[[], object]) -> None:
        with pytest.raises(expected) as caught:
            call()
        self.error(label, caught.value)

    def leaks(self, texts: list[tuple[str, str]]) -> list[str]:
        found = []
        for label, text in texts:
            for value, what in self.secrets.items():
                if value in text:
                    found.append(f"{label} shows a {what}")
            for value, what in self.codes.items():
                if re.search(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])", text):
                    found.append(f"{label} shows a {what}")
            if "+/+/" in text:  # every emulator login token starts with it
                found.append(f"{label} shows something shaped like a login token")
        return found


def test_no_secret_in_reprs_errors_logs_or_output(
    emulator: Emulator, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger, everything captured
    logging.getLogger().setLevel(logging.DEBUG)
    w = Watch()
    tag = random_secrets.token_hex(4)
    password = f"Pw-LEAKCHECK-{tag}"
    wrong_password = f"Pw-LEAKCHECK-wrong-{tag}"
    linked = emulator.add_user(f"leak-linked-{tag}@example.com", password, "linked")
    linked2 = emulator.add_user(f"leak-linked2-{tag}@example.com", password, "linked")
    setup = emulator.add_user(f"leak-setup-{tag}@example.com", password, "not_linked")
    plain = emulator.add_user(f"leak-plain-{tag}@example.com", password, "no_tfa")
    assert linked.totp_secret and linked2.totp_secret
    for what, value in [("password", password), ("rejected password", wrong_password),
                        ("TOTP secret", linked.totp_secret), ("TOTP secret", linked2.totp_secret)]:
        w.secret(what, value)
    for user in (linked, linked2, setup, plain):
        w.secret("API key", user.api_key)

    def code(secret: str) -> str:
        value = ds.totp(secret)
        w.code("TOTP code", value)
        return value

    def wrong_code(secret: str) -> str:
        value = code(secret)
        while ds.verify_totp(secret, value, window=10) is not None:
            value = f"{(int(value) + 137) % 1_000_000:06d}"
        w.code("rejected TOTP code", value)
        return value

    def session_secrets(label: str, session: ds.Session) -> ds.Session:
        w.secret(f"{label} token", session.token)
        w.show(label, session)
        return session

    with warnings.catch_warnings(record=True) as caught_warnings:
        warnings.simplefilter("always")
        with ds.Client(emulator.url) as client:
            w.show("client", client)

            # sign-in with a code (and the errors on the way)
            w.fails("login (wrong password)", ds.InvalidCredentialsError, lambda: client.login(linked.email, wrong_password))
            outcome = client.login(linked.email, linked.password)
            assert isinstance(outcome, ds.CodeRequired)
            w.secret("confirm key", outcome.confirm_key)
            w.show("CodeRequired", outcome)
            bad = wrong_code(linked.totp_secret)
            w.fails("login_with_code (wrong code)", ds.InvalidCodeError,
                    lambda: client.login_with_code(linked.email, linked.password, bad))
            w.fails("validate_app (wrong code)", ds.InvalidCodeError, lambda: client.validate_app(outcome, bad))
            session = session_secrets("session", client.login_with_code(linked.email, linked.password,
                                                                          code(linked.totp_secret)))
            validation = w.show("AppValidation", client.validate_app(outcome, code(linked.totp_secret)))
            assert isinstance(validation, ds.AppValidation)
            session_secrets("validate_app session", validation.session)

            # backup codes
            old = w.show("backup codes", client.backup_codes(session))
            assert isinstance(old, list)
            for c in old:
                w.code("backup code", c.code)
            new = w.show("new backup codes", client.regenerate_backup_codes(session))
            assert isinstance(new, list)
            for c in new:
                w.code("backup code", c.code)
            w.fails("login_with_code (old backup code)", ds.InvalidCodeError,
                    lambda: client.login_with_code(linked.email, linked.password, old[0].code))
            by_backup = session_secrets("backup-code session",
                                        client.login_with_code(linked.email, linked.password, new[0].code))
            w.fails("login_with_code (spent backup code)", ds.InvalidCodeError,
                    lambda: client.login_with_code(linked.email, linked.password, new[0].code))

            # policy, confirm context
            w.show("policy", client.tfa_policy(session))
            context = client.confirm_context(session)
            assert context is not None
            w.secret("confirm key", context.confirm_key)
            w.show("confirm context", context)
            w.fails("set_tfa_policy (not an admin)", ds.AccessDeniedError,
                    lambda: client.set_tfa_policy(session, ds.TfaPolicyUpdate("app")))
            client.logout(by_backup)
            w.fails("backup_codes (revoked)", ds.SessionInvalidError, lambda: client.backup_codes(by_backup))

            # linking an app
            pending = client.login(setup.email, setup.password)
            assert isinstance(pending, ds.SetupRequired)
            w.secret("TOTP secret", pending.secret)
            w.secret("otpauth URI", pending.otpauth_uri)
            w.secret("confirm key", pending.confirm_key)
            w.show("SetupRequired", pending)
            app = client.setup_app(pending)
            w.secret("manual entry key", app.manual_entry_key)
            w.secret("otpauth URI", app.otpauth_uri)
            w.show("AppSetup", app)
            bad = wrong_code(pending.secret)
            w.fails("validate_app (activation, wrong code)", ds.InvalidCodeError,
                    lambda: client.validate_app(pending, bad))
            activation = client.validate_app(pending, code(pending.secret))
            w.show("activation", activation)
            assert activation.linked_now
            fresh = session_secrets("activation session", activation.session)
            for c in client.backup_codes(fresh):
                w.code("backup code", c.code)
            w.fails("setup_app (linked)", ds.TfaNotAvailableError, lambda: client.setup_app(pending))

            # no 2FA, API keys, stored tokens
            signed_in = client.login(plain.email, plain.password)
            assert isinstance(signed_in, ds.Authenticated)
            session_secrets("plain session", signed_in.session)
            w.show("Authenticated", signed_in)
            w.fails("backup_codes (no app)", ds.TfaNotAvailableError, lambda: client.backup_codes(signed_in.session))
            api = w.show("API-key session", ds.Session.from_api_key(plain.api_key))
            assert isinstance(api, ds.Session)
            assert client.is_authenticated(api)
            w.fails("logout (API key)", ds.InvalidArgumentError, lambda: client.logout(api))
            bogus_key = f"sk-LEAKCHECK-{tag}"
            w.secret("bogus API key", bogus_key)
            w.fails("backup_codes (bogus key)", ds.SessionInvalidError,
                    lambda: client.backup_codes(ds.Session.from_api_key(bogus_key)))
            bogus = f"LEAKCHECK-token-{tag}-abcdefghijklmnop"
            w.secret("bogus token", bogus)
            w.fails("tfa_policy (bogus token)", ds.SessionInvalidError,
                    lambda: client.tfa_policy(ds.Session.from_token(bogus)))

            # portal failures while the password is in flight
            faults: list[tuple[str, dict[str, Any], type[BaseException]]] = [
                ("503 HTML", {"status": 503, "body": "html"}, ds.ServerError),
                ("429", {"status": 429, "retry_after": "30"}, ds.RateLimitedError),
                ("truncated", {"body": "truncated-json"}, ds.UnexpectedResponseError),
                ("envelope in a 200", {"body": "error-envelope-200"}, ds.InvalidCredentialsError),
                ("16 MiB", {"body": "oversized"}, ds.UnexpectedResponseError),
                ("dropped", {"drop_connection": True}, ds.NetworkError),
                ("500", {"status": 500}, ds.ServerError),
            ]
            for label, fault, expected in faults:
                emulator.fault("/api/2.0/authentication", **fault)
                w.fails(f"login ({label})", expected, lambda: client.login(linked.email, linked.password))

            # unlinking: a fresh session and activation challenge
            s2 = session_secrets("second linked session",
                                 client.login_with_code(linked2.email, linked2.password, code(linked2.totp_secret)))
            reset = client.reset_app(s2, linked2.id)
            assert reset.session is not None and reset.challenge is not None
            session_secrets("reset session", reset.session)
            w.secret("TOTP secret", reset.challenge.secret)
            w.secret("otpauth URI", reset.challenge.otpauth_uri)
            w.secret("confirm key", reset.challenge.confirm_key)
            w.show("AppReset", reset)
            w.fails("reset_app (revoked)", ds.SessionInvalidError, lambda: client.reset_app(s2, linked2.id))
            client.logout(session)

        # TOTP helpers with secrets that are wrong in various ways
        generator = ds.Totp(linked.totp_secret)
        w.show("Totp", generator)
        uri = generator.to_uri(linked.email, issuer="ACME")
        w.secret("otpauth URI", uri)
        w.show("OtpauthUri", ds.parse_otpauth_uri(uri))
        w.show("Totp.from_uri", ds.Totp.from_uri(uri))
        w.fails("totp (bad secret)", ds.InvalidArgumentError, lambda: ds.totp(f"LEAKCHECK{tag}SECRET1!"))
        w.secret("malformed TOTP secret", f"LEAKCHECK{tag}SECRET1!")
        w.fails("Totp (bad secret)", ds.InvalidArgumentError, lambda: ds.Totp(f"LEAKCHECK{tag}SECRET1!"))
        w.fails("parse_otpauth_uri (bad digits)", ds.InvalidArgumentError,
                lambda: ds.parse_otpauth_uri(f"otpauth://totp/x?secret={linked.totp_secret}&digits=12"))
        w.fails("parse_otpauth_uri (HOTP)", ds.InvalidArgumentError,
                lambda: ds.parse_otpauth_uri(f"otpauth://hotp/x?secret={linked.totp_secret}&counter=1"))
        w.fails("Client (credentials in the URL)", ds.InvalidArgumentError,
                lambda: ds.Client(f"https://{plain.email}:{password}@portal.example.com"))
        w.fails("login (unreachable)", ds.NetworkError,
                lambda: ds.Client(f"http://127.0.0.1:{closed_port()}", timeout=5).login(plain.email, password))
        w.fails("login (closed client)", ds.InvalidArgumentError, lambda: closed(emulator.url).login(plain.email, password))

    for warning in caught_warnings:
        w.shown.append(("warning", str(warning.message)))
    out, err = capfd.readouterr()
    w.shown += [("stdout", out), ("stderr", err), ("log text", caplog.text)]
    w.shown += [(f"log record {r.name}", r.getMessage()) for r in caplog.records]

    assert len(caplog.records) > 50  # the logging really captured
    assert len(w.secrets) >= 20 and len(w.codes) >= 15, (len(w.secrets), len(w.codes))
    leaks = w.leaks(w.shown)
    assert not leaks, "\n".join(sorted(set(leaks)))
    # Positive control: the scan does find a secret when one is shown.
    control = [("control", f"token {session.token} code {new[1].code} key {outcome.confirm_key}")]
    assert len(w.leaks(control)) >= 3


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def closed(url: str) -> Any:
    client = ds.Client(url)
    client.close()
    return client
