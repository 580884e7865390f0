"""``python generate.py ARGS`` run inside the test process, looking like a fresh process.

Starting Python and importing ReportLab, pydantic and the engine costs about 0.5 s per run;
most tests compare messages and exit codes, for which that start is all the time they take.
:func:`run_in_process` calls the same entry point as ``generate.py`` (``handoutpress.cli.main``,
with ``sys.argv`` set) under Click's ``CliRunner`` and hands back a
``subprocess.CompletedProcess``, so a test does not know which way it ran.

What a fresh process would not carry over from an earlier run, and what is done about it:

- standard streams: captured at the file-descriptor level (``capture="fd"``), so a C library
  or a stale ``sys.stderr`` writing to fd 2 shows in ``stderr`` as it would in a subprocess;
- working folder and environment: set for the run, restored after (``SOURCE_DATE_EPOCH`` fixed,
  ``RL_invariant`` removed, as :func:`tests.conftest.run_process` does);
- caches: every ``functools`` cache in ``handoutpress`` is emptied before the run, except those
  in :data:`KEEP_CACHES`, whose values depend only on their arguments and on files we ship;
  ``strings._cache`` (a plain dict) too;
- logging: the ``handoutpress`` logger is put back after the run (``main`` points it at the
  run's stderr); pytest's own handlers on the root logger are lifted for the run, so a
  library's log line reaches stderr through logging's last-resort handler as it would;
- warnings: Python's default filters for the run (pytest's would swallow them), printed to the
  run's stderr;
- ReportLab's ``rl_config`` settings (a batch sets ``useA85``): put back after the run;
  registered fonts stay registered (their names come from the files' contents);
- an unexpected exception escaping ``main`` is written to stderr as a traceback, exit 1, as the
  interpreter would; a run longer than ``timeout`` raises ``subprocess.TimeoutExpired``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import traceback
import types
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from click.testing import CliRunner

from .conftest import EPOCH, ROOT

#: caches kept between runs: values fixed by their arguments and by files the project ships
KEEP_CACHES = frozenset(
    {
        "handoutpress.fonts.register",  # the bundled fonts (registered with ReportLab anyway)
        "handoutpress.fonts._register_fallback",
        "handoutpress.fonts._register_face",  # one face of a family, by name and folder
        "handoutpress.fonts._check_face",  # keyed by path, size and mtime
        "handoutpress.readability.cmu_syllables",  # package data (answers are remembered)
        "handoutpress.readability._english_ready",
        "handoutpress.readability._stats",
        "handoutpress.markdown._parser",
        "handoutpress.markdown.parse_blocks",  # keyed by the Markdown text; blocks are frozen
        "handoutpress.icons.icon_drawing",  # keyed by name and colour; the icons we ship
        "handoutpress.templating.environment",
        "handoutpress.templating._compile",  # keyed by the template's source
    }
)


class _Timeout(BaseException):
    """Raised in the run by the alarm (a BaseException: ``main`` catches every Exception)."""


class _Entry:
    """What ``CliRunner.invoke`` calls: ``generate.py``'s ``main()`` with ``sys.argv`` set."""

    name = "generate.py"

    def main(self, args: list[str], prog_name: str = "generate.py", **_: object) -> None:
        from handoutpress import cli

        saved = sys.argv, sys.modules["__main__"]
        sys.argv = [str(ROOT / "generate.py"), *args]
        # Click names the program from __main__: ``generate.py``, not ``python -m pytest``
        script = types.ModuleType("__main__")
        script.__file__ = sys.argv[0]
        sys.modules["__main__"] = script
        try:
            cli.main()
        finally:
            sys.argv, sys.modules["__main__"] = saved


def _clear_caches() -> None:
    for name, module in list(sys.modules.items()):
        if not name.startswith("handoutpress") or module is None:
            continue
        for value in list(vars(module).values()):
            if not callable(getattr(value, "cache_clear", None)):
                continue
            # a function imported into another module by name is still its own module's
            own = f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
            if own not in KEEP_CACHES:
                value.cache_clear()
    strings = sys.modules.get("handoutpress.strings")
    if strings is not None:
        strings._cache.clear()  # type: ignore[attr-defined]


@contextlib.contextmanager
def _fresh_state(cwd: Path) -> Iterator[None]:
    from reportlab import rl_config

    settings = {k: v for k, v in vars(rl_config).items() if isinstance(v, (int, float, str))}
    ours = logging.getLogger("handoutpress")
    saved_ours = (ours.handlers[:], ours.level, ours.propagate)
    root = logging.getLogger()
    saved_root = (root.handlers[:], root.level)
    old_cwd = os.getcwd()
    _clear_caches()
    try:
        os.chdir(cwd)
        root.handlers[:] = []
        root.setLevel(logging.WARNING)
        with warnings.catch_warnings():
            warnings.resetwarnings()
            # what a fresh interpreter does (see the warnings module's default filters)
            warnings.simplefilter("default")
            for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning):
                warnings.filterwarnings("ignore", category=category)
            warnings.filterwarnings("ignore", category=ResourceWarning)
            warnings.showwarning = _show_warning
            yield
    finally:
        os.chdir(old_cwd)
        ours.handlers[:], ours.level, ours.propagate = saved_ours
        root.handlers[:], root.level = saved_root[0], saved_root[1]
        for key, value in settings.items():
            setattr(rl_config, key, value)


def _show_warning(message, category, filename, lineno, file=None, line=None):  # type: ignore[no-untyped-def]
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(signum: int, frame: FrameType | None) -> None:
        raise _Timeout

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run_in_process(
    args: list[str],
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    input: str | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    run_env: dict[str, str | None] = {"SOURCE_DATE_EPOCH": EPOCH, "RL_invariant": None}
    run_env.update(env or {})
    runner = CliRunner(capture="fd")
    argv = ["python", "generate.py", *args]
    try:
        with _fresh_state(cwd), _alarm(timeout):
            result = runner.invoke(_Entry(), args, input=input, env=run_env)  # type: ignore[arg-type]
    except _Timeout:
        raise subprocess.TimeoutExpired(argv, timeout) from None
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        exc = result.exception
        stderr += "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return subprocess.CompletedProcess(argv, result.exit_code, result.stdout, stderr)
