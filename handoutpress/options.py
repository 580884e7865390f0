"""Command-line options that several commands take, defined once (``cli.py``, ``web/``)."""

from __future__ import annotations

from collections.abc import Callable

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
LANG = click.option("--lang", help="Pick the translation handouts/<id>.<lang>.yaml.")
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
    click.option("--layout", help="Layout (default: the first the handout lists)."),
    large_print_option("Use the large-print layout (18 pt body) unless --layout names one."),
    BRAND,
    SETS,
    LANG,
    STAFF_COPY,
)
