"""Fonts: the bundled faces, a brand's own faces, and character-by-character fallback.

The body face is Atkinson Hyperlegible (OFL) unless the brand file names its own
(``fonts:``, see :func:`brand_fonts`); a face the brand does not give is Atkinson's
of that style. Characters the body family lacks (``ễ`` in "Nguyễn", arrows,
Cyrillic, …) are set in DejaVu Sans, run by run, so a name never prints as empty
boxes. A character neither has is reported, never drawn as a box.

A :class:`FontSet` names one registered family and knows what it can print; every
part of a layout that sets text gets it from the theme, never from a global.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from .errors import HandoutError, Location, Problem, display_path
from .files import MAX_FONT_BYTES, InputRefused, check_input

if TYPE_CHECKING:
    from collections.abc import Callable

    from reportlab.pdfgen.canvas import Canvas

    from .models import Brand

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"

BODY = "HPBody"
FALLBACK = "HPFallback"

#: ReportLab's style names, in the order of the brand file's keys (:data:`FACES`)
_STYLES = ("normal", "bold", "italic", "boldItalic")
#: the brand file's ``fonts:`` keys
FACES = ("regular", "bold", "italic", "bold_italic")

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


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities for ReportLab's paragraph markup (what
    ``xml.sax.saxutils.escape`` does; that module imports urllib, http and ssl: 25 ms)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_STYLE_FLAGS = {"normal": (0, 0), "bold": (1, 0), "italic": (0, 1), "boldItalic": (1, 1)}


def _face_name(family: str, style: str) -> str:
    return family if style == "normal" else f"{family}-{style}"


@dataclass(frozen=True)
class FontSet:
    """One registered body family (names of its faces) and the fallback family.

    ``brand``: the faces come from the brand file (messages then say so); ``files``: the
    brand's font files (regular, bold, italic, bold italic; None: Atkinson's). A set sent to
    another process (a batch worker) registers its fonts there when it arrives.
    """

    regular: str = BODY
    bold: str = f"{BODY}-bold"
    italic: str = f"{BODY}-italic"
    bold_italic: str = f"{BODY}-boldItalic"
    fallback: str = FALLBACK
    brand: bool = False
    files: tuple[Path | None, ...] = ()
    #: where the fallback family's files are (registered from there when first needed)
    font_dir: Path = FONT_DIR

    def __reduce__(self) -> tuple[Callable[..., FontSet], tuple[object, ...]]:
        if self.brand:
            return _brand_family, (self.files,)
        return _bundled, ()

    @cached_property
    def body_chars(self) -> frozenset[int]:
        """Code points every face of the body family has (a paragraph's style may be any
        of them, so a character one face lacks is set in the fallback in all of them)."""
        faces = (self.regular, self.bold, self.italic, self.bold_italic)
        common = frozenset(pdfmetrics.getFont(self.regular).face.charToGlyph)
        for name in faces[1:]:
            common &= frozenset(pdfmetrics.getFont(name).face.charToGlyph)
        return common

    @cached_property
    def fallback_chars(self) -> frozenset[int]:
        """Code points the fallback family has (registers it: only asked for a character
        the body family lacks)."""
        _register_fallback_face(self.font_dir)
        return frozenset(pdfmetrics.getFont(self.fallback).face.charToGlyph)

    @cached_property
    def body_set(self) -> frozenset[str]:
        """:attr:`body_chars` as strings (for a fast ``issuperset``)."""
        return frozenset(chr(c) for c in self.body_chars)

    @cached_property
    def printable(self) -> frozenset[str]:
        """Every character the body family or the fallback can print, and the space."""
        return frozenset(chr(c) for c in self.body_chars | self.fallback_chars) | {" "}

    @property
    def cannot_print(self) -> str:
        """Who cannot print a character, for messages: ``has characters … can print``."""
        if self.brand:
            return "neither the brand's fonts nor the fallback font (DejaVu Sans)"
        return "no bundled font"

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` that neither family can print (in order, once each)."""
        body = self.body_chars
        out: list[str] = []
        for ch in text:
            cp = ord(ch)
            if cp in body or _printable_control(ch) or ch in out or cp in self.fallback_chars:
                continue
            out.append(ch)
        return out

    def fallback_face(self, face: str) -> str:
        """The fallback's face of the same style as ``face`` (one of this set's)."""
        faces = (self.regular, self.bold, self.italic, self.bold_italic)
        style = _STYLES[faces.index(face)] if face in faces else "normal"
        _register_fallback_face(self.font_dir, style)
        return _face_name(self.fallback, style)

    def face_with(self, text: str, face: str) -> str:
        """``face``, or the fallback's of its style when the body family lacks a character
        of ``text`` (a list's bullet in a brand face without "•")."""
        return face if self.body_set.issuperset(text) else self.fallback_face(face)

    def runs(self, text: str) -> list[tuple[bool, str]]:
        """``text`` split into runs: (needs the fallback, chunk); the fallback family is
        registered when a run needs it."""
        body = self.body_chars
        out: list[tuple[bool, str]] = []
        for ch in text:
            fb = ord(ch) not in body and ch != " "
            if out and out[-1][0] == fb:
                out[-1] = (fb, out[-1][1] + ch)
            else:
                out.append((fb, ch))
        if any(fb for fb, _ in out):  # (a caller drawing in another face: fallback_face)
            _register_fallback_face(self.font_dir)
        return out

    def string_width(self, text: str, face: str, size: float) -> float:
        """Width of one line set by :meth:`draw_string`."""
        if self.body_set.issuperset(text):
            return float(stringWidth(text, face, size))
        fallback = self.fallback_face(face)
        return sum(
            stringWidth(chunk, fallback if fb else face, size) for fb, chunk in self.runs(text)
        )

    def draw_string(
        self,
        canv: Canvas,
        x: float,
        y: float,
        text: str,
        face: str,
        size: float,
        align: str = "left",
    ) -> None:
        """Draw one line of plain text in ``face`` (set on ``canv`` at ``size`` by the
        caller), the characters the family lacks in the fallback; ``align``: left, center or
        right of ``x``. The canvas's font is ``face`` again afterwards."""
        if self.body_set.issuperset(text):
            if align == "center":
                canv.drawCentredString(x, y, text)
            elif align == "right":
                canv.drawRightString(x, y, text)
            else:
                canv.drawString(x, y, text)
            return
        width = self.string_width(text, face, size)
        x -= {"center": width / 2, "right": width}.get(align, 0.0)
        fallback = self.fallback_face(face)
        for fb, chunk in self.runs(text):
            run_face = fallback if fb else face
            canv.setFont(run_face, size)
            canv.drawString(x, y, chunk)
            x += stringWidth(chunk, run_face, size)
        canv.setFont(face, size)

    def markup(self, text: str, bold: bool = False, italic: bool = False) -> str:
        """Escape ``text`` for a ReportLab Paragraph and wrap runs the body family lacks in
        the fallback.

        ``bold``/``italic`` pick the fallback's matching face (ReportLab does not map
        ``<b>`` onto a ``<font face>`` inside it).

        Whitespace other than a line break collapses as in HTML; a newline becomes ``<br/>``.
        """
        if self.body_set.issuperset(text):  # (the usual case: no run in the fallback)
            return escape(text).replace("\n", "<br/>")
        body = self.body_chars
        face = _face_name(self.fallback, _STYLES[int(bold) + 2 * int(italic)])
        _register_fallback(self.font_dir)
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
            need_fallback = (
                cp not in body and not _printable_control(ch) and cp in self.fallback_chars
            )
            if need_fallback != in_fallback:
                flush()
                in_fallback = need_fallback
            run.append(ch)
        flush()
        return "".join(parts)


