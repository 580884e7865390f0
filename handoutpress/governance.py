"""Review governance: is this content approved, and is its review still current?

A clinician stands behind a handout by approving it (``review.status:
approved`` with ``reviewed_by``) and naming when it must be read again
(``review.next_review``). The rules:

========================  =================  =================
situation                 build, check       batch (mailing)
========================  =================  =================
``status: draft``         warning            warning
``next_review`` passed    warning            **error**
approved, no next_review  warning            warning
========================  =================  =================

Draft pages also carry a DRAFT mark (drawn by the layouts). A mailing goes to
many patients at once, so content past its review date is refused there.

For ``batch``: call :func:`require_current_review` before producing anything; it
logs the warnings and raises :class:`HandoutError` (exit 1) for the errors.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Literal

from .errors import HandoutError, Problem
from .project import HandoutSource

log = logging.getLogger(__name__)

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """A problem with a level. Warnings print as ``path:line:col: field: warning: message``."""

    level: Level
    problem: Problem

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def __str__(self) -> str:
        if self.is_error:
            return str(self.problem)
        p = self.problem
        return str(Problem(p.location, p.field, f"warning: {p.message}"))


def warning(problem: Problem) -> Finding:
    return Finding("warning", problem)


def error(problem: Problem) -> Finding:
    return Finding("error", problem)


def log_warning(finding: Finding) -> None:
    """Log a located warning; the CLI prints it as the line itself (no ``warning:`` prefix)."""
    log.warning("%s", finding, extra={"located": True})


def review_problems(
    source: HandoutSource, today: dt.date, for_batch: bool = False
) -> list[Finding]:
    """Findings about ``source``'s review status and date as of ``today``.

    ``for_batch=True``: a passed ``next_review`` is an error (a mailing must not send
    content nobody has re-approved); otherwise every finding is a warning.
    """
    review = source.handout.review
    doc = source.doc
    out: list[Finding] = []
    if review.status == "draft":
        out.append(
            warning(
                Problem(
                    doc.locate(("review", "status")),
                    "review.status",
                    "draft: not yet approved by a clinician; every page carries a DRAFT mark",
                )
            )
        )
    if review.next_review is None:
        if review.status == "approved":
            out.append(
                warning(
                    Problem(
                        doc.locate_key(("review",)),
                        "review.next_review",
                        "approved content needs a next_review date (we suggest 1 to 2 years)",
                    )
                )
            )
    elif review.next_review < today:
        days = (today - review.next_review).days
        problem = Problem(
            doc.locate(("review", "next_review")),
            "review.next_review",
            f"review was due on {review.next_review.isoformat()} ({days} day"
            f"{'s' if days != 1 else ''} ago): have a clinician review this handout, "
            "then set review.reviewed_by and a new next_review date",
        )
        out.append(error(problem) if for_batch else warning(problem))
    return out


def require_current_review(source: HandoutSource, today: dt.date) -> None:
    """For ``batch``: log review warnings; raise HandoutError if the review date has passed."""
    findings = review_problems(source, today, for_batch=True)
    for f in findings:
        if not f.is_error:
            log_warning(f)
    errors = [f.problem for f in findings if f.is_error]
    if errors:
        raise HandoutError(
            [
                Problem(
                    p.location,
                    p.field,
                    p.message + "; batch refuses content past its review date",
                )
                for p in errors
            ]
        )
