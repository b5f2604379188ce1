#!/usr/bin/env python3
"""The layering check catches what it must: a fake tree with one legal and three illegal includes."""
import pathlib
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import check_layering  # noqa: E402


def write(root, rel, text):
    p = root / "src" / "koepel" / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)


with tempfile.TemporaryDirectory() as d:
    root = pathlib.Path(d)
    write(root, "tracking/kalman.cc", '#include "koepel/model/model.h"\n#include "koepel/tracking/filter.h"\n')
    write(root, "threat/x.cc", '#include "koepel/tracking/tracking.h"\n')          # sideways
    write(root, "model/y.cc", '#include "koepel/core/status.h"\n')                 # private header
    write(root, "adapters/cot/cot.cc", '#include "koepel/adapters/cap/cap.h"\n')  # adapter to adapter
    errors = check_layering.check(root)
    assert len(errors) == 3, errors
    assert any("threat may not depend on tracking" in e for e in errors), errors
    assert any("private header of core" in e for e in errors), errors
    assert any("adapters/cot may not depend on adapters/cap" in e for e in errors), errors
print("check_layering_test: 1 passed, 0 failed")
