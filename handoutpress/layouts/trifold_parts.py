"""Drawn pieces of the tri-fold: the key-point check marks, each drawn by a function of its
own (a tagging pass can mark them as artifacts). Its notes lines, shared with the sheet, are
:mod:`handoutpress.notes_lines`."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from ..styles import Theme


def point_style(theme: Theme) -> ParagraphStyle:
    """A cover key point: body text, a little larger and bold, indented for its check mark."""
    body = theme["body"]
    size = body.fontSize + 1
    return ParagraphStyle(
        "cover_point",
        parent=body,
        fontName=theme.fonts.bold,
        fontSize=size,
        leading=size * 1.25,
        leftIndent=size * 1.6,
        spaceAfter=size * 0.6,
    )


def draw_check(canv: Canvas, x: float, y: float, size: float, theme: Theme) -> None:
    """A check mark in the accent colour, its lower left at (x, y)."""
    canv.saveState()
    canv.setStrokeColor(theme.colours["accent"])
    canv.setLineWidth(size * 0.2)
    canv.setLineCap(1)
    canv.setLineJoin(1)
    path = canv.beginPath()
    path.moveTo(x, y + size * 0.5)
    path.lineTo(x + size * 0.38, y + size * 0.1)
    path.lineTo(x + size, y + size * 0.95)
    canv.drawPath(path, stroke=1, fill=0)
    canv.restoreState()
