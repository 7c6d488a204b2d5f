#!/usr/bin/env bash
# `make demo`: the three seed flows against a freshly started emulator, through the C ABI
# and every language binding that is built. Expects DOCSPACE_EMULATOR_URL (scripts/with-emulator.sh).
set -euo pipefail
url=$DOCSPACE_EMULATOR_URL
build_dir=${DEMO_BUILD_DIR:-build/demo}

# One seeded user's field, from the emulator's user list.
field() {
  curl -sf "$url/__emulator/users" | python3 -c '
import json, sys
kind, key = sys.argv[1], sys.argv[2]
print(next(u for u in json.load(sys.stdin) if u["kind"] == kind)[key] or "")' "$1" "$2"
}
reset() { curl -sf -X POST "$url/__emulator/reset" >/dev/null; }
section() { printf '\n=== %s ===\n' "$*"; }

section "C: sign in with password + TOTP code, then backup codes (read + regenerate)"
"$build_dir/seed_flows" --regenerate-backup-codes "$url" "$(field linked email)" "$(field linked password)" "$(field linked totp_secret)"
section "C: link an authenticator app without a browser (setup + validate)"
"$build_dir/seed_flows" --link "$url" "$(field not_linked email)" "$(field not_linked password)"
reset
