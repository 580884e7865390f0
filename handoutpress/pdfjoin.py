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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

_REF = re.compile(rb"(\d+) 0 R\b")
_TAG = re.compile(rb"/([A-Z]{6})\+")
_XREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_TRAILER_REF = re.compile(rb"/(Root|Info) (\d+) 0 R")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9a-fA-F]+)>")
_PAGES = re.compile(rb"/Pages (\d+) 0 R")
_RESOURCES = re.compile(rb"/Resources (\d+) 0 R")

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


#: kinds of object in a :class:`PartIndex`
OTHER, PLAIN, PAGE, FORM = 0, 1, 2, 3


@dataclass(frozen=True)
class PartIndex:
    """What the writer of a part (:class:`~handoutpress.mailpdf.MailDocument`) knows of it,
    so that the joiner need not parse it again: where each object begins (objects 1 … n,
    in number order), what kind it is, and each page's content stream. An object marked
    :data:`PLAIN` has neither a reference nor a font subset tag in its dictionary (the
    joiner copies it, numbered anew); a :data:`PAGE` is a page dictionary as
    ``mailpdf.PageObject`` writes it, its content stream's number in :attr:`contents`;
    a :data:`FORM` is a form XObject as ``mailpdf.FormStream`` writes it, whose one
    reference is ``/Resources`` to the dictionary every form of the part shares;
    anything else is :data:`OTHER` (read as without an index)."""

    offsets: array[int]
    kinds: bytes
    #: the content stream's object number of each PAGE, in order
    contents: array[int]
    #: where the cross-reference table begins
    xref: int


class _Part:
    def __init__(self, data: bytes, index: PartIndex | None = None) -> None:
        m = _XREF.search(data[-64:])
        if not m:
            raise JoinError("no startxref")
        xref = int(m.group(1))
        if data[xref : xref + 4] != b"xref":
            raise JoinError("no classic xref table")
        head_end = data.index(b"\n", xref + 5)
        first, count = (int(x) for x in data[xref + 5 : head_end].split())
        self.index = index
        self.offsets: dict[int, int] = {}
        if index is not None:
            if index.xref != xref or len(index.offsets) != count - 1 or first != 0:
                raise JoinError("the part's index does not match it")
        else:
            entries = data[head_end + 1 : head_end + 1 + 20 * count]
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
        if index is not None:
            self.size = len(index.offsets) + 1
        else:
            self.size = max(self.offsets) + 1 if self.offsets else 1

    def objects(self) -> list[tuple[int, bytes, bytes]]:
        """(number, dictionary part, stream part) of every object, in file order."""
        if self.index is not None:
            offs = self.index.offsets
            order = [(i + 1, off) for i, off in enumerate(offs)]
        else:
            order = list(self.offsets.items())
        if any(order[i][1] > order[i + 1][1] for i in range(len(order) - 1)):
            order.sort(key=lambda kv: kv[1])  # (ReportLab writes them in number order)
        return [
            self.split(num, off, order[i + 1][1] if i + 1 < len(order) else self.xref)
            for i, (num, off) in enumerate(order)
        ]

    def split(self, num: int, off: int, end: int) -> tuple[int, bytes, bytes]:
        """(number, dictionary part, stream part) of the object from ``off`` to ``end``."""
        data = self.data
        start = data.index(b"obj", off, end) + 3
        stop = data.rindex(b"endobj", start, end)
        k = data.find(b"stream\n", start, stop)
        if k < 0:
            k = data.find(b"stream\r\n", start, stop)
        if k > start and data[k - 1 : k] in (b"\n", b">", b" ", b"\r"):
            return num, data[start:k], data[k:stop]
        return num, data[start:stop], b""


#: a page as batch writes it (mailpdf.PageObject): its contents, then what every page of
#: the part shares (parent, media box, resources)
_PAGE = re.compile(rb"\n<<\n/Contents (\d+) 0 R( /Parent \d+ 0 R /MediaBox \[[^\]]*\] /Resources "
                   rb"\d+ 0 R /Type /Page\n>>\n?)\Z")  # fmt: skip


def _renumbered(data: bytes, base: int) -> bytes:
    """``_REF.sub`` of every reference ``n 0 R`` in ``data`` by ``n + base 0 R``, without a
    Python call per reference (a part's page tree lists 2,000 of them)."""
    pieces = _REF.split(data)  # text, number, text, number, …, text
    if len(pieces) > 1:
        pieces[1::2] = [b"%d 0 R" % (int(n) + base) for n in pieces[1::2]]
    return b"".join(pieces)


