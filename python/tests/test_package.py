"""The installed package: version, where it was imported from, public names, argument checks
and reprs that need no portal."""

from __future__ import annotations

import importlib.metadata
import os
import re
import sys
from pathlib import Path

from typing import Any, Callable

import pytest

import docspace_auth as ds
from docspace_auth import _native

#: The package seen as untyped: the calls made through it pass wrong types on purpose.
untyped: Any = ds

from conftest import PYTHON_DIR, REPO_ROOT


def test_version_is_the_crate_version() -> None:
    cargo = (REPO_ROOT / "Cargo.toml").read_text()
    version = re.search(r'^version\s*=\s*"([^"]+)"', cargo, re.M)
    assert version is not None
    assert ds.__version__ == _native.__version__ == version.group(1)
    assert importlib.metadata.version("docspace-auth") == ds.__version__


def test_imported_from_the_installed_wheel_not_the_source_tree() -> None:
    package_dir = Path(ds.__file__).resolve().parent
    assert not package_dir.is_relative_to(PYTHON_DIR.resolve()), package_dir
    assert str(PYTHON_DIR.resolve()) not in [str(Path(p).resolve()) for p in sys.path if p]
    expected_venv = os.environ.get("DOCSPACE_AUTH_TEST_VENV")
    if expected_venv:
        # run-tests.sh: the wheel was installed into this fresh venv.
        assert package_dir.is_relative_to(Path(expected_venv).resolve()), (package_dir, expected_venv)
        assert Path(sys.prefix).resolve() == Path(expected_venv).resolve()
    native = Path(_native.__file__)
    assert native.parent == Path(ds.__file__).parent
    assert native.name.endswith(".abi3.so"), native.name
    assert (package_dir / "py.typed").is_file()
    assert (package_dir / "_native.pyi").is_file()


def test_public_names() -> None:
    for name in ds.__all__:
        assert hasattr(ds, name), name
    for name in _native.__all__:
        assert getattr(ds, name) is getattr(_native, name)
    for name in ["Client", "Authenticated", "CodeRequired", "SetupRequired", "SmsRequired", "BackupCode",
                 "totp", "verify_totp", "Totp", "parse_otpauth_uri", "seconds_remaining", "DocSpaceTimeoutError"]:
        assert name in ds.__all__
    assert issubclass(ds.CodeRequired, ds.Challenge) and issubclass(ds.SetupRequired, ds.Challenge)
    assert ds.Session.__module__ == "docspace_auth"


def test_native_classes_cannot_be_built_by_hand() -> None:
    for cls in (untyped.Authenticated, untyped.CodeRequired, untyped.SetupRequired, untyped.SmsRequired,
                untyped.Challenge, untyped.Session, untyped.BackupCode, untyped.AppSetup, untyped.AppValidation,
                untyped.TfaPolicy):
        with pytest.raises(TypeError):
            cls()


def test_match_args() -> None:
    assert ds.Authenticated.__match_args__ == ("session",)
    assert ds.SetupRequired.__match_args__ == ("secret", "otpauth_uri")
    assert ds.CodeRequired.__match_args__ == ("user_name",)
    assert ds.SmsRequired.__match_args__ == ("phone_noise", "expires")
    assert ds.BackupCode.__match_args__ == ("code", "used")
    assert ds.AppValidation.__match_args__ == ("linked_now", "session")


def test_session_constructors_and_repr() -> None:
    token = "very-secret-token-value"
    session = ds.Session.from_token(token)
    assert session.token == token and not session.is_api_key
    assert session.expires is None and session.user_id is None
    assert token not in repr(session) and "***" in repr(session)
    assert repr(session) == "Session(token='***', is_api_key=False, expires=None, user_id=None)"
    key = ds.Session.from_api_key("sk-abcdef123456")
    assert key.is_api_key and "sk-abcdef" not in repr(key)
    with pytest.raises(TypeError):
        untyped.Session.from_token(None)
    with pytest.raises(TypeError):
        untyped.Session.from_token(b"bytes")


