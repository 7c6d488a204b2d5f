"""Shared by the examples: which portal and account to use, and how to print secrets safely.

With DOCSPACE_URL set, the examples talk to that portal as DOCSPACE_USER / DOCSPACE_PASSWORD
(and DOCSPACE_TOTP_SECRET, the base32 key of the account's authenticator app, where needed).
Without it they start the local DocSpace emulator (target/debug/docspace-emulator, built by
`cargo build` at the repo root, or the path in DOCSPACE_EMULATOR) and use one of its seeded
accounts, so they run out of the box.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import subprocess
import sys
import threading
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

READY_PREFIX = "docspace-emulator listening on "


@dataclass
class Portal:
    url: str
    user: str
    password: str
    #: Base32 key of the account's authenticator app, if known.
    totp_secret: Optional[str]
    #: True when this is the local emulator (the examples then act without asking).
    emulator: bool


def mask(value: Optional[str], keep: int = 0) -> str:
    """A secret for printing: its length and at most `keep` leading characters."""
    if not value:
        return "<none>"
    return value[:keep] + "*" * (len(value) - keep) + f" ({len(value)} chars)"


def _emulator_binary() -> Path:
    explicit = os.environ.get("DOCSPACE_EMULATOR")
    if explicit:
        return Path(explicit)
    return Path(__file__).resolve().parents[2] / "target" / "debug" / "docspace-emulator"


@contextlib.contextmanager
def portal(emulator_account: str) -> Iterator[Portal]:
    """The portal to use: from the environment, or a fresh emulator with `emulator_account`."""
    url = os.environ.get("DOCSPACE_URL")
    if url:
        user = os.environ.get("DOCSPACE_USER")
        if not user:
            sys.exit("DOCSPACE_USER is not set (the account's e-mail)")
        password = os.environ.get("DOCSPACE_PASSWORD")
        if not password:
            if not sys.stdin.isatty():
                sys.exit("DOCSPACE_PASSWORD is not set")
            password = getpass.getpass(f"Password for {user}: ")
        secret = os.environ.get("DOCSPACE_TOTP_SECRET") or None
        yield Portal(url, user, password, secret, emulator=False)
        return

    binary = _emulator_binary()
    if not binary.exists():
        sys.exit(f"DOCSPACE_URL is not set and the emulator is not built ({binary}); run `cargo build`")
    process = subprocess.Popen([str(binary), "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith(READY_PREFIX):
            sys.exit(f"the emulator did not start: {line!r}")
        emulator_url = line[len(READY_PREFIX) :].strip().rstrip("/")
        # Keep reading its output so it never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in process.stdout or ()], daemon=True).start()
        with urllib.request.urlopen(f"{emulator_url}/__emulator/users", timeout=10) as answer:
            users = {u["email"]: u for u in json.load(answer)}
        account = users[emulator_account]
        print(f"(no DOCSPACE_URL: using the local emulator at {emulator_url} as {emulator_account})")
        yield Portal(emulator_url, account["email"], account["password"], account.get("totp_secret"), emulator=True)
    finally:
        process.terminate()
        process.wait(10)
