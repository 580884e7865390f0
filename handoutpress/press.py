"""Print targets: colours in CMYK and printer's marks for ``--target press``.

The page of a press PDF is the trim size plus the layout's bleed on every side; layouts draw
in trim coordinates (the renderer shifts the canvas by the bleed), so a layout only has to
let its backgrounds run to :meth:`~handoutpress.render.LayoutRenderer.edge`.

Colour conversion (press target). Every colour set on the page goes through
:func:`cmyk_converter`, so nothing is left in RGB: layout colours, paragraph text, link
colours, table backgrounds and the SVG logo (drawn through svglib) alike.

1. A colour that equals one of the brand's ``colors`` (the same #RRGGBB) takes the brand's
   ``cmyk`` value for that name, when the brand gives one (ask the print shop for these).
2. A neutral grey (R = G = B, including black and white) becomes black ink only:
   K = 1 - R, C = M = Y = 0. Text never turns into a four-colour "rich black" that would
   blur when the plates are slightly out of register.
3. Any other colour is converted from sRGB through the output intent's CMYK profile
   (``profiles/``: CGATS TR 006, or FOGRA39 for A4; :mod:`.pdfx`) by littleCMS (Pillow's
   ``ImageCms``), relative colorimetric with black-point compensation: the printed colour
   lands within a few ΔE of the screen colour where the press can print it (a device
   formula was 10-14 ΔE off). Still give the brand ``cmyk`` values the print shop agreed.

A raster (PNG/JPEG) logo is converted by the same rules (neutral pixels black ink only, the
rest through the profile) and written as a DeviceCMYK image; its transparency is kept as a
soft mask. :func:`press_theme` makes body text 100 % K and text under 9 pt a single ink.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.colors import CMYKColor, CMYKColorSep, Color, toColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from .errors import Location, Problem
from .models import Brand, Layout, PressSpec
from .pdfx import TR006, profile_bytes

if TYPE_CHECKING:
    from PIL.Image import Image
    from PIL.ImageCms import ImageCmsTransform

    from .project import Project
    from .styles import Theme

#: a brand colour given in CMYK: its sRGB (0-255) → its CMYK (0-1)
CmykTable = dict[tuple[int, int, int], tuple[float, float, float, float]]

#: Registration colour for crop and fold marks: they must show on every plate.
REGISTRATION = CMYKColor(1, 1, 1, 1)


def rgb_to_cmyk(
    r: float, g: float, b: float, profile: str = TR006.profile
) -> tuple[float, float, float, float]:
    """sRGB → CMYK (rules 2 and 3 of the module docstring); values 0-1."""
    if r == g == b:
        return 0.0, 0.0, 0.0, round(1.0 - r, 4)
    return _icc(profile, (round(r * 255), round(g * 255), round(b * 255)))


@lru_cache(maxsize=4)
def _transform(profile: str) -> ImageCmsTransform:
    """sRGB → the profile's CMYK: relative colorimetric, black-point compensation."""
    from PIL import ImageCms

    srgb = ImageCms.createProfile("sRGB")
    out = ImageCms.ImageCmsProfile(io.BytesIO(profile_bytes(profile)))
    return ImageCms.buildTransform(
        srgb,
        out,
        "RGB",
        "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
    )


@lru_cache(maxsize=1024)
def _icc(profile: str, rgb: tuple[int, int, int]) -> tuple[float, float, float, float]:
    from PIL import Image, ImageCms

    px = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), _transform(profile))
    assert px is not None
    c, m, y, k = px.getpixel((0, 0))  # type: ignore[misc]
    return round(c / 255, 4), round(m / 255, 4), round(y / 255, 4), round(k / 255, 4)


#: a brand with no CMYK values of its own (for :func:`single_ink`)
_NO_BRAND = Brand.model_construct(cmyk={})


def _key(colour: Color) -> tuple[int, int, int]:
    return (round(colour.red * 255), round(colour.green * 255), round(colour.blue * 255))


def _brand_table(brand: Brand) -> CmykTable:
    """#RRGGBB of each brand colour that has a ``cmyk`` value → that value (0-1)."""
    table: CmykTable = {}
    for name, v in brand.cmyk.items():
        hex_value = getattr(brand.colors, name)
        table.setdefault(_key(toColor(hex_value)), (v[0] / 100, v[1] / 100, v[2] / 100, v[3] / 100))
    return table


def cmyk_converter(brand: Brand, profile: str = TR006.profile) -> Callable[[object], Color]:
    """A ReportLab ``enforceColorSpace`` callable: any colour in, a CMYK colour out (through
    ``profile``, a file in ``profiles/``)."""
    table = _brand_table(brand)

    def convert(value: object) -> Color:
        colour = toColor(value)
        if isinstance(colour, CMYKColorSep):
            plain = colour.clone()
            plain.__class__ = CMYKColor
            return plain
        if isinstance(colour, CMYKColor):
            return colour
        alpha = getattr(colour, "alpha", None)
        given = table.get(_key(colour))
        c, m, y, k = given or rgb_to_cmyk(colour.red, colour.green, colour.blue, profile)
        return CMYKColor(c, m, y, k, alpha=alpha)

    return convert


