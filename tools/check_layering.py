#!/usr/bin/env python3
"""Fails when a module includes another module's private header or a module it may not depend on.

Rules (see ../shared/design.md): other modules are reached only through their umbrella header
koepel/<module>/<module>.h (adapters: koepel/adapters/<name>/<name>.h), and dependencies only point
down the list below. Usage: check_layering.py [SOURCE_ROOT]; prints each violation as FILE:LINE.
"""
import pathlib
import re
import sys

LOWER = ["core", "geo", "model"]
ALLOWED = {
    "core": [],
    "geo": ["core"],
    "model": ["core", "geo"],
    "ports": LOWER,
    "tracking": LOWER,
    "threat": LOWER,
    "wta": LOWER,
    "warning": LOWER,
    "engine": LOWER + ["ports", "tracking", "threat", "wta", "warning"],
    "sim": LOWER + ["ports", "tracking", "threat", "wta", "warning", "engine"],
    "adapters": LOWER + ["ports"],
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"koepel/([^"]+)"')


def module_of(rel_parts):
    """('adapters', 'asterix', 'x.cc') -> 'adapters/asterix'; ('tracking', 'x.h') -> 'tracking'."""
    if rel_parts[0] == "adapters" and len(rel_parts) > 2:
        return "adapters/" + rel_parts[1]
    return rel_parts[0]


def umbrella(module):
    return f"{module}/{module.split('/')[-1]}.h"


def check(root):
    src = root / "src" / "koepel"
    errors = []
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".h", ".cc"):
            continue
        own = module_of(path.relative_to(src).parts)
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = m.group(1)
            parts = target.split("/")
            other = module_of(parts)
            where = f"{path.relative_to(root)}:{lineno}"
            if other == own:
                continue
            if target != umbrella(other):
                errors.append(f"{where}: includes {target}, a private header of {other}; use {umbrella(other)}")
                continue
            base = "adapters" if own.startswith("adapters/") else own
            # Adapters stand alone (each one bytes <-> model) except for what they share: sockets, XML text.
            if other in ("adapters/net", "adapters/xml") and base == "adapters":
                continue
            if other.startswith("adapters/") or other not in ALLOWED.get(base, []):
                errors.append(f"{where}: {own} may not depend on {other}")
    return errors


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent)
    errors = check(root)
    for e in errors:
        print(e)
    print(f"layering: {len(errors)} violation(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
