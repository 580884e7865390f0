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
"""

from __future__ import annotations

import hashlib
import io
from collections import OrderedDict
from pathlib import Path
from typing import Any

#: documents kept (the least recently opened dropped first): a few modules' worth
KEEP = 32


def install() -> None:
    import pdfplumber
    from pdfplumber.pdf import PDF

    if getattr(pdfplumber.open, "_cached", False):
        return
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
