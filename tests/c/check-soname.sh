#!/usr/bin/env bash
# The shared library's SONAME is libdocspace_auth.so, and a program linked to it (by path, as
# CMake does) records that name in NEEDED, not the absolute path of the build tree.
#
#   usage: check-soname.sh LIBRARY PROGRAM
set -euo pipefail
library=$1
program=$2
soname=$(readelf -d "$library" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
needed=$(readelf -d "$program" | sed -n 's/.*(NEEDED).*\[\(.*docspace_auth.*\)\]/\1/p')
echo "SONAME of $library: ${soname:-(none)}"
echo "NEEDED by $program: ${needed:-(none)}"
[[ $soname == libdocspace_auth.so ]] || { echo "FAIL: the SONAME is not libdocspace_auth.so"; exit 1; }
[[ $needed == libdocspace_auth.so ]] || { echo "FAIL: the program does not record libdocspace_auth.so"; exit 1; }
echo "ok: linked by name, found through the rpath"
