"""Logos: SVG (as vectors, via svglib) or PNG/JPEG, checked before any output."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from .errors import HandoutError, Location, Problem
from .fonts import FontSet, register

#: Refuse images with more pixels than this (a decompression bomb, or a poster by mistake).
MAX_PIXELS = 40_000_000


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
    image: Any = None  # raster: a prepared ImageReader to draw instead of the file (press: CMYK)
    #: where a renderer notes each raster placement (its RenderResult's placed images)
    placed: list[PlacedImage] | None = field(default=None, compare=False)

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
            renderPDF.draw(self.drawing, canv, 0, 0)
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
    if isinstance(node, String):
        node.fontName = fonts[1] if "bold" in node.fontName.lower() else fonts[0]
    if isinstance(node, Group):
        for child in node.contents:
            _use_bundled_fonts(child, fonts)


@lru_cache(maxsize=16)
def load_logo(path: Path, field: str = "logo", fonts: FontSet | None = None) -> Logo:
    """Load and check a logo once per process; text in an SVG is set in ``fonts`` (the
    bundled fonts when not given)."""

    def fail(message: str) -> HandoutError:
        return HandoutError([Problem(Location(path), field, message)])

    if not path.is_file():
        raise fail("logo file not found")
    suffix = path.suffix.lower()
    if suffix == ".svg":
        from svglib.svglib import svg2rlg

        try:
            drawing = svg2rlg(str(path))
        except Exception as exc:  # svglib raises many kinds on bad input
            raise fail(f"SVG cannot be read: {exc}") from None
        if drawing is None or not drawing.width or not drawing.height:
            raise fail("SVG cannot be read (no size)")
        fonts = fonts or register()
        _use_bundled_fonts(drawing, (fonts.regular, fonts.bold))
        # the renderer's starting font; otherwise an unused Helvetica resource is written
        drawing.__dict__["initialFontName"] = fonts.regular  # bypasses the attribute whitelist
        return Logo(path, float(drawing.width), float(drawing.height), drawing)
    if suffix in (".png", ".jpg", ".jpeg"):
        try:
            from PIL import Image

            with Image.open(path) as im:
                if im.width * im.height > MAX_PIXELS:
                    raise fail(f"image is too large ({im.width} x {im.height} pixels)")
                im.verify()
            reader = ImageReader(str(path))
            w, h = reader.getSize()
        except HandoutError:
            raise
        except Exception as exc:
            raise fail(f"image cannot be read: {exc}") from None
        return Logo(path, float(w) * 0.24, float(h) * 0.24)  # natural size at 300 ppi
    raise fail("logo must be an SVG, PNG or JPEG file")
