"""pdfplumber reads the same bytes once per test process.

pdfplumber (pdfminer underneath, pure Python) is the slowest reader the tests use: a two-page
handout takes it about 0.2 s, and many tests read the same built file (a module-scoped PDF that
five tests look at, the outside checkers' pdfminer reading of a file a test has just read).
:func:`install` makes ``pdfplumber.open`` of a path or of bytes return the document already
read from identical bytes (SHA-256 of the whole file), with its pages' parsed objects; its
``close()`` (and leaving a ``with`` block) keeps them. Any other argument, or a file object that
is not a ``BytesIO``, opens as before. Identical bytes give identical readings, so a test sees
what an uncached open would give it; what a test changes in what it read (nothing does) would be
seen by the next reader of the same bytes.

It also makes each page's reading cheaper: pdfplumber turns every object pdfminer found (each
character, a few thousand a page) into a dict, walking each of its values to resolve PDF
references (``resolve_all``) although a character's are numbers, names and tuples of numbers;
that took about half of a page's reading. :func:`process_object` makes the same dicts (the same
keys in the same order, the same values: ``tests/test_pdfcache.py`` compares it with
pdfplumber's own on pages with text, rules, curves and pictures) and walks only what may hold
a reference.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any
from unicodedata import normalize as normalize_unicode

from pdfminer.layout import LTChar, LTComponent, LTCurve, LTTextContainer
from pdfplumber import page as plumber_page
from pdfplumber.utils import resolve_all, resolve_and_decode

#: documents kept (the least recently opened dropped first): a few modules' worth
KEEP = 32
#: pdfplumber's own ``Page.process_object`` (what :func:`process_object` stands in for)
PLUMBERS_PROCESS_OBJECT = plumber_page.Page.process_object


def install() -> None:
    import pdfplumber
    from pdfplumber.pdf import PDF

    if getattr(pdfplumber.open, "_cached", False):
        return
    plumber_page.Page.process_object = process_object  # type: ignore[method-assign]
    uncached = PDF.open
    kept: OrderedDict[str, PDF] = OrderedDict()

    class KeptPDF(PDF):
        """A document shared by every reader of its bytes: closing it keeps what was read."""

        def close(self) -> None:
            pass

    def open_cached(path_or_fp: Any, *args: Any, **kwargs: Any) -> PDF:
        if args or kwargs:
            return uncached(path_or_fp, *args, **kwargs)
        if isinstance(path_or_fp, (str, Path)):
            data = Path(path_or_fp).read_bytes()
        elif isinstance(path_or_fp, io.BytesIO):
            data = path_or_fp.getvalue()
        else:
            return uncached(path_or_fp)
        key = hashlib.sha256(data).hexdigest()
        doc = kept.get(key)
        if doc is None:
            doc = uncached(io.BytesIO(data))
            doc.__class__ = KeptPDF
            kept[key] = doc
            while len(kept) > KEEP:
                _, old = kept.popitem(last=False)
                PDF.close(old)
        kept.move_to_end(key)
        return doc

    open_cached._cached = True  # type: ignore[attr-defined]
    pdfplumber.open = open_cached


#: values ``resolve_all`` gives back as they are
_SCALARS = frozenset({int, float, str, bool, type(None)})
#: pdfminer's class -> pdfplumber's ``object_type`` ("LTChar" -> "char")
_KINDS: dict[type, str] = {}
#: a colour space's name -> ``resolve_and_decode`` of it
_DECODED: dict[str, Any] = {}


def _resolved(value: Any) -> Any:
    """``resolve_all(value)``, without its walk where ``value`` is a number, a string or a
    tuple of them (which it returns as they are)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is tuple:
        for item in value:
            if type(item) not in _SCALARS:
                return resolve_all(value)
        return value
    return resolve_all(value)


def process_object(self: plumber_page.Page, obj: LTComponent) -> dict[str, Any]:
    """pdfplumber's ``Page.process_object`` (0.11), step for step, with :func:`_resolved`
    for ``resolve_all`` and the class names and colour-space names worked out once."""
    cls = type(obj)
    kind = _KINDS.get(cls)
    if kind is None:
        kind = _KINDS[cls] = re.sub(plumber_page.lt_pat, "", cls.__name__).lower()
    attr = {k: _resolved(v) for k, v in obj.__dict__.items() if k in plumber_page.ALL_ATTRS}
    attr["object_type"] = kind
    attr["page_number"] = self.page_number
    for cs in ("ncs", "scs"):
        if hasattr(obj, cs):
            name = getattr(obj, cs).name
            if type(name) is str:
                if name not in _DECODED:
                    _DECODED[name] = resolve_and_decode(name)
                attr[cs] = _DECODED[name]
            else:
                attr[cs] = resolve_and_decode(name)
    if isinstance(obj, (LTChar, LTTextContainer)):
        text = obj.get_text()
        norm = self.pdf.unicode_norm
        attr["text"] = normalize_unicode(norm, text) if norm is not None else text
    if isinstance(obj, LTChar):
        gs = obj.graphicstate
        attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
        attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
        if isinstance(attr["fontname"], bytes):
            attr["fontname"] = plumber_page.fix_fontname_bytes(attr["fontname"])
    elif isinstance(obj, LTCurve):
        attr["pts"] = list(map(self.point2coord, attr["pts"]))
        attr["path"] = [(cmd, *map(self.point2coord, pts)) for cmd, *pts in obj.original_path]
        attr["dash"] = obj.dashing_style
    mb_x0, mb_top = self.mediabox[:2]
    if "y0" in attr:
        height = self.height
        attr["top"] = (height - attr["y1"]) + mb_top
        attr["bottom"] = (height - attr["y0"]) + mb_top
        attr["doctop"] = self.initial_doctop + attr["top"]
    if "x0" in attr and mb_x0 != 0:
        attr["x0"] = attr["x0"] + mb_x0
        attr["x1"] = attr["x1"] + mb_x0
    return attr
