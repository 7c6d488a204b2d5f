#!/usr/bin/env bash
# Build the docspace-auth wheel, install it into a fresh venv and test the installed copy
# (never the source tree): stubtest of the native module, then pytest against the emulator.
#
#   python/run-tests.sh                  # debug wheel (fast to build; the default)
#   PROFILE=release python/run-tests.sh  # the release wheel, as published
#   python/run-tests.sh -k totp -x       # extra arguments go to pytest
#   PYTHON=python3.13 python/run-tests.sh  # another interpreter (the tests need >= 3.10)
#
# Steps: (1) a fresh venv in build/py-venv with python/requirements-dev.txt (maturin comes
# from there); (2) the emulator binary (cargo build) and one abi3 wheel into target/wheels;
# (3) the wheel installed into the venv; (4) `python -m mypy.stubtest docspace_auth._native`
# and pytest, both run from python/tests so that python/ is not on sys.path.
# Exits non-zero on any failure, including "pytest collected no tests" (exit 5).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/build/py-venv"
WHEELS="$ROOT/target/wheels"
PROFILE="${PROFILE:-debug}"
PYTHON="${PYTHON:-python3}"

case "$PROFILE" in
  debug) MATURIN_PROFILE=() ;;
  release) MATURIN_PROFILE=(--release) ;;
  *) echo "run-tests.sh: PROFILE must be debug or release, not '$PROFILE'" >&2; exit 2 ;;
esac

step_started=
step() {
  [ -n "$step_started" ] && printf '    (%d s)\n' "$((SECONDS - step_started))"
  printf '\n==> %s\n' "$*"
  step_started=$SECONDS
}
started=$SECONDS

step "fresh venv in build/py-venv"
rm -rf "$VENV"
# No pip inside the venv when the host's pip can install into it (`pip --python`, pip >= 22.3):
# ensurepip costs more than the rest of this step.
"$PYTHON" -m venv --without-pip "$VENV"
if "$PYTHON" -m pip --python "$VENV/bin/python" --version >/dev/null 2>&1; then
  PIP=("$PYTHON" -m pip --python "$VENV/bin/python" --quiet --disable-pip-version-check)
else
  "$VENV/bin/python" -m ensurepip --default-pip >/dev/null
  PIP=("$VENV/bin/python" -m pip --quiet --disable-pip-version-check)
fi
# The pinned dev tools are downloaded once into build/py-wheelhouse (again when
# requirements-dev.txt changes); each fresh venv installs them from there, offline.
REQS="$ROOT/python/requirements-dev.txt"
WHEELHOUSE="$ROOT/build/py-wheelhouse"
want="$(sha256sum "$REQS" | cut -d' ' -f1) $("$VENV/bin/python" -c 'import sys; print(sys.implementation.cache_tag)')"
if [ "$(cat "$WHEELHOUSE/.requirements-dev.sha256" 2>/dev/null || true)" != "$want" ]; then
  rm -rf "$WHEELHOUSE"
  "${PIP[@]}" download --only-binary=:all: -r "$REQS" -d "$WHEELHOUSE"
  echo "$want" > "$WHEELHOUSE/.requirements-dev.sha256"
fi
"${PIP[@]}" install --no-compile --no-index --find-links "$WHEELHOUSE" -r "$REQS"

step "emulator binary (cargo build -p docspace-emulator)"
(cd "$ROOT" && cargo build --quiet -p docspace-emulator --bin docspace-emulator)

step "wheel ($PROFILE) into target/wheels"
mkdir -p "$WHEELS"
rm -f "$WHEELS"/docspace_auth-*.whl
# maturin must come from the venv (PATH), and VIRTUAL_ENV names the interpreter it targets.
(cd "$ROOT/python" && VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH" \
  maturin build --quiet "${MATURIN_PROFILE[@]}" --out "$WHEELS")
shopt -s nullglob
wheels=("$WHEELS"/docspace_auth-*-cp39-abi3-*.whl)
shopt -u nullglob
if [ "${#wheels[@]}" -ne 1 ]; then
  echo "run-tests.sh: expected exactly one abi3 wheel in $WHEELS, found ${#wheels[@]}" >&2
  ls -l "$WHEELS" >&2 || true
  exit 1
fi
echo "built ${wheels[0]##*/} ($(du -h "${wheels[0]}" | cut -f1))"

step "install the wheel into the venv"
"${PIP[@]}" install --no-deps --force-reinstall "${wheels[0]}"

cd "$ROOT/python/tests"
export PYTHONDONTWRITEBYTECODE=1
export MYPY_CACHE_DIR="$ROOT/build/mypy-cache"
export DOCSPACE_AUTH_TEST_VENV="$VENV"

step "stubtest: docspace_auth._native against _native.pyi"
# stubtest ignores MYPY_CACHE_DIR: keep its cache out of python/tests with a config file.
printf '[mypy]\ncache_dir = %s\n' "$MYPY_CACHE_DIR" > "$ROOT/build/mypy-stubtest.ini"
"$VENV/bin/python" -m mypy.stubtest --mypy-config-file "$ROOT/build/mypy-stubtest.ini" docspace_auth._native

step "mypy --strict: the examples and tests type-check against the installed stubs"
"$VENV/bin/python" -m mypy --strict --python-version 3.10 \
  --no-incremental \
  "$ROOT/python/examples" "$ROOT/python/tests"

step "pytest (installed wheel, emulator over HTTP)"
set +e
"$VENV/bin/python" -m pytest --rootdir "$ROOT/python/tests" -p no:cacheprovider -q "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "run-tests.sh: pytest collected no tests" >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "run-tests.sh: pytest failed (exit $status)" >&2
  exit "$status"
fi
printf '    (%d s)\n' "$((SECONDS - step_started))"
echo "run-tests.sh: all Python checks passed in $((SECONDS - started)) s"
