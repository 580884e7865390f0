"""The command line itself: thin, one-line errors, no patient data in unexpected failures."""

from __future__ import annotations

import sys

import pytest

from handoutpress import cli


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("layout failed for Ana Secret-Patient")


def test_unexpected_error_is_one_line_without_data(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("handoutpress.build.build", _boom)
    monkeypatch.setattr(sys, "argv", ["handouts", "build", "tpi-aftercare"])
    with pytest.raises(SystemExit) as exc:
        cli.main()
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err == "error: internal error (RuntimeError); run again with --debug for details\n"


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("handoutpress.build.build", _boom)
    monkeypatch.setattr(sys, "argv", ["handouts", "--debug", "build", "tpi-aftercare"])
    with pytest.raises(RuntimeError, match="layout failed"):
        cli.main()


def test_set_needs_key_value(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        sys, "argv", ["handouts", "build", "tpi-aftercare", "--set", "patient.name"]
    )
    with pytest.raises(SystemExit) as exc:
        cli.main()
    assert exc.value.code == 2
    assert "expected KEY=VALUE" in capsys.readouterr().err
