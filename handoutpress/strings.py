"""Fixed texts of the layouts, per language, from ``layouts/strings/<lang>.yaml``.

English is the reference: every other file must have the same keys. A handout
whose language has no strings file falls back to English.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import HandoutError, Problem
from .loading import load_yaml

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


@dataclass(frozen=True)
class Strings:
    language: str
    #: the YAML file's values by key: text, or the month names (a list); only the months'
    #: shape is checked at load, so each value is read as the layouts expect it
    texts: dict[str, Any]

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
        Strings(primary, _load(path, reference))
        if primary != REFERENCE and path.is_file()
        else Strings(REFERENCE, reference)
    )
    _cache[key] = result
    return result


def _load(path: Path, reference: Mapping[str, object] | None) -> dict[str, Any]:
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
    if problems:
        raise HandoutError(problems)
    return dict(doc.data)
