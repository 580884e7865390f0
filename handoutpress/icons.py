"""Bundled pictograms (``icon: phone`` on a section): names, files, alt text, drawing.

The SVG files are Tabler Icons (MIT licence, ``layouts/icons/LICENSE``), outline style,
24 x 24 with ``stroke="currentColor"``; they are drawn in the colour of the heading they
stand beside. :data:`~handoutpress.icon_catalog.ICONS` is the list a handout may name;
anything else is an error with a suggestion.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.colors import Color
from reportlab.platypus import Paragraph

from .icon_catalog import ICONS
from .images import draw_shared
from .layoutonly import is_layout_only
from .lonewords import NoLoneWord
from .startup import svg_reader

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

ICON_DIR = Path(__file__).resolve().parent.parent / "layouts" / "icons"
#: an icon file is a few hundred bytes; anything bigger is not one of ours
MAX_ICON_BYTES = 64_000


@lru_cache(maxsize=64)
def icon_drawing(name: str, colour_hex: str) -> Drawing:
    """The icon as a drawing in ``colour_hex`` (``#RRGGBB``), 24 x 24 units (18 pt)."""
    svg2rlg = svg_reader()  # (svglib without its command-line tool)

    path = ICON_DIR / ICONS[name].file
    with path.open("rb") as f:
        data = f.read(MAX_ICON_BYTES + 1)
    if len(data) > MAX_ICON_BYTES:
        raise ValueError(f"{path.name} is not a bundled icon (too large)")
    text = data.decode("utf-8").replace("currentColor", colour_hex)
    drawing = svg2rlg(io.BytesIO(text.encode("utf-8")))
    if drawing is None:
        raise ValueError(f"{path.name} cannot be read")
    return drawing


class IconHeading(NoLoneWord):
    """A heading with a pictogram in the space to the left of its first line.

    The icon is as tall as the heading's type (``size`` x its font size) and sits in the
    heading's left indent, its centre on the first line's x-height; the heading's wrapped
    lines align with the first. ``alt`` is the icon's alt text (the heading says the rest),
    for tagging; ``icon`` its name.
    """

    SIZE = 1.25  # icon height as a multiple of the font size
    GAP = 0.4  # space between icon and text, as a multiple of the font size

    def __init__(
        self, text: str, style: object, icon: str, colour: Color, language: str = "en"
    ) -> None:
        from reportlab.lib.styles import ParagraphStyle

        assert isinstance(style, ParagraphStyle)
        size = style.fontSize * self.SIZE
        indented = ParagraphStyle(
            f"{style.name}_icon",
            parent=style,
            leftIndent=style.leftIndent + size + style.fontSize * self.GAP,
        )
        super().__init__(text, indented)
        self.icon = icon
        self.icon_size = size
        self.icon_colour = colour
        self.icon_x = style.leftIndent
        alts = ICONS[icon].alt
        self.alt = alts.get(language.split("-")[0].lower(), alts["en"])
        self.decorative = True

    def split(self, availWidth: float, availHeight: float) -> list[Paragraph]:
        return []  # a heading moves whole (it is kept with the text under it)

    def draw(self) -> None:
        if not is_layout_only(self.canv):  # (check: the icon changes nothing it finds)
            self._draw_icon()
        super().draw()

    def _draw_icon(self) -> None:
        drawing = icon_drawing(self.icon, self.icon_colour.hexval().replace("0x", "#"))
        style = self.style
        first_baseline = self.height - style.leading + (style.leading - style.fontSize) * 0.2
        # centre the icon on the middle of the capitals of the first line
        middle = first_baseline + style.fontSize * 0.35
        scale = self.icon_size / drawing.width
        canv = self.canv
        canv.saveState()
        canv.translate(self.icon_x, middle - self.icon_size / 2)
        canv.scale(scale, scale)
        draw_shared(drawing, canv, style.fontName)  # (the drawing is cached: shared)
        canv.restoreState()


class IconItem(Paragraph):
    """A list item with a pictogram in place of its bullet (``- {icon:ice} Put ice…``).

    The icon is ``size`` x the font size, at the style's ``bulletIndent``, centred on the
    first line; the words are the item's text (the icon is drawn with them and has no text
    of its own, so a screen reader reads the words)."""

    SIZE = 1.3

    def __init__(self, text: str, style: object, icon: str, colour: Color) -> None:
        super().__init__(text, style)
        self.icon = icon
        self.icon_colour = colour

    def draw(self) -> None:
        if not is_layout_only(self.canv):  # (check: the icon changes nothing it finds)
            self._draw_icon()
        super().draw()

    def _draw_icon(self) -> None:
        style = self.style
        drawing = icon_drawing(self.icon, self.icon_colour.hexval().replace("0x", "#"))
        size = style.fontSize * self.SIZE
        first_baseline = self.height - style.leading + (style.leading - style.fontSize) * 0.2
        middle = first_baseline + style.fontSize * 0.35
        canv = self.canv
        canv.saveState()
        canv.translate(style.bulletIndent, middle - size / 2)
        canv.scale(size / drawing.width, size / drawing.width)
        draw_shared(drawing, canv, style.fontName)
        canv.restoreState()
