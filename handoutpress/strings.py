"""Fixed texts of the layouts, per language, from ``layouts/strings/<lang>.yaml``.

English is the reference: every other file must have the same keys. A handout
whose language has no strings file falls back to English.

Words of a text in another language than the file's are written as in the handouts'
Markdown, ``[STAFF COPY (Spanish)]{lang=en}``: the layouts draw the words alone (the marks
never show), and a tagged PDF gives them a ``Span`` with their ``/Lang``
(:meth:`Strings.runs`). A mark that is not one is a located error at the file's line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import HandoutError, Problem
from .language_tags import language_problem
from .loading import Document, load_yaml

REFERENCE = "en"

#: every text the layouts draw (``layouts/strings/<lang>.yaml`` has each, nothing else): a
#: key misspelt in the reference file is a located error, not a KeyError while drawing. A
#: new text goes here and in every strings file (tests/test_geometry.py compares them)
KEYS = frozenset(
    [
        "questions",
        "after_hours",
        "after_hours_short",
        "page_of",
        "revised",
        "continues",
        "notes",
        "more_notes",
        "continued",
        "logo_alt",
        "patient_information",
        "sample_short",
        "sample_long",
        "sample_where",
        "draft_short",
        "draft_long",
        "proof",
        "dear",
        "dear_patient",
        "sign_off",
        "months",
        "month_year",
        "long_date",
        "short_date",
        "date_hint",
        "body_front",
        "body_back",
        "side_left",
        "side_right",
        "body_map_blank",
        "months_short",
        "date_time",
        "ticked",
        "not_ticked",
        "pain_log_day",
        "pain_log_day_heading",
        "pain_log_morning",
        "pain_log_evening",
        "pain_none",
        "pain_worst",
        "staff_prefix",
        "staff_copy_short",
        "staff_copy_long",
    ]
)


#: words in another language in a text: ``[words]{lang=en}`` (no brackets inside)
FOREIGN = re.compile(r"\[([^\[\]]*)\]\{lang=([^}\s]*)\}")
#: what a mark for words in another language starts with, written right or not
_NEAR_MARK = re.compile(r"\{\s*lang\s*[=:]")

#: a piece of a drawn text and its language (None: the strings file's own)
Run = tuple[str, str | None]
#: a strings file's values by key: text, or the month names (a list); only the months'
#: shape is checked at load, so each value is read as the layouts expect it
Texts = dict[str, Any]


@dataclass(frozen=True)
class Strings:
    language: str
    texts: Texts
    """The texts as the layouts draw them (the marks of words in another language taken
    out, their words kept)."""
    foreign: tuple[tuple[str, str], ...] = field(default=())
    """(words, language) of every text's words in another language, as marked."""

    def runs(self, text: str) -> list[Run]:
        """``text`` (drawn from these strings, e.g. a footer's marks joined) in pieces: the
        words marked as another language, each with its language, and the rest (None)."""
        out: list[Run] = []
        rest = text
        while rest:
            hits = [(rest.find(w), w, lang) for w, lang in self.foreign if w and w in rest]
            if not hits:
                break
            at, words, lang = min(hits, key=lambda h: (h[0], -len(h[1])))
            if at:
                out.append((rest[:at], None))
            out.append((words, lang))
            rest = rest[at + len(words) :]
        if rest:
            out.append((rest, None))
        return out

    def __call__(self, key: str, **values: object) -> str:
        return str(self.texts[key]).format(**values)

    def month_year(self, date: dt.date) -> str:
        return self("month_year", month=self.texts["months"][date.month - 1], year=date.year)

    def long_date(self, date: dt.date) -> str:
        month = self.texts["months"][date.month - 1]
        return self("long_date", month=month, day=date.day, year=date.year)

    def short_date(self, date: dt.date) -> str:
        """A date for a narrow write-in line: "Sep 30, 2026" (``long_date`` where it fits)."""
        month = self.texts["months_short"][date.month - 1]
        return self("short_date", month=month, day=date.day, year=date.year)

    def date_time(self, date: dt.date, time: dt.time) -> str:
        """A date and time, short enough for a write-in line: "Dec 4, 2026, 10:30"."""
        month = self.texts["months_short"][date.month - 1]
        return self("date_time", month=month, day=date.day, year=date.year, time=f"{time:%H:%M}")


