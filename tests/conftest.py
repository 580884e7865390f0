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

from .pdfcache import install as _read_each_pdf_once

ROOT = Path(__file__).resolve().parent.parent
#: Fixed date for reproducible output (the reproducible-builds convention): 2026-11-27.
EPOCH = "1795737600"

#: commands that need a process of their own: a real print spooler, a server that blocks
PROCESS_COMMANDS = frozenset({"print", "serve"})
#: environment variables the engine reads while running (anything else, e.g. RL_*, LANG,
#: PYTHON*, HOME, PATH, is read at start-up or by child programs: a subprocess run);
#: HANDOUTS_DATA_DIR: ``web.data_dir()``, read by ``staff`` and ``usage`` when they run
RUN_TIME_ENV = frozenset({"SOURCE_DATE_EPOCH", "HANDOUTS_BATCH_CHUNK", "HANDOUTS_DATA_DIR"})

_read_each_pdf_once()  # pdfplumber: identical bytes are read once per test process


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


#: the test modules that take longest (CPU and waiting for a browser or a server, measured in
#: session 5), longest first. .ci/run hands whole modules to its workers in collection order
#: (``--dist loadscope --no-loadscope-reorder``): these first, then the many short ones, so
#: that both workers finish together instead of one running a long module alone at the end.
SLOW_FIRST = (
    "test_tagged.py",
    "test_web_browser.py",
    "test_web_staff.py",
    "test_web.py",
    "test_batch_resume.py",
    "test_pdfx.py",
    "test_batch_outdir_template.py",
    "test_press.py",
    "test_batch_reuse.py",
    "test_batch.py",
    "test_design.py",
    "test_brand_fonts.py",
    "test_check.py",
    "test_pictures.py",
    "test_breaks.py",
    "test_page_numbers.py",
    "test_print.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules in :data:`SLOW_FIRST` order, then the others as collected; tests within a
    module keep their order (the sort is stable)."""
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


@pytest.fixture
def cli():
    return run_cli


#: The content this repository ships. A clinic adds its own handouts and brands beside these
#: (as the README invites); tests name these, or work in a copy holding only these
#: (:func:`copy_shipped`), so that added content never changes what a test sees.
#: ``tests/with_added_content.py`` runs the suite with one more handout and brand to prove it.
SHIPPED_HANDOUTS = (
    "tpi-aftercare",
    "tpi-aftercare.es",
    "tpi-follow-up",
    "tpi-follow-up.es",
    "trigger-point-injections",
    "trigger-point-injections.es",
)
SHIPPED_BRANDS = ("palomar",)


def copy_shipped(dest: Path) -> Path:
    """``handouts/`` and ``layouts/`` into ``dest``, with only the shipped handouts and brands
    (layouts, strings, logos and READMEs as they are); returns ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shipped = {f"{name}.yaml" for name in SHIPPED_HANDOUTS}
    shipped |= {f"brands/{name}.yaml" for name in SHIPPED_BRANDS}

    def ignore(folder: str, names: list[str]) -> list[str]:
        rel = Path(folder).relative_to(ROOT)
        skip = []
        for name in names:
            inner = Path(*rel.parts[1:], name).as_posix()  # relative to handouts/ or layouts/
            is_content = rel.parts[0] == "handouts" or inner.startswith("brands/")
            if is_content and name.endswith(".yaml") and inner not in shipped:
                skip.append(name)
        return skip

    for name in ("handouts", "layouts"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore, dirs_exist_ok=True)
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's content folders with only the shipped content, free to change."""
    return copy_shipped(tmp_path / "proj")


@pytest.fixture(scope="session")
def shipped_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the shipped content for the whole run, to run commands in (``cwd=``) that
    list or build *everything*; not to be changed (use ``project`` for that)."""
    return copy_shipped(tmp_path_factory.mktemp("shipped"))


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shipped_root: Path):
    """The front desk's Flask app on the shipped handouts and brand only (the page lists
    everything; a clinic may add more), its data in ``tmp_path``, dates fixed."""
    from handoutpress.web.app import Settings, create_app

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")
    return create_app(Settings(project_root=shipped_root, data_dir=tmp_path / "data"))


@pytest.fixture
def client(app):
    """Flask's test client of :func:`app` (``test_web_staff`` has its own, with logins)."""
    return app.test_client()


def assert_clean_error(res: subprocess.CompletedProcess[str], code: int = 1) -> list[str]:
    """A user-facing failure: the exit code, no traceback, one or more error lines."""
    assert res.returncode == code, (
        f"exit {res.returncode}\nstdout:{res.stdout}\nstderr:{res.stderr}"
    )
    assert "Traceback" not in res.stderr, res.stderr
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert lines, "no error message"
    return lines
