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


def test_debug_is_the_group_option_not_a_word_anywhere_in_argv(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--debug`` given as another option's value does not turn tracebacks on (main() used
    to look for the word in sys.argv)."""
    monkeypatch.setattr("handoutpress.build.build", _boom)
    monkeypatch.setattr(sys, "argv", ["handouts", "build", "--layout", "--debug", "tpi-aftercare"])
    with pytest.raises(SystemExit) as exc:
        cli.main()
    assert exc.value.code == 1
    assert capsys.readouterr().err == (
        "error: internal error (RuntimeError); run again with --debug for details\n"
    )


def test_shared_options_are_defined_once() -> None:
    """--brand and --set are the same option in every command that takes them."""
    import click

    def option(command: str, name: str) -> click.Option:
        (found,) = [
            p
            for p in cli.cli.commands[command].params
            if isinstance(p, click.Option) and name in p.opts
        ]
        return found

    brands = {
        option(c, "--brand") for c in ("build", "check", "preview", "print", "batch", "serve")
    }
    sets = {option(c, "--set") for c in ("build", "preview", "print")}
    for same in (brands, sets):
        assert len({(p.help, p.multiple, p.callback, p.name) for p in same}) == 1
    assert option("build", "--set").callback is not None  # parsed once, into a mapping


def test_batch_needs_exactly_one_output_from_the_engine(tmp_path) -> None:
    from .conftest import run_cli

    for extra in ([], ["--merged", str(tmp_path / "a.pdf"), "--out-dir", str(tmp_path / "d")]):
        res = run_cli(
            "batch", "tpi-aftercare", "--recipients", "/nonexistent.csv", *extra, cwd=tmp_path
        )
        assert res.returncode == 2
        assert res.stderr == "batch: give exactly one of --merged FILE or --out-dir DIR\n"
        assert not list(tmp_path.iterdir())
