"""The ``handouts`` command group (also ``python generate.py``). Thin: options in, one call, out."""

from __future__ import annotations

import atexit
import contextlib
import gc
import logging
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import click

from . import __version__
from .options import (
    BRAND,
    LANG,
    ONE_HANDOUT,
    SETS,
    STAFF_COPY,
    lang_option,
    large_print_option,
    layout_option,
    out_dir_option,
    output_option,
    output_path,
    pdfx_option,
    target_option,
)


class _WarningFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "located", False):
            # already `path:line:col: field: warning: message` (governance.Finding)
            return record.getMessage()
        return f"{record.levelname.lower()}: {record.getMessage()}"


def _setup_logging(debug: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_WarningFormatter())
    root = logging.getLogger("handoutpress")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    root.propagate = False


class _Handouts(click.Group):
    """The command group; an unexpected error in a command is one line without patient data
    (a traceback with ``--debug``)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            # the reader went away (``handouts list | head -1``): nothing to say to it, and no
            # error on stderr for a pipe that did what it was asked; 141 = killed by SIGPIPE
            _quiet_stdout()
            ctx.exit(141)
        except OSError as exc:  # a folder or disk that refuses us (read-only, full): say which
            if ctx.params.get("debug"):
                raise
            click.echo(f"error: {_os_error_line(exc)}", err=True)
            ctx.exit(1)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if ctx.params.get("debug"):
                raise
            click.echo(
                f"error: internal error ({type(exc).__name__}); run again with --debug for details",
                err=True,
            )
            ctx.exit(1)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so flushing what is left of it at exit cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


#: set by :func:`run`: the process ends when its command does (nothing after it to collect)
_process_ends_with_command = False


@contextlib.contextmanager
def _collector_off() -> Iterator[None]:
    """While a command that runs once (``build``, ``check``, ``preview``, ``print``, ``list``,
    ``batch``) does its work: no cyclic garbage collection. Its start-up (imports, models,
    fonts, templates) and layouts make hundreds of thousands of objects and few cycles,
    which the process's end frees; a collection walked them to free almost nothing (22-45 ms
    of a personalised sheet or a ``check``, in one or two collections). ``batch`` collects
    once a chunk on its own (:mod:`handoutpress.batch.runner`); ``serve`` keeps the
    collector on. Afterwards the collector is as it was, except in a process that ends with
    the command (:func:`run`): turned on again, its first collection would walk everything
    the command made (80 ms after a sheet) just before the process ends."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting and not _process_ends_with_command:
            gc.enable()


def _os_error_line(exc: OSError) -> str:
    """``out/letters: a file here could not be read or written: Permission denied``: the
    folder, not the file (a file we name can hold a patient's name), and the system's reason."""
    from .errors import display_path

    reason = exc.strerror or type(exc).__name__
    if not exc.filename:
        return f"a file could not be read or written: {reason}"
    folder = Path(os.fsdecode(exc.filename)).parent
    return f"{display_path(folder)}: a file here could not be read or written: {reason}"


@click.group(cls=_Handouts)
@click.version_option(__version__, prog_name="handouts")
@click.option("--debug", is_flag=True, help="Show a traceback for unexpected errors.")
def cli(debug: bool) -> None:
    """Handout Press: patient-education YAML in, printable branded PDFs out."""
    _setup_logging(debug)


@cli.command()
@click.argument("handouts", nargs=-1)
@layout_option("Build only this layout (name or YAML path).")
@BRAND
@out_dir_option("Folder for the PDFs.", default="out")
@output_option("Write one PDF here (one handout, one layout).")
@target_option("Desk printer, or print shop (bleed, marks, CMYK).")
@pdfx_option("With --target press: PDF/X-4, or PDF/X-1a:2003 for shops that ask for it.")
@large_print_option("Body text at least 18 pt.")
@SETS
@LANG
@STAFF_COPY
def build(
    handouts: tuple[str, ...],
    layout: str | None,
    brand: str | None,
    out_dir: Path,
    output: Path | None,
    target: str,
    pdfx: str,
    large_print: bool,
    values: dict[str, str],
    lang: str | None,
    staff_copy: bool,
) -> None:
    """Build HANDOUTS (ids or YAML paths; all when none) into PDFs."""
    from click.core import ParameterSource

    from .errors import UsageProblem

    given = click.get_current_context().get_parameter_source("out_dir")
    if output is not None and given is not ParameterSource.DEFAULT:
        raise UsageProblem("build: give -o/--output FILE or --out-dir DIR, not both")
    with _collector_off():
        from .build import BuildRequest
        from .build import build as run
        from .project import Project

        request = BuildRequest(
            handouts=handouts,
            layout=layout,
            brand=brand,
            out_dir=out_dir,
            output=output,
            target=target,
            pdfx=pdfx,
            large_print=large_print,
            values=values,
            lang=lang,
            staff_copy=staff_copy,
        )
        result = run(Project(), request)
    for line in result.warning_lines():
        click.echo(line, err=True)
    for line in result.summary():
        click.echo(line)


