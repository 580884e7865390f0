"""The row check of ``batch``: a chunk's CSV rows → the letters to draw (:class:`Letter`)
and the rows refused, with what the summary counts (:class:`CheckedRows`). Runs in the
worker that draws the chunk (:func:`.worker.run_chunk`), from the run's
:class:`~.job.Job`; the parent only reads the file."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..addressing import Addressee
from ..recipients import Recipient, Reject, validate
from ..strings import strings_for

if TYPE_CHECKING:
    from .job import Job

#: a CSV row as read: (record, line, cells)
CsvRow = tuple[int, int, list[str]]
#: a recipient's values by template name (``patient.city``, ``row.visit_day``)
Values = tuple[tuple[str, str], ...]


@dataclass
class Letter:
    """One letter to draw (what a worker needs; pickled to the pool)."""

    record: int
    line: int
    #: the key of the recipient's language in :attr:`Job.sources`
    lang: str
    addressee: Addressee
    #: the personal values (``patient.*`` and ``visit.*`` style columns), when the
    #: language's letter has text of its own
    personal: Values | None = None
    #: every column by its template name (``row.visit_day``), idem
    row: Values = ()


@dataclass
class CheckedRows:
    """A chunk's rows checked: letters to draw, rows refused, what the summary counts."""

    letters: list[Letter] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    #: (record, name-and-address hash) of every good row, for the duplicate warning
    keys: list[tuple[int, int]] = field(default_factory=list)
    fallbacks: Counter[str] = field(default_factory=Counter)
    zip_restored: int = 0


def lang_key(job: Job, tag: str) -> tuple[str, str | None]:
    """The sources key for a recipient's language, and the tag when it falls back (no
    language: the handout as named, under its language's key, one renderer for both)."""
    if not tag:
        return job.default_lang, None
    if tag in job.sources:
        return tag, None
    primary = tag.split("-")[0]
    if primary in job.sources:
        return primary, None
    return job.default_lang, tag if tag != "?" else "unrecognised"


def letter_for(job: Job, r: Recipient, fallbacks: Counter[str]) -> Letter | Reject:
    a = r.addressee(job.geo)
    lang, fell_back = lang_key(job, r.language)
    if lang in job.drafts:
        return Reject(
            r.record,
            r.line,
            "language",
            f"asks for '{lang}', whose translation is a draft (review.status): approve "
            "the translation, or make this row with --proof",
        )
    if fell_back:
        fallbacks[fell_back] += 1
    greeting = ""
    if a.greeting_name:
        key = (lang, a.greeting_name)
        greeting = job.greetings.get(key, "")
        if not greeting:  # (first names repeat: each greeting made once)
            words = job.words.get(lang)
            if words is None:
                words = job.words[lang] = strings_for(job.sources[lang].handout.language)
            greeting = words("dear", name=a.greeting_name)
            if len(job.greetings) > 4096:
                job.greetings.clear()
            job.greetings[key] = greeting
    problems = job.geo.check(a, greeting)
    if problems:
        fld, reason = problems[0]
        return Reject(r.record, r.line, fld, reason)
    personal = None
    row: Values = ()
    if job.per_recipient(lang):
        values = r.template_values(job.src.headers)
        personal = tuple((k, v) for k, v in values.items() if v)
        row = r.extra
    return Letter(r.record, r.line, lang, a, personal, row)


def check_rows(job: Job, rows: list[CsvRow]) -> CheckedRows:
    """Check a chunk's rows (in the worker: the parent only reads the file)."""
    out = CheckedRows()
    for record, line, cells in rows:
        valid = validate(job.src, record, line, cells, job.geo.fonts)
        got = valid if isinstance(valid, Reject) else letter_for(job, valid, out.fallbacks)
        if isinstance(got, Reject):
            out.rejects.append(got)
            continue
        assert isinstance(valid, Recipient)
        out.keys.append((record, valid.duplicate_key()))
        out.zip_restored += valid.zip_restored
        out.letters.append(got)
    return out
