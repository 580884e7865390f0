"""A finished command ends its process without Python's teardown (issue 15.4: 0.1-0.2 s of
CPU after a sheet or a ``check``), with the same exit code and output, exit handlers run."""

from __future__ import annotations

import os
import subprocess
import sys

from .conftest import EPOCH, ROOT

_RUN = """
import atexit, sys
from handoutpress.cli import run

class Freed:
    def __del__(self):
        print("freed at teardown", flush=True)

kept = Freed()  # a module global: freed by Python's teardown, if it runs
atexit.register(lambda: print("exit handler ran", flush=True))
atexit.register(lambda: print("collector", *__import__("gc").get_threshold(), flush=True))
sys.argv = ["generate.py", *{args!r}]
run()
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _RUN.format(args=list(args))],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": EPOCH, "PATH": "/usr/bin:/bin"},
        timeout=120,
    )


def test_a_finished_command_skips_teardown_but_not_exit_handlers() -> None:
    res = _run("list")
    assert res.returncode == 0, res.stderr
    assert "tpi-aftercare" in res.stdout
    assert res.stdout.rstrip().endswith("exit handler ran")
    assert "freed at teardown" not in res.stdout


def test_exit_codes_and_messages_are_kept() -> None:
    res = _run("check", "no-such-handout")
    assert res.returncode == 1
    assert "no-such-handout" in res.stderr and "Traceback" not in res.stderr
    assert "exit handler ran" in res.stdout
    usage = _run("build", "--no-such-option")
    assert usage.returncode == 2 and "No such option" in usage.stderr


def test_a_command_writing_to_a_closed_pipe_ends_as_python_would() -> None:
    """stdout closed before the end: Python's own exit (its message), never a hang or 0."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _RUN.format(args=["list"])],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": EPOCH, "PATH": "/usr/bin:/bin"},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) != 0, err


def test_the_collector_runs_less_often_in_a_commands_process() -> None:
    from handoutpress.cli import COLLECT_THRESHOLDS

    res = _run("list")
    assert res.returncode == 0, res.stderr
    assert f"collector {' '.join(map(str, COLLECT_THRESHOLDS))}" in res.stdout
    assert COLLECT_THRESHOLDS[0] > 10_000


def test_a_reader_that_stops_early_gets_no_error_line() -> None:
    """``handouts list | head -1``: the reader has gone; no 'Broken pipe' error line."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line (no race with a buffer)
    try:
        res = subprocess.run(
            [sys.executable, str(ROOT / "generate.py"), "list"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": EPOCH, "PATH": "/usr/bin:/bin"},
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert res.returncode == 141, res.stderr
    assert res.stderr == b""