@cli.command(name="list")
def list_() -> None:
    """List handouts, layouts and brands."""
    with _collector_off():
        from .build import listing
        from .project import Project

        lines = listing(Project()).lines()
    for line in lines:
        click.echo(line)


@cli.command()
@click.argument("handouts", nargs=-1)
@BRAND
@lang_option("Check the translation handouts/<id>.<lang>.yaml.")
@click.option("--strict", is_flag=True, help="Fail on warnings too (draft, reading level, …).")
def check(handouts: tuple[str, ...], brand: str | None, lang: str | None, strict: bool) -> None:
    """Check HANDOUTS (all when none) without writing PDFs.

    Prints one line per problem on stderr (PATH:LINE:COL: FIELD: MESSAGE, warnings as
    PATH:LINE:COL: FIELD: warning: MESSAGE), then a summary per handout: reading grade
    per section, layouts that fit, review status. Exit 1 on errors (or warnings, --strict).
    """
    with _collector_off():
        from .check import CheckRequest
        from .check import check as run
        from .project import Project

        report = run(Project(), CheckRequest(handouts=handouts, brand=brand, lang=lang))
    for finding in report.findings():
        click.echo(str(finding), err=True)
    for line in report.summary_lines():
        click.echo(line)
    report.raise_if_failed(strict)
    click.echo(report.verdict(strict))


@cli.command()
@click.argument("handout")
@output_option("The PNG file to write.", required=True)
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option(
    "--dpi", type=click.IntRange(18, 600), default=100, show_default=True, help="Resolution."
)
@target_option("Preview the office or the press PDF (with bleed and marks).")
@ONE_HANDOUT
def preview(
    handout: str,
    output: Path,
    page: int,
    dpi: int,
    target: str,
    layout: str | None,
    large_print: bool,
    brand: str | None,
    values: dict[str, str],
    lang: str | None,
    staff_copy: bool,
) -> None:
    """Render one page of HANDOUT to a PNG image (a proof, or a picture for a web page)."""
    with _collector_off():
        from .frontdesk import SingleRequest
        from .frontdesk import preview as run
        from .project import Project

        request = SingleRequest(
            handout=handout,
            layout=layout,
            brand=brand,
            target=target,
            values=values,
            lang=lang,
            large_print=large_print,
            staff_copy=staff_copy,
        )
        done = run(Project(), request, output, page, dpi)
    click.echo(done.summary())


@cli.command(name="print")
@click.argument("handout")
@click.option("--printer", help="CUPS printer (default: the system default printer).")
@click.option("--copies", type=click.IntRange(1, 500), default=1, show_default=True)
@ONE_HANDOUT
def print_(
    handout: str,
    printer: str | None,
    copies: int,
    layout: str | None,
    large_print: bool,
    brand: str | None,
    values: dict[str, str],
    lang: str | None,
    staff_copy: bool,
) -> None:
    """Print HANDOUT through CUPS with the layout's paper size and duplex setting."""
    with _collector_off():
        from .frontdesk import SingleRequest, print_handout
        from .project import Project

        request = SingleRequest(
            handout=handout,
            layout=layout,
            brand=brand,
            values=values,
            lang=lang,
            large_print=large_print,
            staff_copy=staff_copy,
        )
        printed = print_handout(Project(), request, printer, copies)
    click.echo(printed.summary())


