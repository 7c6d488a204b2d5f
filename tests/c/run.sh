#!/usr/bin/env bash
# Build and run the C tests of the docspace-auth C ABI with CMake + ctest.
#
#   usage: tests/c/run.sh [TARGET_DIR]     (default: target/debug; run `cargo build` first)
#
# Configures tests/c into build/c (override with DOCSPACE_C_BUILD_DIR), builds every program
# (shared, static and ASan variants, plus the C99/C++11 header checks) and runs
# `ctest --output-on-failure`, which ends with its usual "N% tests passed" summary.
#
# DOCSPACE_C_TESTS picks the tests: `default` (everything but the label `hardening`: memcheck,
# full-size stress, ThreadSanitizer), `hardening` (only those; scripts/check-hardening.sh) or
# `all`. Extra arguments go to ctest (e.g. `-R bad_input`).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
target=${1:-$root/target/debug}
if [ $# -gt 0 ]; then shift; fi
build=${DOCSPACE_C_BUILD_DIR:-$root/build/c}
case "${DOCSPACE_C_TESTS:-default}" in
  default) select=(-LE hardening) ;;
  hardening) select=(-L hardening) ;;
  all) select=() ;;
  *) echo "run.sh: DOCSPACE_C_TESTS must be default, hardening or all" >&2; exit 2 ;;
esac

cmake -S "$root/tests/c" -B "$build" -DDOCSPACE_TARGET_DIR="$target" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" --parallel "$(nproc 2>/dev/null || echo 2)"
cd "$build"
ctest --output-on-failure --parallel "$(nproc 2>/dev/null || echo 2)" ${select[@]+"${select[@]}"} "$@"
