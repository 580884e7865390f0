"""QR codes (``qr: {url: https://…, label: …}`` on a section): the code, its label beside
it and the address in words under the label, so a reader without a phone camera can type it.

Drawn with ReportLab's own QR widget (``reportlab.graphics.barcode.qr``); the code is at
least :data:`MIN_SIDE` wide (about 2 cm, which phone cameras read at arm's length) with
the quiet zone of 4 modules the standard asks for. The code is also a link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.colors import Color, black
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from .tagging import Node, marked

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

#: the code's printed side, quiet zone included (0.85 in)
MIN_SIDE = 0.85 * 72
#: gap between the code and its text
GAP = 8.0


def qr_drawing(url: str, side: float, colour: Color = black) -> Drawing:
    """The code for ``url`` as a ``side`` x ``side`` drawing (error correction M)."""
    # (imported for a handout with a code: reportlab.graphics.barcode registers every kind
    # of barcode it has when first imported)
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(url, barLevel="M", barBorder=4)
    widget.barFillColor = colour
    widget.barStrokeColor = colour
    x0, y0, x1, y1 = widget.getBounds()
    w, h = x1 - x0, y1 - y0
    drawing = Drawing(side, side, transform=[side / w, 0, 0, side / h, 0, 0])
    drawing.add(widget)
    return drawing


class QRFlowable(Flowable):
    """The code on the left, the label and the address beside it, centred on the code.

    ``alt`` says what the code is and where it leads (for tagging)."""

    def __init__(
        self,
        url: str,
        label_markup: str,
        label_style: ParagraphStyle,
        url_style: ParagraphStyle,
        side: float = MIN_SIDE,
        colour: Color = black,
        label_text: str = "",
    ) -> None:
        super().__init__()
        self.url = url
        self.side = max(side, MIN_SIDE)
        self.label = Paragraph(label_markup, label_style)
        shown = url.removeprefix("https://")
        self.address = Paragraph(shown.replace("&", "&amp;").replace("<", "&lt;"), url_style)
        self.drawing = qr_drawing(url, self.side, colour)
        # the renderer's starting font; otherwise an unused Helvetica resource is written
        self.drawing.__dict__["initialFontName"] = label_style.fontName
        self.alt = f"QR code: {label_text} ({shown})" if label_text else f"QR code: {shown}"
        self.spaceBefore = 4
        self.spaceAfter = 6
        self.width = self.height = 0.0
        self._text_h = 0.0
        #: in a tagged PDF: the code (a Figure with :attr:`alt`) and the link (its words and
        #: its annotation), set by the story that places the code
        self.figure: Node | None = None
        self.link: Node | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        text_w = max(availWidth - self.side - GAP, 1)
        _, lh = self.label.wrap(text_w, availHeight)
        _, uh = self.address.wrap(text_w, availHeight)
        self._text_h = lh + 2 + uh
        self.width = availWidth
        self.height = max(self.side, self._text_h)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []  # a code and its words stay together

    def draw(self) -> None:
        canv = self.canv
        y_code = self.height - self.side
        from reportlab.graphics import renderPDF  # (imported for a handout with a code)

        with marked(canv, self.figure):
            renderPDF.draw(self.drawing, canv, 0, y_code)
        x = self.side + GAP
        top = self.height - (self.height - self._text_h) / 2
        with marked(canv, self.link):  # the words are the link's, the code and words its area
            canv.linkURL(self.url, (0, 0, self.width, self.height), relative=1)
            _, lh = self.label.wrap(self.width - x, self.height)
            self.label.drawOn(canv, x, top - lh)
            _, uh = self.address.wrap(self.width - x, self.height)
            self.address.drawOn(canv, x, top - lh - 2 - uh)
