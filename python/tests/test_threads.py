"""The GIL is released around network calls: 8 threads whose answers are each delayed by
0.5 s finish in about 0.5 s, not 4 s."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import docspace_auth as ds

from conftest import Emulator

THREADS = 8
DELAY_MS = 500
SEQUENTIAL = THREADS * DELAY_MS / 1000


def run_concurrently(emulator: Emulator, work: Callable[[int], object]) -> tuple[float, list[object]]:
    barrier = threading.Barrier(THREADS)

    def task(i: int) -> object:
        barrier.wait()
        return work(i)

    started = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(task, range(THREADS)))
    return time.monotonic() - started, results


def test_eight_logins_on_one_client_overlap(emulator: Emulator) -> None:
    user = emulator.user("plain@example.com")
    emulator.fault("/api/2.0/authentication", method="POST", delay_ms=DELAY_MS, times=THREADS)
    with ds.Client(emulator.url, timeout=10) as client:
        elapsed, results = run_concurrently(emulator, lambda _: client.login(user.email, user.password))
    assert all(isinstance(r, ds.Authenticated) for r in results)
    assert emulator.control("GET", "faults") == []  # every call really was delayed
    assert DELAY_MS / 1000 <= elapsed < SEQUENTIAL / 2, f"{THREADS} delayed calls took {elapsed:.2f} s"


def test_mixed_flows_on_separate_clients_overlap(emulator: Emulator) -> None:
    plain = emulator.user("plain@example.com")
    linked = emulator.user("linked@example.com")
    assert linked.totp_secret
    session = ds.Client(emulator.url).login_with_code(
        linked.email, linked.password, ds.totp(linked.totp_secret, at=emulator.now())
    )
    emulator.fault("/api/2.0/", delay_ms=DELAY_MS, times=THREADS)

    def work(i: int) -> object:
        with ds.Client(emulator.url, timeout=10) as client:
            if i % 4 == 0:
                return client.login(plain.email, plain.password)
            if i % 4 == 1:
                return client.backup_codes(session)
            if i % 4 == 2:
                return client.is_authenticated(session)
            return client.tfa_policy(session)

    # Meanwhile the main thread keeps running Python code.
    ticks = 0
    stop = threading.Event()

    def ticker() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.01)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        elapsed, results = run_concurrently(emulator, work)
    finally:
        stop.set()
        t.join()
    assert sum(isinstance(r, ds.Authenticated) for r in results) == 2
    assert sum(isinstance(r, list) and len(r) == 5 for r in results) == 2
    assert sum(r is True for r in results) == 2
    assert sum(isinstance(r, ds.TfaPolicy) for r in results) == 2
    assert DELAY_MS / 1000 <= elapsed < SEQUENTIAL / 2, f"{THREADS} delayed calls took {elapsed:.2f} s"
    assert ticks >= 10
