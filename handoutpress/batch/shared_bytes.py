"""What ``batch --out-dir`` files share, made once per process instead of once per file.

Every recipient's file is still laid out, drawn and written on its own (tagged, with its own
structure tree), but the bytes that come out the same in every file are not made again:

* a font subset's program (:meth:`TTFontFace.makeSubset` of the same face and the same
  characters in the same order gives the same bytes), and
* the Flate compression of a stream whose bytes were compressed before (font programs,
  ToUnicode maps, the logo, pages without personal text).

Both are pure functions of their input, so a file is byte for byte what it was without the
caches. The compression cache holds the input bytes in this process's memory only (never
written anywhere), keyed by the exact bytes: a file only ever gets the compression of its own
stream. ReportLab has no hook for either: :func:`install` wraps ``TTFontFace.makeSubset`` and
``PDFStreamFilterZCompress.encode`` (hence the minor-version pin in ``pyproject.toml``).
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from collections.abc import Callable

from reportlab.pdfbase import pdfdoc, ttfonts

#: streams shorter than this are compressed every time (hashing them saves nothing)
MIN_CACHED = 2048
#: at most this many compressed streams are kept (oldest used first out)
MAX_STREAMS = 64
#: at most this many font subsets are kept
MAX_SUBSETS = 32


class BytesCache:
    """A bounded least-recently-used map of bytes results, with hit and miss counts."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.items: OrderedDict[object, bytes] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: object, make: Callable[[], bytes]) -> bytes:
        got = self.items.get(key)
        if got is not None:
            self.hits += 1
            self.items.move_to_end(key)
            return got
        self.misses += 1
        got = self.items[key] = make()
        if len(self.items) > self.limit:
            self.items.popitem(last=False)
        return got


STREAMS = BytesCache(MAX_STREAMS)
SUBSETS = BytesCache(MAX_SUBSETS)
_ORIGINAL = (ttfonts.TTFontFace.makeSubset, pdfdoc.PDFStreamFilterZCompress.encode)
_installed = False


def install() -> None:
    """Cache font subsets and stream compression in this process (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    make_subset = _ORIGINAL[0]

    def cached_subset(face: ttfonts.TTFontFace, subset: list[int]) -> bytes:
        key = (face.filename, getattr(face, "subfontNameX", b""), tuple(subset))
        return SUBSETS.get(key, lambda: make_subset(face, subset))

    def cached_compress(_self: object, text: bytes | str) -> bytes:
        data = text.encode("utf8") if isinstance(text, str) else text
        if len(data) < MIN_CACHED:
            return zlib.compress(data)
        return STREAMS.get(data, lambda: zlib.compress(data))

    ttfonts.TTFontFace.makeSubset = cached_subset
    pdfdoc.PDFStreamFilterZCompress.encode = cached_compress


def uninstall() -> None:
    """ReportLab as shipped again, caches emptied and counts zeroed (tests compare both)."""
    global _installed
    ttfonts.TTFontFace.makeSubset, pdfdoc.PDFStreamFilterZCompress.encode = _ORIGINAL
    _installed = False
    for cache in (STREAMS, SUBSETS):
        cache.items.clear()
        cache.hits = cache.misses = 0
