"""Spans of text → ReportLab paragraph markup: escaped, bold and italic, links, fallback
fonts, quantities bound, words in another language as the pseudo-link a tagged PDF writes
as a ``Span`` with its ``/Lang``."""

from __future__ import annotations

from itertools import groupby

from .fonts import FontSet
from .markdown import Inline
from .tagging import SPAN_LINK
from .typeset import bind_quantities


def inline_markup(spans: Inline, fonts: FontSet) -> str:
    """Spans → ReportLab paragraph markup (escaped, with fallback from ``fonts``). Words in
    another language (a run of spans with one ``lang``) are one pseudo-link, which a tagged
    PDF writes as a ``Span`` with its ``/Lang`` (:data:`~handoutpress.tagging.SPAN_LINK`)."""
    out = []
    for lang, run in groupby(spans, key=lambda s: s.lang):
        words = []
        for s in run:
            text = fonts.markup(bind_quantities(s.text), s.bold, s.italic)
            if s.italic:
                text = f"<i>{text}</i>"
            if s.bold:
                text = f"<b>{text}</b>"
            if s.href:
                text = f'<a href="{_attribute(s.href)}" color="#1A4D8F">{text}</a>'
            words.append(text)
        text = "".join(words)
        out.append(f'<a href="{SPAN_LINK}{_attribute(lang)}">{text}</a>' if lang else text)
    return "".join(out)


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