def test_client_options_are_checked() -> None:
    with pytest.raises(ds.InvalidArgumentError):
        ds.Client("not a url")
    with pytest.raises(ds.InvalidArgumentError):
        ds.Client("ftp://portal.example.com")
    with pytest.raises(ds.InvalidArgumentError):
        ds.Client("http://portal.example.com")  # plain http to a non-loopback host
    ds.Client("http://portal.example.com", allow_insecure_http=True).close()
    with pytest.raises(ds.InvalidArgumentError):
        ds.Client("https://user:pw@portal.example.com")
    for bad_timeout in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ds.InvalidArgumentError):
            ds.Client("https://portal.example.com", timeout=bad_timeout)
    with pytest.raises(TypeError):
        untyped.Client("https://portal.example.com", timeout="30")
    with pytest.raises(TypeError):
        untyped.Client(None)
    with pytest.raises(TypeError):
        untyped.Client("https://portal.example.com", ca_pem=42)
    with pytest.raises(ds.InvalidArgumentError):
        ds.Client("https://portal.example.com", ca_pem="not a certificate")
    with pytest.raises(ds.InvalidArgumentError):
        ds.Client("https://portal.example.com", ca_file="/nonexistent/ca.pem")
    with pytest.raises(TypeError):
        untyped.Client("https://portal.example.com", 30.0)
    import datetime

    client = ds.Client("https://Portal.Example.com", timeout=datetime.timedelta(seconds=5), connect_timeout=2,
                       user_agent="tests/1.0", max_response_bytes=4096, use_env_proxy=False)
    assert client.base_url == "https://portal.example.com/"
    assert repr(client) == "Client('https://portal.example.com/')"


def test_client_context_manager_and_close() -> None:
    with ds.Client("https://portal.example.com") as client:
        assert not client.closed
    assert client.closed
    client.close()  # idempotent
    with pytest.raises(ds.InvalidArgumentError, match="closed"):
        client.login("user@example.com", "password")


def test_wrong_argument_types_to_flows_raise_type_error() -> None:
    client: Any = ds.Client("https://portal.example.com")
    session = ds.Session.from_token("t")
    calls: list[Callable[[], object]] = [
        lambda: client.login(None, "password"),
        lambda: client.login("user@example.com", None),
        lambda: client.login("user@example.com", 123),
        lambda: client.login_with_code("user@example.com", "password", None),
        lambda: client.login_with_code("user@example.com", "password", 123456),
        lambda: client.setup_app(None),
        lambda: client.setup_app("challenge"),
        lambda: client.setup_app(session),
        lambda: client.validate_app(session, "123456"),
        lambda: client.backup_codes(None),
        lambda: client.backup_codes("token"),
        lambda: client.regenerate_backup_codes(object()),
        lambda: client.logout(None),
        lambda: client.is_authenticated("t"),
        lambda: client.tfa_policy(None),
        lambda: client.set_tfa_policy(session, "app"),
        lambda: client.confirm_context(None),
        lambda: client.reset_app(session, None),
        lambda: untyped.TfaPolicyUpdate(None),
        lambda: untyped.TfaPolicyUpdate("app", trusted_ips="10.0.0.1"),
        lambda: untyped.TfaPolicyUpdate("app", mandatory_users=[1, 2]),
    ]
    for call in calls:
        with pytest.raises(TypeError):
            call()


def test_bad_argument_values_raise_value_errors_without_network() -> None:
    # An unreachable port: argument checks must fail before any connection is tried.
    client = ds.Client("http://127.0.0.1:9", timeout=5)
    calls: list[Callable[[], object]] = [
        lambda: client.login("", "password"),
        lambda: client.login("user@example.com", ""),
        lambda: client.login("user\x00@example.com", "password"),
        lambda: client.login_with_code("user@example.com", "password", ""),
        lambda: client.login_with_code("user@example.com", "password", "12\n34"),
        lambda: client.logout(ds.Session.from_api_key("sk-abc")),
        lambda: client.reset_app(ds.Session.from_token("t"), ""),
        lambda: ds.TfaPolicyUpdate("email"),
    ]
    for call in calls:
        with pytest.raises(ds.InvalidArgumentError):
            call()
    with pytest.raises(ds.InvalidArgumentError):
        client.set_tfa_policy(ds.Session.from_token("t"), ds.TfaPolicyUpdate("app", trusted_ips=["not-an-ip"]))
    with pytest.raises(UnicodeEncodeError):  # a ValueError: lone surrogates cannot be sent
        client.login("user@example.com", "pass\ud800word")


def test_policy_update_value() -> None:
    update = ds.TfaPolicyUpdate(ds.TfaMethod.APP, trusted_ips=["10.0.0.0/8"], mandatory_users=["u1"])
    assert update.method is ds.TfaMethod.APP
    assert update.trusted_ips == ["10.0.0.0/8"] and update.mandatory_users == ["u1"] and update.mandatory_groups == []
    assert ds.TfaPolicyUpdate("SMS").method is ds.TfaMethod.SMS
    assert ds.TfaPolicyUpdate("none").method is ds.TfaMethod.NONE
    assert repr(update) == (
        "TfaPolicyUpdate(method='app', trusted_ips=['10.0.0.0/8'], mandatory_users=['u1'], mandatory_groups=[])"
    )