@lru_cache(maxsize=1)
def register(font_dir: Path = FONT_DIR) -> FontSet:
    """Register the bundled body family once per process; fail with the file name if a
    face is bad. The fallback family (DejaVu Sans, four faces of 0.3-0.7 MB) is registered
    when a character first needs it (:func:`_register_fallback`); that its files are there
    is checked now, so a missing one is still reported at once."""
    _register_family(BODY, font_dir)
    for filename in _FAMILIES[FALLBACK].values():
        path = font_dir / filename
        if not path.is_file():
            raise HandoutError([Problem(Location(path), "", "font cannot be loaded: not found")])
    return FontSet(font_dir=font_dir)


def _register_family(family: str, font_dir: Path) -> None:
    for style in _FAMILIES[family]:
        _register_face(family, style, font_dir)


@cache
def _register_face(family: str, style: str, font_dir: Path) -> None:
    name = _face_name(family, style)
    path = font_dir / _FAMILIES[family][style]
    try:
        pdfmetrics.registerFont(TTFont(name, str(path)))
    except (TTFError, OSError) as exc:
        raise HandoutError([Problem(Location(path), "", f"font cannot be loaded: {exc}")]) from None
    bold, italic = _STYLE_FLAGS[style]
    addMapping(family, bold, italic, name)


