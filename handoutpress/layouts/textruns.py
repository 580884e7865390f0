"""Plain runs of text for the letter: one line in the body face, the characters it lacks in
the fallback face, drawn on a mailing's fast canvas (:class:`~handoutpress.mailcanvas.FormCanvas`)
without ReportLab's text objects where it can be."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..fonts import FontSet

if TYPE_CHECKING:
    from ..mailcanvas import FormCanvas


def text_width(text: str, size: float, fonts: FontSet) -> float:
    if fonts.body_set.issuperset(text):
        return stringWidth(text, fonts.regular, size)
    return sum(
        stringWidth(chunk, fonts.fallback if fb else fonts.regular, size)
        for fb, chunk in fonts.runs(text)
    )


def _fast(canv: Canvas) -> FormCanvas | None:
    """``canv`` when it is a mailing's canvas writing its pages' bytes itself (a
    :class:`~handoutpress.mailcanvas.FormCanvas` with ``fast_pages``), else None. Asked of the
    canvas, not by its class: a layout drawn on any other canvas (``build``, ``check``) does
    not import the mailing's modules."""
    return cast("FormCanvas", canv) if getattr(canv, "fast_pages", False) else None


def fill(canv: Canvas, color: Color) -> None:
    fast = _fast(canv)
    if fast is not None:
        fast.fast_fill(color)
    else:
        canv.setFillColor(color)


def draw_text(
    canv: Canvas, x: float, y: float, text: str, size: float, fonts: FontSet, align: str = "left"
) -> None:
    """Draw one line in the body face, characters it lacks in the fallback face."""
    form = _fast(canv)
    fast = form.fast_text if form is not None else None
    if fonts.body_set.issuperset(text):
        if align == "right":
            x -= stringWidth(text, fonts.regular, size)
        if fast is not None:
            fast(x, y, text, fonts.regular, size)
        else:
            canv.setFont(fonts.regular, size)
            canv.drawString(x, y, text)
        return
    parts = fonts.runs(text)
    if align == "right":
        x -= text_width(text, size, fonts)
    for fb, chunk in parts:
        face = fonts.fallback if fb else fonts.regular
        if fast is not None:
            fast(x, y, chunk, face, size)
        else:
            canv.setFont(face, size)
            canv.drawString(x, y, chunk)
        x += stringWidth(chunk, face, size)
