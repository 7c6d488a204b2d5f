"""The examples (python/examples/) run against a portal given by DOCSPACE_URL (here the
test emulator) and, without it, against an emulator they start themselves; their output
never shows a secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PYTHON_DIR, Emulator

EXAMPLES = PYTHON_DIR / "examples"


def run_example(name: str, env_overrides: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCSPACE_") or k == "DOCSPACE_EMULATOR"}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def portal_env(emulator: Emulator, email: str, secret: bool = True) -> dict[str, str]:
    user = emulator.user(email)
    env = {"DOCSPACE_URL": emulator.url, "DOCSPACE_USER": user.email, "DOCSPACE_PASSWORD": user.password}
    if secret and user.totp_secret:
        env["DOCSPACE_TOTP_SECRET"] = user.totp_secret
    return env


def assert_clean(result: subprocess.CompletedProcess[str], *secrets: str | None) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    for secret in secrets:
        if secret:
            assert secret not in output, f"secret leaked into the output:\n{output}"


def test_authenticate_by_code_against_a_portal(emulator: Emulator, tmp_path: Path) -> None:
    user = emulator.user("linked@example.com")
    result = run_example("authenticate_by_code.py", portal_env(emulator, user.email), tmp_path)
    assert_clean(result, user.password, user.totp_secret)
    assert "Signed in with the code." in result.stdout
    assert "the token is revoked: True" in result.stdout


def test_authenticate_by_code_reports_a_wrong_password(emulator: Emulator, tmp_path: Path) -> None:
    env = portal_env(emulator, "linked@example.com")
    env["DOCSPACE_PASSWORD"] = "wrong"
    result = run_example("authenticate_by_code.py", env, tmp_path)
    assert result.returncode == 1 and "Wrong e-mail or password." in result.stderr


def test_connect_authenticator_app_headless(emulator: Emulator, tmp_path: Path) -> None:
    user = emulator.user("setup@example.com")
    key_file = tmp_path / "key.txt"
    qr_file = tmp_path / "qr.png"
    result = run_example(
        "connect_authenticator_app.py", portal_env(emulator, user.email), tmp_path,
        "--save-key", str(key_file), "--qr", str(qr_file),
    )
    state = emulator.user_state(user.email)
    assert_clean(result, user.password, state["totp_secret"])
    assert "App linked." in result.stdout
    assert state["linked"]
    assert key_file.read_text().strip() == state["totp_secret"]
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert qr_file.read_bytes().startswith(b"\x89PNG")
    # Once linked, running it again has nothing to do.
    again = run_example("connect_authenticator_app.py", portal_env(emulator, user.email), tmp_path)
    assert again.returncode == 0 and "already linked" in again.stdout


def test_manage_backup_codes_regenerates(emulator: Emulator, tmp_path: Path) -> None:
    user = emulator.user("linked@example.com")
    old = [c["code"] for c in emulator.user_state(user.email)["backup_codes"]]
    result = run_example("manage_backup_codes.py", portal_env(emulator, user.email), tmp_path, "--regenerate")
    new = [c["code"] for c in emulator.user_state(user.email)["backup_codes"]]
    assert set(old).isdisjoint(new)
    assert_clean(result, user.password, user.totp_secret, *old, *new)
    assert "New backup codes" in result.stdout
    # --reveal prints them (the user asked to see them).
    revealed = run_example("manage_backup_codes.py", portal_env(emulator, user.email), tmp_path, "--reveal")
    assert revealed.returncode == 0 and all(code in revealed.stdout for code in new)


def test_manage_backup_codes_needs_the_secret(emulator: Emulator, tmp_path: Path) -> None:
    result = run_example("manage_backup_codes.py", portal_env(emulator, "linked@example.com", secret=False), tmp_path)
    assert result.returncode != 0 and "DOCSPACE_TOTP_SECRET" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "name, expected",
    [
        ("authenticate_by_code.py", "Signed in with the code."),
        ("connect_authenticator_app.py", "App linked."),
        ("manage_backup_codes.py", "New backup codes"),
    ],
)
def test_examples_start_their_own_emulator(name: str, expected: str, tmp_path: Path, emulator_process: Emulator) -> None:
    # emulator_process only makes sure the emulator binary exists (or fails clearly).
    result = run_example(name, {}, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "using the local emulator" in result.stdout and expected in result.stdout
