#!/usr/bin/env bash
# install_test.sh <work-dir>
# `make install` of the repository into <work-dir>/prefix, then builds the example with
# pkg-config against the installed files, linked to the shared and to the static library,
# and runs both against a fresh emulator. $DOCSPACE_TARGET_DIR: cargo's target/<profile> (default target/debug).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
work=$1
target=${DOCSPACE_TARGET_DIR:-$repo/target/debug}

rm -rf "$work"
mkdir -p "$work"
prefix="$work/prefix"
make -C "$repo" --no-print-directory install PREFIX="$prefix" TARGET="$target"

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
libdir=$(pkg-config --variable=libdir docspace-auth)
echo "pkg-config docspace-auth $(pkg-config --modversion docspace-auth): $(pkg-config --cflags --libs docspace-auth)"
flags=(-std=c++17 -Wall -Wextra -Wpedantic -Werror)
example="$repo/bindings/cpp/examples/seed_flows.cpp"

# Shared: the pkg-config flags plus an rpath to the installed library.
# shellcheck disable=SC2046 # pkg-config output is a list of words
g++ "${flags[@]}" "$example" -o "$work/seed_flows_shared" \
    $(pkg-config --cflags --libs docspace-auth) -Wl,-rpath,"$libdir"
# Static: the archive by path and the system libraries it needs (the static_libs variable).
# shellcheck disable=SC2046
g++ "${flags[@]}" "$example" -o "$work/seed_flows_static" \
    $(pkg-config --cflags docspace-auth) $(pkg-config --variable=static_libs docspace-auth)

if readelf -d "$work/seed_flows_static" | grep -q 'libdocspace_auth'; then
    echo "the static build still needs libdocspace_auth.so" >&2
    exit 1
fi
"$repo/tests/c/with-emulator.sh" "$work/seed_flows_shared"
"$repo/tests/c/with-emulator.sh" "$work/seed_flows_static"
