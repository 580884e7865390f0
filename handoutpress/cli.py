"""The ``handouts`` command group (also ``python generate.py``). Thin: options in, one call, out."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from . import __version__


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


def _parse_sets(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected KEY=VALUE, got '{key}'", param_hint="--set")
        out[key.strip()] = value
    return out


@click.group()
@click.version_option(__version__, prog_name="handouts")
@click.option("--debug", is_flag=True, help="Show a traceback for unexpected errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Handout Press: patient-education YAML in, printable branded PDFs out."""
    ctx.obj = {"debug": debug}
    _setup_logging(debug)


@cli.command()
@click.argument("handouts", nargs=-1)
@click.option("--layout", help="Build only this layout (name or YAML path).")
@click.option("--brand", help="Brand name in layouts/brands/ or path to a brand YAML file.")
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Folder for the PDFs.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write one PDF here (one handout, one layout).",
)
@click.option(
    "--target",
    type=click.Choice(["office", "press"]),
    default="office",
    show_default=True,
    help="Desk printer, or print shop (bleed, marks, CMYK).",
)
@click.option("--large-print", is_flag=True, help="Body text at least 18 pt.")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    help="Fill a personal field, e.g. --set patient.name='Ana Ruiz'.",
)
@click.option("--lang", help="Pick the translation handouts/<id>.<lang>.yaml.")
def build(
    handouts: tuple[str, ...],
    layout: str | None,
    brand: str | None,
    out_dir: Path,
    output: Path | None,
    target: str,
    large_print: bool,
    sets: tuple[str, ...],
    lang: str | None,
) -> None:
    """Build HANDOUTS (ids or YAML paths; all when none) into PDFs."""
    from .build import BuildRequest
    from .build import build as run
    from .project import Project

    request = BuildRequest(
        handouts, layout, brand, out_dir, output, target, large_print, _parse_sets(sets), lang
    )
    result = run(Project(), request)
    for message in result.warnings:
        click.echo(f"warning: {message}", err=True)
    for line in result.summary():
        click.echo(line)


@cli.command(name="list")
def list_() -> None:
    """List handouts, layouts and brands."""
    from .build import listing
    from .project import Project

    found = listing(Project())
    click.echo("Handouts:")
    for ident, title, lang, status, layouts, _ in found.handouts:
        shown = f"  {ident}" if "." in ident else ident  # a translation, under its original
        click.echo(f"  {shown:<32} {lang:<4} {status:<9} [{layouts}]  {title}")
    click.echo("Layouts:")
    for name, desc in found.layouts:
        click.echo(f"  {name:<32} {desc}")
    click.echo("Brands:")
    for name, title, sample in found.brands:
        click.echo(f"  {name:<32} {title}{'  (SAMPLE: fictional details)' if sample else ''}")


@cli.command()
@click.argument("handouts", nargs=-1)
@click.option("--brand", help="Brand name in layouts/brands/ or path to a brand YAML file.")
@click.option("--lang", help="Check the translation handouts/<id>.<lang>.yaml.")
@click.option("--strict", is_flag=True, help="Fail on warnings too (draft, reading level, …).")
def check(handouts: tuple[str, ...], brand: str | None, lang: str | None, strict: bool) -> None:
    """Check HANDOUTS (all when none) without writing PDFs.

    Prints one line per problem on stderr (PATH:LINE:COL: FIELD: MESSAGE, warnings as
    PATH:LINE:COL: FIELD: warning: MESSAGE), then a summary per handout: reading grade
    per section, layouts that fit, review status. Exit 1 on errors (or warnings, --strict).
    """
    from .check import CheckRequest, summary
    from .check import check as run
    from .project import Project

    report = run(Project(), CheckRequest(handouts, brand, lang))
    for finding in report.findings():
        click.echo(str(finding), err=True)
    for line in summary(report):
        click.echo(line)
    report.raise_if_failed(strict)
    click.echo(report.verdict(strict))


