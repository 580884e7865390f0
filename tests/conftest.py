"""Shared fixtures: run the command line, copy the project for tests that change it.

:func:`run_cli` runs ``python generate.py ARGS`` and returns what a subprocess would
(``returncode``, ``stdout``, ``stderr``). Most runs happen **in this process** through Click's
``CliRunner`` (no 0.5 s interpreter start per run); :mod:`tests.inprocess` makes such a run
look like a fresh process (working folder, environment, caches, logging, warnings,
ReportLab's settings, file-descriptor level stderr). A run that needs a real process gets one
(see :func:`needs_process`): ``print`` and ``serve``, a signal sent by the test hook, worker
processes (``--jobs`` > 1), an environment variable read at start-up, or ``process=True``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Fixed date for reproducible output (the reproducible-builds convention): 2026-11-27.
EPOCH = "1795737600"

#: commands that need a process of their own: a real print spooler, a server that blocks
PROCESS_COMMANDS = frozenset({"print", "serve", "staff"})
#: environment variables the engine reads while running (anything else, e.g. RL_*, LANG,
#: PYTHON*, HOME, PATH, is read at start-up or by child programs: a subprocess run)
RUN_TIME_ENV = frozenset({"SOURCE_DATE_EPOCH", "HANDOUTS_BATCH_CHUNK"})


def needs_process(args: Sequence[str], env: Mapping[str, str] | None) -> str | None:
    """Why ``args``/``env`` need a real process (None: they run in this one)."""
    command = next((a for a in args if not a.startswith("-")), "")
    if command in PROCESS_COMMANDS:
        return f"the {command} command"
    if env and set(env) - RUN_TIME_ENV:
        return f"environment {sorted(set(env) - RUN_TIME_ENV)}"
    for i, arg in enumerate(args):
        jobs = arg.removeprefix("--jobs=") if arg.startswith("--jobs=") else None
        if arg in ("--jobs", "-j") and i + 1 < len(args):
            jobs = args[i + 1]
        if jobs is not None and jobs.strip() not in ("1", ""):
            return "worker processes (--jobs)"
    return None


def run_cli(
    *args: str,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    input: str | None = None,
    timeout: float = 300,
    process: bool | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python generate.py ARGS`` as a user would, from ``cwd``; a run that outlives
    ``timeout`` seconds fails the test (subprocess.TimeoutExpired) instead of hanging it.

    ``process``: True always starts ``python generate.py`` in a subprocess, False never,
    None (the default) when :func:`needs_process` says so, else runs in this process.
    """
    if process is None:
        process = needs_process(args, env) is not None
    if not process:
        from .inprocess import run_in_process

        return run_in_process(list(args), cwd=cwd, env=env, input=input, timeout=timeout)
    return run_process(*args, cwd=cwd, env=env, input=input, timeout=timeout)


def run_process(
    *args: str,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    input: str | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """``python generate.py ARGS`` in a subprocess (what :func:`run_cli` does when it must)."""
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
