#!/usr/bin/env bash
# Run a test program against a fresh DocSpace emulator on a free loopback port.
#
#   usage: tests/c/with-emulator.sh PROGRAM [ARGS...]
#
# Starts `docspace-emulator --port 0` (from $DOCSPACE_EMULATOR, default
# target/debug/docspace-emulator next to this repository), waits up to 10 s for its first
# stdout line `docspace-emulator listening on <url>`, and runs `PROGRAM <url> ARGS...`.
#
# The seeded users reach the program as environment variables, taken from the emulator's
# startup lines (`user email=... password=... kind=... id=... [totp_secret=...] api_key=...`):
# for `linked@example.com` they are DOCSPACE_USER_LINKED_EMAIL, _PASSWORD, _KIND, _ID,
# _TOTP_SECRET (only for users created with an app linked) and _API_KEY; the name is the
# e-mail's local part in upper case. DOCSPACE_EMULATOR_URL holds the URL as well. With
# DOCSPACE_AS_USER=<local part> (e.g. linked), that user is also exported as DOCSPACE_USER,
# DOCSPACE_PASSWORD and DOCSPACE_TOTP_SECRET (what the examples read).
#
# The emulator is stopped when the program exits (also on Ctrl-C), and the program's exit
# status is returned; 2 means the emulator could not be started.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
emulator=${DOCSPACE_EMULATOR:-$here/../../target/debug/docspace-emulator}
[ $# -ge 1 ] || { echo "usage: $0 PROGRAM [ARGS...]" >&2; exit 2; }
[ -x "$emulator" ] || { echo "with-emulator: no emulator binary at $emulator (run: cargo build)" >&2; exit 2; }

# Users the C tests rely on; reading stops once these have been announced.
required=${DOCSPACE_REQUIRED_USERS:-"plain setup linked sms"}

log=$(mktemp)
"$emulator" --port 0 >"$log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

url=""
for _ in $(seq 1 200); do
  url=$(sed -n '1s/^docspace-emulator listening on //p' "$log")
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "with-emulator: the emulator exited early" >&2; exit 2; }
  sleep 0.05
done
[ -n "$url" ] || { cat "$log" >&2; echo "with-emulator: the emulator did not start within 10 s" >&2; exit 2; }
export DOCSPACE_EMULATOR_URL=$url

# Export one variable per user field; wait (up to 10 s) until the required users are listed.
for _ in $(seq 1 200); do
  missing=""
  for name in $required; do
    grep -q "^user email=$name@" "$log" || missing="$missing $name"
  done
  [ -z "$missing" ] && break
  sleep 0.05
done
[ -z "$missing" ] || { cat "$log" >&2; echo "with-emulator: users not announced:$missing" >&2; exit 2; }

while read -r tag fields; do
  [ "$tag" = user ] || continue
  prefix=""
  for field in $fields; do
    key=${field%%=*}
    value=${field#*=}
    if [ "$key" = email ]; then
      local_part=${value%%@*}
      prefix="DOCSPACE_USER_$(printf '%s' "$local_part" | tr '[:lower:]' '[:upper:]' | tr -c 'A-Z0-9\n' '_')"
    fi
    [ -n "$prefix" ] || continue
    export "${prefix}_$(printf '%s' "$key" | tr '[:lower:]' '[:upper:]')=$value"
  done
done < <(sed -n '2,$p' "$log")

if [ -n "${DOCSPACE_AS_USER:-}" ]; then
  as=DOCSPACE_USER_$(printf '%s' "$DOCSPACE_AS_USER" | tr '[:lower:]' '[:upper:]')
  email_var=${as}_EMAIL password_var=${as}_PASSWORD secret_var=${as}_TOTP_SECRET
  [ -n "${!email_var:-}" ] || { echo "with-emulator: no seeded user $DOCSPACE_AS_USER" >&2; exit 2; }
  export DOCSPACE_USER=${!email_var} DOCSPACE_PASSWORD=${!password_var} DOCSPACE_TOTP_SECRET=${!secret_var:-}
fi

program=$1
shift
status=0
"$program" "$url" "$@" || status=$?
exit "$status"
