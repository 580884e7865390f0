"""The personal values a command is given (``--set``, a mailing's row), before any
template reads them: split into their namespaces, and refused where a value itself cannot
be printed (a line break, a character no font has, right-to-left text, a direction control,
beyond U+FFFF, the replacement character U+FFFD), and invisible characters dropped
(:func:`visible_values`).
Problems name the option, never the value typed."""

from __future__ import annotations

import re
from collections.abc import Mapping

from .errors import HandoutError, Location, Problem
from .fonts import FontSet, describe_chars
from .personal import PERSONAL_NAMESPACES, SET_KEY
from .scripts import direction_refusal, lost_character, unsupported_text, without_invisible


def split_personal(values: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """``{"patient.name": "Ana"}`` → ``{"patient": {"name": "Ana"}}``; raises on bad keys."""
    out: dict[str, dict[str, str]] = {ns: {} for ns in PERSONAL_NAMESPACES}
    bad = [k for k in values if not SET_KEY.match(k)]
    if bad:
        raise HandoutError(
            [
                Problem(
                    cli_location(),
                    "--set",
                    f"{_key_shown(k)} is not a personal field: use patient.NAME, visit.NAME or "
                    "provider.NAME",
                )
                for k in bad
            ]
        )
    for key, value in values.items():
        ns, name = key.split(".", 1)
        out[ns][name] = value
    return out


def _key_shown(key: str) -> str:
    """A ``--set`` key as said in an error: quoted when it looks like a field's name, else
    not at all (``--set "Ana Ruiz, 1950-02-01=x"``: the value typed where the key goes)."""
    if re.fullmatch(r"[A-Za-z0-9_.]{1,60}", key):
        return f"'{key}'"
    return "the text before '=' (not shown: it is not a field's name, it may be a patient's)"


def visible_values(values: Mapping[str, str]) -> dict[str, str]:
    """The values without their invisible characters (soft hyphen, zero-width spaces and
    joiners, BOM: :data:`~handoutpress.scripts.INVISIBLE`); a value that held nothing else is
    not given (its write-in line prints), as an empty one is at the front desk."""
    out = {}
    for key, value in values.items():
        shown = without_invisible(value)
        if shown or not value:
            out[key] = shown
    return out


def cli_location() -> Location:
    """Where a problem in a value given on the command line is: no file, the option."""
    return Location(None)


def value_problems(personal: Mapping[str, str], fonts: FontSet) -> list[Problem]:
    """What :func:`~handoutpress.compose.compose` refuses in the personal values themselves
    (a line break, the replacement character U+FFFD, a character no font prints,
    right-to-left text or beyond U+FFFF), whether or not the text uses them."""
    problems = []
    body = fonts.body_chars
    for key, value in personal.items():
        if value.isascii() and value.isprintable() and body.issuperset(map(ord, value)):
            continue  # (printable ASCII the body face has: nothing below refuses it)
        chars = fonts.missing(value)
        lost = lost_character(value)
        direction = direction_refusal(value)
        if any(ch in value for ch in "\n\r\v\f\x85\u2028\u2029"):
            refused: str | None = "has a line break: a field is one line"
        elif lost is not None:
            refused = lost
        elif direction is not None:  # (the rule batch rows follow too: scripts.py)
            refused = direction
        elif chars:
            refused = f"has characters {fonts.cannot_print} can print ({describe_chars(chars)})"
        else:  # right-to-left, or beyond U+FFFF: never printed wrong
            refused = unsupported_text(value)
        if refused is not None:
            problems.append(Problem(cli_location(), f"--set {key}", refused))
    return problems
