"""Bundled fonts: registration by path, and character-by-character fallback.

The body face is Atkinson Hyperlegible (OFL). Characters it lacks (``ễ`` in
"Nguyễn", arrows, Cyrillic, …) are set in DejaVu Sans, run by run, so a name
never prints as empty boxes. A character neither face has is reported, never
drawn as a box.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from .errors import HandoutError, Location, Problem

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"

BODY = "HPBody"
FALLBACK = "HPFallback"

_FAMILIES: dict[str, dict[str, str]] = {
    BODY: {
        "normal": "AtkinsonHyperlegible-Regular.ttf",
        "bold": "AtkinsonHyperlegible-Bold.ttf",
        "italic": "AtkinsonHyperlegible-Italic.ttf",
        "boldItalic": "AtkinsonHyperlegible-BoldItalic.ttf",
    },
    FALLBACK: {
        "normal": "DejaVuSans.ttf",
        "bold": "DejaVuSans-Bold.ttf",
        "italic": "DejaVuSans-Oblique.ttf",
        "boldItalic": "DejaVuSans-BoldOblique.ttf",
    },
}

_STYLE_FLAGS = {"normal": (0, 0), "bold": (1, 0), "italic": (0, 1), "boldItalic": (1, 1)}


@dataclass(frozen=True)
class FontSet:
    """Names of the registered faces."""

    regular: str = BODY
    bold: str = f"{BODY}-bold"
    italic: str = f"{BODY}-italic"
    fallback: str = FALLBACK


@lru_cache(maxsize=1)
def register(font_dir: Path = FONT_DIR) -> FontSet:
    """Register the bundled families once per process; fail with the file name if one is bad."""
    for family, faces in _FAMILIES.items():
        for style, filename in faces.items():
            name = family if style == "normal" else f"{family}-{style}"
            path = font_dir / filename
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except (TTFError, OSError) as exc:
                raise HandoutError(
                    [Problem(Location(path), "", f"font cannot be loaded: {exc}")]
                ) from None
            bold, italic = _STYLE_FLAGS[style]
            addMapping(family, bold, italic, name)
    return FontSet()


@lru_cache(maxsize=1)
def _coverage() -> tuple[frozenset[int], frozenset[int]]:
    register()
    body = pdfmetrics.getFont(BODY).face.charToGlyph
    fallback = pdfmetrics.getFont(FALLBACK).face.charToGlyph
    return frozenset(body), frozenset(fallback)


def _printable_control(ch: str) -> bool:
    return ch in "\n\t "


def missing_glyphs(text: str) -> list[str]:
    """Characters of ``text`` that no bundled font can print (in order, once each)."""
    body, fallback = _coverage()
    out: list[str] = []
    for ch in text:
        cp = ord(ch)
        if cp in body or cp in fallback or _printable_control(ch) or ch in out:
            continue
        out.append(ch)
    return out


def describe_chars(chars: list[str]) -> str:
    return ", ".join(f"U+{ord(c):04X}" for c in chars)


def markup(text: str, bold: bool = False, italic: bool = False) -> str:
    """Escape ``text`` for a ReportLab Paragraph and wrap runs the body face lacks in the fallback.

    ``bold``/``italic`` pick the fallback's matching face (ReportLab does not map
    ``<b>`` onto a ``<font face>`` inside it).

    Whitespace other than a line break collapses as in HTML; a newline becomes ``<br/>``.
    """
    body, fallback = _coverage()
    face = (
        FALLBACK
        + {(0, 0): "", (1, 0): "-bold", (0, 1): "-italic", (1, 1): "-boldItalic"}[
            (int(bold), int(italic))
        ]
    )
    parts: list[str] = []
    run: list[str] = []
    in_fallback = False

    def flush() -> None:
        if run:
            chunk = escape("".join(run)).replace("\n", "<br/>")
            parts.append(f'<font face="{face}">{chunk}</font>' if in_fallback else chunk)
            run.clear()

    for ch in text:
        cp = ord(ch)
        need_fallback = cp not in body and cp in fallback and not _printable_control(ch)
        if need_fallback != in_fallback:
            flush()
            in_fallback = need_fallback
        run.append(ch)
    flush()
    return "".join(parts)
