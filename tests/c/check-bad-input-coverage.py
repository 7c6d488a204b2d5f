#!/usr/bin/env python3
"""Fail when test_bad_input's table misses an exported function or argument.

    check-bad-input-coverage.py HEADER TEST_PROGRAM [SHARED_LIBRARY]

Parses every `docspace_*` function declared in HEADER (include/docspace_auth.h) and compares
it with what `TEST_PROGRAM --list` reports (its function descriptors and its cases):

  - every declared function has a descriptor with the same parameter names in the same
    order, and at least one case;
  - every pointer parameter has a NULL case;
  - every string parameter (`const char *`, `const char *const *`) has an invalid-UTF-8, an
    empty and a 1 MiB case;
  - every integer parameter (uint32_t, int64_t, uint64_t, size_t: enums, indices, times,
    lengths) has at least one case with a chosen number;
  - with SHARED_LIBRARY: every `docspace_*` symbol the library exports is declared in the
    header (an exported function the header forgot would escape the table too).

A new function or argument therefore fails this check until the table covers it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

INTEGER_TYPES = ("uint32_t", "int64_t", "uint64_t", "size_t", "uint16_t", "int32_t")


def header_functions(text: str) -> dict[str, list[tuple[str, str]]]:
    """name -> [(parameter type, parameter name)] for every docspace_* function."""
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    functions: dict[str, list[tuple[str, str]]] = {}
    for match in re.finditer(r"^[A-Za-z_][\w \*]*?[\s\*](docspace_\w+)\s*\(([^)]*)\)\s*;", text, flags=re.M):
        name, params = match.group(1), match.group(2)
        parsed = []
        for param in (p.strip() for p in params.split(",")):
            if not param or param == "void":
                continue
            m = re.match(r"^(.*?)(\w+)$", " ".join(param.split()))
            if not m:
                raise SystemExit(f"cannot parse parameter {param!r} of {name}")
            parsed.append((m.group(1).strip(), m.group(2)))
        functions[name] = parsed
    return functions


def main() -> int:
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    header, program = Path(sys.argv[1]), sys.argv[2]
    declared = header_functions(header.read_text())
    listing = subprocess.run([program, "--list"], check=True, capture_output=True, text=True).stdout

    described: dict[str, list[str]] = {}
    cases: dict[str, set[tuple[str, str]]] = {}
    for line in listing.splitlines():
        fields = line.split()
        if fields[:1] == ["function"]:
            described[fields[1]] = fields[2:]
        elif fields[:1] == ["case"]:
            cases.setdefault(fields[1], set()).add((fields[2], fields[3]))

    problems: list[str] = []
    if len(declared) < 50:
        problems.append(f"only {len(declared)} functions parsed from {header}: is the parser broken?")
    for name, params in sorted(declared.items()):
        names = [n for _, n in params]
        if name not in described:
            problems.append(f"{name}: not in test_bad_input's table (add a wrapper, a descriptor and cases)")
            continue
        if described[name] != names:
            problems.append(f"{name}: descriptor parameters {described[name]} differ from the header's {names}")
        have = cases.get(name, set())
        if not have:
            problems.append(f"{name}: no case")
        for ctype, pname in params:
            if "*" in ctype and (pname, "null") not in have:
                problems.append(f"{name}: no NULL case for `{pname}`")
            if re.fullmatch(r"const char \*(const \*)?", ctype):
                for kind in ("utf8", "empty", "huge"):
                    if (pname, kind) not in have:
                        problems.append(f"{name}: no {kind} case for the string `{pname}`")
            if ctype in INTEGER_TYPES and (pname, "number") not in have:
                problems.append(f"{name}: no case with a chosen number for `{pname}` ({ctype})")
    for name in sorted(set(described) - set(declared)):
        problems.append(f"{name}: in the table but not declared in {header.name}")

    if len(sys.argv) == 4:
        nm = subprocess.run(["nm", "-D", "--defined-only", sys.argv[3]], check=True, capture_output=True, text=True)
        exported = {line.split()[-1] for line in nm.stdout.splitlines() if re.search(r"\sT docspace_\w+$", line)}
        for name in sorted(exported - set(declared)):
            problems.append(f"{name}: exported by {Path(sys.argv[3]).name} but not declared in {header.name}")
        for name in sorted(set(declared) - exported):
            problems.append(f"{name}: declared in {header.name} but not exported by {Path(sys.argv[3]).name}")

    n_params = sum(len(p) for p in declared.values())
    n_cases = sum(1 for line in listing.splitlines() if line.startswith("case "))
    if problems:
        for problem in problems:
            print(f"FAIL {problem}")
        print(f"check-bad-input-coverage: {len(problems)} gap(s)")
        return 1
    print(
        f"check-bad-input-coverage: {len(declared)} functions and {n_params} parameters in {header.name}, "
        f"all covered by {n_cases} cases"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