@lru_cache(maxsize=1)
def _register_fallback(font_dir: Path) -> None:
    """Register the fallback family, once, when paragraph text has a character the body
    family lacks (a paragraph may set it in any of the faces)."""
    _register_family(FALLBACK, font_dir)


def _register_fallback_face(font_dir: Path, style: str = "normal") -> None:
    """Register one face of the fallback family (a line drawn or measured in that face:
    an address line needs only the regular one; each face is 0.6-0.75 MB to parse)."""
    _register_face(FALLBACK, style, font_dir)


# --------------------------------------------------------------------------- brand faces

#: OS/2 fsType bits (OpenType spec): embedding permissions
_FS_RESTRICTED = 0x0002
_FS_LESS_RESTRICTIVE = 0x000C  # preview & print, editable: either overrides "restricted"
_FS_NO_SUBSETTING = 0x0100
_FS_BITMAP_ONLY = 0x0200
#: ReportLab embeds a font that forbids subsetting whole, if it has at most this many glyphs
_WHOLE_FONT_GLYPHS = 0xFF
#: A text face must have these, or the brand's text would all be set in the fallback.
_BASIC_LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


class FontFileError(Exception):
    """A brand's font file cannot be used (the message says why, without the path)."""


def _tables(data: bytes) -> dict[bytes, tuple[int, int]]:
    """The sfnt table directory: tag → (offset, length)."""
    (count,) = struct.unpack_from(">H", data, 4)
    out = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        out[tag] = (offset, length)
    return out


def _fs_type(data: bytes) -> tuple[int, int]:
    """(OS/2 fsType, number of glyphs); fsType 0 when the font has no OS/2 table."""
    tables = _tables(data)
    fs_type = 0
    if b"OS/2" in tables:
        (fs_type,) = struct.unpack_from(">H", data, tables[b"OS/2"][0] + 8)
    (glyphs,) = struct.unpack_from(">H", data, tables[b"maxp"][0] + 4)
    return fs_type, glyphs


def check_face(path: Path) -> TTFont:
    """Load a brand's font file as ReportLab would embed it; raise FontFileError if it
    cannot be used: missing, unreadable, not a TrueType font, a CFF-outline OpenType font,
    a licence that forbids embedding, or no basic Latin letters."""
    if not path.exists():
        raise FontFileError(f"font file not found: {display_path(path)}")
    try:  # a FIFO or /dev/zero would hang or fill memory
        check_input(path, MAX_FONT_BYTES)
    except InputRefused as exc:
        raise FontFileError(str(exc)) from None
    try:
        stat = path.stat()
        return _check_face(path, stat.st_size, stat.st_mtime_ns)
    except OSError as exc:
        raise FontFileError(f"font file cannot be read: {exc.strerror or exc}") from None