_brand_option = click.option(
    "--brand", help="Brand name in layouts/brands/ or path to a brand YAML file."
)
_large_print_option = click.option(
    "--large-print",
    is_flag=True,
    help="Use the large-print layout (18 pt body) unless --layout names one.",
)
_set_option = click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    help="Fill a personal field, e.g. --set patient.name='Ana Ruiz'.",
)


@cli.command()
@click.argument("handout")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The PNG file to write.",
)
@click.option("--layout", help="Layout (default: the first the handout lists).")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option(
    "--dpi", type=click.IntRange(18, 600), default=100, show_default=True, help="Resolution."
)
@click.option(
    "--target",
    type=click.Choice(["office", "press"]),
    default="office",
    show_default=True,
    help="Preview the office or the press PDF (with bleed and marks).",
)
@_large_print_option
@_brand_option
@_set_option
@click.option("--lang", help="Pick the translation handouts/<id>.<lang>.yaml.")
def preview(
    handout: str,
    output: Path,
    layout: str | None,
    page: int,
    dpi: int,
    target: str,
    large_print: bool,
    brand: str | None,
    sets: tuple[str, ...],
    lang: str | None,
) -> None:
    """Render one page of HANDOUT to a PNG image (a proof, or a picture for a web page)."""
    from .frontdesk import SingleRequest
    from .frontdesk import preview as run
    from .project import Project

    req = SingleRequest(handout, layout, brand, target, _parse_sets(sets), lang, large_print)
    done = run(Project(), req, output, page, dpi)
    click.echo(done.summary())


@cli.command(name="print")
@click.argument("handout")
@click.option("--printer", help="CUPS printer (default: the system default printer).")
@click.option("--copies", type=click.IntRange(1, 500), default=1, show_default=True)
@click.option("--layout", help="Layout (default: the first the handout lists).")
@_large_print_option
@_brand_option
@_set_option
@click.option("--lang", help="Pick the translation handouts/<id>.<lang>.yaml.")
def print_(
    handout: str,
    printer: str | None,
    copies: int,
    layout: str | None,
    large_print: bool,
    brand: str | None,
    sets: tuple[str, ...],
    lang: str | None,
) -> None:
    """Print HANDOUT through CUPS with the layout's paper size and duplex setting."""
    from .frontdesk import SingleRequest, print_handout
    from .project import Project

    req = SingleRequest(handout, layout, brand, "office", _parse_sets(sets), lang, large_print)
    job, pages = print_handout(Project(), req, printer, copies)
    click.echo(
        f"{job.job_id}: '{job.title}' sent to {job.printer} ({pages} page"
        f"{'s' if pages != 1 else ''}, {job.media}, {job.sides}, {job.copies} "
        f"cop{'ies' if job.copies != 1 else 'y'})"
    )


def _output_path(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """An empty value (``--out-dir "$UNSET"``) is refused, not read as the current folder."""
    if value is None:
        return None
    if not value.strip():
        raise click.BadParameter("is empty", param=param)
    return Path(value)


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
    callback=_output_path,
    help="Write one print-ready PDF (each letter starts a new sheet).",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False),
    callback=_output_path,
    help="Write one PDF per row into this folder.",
)
@click.option("--layout", default="letter", show_default=True, help="A layout of kind letter.")
@_brand_option
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

    Writes rejects.csv (record, line, field, reason) and manifest.csv (record, file,
    pages, SHA-256) beside the output. Exit 3 when rows were rejected, 130 when
    interrupted (finish with --resume).
    """
    from .batch import BatchRequest
    from .batch import run as run_batch
    from .errors import BatchRejected
    from .project import Project

    if (merged is None) == (out_dir is None):
        raise click.UsageError("give exactly one of --merged FILE or --out-dir DIR")
    req = BatchRequest(
        handout,
        recipients,
        merged,
        out_dir,
        layout,
        brand,
        jobs,
        resume,
        encoding,
        columns,
        _parse_shard(shard),
        proof,
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
    """Entry point: unexpected errors are one line (no patient data), unless --debug."""
    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if debug:
            raise
        click.echo(
            f"error: internal error ({type(exc).__name__}); run again with --debug for details",
            err=True,
        )
        sys.exit(1)
