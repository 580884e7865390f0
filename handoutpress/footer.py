"""What every page footer says, and its rule: one helper for the sheet, large print and letter.

:func:`footer_text` gathers the texts (the clinic's contact line and address line, the form
number and revision date, the SAMPLE / DRAFT / PROOF marks) and :func:`draw_rule` draws the
coloured rule over the footer. Each layout sets the texts in its own type and places them in
its own footer zone (the sheet in paragraphs with the clinic's name in bold, the letter in
plain runs that a mailing's fast canvas can draw, large print in a box above the page number).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from .models import Brand, Handout
from .strings import Strings

#: between the parts of a footer line
DOT = " \u00b7 "


@dataclass(frozen=True)
class FooterText:
    contact: tuple[str, ...]
    """The clinic's name, phone and (when it has one) after-hours phone."""
    address: tuple[str, ...]
    """The address lines and the website (empty parts left out)."""
    form_revised: str
    """The form number and revision date: ``PSP-T-01 · Revised January 2026``."""
    marks: tuple[tuple[str, str], ...]
    """The marks every page carries, short and long (SAMPLE, DRAFT, PROOF)."""

    @property
    def contact_line(self) -> str:
        return DOT.join(self.contact)

    @property
    def address_line(self) -> str:
        return DOT.join(self.address)


def footer_text(
    brand: Brand, text: Strings, handout: Handout, marks: list[tuple[str, str]]
) -> FooterText:
    """The footer's texts for ``brand`` and ``handout``, in ``text``'s language."""
    contact = brand.contact
    first = [brand.name, contact.phone]
    if contact.after_hours_phone:
        first.append(f"{text('after_hours_short')} {contact.after_hours_phone}")
    return FooterText(
        contact=tuple(x for x in first if x),
        address=tuple(x for x in (*contact.address, contact.website) if x),
        form_revised=f"{handout.form}{DOT}{text('revised', date=text.month_year(handout.revised))}",
        marks=tuple(marks),
    )


def draw_rule(canv: Canvas, colour: Color, x0: float, x1: float, y: float, width: float) -> None:
    """The rule over a footer, from ``x0`` to ``x1`` at ``y``."""
    canv.setStrokeColor(colour)
    canv.setLineWidth(width)
    canv.line(x0, y, x1, y)