#: Text smaller than this is set in one ink (four plates out of register blur small type).
SINGLE_INK_BELOW = 9.0
BLACK = CMYKColor(0, 0, 0, 1)


def single_ink(colour: Color, profile: str = TR006.profile) -> CMYKColor:
    """``colour`` in one ink: kept if it already is, else black ink as dark as it looks."""
    cmyk = cmyk_converter(_NO_BRAND, profile)(colour)
    inks = [v for v in (cmyk.cyan, cmyk.magenta, cmyk.yellow, cmyk.black) if v > 0.001]
    if len(inks) <= 1:
        return CMYKColor(cmyk.cyan, cmyk.magenta, cmyk.yellow, cmyk.black)
    r, g, b = toColor(colour).rgb()
    lightness = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return CMYKColor(0, 0, 0, round(1 - lightness, 4))


def press_theme(theme: Theme, profile: str = TR006.profile) -> Theme:
    """The theme for press output, in place: body text 100 % K (a "90 % black" prints as a
    dot screen and looks fuzzy) and every text style under 9 pt in a single ink; the muted
    colour (small print: page numbers, footers) in black ink only."""
    text = theme.colours["text"]
    theme.colours["text"] = BLACK
    theme.colours["muted"] = single_ink(theme.colours["muted"], profile)
    for style in theme.styles.values():
        if style.textColor == text:
            style.textColor = BLACK
        if style.fontSize < SINGLE_INK_BELOW:
            style.textColor = single_ink(style.textColor, profile)
    return theme


class _CMYKImage(ImageReader):
    """A PIL CMYK image with an optional alpha channel that ReportLab writes as a soft mask."""

    def __init__(self, image: Image, alpha: Image | None) -> None:
        super().__init__(image)
        self._alpha = alpha

    def getRGBData(self) -> bytes:
        if getattr(self, "_data", None) is None:
            self.mode = "CMYK"
            self._data = self._image.tobytes()
            self._dataA = ImageReader(self._alpha) if self._alpha is not None else None
        return self._data


def cmyk_image(path: Path, brand: Brand, profile: str = TR006.profile) -> ImageReader:
    """A raster logo for press output: pixels converted like colours, transparency kept."""
    return _cmyk_image(path, tuple(sorted(_brand_table(brand).items())), profile)


@lru_cache(maxsize=8)
def _cmyk_image(
    path: Path, table: tuple[tuple[tuple[int, int, int], tuple[float, ...]], ...], profile: str
) -> ImageReader:
    from PIL import Image

    given = dict(table)
    with Image.open(path) as im:
        rgba = im.convert("RGBA")
    has_alpha = rgba.getextrema()[3][0] < 255
    lut: dict[tuple[int, int, int], tuple[int, ...]] = {}
    pixels = []
    rgb = iter(rgba.convert("RGB").tobytes())  # (Image.getdata() is deprecated in Pillow 12)
    for px in zip(rgb, rgb, rgb, strict=True):
        out = lut.get(px)
        if out is None:
            cmyk = given.get(px) or rgb_to_cmyk(px[0] / 255, px[1] / 255, px[2] / 255, profile)
            out = lut[px] = tuple(round(v * 255) for v in cmyk)
        pixels.append(out)
    image = Image.new("CMYK", rgba.size)
    image.putdata(pixels)
    return _CMYKImage(image, rgba.getchannel("A") if has_alpha else None)


def draw_marks(
    canv: Canvas, width: float, height: float, spec: PressSpec, folds: Sequence[float] = ()
) -> None:
    """Crop marks at the four corners and fold marks at ``folds`` (x positions), in the bleed.

    Coordinates are trim coordinates: the trimmed piece is (0, 0)-(width, height). Marks start
    ``spec.mark_offset`` outside the trim, so none of them shows on the trimmed piece.
    """
    off, length = spec.mark_offset, spec.mark_length
    canv.saveState()
    canv.setStrokeColor(REGISTRATION)
    canv.setLineWidth(spec.mark_width)
    canv.setLineCap(0)
    for x in (0.0, width):
        out = -1.0 if x == 0.0 else 1.0
        for y in (0.0, height):
            up = -1.0 if y == 0.0 else 1.0
            # a horizontal stroke on the line of the trim's horizontal edge, and a vertical one
            canv.line(x + out * off, y, x + out * (off + length), y)
            canv.line(x, y + up * off, x, y + up * (off + length))
    if folds:
        canv.setDash(2, 1)
        for x in folds:
            canv.line(x, -off, x, -(off + length))
            canv.line(x, height + off, x, height + off + length)
    canv.restoreState()


def press_problems(project: Project, layouts: Mapping[str, Layout]) -> list[Problem]:
    """Layouts that cannot make press output (no ``press:`` block), pointing at their files."""
    return [
        Problem(
            Location(project.layout_path(name)),
            "press",
            "missing: --target press needs the bleed and marks (see layouts/trifold.yaml)",
        )
        for name, layout in layouts.items()
        if layout.press is None
    ]
