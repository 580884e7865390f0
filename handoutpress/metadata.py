"""PDF metadata, made in one place: what a PDF says about itself is the handout's, never a
recipient's.

Every PDF we write (``build``, ``preview``'s source, ``print``, every ``batch`` file) takes
its document information (and XMP, where a writer adds it) from :func:`for_handout`, which reads
only public values: the title and subtitle rendered with every recipient-derived variable
withheld (``patient.*``, ``visit.*``, ``provider.*``, a mailing's ``row.*``; see
``Composed.public_title``), the brand's name and the form number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from . import __version__
from .compose import Composed

CREATOR = f"Handout Press {__version__}"
PRODUCER = f"Handout Press {__version__} (ReportLab)"


class _InfoCanvas(Protocol):
    def setTitle(self, title: str | None) -> None: ...
    def setAuthor(self, author: str | None) -> None: ...
    def setSubject(self, subject: str | None) -> None: ...
    def setCreator(self, creator: str | None) -> None: ...
    def setProducer(self, producer: str | None) -> None: ...
    def setKeywords(self, keywords: str | None) -> None: ...


@dataclass(frozen=True)
class PdfMetadata:
    """The document information of one PDF."""

    title: str
    subject: str
    author: str
    keywords: str
    lang: str
    creator: str = CREATOR
    producer: str = PRODUCER

    def doc_template_args(self) -> dict[str, str]:
        """Keyword arguments for a ReportLab ``BaseDocTemplate``."""
        return {
            "title": self.title,
            "subject": self.subject,
            "author": self.author,
            "creator": self.creator,
            "producer": self.producer,
            "keywords": self.keywords,
            "lang": self.lang,
        }

    def apply(self, canv: _InfoCanvas) -> None:
        """Set on a canvas drawn directly (``batch``; its language is set when it is made)."""
        canv.setTitle(self.title)
        canv.setAuthor(self.author)
        canv.setSubject(self.subject)
        canv.setCreator(self.creator)
        canv.setProducer(self.producer)
        canv.setKeywords(self.keywords)


def for_handout(composed: Composed, generic_subject: str, subtitle: bool = True) -> PdfMetadata:
    """The metadata of a PDF of ``composed``: its public title; as subject its public subtitle
    (with ``subtitle`` and when no personal value was given) or ``generic_subject`` (the
    layout's words for "patient information")."""
    subject = generic_subject
    if subtitle and not composed.personal and composed.public_subtitle:
        subject = composed.public_subtitle
    return PdfMetadata(
        title=composed.public_title,
        subject=subject,
        author=composed.brand.name,
        keywords=composed.handout.form,
        lang=composed.handout.language,
    )