def _parse_shard(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    k, sep, n = value.partition("/")
    if not (sep and k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise click.BadParameter(
            f"expected K/N with 1 <= K <= N, got '{value}'", param_hint="--shard"
        )
    return int(k), int(n)


@cli.command()
@click.argument("handout")
@click.option(
    "--recipients",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="CSV of recipients (one letter per row).",
)
@click.option(
    "--merged",
    type=click.Path(dir_okay=False),
    callback=output_path,
    help="Write one print-ready PDF (each letter starts a new sheet).",
)
@out_dir_option("Write one PDF per row into this folder.")
@layout_option("A layout of kind letter.", default="letter")
@BRAND
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Processes to draw with.",
)
@click.option("--resume", is_flag=True, help="Finish an interrupted run without redoing rows.")
@click.option("--encoding", help="CSV encoding, e.g. cp1252 for Excel (default UTF-8).")
@click.option(
    "--columns",
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML mapping fields to CSV column names (first_name: 'Patient First').",
)
@click.option("--shard", metavar="K/N", help="Make only every N-th row, starting at row K.")
@click.option("--proof", is_flag=True, help="Allow draft content / sample brands; stamp PROOF.")
def batch(
    handout: str,
    recipients: Path,
    merged: Path | None,
    out_dir: Path | None,
    layout: str,
    brand: str | None,
    jobs: int,
    resume: bool,
    encoding: str | None,
    columns: Path | None,
    shard: str | None,
    proof: bool,
) -> None:
    """Make one personalised letter of HANDOUT per row of a recipients CSV.

    Writes a rejects file (record, line, field, reason) and a manifest (record, file,
    pages, SHA-256) beside the output: --merged out/mail.pdf writes out/mail.rejects.csv
    and out/mail.manifest.csv; --out-dir DIR, DIR/rejects.csv and DIR/manifest.csv.
    Exit 3 when rows were rejected, 130 when interrupted (finish with --resume).
    """
    with _collector_off():  # (batch's runner collects once a chunk)
        from .batch import BatchRequest
        from .batch import run as run_batch
        from .errors import BatchRejected
        from .project import Project

        req = BatchRequest(
            handout=handout,
            recipients=recipients,
            merged=merged,
            out_dir=out_dir,
            layout=layout,
            brand=brand,
            jobs=jobs,
            resume=resume,
            encoding=encoding,
            columns=columns,
            shard=_parse_shard(shard),
            proof=proof,
            progress=sys.stderr.isatty(),
        )
        res = run_batch(Project(), req)
    for line in res.warnings():
        click.echo(line, err=True)
    for line in res.summary_lines():
        click.echo(line)
    if res.rejected:
        raise BatchRejected(f"{res.rejected} row(s) rejected: see {res.rejects}")


def _front_desk_commands() -> None:
    from .web.commands import serve, staff, usage

    for command in (serve, staff, usage):
        cli.add_command(command)


_front_desk_commands()


def main() -> None:
    """Run the command in ``sys.argv``; ends in SystemExit (Click's ``main``)."""
    cli.main()


#: the cyclic garbage collector's thresholds in a command's process (Python's: 700, 10, 10)
COLLECT_THRESHOLDS = (50_000, 20, 100)


def run() -> NoReturn:
    """The process's entry point (``generate.py``, ``handouts``): :func:`main`, then the
    process ends without tearing the interpreter down (:func:`_end_process`).

    A command's start-up (imports, models, fonts, templates) makes hundreds of thousands of
    objects and few cycles; with Python's thresholds the collector walks them dozens of times
    (50-150 ms of a sheet or a ``check``). A collection once every 50,000 new objects instead
    of 700 still frees cycles in a long-running ``serve`` (batch's runner collects its own
    way); a short command's few hundred KB of cycles wait for the end of the process."""
    global _process_ends_with_command
    _process_ends_with_command = True
    gc.set_threshold(*COLLECT_THRESHOLDS)
    try:
        main()
    except SystemExit as exc:
        _end_process(exc)
    raise AssertionError("unreachable: Click's main always exits")  # pragma: no cover


def _end_process(exc: SystemExit) -> NoReturn:
    """End the process as ``exc`` would, without freeing every object and module first.

    Python's shutdown frees each module, font, schema and drawing a command loaded: 0.1-0.2 s
    of CPU after a personalised sheet or a ``check``, which a person waits for and nothing
    needs (every file is written and closed by then). What shutdown does that matters still
    happens: exit handlers run (logging's flush among them), stdout and stderr are flushed.
    With another thread still running, or output that cannot be flushed, Python ends the
    process its own way."""
    code = exc.code
    if threading.active_count() > 1 or not (code is None or isinstance(code, int)):
        raise exc
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # noqa: BLE001 - a closed pipe: Python reports it on exit as ever
        raise exc from None
    os._exit(code or 0)
