"""Python benchmark clients: `client.py IMPL MODE URL N WARMUP THREADS` (bench/README.md).

IMPL ``docspace``: the docspace_auth package (``Client.login``, ``Totp.code_now``,
``Client.login_with_code``). IMPL ``requests`` / ``httpx``: the anchors, the seed sample's
code done right: one ``requests.Session`` / ``httpx.Client`` (kept-alive connection), JSON
bodies, the answers parsed, the 2FA challenge and confirm cookie checked, the code from
pyotp, the token picked out. IMPL ``pyotp`` exists for MODE ``totp`` only.

Only the chosen library is imported, so that MODE ``cold`` measures its import.
"""

import time

_T0 = time.perf_counter()

import sys  # noqa: E402

USER = "bench@example.com"
PASSWORD = "bench-password-1"
SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def make_docspace(url):
    import docspace_auth as ds

    client = ds.Client(url)
    totp = ds.Totp(SECRET)

    def flow(client=client):
        outcome = client.login(USER, PASSWORD)
        if not isinstance(outcome, ds.CodeRequired):
            raise AssertionError(f"expected CodeRequired, got {outcome!r}")
        session = client.login_with_code(USER, PASSWORD, totp.code_now())
        return len(session.token)

    return flow, lambda: make_docspace(url)[0], client


def _anchor(url, session_factory):
    import pyotp

    session = session_factory()
    totp = pyotp.TOTP(SECRET)
    login_url = f"{url}/api/2.0/authentication"
    accept = {"Accept": "application/json"}

    def flow(s=session):
        r = s.post(login_url, json={"userName": USER, "password": PASSWORD, "session": False},
                   headers=accept, timeout=30)
        r.raise_for_status()
        data = r.json()["response"]
        if data.get("token") or not data.get("tfa") or "type=TfaAuth" not in data.get("confirmUrl", ""):
            raise AssertionError("expected a TfaAuth challenge")
        if not r.cookies.get("asc_confirm_key_TfaAuth"):
            raise AssertionError("no confirm key cookie")
        code = totp.now()
        r = s.post(f"{login_url}/{code}",
                   json={"userName": USER, "password": PASSWORD, "code": code, "session": False},
                   headers=accept, timeout=30)
        r.raise_for_status()
        return len(r.json()["response"]["token"])

    return flow, lambda: _anchor(url, session_factory)[0], session


def make_requests(url):
    import requests

    return _anchor(url, requests.Session)


def make_httpx(url):
    import httpx

    return _anchor(url, httpx.Client)


IMPLS = {"docspace": make_docspace, "requests": make_requests, "httpx": make_httpx}


def status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def percentile(sorted_times, p):
    i = int((len(sorted_times) - 1) * p + 0.5)
    return sorted_times[min(i, len(sorted_times) - 1)]


def emit(obj):
    import json

    print(json.dumps(obj), flush=True)


def w1(flow, n, warmup):
    for _ in range(warmup):
        flow()
    times = [0.0] * n
    clock = time.perf_counter
    start = clock()
    for i in range(n):
        t = clock()
        if not flow():
            raise AssertionError("empty token")
        times[i] = (clock() - t) * 1e6
    total = clock() - start
    times.sort()
    emit({"n": n, "median_us": percentile(times, 0.5), "p99_us": percentile(times, 0.99),
          "flows_per_s": n / total, "rss_kib": status_kib("VmRSS:"), "hwm_kib": status_kib("VmHWM:")})


def w3(impl, make, url, n, warmup, threads):
    import threading

    if impl == "docspace":
        # One client shared by every thread (documented thread-safe; calls release the GIL).
        shared, _, _ = make(url)
        flows = [shared] * threads
    else:
        # A requests.Session is not documented thread-safe: one per thread.
        flows = [make(url)[0] for _ in range(threads)]
    per_thread = n // threads
    barrier = threading.Barrier(threads + 1)

    def run(flow):
        for _ in range(warmup):
            flow()
        barrier.wait()
        for _ in range(per_thread):
            flow()

    workers = [threading.Thread(target=run, args=(f,)) for f in flows]
    for w in workers:
        w.start()
    barrier.wait()
    start = time.perf_counter()
    for w in workers:
        w.join()
    total = time.perf_counter() - start
    emit({"threads": threads, "n": per_thread * threads, "flows_per_s": per_thread * threads / total})


def mem(make, url, extra):
    import gc

    flow, new_flow, _ = make(url)
    flow()
    gc.collect()
    base = status_kib("VmRSS:")
    # Each extra handle: a new client (and TOTP generator) bound into a flow closure.
    flows = [new_flow() for _ in range(extra)]
    gc.collect()
    idle = status_kib("VmRSS:")
    for f in flows:
        f()
    gc.collect()
    used = status_kib("VmRSS:")
    emit({"extra": extra, "rss_base_kib": base, "rss_idle_kib": idle, "rss_used_kib": used,
          "per_handle_idle_kib": (idle - base) / extra, "per_handle_used_kib": (used - base) / extra})


def totp_bench(impl, n):
    t0 = 1767225600
    clock = time.perf_counter
    if impl == "docspace":
        import docspace_auth as ds

        parsed = ds.Totp(SECRET)
        handle = parsed.code_at
        from_base32 = ds.totp
    else:
        import pyotp

        parsed = pyotp.TOTP(SECRET)
        handle = parsed.at

        def from_base32(secret, at):
            return pyotp.TOTP(secret).at(at)

    start = clock()
    for i in range(n):
        handle(t0 + i * 30)
    handle_s = clock() - start
    start = clock()
    for i in range(n):
        from_base32(SECRET, t0 + i * 30)
    base32_s = clock() - start
    emit({"n": n, "handle_codes_per_s": n / handle_s, "base32_codes_per_s": n / base32_s})


def main():
    impl, mode, url = sys.argv[1], sys.argv[2], sys.argv[3].rstrip("/")
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    warmup = int(sys.argv[5]) if len(sys.argv) > 5 else 100
    threads = int(sys.argv[6]) if len(sys.argv) > 6 else 1
    if mode == "totp":
        totp_bench(impl, n)
        return
    make = IMPLS[impl]
    if mode == "cold":
        # Process start (before this script) is timed by the driver; here: import + client +
        # first flow, from the first line of this script.
        flow = make(url)[0]
        t_import = time.perf_counter()
        flow()
        t_end = time.perf_counter()
        print(f'{{"ok":true,"setup_us":{(t_import - _T0) * 1e6:.0f},"in_process_us":{(t_end - _T0) * 1e6:.0f}}}',
              flush=True)
    elif mode == "w1":
        w1(make(url)[0], n, warmup)
    elif mode == "w3":
        w3(impl, make, url, n, warmup, threads)
    elif mode == "mem":
        mem(make, url, n)
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
