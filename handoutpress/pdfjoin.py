"""Join PDFs that ReportLab wrote into one file, streaming, with flat memory.

A merged mailing of 100,000 letters cannot be one ReportLab document (it keeps
every page in memory until ``save()``). ``batch`` writes it in parts and joins
them here: objects are copied as they are, renumbered; each part's page tree
becomes a branch of one new page tree; font subset tags are made unique per
part (two different subsets must never share a name: printers cache fonts by
name). Only one part is in memory at a time.

This reads the plain structure ReportLab writes (a classic xref table, no object
streams); it is not a general PDF parser.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

_REF = re.compile(rb"(\d+) 0 R\b")
_TAG = re.compile(rb"/([A-Z]{6})\+")
_XREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_TRAILER_REF = re.compile(rb"/(Root|Info) (\d+) 0 R")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9a-fA-F]+)>")
_PAGES = re.compile(rb"/Pages (\d+) 0 R")

HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"


class JoinError(Exception):
    """A part is not the kind of PDF this module can join."""


def _tag(n: int) -> bytes:
    letters = []
    for _ in range(6):
        n, r = divmod(n, 26)
        letters.append(65 + r)
    return bytes(reversed(letters))


_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")


class _Part:
    def __init__(self, data: bytes) -> None:
        m = _XREF.search(data[-64:])
        if not m:
            raise JoinError("no startxref")
        xref = int(m.group(1))
        if data[xref : xref + 4] != b"xref":
            raise JoinError("no classic xref table")
        head_end = data.index(b"\n", xref + 5)
        first, count = (int(x) for x in data[xref + 5 : head_end].split())
        entries = data[head_end + 1 : head_end + 1 + 20 * count]
        self.offsets: dict[int, int] = {}
        for i, (off, _gen, kind) in enumerate(_ENTRY.findall(entries)):
            if kind == b"n":
                self.offsets[first + i] = int(off)
        trailer = data[head_end + 1 + 20 * count : len(data)]
        refs = dict((k, int(v)) for k, v in _TRAILER_REF.findall(trailer))
        self.root = refs[b"Root"]
        self.info = refs.get(b"Info")
        idm = _ID.search(trailer)
        self.id = idm.group(1) if idm else b""
        self.data = data
        self.xref = xref
        self.size = max(self.offsets) + 1 if self.offsets else 1

    def objects(self) -> list[tuple[int, bytes, bytes]]:
        """(number, dictionary part, stream part) of every object, in file order."""
        order = list(self.offsets.items())
        if any(order[i][1] > order[i + 1][1] for i in range(len(order) - 1)):
            order.sort(key=lambda kv: kv[1])  # (ReportLab writes them in number order)
        out = []
        data = self.data
        for i, (num, off) in enumerate(order):
            end = order[i + 1][1] if i + 1 < len(order) else self.xref
            start = data.index(b"obj", off, end) + 3
            stop = data.rindex(b"endobj", start, end)
            k = data.find(b"stream\n", start, stop)
            if k < 0:
                k = data.find(b"stream\r\n", start, stop)
            if k > start and data[k - 1 : k] in (b"\n", b">", b" ", b"\r"):
                out.append((num, data[start:k], data[k:stop]))
            else:
                out.append((num, data[start:stop], b""))
        return out


#: a page as batch writes it (mailpdf.PageObject): its contents, then what every page of
#: the part shares (parent, media box, resources)
_PAGE = re.compile(rb"\n<<\n/Contents (\d+) 0 R( /Parent \d+ 0 R /MediaBox \[[^\]]*\] /Resources "
                   rb"\d+ 0 R /Type /Page\n>>\n?)\Z")  # fmt: skip


class Joiner:
    """Write parts one after another into ``out`` (a binary file open for writing)."""

    CATALOG, PAGES, INFO = 1, 2, 3

    def __init__(self, out: BinaryIO, xref_spool: BinaryIO | None = None) -> None:
        """``xref_spool``: a temporary file (read and written) for the cross-reference
        entries of the parts' objects as they are joined (else they are kept in memory:
        8 bytes an object, about 24 MB for a million letters)."""
        self.out = out
        self.pos = 0
        self.spool = xref_spool
        #: object number → file offset (0: free), from number ``offsets_from`` on (those
        #: before it are in the spool, as xref entries)
        self.offsets = array("Q")
        self.offsets_from = 0
        self.next = 4
        self.kids: list[int] = []
        self.count = 0
        self.catalog: bytes | None = None
        self.info: bytes | None = None
        self.ids = hashlib.md5(usedforsecurity=False)
        self.tags = 0
        #: where the catalog, page tree and info begin (written last)
        self._ends: dict[int, int] = {}
        self._write(HEADER)

    def _write(self, b: bytes) -> None:
        self.out.write(b)
        self.pos += len(b)

    def _obj(self, num: int, body: bytes) -> None:
        """The catalog, page tree and info (objects 1-3: never spooled)."""
        self._ends[num] = self.pos
        self._write(b"%d 0 obj\n" % num + body + b"endobj\n")

    def _note(self, top: int) -> None:
        """Make room for offsets up to object ``top``; spool the finished ones."""
        offsets = self.offsets
        need = top + 1 - self.offsets_from
        if need > len(offsets):
            offsets.frombytes(bytes(8 * (need - len(offsets))))

    def _spool(self, upto: int) -> None:
        """Write the xref entries of objects below ``upto`` to the spool."""
        if self.spool is None or upto <= max(self.offsets_from, self.CATALOG + 3):
            return
        start = max(self.offsets_from, 4)
        offsets = self.offsets
        base = self.offsets_from
        free = b"0000000000 65535 f \n"
        self.spool.write(
            b"".join(
                b"%010d 00000 n \n" % off if off else free
                for off in offsets[start - base : upto - base]
            )
        )
        del offsets[: upto - base]
        self.offsets_from = upto

    def add(self, data: bytes, pages: int | None = None) -> None:
        part = _Part(data)
        base = self.next - 1  # part object n becomes base + n
        self.next = base + part.size + 1
        tags: dict[bytes, bytes] = {}

        def renumber(m: re.Match[bytes]) -> bytes:
            return b"%d 0 R" % (int(m.group(1)) + base)

        def retag(m: re.Match[bytes]) -> bytes:
            old = m.group(1)
            if old not in tags:
                tags[old] = _tag(self.tags)
                self.tags += 1
            return b"/" + tags[old] + b"+"

        objs = part.objects()
        by_num = {num: d for num, d, _ in objs}
        catalog = by_num.get(part.root)
        if catalog is None:
            raise JoinError("no catalog")
        pm = _PAGES.search(catalog)
        if not pm:
            raise JoinError("no page tree")
        pages_root = int(pm.group(1))
        if self.catalog is None:
            self.catalog = _REF.sub(renumber, catalog)
            if part.info is not None and part.info in by_num:
                self.info = by_num[part.info]
        self.ids.update(part.id)
        # the part's objects go out in one write (one hash update), offsets noted on the way
        out: list[bytes] = []
        pos = self.pos
        top = base + part.size + 1
        self._note(top)
        offsets = self.offsets
        ofrom = self.offsets_from
        tails: dict[bytes, bytes] = {}
        for num, dict_part, stream in objs:
            if num in (part.root, part.info):
                continue
            if b" R" not in dict_part:
                d = dict_part
            elif (page := _PAGE.match(dict_part)) is not None:  # most objects: a page
                tail = tails.get(page.group(2))
                if tail is None:
                    tail = tails[page.group(2)] = _REF.sub(renumber, page.group(2))
                d = b"\n<<\n/Contents %d 0 R" % (int(page.group(1)) + base) + tail
            else:
                d = _REF.sub(renumber, dict_part)
            if b"+" in d:
                d = _TAG.sub(retag, d)
            if num == pages_root:
                m = re.search(rb"/Count (\d+)", d)
                if m:
                    self.count += int(m.group(1))
                d = d.replace(b"<<", b"<<\n/Parent %d 0 R" % self.PAGES, 1)
                self.kids.append(num + base)
            obj = b"%d 0 obj\n" % (num + base) + d + stream + b"endobj\n"
            offsets[num + base - ofrom] = pos
            pos += len(obj)
            out.append(obj)
        self._write(b"".join(out))
        self._spool(top)

    def close(self) -> None:
        if self.catalog is None:
            raise JoinError("nothing to join")
        cat = _PAGES.sub(b"/Pages %d 0 R" % self.PAGES, self.catalog, count=1)
        self._obj(self.CATALOG, cat)
        kids = b" ".join(b"%d 0 R" % k for k in self.kids)
        self._obj(self.PAGES, b"<<\n/Count %d /Kids [ %s ] /Type /Pages\n>>\n" % (self.count, kids))
        self._obj(self.INFO, self.info or b"<<\n>>\n")
        size = self.next
        xref = self.pos
        self._write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        self._write(b"".join(b"%010d 00000 n \n" % self._ends[n] for n in (1, 2, 3)))
        if self.spool is not None and self.offsets_from > 4:  # the entries spooled so far
            self.spool.flush()
            self.spool.seek(0)
            while chunk := self.spool.read(1 << 20):
                self._write(chunk)
        offsets = self.offsets
        base = self.offsets_from
        free = b"0000000000 65535 f \n"
        for start in range(max(base, 4), size, 4096):  # in blocks: 300,000 objects are 6 MB
            block = []
            for n in range(start, min(start + 4096, size)):
                i = n - base
                off = offsets[i] if i < len(offsets) else 0
                block.append(b"%010d 00000 n \n" % off if off else free)
            self._write(b"".join(block))
        ident = self.ids.hexdigest().encode()
        self._write(
            b"trailer\n<<\n/ID [<%s><%s>]\n/Info %d 0 R\n/Root %d 0 R\n/Size %d\n>>\n"
            % (ident, ident, self.INFO, self.CATALOG, size)
        )
        self._write(b"startxref\n%d\n%%%%EOF\n" % xref)


def join(parts: Iterable[Path | bytes], out: BinaryIO) -> int:
    """Join ``parts`` (paths or bytes) into ``out``; return the number of pages."""
    j = Joiner(out)
    for p in parts:
        j.add(p if isinstance(p, bytes) else Path(p).read_bytes())
    j.close()
    return j.count
