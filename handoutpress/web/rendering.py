"""The engine, called in-process: one handout to PDF bytes, one page of it to PNG, a visit.

The same :func:`handoutpress.frontdesk.render_single` and
:func:`~handoutpress.frontdesk.page_picture` that ``preview`` and ``print`` call make the
PDF and its picture, so the preview is the page that prints. Nothing here touches the disk.
PDFium (pypdfium2) is not thread-safe: every call into it holds :data:`_PDFIUM`.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .. import cups
from ..frontdesk import PagePicture, Rendered, SingleRequest, page_picture, render_single
from ..models import Layout
from ..project import Project
from ..visitpdf import Page, join_tagged

_PDFIUM = threading.Lock()
#: Preview resolution: a US Letter page is 850 x 1100 pixels, sharp on a desk monitor.
PREVIEW_DPI = 100
THUMB_DPI = 24


@dataclass(frozen=True)
class Choice:
    """What the front desk picked for one handout (values: field key -> text)."""

    ref: str
    layout: str | None = None
    large_print: bool = False
    values: Mapping[str, str] = field(default_factory=dict)
    #: the staff copy (the engine's ``--staff-copy``): with the ``audience: staff`` sections
    staff_copy: bool = False


def render(project: Project, choice: Choice, brand: str | None) -> Rendered:
    """The handout as the CLI's ``build``/``print`` make it (a tagged office PDF)."""
    req = SingleRequest(
        handout=choice.ref,
        layout=None if choice.large_print else choice.layout,
        brand=brand,
        target="office",
        values=dict(choice.values),
        large_print=choice.large_print,
        staff_copy=choice.staff_copy,
    )
    # renders run in the server's threads at once: the engine's shared, cached drawings are
    # drawn under a lock of their own (handoutpress.images.draw_shared)
    return render_single(project, req)


def picture(done: Rendered, page: int, dpi: int = PREVIEW_DPI) -> PagePicture:
    """Page ``page`` as PNG; a page ``done`` does not have is an error (HandoutError), never
    another page."""
    with _PDFIUM:
        return page_picture(done, page, dpi, png_level=1, palette=dpi == PREVIEW_DPI)


def cover_thumbnail(done: Rendered) -> bytes:
    """Page 1 at :data:`THUMB_DPI`; of a tri-fold, its right third (the front cover)."""
    from PIL import Image

    png = picture(done, 1, THUMB_DPI).png
    if done.layout.kind != "trifold":
        return png
    page = Image.open(io.BytesIO(png))
    cover = page.crop((page.width * 2 // 3, 0, page.width, page.height))
    buf = io.BytesIO()
    cover.save(buf, format="PNG")
    return buf.getvalue()


@dataclass(frozen=True)
class Visit:
    pdf: bytes
    pages: int
    #: each part's layout, in order
    layouts: tuple[Layout, ...]
    #: lp's ``sides`` for the whole file (see :func:`join_visit`)
    sides: str


LONG_EDGE, SHORT_EDGE, ONE_SIDED = "two-sided-long-edge", "two-sided-short-edge", "one-sided"


def visit_sides(layouts: Sequence[Layout]) -> str:
    """How a job of these layouts is printed: the layouts' own two-sided setting when they
    agree, two-sided on the long edge when they do not (a sheet and a tri-fold), one-sided
    when none is two-sided."""
    two_sided = {cups.SIDES[layout.duplex] for layout in layouts} - {ONE_SIDED}
    if not two_sided:
        return ONE_SIDED
    return two_sided.pop() if len(two_sided) == 1 else LONG_EDGE


def join_visit(
    parts: Sequence[Rendered], title: str, for_printer: bool = False, pad_last: bool = False
) -> Visit:
    """One tagged PDF of every handout of a visit (:mod:`handoutpress.visitpdf`), each
    starting on a new sheet: a part with an odd page count is followed by a blank back
    (two-sided printing would otherwise print the next handout on its back); ``pad_last``
    pads the last part too (several copies of one job: each copy starts a new sheet).

    ``for_printer``: the file is one print job, printed ``Visit.sides``. In a job two-sided
    on the long edge, a handout made to flip on its short edge (a tri-fold) has its backs
    turned 180°, which is what flipping on the short edge does, and a one-sided handout a
    blank back after every page. A downloaded visit keeps every page upright."""
    sides = visit_sides([p.layout for p in parts])
    pages: list[Page] = []
    for i, part in enumerate(parts):
        own = cups.SIDES[part.layout.duplex]
        paper = part.layout.paper
        blank = Page(None, width=paper.width, height=paper.height)
        turn = for_printer and sides == LONG_EDGE and own == SHORT_EDGE
        backs = for_printer and sides != ONE_SIDED and own == ONE_SIDED
        for k in range(part.result.pages):
            pages.append(Page(i, k, turned=turn and k % 2 == 1))
            if backs:
                pages.append(blank)
        odd = part.result.pages % 2 and not backs and not (for_printer and sides == ONE_SIDED)
        if odd and (pad_last or i < len(parts) - 1):
            pages.append(blank)
    pdf = join_tagged([p.pdf for p in parts], pages, title)
    return Visit(pdf, len(pages), tuple(p.layout for p in parts), sides)
