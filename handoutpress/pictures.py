"""Pictures: Markdown images in section bodies and the cover image, found, checked, drawn.

A picture is ``![what it shows](images/ice.svg)`` on a line of its own, optionally followed
by ``{width=50%}`` (a fraction of the column) and/or ``{decorative}`` (no alt text needed:
it only decorates). The file is an SVG or a PNG, relative to the handout file and inside
the handout's folder (``handouts/`` for the shipped handouts). It is read with the logo
reader (:func:`~handoutpress.images.load_logo`), drawn as vectors (SVG) or at no fewer than
:data:`MIN_PPI` pixels per inch (PNG: a small picture is drawn smaller, never blown up), and
carries its alt text on the flowable (``alt``) for tagging.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from reportlab.platypus import Flowable
from reportlab.platypus.doctemplate import LayoutError

from .errors import HandoutError, Location, Problem
from .fonts import FontSet
from .images import Logo, PlacedImage, load_logo
from .loading import Document, Key, dotted
from .markdown import Block, Picture, pictures

#: A raster picture is never drawn so large that it has fewer pixels per inch than this.
MIN_PPI = 150
#: ``check`` warns when a raster picture is placed below this (as it checks logos).
WARN_PPI = 200
#: Size of a PNG in points at 300 ppi (the logo reader's natural size): px = pt / 0.24.
_PX_PER_PT = 1 / 0.24

SUFFIXES = (".svg", ".png")
_ATTRIBUTE = re.compile(r"^width=(\d{1,3})%$")


def _parse_attributes(text: str) -> tuple[float, bool, str | None]:
    """``{width=50% decorative}`` → (0.5, True, None) or an error message."""
    width, decorative = 1.0, False
    inner = text.strip()[1:-1] if text else ""
    for word in inner.replace(",", " ").split():
        m = _ATTRIBUTE.match(word)
        if word == "decorative":
            decorative = True
        elif m and 10 <= int(m.group(1)) <= 100:
            width = int(m.group(1)) / 100
        elif m:
            return width, decorative, f"width {m.group(1)}% is outside 10% to 100%"
        else:
            return (
                width,
                decorative,
                f"unknown picture setting {word!r} (use {{width=50%}} or {{decorative}})",
            )
    return width, decorative, None


def picture_file(src: str, base: Path) -> tuple[Path | None, str | None]:
    """The file ``src`` names, relative to ``base`` (the handout's folder) and inside it."""
    if not src.strip():
        return None, "a picture needs a file: ![what it shows](images/name.svg)"
    if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
        return None, f"{src}: pictures are files beside the handout, not web addresses"
    if src.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", src):
        return None, f"{src}: give the picture's path relative to the handout file"
    root = base.resolve()
    path = (root / src).resolve()
    if not path.is_relative_to(root):
        return None, (
            f"{src} is outside the handout's folder ({root.name}/); copy the picture into it"
        )
    if path.suffix.lower() not in SUFFIXES:
        return None, f"{src}: a picture must be an SVG or PNG file"
    if not path.is_file():
        return None, f"{src}: picture file not found"
    return path, None


def load_picture(path: Path, field: str, fonts: FontSet | None, folder: Path | None) -> Logo:
    """Read and check the file with the logo reader (its safe reads and size limits); an
    SVG's own references may only reach files in ``folder`` (the handout's)."""
    return load_logo(path, field, fonts, folder)


def resolve(
    picture: Picture,
    doc: Document,
    key: Key,
    fonts: FontSet | None,
    problems: list[Problem],
) -> Picture:
    """Check a picture of the body at ``key``: the line is written, the file exists inside the
    handout's folder and reads; alt text given unless ``{decorative}``. Problems are added to
    ``problems`` at the picture's line; the resolved picture is returned."""
    line = doc.text_line(key, picture.line + 1)
    col = doc.column_of(line, "![") if doc.styles.get(tuple(key)) in ("|", ">") else None
    where = Location(doc.path, line, col) if col else doc.locate(key)
    field = dotted(key)
    resolved = dataclasses.replace(picture, location=where, field=field)

    def fail(message: str) -> Picture:
        problems.append(Problem(where, field, message))
        return resolved

    if not picture.alone:
        return fail("a picture goes on a line of its own (no text beside it on that line)")
    width, decorative, bad = _parse_attributes(picture.attributes)
    if bad:
        return fail(bad)
    if not picture.alt.strip() and not decorative:
        return fail(
            f"picture {picture.src or '(no file)'} has no alt text: write what it shows, "
            f"![Ice pack on the shoulder]({picture.src or 'images/ice.svg'}), or add "
            "{decorative} when it only decorates"
        )
    folder = (doc.path.parent if doc.path else Path.cwd()).resolve()
    path, bad = picture_file(picture.src, folder)
    if bad or path is None:
        return fail(bad or "picture file not found")
    try:
        load_picture(path, field, fonts, folder)
    except HandoutError as exc:
        return fail("; ".join(f"{picture.src}: {p.message}" for p in exc.problems) or exc.message)
    return dataclasses.replace(
        resolved, path=path, width=width, decorative=decorative, folder=folder
    )


def resolve_cover(
    image: str, alt: str | None, doc: Document, fonts: FontSet | None, problems: list[Problem]
) -> Picture | None:
    """``cover.image`` and ``cover.alt`` (``alt: ""`` marks a picture that only decorates)."""
    where = doc.locate(("cover", "image"))
    if alt is None:
        problems.append(
            Problem(
                where,
                "cover.image",
                'needs cover.alt: what the picture shows (or alt: "" when it only decorates)',
            )
        )
        return None
    folder = (doc.path.parent if doc.path else Path.cwd()).resolve()
    path, bad = picture_file(image, folder)
    if bad or path is None:
        problems.append(Problem(where, "cover.image", bad or "picture file not found"))
        return None
    try:
        load_picture(path, "cover.image", fonts, folder)
    except HandoutError as exc:
        problems.extend(
            Problem(where, "cover.image", f"{image}: {p.message}") for p in exc.problems
        )
        return None
    return Picture(
        image,
        alt,
        "",
        0,
        True,
        path,
        1.0,
        not alt.strip(),
        location=where,
        field="cover.image",
        folder=folder,
    )


# --------------------------------------------------------------------------- drawing


class PictureTooTall(LayoutError):
    """A picture taller than a whole page or panel: an overflow naming the picture."""

    def __init__(self, picture: Picture, height: float, room: float) -> None:
        super().__init__(f"picture {picture.src} too tall")
        self.picture = picture
        self.height = height
        self.room = room

    def problem(self, layout: str, what: str = "page") -> Problem:
        p = self.picture
        fit = max(10, int(p.width * 100 * self.room / self.height))
        return Problem(
            p.location or Location(None),
            p.field,
            f"{layout}: picture {p.src} is {self.height:.0f} pt tall, "
            f"{self.height - self.room:.0f} pt more than the {what} holds "
            f"({self.room:.0f} pt); make it smaller ({{width={fit}%}} or less) or shorter",
        )


class PictureFlowable(Flowable):
    """A picture centred in its column at ``picture.width`` of the column's width.

    ``alt`` is what it shows ("" and ``decorative`` for a picture that only decorates),
    for tagging. A PNG is never drawn wider than its pixels allow at :data:`MIN_PPI`.
    """

    def __init__(
        self,
        picture: Picture,
        logo: Logo,
        space_before: float = 3,
        space_after: float = 6,
        max_height: float | None = None,
    ) -> None:
        super().__init__()
        self.picture = picture
        #: a slot's height (the cover): the picture is made to fit in it
        self.max_height = max_height
        self.logo = logo
        self.alt = picture.alt
        self.decorative = picture.decorative or not picture.alt.strip()
        self.hAlign = "CENTER"
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.width = self.height = 0.0

    def max_width(self) -> float | None:
        """The widest a raster picture may be drawn (None: a vector picture, any size)."""
        if self.logo.drawing is not None:
            return None
        pixels = self.logo.width * _PX_PER_PT
        return pixels / MIN_PPI * 72

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        w = availWidth * self.picture.width
        cap = self.max_width()
        if cap is not None:
            w = min(w, cap)
        h = w * self.logo.height / self.logo.width
        if self.max_height is not None and h > self.max_height:
            w, h = w * self.max_height / h, self.max_height
        self.width, self.height = w, h
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        self.wrap(availWidth, availHeight)
        if frame is not None and getattr(frame, "_atTop", False) and self.height > availHeight:
            raise PictureTooTall(self.picture, self.height, availHeight)
        return []

    def draw(self) -> None:
        self.logo.draw(self.canv, 0, 0, self.width, self.height)


def picture_flowable(
    picture: Picture,
    fonts: FontSet | None,
    max_height: float | None = None,
    raster: Callable[[Logo], Logo] | None = None,
) -> PictureFlowable:
    """The flowable for a resolved picture (the file was read when it was resolved);
    ``max_height``: it fits in a slot that tall (the cover), else it is as wide as asked;
    ``raster``: prepares a PNG for the output (press: converted to CMYK)."""
    if picture.path is None:
        raise HandoutError([Problem(picture.location or Location(None), picture.field, "no file")])
    logo = load_picture(picture.path, picture.field, fonts, picture.folder)
    if raster is not None and logo.drawing is None:
        logo = raster(logo)
    return PictureFlowable(picture, logo, max_height=max_height)


def all_pictures(composed_sections: Iterable[tuple[Block, ...]]) -> list[Picture]:
    """Every resolved picture of the sections' blocks, in order."""
    return [p for blocks in composed_sections for p in pictures(blocks) if p.path is not None]


def reading_notes(found: Iterable[Picture], fonts: FontSet | None) -> list[Problem]:
    """What reading each picture noticed (an SVG reference outside the handout's folder
    dropped, a message from svglib or Pillow): a problem each, at the picture's line."""
    out: list[Problem] = []
    for picture in found:
        if picture.path is None:
            continue
        logo = load_picture(picture.path, picture.field, fonts, picture.folder)
        where = picture.location or Location(None)
        for note in logo.warnings:  # (the logo reader speaks of the brand's folder)
            note = note.replace("the brand's folder", "the handout's folder")
            out.append(Problem(where, picture.field, f"{picture.src}: {note}"))
    return list(dict.fromkeys(out))


def low_resolution(found: Iterable[Picture], placed: list[PlacedImage]) -> list[Problem]:
    """Raster pictures placed (``placed``: as renderers note them) with fewer than
    :data:`WARN_PPI` pixels per inch at their largest placed size: a problem each, at the
    picture's line."""
    out: list[Problem] = []
    seen: set[tuple[Path, int]] = set()
    for picture in found:
        if picture.path is None or picture.path.suffix.lower() != ".png":
            continue
        sizes = [p.width for p in placed if p.path == picture.path]
        if not sizes or (picture.path, picture.line) in seen:
            continue
        seen.add((picture.path, picture.line))
        from PIL import Image

        with Image.open(picture.path) as im:
            px_w, px_h = im.size
        w = max(sizes)
        ppi = px_w / (w / 72)
        if ppi < WARN_PPI - 0.5:
            out.append(
                Problem(
                    picture.location or Location(None),
                    picture.field,
                    f"picture {picture.src} is {px_w} x {px_h} pixels: {ppi:.0f} ppi at its "
                    f"placed width ({w / 72:.2f} in); print needs {WARN_PPI} ppi "
                    f"({round(w / 72 * WARN_PPI)} pixels wide or more), or use an SVG",
                )
            )
    return out
