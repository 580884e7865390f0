"""A ``batch --out-dir`` byte template's PDF (:mod:`.filetemplate`) as ReportLab writes it
here: cut into its objects (one cross-reference section, no object streams, a flat page
tree), a stream's data read and a stream written. Anything else is :class:`NotATemplate`:
the file is made the full way."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from reportlab import rl_config


class NotATemplate(Exception):
    """The letter drew something a byte template cannot reproduce (made the full way)."""


def need(ok: object, why: str) -> None:
    """A template only of a PDF as ReportLab writes it here; anything else: the full way."""
    if not ok:
        raise NotATemplate(why)


def found(m: re.Match[bytes] | None, why: str) -> re.Match[bytes]:
    """``m``, which must have matched (else: NotATemplate)."""
    if m is None:
        raise NotATemplate(why)
    return m


@dataclass
class Pdf:
    header: bytes
    objects: dict[int, bytes]  # number → "N 0 obj … endobj\n"
    root: int
    info: int


_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf]) ?\r?\n")


def parse(pdf: bytes) -> Pdf:
    """ReportLab's output cut into its objects (one xref section, no object streams)."""
    start = int(pdf[pdf.rindex(b"startxref") + 9 :].split()[0])
    head = found(
        re.match(rb"xref\s+0 (\d+)\s*\n", pdf[start:]), "not a ReportLab cross-reference table"
    )
    count = int(head.group(1))
    offsets: dict[int, int] = {}
    pos = start + head.end()
    for num in range(count):
        m = found(_XREF_ENTRY.match(pdf, pos), "a cross-reference entry ReportLab does not write")
        pos = m.end()
        if m.group(3) == b"n":
            offsets[num] = int(m.group(1))
    order = sorted(offsets, key=offsets.__getitem__)
    objects = {}
    for i, num in enumerate(order):
        end = offsets[order[i + 1]] if i + 1 < len(order) else start
        objects[num] = pdf[offsets[num] : end]
    trailer = pdf[pdf.rindex(b"trailer") :]
    root = found(re.search(rb"/Root (\d+) 0 R", trailer), "a trailer with no /Root")
    info = found(re.search(rb"/Info (\d+) 0 R", trailer), "a trailer with no /Info")
    return Pdf(pdf[: offsets[order[0]]], objects, int(root.group(1)), int(info.group(1)))


def stream_data(obj: bytes) -> bytes:
    """The decoded data of a Flate stream object."""
    m = found(re.search(rb"/Length (\d+)", obj), "not what ReportLab writes")
    at = obj.index(b"stream\n", m.end()) + 7
    data = obj[at : at + int(m.group(1))]
    if b"/FlateDecode" in obj[:at]:
        need(b"/ASCII85Decode" not in obj[:at], "binary streams expected (rl_config.useA85)")
        return zlib.decompress(data)
    return data


def stream(num: int, data: bytes) -> bytes:
    packed = zlib.compress(data)
    head = b"%d 0 obj\n<<\n/Filter [ /FlateDecode ] /Length %d\n>>\nstream\n" % (num, len(packed))
    return head + packed + b"\nendstream\nendobj\n"


def page_objects(pdf: Pdf) -> list[int]:
    """The page objects in page order (the Pages tree is flat in ReportLab's files)."""
    cat = pdf.objects[pdf.root]
    pages = found(re.search(rb"/Pages (\d+) 0 R", cat), "not what ReportLab writes")
    kids = found(
        re.search(rb"/Kids \[([^\]]*)\]", pdf.objects[int(pages.group(1))]),
        "not what ReportLab writes",
    )
    return [int(n) for n in re.findall(rb"(\d+) 0 R", kids.group(1))]


@contextmanager
def binary_streams() -> Iterator[None]:
    old = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = old
