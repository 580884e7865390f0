"""The engine, called in-process: one handout to PDF bytes, one page of it to PNG, a visit.

The same :func:`handoutpress.frontdesk.render_single` that ``preview`` and ``print`` call
makes the PDF, so the preview is the page that prints. Nothing here touches the disk.
PDFium (pypdfium2) is not thread-safe: every call into it holds :data:`_PDFIUM`.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..build import plan
from ..frontdesk import Rendered, SingleRequest, render_single
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
    )
    if tagged:
        return render_single(project, req)
    work = plan(
        project,
        [req.handout],
        brand=req.brand,
        layout=req.layout,
        large_print=req.large_print,
        first_layout_only=True,
        values=req.values,
    )
    work = replace(work, options=replace(work.options, tagged=False))
    (job,) = work.jobs
    composed, pdf = work.render(job, req.values)
    return Rendered(pdf, job.layout, composed.public_title, composed.personal)


def page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    with _PDFIUM:
        doc = pdfium.PdfDocument(pdf)
        try:
            return len(doc)
        finally:
            doc.close()


@dataclass(frozen=True)
class PageImage:
    png: bytes
    page: int
    pages: int


def page_png(pdf: bytes, page: int, dpi: int = PREVIEW_DPI, crop: str = "") -> PageImage:
    """Page ``page`` (1-based; clamped to the document) as PNG. ``crop="cover"``: the right
    third (a tri-fold's front cover)."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        doc = pdfium.PdfDocument(pdf)
        try:
            pages = len(doc)
            page = min(max(page, 1), pages)
            pdf_page = doc[page - 1]
            width_pt, height_pt = pdf_page.get_size()
            size = (round(width_pt * dpi / 72), round(height_pt * dpi / 72))
            bitmap = pdf_page.render(scale=dpi / 72, may_draw_forms=False)
            image = bitmap.to_pil().crop((0, 0, *size)).convert("RGB")
        finally:
            doc.close()
    if crop == "cover":
        image = image.crop((image.width * 2 // 3, 0, image.width, image.height))
    buf = io.BytesIO()
    # compress_level 1: a third of the encoding time of the default, a slightly bigger file
    image.save(buf, format="PNG", compress_level=1)
    return PageImage(buf.getvalue(), page, pages)


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


def join_visit(parts: Sequence[Rendered]) -> Visit:
    """One PDF of every handout of a visit (rendered with ``tagged=False``), each starting on
    a new sheet: a part with an odd page count is followed by a blank page (two-sided printing
    would otherwise print the next handout on its back). :mod:`handoutpress.pdfjoin` gives
    each part's font subsets their own names (printers cache fonts by name). The visit file is
    for printing and is not tagged; each handout's own download is."""
    pieces: list[bytes] = []
    for i, part in enumerate(parts):
        pieces.append(part.pdf)
        if i < len(parts) - 1 and page_count(part.pdf) % 2:
            paper = part.layout.paper
            pieces.append(_blank_page(paper.width, paper.height))
    buf = io.BytesIO()
    pages = join(pieces, buf)
    return Visit(buf.getvalue(), pages, tuple(p.layout for p in parts))
