"""What every worker of a ``batch`` run needs (:class:`Job`), set before the pool forks
and read through :func:`current_job`: the mailing plan, the CSV, the window, the letters
laid out once. The row check (:mod:`.rowcheck`) and the drawing (:mod:`.worker`) read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from ..addressing import Window
from ..build import MailingPlan
from ..compose import Composed
from ..fonts import FontSet, brand_fonts
from ..markdown_memo import MarkdownMemo
from ..models import Layout
from ..project import HandoutSource
from ..recipients import CsvSource
from ..strings import Strings
from .compositions import Compositions

if TYPE_CHECKING:
    from ..mailmerge import MailMerge
    from .filetemplate import FileTemplate


@dataclass
class Job:
    """Everything a worker needs, set before the pool forks."""

    #: the mailing as planned (:func:`~handoutpress.build.plan_mailing`; its date the
    #: job's, kept through ``--resume``): every letter is composed and drawn through it
    plan: MailingPlan
    #: per language key: the sections laid out per recipient (None: the whole letter)
    personal: dict[str, frozenset[int] | None]
    #: the PDF dates (seconds since 1970 UTC): from SOURCE_DATE_EPOCH or the job's date
    timestamp: int
    pad_to: int
    merged: bool
    out_dir: Path
    parts_dir: Path
    src: CsvSource
    #: the envelope window: each recipient's address is checked against it
    geo: Window
    #: language keys whose translation is a draft: rows asking for one are rejected
    drafts: frozenset[str] = frozenset()
    renderers: dict[str, MailMerge] = field(default_factory=dict)
    #: ``--out-dir``: per language key, the letter composed once for every recipient whose
    #: language has no text of its own (the same frozen value for each of them)
    composed: dict[str, Composed] = field(default_factory=dict)
    words: dict[str, Strings] = field(default_factory=dict)
    #: "Dear …," by (language key, greeting name), for the row check
    greetings: dict[tuple[str, str], str] = field(default_factory=dict)
    #: the Markdown of the recipients' texts, parsed once for all (not once per row)
    parses: MarkdownMemo = field(default_factory=MarkdownMemo)
    #: the personal sections composed, by the recipient values they read
    compositions: Compositions = field(default_factory=Compositions)
    #: per language key: the columns the row check checks the values of (``rowcheck``)
    checked_columns: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)
    #: ``--out-dir`` files from byte templates (False: each laid out on its own; tests)
    use_templates: ClassVar[bool] = True
    #: ``--out-dir``: per (language key, addressee shape, extra characters), the letter
    #: serialised once (:mod:`.filetemplate`); None: that shape is made the full way
    templates: dict[tuple[str, tuple[bool, int, bool], str], FileTemplate | None] = field(
        default_factory=dict
    )

    @property
    def layout(self) -> Layout:
        return self.plan.layout

    @property
    def sources(self) -> dict[str, HandoutSource]:
        """Per language key (``""``: the handout as named, also under its own language)."""
        return self.plan.sources

    @cached_property
    def default_lang(self) -> str:
        """The key of the handout as named (its language's primary subtag; asked per row)."""
        return self.sources[""].handout.language.split("-")[0].lower()

    @cached_property
    def fonts(self) -> FontSet:
        """The brand's fonts, which every letter is composed with."""
        return brand_fonts(self.plan.brand.brand, self.plan.brand.path)

    def per_recipient(self, lang: str) -> bool:
        """Does a letter in ``lang`` have text of its own (laid out for each recipient)?"""
        own = self.personal[lang]
        return own is None or bool(own)


_JOB: Job | None = None


def set_job(job: Job | None) -> None:
    global _JOB
    _JOB = job


def current_job() -> Job:
    assert _JOB is not None, "set_job() before the chunks are drawn"
    return _JOB
