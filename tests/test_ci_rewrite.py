""".ci/rewrite_tests.py writes the pycs pytest itself writes for rewritten test modules (so a
test process reads them instead of rewriting every module again)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

TEST = """def helper(x):
    return x + 1


def test_sum():
    values = [helper(n) for n in range(3)]
    assert values == [1, 2, 3], values
    assert sum(values) > 5 and "a" in "abc"
"""


def test_rewrite_tests_writes_what_pytests_import_hook_writes(tmp_path: Path) -> None:
    (tmp_path / "test_sample.py").write_text(TEST, encoding="utf-8")
    (tmp_path / "conftest.py").write_text("import pytest\n", encoding="utf-8")
    cache = tmp_path / "__pycache__"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    script = ROOT / ".ci" / "rewrite_tests.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, env=env)
    ours = {p.name: p.read_bytes() for p in cache.iterdir()}
    assert len(ours) == 2 and all("-pytest-" in name for name in ours), sorted(ours)
    for p in cache.iterdir():
        p.unlink()
    collect = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only"]
    subprocess.run(collect, cwd=tmp_path, check=True, env=env, capture_output=True)
    theirs = {p.name: p.read_bytes() for p in cache.iterdir()}
    assert ours == theirs  # the same files, byte for byte
