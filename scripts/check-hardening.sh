#!/usr/bin/env bash
# The slow hardening checks that `tests/c/run.sh` leaves out by default (ctest label
# `hardening`), for `make check-hardening` (and CI, through `make test`):
#
#   - valgrind memcheck (definite leaks and memory errors fail) of test_api, test_flows,
#     test_bad_input, test_secrets and a small test_stress run, on the shared library;
#   - the full-size C stress runs: 8 threads x 2000 flows, once on one shared client and once
#     with a client per thread, plain and under ASan/UBSan;
#   - the ThreadSanitizer build of the stress test (8 x 500).
#
#   usage: scripts/check-hardening.sh [TARGET_DIR]     (default: target/debug; cargo build first)
#
# Extra ctest arguments can follow the target directory (e.g. `-R valgrind`). Prints ctest's
# output and a one-line summary; exits non-zero when a check fails or cannot run (valgrind
# missing is a failure, not a skip).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:-$root/target/debug}
if [ $# -gt 0 ]; then shift; fi
started=$SECONDS

if ! command -v valgrind >/dev/null 2>&1; then
  echo "check-hardening: valgrind is not installed (apt-get install valgrind)" >&2
  exit 1
fi
for file in libdocspace_auth.so libdocspace_auth.a docspace-emulator; do
  [ -e "$target/$file" ] || { echo "check-hardening: $target/$file is missing (run cargo build)" >&2; exit 1; }
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT
printf '==> C hardening tests (ctest -L hardening) against %s\n' "$target"
status=0
DOCSPACE_C_TESTS=hardening "$root/tests/c/run.sh" "$target" "$@" 2>&1 | tee "$log" || status=$?

# The stress programs' throughput lines, for the record.
awk '/^[0-9]+\/[0-9]+ Testing: / { test = $3 } /^stress / { print "    " test ": " substr($0, 8) }' \
  "${DOCSPACE_C_BUILD_DIR:-$root/build/c}/Testing/Temporary/LastTest.log" 2>/dev/null || true

summary=$(grep -E '^[0-9]+% tests passed' "$log" | tail -1 || true)
if [[ $summary =~ ([0-9]+)\ tests\ failed\ out\ of\ ([0-9]+) ]]; then
  failed=${BASH_REMATCH[1]}
  total=${BASH_REMATCH[2]}
  passed=$((total - failed))
else
  failed=?
  passed=0
  [ "$status" -ne 0 ] || status=1
fi
elapsed=$((SECONDS - started))
if [ "$status" -eq 0 ]; then
  printf '==================== check-hardening: %s passed in %d s ====================\n' "$passed" "$elapsed"
else
  printf '==================== check-hardening: %s failed, %s passed in %d s ====================\n' \
    "$failed" "$passed" "$elapsed"
fi
exit "$status"
