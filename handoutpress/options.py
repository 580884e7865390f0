"""Command-line options that several commands take, defined once (``cli.py``, ``web/``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

#: a command's function, and what an option does to one
Command = Callable[..., None]
Decorator = Callable[[Command], Command]


def _parse_sets(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> dict[str, str]:
    """``--set KEY=VALUE`` (repeatable) → a mapping. What was typed is never echoed (without
    an ``=`` it is as likely a patient's name as a key), and a key given twice is refused:
    one of two names would print with nothing said."""
    out: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(
                "expected KEY=VALUE, e.g. --set patient.name='Ana Ruiz'", param_hint="--set"
            )
        if key.strip() in out:
            raise click.BadParameter(f"{key.strip()} is given twice", param_hint="--set")
        out[key.strip()] = value
    return out


def _options(*decorators: Decorator) -> Decorator:
    """Several options as one decorator (listed in --help in the order given)."""

    def apply(f: Command) -> Command:
        for decorate in reversed(decorators):
            f = decorate(f)
        return f

    return apply


BRAND = click.option("--brand", help="Brand name in layouts/brands/ or path to a brand YAML file.")
SETS = click.option(
    "--set",
    "values",
    multiple=True,
    metavar="KEY=VALUE",
    callback=_parse_sets,
    help="Fill a personal field, e.g. --set patient.name='Ana Ruiz'.",
)


def lang_option(help: str) -> Decorator:
    """``--lang LANG``: which translation (``handouts/<id>.<lang>.yaml``)."""
    return click.option("--lang", help=help)


def layout_option(help: str, default: str | None = None) -> Decorator:
    """``--layout NAME``: a layout by name (``layouts/<name>.yaml``) or a path to one."""
    return click.option("--layout", default=default, show_default=default is not None, help=help)


def output_path(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """An empty value (``--out-dir "$UNSET"``) is refused, not read as the current folder."""
    if value is None:
        return None
    if not value.strip():
        raise click.BadParameter("is empty", param=param)
    return Path(value)


def out_dir_option(help: str, default: str | None = None) -> Decorator:
    """``--out-dir DIR``: the folder written into (never empty)."""
    return click.option(
        "--out-dir",
        type=click.Path(file_okay=False),
        default=default,
        callback=output_path,
        show_default=default is not None,
        help=help,
    )


def output_option(help: str, required: bool = False) -> Decorator:
    """``-o/--output FILE``: the one file written (never empty)."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False),
        callback=output_path,
        required=required,
        help=help,
    )


LANG = lang_option("Pick the translation handouts/<id>.<lang>.yaml.")
STAFF_COPY = click.option(
    "--staff-copy",
    is_flag=True,
    help="The staff copy: with the sections for staff (audience: staff) and STAFF COPY on every "
    "page (build writes it as <id>-<layout>-staff.pdf).",
)


def target_option(help: str) -> Decorator:
    return click.option(
        "--target",
        type=click.Choice(["office", "press"]),
        default="office",
        show_default=True,
        help=help,
    )


def pdfx_option(help: str) -> Decorator:
    return click.option(
        "--pdfx",
        type=click.Choice(["x4", "x1a"]),
        default="x4",
        show_default=True,
        help=help,
    )


def large_print_option(help: str) -> Decorator:
    return click.option("--large-print", is_flag=True, help=help)


#: one handout in one layout (preview, print): the layout and how it is filled
ONE_HANDOUT: Decorator = _options(
    layout_option("Layout (default: the first the handout lists)."),
    large_print_option("Use the large-print layout (18 pt body) unless --layout names one."),
    BRAND,
    SETS,
    LANG,
    STAFF_COPY,
)
