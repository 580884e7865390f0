"""The in-process runner (tests/inprocess.py) answers as ``python generate.py`` would.

Most tests call :func:`tests.conftest.run_cli`, which runs the command line in the test
process; these tests compare such runs with real subprocess runs (same exit code, same
streams, same PDF bytes) and show that what a subprocess would print to stderr from below
Click (a C library's fd 2, a library's log line, a Python warning) is not swallowed.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

import pytest

from .conftest import needs_process, run_cli, run_process
from .inprocess import run_in_process

CASES = Path(__file__).parent / "cases"


@pytest.mark.parametrize(
    "args",
    [
        ("--version",),
        ("list",),
        ("build", "--no-such-option"),
        ("build", "tpi-aftercare", "--target", "nowhere"),
        ("build", "tpi-aftercare", "--set", "oops"),
        ("build", "no-such-handout"),
        ("check", str(CASES / "typo-key" / "handout.yaml")),
        ("check", str(CASES / "undefined-variable" / "handout.yaml")),
    ],
    ids=lambda a: " ".join(a)[:40],
)
def test_same_answer_as_a_subprocess(args: tuple[str, ...]) -> None:
    here = run_in_process(list(args))
    there = run_process(*args)
    assert (here.returncode, here.stdout, here.stderr) == (
        there.returncode,
        there.stdout,
        there.stderr,
    )


def test_same_pdf_bytes_as_a_subprocess_even_after_a_batch(tmp_path: Path) -> None:
    """A batch run changes ReportLab settings (``rl_config.useA85``) for its process; the
    next in-process build must not inherit them."""
    csv = tmp_path / "r.csv"
    csv.write_text(
        "first_name,last_name,address1,city,state,zip\n"
        "Jose,Alvarez,12 Main St,Springfield,IL,62701\n",
        encoding="utf-8",
    )
    batch = run_in_process(
        [
            "batch",
            "tpi-aftercare",
            "--recipients",
            str(csv),
            "--merged",
            str(tmp_path / "m.pdf"),
            "--proof",
        ]  # fmt: skip
    )
    assert batch.returncode == 0, batch.stderr
    args = ["build", "tpi-aftercare", "--set", "patient.name=Ana Ruiz"]
    here = run_in_process([*args, "-o", str(tmp_path / "here.pdf")])
    there = run_process(*args, "-o", str(tmp_path / "there.pdf"))
    assert here.returncode == there.returncode == 0, here.stderr + there.stderr
    assert (tmp_path / "here.pdf").read_bytes() == (tmp_path / "there.pdf").read_bytes()


def test_a_changed_logo_at_the_same_path_is_read_again(project: Path) -> None:
    """Caches keyed by a path (logos, brand fonts, strings) are emptied between runs, as a
    new process would start with them empty."""
    brand = project / "layouts" / "brands"
    (brand / "palomar-logo.svg").write_text("not an svg")
    first = run_cli("check", "tpi-aftercare", "--brand", "palomar", cwd=project)
    (brand / "palomar-logo.svg").write_bytes(
        (Path(__file__).parent.parent / "layouts" / "brands" / "palomar-logo.svg").read_bytes()
    )
    second = run_cli("check", "tpi-aftercare", "--brand", "palomar", cwd=project)
    assert first.returncode == 1 and "logo" in first.stderr, first.stderr
    assert second.returncode == 0, second.stderr


def test_low_level_stderr_logs_and_warnings_are_captured(monkeypatch: pytest.MonkeyPatch) -> None:
    from handoutpress import cli

    real = cli._setup_logging

    def noisy(debug: bool) -> None:
        real(debug)
        os.write(2, b"written to fd 2\n")
        logging.getLogger("somelibrary").warning("a library's log line")
        warnings.warn("a library's warning", UserWarning, stacklevel=1)

    monkeypatch.setattr(cli, "_setup_logging", noisy)
    res = run_in_process(["list"])
    assert res.returncode == 0
    assert "written to fd 2" in res.stderr
    assert "a library's log line" in res.stderr
    assert "UserWarning: a library's warning" in res.stderr


def test_an_escaping_exception_is_a_traceback_and_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    from handoutpress import cli

    def boom() -> None:
        raise RuntimeError("escaped")

    monkeypatch.setattr(cli, "main", boom)
    res = run_in_process(["list"])
    assert (
        res.returncode == 1 and "Traceback" in res.stderr and "RuntimeError: escaped" in res.stderr
    )


def test_what_needs_a_real_process() -> None:
    assert needs_process(["print", "tpi-aftercare"], None)
    assert needs_process(["batch", "x", "--jobs", "2"], None)
    assert needs_process(["batch", "x", "--jobs=3"], None)
    assert needs_process(["build", "x"], {"HANDOUTS_TEST_SIGNAL_AFTER": "1:KILL"})
    assert needs_process(["build", "x"], {"RL_invariant": "1"})
    assert needs_process(["batch", "x", "--jobs", "1"], {"HANDOUTS_BATCH_CHUNK": "3"}) is None
    assert needs_process(["build", "x"], None) is None
