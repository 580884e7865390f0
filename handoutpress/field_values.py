"""A handout's personal field with the value given for it (``--set``, a mailing's row)
checked against its kind: ticked choices (by name or number), body-map regions, a date in
words, or text; a write-in line when none is given. Problems name the option, never the
value typed."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from .bodymap import Region, parse_regions
from .errors import HandoutError, Location, Problem
from .markdown import Inline, plain_text
from .models import FieldDef
from .strings import strings_for
from .template_values import MAX_TEXT


def refuse_too_long(values: Mapping[str, str]) -> None:
    """Raise one HandoutError if a personal value (``--set``, the front desk's form) is
    longer than any text may be (:data:`~handoutpress.template_values.MAX_TEXT`): refused
    before anything is loaded or laid out (a 1 MB name took ReportLab half a minute to find
    too long for its line). The problem names the field and the length, never the value."""
    problems = [
        Problem(
            Location(None),
            f"--set {key}",
            f"too long: {len(value):,} characters (at most {MAX_TEXT:,}); a field is one "
            "line: shorten it",
        )
        for key, value in values.items()
        if len(value) > MAX_TEXT
    ]
    if problems:
        raise HandoutError(problems)


def quote_hint(exc: HandoutError, values: Mapping[str, str]) -> HandoutError:
    """``--set visit.date=Nov 27, 2026`` without quotes gives the handouts ``27,`` and
    ``2026``: with ``--set`` values given, an unknown handout says that values with spaces
    need quotes."""
    unknown = [p for p in exc.problems if p.message.startswith("unknown handout '")]
    if not values or not unknown:
        return exc
    hint = (
        "; if it is the rest of a --set value, put the value in quotes: "
        '--set visit.date="Nov 27, 2026"'
    )
    return HandoutError(
        replace(p, message=p.message + hint) if p in unknown else p for p in exc.problems
    )


@dataclass(frozen=True)
class FieldEntry:
    """A personal field ready to draw: its kind and, when given, its value.

    ``value`` is the text shown (a date in words, the ticked choices or the regions'
    names joined by "; "), None for a write-in line."""

    key: str
    label: Inline
    kind: str
    """``text``, ``date``, ``choices`` or ``body-map``."""
    value: str | None = None
    choices: tuple[Inline, ...] = ()
    #: indices of the ticked choices
    ticked: tuple[int, ...] = ()
    #: the marked regions (``body-map``), in the order given
    regions: tuple[Region, ...] = ()
    #: a shorter form of ``value`` for a line too narrow for it (a date: "Sep 30, 2026")
    short: str | None = None


def field_entry(
    f: FieldDef,
    label: Inline,
    choices: tuple[Inline, ...],
    given: str | None,
    language: str,
    problems: list[Problem],
) -> FieldEntry:
    """A field with its ``--set`` value checked against its kind: ticked choices, body-map
    regions or a date (problems name the option, never the value typed)."""
    kind = "choices" if f.choices else f.kind
    if given is None:
        return FieldEntry(f.key, label, kind, None, choices)

    def bad(message: str) -> FieldEntry:
        problems.append(Problem(Location(None), f"--set {f.key}", message))
        return FieldEntry(f.key, label, kind, None, choices)

    items = [x.strip() for x in given.split(";") if x.strip()]
    if kind == "choices":
        names = [plain_text(c) for c in choices]
        folded = [n.casefold() for n in names]
        ticked: list[int] = []
        for n, item in enumerate(items, start=1):
            if item.casefold() in folded:
                ticked.append(folded.index(item.casefold()))
                continue
            if item.isdigit() and 1 <= int(item) <= len(names):  # by number, in any language
                ticked.append(int(item) - 1)
                continue
            close = difflib.get_close_matches(item.casefold(), folded, n=1, cutoff=0.5)
            hint = f"did you mean '{names[folded.index(close[0])]}'?" if close else ""
            which = f"item {n}" if len(items) > 1 else "the value"
            return bad(
                f"{which} is not one of the choices ({hint + '; ' if hint else ''}"
                f"choices: {', '.join(names)}, or their numbers 1 to {len(names)}; "
                "separate several with ';')"
            )
        ticked = sorted(set(ticked))
        shown = "; ".join(names[t] for t in ticked)
        return FieldEntry(f.key, label, kind, shown, choices, tuple(ticked))
    if kind == "body-map":
        regions, wrong = parse_regions(given)
        if wrong:
            n, nearest = wrong[0]
            which = f"item {n}" if len(items) > 1 else "the value"
            hint = (
                f"did you mean '{nearest}'?" if nearest else "see handouts/README.md for the list"
            )
            return bad(f"{which} is not a body-map region ({hint}); separate several with ';'")
        shown = "; ".join(r.name(language) for r in regions)
        return FieldEntry(f.key, label, kind, shown or None, choices, (), tuple(regions))
    if kind == "date":
        dated = _dated(given, language)
        if dated is None:
            return bad("expected a date as YYYY-MM-DD, or a date and time as YYYY-MM-DD HH:MM")
        day, clock = dated
        words = strings_for(language)
        shown = words.long_date(day) if clock is None else words.date_time(day, clock)
        short = words.short_date(day) if clock is None else None
        return FieldEntry(f.key, label, kind, shown, choices, short=short)
    return FieldEntry(f.key, label, kind, given, choices)


def _dated(given: str, language: str) -> tuple[dt.date, dt.time | None] | None:
    """A date field's value as a day (and a time of day), None when it is not a date."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2}))?", given.strip())
    try:
        if m:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            clock = dt.time(int(m.group(4)), int(m.group(5))) if m.group(4) else None
            return day, clock
        return _date_in_words(given, language), None
    except ValueError:
        return None


def text_values(
    fields: Iterable[FieldDef], given: Mapping[str, str], language: str
) -> dict[str, str]:
    """The personal values as ``{{ visit.date }}`` prints them in text: a date field's date
    written in the handout's language, as on its own line ("November 20, 2026", not the
    ``2026-11-20`` typed); the others as given. (A date that is not one stays as typed: its
    field's problem stops the build.)"""
    out = dict(given)
    words = None
    for f in fields:
        value = given.get(f.key)
        if f.kind != "date" or f.choices or not value:
            continue
        dated = _dated(value, language)
        if dated is None:
            continue
        words = words or strings_for(language)
        day, clock = dated
        out[f.key] = words.long_date(day) if clock is None else words.date_time(day, clock)
    return out


#: words that may stand between a date's parts ("27 de noviembre de 2026")
_DATE_CONNECTORS = frozenset({"de", "del", "of", "the"})


def _folded(word: str) -> str:
    """``Diciembre.`` → ``diciembre`` (no accents, no case, no full stop)."""
    bare = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return bare.casefold().rstrip(".")


def _date_in_words(given: str, language: str) -> dt.date:
    """A date with its month in words, in English or the handout's language ("Nov 27, 2026",
    "November 27, 2026", "27 de noviembre de 2026"): one month, a day (1 or 2 digits) and a
    year (4 digits), in any order. Anything else is a ValueError."""
    months: dict[str, int] = {}
    for words in (strings_for("en"), strings_for(language)):
        for key in ("months", "months_short"):
            for number, name in enumerate(words.texts[key], start=1):
                months[_folded(name)] = number
    month = day = year = None
    for token in re.split(r"[\s,]+", given.strip()):
        word = _folded(token)
        if token.isdigit() and len(token) <= 2 and day is None:
            day = int(token)
        elif token.isdigit() and len(token) == 4 and year is None:
            year = int(token)
        elif word in months and month is None:
            month = months[word]
        elif word not in _DATE_CONNECTORS:
            raise ValueError(token)
    if month is None or day is None or year is None:
        raise ValueError(given)
    return dt.date(year, month, day)


def printed_value(
    personal: Mapping[str, str], extra: Mapping[str, Mapping[str, object]] | None, name: str
) -> object:
    """The recipient's value a template prints as ``name`` (``patient.first_name``: from
    ``--set`` or the CSV; ``row.visit_day``: from ``extra``), or None."""
    if name in personal:
        return personal[name]
    ns, _, key = name.partition(".")
    namespace = (extra or {}).get(ns)
    return namespace.get(key) if isinstance(namespace, Mapping) else None
