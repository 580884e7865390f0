#!/usr/bin/env python3
"""Run the test suite in a copy of the project to which a clinic has added its own content.

The README invites a clinic to add handouts to ``handouts/`` and a brand to
``layouts/brands/``; the tests must still pass then (they test the shipped content by name, or
fixtures in ``tests/``). This script copies the checkout (the files git knows, plus new ones
not ignored) to a temporary folder, adds one handout (``clinic-knee-care``, a copy of the
aftercare sheet with its own title and form number) and one brand (``my-clinic``, a copy of the
sample brand with its own name and colours, ``sample: false``), and runs pytest there with the
arguments given (default: the whole suite)::

    .venv/bin/python tests/with_added_content.py            # everything
    .venv/bin/python tests/with_added_content.py -x tests/test_build.py

Exit status: pytest's.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def copy_checkout(dest: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        src = ROOT / os.fsdecode(name)
        if not src.is_file():  # deleted in the work tree
            continue
        target = dest / os.fsdecode(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)


def add_clinic_content(root: Path) -> None:
    """One more handout and one more brand, as a clinic following the README would add."""
    handout = (root / "handouts" / "tpi-aftercare.yaml").read_text(encoding="utf-8")
    handout = re.sub(r"(?m)^title: .*$", "title: Caring for Your Knee at Home", handout, count=1)
    handout = re.sub(r"(?m)^form: .*$", "form: MYC-KNEE-01", handout, count=1)
    (root / "handouts" / "clinic-knee-care.yaml").write_text(handout, encoding="utf-8")

    brands = root / "layouts" / "brands"
    brand = (brands / "palomar.yaml").read_text(encoding="utf-8")
    brand = re.sub(r"(?m)^name: .*$", "name: My Clinic Pain Center", brand, count=1)
    brand = re.sub(r"(?m)^sample: .*$", "sample: false", brand, count=1)
    brand = brand.replace('"#0E5A6B"', '"#234A7A"')
    (brands / "my-clinic.yaml").write_text(brand, encoding="utf-8")


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="handouts-added-") as tmp:
        root = Path(tmp) / "checkout"
        copy_checkout(root)
        add_clinic_content(root)
        shared = ROOT.parent / "shared"  # the outside checkers some tests run, as beside ROOT
        if shared.is_dir():
            (root.parent / "shared").symlink_to(shared.resolve())
        env = {**os.environ, "PYTHONPATH": str(root)}
        print(f"added handouts/clinic-knee-care.yaml and layouts/brands/my-clinic.yaml in {root}")
        cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *(argv or ["-q"])]
        return subprocess.run(cmd, cwd=root, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