def _form_joined(
    data: bytes, num: int, base: int, off: int, end: int, res_old: bytes, res_new: bytes
) -> bytes:
    """The form object ``num`` (``data[off:end]``) as the joined file has it: numbered
    ``num + base``, its first ``res_old`` (its one reference, the shared resources, in its
    dictionary) made ``res_new``; what :meth:`Joiner.add`'s long way makes of a form as
    ``mailpdf.FormStream`` writes it (proven on a part's first form)."""
    at = data.index(res_old, off, end)
    head = b"%d 0 obj" % num
    return b"".join(
        (b"%d 0 obj\n" % (num + base), data[off + len(head) : at], res_new,
         data[at + len(res_old) : end])
    )  # fmt: skip


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

    def add(self, data: bytes, pages: int | None = None, index: PartIndex | None = None) -> None:
        """Join one part. ``index``: what its writer knows of it (:class:`PartIndex`):
        its pages and plain streams are then copied without being parsed (the same bytes)."""
        part = _Part(data, index)
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

        if index is None:
            objs = part.objects()
            by_num = {num: d for num, d, _ in objs}
        else:
            objs = []
            by_num = {}
            for num in (part.root, part.info):
                if num is not None and 0 < num <= len(index.offsets):
                    by_num[num] = part.split(num, *self._span(index, part.xref, num))[1]
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
        tails: dict[bytes, bytes] = {}
        #: other dictionaries renumbered (a personal letter's page-total forms repeat theirs)
        renumbered: dict[bytes, bytes] = {}

        def emit(num: int, dict_part: bytes, stream: bytes) -> bytes:
            """The object as it goes into the joined file."""
            if b" R" not in dict_part:
                d = dict_part
            elif (page := _PAGE.match(dict_part)) is not None:  # most objects: a page
                tail = tails.get(page.group(2))
                if tail is None:
                    tail = tails[page.group(2)] = _REF.sub(renumber, page.group(2))
                d = b"\n<<\n/Contents %d 0 R" % (int(page.group(1)) + base) + tail
            else:
                got = renumbered.get(dict_part)
                if got is None:
                    got = _renumbered(dict_part, base)
                    if len(renumbered) < 4096:
                        renumbered[dict_part] = got
                d = got
            if b"+" in d:
                d = _TAG.sub(retag, d)
            if num == pages_root:
                m = re.search(rb"/Count (\d+)", d)
                if m:
                    self.count += int(m.group(1))
                d = d.replace(b"<<", b"<<\n/Parent %d 0 R" % self.PAGES, 1)
                self.kids.append(num + base)
            return b"%d 0 obj\n" % (num + base) + d + stream + b"endobj\n"

        # the part's objects go out in one write (one hash update), offsets noted on the way
        top = base + part.size + 1
        self._note(top)
        skip = (part.root, part.info)
        if index is None:
            kept = [o for o in objs if o[0] not in skip]
            nums = [o[0] for o in kept]
            out = [emit(*o) for o in kept]
        else:
            nums, out = self._indexed(part, index, base, skip, emit)
        pos = self.pos
        offsets = self.offsets
        at = base - self.offsets_from
        for num, obj in zip(nums, out, strict=True):
            offsets[num + at] = pos
            pos += len(obj)
        self._write(b"".join(out))
        self._spool(top)

    @staticmethod
    def _span(index: PartIndex, xref: int, num: int) -> tuple[int, int]:
        offs = index.offsets
        return offs[num - 1], offs[num] if num < len(offs) else xref

    def _indexed(
        self,
        part: _Part,
        index: PartIndex,
        base: int,
        skip: tuple[int, int | None],
        emit: Callable[[int, bytes, bytes], bytes],
    ) -> tuple[list[int], list[bytes]]:
        """A part's objects as :meth:`add` joins them, from its index: a plain object is
        copied with its new number, a page made from its content stream's number and the
        tail every page of the part shares; the first of each kind is also made the long
        way and compared (a part that differs is joined the long way)."""
        data, offs, kinds, xref = part.data, index.offsets, index.kinds, part.xref
        n = len(offs)
        contents = iter(index.contents)
        nums: list[int] = []
        out: list[bytes] = []
        fast = {PLAIN: False, PAGE: False, FORM: False}  # (proven on the part's first of each)
        page_tail = b""
        res_old = res_new = b""  # a form's /Resources reference, in the part and joined
        for i in range(n):
            num = i + 1
            kind = kinds[i]
            content = next(contents) if kind == PAGE else 0
            if num in skip:
                continue
            off = offs[i]
            end = offs[i + 1] if num < n else xref
            if kind == PLAIN and fast[PLAIN]:
                obj = b"%d 0 obj\n" % (num + base) + data[off + len(b"%d 0 obj" % num) : end]
            elif kind == PAGE and fast[PAGE]:
                obj = b"%d 0 obj\n\n<<\n/Contents %d 0 R" % (num + base, content + base) + page_tail
            elif kind == FORM and fast[FORM]:
                obj = _form_joined(data, num, base, off, end, res_old, res_new)
            else:
                obj = emit(*part.split(num, off, end))
                if kind == PLAIN and fast[PLAIN] is False:
                    head = b"%d 0 obj" % num
                    fast[PLAIN] = data.startswith(head, off) and obj == (
                        b"%d 0 obj\n" % (num + base) + data[off + len(head) : end]
                    )
                elif kind == PAGE and fast[PAGE] is False:
                    lead = b"%d 0 obj\n\n<<\n/Contents %d 0 R" % (num + base, content + base)
                    page_tail = obj[len(lead) :]
                    fast[PAGE] = obj.startswith(lead)
                elif kind == FORM and fast[FORM] is False:
                    res = _RESOURCES.search(data, off, end)
                    if res is not None:
                        old = res.group(0)
                        new = b"/Resources %d 0 R" % (int(res.group(1)) + base)
                        if _form_joined(data, num, base, off, end, old, new) == obj:
                            fast[FORM], res_old, res_new = True, old, new
            nums.append(num)
            out.append(obj)
        return nums, out

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
