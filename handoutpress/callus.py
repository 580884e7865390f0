"""The clinic phone in a "Call us" (``warning``) section, shown big and bold under its
heading in every layout: in the tiered safety box (:mod:`handoutpress.boxes`) and in a
layout that draws the section as a plain box (the letter, :func:`section_story.section_story`)."""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle

from .compose import ComposedSection
from .markdown import paragraphs, plain_text

#: the clinic phone in a "Call us" section is at least this big and bold (issue 12)
MIN_TIER_PHONE_PT = 16.0


def call_us_phone_style(
    body: ParagraphStyle, heading: ParagraphStyle, bold: str, colour: Color
) -> ParagraphStyle:
    """The phone's style: the ``bold`` face, 16 pt or more (1.15 times the heading's size)."""
    size = max(MIN_TIER_PHONE_PT, heading.fontSize * 1.15)
    return ParagraphStyle(
        "tier_phone",
        parent=body,
        fontName=bold,
        fontSize=size,
        leading=size * 1.2,
        textColor=colour,
        spaceAfter=body.leading * 0.3,
    )


def call_us_phone(section: ComposedSection, phone: str | None) -> str | None:
    """The phone a ``warning`` section shows under its heading: the clinic's,
    unless its text gives it already (``Call {{ clinic.phone }}.``); None for other styles."""
    if section.style != "warning" or not phone:
        return None
    text = " ".join(plain_text(p.spans) for p in paragraphs(section.blocks))
    return None if phone in text else phone
