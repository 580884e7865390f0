"""The canvas of a layout-only render (``check``): everything is laid out and drawn as for
a PDF, so every fit, overflow and placement is found as ``build`` finds it, but no file is
written.

``check`` lays each handout out in every layout it lists (27 documents for the shipped
handouts) only to learn what fits. Writing each PDF (serialising the pages and fonts,
compressing the streams) was about a quarter of that, and drawing the cached vector
drawings (icons, SVG logos) about a tenth more: neither can change what the layout finds.
The page's text, boxes and frames are still drawn (their drawing code notes problems and
placements), on pages that are thrown away.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas


class LayoutOnlyCanvas(Canvas):
    """A canvas whose pages are drawn and dropped: :meth:`save` writes nothing, and cached
    drawings (:func:`handoutpress.images.draw_shared`) are not drawn onto it."""

    #: read by :func:`handoutpress.images.draw_shared`: a drawing adds nothing to find
    layout_only = True

    def save(self) -> None:
        """Nothing to write."""


def is_layout_only(canv: object) -> bool:
    """Whether ``canv`` is a layout-only render's canvas (nothing drawn on it is kept)."""
    return getattr(canv, "layout_only", False) is True
