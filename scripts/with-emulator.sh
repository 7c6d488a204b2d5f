#!/usr/bin/env bash
# Run a command against a fresh DocSpace emulator on a free loopback port.
#   usage: scripts/with-emulator.sh EMULATOR_BINARY COMMAND [ARGS...]
# The command sees DOCSPACE_EMULATOR_URL; the emulator is stopped when it exits, and the
# command's exit status is returned.
set -euo pipefail
emulator=$1
shift
[ -x "$emulator" ] || { echo "no emulator binary at $emulator (run: cargo build)" >&2; exit 2; }

log=$(mktemp)
"$emulator" --port 0 >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT

url=""
for _ in $(seq 1 200); do
  url=$(sed -n '1s/^docspace-emulator listening on //p' "$log")
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "the emulator exited early" >&2; exit 2; }
  sleep 0.05
done
[ -n "$url" ] || { echo "the emulator did not start within 10 s" >&2; exit 2; }

export DOCSPACE_EMULATOR_URL=$url
"$@"
