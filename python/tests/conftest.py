"""pytest fixtures: the local DocSpace emulator (tests/emulator), started once per session on a
free port and reset before each test that uses it.

The emulator binary is `target/debug/docspace-emulator` (built by `cargo build` at the repo
root), or the path in DOCSPACE_EMULATOR. Tests that need it fail (not skip) when it is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PYTHON_DIR = REPO_ROOT / "python"
STARTUP_TIMEOUT = 30.0
READY_PREFIX = "docspace-emulator listening on "


def emulator_binary() -> Path:
    explicit = os.environ.get("DOCSPACE_EMULATOR")
    if explicit:
        return Path(explicit)
    return REPO_ROOT / "target" / "debug" / "docspace-emulator"


@dataclass(frozen=True)
class User:
    email: str
    password: str
    id: str
    kind: str
    api_key: str
    totp_secret: Optional[str]


class Emulator:
    """A running emulator process and its HTTP controls (`/__emulator/...`)."""

    def __init__(self, args: list[str]) -> None:
        binary = emulator_binary()
        if not binary.exists():
            pytest.fail(
                f"the DocSpace emulator is not built: {binary} is missing "
                "(run `cargo build` at the repo root, or set DOCSPACE_EMULATOR)",
                pytrace=False,
            )
        self.process = subprocess.Popen(
            [str(binary), "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.url = self._wait_ready()
        # Keep draining both pipes so the emulator never blocks on a full pipe.
        for stream in (self.process.stdout, self.process.stderr):
            threading.Thread(target=_drain, args=(stream,), daemon=True).start()

    def _wait_ready(self) -> str:
        assert self.process.stdout is not None
        result: dict[str, str] = {}

        def read_first_line() -> None:
            assert self.process.stdout is not None
            result["line"] = self.process.stdout.readline()

        reader = threading.Thread(target=read_first_line, daemon=True)
        reader.start()
        reader.join(STARTUP_TIMEOUT)
        line = result.get("line", "")
        if not line.startswith(READY_PREFIX):
            self.process.kill()
            stderr = self.process.stderr.read() if self.process.stderr else ""
            pytest.fail(f"the emulator did not start: first line {line!r}, stderr {stderr!r}", pytrace=False)
        return line[len(READY_PREFIX) :].strip().rstrip("/")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    # -- controls -------------------------------------------------------------------------

    def control(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/__emulator/{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"} if data is not None else {},
        )
        context = None
        if self.url.startswith("https:"):
            import ssl

            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        try:
            with urllib.request.urlopen(request, timeout=10, context=context) as answer:
                return json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            raise AssertionError(f"emulator control {method} {path} failed: {error.code} {error.read()!r}") from None

    def reset(self) -> None:
        self.control("POST", "reset")

    def set_clock(self, offset_seconds: int) -> None:
        self.control("POST", "clock", {"offset_seconds": offset_seconds})

    def now(self) -> int:
        return int(self.control("GET", "clock")["now_unix"])

    def fault(self, path: str, **fields: Any) -> None:
        self.control("POST", "faults", {"path": path, **fields})

    def users(self) -> list[User]:
        return [
            User(u["email"], u["password"], u["id"], u["kind"], u["api_key"], u.get("totp_secret"))
            for u in self.control("GET", "users")
        ]

    def user(self, email: str) -> User:
        for user in self.users():
            if user.email == email:
                return user
        raise AssertionError(f"no seeded user {email}")

    def user_state(self, email: str) -> dict[str, Any]:
        return dict(self.control("GET", "users/" + urllib.parse.quote(email, safe="@")))

    def add_user(self, email: str, password: str, kind: str) -> User:
        u = self.control("POST", "users", {"email": email, "password": password, "kind": kind})
        return User(u["email"], u["password"], u["id"], u["kind"], u["api_key"], u.get("totp_secret"))


def _drain(stream: Any) -> None:
    try:
        for _ in stream:
            pass
    except (OSError, ValueError):
        pass


@pytest.fixture(scope="session")
def emulator_process() -> Iterator[Emulator]:
    emulator = Emulator([])
    try:
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture
def emulator(emulator_process: Emulator) -> Emulator:
    """The shared emulator, back in its seeded state (users, clock, faults, lockouts)."""
    emulator_process.reset()
    return emulator_process


@pytest.fixture
def client(emulator: Emulator) -> Iterator[Any]:
    import docspace_auth as ds

    with ds.Client(emulator.url, timeout=10.0) as c:
        yield c


@dataclass(frozen=True)
class TlsFiles:
    ca_pem: bytes
    ca_file: Path
    cert_file: Path
    key_file: Path


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    """A throw-away CA and a `localhost` certificate it signed (made with the openssl CLI)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("the openssl command is needed to make a test certificate", pytrace=False)
    d = tmp_path_factory.mktemp("tls")

    def run(*args: str) -> None:
        subprocess.run([openssl, *args], cwd=d, check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=docspace-auth test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=localhost")
    (d / "leaf.ext").write_text(
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\n"
        "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
    )
    run("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "leaf.pem", "-days", "2", "-extfile", "leaf.ext")
    return TlsFiles((d / "ca.pem").read_bytes(), d / "ca.pem", d / "leaf.pem", d / "leaf.key")


@pytest.fixture(scope="session")
def tls_emulator(tls_files: TlsFiles) -> Iterator[Emulator]:
    """A second emulator serving HTTPS with the test certificate."""
    emulator = Emulator(["--tls-cert", str(tls_files.cert_file), "--tls-key", str(tls_files.key_file)])
    try:
        yield emulator
    finally:
        emulator.stop()


def pytest_report_header(config: pytest.Config) -> list[str]:
    import docspace_auth

    return [
        f"docspace_auth {docspace_auth.__version__} from {Path(docspace_auth.__file__).parent}",
        f"python {sys.version.split()[0]} at {sys.prefix}",
    ]
