"""The letter's address block in the envelope window: the recipient's lines (or write-in
lines to address it by hand) and the USPS Intelligent Mail barcode under them, placed by the
window's geometry (:class:`~handoutpress.addressing.Window`)."""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from ..addressing import Addressee, Window
from ..styles import Theme
from ..tagging import Node, marked
from .letter_chrome import INCH, child
from .textruns import draw_text, fill


def draw_address(canv: Canvas, g: Window, th: Theme, a: Addressee, parent: Node | None) -> None:
    """``a``'s address in the window, each line ``parent``'s content; the barcode (for the
    post office's machines) is an artifact."""
    x = g.addr_x
    y = g.win_y1 - g.inset_y - g.addr_size
    lines = a.lines
    if not lines:  # write-in lines to address it by hand
        canv.setStrokeColor(th.colours["muted"])
        canv.setLineWidth(0.5)
        for i in range(3):
            ly = y - i * (g.addr_leading + 6) - 2
            canv.line(x, ly, x + g.addr_w - 0.1 * INCH, ly)
        return
    leading = g.address_leading(len(lines), a.imb is not None) or g.addr_leading_min
    for i, line in enumerate(lines):
        with marked(canv, child(parent, "P")):
            draw_text(canv, x, y - i * leading, line, g.addr_size, th.fonts)
    if a.imb is not None:  # (for the post office's machines: an artifact)
        bc = g.imb(*a.imb)
        by = y - (len(lines) - 1) * leading - g.addr_size * 0.25 - g.imb_gap - bc.height
        # the barcode's own clear zone starts at the window's left edge
        canv.setFillColor(Color(0, 0, 0))
        bc.drawOn(canv, g.win_x, by)
        fill(canv, th.colours["text"])
