"""Shared fixtures: run the real command line, copy the project for tests that change it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Fixed date for reproducible output (the reproducible-builds convention): 2026-11-27.
EPOCH = "1795737600"


def run_cli(
    *args: str,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    input: str | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """Run ``python generate.py ARGS`` as a user would, from ``cwd``; a run that outlives
    ``timeout`` seconds fails the test (subprocess.TimeoutExpired) instead of hanging it."""
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(ROOT)}
    full_env.pop("RL_invariant", None)
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        input=input,
        timeout=timeout,
    )


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's content folders, free to change."""
    dest = tmp_path / "proj"
    dest.mkdir()
    for name in ("handouts", "layouts"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


def assert_clean_error(res: subprocess.CompletedProcess[str], code: int = 1) -> list[str]:
    """A user-facing failure: the exit code, no traceback, one or more error lines."""
    assert res.returncode == code, (
        f"exit {res.returncode}\nstdout:{res.stdout}\nstderr:{res.stderr}"
    )
    assert "Traceback" not in res.stderr, res.stderr
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert lines, "no error message"
    return lines
