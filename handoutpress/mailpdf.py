"""The PDF objects of a mailing, written from bytes made once.

A merged mailing's part is thousands of pages that are each a form plus a few personal
lines, and a content stream shared by every letter's back. ReportLab formats every object
through its generic machinery (an indirect-object wrapper, a dispatch on the value's type,
a reference looked up by name per ``/Parent``), which cost more than drawing the pages.
Here the page objects and streams are kept as bytes (:class:`RawStream`, :class:`FormStream`,
:class:`PageObject`), registered without ReportLab's checks (:func:`add_object`), and
:class:`MailDocument` writes them, and the cross-reference table, straight into the file:
the same bytes ReportLab writes for them (``tests/test_batch_stamp.py`` compares).

This relies on ReportLab's document internals (``idToObject``, ``numberToId``, the format
loop): the dependency is pinned to a minor range in ``pyproject.toml``.
"""

from __future__ import annotations

import zlib
from array import array

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

from .pdfjoin import FORM, OTHER, PAGE, PLAIN, PartIndex

#: the ASCII characters PDFDocEncoding has no code for (``pdfdocEnc`` refuses them)
_NOT_PDFDOC = "\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"


def pdfdoc_ascii(text: str) -> bool:
    """Is ``text`` ASCII that PDFDocEncoding encodes as ASCII does (none of 0x18-0x1F)? (A
    search for each of those characters: a regular expression's character class took
    longer, on every form of a personal letter.)"""
    return text.isascii() and not any(c in text for c in _NOT_PDFDOC)


def deflated(data: bytes) -> bytes:
    """``data`` Flate-compressed as a mail PDF's streams are."""
    # A page's personal text is a few hundred bytes: zlib's default window (32 KB) and
    # memory level cost more to set up than to compress them (about 10x the time).
    small = len(data) < 1024
    made = _SMALL.get(data) if small else None
    if made is None:
        z = zlib.compressobj(6, zlib.DEFLATED, 10 if small else 15, 2)
        made = z.compress(data) + z.flush()
        if small:
            if len(_SMALL) >= 256:
                _SMALL.clear()
            _SMALL[data] = made
    return made


#: small streams compressed, by their bytes (a personal letter's page totals are the same
#: in every letter with as many pages); let go when full
_SMALL: dict[bytes, bytes] = {}


#: a stream's dictionary (its length), and a form's (its box, length and resources), up to
#: its data: as ``format`` writes them and ``MailDocument.format`` inlined
_STREAM_HEAD = b"<<\n/Filter [ /FlateDecode ] /Length %d\n>>\nstream\n"
_FORM_HEAD = (
    b"<<\n/BBox [ %s ] /Filter [ /FlateDecode ] /FormType 1 /Length %d "
    b"/Matrix [ 1 0 0 1 0 0 ] /Resources %s /Subtype /Form /Type /XObject\n>>\nstream\n"
)


class RawStream(pdfdoc.PDFObject):
    """A Flate-compressed content stream, formatted without ReportLab's generic machinery."""

    __RefOnly__ = 1

    def __init__(self, data: bytes) -> None:
        self.data = deflated(data)

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        return _STREAM_HEAD % len(self.data) + self.data + b"endstream\n"


class FormStream(RawStream):
    """A form XObject whose resources are the file's one shared resource dictionary."""

    def __init__(self, data: bytes, bbox: bytes, resources: bytes) -> None:
        self.data = deflated(data)  # (as RawStream does, without super(): made per letter)
        self.bbox = bbox
        self.resources = resources

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        head = _FORM_HEAD % (self.bbox, len(self.data), self.resources)
        return head + self.data + b"endstream\n"

    def blank(self) -> None:
        self.data = zlib.compress(b" ")


class PageObject(pdfdoc.PDFObject):
    """A page dictionary: its contents, the shared resources and the media box."""

    __RefOnly__ = 1
    #: its reference (``N 0 R``), once registered by :func:`add_page`
    ref: bytes | None = None

    def __init__(self, contents: bytes, tail: bytes, number: int = 0) -> None:
        self.contents = contents
        self.tail = tail
        #: the content stream's object number (0: not known)
        self.number = number

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        if isinstance(document, MailDocument):
            parent = document.pages_ref()
        else:
            parent = document.Reference(document.Pages).format(document)
        return b"<<\n/Contents " + self.contents + b" /Parent " + parent + self.tail + b"\n>>"


#: objects :class:`MailDocument` writes directly (their format needs no document state
#: but the page tree's reference)
_RAW = (RawStream, FormStream, PageObject)


def add_object(doc: pdfdoc.PDFDocument, obj: pdfdoc.PDFObject, name: str | None = None) -> int:
    """``doc.Reference(obj, name)`` for a new object (never registered before, ``name`` not
    taken: the caller makes sure), without its checks; returns the object number."""
    n = doc.objectcounter = doc.objectcounter + 1
    if name is None:
        name = f"R{n}"  # Reference's name for an unnamed object
    obj.__InternalName__ = name
    doc.idToObjectNumberAndVersion[name] = (n, 0)
    doc.numberToId[n] = name
    doc.idToObject[name] = obj
    return n


def add_page(doc: pdfdoc.PDFDocument, page: PageObject) -> None:
    """``doc.addPage(page)``, registered with :func:`add_object`."""
    page.ref = b"%d 0 R" % add_object(doc, page, f"Page{doc.pageCounter}")
    doc.Pages.addPage(page)
    doc.pageCounter += 1
    doc.inObject = None


