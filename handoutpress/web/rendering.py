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
from dataclasses import dataclass, field, replace

from ..build import plan
from ..frontdesk import PagePicture, Rendered, SingleRequest, page_picture, render_single
from ..models import Layout
from ..pdfjoin import join
from ..project import Project

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


def render(project: Project, choice: Choice, brand: str | None, tagged: bool = True) -> Rendered:
    """The handout as the CLI's ``build``/``print`` make it (tagged office PDF); ``tagged=False``
    for a part of a visit, which is joined into one untagged file."""
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
    if tagged:
        return render_single(project, req)
    return _render_untagged(project, req)


def _render_untagged(project: Project, req: SingleRequest) -> Rendered:
    work = plan(
        project,
        [req.handout],
        brand=req.brand,
        layout=req.layout,
        large_print=req.large_print,
        first_layout_only=True,
        values=req.values,
        staff_copy=req.staff_copy,
    )
    work = replace(work, options=replace(work.options, tagged=False))
    (job,) = work.jobs
    composed, result = work.render(job, req.values)
    return Rendered(result, job.layout, composed.public_title, composed.personal)


def picture(done: Rendered, page: int, dpi: int = PREVIEW_DPI) -> PagePicture:
    """Page ``page`` (clamped to the pages there are: the page switch may ask for page 2 of
    a layout just changed to one page) as PNG."""
    page = min(max(page, 1), done.result.pages)
    with _PDFIUM:
        return page_picture(done, page, dpi, png_level=1)


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


def _blank_page(width: float, height: float) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(width, height), invariant=1)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


@dataclass(frozen=True)
class Visit:
    pdf: bytes
    pages: int
    #: each part's layout, in order (for the print job's paper and duplex)
    layouts: tuple[Layout, ...]


def join_visit(parts: Sequence[Rendered], pad_last: bool = False) -> Visit:
    """One PDF of every handout of a visit (rendered with ``tagged=False``), each starting on
    a new sheet: a part with an odd page count is followed by a blank page (two-sided printing
    would otherwise print the next handout on its back). :mod:`handoutpress.pdfjoin` gives
    each part's font subsets their own names (printers cache fonts by name). The visit file is
    for printing and is not tagged; each handout's own download is."""
    pieces: list[bytes] = []
    for i, part in enumerate(parts):
        pieces.append(part.pdf)
        if (pad_last or i < len(parts) - 1) and part.result.pages % 2:
            paper = part.layout.paper
            pieces.append(_blank_page(paper.width, paper.height))
    buf = io.BytesIO()
    pages = join(pieces, buf)
    return Visit(buf.getvalue(), pages, tuple(p.layout for p in parts))