_cache: dict[tuple[Path, str], Strings] = {}


def strings_for(language: str, folder: Path | None = None) -> Strings:
    """The strings for ``language`` (``es-MX`` uses ``es.yaml``), else English."""
    if folder is None:
        from .project import find_root

        folder = find_root() / "layouts" / "strings"
        if not folder.is_dir():
            folder = Path(__file__).resolve().parent.parent / "layouts" / "strings"
    primary = language.split("-")[0].lower()
    key = (folder, primary)
    if key in _cache:
        return _cache[key]
    reference = _load(folder / f"{REFERENCE}.yaml", None)
    path = folder / f"{primary}.yaml"
    result = (
        _strings(primary, _load(path, reference))
        if primary != REFERENCE and path.is_file()
        else _strings(REFERENCE, reference)
    )
    _cache[key] = result
    return result


def _strings(language: str, texts: Texts) -> Strings:
    """The strings of ``texts`` (as :func:`_load` read them), their marks taken out."""
    foreign: dict[tuple[str, str], None] = {}
    plain: Texts = {}
    for key, value in texts.items():
        if isinstance(value, str):
            for m in FOREIGN.finditer(value):
                foreign[(m.group(1), m.group(2))] = None
            value = FOREIGN.sub(lambda m: m.group(1), value)
        plain[key] = value
    return Strings(language, plain, tuple(foreign))


def _mark_problems(doc: Document) -> list[Problem]:
    """A located problem for each mark of words in another language that is not one: a
    language tag that is not one, or a ``{lang=…}`` not right after ``[words]``."""
    assert isinstance(doc.data, dict)
    out = []
    for key, value in doc.data.items():
        if not isinstance(value, str):
            continue
        where = doc.locate((key,))
        marked = set()
        for m in FOREIGN.finditer(value):
            marked.add(m.start(2) - len("{lang="))
            problem = language_problem(m.group(2))
            if problem is not None:
                out.append(Problem(where, str(key), problem))
        for m in _NEAR_MARK.finditer(value):
            if m.start() not in marked:
                out.append(
                    Problem(
                        where,
                        str(key),
                        f"'{value[m.start() : value.find('}', m.start()) + 1 or None]}': words "
                        "in another language are written [words]{lang=en}: the language mark "
                        "right after the closing bracket, with no spaces",
                    )
                )
    return out


def _load(path: Path, reference: Mapping[str, object] | None) -> Texts:
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise HandoutError([Problem(doc.locate(()), "", "expected key: text lines")])
    problems = []
    if reference is not None:
        for k in reference:
            if k not in doc.data:
                problems.append(
                    Problem(doc.locate(()), k, "missing (every key of en.yaml is needed)")
                )
        for k in doc.data:
            if k not in reference:
                problems.append(Problem(doc.locate_key((k,)), k, "unknown key (not in en.yaml)"))
    else:  # the reference: every key the layouts draw, and no other
        for k in sorted(KEYS - set(doc.data)):
            problems.append(Problem(doc.locate(()), k, "missing (the layouts draw it)"))
        for k in doc.data:
            if k not in KEYS:
                close = difflib.get_close_matches(str(k), sorted(KEYS), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                problems.append(Problem(doc.locate_key((k,)), str(k), f"unknown key{hint}"))
    months = doc.data.get("months")
    if not isinstance(months, list) or len(months) != 12:
        problems.append(Problem(doc.locate(("months",)), "months", "expected 12 month names"))
    problems += _mark_problems(doc)
    if problems:
        raise HandoutError(problems)
    return dict(doc.data)
