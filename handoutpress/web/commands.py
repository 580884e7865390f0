"""``serve``, ``staff`` and ``usage``: Click only (options in, one call, summary out).

Registered on the ``handouts`` group by :mod:`handoutpress.cli`. Flask, cheroot and argon2
are imported inside the commands, so other commands do not pay for them.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import HandoutError
from ..options import BRAND

if TYPE_CHECKING:
    from .staff import StaffStore


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port (0: any free port).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
@BRAND
@click.option(
    "--tls-cert",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TLS certificate (PEM), for a clinic network.",
)
@click.option(
    "--tls-key", type=click.Path(dir_okay=False, path_type=Path), help="Its private key (PEM)."
)
def serve(
    host: str,
    port: int,
    open_browser: bool,
    brand: str | None,
    tls_cert: Path | None,
    tls_key: Path | None,
) -> None:
    """The front-desk web page: find, fill, preview and print a handout."""
    from ..brand_files import check_brand
    from ..project import Project
    from . import data_dir
    from .server import ServeRequest
    from .server import serve as run

    # an unknown brand, or one build refuses (a missing logo, a name with direction
    # controls …), is an error before anything listens
    check_brand(Project().brand_source(brand))
    req = ServeRequest(host, port, brand, tls_cert, tls_key, data_dir(), open_browser)
    run(req, lambda line: click.echo(line))


@click.group()
def staff() -> None:
    """Staff logins for the front desk on a clinic network."""


def _store() -> StaffStore:
    from . import data_dir
    from .staff import StaffStore

    return StaffStore(data_dir() / "staff.sqlite3")


def _staff_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """NAME checked before the password is asked for (``staff add ""`` asked first)."""
    from .staff import StaffError, check_name

    try:
        return check_name(value)
    except StaffError as exc:
        raise HandoutError(f"staff add: {exc}") from None


def _ask_password() -> str:
    """The password, typed twice: hidden at a terminal; from two lines of standard input
    otherwise (a script), without getpass's warning that it cannot hide what is typed."""
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    first, again = sys.stdin.readline().rstrip("\r\n"), sys.stdin.readline().rstrip("\r\n")
    if first != again:
        raise HandoutError("staff add: password: the two passwords given do not match")
    return first


@staff.command("add")
@click.argument("name", callback=_staff_name)
@click.option("--password", help="The password (asked for, twice, when not given).")
def staff_add(name: str, password: str | None) -> None:
    """Add staff member NAME (or set a new password); asks for the password."""
    from .staff import StaffError

    if password is None:
        password = _ask_password()
    try:
        _store().add(name, password)
    except StaffError as exc:
        raise HandoutError(f"staff add: {exc}") from None
    click.echo(f"staff login '{name}' saved")


@staff.command("remove")
@click.argument("name")
def staff_remove(name: str) -> None:
    """Remove staff member NAME."""
    if not _store().remove(name.strip()):
        raise HandoutError(f"staff remove: no staff login named '{name.strip()}'")
    click.echo(f"staff login '{name.strip()}' removed")


@staff.command("list")
def staff_list() -> None:
    """List staff logins (names only)."""
    names = _store().names()
    for name in names:
        click.echo(name)
    if not names:
        click.echo("no staff logins (add one: handouts staff add NAME)")


@click.command()
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only from this day on (YYYY-MM-DD).",
)
@click.option("--csv", "as_csv", is_flag=True, help="CSV for a spreadsheet.")
def usage(since: dt.datetime | None, as_csv: bool) -> None:
    """Handouts printed or downloaded from the front desk, per day (no patient data)."""
    from . import data_dir
    from .tally import Tally, as_table
    from .tally import as_csv as to_csv

    rows = Tally(data_dir() / "usage.sqlite3").rows(since.date() if since else None)
    if as_csv:
        click.echo(to_csv(rows), nl=False)
    else:
        for line in as_table(rows):
            click.echo(line)
