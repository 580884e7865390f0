"""Logos: SVG (as vectors, via svglib) or PNG/JPEG, checked before any output."""

from __future__ import annotations

import io
import logging
import threading
import warnings as py_warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from .errors import HandoutError, Location, Problem
from .files import MAX_LOGO_BYTES, InputRefused, read_input
from .fonts import FontSet, register
from .layoutonly import is_layout_only
from .startup import svg_reader

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

# reportlab.graphics and svgclean (lxml) are imported when a drawing is drawn or a logo read:
# a command whose brand has no logo and whose text has no picture never needs them

#: Refuse images with more pixels than this (a decompression bomb, or a poster by mistake).
MAX_PIXELS = 40_000_000


#: Drawings made once per process are shared by every render (a brand's logo, a content
#: picture, the bundled icons: all cached). ReportLab's renderer writes to a drawing while
#: it draws it (it sets and deletes ``_parent`` on every node) and a drawing's starting font
#: is set per paragraph style, so two threads drawing one at once fail or mix fonts. Every
#: draw of a shared drawing holds this lock (:func:`draw_shared`); a draw takes about 1 ms.
_SHARED_DRAWING = threading.RLock()


def draw_shared(drawing: Drawing, canv: Canvas, initial_font: str | None = None) -> None:
    """Draw a cached ``drawing`` at the canvas origin, safely from any thread;
    ``initial_font``: the renderer's starting font (else it writes an unused Helvetica).
    Not drawn on a layout-only canvas (``check``): a drawing changes nothing it finds."""
    if is_layout_only(canv):
        return
    from reportlab.graphics import renderPDF

    with _SHARED_DRAWING:
        if initial_font is not None:
            drawing.__dict__["initialFontName"] = initial_font  # bypasses the attribute check
        renderPDF.draw(drawing, canv, 0, 0)


@dataclass(frozen=True)
class PlacedImage:
    """A raster image as a page shows it: its resolution there is what press output needs."""

    path: Path
    width: float
    """Placed width in points."""
    height: float
    """Placed height in points."""


@dataclass(frozen=True)
class Logo:
    path: Path
    width: float  # natural size in points
    height: float
    drawing: Drawing | None = None  # SVG
    image: ImageReader | None = None  # raster: prepared to draw instead of the file (press: CMYK)
    #: where a renderer notes each raster placement (its RenderResult's placed images)
    placed: list[PlacedImage] | None = field(default=None, compare=False)
    #: what was dropped from an SVG, and what svglib or Pillow said: one line each
    warnings: tuple[str, ...] = ()

    def draw(
        self, canv: Canvas, x: float, y: float, max_w: float, max_h: float, align: str = "left"
    ) -> tuple[float, float]:
        """Draw scaled to fit ``max_w`` x ``max_h`` with its bottom at ``y``; return the size."""
        scale = min(max_w / self.width, max_h / self.height)
        w, h = self.width * scale, self.height * scale
        if align == "center":
            x += (max_w - w) / 2
        elif align == "right":
            x += max_w - w
        if self.drawing is not None:
            canv.saveState()
            canv.translate(x, y)
            canv.scale(scale, scale)
            draw_shared(self.drawing, canv)
            canv.restoreState()
        else:
            source = self.image if self.image is not None else str(self.path)
            canv.drawImage(source, x, y, w, h, mask="auto")
            if self.placed is not None:
                self.placed.append(PlacedImage(self.path, w, h))
        return w, h


def _use_bundled_fonts(node: object, fonts: tuple[str, str]) -> None:
    """SVG text would otherwise be set in Helvetica, which is not embedded: the body face
    (the brand's when it has its own), regular or bold."""
    from reportlab.graphics.shapes import Group, String

    if isinstance(node, String):
        node.fontName = fonts[1] if "bold" in node.fontName.lower() else fonts[0]
    if isinstance(node, Group):
        for child in node.contents:
            _use_bundled_fonts(child, fonts)


