"""High contrast for large print: every text near black, on white or on a light tint that
black reads on at WCAG 2's AAA contrast (7:1); brand colours kept for rules and borders."""

from __future__ import annotations

from reportlab.lib.colors import Color, HexColor, toColor

from ..styles import Theme

#: Text colour: near black (21:1 on white).
INK = HexColor("#000000")
#: Secondary text (footer): still near black.
INK_SOFT = HexColor("#1A1A1A")
#: WCAG 2 contrast at least this for any text (AAA for normal text).
MIN_CONTRAST = 7.0
#: the theme's text styles that :func:`high_contrast` makes near black
_TEXT_STYLES = (
    "body",
    "heading",
    "heading_warning",
    "heading_callout",
    "title",
    "subtitle",
    "tagline",
    "small",
    "small_center",
    "label",
    "contact",
    "contact_big",
)


def luminance(colour: Color) -> float:
    """WCAG 2 relative luminance."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(x) for x in colour.rgb())
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Color, b: Color) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def high_contrast(theme: Theme) -> Theme:
    """Recolour ``theme`` in place: text near black; tints that black would not read on, white."""
    white = toColor("#FFFFFF")
    col = theme.colours
    col["text"] = INK
    col["muted"] = INK_SOFT
    for tint in ("light", "warning_light"):
        if contrast(INK, col[tint]) < MIN_CONTRAST:
            col[tint] = white
    for name in _TEXT_STYLES:
        theme.styles[name].textColor = INK
    if contrast(col["warning"], white) < MIN_CONTRAST:
        theme.styles["mark"].textColor = INK
    return theme
