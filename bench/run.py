#!/usr/bin/env python3
"""docspace-auth benchmarks: every language's flow against what users would pick instead.

    python3 bench/run.py             # build what is needed, run W1-W4 + memory, write results
    BENCH_QUICK=1 python3 bench/run.py   # a ~1-minute smoke run (tiny N, 1 round, no targets)

Environment: BENCH_ROUNDS (default 5), BENCH_SCALE (multiplies every N, default 1),
BENCH_ONLY (comma list of w1,w2,w3,w4,mem,instr), BENCH_NO_BUILD=1 (use what is built),
BENCH_OUT (results directory, default bench/results).

One local server (bench/server) with fixed DocSpace-shaped answers; each client program runs
in its own process, once per round, the clients interleaved (the order rotates each round);
every figure is the median over rounds, and every ratio is against an anchor from the same
run. Output: a Markdown table on the terminal and in results/latest.md, the raw and
aggregated figures in results/latest.json, a chart in results/latest.png.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BUILD = BENCH / "build"
RELEASE = ROOT / "target" / "release"
BENCH_TARGET = BENCH / "target" / "release"
VENV = BENCH / ".venv"
VENV_PY = VENV / "bin" / "python"
OUT = Path(os.environ.get("BENCH_OUT", BENCH / "results"))

QUICK = os.environ.get("BENCH_QUICK") == "1"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "1" if QUICK else "5"))
SCALE = float(os.environ.get("BENCH_SCALE", "0.05" if QUICK else "1"))
ONLY = set(filter(None, os.environ.get("BENCH_ONLY", "w1,w2,w3,w4,mem,instr").split(",")))
NO_BUILD = os.environ.get("BENCH_NO_BUILD") == "1"

W3_THREADS = [1, 2, 4, 8]
COLD_RUNS = 2 if QUICK else 6  # cold starts per client per round
MEM_EXTRA = 10 if QUICK else 50  # extra client handles in the memory measurement


class BenchError(Exception):
    """A client (or its build) failed: it is left out of the run and named in the results."""


# client name -> why it is not measured (failed build or run)
UNAVAILABLE: dict[str, str] = json.loads(os.environ.get("BENCH_UNAVAILABLE", "{}"))


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def sh(cmd, cwd=ROOT, env=None, quiet=True) -> str:
    log("$ " + " ".join(str(c) for c in cmd) + (f"   (in {Path(cwd).relative_to(ROOT)})" if Path(cwd) != ROOT else ""))
    r = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, text=True,
                       stdout=subprocess.PIPE if quiet else None, stderr=subprocess.STDOUT if quiet else None)
    if r.returncode != 0:
        if quiet:
            sys.stderr.write(r.stdout or "")
        lines = (r.stdout or "").strip().splitlines()
        first_error = next((line.strip() for line in lines if "error" in line.lower()), " / ".join(lines[-2:]))
        raise BenchError(f"`{Path(str(cmd[0])).name}` failed ({r.returncode}): {first_error}")
    return r.stdout or ""


# ---------------------------------------------------------------------------------------------
# The clients
# ---------------------------------------------------------------------------------------------

NODE = ["node", "--expose-gc", BENCH / "clients" / "node" / "client.js"]
PY = [VENV_PY, BENCH / "clients" / "python" / "client.py"]
RUST = [BENCH_TARGET / "docspace-bench-rust"]

# name: label, language, ours (the library under test) or an anchor, the command prefix
# (MODE URL N WARMUP THREADS follow), the W1 flow count (fast clients get more), and the
# anchors its ratios are taken against.
CLIENTS = {
    "rust-api": dict(
        short="Rust · docspace-auth", label="docspace-auth Rust API", lang="Rust", ours=True, cmd=RUST + ["api"],
        n=4000, anchors=["rust-reqwest"],
    ),
    "rust-reqwest": dict(
        short="Rust · reqwest blocking", label="reqwest blocking + serde_json + totp-rs", lang="Rust", ours=False,
        cmd=RUST + ["reqwest"], n=4000,
    ),
    "c-abi": dict(
        short="C · docspace-auth C ABI", label="docspace-auth C ABI", lang="C", ours=True, cmd=[BUILD / "c_abi"],
        n=4000, anchors=["rust-reqwest", "c-curl"],
    ),
    "c-curl": dict(
        short="C · libcurl", label="libcurl easy + cJSON + liboath", lang="C", ours=False, cmd=[BUILD / "c_curl"],
        n=4000,
    ),
    "cpp": dict(
        short="C++ · docspace-auth", label="docspace-auth C++ binding", lang="C++", ours=True,
        cmd=[BUILD / "cpp_binding"], n=4000, anchors=["c-curl"],
    ),
    "go": dict(
        short="Go · docspace-auth", label="docspace-auth Go binding", lang="Go", ours=True,
        cmd=[BUILD / "go-bench", "docspace"], n=4000, anchors=["go-nethttp"],
    ),
    "go-nethttp": dict(
        short="Go · net/http", label="net/http + encoding/json + pquerna/otp", lang="Go", ours=False,
        cmd=[BUILD / "go-bench", "nethttp"], n=4000,
    ),
    "py-docspace": dict(
        short="Python · docspace_auth", label="docspace_auth (Python)", lang="Python", ours=True,
        cmd=PY + ["docspace"], n=4000, anchors=["py-requests", "py-httpx"],
    ),
    "py-requests": dict(
        short="Python · requests", label="requests.Session + pyotp", lang="Python", ours=False,
        cmd=PY + ["requests"], n=1000,
    ),
    "py-httpx": dict(
        short="Python · httpx", label="httpx.Client + pyotp", lang="Python", ours=False, cmd=PY + ["httpx"],
        n=1000,
    ),
    "node-docspace": dict(
        short="Node · docspace-auth", label="docspace-auth (Node)", lang="Node", ours=True,
        cmd=NODE + ["docspace"], n=3000, anchors=["node-fetch"],
    ),
    "node-fetch": dict(
        short="Node · fetch", label="fetch + otpauth", lang="Node", ours=False, cmd=NODE + ["fetch"], n=2000,
    ),
    "socket": dict(
        short="floor · raw socket", label="raw socket, HTTP by hand (floor)", lang="Rust", ours=False,
        cmd=RUST + ["socket"], n=4000, reference=True,
    ),
    "rust-reqwest-async": dict(
        short="exp. · reqwest async, no hop", label="reqwest async on the calling thread (experiment)",
        lang="Rust", ours=False, cmd=RUST + ["reqwest-async"], n=4000, reference=True,
    ),
}
W3_CLIENTS = ["c-abi", "go", "py-docspace", "py-requests", "node-docspace", "node-fetch"]
MEM_CLIENTS = ["rust-api", "rust-reqwest", "c-abi", "c-curl", "cpp", "go", "go-nethttp", "py-docspace", "py-requests",
               "py-httpx", "node-docspace"]
# Instructions per W1 flow under callgrind (all threads): a noise-free view of what each
# client adds on top of the same HTTP stack. Go's runtime does not run well under valgrind.
INSTR_CLIENTS = ["rust-api", "rust-reqwest", "c-abi", "cpp", "c-curl", "socket"]
# W4: (row name, label, command, anchor row)
TOTP_CLIENTS = {
    "c-abi": ("docspace-auth C ABI", [BUILD / "c_abi"], "liboath"),
    "liboath": ("liboath (C)", [BUILD / "c_curl"], None),
    "py-docspace": ("docspace_auth (Python)", PY + ["docspace"], "pyotp"),
    "pyotp": ("pyotp", PY + ["pyotp"], None),
    "node-docspace": ("docspace-auth (Node)", NODE + ["docspace"], "otpauth"),
    "otpauth": ("otpauth (npm)", NODE + ["otpauth"], None),
}
TOTP_N = {"c-abi": 400_000, "liboath": 400_000, "py-docspace": 200_000, "pyotp": 50_000, "node-docspace": 200_000,
          "otpauth": 100_000}


def client_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env["DOCSPACE_AUTH_LIB_DIR"] = str(RELEASE)
    env["PYTHONPATH"] = ""
    return env


ENV = client_env()


def scaled(n: int) -> int:
    return max(20, int(n * SCALE))


def run_process(cmd, timeout=600) -> tuple[dict, float, int]:
    """Run one client; returns (its JSON line, wall seconds, wait4's ru_maxrss)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], stdout=out, stderr=err, env=ENV, cwd=BENCH)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                raise BenchError(f"timeout after {timeout} s")
            time.sleep(0.0005)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, error = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        log(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{error}{text}")
        raise BenchError(f"exit {proc.returncode}: " + " / ".join((error or text).strip().splitlines()[-2:]))
    lines = [l for l in text.splitlines() if l.startswith("{")]
    if not lines:
        raise BenchError(f"no JSON line: {(text + error).strip()[-200:]}")
    return json.loads(lines[-1]), wall, usage.ru_maxrss


def cold_wait(cmd) -> tuple[dict, float, int]:
    """Like run_process, but waits in the kernel (no polling): the wall time is start to exit."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], stdout=out, stderr=subprocess.DEVNULL, env=ENV, cwd=BENCH)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode()
    if proc.returncode != 0:
        raise BenchError(f"cold start failed ({proc.returncode})")
    line = next((l for l in text.splitlines() if l.startswith("{")), "{}")
    return json.loads(line), wall, usage.ru_maxrss


# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------

def build_step(clients: list[str], *commands) -> None:
    """Run build commands for `clients`; on failure they are left out of the run (the other
    clients are still measured) and the reason goes into the results."""
    try:
        for command in commands:
            command()
    except (BenchError, OSError, StopIteration) as e:
        log(f"build failed, not measured: {', '.join(clients)}: {e}")
        for name in clients:
            UNAVAILABLE[name] = f"build failed: {e}"


def build() -> None:
    BUILD.mkdir(parents=True, exist_ok=True)
    # Everything needs these two: a failure here stops the run.
    sh(["cargo", "build", "--release", "--lib"])  # libdocspace_auth.{so,a} + include/
    sh(["cargo", "build", "--release"], cwd=BENCH)  # the server + the Rust clients
    c_flags = ["-O2", "-Wall", "-Wextra", f"-I{ROOT / 'include'}", f"-I{BENCH / 'clients' / 'c'}"]
    link = [f"-L{RELEASE}", "-ldocspace_auth", f"-Wl,-rpath,{RELEASE}"]
    build_step(["c-abi"], lambda: sh(["gcc", "-std=c11", *c_flags, BENCH / "clients/c/c_abi.c", "-o", BUILD / "c_abi",
                                      *link, "-lpthread"]))
    build_step(["c-curl", "liboath"], lambda: sh(["gcc", "-std=c11", *c_flags, BENCH / "clients/c/c_curl.c", "-o",
                                                  BUILD / "c_curl", "-lcurl", "-lcjson", "-loath", "-lpthread"]))
    build_step(["cpp"], lambda: sh(["g++", "-std=c++20", *c_flags, f"-I{ROOT / 'bindings/cpp/include'}",
                                    BENCH / "clients/cpp/cpp_binding.cpp", "-o", BUILD / "cpp_binding", *link,
                                    "-lpthread"]))
    go_env = dict(os.environ, CGO_LDFLAGS=f"-L{RELEASE} -Wl,-rpath,{RELEASE}")
    build_step(["go", "go-nethttp"], lambda: sh(["go", "build", "-o", BUILD / "go-bench", "."],
                                                cwd=BENCH / "clients/go", env=go_env))
    # Python: bench/.venv with the anchors, and the docspace_auth wheel built in release.
    if not VENV_PY.exists():
        sh([sys.executable, "-m", "venv", VENV])
    stamp = VENV / ".requirements"
    req = (BENCH / "requirements.txt").read_text()
    if not stamp.exists() or stamp.read_text() != req:
        sh([VENV_PY, "-m", "pip", "install", "-q", "-r", BENCH / "requirements.txt"])
        stamp.write_text(req)
    wheels = BUILD / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    maturin_env = dict(os.environ, VIRTUAL_ENV=str(VENV), PATH=f"{VENV / 'bin'}:{os.environ['PATH']}")
    build_step(["py-docspace"],
               lambda: sh([VENV / "bin" / "maturin", "build", "--release", "--out", wheels], cwd=ROOT / "python",
                          env=maturin_env),
               lambda: sh([VENV_PY, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps",
                           next(wheels.glob("docspace_auth-*.whl"))]))
    # Node: the binding's koffi, and the anchor's otpauth.
    for d in (ROOT / "bindings/node", BENCH / "clients/node"):
        if not (d / "node_modules" / ".package-lock.json").exists():
            sh(["npm", "ci", "--no-audit", "--no-fund"], cwd=d)


# ---------------------------------------------------------------------------------------------
# Server
# ---------------------------------------------------------------------------------------------

class Server:
    def __enter__(self):
        self.proc = subprocess.Popen([str(BENCH_TARGET / "docspace-bench-server")], stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip()
        m = re.match(r"listening on (http://\S+)", line)
        if not m:
            self.proc.kill()
            raise SystemExit(f"bench: the server said {line!r}")
        self.url = m.group(1)
        return self

    def stats(self) -> dict:
        with urllib.request.urlopen(self.url + "/__bench/stats", timeout=10) as r:
            return json.load(r)

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def server_ceiling(server: Server) -> dict:
    """The server's single-connection ceiling: wrk -t1 -c1 on the login endpoint, and the
    raw-socket flow loop (the `socket` client) measured in W1."""
    result = {}
    if shutil.which("wrk"):
        script = BENCH / "wrk-login.lua"
        secs = "2s" if QUICK else "5s"
        out = sh(["wrk", "-t1", "-c1", f"-d{secs}", "-s", script, server.url + "/api/2.0/authentication"])
        m = re.search(r"Requests/sec:\s*([\d.]+)", out)
        lat = re.search(r"Latency\s+([\d.]+)(us|ms)", out)
        if m:
            result["wrk_requests_per_s"] = float(m.group(1))
            result["wrk_flows_per_s"] = float(m.group(1)) / 2
        if lat:
            result["wrk_mean_latency_us"] = float(lat.group(1)) * (1000 if lat.group(2) == "ms" else 1)
    else:
        log("wrk not installed (apt-get install wrk): only the raw-socket loop measures the ceiling")
    return result


# ---------------------------------------------------------------------------------------------
# Workloads
# ---------------------------------------------------------------------------------------------

def rotated(names: list[str], r: int) -> list[str]:
    """`names` still available, in an order that rotates with the round."""
    names = [n for n in names if n not in UNAVAILABLE]
    if not names:
        return []
    k = r % len(names)
    return names[k:] + names[:k]


def attempt(name: str, what: str, run):
    """Run one measurement of client `name`, trying twice; a client that fails both times is
    left out from then on (and named in the results)."""
    for tries_left in (1, 0):
        try:
            return run()
        except BenchError as e:
            if tries_left:
                log(f"{name}: {what} failed, trying once more: {e}")
                continue
            log(f"{name}: {what} failed again, left out of the rest of the run: {e}")
            UNAVAILABLE[name] = f"{what} failed: {e}"
    return None


def w1(server: Server) -> dict:
    raw: dict[str, list] = {name: [] for name in CLIENTS}
    for r in range(ROUNDS):
        for name in rotated(list(CLIENTS), r):
            c = CLIENTS[name]
            n = scaled(c["n"])
            warmup = max(10, n // 10)
            before = server.stats()
            out = attempt(name, "W1", lambda: run_process(c["cmd"] + ["w1", server.url, n, warmup, 1]))
            after = server.stats()
            if out is None:
                continue
            res = out[0]
            res["connections"] = after["connections"] - before["connections"] - 1  # minus the stats call
            res["refused"] = after["refused"] - before["refused"]
            # Peak RSS: the client's own VmHWM. (wait4's ru_maxrss is useless here: a child
            # spawned with vfork inherits the parent's high-water mark across exec.)
            res["peak_rss_kib"] = res.get("hwm_kib")
            if res["refused"]:
                UNAVAILABLE[name] = f"the server refused {res['refused']} of its W1 requests"
                continue
            raw[name].append(res)
            log(f"W1 round {r + 1}/{ROUNDS} {name:14} median {res['median_us']:8.1f} us  "
                f"{res['flows_per_s']:8.0f} flows/s  conns {res['connections']}")
    return raw


def w2(server: Server) -> dict:
    # Baselines: the runtime alone (what every client of that language pays before any import).
    baselines = {
        "python-bare": [VENV_PY, "-c", "pass"],
        "node-bare": ["node", "-e", "0"],
    }
    names = list(CLIENTS)
    raw: dict[str, list] = {name: [] for name in names + list(baselines)}
    # One untimed start each: page cache, .pyc files.
    for name in rotated(names, 0):
        attempt(name, "cold start", lambda: cold_wait(CLIENTS[name]["cmd"] + ["cold", server.url]))
    for r in range(ROUNDS):
        for name in rotated(names + list(baselines), r):
            cmd = baselines.get(name) or CLIENTS[name]["cmd"] + ["cold", server.url]
            for _ in range(COLD_RUNS):
                out = attempt(name, "cold start", lambda: cold_wait(cmd))
                if out is None:
                    break
                res, wall, _ = out
                res.update(wall_us=wall * 1e6)
                raw[name].append(res)
        log(f"W2 round {r + 1}/{ROUNDS} done")
    return raw


def w3(server: Server) -> dict:
    raw: dict[str, dict] = {name: {t: [] for t in W3_THREADS} for name in W3_CLIENTS}
    for r in range(ROUNDS):
        for name in rotated(W3_CLIENTS, r):
            c = CLIENTS[name]
            for t in W3_THREADS:
                n = max(scaled(c["n"]) // 2 * (2 if t > 1 else 1), t * 10)
                out = attempt(name, f"W3 ({t} threads)",
                              lambda: run_process(c["cmd"] + ["w3", server.url, n, 5 if not QUICK else 2, t]))
                if out is None:
                    break
                raw[name][t].append(out[0])
            if name in UNAVAILABLE:
                continue
            log(f"W3 round {r + 1}/{ROUNDS} {name:14} " +
                " ".join(f"{t}:{raw[name][t][-1]['flows_per_s']:.0f}" for t in W3_THREADS))
    return raw


def instr(server: Server) -> dict:
    """Instructions per W1 flow, counted by callgrind: the difference between a run of
    `base + n` flows and one of `base` flows (start-up, the CA store, first connection
    cancel out), divided by `n`. Deterministic up to a few hundred instructions, so it shows
    wrapper costs that the wall-clock medians of a shared machine blur."""
    if not shutil.which("valgrind"):
        log("valgrind not installed: no instruction counts")
        return {}
    base, n = (5, 20) if QUICK else (20, 200)
    raw: dict[str, dict] = {}
    for name in INSTR_CLIENTS:
        if name in UNAVAILABLE:
            continue
        totals = []
        for flows in (base, base + n):
            with tempfile.TemporaryDirectory() as tmp:
                profile = Path(tmp) / "callgrind.out"
                cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={profile}",
                       *CLIENTS[name]["cmd"], "w1", server.url, flows, 0, 1]
                if attempt(name, "callgrind", lambda: run_process(cmd)) is None:
                    break
                m = re.search(r"^summary:\s*(\d+)", profile.read_text(errors="replace"), re.M)
                totals.append(int(m.group(1)) if m else None)
        if len(totals) == 2 and None not in totals:
            raw[name] = {"instructions_per_flow": (totals[1] - totals[0]) / n, "flows": n}
            log(f"instructions {name:14} {raw[name]['instructions_per_flow']:10,.0f} per flow")
    return raw


def w4() -> dict:
    raw: dict[str, list] = {name: [] for name in TOTP_CLIENTS}
    for r in range(ROUNDS):
        for name in rotated(list(TOTP_CLIENTS), r):
            _, cmd, _ = TOTP_CLIENTS[name]
            out = attempt(name, "W4", lambda: run_process(cmd + ["totp", "-", scaled(TOTP_N[name])]))
            if out:
                raw[name].append(out[0])
        log(f"W4 round {r + 1}/{ROUNDS} done")
    return raw


def mem(server: Server) -> dict:
    raw: dict[str, list] = {name: [] for name in MEM_CLIENTS}
    rounds = 1 if QUICK else max(1, ROUNDS // 2)
    for r in range(rounds):
        for name in rotated(MEM_CLIENTS, r):
            out = attempt(name, "memory", lambda: run_process(CLIENTS[name]["cmd"] + ["mem", server.url, MEM_EXTRA]))
            if out:
                raw[name].append(out[0])
        log(f"memory round {r + 1}/{rounds} done")
    return raw


# ---------------------------------------------------------------------------------------------
# Aggregation, targets, output
# ---------------------------------------------------------------------------------------------

def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def aggregate(raw: dict) -> dict:
    agg: dict = {}
    if "w1" in raw:
        agg["w1"] = {}
        for name, runs in raw["w1"].items():
            if not runs:
                continue
            keys = ["median_us", "p99_us", "flows_per_s", "peak_rss_kib", "connections",
                    "loop_delay_p99_us", "loop_delay_max_us"]
            agg["w1"][name] = {k: med([run.get(k) for run in runs]) for k in keys}
        for name, row in agg["w1"].items():
            row["vs"] = {}
            for anchor in CLIENTS[name].get("anchors", []):
                a = agg["w1"].get(anchor)
                if a:
                    # The same ratio round by round (both clients ran in every round): its
                    # spread shows how far this machine's noise moves a wall-clock ratio.
                    pairs = list(zip(raw["w1"][name], raw["w1"][anchor]))
                    row["vs"][anchor] = {"speed": row["flows_per_s"] / a["flows_per_s"],
                                         "median_time": row["median_us"] / a["median_us"],
                                         "speed_by_round": [m["flows_per_s"] / t["flows_per_s"] for m, t in pairs],
                                         "median_time_by_round": [m["median_us"] / t["median_us"] for m, t in pairs],
                                         "peak_rss": row["peak_rss_kib"] / a["peak_rss_kib"]}
    if "w2" in raw:
        agg["w2"] = {}
        for name, runs in raw["w2"].items():
            if not runs:
                continue
            agg["w2"][name] = {k: med([run.get(k) for run in runs]) for k in
                               ["wall_us", "in_process_us", "setup_us"]}
        for name, row in agg["w2"].items():
            if name in CLIENTS:
                row["vs"] = {a: {"wall": row["wall_us"] / agg["w2"][a]["wall_us"],
                                 "in_process": (row["in_process_us"] / agg["w2"][a]["in_process_us"])
                                 if row.get("in_process_us") and agg["w2"][a].get("in_process_us") else None}
                             for a in CLIENTS[name].get("anchors", []) if a in agg["w2"]}
    if "w3" in raw:
        agg["w3"] = {name: {str(t): med([run["flows_per_s"] for run in runs]) for t, runs in per.items() if runs}
                     for name, per in raw["w3"].items() if any(per.values())}
    if "w4" in raw:
        agg["w4"] = {}
        for name, runs in raw["w4"].items():
            if not runs:
                continue
            row = {k: med([run[k] for run in runs]) for k in ["handle_codes_per_s", "base32_codes_per_s"]}
            anchor = TOTP_CLIENTS[name][2]
            if anchor and raw["w4"].get(anchor):
                a = {k: med([run[k] for run in raw["w4"][anchor]]) for k in ["handle_codes_per_s", "base32_codes_per_s"]}
                row["vs"] = {anchor: {k: row[k] / a[k] for k in a}}
            agg["w4"][name] = row
    if raw.get("instr"):
        agg["instr"] = {name: dict(row) for name, row in raw["instr"].items()}
        for name, row in agg["instr"].items():
            row["vs"] = {a: row["instructions_per_flow"] / agg["instr"][a]["instructions_per_flow"]
                         for a in CLIENTS[name].get("anchors", []) if a in agg["instr"]}
    if "mem" in raw:
        agg["mem"] = {name: {k: med([run[k] for run in runs]) for k in
                             ["per_handle_idle_kib", "per_handle_used_kib", "rss_base_kib"]}
                      for name, runs in raw["mem"].items() if runs}
    return agg


def spread(vs: dict, key: str) -> str:
    """` (round by round: lo–hi×)` for a W1 ratio measured in more than one round."""
    rounds = vs.get(f"{key}_by_round") or []
    return f" (round by round: {min(rounds):.2f}–{max(rounds):.2f}×)" if len(rounds) > 1 else ""


def targets(agg: dict) -> list[dict]:
    out = []

    def add(name, value, limit, ok, unit=""):
        out.append({"target": name, "value": value, "limit": limit, "ok": ok, "unit": unit})

    w1r, w2r, w3r, w4r, memr = (agg.get(k, {}) for k in ("w1", "w2", "w3", "w4", "mem"))
    if "c-abi" in w1r and "rust-reqwest" in w1r:
        vs = w1r["c-abi"]["vs"]["rust-reqwest"]
        v = vs["median_time"]
        add(f"C ABI W1 median time ≤ 1.05× raw reqwest blocking{spread(vs, 'median_time')}", v, 1.05, v <= 1.05, "×")
    instr_r = agg.get("instr", {})
    if "rust-reqwest" in instr_r.get("c-abi", {}).get("vs", {}):
        v = instr_r["c-abi"]["vs"]["rust-reqwest"]
        add("C ABI instructions per W1 flow ≤ 1.05× raw reqwest blocking (callgrind, informative)", v, 1.05,
            v <= 1.05, "×")
    if "c-abi" in w1r and "c-curl" in w1r:
        v = w1r["c-abi"]["vs"]["c-curl"]["speed"]
        add("C ABI W1 flows/s > libcurl (stretch)", v, 1.0, v > 1.0, "×")
    if "py-docspace" in w1r and "py-requests" in w1r:
        vs = w1r["py-docspace"]["vs"]["py-requests"]
        v = vs["speed"]
        add(f"Python package W1 flows/s ≥ 10× requests.Session{spread(vs, 'speed')}", v, 10, v >= 10, "×")
    if "py-docspace" in w3r and w3r["py-docspace"].get("8") and w3r["py-docspace"].get("1"):
        v = w3r["py-docspace"]["8"] / w3r["py-docspace"]["1"]
        add("Python package 8 threads ≥ 3× its 1 thread", v, 3, v >= 3, "×")
    if "node-docspace" in w1r and "node-fetch" in w1r:
        vs = w1r["node-docspace"]["vs"]["node-fetch"]
        v = vs["speed"]
        add(f"Node binding W1 flows/s ≥ 3× fetch{spread(vs, 'speed')}", v, 3, v >= 3, "×")
        lag = w1r["node-docspace"].get("loop_delay_max_us")
        lag_fetch = w1r["node-fetch"].get("loop_delay_max_us")
        if lag is not None:
            add("Node binding does not block the event loop (max loop delay ≤ fetch's + 1 ms)", lag,
                (lag_fetch or 0) + 1000, lag <= (lag_fetch or 0) + 1000, "µs")
    if w2r.get("py-docspace", {}).get("in_process_us") and w2r.get("py-requests", {}).get("in_process_us"):
        v = w2r["py-docspace"]["in_process_us"] / w2r["py-requests"]["in_process_us"]
        add("Python cold start (import + first flow) ≤ 1/5 of requests", v, 0.2, v <= 0.2, "×")
        v = w2r["py-docspace"]["wall_us"] / w2r["py-requests"]["wall_us"]
        add("Python cold start incl. interpreter start ≤ 1/5 of requests (informative)", v, 0.2, v <= 0.2, "×")
    if "liboath" in w4r.get("c-abi", {}).get("vs", {}):
        v = w4r["c-abi"]["vs"]["liboath"]["handle_codes_per_s"]
        add("TOTP C ABI (parsed handle) ≥ 2× liboath", v, 2, v >= 2, "×")
        v = w4r["c-abi"]["vs"]["liboath"]["base32_codes_per_s"]
        add("TOTP C ABI (from base32) ≥ 2× liboath (decode + generate)", v, 2, v >= 2, "×")
    if "pyotp" in w4r.get("py-docspace", {}).get("vs", {}):
        v = w4r["py-docspace"]["vs"]["pyotp"]["base32_codes_per_s"]
        add("Python totp() ≥ 10× pyotp", v, 10, v >= 10, "×")
    for name in ("c-abi", "rust-api", "py-docspace", "node-docspace", "go", "cpp"):
        if name in memr:
            v = memr[name]["per_handle_used_kib"]
            add(f"One extra client handle ≤ 256 KiB ({CLIENTS[name]['label']}, after one flow)", v, 256, v <= 256, "KiB")
    return out


def fmt(v, digits=1):
    if v is None:
        return "–"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{digits}f}"


def ratio(v):
    return "–" if v is None else f"{v:.2f}×"


def machine() -> dict:
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")

    def version(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip().splitlines()[0]
        except Exception:  # noqa: BLE001
            return "?"

    py_versions = subprocess.run(
        [str(VENV_PY), "-c", "import importlib.metadata as m; print(' '.join(f'{p} {m.version(p)}' for p in "
         "['docspace-auth','requests','httpx','pyotp']))"], capture_output=True, text=True).stdout.strip()
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "rustc": version(["rustc", "--version"]), "python": version([str(VENV_PY), "--version"]),
        "node": version(["node", "--version"]), "go": version(["go", "version"]), "gcc": version(["gcc", "--version"]),
        "curl": version(["curl-config", "--version"]), "liboath": version(["pkg-config", "--modversion", "liboath"]),
        "python_packages": py_versions,
        "otpauth": json.loads((BENCH / "clients/node/node_modules/otpauth/package.json").read_text())["version"],
        "koffi": json.loads((ROOT / "bindings/node/node_modules/koffi/package.json").read_text())["version"],
    }


def table_label(client: dict) -> str:
    """A client's name in a results table: ours in bold."""
    return f"**{client['label']}**" if client["ours"] else client["label"]


def markdown(agg: dict, meta: dict, tgt: list) -> str:
    L = []
    L.append(f"Run {meta['date']} on {meta['cpu']} ({meta['cores']} cores, {meta['memory_gib']} GiB), Linux "
             f"{meta['kernel']}; load average {meta['load_before']} before, {meta['load_after']} after. "
             f"{meta['rounds']} rounds, clients interleaved; figures are medians over rounds. "
             f"{'QUICK smoke run: figures are not meaningful. ' if QUICK else ''}"
             f"Full run took {meta['duration_s'] / 60:.1f} min.")
    L.append("")
    ceil = meta.get("server", {})
    if ceil:
        L.append(f"Server ceiling, one connection: wrk -t1 -c1 {fmt(ceil.get('wrk_requests_per_s'))} requests/s "
                 f"(= {fmt(ceil.get('wrk_flows_per_s'))} two-request flows/s, mean latency "
                 f"{fmt(ceil.get('wrk_mean_latency_us'))} µs); the raw-socket flow loop below is the floor per flow.")
        L.append("")
    if "w1" in agg:
        L.append("### W1: login-by-code flow (2 requests, kept-alive connection)")
        L.append("")
        L.append("| client | language | median µs | p99 µs | flows/s | speed vs anchor | peak RSS MiB |")
        L.append("|---|---|---:|---:|---:|---|---:|")
        for name, c in CLIENTS.items():
            row = agg["w1"].get(name)
            if not row:
                continue
            vs = ", ".join(f"{ratio(v['speed'])} {CLIENTS[a]['label'].split(' ')[0]}" for a, v in row["vs"].items())
            label = table_label(c)
            L.append(f"| {label} | {c['lang']} | {fmt(row['median_us'])} | {fmt(row['p99_us'])} | "
                     f"{fmt(row['flows_per_s'], 0)} | {vs or ('reference' if c.get('reference') else 'anchor')} | "
                     f"{fmt(row['peak_rss_kib'] / 1024)} |")
        nd, nf = agg["w1"].get("node-docspace"), agg["w1"].get("node-fetch")
        if nd and nf and nd.get("loop_delay_max_us") is not None:
            L.append("")
            L.append(f"Node event-loop delay while W1 runs (p99 / max): binding {fmt(nd['loop_delay_p99_us'])} / "
                     f"{fmt(nd['loop_delay_max_us'])} µs, fetch {fmt(nf['loop_delay_p99_us'])} / "
                     f"{fmt(nf['loop_delay_max_us'])} µs.")
        L.append("")
    if "w2" in agg:
        L.append("### W2: cold start (process start + load + first flow)")
        L.append("")
        L.append("| client | wall ms | import + first flow ms | vs anchor (wall / in-process) |")
        L.append("|---|---:|---:|---|")
        for name in list(CLIENTS) + ["python-bare", "node-bare"]:
            row = agg["w2"].get(name)
            if not row:
                continue
            c = CLIENTS[name] if name in CLIENTS else {
                "label": {"python-bare": "python -c pass (interpreter only)", "node-bare": "node -e 0 (runtime only)"}[name],
                "ours": False}
            vs = ", ".join(f"{ratio(v['wall'])} / {ratio(v['in_process'])} {CLIENTS[a]['label'].split(' ')[0]}"
                           for a, v in row.get("vs", {}).items())
            label = table_label(c)
            inproc = fmt(row["in_process_us"] / 1000, 2) if row.get("in_process_us") else "–"
            L.append(f"| {label} | {fmt(row['wall_us'] / 1000, 2)} | {inproc} | {vs} |")
        L.append("")
    if "w3" in agg:
        L.append("### W3: threads (goroutines / async tasks), flows/s")
        L.append("")
        L.append("| client | " + " | ".join(f"{t}" for t in W3_THREADS) + " | 8 vs 1 |")
        L.append("|---|" + "---:|" * len(W3_THREADS) + "---:|")
        for name, per in agg["w3"].items():
            c = CLIENTS[name]
            label = table_label(c)
            scale = per["8"] / per["1"] if per.get("8") and per.get("1") else None
            L.append(f"| {label} | " + " | ".join(fmt(per.get(str(t)), 0) for t in W3_THREADS) + f" | {ratio(scale)} |")
        L.append("")
    if "w4" in agg:
        L.append("### W4: TOTP codes/s")
        L.append("")
        L.append("| generator | parsed once | vs anchor | from base32 each time | vs anchor |")
        L.append("|---|---:|---:|---:|---:|")
        for name, row in agg["w4"].items():
            label, _, anchor = TOTP_CLIENTS[name]
            vs = row.get("vs", {}).get(anchor, {})
            label = f"**{label}**" if anchor else label
            L.append(f"| {label} | {fmt(row['handle_codes_per_s'], 0)} | {ratio(vs.get('handle_codes_per_s')) if vs else 'anchor'} | "
                     f"{fmt(row['base32_codes_per_s'], 0)} | {ratio(vs.get('base32_codes_per_s')) if vs else 'anchor'} |")
        L.append("")
    if agg.get("instr"):
        L.append("### Instructions per W1 flow (callgrind, all threads of the client)")
        L.append("")
        L.append("| client | instructions per flow | vs anchor |")
        L.append("|---|---:|---|")
        for name, row in agg["instr"].items():
            c = CLIENTS[name]
            label = table_label(c)
            vs = ", ".join(f"{ratio(v)} {CLIENTS[a]['label'].split(' ')[0]}" for a, v in row["vs"].items())
            L.append(f"| {label} | {fmt(row['instructions_per_flow'], 0)} | "
                     f"{vs or ('reference' if c.get('reference') else 'anchor')} |")
        L.append("")
    if "mem" in agg:
        L.append(f"### Memory: one extra client handle (mean over {MEM_EXTRA} extra handles)")
        L.append("")
        L.append("| client | RSS KiB per idle handle | RSS KiB per handle after one flow |")
        L.append("|---|---:|---:|")
        for name, row in agg["mem"].items():
            c = CLIENTS[name]
            label = table_label(c)
            L.append(f"| {label} | {fmt(row['per_handle_idle_kib'])} | {fmt(row['per_handle_used_kib'])} |")
        L.append("")
    if meta.get("unavailable"):
        L.append("### Not measured in this run")
        L.append("")
        for name, why in meta["unavailable"].items():
            L.append(f"- {name}: {why}")
        L.append("")
    if tgt and not QUICK:
        L.append("### Targets")
        L.append("")
        L.append("| target | measured | holds |")
        L.append("|---|---:|---|")
        for t in tgt:
            L.append(f"| {t['target']} | {fmt(t['value'], 2)} {t['unit']} | {'yes' if t['ok'] else '**no**'} |")
        L.append("")
    return "\n".join(L)


def chart(agg: dict, meta: dict, path: Path) -> None:
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ours_c, anchor_c, ref_c = "#1f77b4", "#b0b0b0", "#6b6b6b"
    fig, axes = plt.subplots(2, 2, figsize=(15, 10.5))
    fig.suptitle(f"docspace-auth benchmarks: {meta['date'][:16]}, {meta['cpu']} ({meta['cores']} cores), "
                 f"load {meta['load_before']}{' (QUICK)' if QUICK else ''}", fontsize=12)

    def bars(ax, names, values, colors, title, xlabel, log=False, labels=None):
        y = range(len(names))
        ax.barh(y, values, color=colors)
        ax.set_yticks(list(y), labels or names, fontsize=8.5)
        ax.invert_yaxis()
        ax.set_title(title, fontsize=11)
        ax.set_xlabel(xlabel)
        if log:
            ax.set_xscale("log")
        for i, v in enumerate(values):
            ax.text(v, i, f" {v:,.0f}", va="center", fontsize=8)
        ax.margins(x=0.18)
        ax.grid(axis="x", alpha=0.3)

    if "w1" in agg:
        names = [n for n in CLIENTS if n in agg["w1"]]
        bars(axes[0][0], names, [agg["w1"][n]["flows_per_s"] for n in names],
             [ours_c if CLIENTS[n]["ours"] else ref_c if CLIENTS[n].get("reference") else anchor_c for n in names],
             "W1: login-by-code flows/s, one connection (higher is better)", "flows/s",
             labels=[CLIENTS[n]["short"] for n in names])
    if "w2" in agg:
        names = [n for n in list(CLIENTS) + ["python-bare", "node-bare"] if n in agg["w2"]]
        labels = [CLIENTS[n]["short"] if n in CLIENTS
                  else {"python-bare": "python -c pass (baseline)", "node-bare": "node -e 0 (baseline)"}[n] for n in names]
        bars(axes[0][1], names, [agg["w2"][n]["wall_us"] / 1000 for n in names],
             [ours_c if CLIENTS.get(n, {}).get("ours") else anchor_c for n in names],
             "W2: cold start to first token, ms (lower is better)", "ms", labels=labels)
    if "w3" in agg:
        ax = axes[1][0]
        for name, per in agg["w3"].items():
            xs = [t for t in W3_THREADS if per.get(str(t))]
            c = CLIENTS[name]
            ax.plot(xs, [per[str(t)] for t in xs], marker="o", linestyle="-" if c["ours"] else "--",
                    label=c["short"])
        ax.set_xscale("log", base=2)
        ax.set_xticks(W3_THREADS, [str(t) for t in W3_THREADS])
        ax.set_yscale("log")
        plain = matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}")
        ax.yaxis.set_major_formatter(plain)
        ax.yaxis.set_minor_formatter(matplotlib.ticker.FuncFormatter(
            lambda v, _: f"{v:,.0f}" if str(int(round(v)))[0] in "25" else ""))
        ax.set_title("W3: flows/s by threads (solid: docspace-auth; log scale)", fontsize=11)
        ax.set_xlabel("threads / goroutines / async tasks")
        ax.set_ylabel("flows/s")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    if "w4" in agg:
        names = list(agg["w4"])
        bars(axes[1][1], names, [agg["w4"][n]["handle_codes_per_s"] for n in names],
             [ours_c if TOTP_CLIENTS[n][2] else anchor_c for n in names],
             "W4: TOTP codes/s, parsed generator (log scale)", "codes/s", log=True,
             labels=[TOTP_CLIENTS[n][0] for n in names])
    fig.text(0.01, 0.005, "blue: docspace-auth; grey: what users would pick instead (anchors); "
             "dark grey: raw-socket floor and the no-hop reqwest experiment", fontsize=9)
    fig.tight_layout(rect=(0, 0.02, 1, 0.97))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def replot() -> None:
    """`run.py --replot`: aggregate results/latest.json's raw figures again and rewrite the
    table, the chart and the JSON's aggregates and targets."""
    data = json.loads((OUT / "latest.json").read_text())
    raw = data["raw"]
    if "w3" in raw:
        raw["w3"] = {name: {int(t): runs for t, runs in per.items()} for name, per in raw["w3"].items()}
    agg = aggregate(raw)
    tgt = targets(agg)
    text = markdown(agg, data["meta"], tgt)
    (OUT / "latest.md").write_text(text + "\n")
    data.update(aggregate=agg, targets=tgt)
    (OUT / "latest.json").write_text(json.dumps(data, indent=1, default=str) + "\n")
    chart(agg, data["meta"], OUT / "latest.png")
    print(text)


def main() -> None:
    if "--replot" in sys.argv:
        return replot()
    t_start = float(os.environ.get("BENCH_STARTED", time.time()))
    if not NO_BUILD:
        build()
    if Path(sys.prefix).resolve() != VENV.resolve():
        # Measure and chart from bench/.venv (matplotlib; same interpreter as the Python clients).
        env = dict(os.environ, BENCH_NO_BUILD="1", BENCH_STARTED=str(t_start), BENCH_UNAVAILABLE=json.dumps(UNAVAILABLE))
        os.execve(str(VENV_PY), [str(VENV_PY), __file__], env)
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    raw: dict = {}
    meta: dict = {"quick": QUICK, "rounds": ROUNDS, "scale": SCALE, "load_before": load_before}
    with Server() as server:
        log(f"server at {server.url}")
        meta["server"] = server_ceiling(server)
        if "w1" in ONLY:
            raw["w1"] = w1(server)
        if "w3" in ONLY:
            raw["w3"] = w3(server)
        if "w2" in ONLY:
            raw["w2"] = w2(server)
        if "mem" in ONLY:
            raw["mem"] = mem(server)
        if "instr" in ONLY:
            raw["instr"] = instr(server)
        if "w4" in ONLY:
            raw["w4"] = w4()
        meta["server_stats"] = server.stats()
    meta["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    meta["unavailable"] = UNAVAILABLE
    meta["duration_s"] = time.time() - t_start
    meta.update(machine())
    agg = aggregate(raw)
    tgt = targets(agg)
    text = markdown(agg, meta, tgt)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "latest.md").write_text(text + "\n")
    (OUT / "latest.json").write_text(json.dumps({"meta": meta, "aggregate": agg, "targets": tgt, "raw": raw},
                                                indent=1, default=str) + "\n")
    chart(agg, meta, OUT / "latest.png")
    print(text)
    print(f"\nwritten: {OUT / 'latest.md'}, latest.json, latest.png  ({meta['duration_s'] / 60:.1f} min)")


if __name__ == "__main__":
    main()
