"""An SVG logo made safe before svglib sees it: no reference leaves the brand's folder.

A logo is drawn into every handout, so an SVG that pulls in another file (``<image href>``,
``<use href>``, ``xlink:href``, CSS ``url()``) could print any file the process can read. Here:

- ``#name`` references (inside the file) stay;
- a relative reference to a PNG or JPEG inside the brand's folder is checked like a raster logo
  (regular file, size, pixels) and embedded into the SVG, so svglib opens no file itself;
- everything else is dropped with a warning: absolute paths, ``file:``, ``http(s):``, ``data:``
  and any other URL, references outside the brand's folder and references to other SVG files;
- an SVG with more than :data:`MAX_ELEMENTS` elements is refused (drawing 400,000 shapes takes
  minutes and gigabytes).

svglib then reads the cleaned bytes from memory, with no path to resolve anything against.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .files import MAX_LOGO_BYTES, InputRefused, read_input

#: Elements an SVG logo may have (a detailed logo has a few thousand).
MAX_ELEMENTS = 20_000

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_IMPORT = re.compile(r"@import[^;]*;?", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
#: elements whose reference is what they draw: dropped with it
_LOADING = {"image", "use", "feImage", "tref", "script", "font-face-uri", "color-profile"}
_RASTER = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


class SvgRefused(Exception):
    """The SVG cannot be used at all; ``str()`` is the message."""


@dataclass
class CleanSvg:
    data: bytes
    #: one line per reference dropped
    warnings: list[str] = field(default_factory=list)


def clean_svg(raw: bytes, svg_path: Path, root: Path, max_pixels: int) -> CleanSvg:
    """The SVG ``raw`` (read from ``svg_path``) with every reference outside ``root`` (the
    brand's folder) dropped; raster images inside it embedded after the same checks as a
    raster logo (at most ``max_pixels``)."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,  # <?xml-stylesheet href=…?>
        huge_tree=False,
        recover=True,  # as svglib reads it
    )
    try:
        tree = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise SvgRefused(f"SVG cannot be read: {exc}") from None
    if tree is None:
        raise SvgRefused("SVG cannot be read (no elements)")
    count = sum(1 for _ in tree.iter())
    if count > MAX_ELEMENTS:
        raise SvgRefused(f"SVG has too many elements ({count:,}): at most {MAX_ELEMENTS:,}")
    out = CleanSvg(b"")
    base = svg_path.parent
    root = root.resolve()
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):  # an entity reference left unresolved
            continue
        tag = etree.QName(element).localname
        for name in (XLINK_HREF, "href"):
            ref = element.get(name)
            if ref is None or ref.strip().startswith("#"):
                continue
            embedded = _raster_inside(ref.strip(), base, root, max_pixels, tag, out.warnings)
            if embedded is not None:
                element.set(name, embedded)
                continue
            parent = element.getparent()
            if tag in _LOADING and parent is not None:
                parent.remove(element)
            else:  # a link (<a href>): the drawing inside it stays
                del element.attrib[name]
        for name, value in list(element.attrib.items()):
            if "url(" in value.lower():
                element.set(name, _clean_css(value, tag, out.warnings))
        if tag == "style" and element.text:
            element.text = _clean_css(element.text, tag, out.warnings)
    out.data = etree.tostring(tree)
    return out


def _shown(ref: str) -> str:
    ref = " ".join(ref.split())
    return ref if len(ref) <= 60 else ref[:57] + "..."


def _raster_inside(
    ref: str, base: Path, root: Path, max_pixels: int, tag: str, warnings: list[str]
) -> str | None:
    """``ref`` as a data: URI of a checked PNG or JPEG inside ``root``, or None (warned)."""

    def drop(why: str) -> None:
        warnings.append(f"SVG <{tag}> reference '{_shown(ref)}' dropped: {why}")

    scheme = _SCHEME.match(ref)
    if scheme and len(scheme.group(0)) > 2:  # (C: is a Windows drive, not a URL scheme)
        drop(f"{scheme.group(0)} URLs are never loaded")
        return None
    if ref.startswith(("/", "\\")) or scheme:
        drop("absolute paths are never loaded")
        return None
    target = (base / ref.split("#", 1)[0]).resolve()
    if not target.is_relative_to(root):
        drop("it is outside the brand's folder")
        return None
    mime = _RASTER.get(target.suffix.lower())
    if mime is None:
        drop("only PNG and JPEG files in the brand's folder can be referenced")
        return None
    try:
        data = read_input(target, MAX_LOGO_BYTES)
    except InputRefused as exc:
        drop(str(exc))
        return None
    problem = raster_problem(data, max_pixels)
    if problem is not None:
        drop(problem)
        return None
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def raster_problem(data: bytes, max_pixels: int) -> str | None:
    """Why a PNG or JPEG cannot be used (too many pixels, unreadable), or None."""
    import io
    import warnings as py_warnings

    from PIL import Image

    try:
        with py_warnings.catch_warnings():
            py_warnings.simplefilter("ignore")  # Pillow's DecompressionBombWarning: our cap
            with Image.open(io.BytesIO(data)) as im:
                if im.format not in ("PNG", "JPEG"):
                    return "not a PNG or JPEG image"
                if im.width * im.height > max_pixels:
                    return (
                        f"image is too large ({im.width} x {im.height} pixels): "
                        f"at most {max_pixels:,} pixels"
                    )
                im.verify()
    except Exception as exc:  # Pillow raises many kinds on bad input
        return f"image cannot be read: {exc}"
    return None


def _clean_css(text: str, tag: str, warnings: list[str]) -> str:
    """CSS with every ``url()`` not pointing inside the file, and every ``@import``, removed."""

    def url(match: re.Match[str]) -> str:
        ref = match.group(2).strip()
        if ref.startswith("#"):
            return match.group(0)
        warnings.append(
            f"SVG <{tag}> reference '{_shown(ref)}' dropped: CSS url() may only name "
            "something inside the SVG (#name)"
        )
        return "none"

    def imported(match: re.Match[str]) -> str:
        warnings.append(f"SVG <{tag}> '{_shown(match.group(0))}' dropped: no CSS is imported")
        return ""

    return _URL.sub(url, _IMPORT.sub(imported, text))