class _RefArray(pdfdoc.PDFObject):
    """A ``PDFArray`` of formatted references, formatted as ReportLab formats one (without
    a dispatch per element)."""

    def __init__(self, refs: list[bytes]) -> None:
        self.refs = refs

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        refs = self.refs
        if rl_config.pdfMultiLine:  # (PDFArray.multiline is set)
            return b"[ " + b"\n ".join(refs) + b" ]"
        if len(refs) > 10:  # broken up every 10 elements, as PDFArray does
            rows = [b" ".join(refs[i : i + 10]) for i in range(0, len(refs), 10)]
            return b"[ " + b" \n  ".join(rows) + b" ]"
        return b"[ " + b" ".join(refs) + b" ]"


class MailPages(pdfdoc.PDFPages):
    """The page tree, its kids listed by the references :func:`add_page` noted (ReportLab
    makes and formats a reference object per page)."""

    def check_format(self, document: pdfdoc.PDFDocument) -> None:
        refs = [getattr(p, "ref", None) for p in self.pages]
        if None in refs:  # a page ReportLab added itself
            super().check_format(document)
            return
        self.Kids = _RefArray(refs)  # type: ignore[arg-type]
        self.Count = len(refs)


class MailDocument(pdfdoc.PDFDocument):
    """A ReportLab document that writes :data:`_RAW` objects and the cross-reference table
    as bytes; everything else as ReportLab does (its ``format``, step for step)."""

    _pages_ref: bytes | None = None
    #: what :meth:`format` wrote, for the joiner (pdfjoin.PartIndex)
    part_index: PartIndex | None = None

    def pages_ref(self) -> bytes:
        """The page tree's reference (numbered the first time a page asks, as
        ReportLab numbers it)."""
        if self._pages_ref is None:
            self._pages_ref = self.Reference(self.Pages).format(self)
        return self._pages_ref

    def format(self) -> bytes:
        self.encrypt.prepare(self)
        cat = self.Catalog
        info = self.info
        self.Reference(cat)
        self.Reference(info)
        encryptref = None
        encryptinfo = self.encrypt.info()
        if encryptinfo:
            encryptref = self.Reference(encryptinfo)
        raw_ok = not encryptinfo
        numbertoid = self.numberToId
        idToOb = self.idToObject
        idToOf = self.idToOffset
        offsets: list[int] = []
        # what the joiner is told of the part (pdfjoin.PartIndex): every object's kind
        kinds = bytearray()
        contents = array("Q")
        tail: bytes | None = None
        resources: bytes | None = None  # (the forms' shared dictionary: FORM in the index)
        self.__accum__ = File = pdfdoc.PDFFile(self._pdfVersion)
        counter = 0
        pos = File.offset
        write = File.write  # (File.add without its checks, for the bytes written here)
        parent = b""
        while True:  # objects may be added while formatting (the page tree, say)
            counter += 1
            oid = numbertoid.get(counter)
            if oid is None:
                break
            obj = idToOb[oid]
            kind = OTHER
            t = type(obj)
            if raw_ok and t is PageObject:  # most objects: PageObject.format, inlined
                if not parent:
                    parent = self.pages_ref()
                b = b"%d 0 obj\n<<\n/Contents %s /Parent %s%s\n>>\nendobj\n" % (
                    counter,
                    obj.contents,
                    parent,
                    obj.tail,
                )
                if obj.number:
                    if tail is None:
                        tail = obj.tail
                    if obj.tail == tail:
                        kind = PAGE
                        contents.append(obj.number)
            elif raw_ok and t is RawStream:  # RawStream.format, inlined
                data = obj.data
                b = b"%d 0 obj\n" % counter + _STREAM_HEAD % len(data)
                b += data + b"endstream\nendobj\n"
                kind = PLAIN
            elif raw_ok and t is FormStream:  # FormStream.format, inlined
                data = obj.data
                b = b"%d 0 obj\n" % counter + _FORM_HEAD % (obj.bbox, len(data), obj.resources)
                b += data + b"endstream\nendobj\n"
                if resources is None:
                    resources = obj.resources
                if obj.resources == resources:
                    kind = FORM
            elif raw_ok and t in _RAW:
                body = obj.format(self)
                end = b"endobj\n" if body.endswith(b"\n") else b"\nendobj\n"
                b = b"%d 0 obj\n" % counter + body + end
            else:
                File.offset = pos
                b = pdfdoc.pdfdocEnc(pdfdoc.PDFIndirectObject(oid, obj).format(self))
            write(b)
            kinds.append(kind)
            idToOf[oid] = pos
            offsets.append(pos)
            pos += len(b)
        File.offset = pos
        del self.__accum__
        lno = len(numbertoid)
        if counter - 1 != lno:
            raise ValueError(f"counter {counter} doesn't match number to id dictionary {lno}")
        versions = {v for _n, v in self.idToObjectNumberAndVersion.values()}
        if versions != {0}:  # (ReportLab writes version 0 only)
            raise ValueError(f"object versions {sorted(versions)}")
        xref = [b"xref\n0 %d\n0000000000 65535 f \n" % (lno + 1)]
        xref += [b"%010d 00000 n \n" % off for off in offsets]
        xrefoffset = File.add(b"".join(xref))
        self.part_index = PartIndex(array("Q", offsets), bytes(kinds), contents, xrefoffset)
        trailer = pdfdoc.PDFTrailer(
            startxref=xrefoffset,
            Size=lno + 1,
            Root=self.Reference(cat),
            Info=self.Reference(info),
            Encrypt=encryptref,
            ID=self.ID(),
        )
        File.add(trailer.format(self))
        for ds in getattr(self, "_digiSigs", []):
            ds.sign(File)
        return File.format(self)
