"""One handout in one layout, in memory: the front desk's ``preview`` and ``print``.

:func:`render_png` renders a page to PNG bytes with pypdfium2 (PDFium, the renderer in
Chrome), for a web page; ``preview`` writes one to a file; ``print`` hands the PDF to CUPS's
``lp`` (see :mod:`handoutpress.cups`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .build import plan, write_output
from .cups import PrintJob, check_cups, send
from .errors import HandoutError, Location, Problem
from .models import Layout
from .output import check_target
from .project import Project
from .render import RenderResult

#: Resolutions ``preview`` accepts: 600 dpi of a tri-fold is already 6,600 x 5,100 pixels.
MIN_DPI, MAX_DPI = 18, 600


@dataclass(frozen=True)
class SingleRequest:
    handout: str
    layout: str | None = None
    brand: str | None = None
    target: str = "office"
    values: Mapping[str, str] = field(default_factory=dict)
    lang: str | None = None
    large_print: bool = False
    #: the staff copy (``--staff-copy``): the ``audience: staff`` sections, STAFF COPY marks
    staff_copy: bool = False


@dataclass(frozen=True)
class Rendered:
    result: RenderResult
    layout: Layout
    #: the handout's title without personal data: for print-job names and logs
    public_title: str
    #: personal values were filled in (the PDF is patient data)
    personal: bool

    @property
    def pdf(self) -> bytes:
        return self.result.pdf


def render_single(project: Project, req: SingleRequest) -> Rendered:
    """Build one handout in one layout into memory.

    The layout: ``req.layout``, else the large-print layout with ``req.large_print``, else the
    first layout the handout lists.
    """
    work = plan(
        project,
        [req.handout],
        lang=req.lang,
        brand=req.brand,
        layout=req.layout,
        target=req.target,
        large_print=req.large_print,
        first_layout_only=True,
        values=req.values,
        staff_copy=req.staff_copy,
    )
    (job,) = work.jobs
    composed, result = work.render(job, req.values)
    return Rendered(result, job.layout, composed.public_title, composed.personal)


@dataclass(frozen=True)
class PagePicture:
    """One page of a rendered handout as a PNG."""

    png: bytes
    page: int
    pages: int
    width: int
    height: int


@dataclass(frozen=True)
class Preview:
    path: Path
    page: int
    pages: int
    width: int
    height: int

    def summary(self) -> str:
        """What ``preview`` prints."""
        return f"{self.path} (page {self.page} of {self.pages}, {self.width} x {self.height} px)"


def _check_dpi(dpi: int) -> None:
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise HandoutError(f"--dpi {dpi}: use {MIN_DPI} to {MAX_DPI}")


def render_png(project: Project, req: SingleRequest, page: int = 1, dpi: int = 100) -> bytes:
    """Page ``page`` (1-based) of one handout in one layout at ``dpi``, as PNG bytes."""
    _check_dpi(dpi)
    return page_picture(render_single(project, req), page, dpi).png


def preview(project: Project, req: SingleRequest, output: Path, page: int, dpi: int) -> Preview:
    """Render page ``page`` (1-based) at ``dpi`` to a PNG file, written atomically."""
    if output.suffix.lower() != ".png":
        raise HandoutError([Problem(Location(output), "-o", "the preview is a PNG: name it *.png")])
    _check_dpi(dpi)
    check_target(output, "-o")  # before the work: /dev/null or a FIFO is refused at once
    done = render_single(project, req)
    picture = page_picture(done, page, dpi)
    write_output(output, picture.png, private=done.personal, option="-o")
    return Preview(output, page, picture.pages, picture.width, picture.height)


def page_picture(
    done: Rendered, page: int, dpi: int, png_level: int = 6, palette: bool = False
) -> PagePicture:
    """Page ``page`` (1-based) of ``done`` at ``dpi``; a page it does not have is an error.

    ``png_level``: zlib level of the PNG (the front desk's live preview uses 1: a third less
    encoding time for a slightly bigger file). ``palette``: 256 colours (the live preview:
    encoding a third as long and a third the size; a colour is at most 14 levels in 255 off,
    about 1 on average)."""
    import pypdfium2 as pdfium

    pages = done.result.pages
    if not 1 <= page <= pages:
        raise HandoutError(
            f"--page {page}: out of range; {done.layout.name} has {pages} "
            f"page{'s' if pages != 1 else ''}"
        )
    doc = pdfium.PdfDocument(done.pdf)
    try:
        pdf_page = doc[page - 1]
        width_pt, height_pt = pdf_page.get_size()
        # the page at dpi rounded to whole pixels (A4 at 300 dpi: 2480 x 3508); PDFium rounds
        # up and adds a partial last row/column, which is cut off
        size = (round(width_pt * dpi / 72), round(height_pt * dpi / 72))
        bitmap = pdf_page.render(scale=dpi / 72, may_draw_forms=False)
        image = bitmap.to_pil().crop((0, 0, *size)).convert("RGB")
        if palette:
            from PIL import Image

            image = image.quantize(256, Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        buf = io.BytesIO()
        image.save(buf, format="PNG", dpi=(dpi, dpi), optimize=False, compress_level=png_level)
    finally:
        doc.close()
    return PagePicture(buf.getvalue(), page, pages, *size)


@dataclass(frozen=True)
class Printed:
    """A print job sent to CUPS, and how many pages each copy has."""

    job: PrintJob
    pages: int

    def summary(self) -> str:
        """What ``print`` prints."""
        job, pages = self.job, self.pages
        return (
            f"{job.job_id}: '{job.title}' sent to {job.printer} ({pages} page"
            f"{'s' if pages != 1 else ''}, {job.media}, {job.sides}, {job.copies} "
            f"cop{'ies' if job.copies != 1 else 'y'})"
        )


def print_handout(
    project: Project, req: SingleRequest, printer: str | None = None, copies: int = 1
) -> Printed:
    """Build for the office printer and send to CUPS."""
    check_cups()  # before the work: a clear error when CUPS is missing or down
    done = render_single(project, replace(req, target="office"))
    job = send(done.pdf, done.layout, done.public_title, printer, copies)
    return Printed(job, done.result.pages)
