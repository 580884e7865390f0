"""Regenerate the visual-regression references: ``python tests/make_references.py``.

Builds each page of ``tests.visual.CASES`` as the tests do (``python generate.py build``,
SOURCE_DATE_EPOCH fixed), rasterises it with pdftoppm and writes
``tests/reference/<name>.png``. Run it after a deliberate change to how pages look, look
at the PNGs, and commit them with the change. ``NAME …`` regenerates only those cases.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``tests`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import run_cli
from tests.visual import CASES, REFERENCES, Case, rasterise, save_reference


def build(case: Case, folder: Path) -> Path:
    pdf = folder / f"{case.name}.pdf"
    res = run_cli("build", *case.build, "-o", str(pdf))
    if res.returncode != 0:
        raise SystemExit(f"{case.name}: build failed:\n{res.stderr}")
    return pdf


def main(names: list[str]) -> int:
    unknown = set(names) - {c.name for c in CASES}
    if unknown:
        print(f"unknown case(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            if names and case.name not in names:
                continue
            path = REFERENCES / f"{case.name}.png"
            save_reference(rasterise(build(case, Path(tmp)), case.page), path)
            print(f"{path.relative_to(REFERENCES.parent.parent)}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
