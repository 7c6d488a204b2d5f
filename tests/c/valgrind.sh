#!/usr/bin/env bash
# Run a test program under valgrind memcheck; fails (never skips) when valgrind is missing.
#
#   usage: tests/c/valgrind.sh PROGRAM [ARGS...]
#          tests/c/with-emulator.sh tests/c/valgrind.sh PROGRAM [ARGS...]
#
# with-emulator.sh puts the emulator URL first (`valgrind.sh URL PROGRAM ARGS...`); the URL is
# then passed on as the program's first argument, as with-emulator.sh would have.
#
# Memcheck fails the run (exit 99) on any memory error (invalid read/write, use of
# uninitialised values, bad free, ...) and on definitely lost blocks at exit
# (--errors-for-leak-kinds=definite). "Possibly lost" blocks are neither errors nor shown:
# they are the Rust runtime's per-thread state of reqwest's internal threads.
set -euo pipefail

if ! command -v valgrind >/dev/null 2>&1; then
  echo "valgrind.sh: valgrind is not installed (apt-get install valgrind); the memcheck tests need it" >&2
  exit 1
fi
[ $# -ge 1 ] || { echo "usage: $0 [URL] PROGRAM [ARGS...]" >&2; exit 2; }

args=()
if [ $# -ge 2 ] && [[ $1 == http://* || $1 == https://* ]] && [ -x "$2" ]; then
  url=$1
  program=$2
  shift 2
  args=("$program" "$url" "$@")
else
  args=("$@")
fi

exec valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
  --show-leak-kinds=definite --child-silent-after-fork=yes "${args[@]}"