@lru_cache(maxsize=16)
def _check_face(path: Path, size: int, mtime_ns: int) -> TTFont:
    """:func:`check_face` once per file and version (a failure is not cached)."""
    data = path.read_bytes()
    head = data[:4]
    if head == b"OTTO":
        raise FontFileError(
            "OpenType font with PostScript (CFF) outlines, which cannot be embedded; "
            "use a TrueType (.ttf) version of the font"
        )
    if head in (b"wOFF", b"wOF2"):
        raise FontFileError("a web font (WOFF); use a TrueType (.ttf) version of the font")
    if head == b"ttcf":
        raise FontFileError("a font collection (.ttc); use a single TrueType (.ttf) font")
    if head not in (b"\x00\x01\x00\x00", b"true"):
        raise FontFileError("not a TrueType font file (.ttf)")
    try:
        fs_type, glyphs = _fs_type(data)
    except (struct.error, KeyError):
        raise FontFileError("not a usable TrueType font (damaged tables)") from None
    if fs_type & _FS_RESTRICTED and not fs_type & _FS_LESS_RESTRICTIVE:
        raise FontFileError(
            f"the font's licence forbids embedding it in a PDF (OS/2 fsType 0x{fs_type:04X}: "
            "restricted licence); use a font that allows embedding"
        )
    if fs_type & _FS_BITMAP_ONLY:
        raise FontFileError(
            f"the font's licence allows embedding only bitmaps (OS/2 fsType 0x{fs_type:04X}); "
            "use a font that allows embedding"
        )
    if fs_type & _FS_NO_SUBSETTING and glyphs > _WHOLE_FONT_GLYPHS:
        raise FontFileError(
            f"the font's licence forbids subsetting (OS/2 fsType 0x{fs_type:04X}) and it has "
            f"too many glyphs ({glyphs}) to embed whole; use a font that allows subsetting"
        )
    try:
        font = TTFont(f"HPCheck-{hashlib.sha256(data).hexdigest()[:16]}", str(path))
    except TTFError as exc:
        raise FontFileError(f"font cannot be loaded: {_short(exc, path)}") from None
    except Exception as exc:  # ReportLab's parser fails in many ways on a damaged file
        raise FontFileError(f"not a usable TrueType font ({type(exc).__name__})") from None
    lacking = [ch for ch in _BASIC_LATIN if ord(ch) not in font.face.charToGlyph]
    if lacking:
        raise FontFileError(
            f"the font has no {', '.join(lacking[:3])}{' …' if len(lacking) > 3 else ''}: "
            "a text face needs the basic Latin letters and digits (is it a symbol font?)"
        )
    return font


def _short(exc: Exception, path: Path) -> str:
    return str(exc).replace(f'"{path}"', "").replace(str(path), "").strip(" :")


def brand_font_paths(brand: Brand, brand_path: Path) -> dict[str, Path]:
    """The faces the brand file names (``fonts.regular`` …), resolved against its folder."""
    if brand.fonts is None:
        return {}
    given = {face: getattr(brand.fonts, face) for face in FACES}
    return {face: (brand_path.parent / p).resolve() for face, p in given.items() if p}


def brand_fonts(brand: Brand, brand_path: Path) -> FontSet:
    """The brand's faces registered as one family (the bundled one when it names none).

    A face the brand does not name is Atkinson Hyperlegible's of that style. Raises one
    HandoutError (at the font file) if a face cannot be used; ``build``, ``batch`` and
    ``check`` report it at its line in the brand file first (``build.font_problems``).
    """
    bundled = register()
    paths = brand_font_paths(brand, brand_path)
    if not paths:
        return bundled
    return _brand_family(tuple(paths.get(face) for face in FACES))


def _bundled() -> FontSet:
    return register()


@lru_cache(maxsize=8)
def _brand_family(paths: tuple[Path | None, ...]) -> FontSet:
    files: list[tuple[Path, bytes | None]] = []
    problems = []
    for face, style, path in zip(FACES, _STYLES, paths, strict=True):
        if path is None:
            files.append((FONT_DIR / _FAMILIES[BODY][style], None))
            continue
        try:
            check_face(path)
        except FontFileError as exc:
            problems.append(Problem(Location(path), f"fonts.{face}", str(exc)))
            continue
        files.append((path, path.read_bytes()))
    if problems:
        raise HandoutError(problems)
    # the family's name comes from the files' contents: the same faces, the same family
    digest = hashlib.sha256()
    for path, data in files:
        digest.update(hashlib.sha256(data).digest() if data is not None else path.name.encode())
    family = f"HPBrand-{digest.hexdigest()[:12]}"
    names = [_face_name(family, style) for style in _STYLES]
    for (path, _), style, name in zip(files, _STYLES, names, strict=True):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        addMapping(family, *_STYLE_FLAGS[style], name)
    regular, bold, italic, bold_italic = names
    return FontSet(regular, bold, italic, bold_italic, brand=True, files=paths)


# --------------------------------------------------------------------------- the bundled set


def _printable_control(ch: str) -> bool:
    return ch in "\n\t "


def missing_glyphs(text: str) -> list[str]:
    """Characters of ``text`` that no bundled font can print (in order, once each)."""
    return register().missing(text)


def describe_chars(chars: list[str]) -> str:
    return ", ".join(f"U+{ord(c):04X}" for c in chars)


def markup(text: str, bold: bool = False, italic: bool = False) -> str:
    """:meth:`FontSet.markup` with the bundled fonts (layouts use their theme's set)."""
    return register().markup(text, bold, italic)
