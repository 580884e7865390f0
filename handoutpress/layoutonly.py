"""The canvas of a layout-only render (``check``): everything is laid out and drawn as for
a PDF, so every fit, overflow and placement is found as ``build`` finds it, but no file is
written.

``check`` lays each handout out in every layout it lists (27 documents for the shipped
handouts) only to learn what fits. Writing each PDF (serialising the pages and fonts,
compressing the streams) was about a quarter of that, and drawing the cached vector
drawings (icons, SVG logos) about a tenth more: neither can change what the layout finds.
Paragraphs are not drawn onto it either (:func:`install`: a paragraph's drawing writes its
lines' text and nothing else; it was measured when it was wrapped). Everything else (boxes,
frames, page furniture, pictures) is drawn as for a PDF: that drawing code notes problems and
placements, on pages that are thrown away.
"""

from __future__ import annotations

import threading

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.paragraph import Paragraph


class LayoutOnlyCanvas(Canvas):
    """A canvas whose pages are drawn and dropped: :meth:`save` writes nothing, and cached
    drawings (:func:`handoutpress.images.draw_shared`) are not drawn onto it."""

    #: read by :func:`handoutpress.images.draw_shared`: a drawing adds nothing to find
    layout_only = True

    def __init__(self, *args: object, **kw: object) -> None:
        install()  # (paragraphs not drawn on it)
        super().__init__(*args, **kw)

    def save(self) -> None:
        """Nothing to write."""


def is_layout_only(canv: object) -> bool:
    """Whether ``canv`` is a layout-only render's canvas (nothing drawn on it is kept)."""
    return getattr(canv, "layout_only", False) is True


_installed = False
_INSTALLING = threading.Lock()


def install() -> None:
    """Wrap ``Paragraph.drawPara`` (once per process) so that a paragraph's text is not drawn
    on a layout-only canvas; on any other canvas it draws exactly as ReportLab's own."""
    global _installed
    with _INSTALLING:
        if _installed:
            return
        draw_para = Paragraph.drawPara

        def layout_only_draw_para(self: Paragraph, debug: int = 0) -> None:
            if is_layout_only(self.canv):
                return
            draw_para(self, debug)

        Paragraph.drawPara = layout_only_draw_para
        _installed = True
