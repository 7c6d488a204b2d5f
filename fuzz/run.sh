#!/usr/bin/env bash
# Fuzz every target for a while: fuzz/run.sh [seconds-per-target] (default 30).
#
# Installs cargo-fuzz (crates.io, --locked) when it is missing; needs the nightly toolchain.
# Each target runs with its seed corpus (fuzz/seeds/<target>, committed) and a working corpus
# (fuzz/corpus/<target>, local). Prints executions, speed, new corpus entries and findings per
# target; the full libFuzzer output is in fuzz/logs/<target>.log and any crashing input in
# fuzz/artifacts/<target>/. Exits non-zero if any target crashed (or failed to build).
set -uo pipefail
cd "$(dirname "$0")"

SECONDS_PER_TARGET="${1:-30}"
TARGETS=(envelope set_cookie otpauth base32)
TOOLCHAIN="${FUZZ_TOOLCHAIN:-nightly}"

if ! [[ "$SECONDS_PER_TARGET" =~ ^[0-9]+$ ]] || [ "$SECONDS_PER_TARGET" -lt 1 ]; then
    echo "usage: fuzz/run.sh [seconds-per-target]" >&2
    exit 2
fi
if ! rustup run "$TOOLCHAIN" rustc --version >/dev/null 2>&1; then
    echo "fuzz: the $TOOLCHAIN toolchain is missing (rustup toolchain install $TOOLCHAIN)" >&2
    exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz"
    cargo install cargo-fuzz --locked || exit 1
fi

mkdir -p logs
failed=0
printf '%-11s %8s %12s %10s %9s  %s\n' target seconds executions "exec/s" "new-units" findings
for target in "${TARGETS[@]}"; do
    mkdir -p "corpus/$target" "artifacts/$target"
    before=$(ls "artifacts/$target" | wc -l)
    log="logs/$target.log"
    # -a: debug assertions and overflow checks on. -print_final_stats: the numbers below.
    cargo "+$TOOLCHAIN" fuzz run -a "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 -rss_limit_mb=2048 -timeout=10 \
        >"$log" 2>&1
    rc=$?
    stat() { grep -m1 "^stat::$1:" "$log" | awk '{print $2}'; }
    execs=$(stat number_of_executed_units)
    speed=$(stat average_exec_per_sec)
    units=$(stat new_units_added)
    after=$(ls "artifacts/$target" | wc -l)
    findings=$((after - before))
    verdict="$findings"
    if [ "$rc" -ne 0 ] || [ "$findings" -ne 0 ]; then
        failed=1
        verdict="$findings (exit $rc; see fuzz/$log and fuzz/artifacts/$target/)"
        grep -m3 -E "panicked at|ERROR: |^error" "$log" | sed 's/^/    /'
    fi
    printf '%-11s %8s %12s %10s %9s  %s\n' "$target" "$SECONDS_PER_TARGET" "${execs:-?}" "${speed:-?}" "${units:-?}" "$verdict"
done
exit "$failed"
