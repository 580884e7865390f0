"""What a render is asked for (:class:`RenderOptions`) and what it gives back
(:class:`RenderResult`): the values every layout kind's renderer (:mod:`handoutpress.render`,
which names them too) and its callers share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from .images import PlacedImage

if TYPE_CHECKING:
    from reportlab.lib.colors import Color


@dataclass(frozen=True)
class RenderOptions:
    target: str = "office"
    large_print: bool = False
    deterministic: bool = False
    #: office output is a tagged PDF (PDF/UA-1) where the layout kind supports it
    #: (:attr:`LayoutRenderer.TAGGED`); off only to compare pages with untagged ones
    tagged: bool = True
    #: press output: "x4" (PDF/X-4) or "x1a" (PDF/X-1a:2003)
    pdfx: str = "x4"
    #: a mailing being checked (``batch --proof``): every page carries PROOF
    proof: bool = False
    #: the staff copy (``build --staff-copy``): sections for staff, STAFF COPY on every page
    staff_copy: bool = False
    #: ``check``: lay out, write no file (:mod:`~handoutpress.layoutonly`; ``pdf`` is empty)
    layout_only: bool = False


@dataclass(frozen=True)
class RenderResult:
    """One handout laid out in one layout: the PDF and what the layout found on the way."""

    pdf: bytes
    pages: int
    """Pages in the PDF."""
    warnings: tuple[str, ...] = ()
    """What the layout noticed but draws anyway (a tri-fold panel left empty)."""
    placed_images: tuple[PlacedImage, ...] = ()
    """Every raster logo drawn, at its placed size (``check`` judges its resolution)."""


#: a box on the page: x0, y0, x1, y1 in points
Box = tuple[float, float, float, float]


class PageSetup(TypedDict, total=False):
    """A render's page for ReportLab's document template: the page size; press output's
    boxes and colour space (its converter to CMYK)."""

    pagesize: tuple[float, float]
    trimBox: Box
    bleedBox: Box
    enforceColorSpace: Callable[[object], Color]
