"""What ``check`` found (:class:`CheckReport`: the brand's findings and one
:class:`HandoutReport` per handout: findings, reading level per section, the layouts it fits,
the review) and how it is printed: the verdict line and the table per handout."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import content_rules
from .errors import HandoutError, display_path
from .governance import Finding
from .project import HandoutSource
from .readability import DEFAULT_MAX_GRADE, Reading, primary, supported


@dataclass(frozen=True)
class CheckRequest:
    handouts: Sequence[str] = ()
    brand: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class SectionGrade:
    index: int
    heading: str
    reading: Reading | None
    why: str = ""
    """Why it reads above the plain-language target, when it does."""


@dataclass(frozen=True)
class LayoutResult:
    name: str
    fits: bool
    pages: int | None = None
    #: why it was not laid out at all (instead of "DOES NOT FIT")
    not_made: str = ""

    def describe(self) -> str:
        if self.not_made:
            return f"{self.name} {self.not_made}"
        if not self.fits:
            return f"{self.name} DOES NOT FIT"
        pages = f" ({self.pages} page{'s' if self.pages != 1 else ''})" if self.pages else ""
        return f"{self.name} fits{pages}"


@dataclass
class HandoutReport:
    path: Path
    ident: str
    source: HandoutSource | None = None
    findings: list[Finding] = field(default_factory=list)
    sections: list[SectionGrade] = field(default_factory=list)
    overall: Reading | None = None
    max_grade: float = DEFAULT_MAX_GRADE
    layouts: list[LayoutResult] = field(default_factory=list)
    estimate: content_rules.Estimate | None = None
    #: variables the text uses that a mailing's CSV supplies (patient.first_name, row.*)
    csv_fields: list[str] = field(default_factory=list)


@dataclass
class CheckReport:
    today: dt.date
    brand_findings: list[Finding] = field(default_factory=list)
    handouts: list[HandoutReport] = field(default_factory=list)

    def findings(self) -> list[Finding]:
        """Every finding once: a problem in a file the handouts share (a layout's strings
        file, the brand) is found by each handout's layouts in turn, but said and counted
        once, where it was first found."""
        out = list(self.brand_findings)
        for h in self.handouts:
            out.extend(h.findings)
        return list(dict.fromkeys(out))

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings())

    @property
    def warnings(self) -> int:
        return sum(not f.is_error for f in self.findings())

    def failed(self, strict: bool) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)

    def verdict(self, strict: bool) -> str:
        n = len(self.handouts)
        counts = (
            f"{n} handout{'s' if n != 1 else ''}, {_count(self.errors, 'error')}, "
            f"{_count(self.warnings, 'warning')}"
        )
        if not self.failed(strict):
            return f"check: {counts}: OK"
        why = " (--strict: warnings are failures)" if strict and not self.errors else ""
        return f"check failed: {counts}{why}"

    def summary_lines(self) -> list[str]:
        """The table printed per handout (stdout)."""
        return summary(self)

    def raise_if_failed(self, strict: bool) -> None:
        if self.failed(strict):
            raise HandoutError(self.verdict(strict))


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'s' if n != 1 else ''}"


def summary(report: CheckReport) -> list[str]:
    """The table printed per handout (stdout)."""
    lines: list[str] = []
    for h in report.handouts:
        lines.append(f"{h.ident}  ({display_path(h.path)})")
        if h.source is None:
            lines.append("  not checked further: the file has errors (see above)")
            lines.append("")
            continue
        handout = h.source.handout
        spanish = primary(handout.language) == "es"
        if supported(handout.language):
            formula = "Fernández Huerta (FH)" if spanish else "Flesch-Kincaid"
            measured = f"{formula}, maximum grade {h.max_grade:g}"
        else:
            measured = "not measured (no formula for this language)"
        lines.append(f"  language {handout.language} · reading level: {measured}")
        if h.sections:
            lines.append("  grade" + ("   FH" if spanish else "") + "  section")
            for s in h.sections:
                lines.append(_grade_row(s.reading, s.heading, h.max_grade, spanish))
                if s.why:
                    lines.append("        " + ("     " if spanish else "") + s.why)
            words = h.overall.words if h.overall else 0
            lines.append(_grade_row(h.overall, f"whole handout ({words} words)", h.max_grade,
                                    spanish))  # fmt: skip
        if h.estimate is not None:
            lines.append("  " + h.estimate.describe())
        if h.layouts:
            lines.append("  layouts: " + " · ".join(r.describe() for r in h.layouts))
        if h.csv_fields:
            lines.append("  supplied by the CSV (batch): " + ", ".join(h.csv_fields))
        lines.append("  review: " + _review_line(h.source, report.today))
        lines.append("")
    return lines


def _grade_row(reading: Reading | None, label: str, limit: float, spanish: bool) -> str:
    if reading is None:
        grade, fh = "    –", "    –"
    else:
        grade = f"{reading.grade:5.1f}"
        fh = f"{reading.score:5.0f}" if reading.score is not None else "    –"
    over = "  <- above the maximum" if reading is not None and reading.grade > limit + 1e-9 else ""
    return f"  {grade}" + (f"{fh}" if spanish else "") + f"  {label}{over}"


def _review_line(source: HandoutSource, today: dt.date) -> str:
    review = source.handout.review
    parts = [
        "draft (DRAFT mark on every page)"
        if review.status == "draft"
        else f"approved by {review.reviewed_by}"
    ]
    if review.next_review is None:
        parts.append("no next review date")
    elif review.next_review < today:
        parts.append(f"next review was due {review.next_review.isoformat()}: OVERDUE")
    else:
        days = (review.next_review - today).days
        parts.append(f"next review {review.next_review.isoformat()} (in {days} days)")
    return " · ".join(parts)