def load_logo(
    path: Path, field: str = "logo", fonts: FontSet | None = None, folder: Path | None = None
) -> Logo:
    """Load and check a logo once per process; text in an SVG is set in ``fonts`` (the
    bundled fonts when not given). References inside an SVG may only reach files in
    ``folder`` (the brand's; the logo's own folder when not given): others are dropped and
    noted in ``Logo.warnings``, as is every message svglib or Pillow would print.

    Once per process whichever way it is asked for: the brand check (no fonts named) and the
    layouts (the brand's fonts, the bundled ones for most brands) share one reading."""
    return _load_logo(path, field, fonts or register(), folder or path.parent)


@lru_cache(maxsize=16)
def _load_logo(path: Path, field: str, fonts: FontSet, folder: Path) -> Logo:
    from .svgclean import SvgRefused, clean_svg, raster_problem

    def fail(message: str) -> HandoutError:
        return HandoutError([Problem(Location(path), field, message)])

    try:
        raw = read_input(path, MAX_LOGO_BYTES)
    except InputRefused as exc:
        message = str(exc)
        raise fail("logo file not found" if message == "file not found" else message) from None
    suffix = path.suffix.lower()
    notes: list[str] = []
    if suffix == ".svg":
        svg2rlg = svg_reader()  # (svglib without its command-line tool)

        try:
            clean = clean_svg(raw, path, folder, MAX_PIXELS)
        except SvgRefused as exc:
            raise fail(str(exc)) from None
        notes.extend(clean.warnings)
        try:
            with library_messages(notes):
                drawing = svg2rlg(io.BytesIO(clean.data))
        except Exception as exc:  # svglib raises many kinds on bad input
            raise fail(f"SVG cannot be read: {_first_line(exc)}") from None
        if drawing is None or not drawing.width or not drawing.height:
            raise fail("SVG cannot be read (no size)")
        _use_bundled_fonts(drawing, (fonts.regular, fonts.bold))
        # the renderer's starting font; otherwise an unused Helvetica resource is written
        drawing.__dict__["initialFontName"] = fonts.regular  # bypasses the attribute whitelist
        warnings = tuple(dict.fromkeys(notes))
        return Logo(path, float(drawing.width), float(drawing.height), drawing, warnings=warnings)
    if suffix in (".png", ".jpg", ".jpeg"):
        problem = raster_problem(raw, MAX_PIXELS)
        if problem is not None:
            raise fail(problem)
        try:
            with library_messages(notes):
                w, h = ImageReader(io.BytesIO(raw)).getSize()
        except Exception as exc:
            raise fail(f"image cannot be read: {_first_line(exc)}") from None
        # natural size at 300 ppi
        return Logo(path, float(w) * 0.24, float(h) * 0.24, warnings=tuple(dict.fromkeys(notes)))
    raise fail("logo must be an SVG, PNG or JPEG file")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


class _Collect(logging.Handler):
    def __init__(self, out: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.out = out

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())[:200]
        self.out.append(f"{record.name.split('.')[0]}: {message}")


@contextmanager
def library_messages(out: list[str]) -> Iterator[None]:
    """Collect what svglib, Pillow and ReportLab log or warn into ``out`` (one line each)
    instead of letting it reach stderr; the caller reports them as located warnings. One
    thread at a time: the loggers' settings and the warning filters are process-wide."""
    with _MESSAGES:
        yield from _collected(out)


_MESSAGES = threading.RLock()


def _collected(out: list[str]) -> Iterator[None]:
    handler = _Collect(out)
    loggers = [logging.getLogger(name) for name in ("svglib", "PIL", "reportlab")]
    saved = [logger.propagate for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.propagate = False
    try:
        with py_warnings.catch_warnings(record=True) as caught:
            py_warnings.simplefilter("always")
            yield
        for w in caught:
            out.append(f"{w.category.__name__}: {' '.join(str(w.message).split())[:200]}")
    finally:
        for logger, propagate in zip(loggers, saved, strict=True):
            logger.removeHandler(handler)
            logger.propagate = propagate
