"""A visit's handouts as one tagged PDF (PDF/UA-1): each handout's structure tree under one
``Document``.

The front desk prints or downloads the handouts of a visit (an aftercare sheet, a brochure,
English and Spanish) as one file. Each part is a tagged office PDF that ReportLab wrote (the
plain structure :mod:`handoutpress.pdfjoin` reads); in the joined file

- each part's ``Document`` element becomes a ``Part`` of a new ``Document`` and carries the
  part's ``/Lang`` (a Spanish handout after an English one is read in Spanish);
- each part's page keys in the ParentTree (``/StructParents`` of its pages, ``/StructParent``
  of its link annotations) come after the keys of the parts before it, in one ParentTree;
- the pages form one flat page tree, so blank pages can go between them: a blank back after
  a part with an odd page count (the next handout starts on a new sheet), or after each page
  of a one-sided part in a two-sided job;
- ``/MarkInfo``, ``/ViewerPreferences /DisplayDocTitle``, ``/Lang`` (the first part's) and an
  XMP packet (``dc:title``, ``pdfuaid:part 1``) whose title, like the Info ``/Title``, names
  the visit's handouts by their public titles;
- a page may be turned 180° (``/Rotate 180``): in a job printed two-sided on the long edge, a
  handout made to flip on its short edge (a tri-fold) has its backs turned, which is what
  flipping on the short edge does.

Font subsets get names unique in the file, as in :mod:`handoutpress.pdfjoin`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .metadata import xmp
from .pdfjoin import HEADER, JoinError, _Part, _tag

_REF = re.compile(rb"(\d+) 0 R\b")
_TAG = re.compile(rb"/([A-Z]{6})\+")
_KEY = re.compile(rb"/(StructParents?) (\d+)")
_PARENT = re.compile(rb"/Parent \d+ 0 R")
_NUMS = re.compile(rb"(\d+) (\[[^\]]*\]|\d+ 0 R)")

# object numbers of what the joined file itself adds
CATALOG, PAGES, INFO, STRUCT_ROOT, DOCUMENT, PARENT_TREE, METADATA, FIRST_FREE = range(1, 9)


@dataclass(frozen=True)
class Page:
    """One page of the joined file: page ``index`` (0-based) of part ``part``, or a blank of
    the given size (``part`` None); ``turned``: drawn upside down (``/Rotate 180``)."""

    part: int | None
    index: int = 0
    width: float = 0
    height: float = 0
    turned: bool = False


@dataclass
class _Read:
    """One part, read: its objects renumbered into the joined file."""

    objects: dict[int, bytes] = field(default_factory=dict)  # new number -> "obj … endobj"
    pages: list[int] = field(default_factory=list)  # new numbers of its pages, in order
    document: int | None = None  # new number of its Document element
    nums: list[tuple[int, bytes]] = field(default_factory=list)  # ParentTree, keys shifted
    keys: int = 0  # its ParentTreeNextKey
    lang: bytes | None = None  # its /Lang, as written: (en)
    size: int = 0  # object numbers it takes (its highest number + 1)


def _value(pattern: bytes, data: bytes) -> int | None:
    m = re.search(pattern, data)
    return int(m.group(1)) if m else None


def _read(
    data: bytes, base: int, key_base: int, tags: dict[bytes, bytes], counter: list[int]
) -> _Read:
    part = _Part(data)
    objs = part.objects()
    by_num = {num: d for num, d, _ in objs}
    catalog = by_num.get(part.root)
    if catalog is None:
        raise JoinError("no catalog")
    pages_root = _value(rb"/Pages (\d+) 0 R", catalog)
    if pages_root is None:
        raise JoinError("no page tree")
    kids = re.search(rb"/Kids \[([^\]]*)\]", by_num[pages_root])
    if kids is None:
        raise JoinError("page tree not flat")
    out = _Read(size=part.size)
    out.pages = [int(n) + base for n in _REF.findall(kids.group(1))]
    skip = {part.root, part.info, pages_root}
    for name in (rb"/MarkInfo", rb"/ViewerPreferences", rb"/Metadata"):
        n = _value(name + rb" (\d+) 0 R", catalog)
        if n is not None:
            skip.add(n)
    lang = re.search(rb"/Lang (\((?:[^()\\]|\\.)*\))", catalog)
    out.lang = lang.group(1) if lang else None
    struct_root = _value(rb"/StructTreeRoot (\d+) 0 R", catalog)
    document = None
    if struct_root is not None:
        root = by_num[struct_root]
        document = _value(rb"/K (\d+) 0 R", root)
        parent_tree = _value(rb"/ParentTree (\d+) 0 R", root)
        if document is None or parent_tree is None:
            raise JoinError("structure tree without a Document element or a ParentTree")
        out.keys = _value(rb"/ParentTreeNextKey (\d+)", root) or 0
        out.document = document + base
        skip |= {struct_root, parent_tree}
        for key, value in _NUMS.findall(by_num[parent_tree]):
            out.nums.append((int(key) + key_base, _REF.sub(lambda m: _shift(m, base), value)))

    def retag(m: re.Match[bytes]) -> bytes:
        old = m.group(1)
        if old not in tags:
            tags[old] = _tag(counter[0])
            counter[0] += 1
        return b"/" + tags[old] + b"+"

    page_set = set(out.pages)
    for num, dict_part, stream in objs:
        if num in skip:
            continue
        d = _REF.sub(lambda m: _shift(m, base), dict_part)
        if b"+" in d:
            d = _TAG.sub(retag, d)
        if key_base and b"/StructParent" in d:
            d = _KEY.sub(lambda m: b"/%s %d" % (m.group(1), int(m.group(2)) + key_base), d)
        new = num + base
        if new in page_set:
            d = _PARENT.sub(b"/Parent %d 0 R" % PAGES, d, count=1)
        if num == document:
            d = re.sub(rb"/S ?/Document", b"/S/Part", d, count=1)
            d = re.sub(rb"/P \d+ 0 R", b"/P %d 0 R" % DOCUMENT, d, count=1)
            if out.lang is not None and b"/Lang" not in d:
                d = d.replace(b"/S/Part", b"/S/Part/Lang" + out.lang, 1)
        out.objects[new] = d + stream
    return out


def _shift(m: re.Match[bytes], base: int) -> bytes:
    return b"%d 0 R" % (int(m.group(1)) + base)


def info_string(text: str) -> bytes:
    """``text`` as a PDF text string: literal when it is printable ASCII, else UTF-16BE."""
    if all(32 <= ord(c) < 127 for c in text):
        return b"(" + re.sub(r"([()\\])", r"\\\1", text).encode("ascii") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def join_tagged(parts: Sequence[bytes], pages: Sequence[Page], title: str) -> bytes:
    """``parts`` (tagged PDFs; untagged ones join with no structure) as one tagged PDF whose
    pages are ``pages`` in order; ``title``: the file's title (public words only)."""
    tags: dict[bytes, bytes] = {}
    counter = [0]
    read: list[_Read] = []
    base, key_base = FIRST_FREE - 1, 0
    ids = hashlib.md5(usedforsecurity=False)
    for data in parts:
        r = _read(data, base, key_base, tags, counter)
        read.append(r)
        base += r.size
        key_base += r.keys
        m = re.search(rb"/ID\s*\[\s*<([0-9a-fA-F]+)>", data[-400:])
        ids.update(m.group(1) if m else b"")
    if not read:
        raise JoinError("nothing to join")
    out = bytearray(HEADER)
    offsets: dict[int, int] = {}

    def put(num: int, body: bytes) -> None:
        offsets[num] = len(out)
        out.extend(b"%d 0 obj\n" % num + body + b"endobj\n")

    kids: list[int] = []
    next_num = base + 1
    for page in pages:
        if page.part is None:
            content = next_num
            put(content, b"<< /Length 0 >>\nstream\n\nendstream\n")
            num = next_num + 1
            next_num += 2
            box = b"[ 0 0 %s %s ]" % (_num(page.width), _num(page.height))
            rotate = b" /Rotate 180" if page.turned else b""
            put(
                num,
                b"<< /Type /Page /Parent %d 0 R /MediaBox %s /Contents %d 0 R "
                b"/Resources << >>%s >>\n" % (PAGES, box, content, rotate),
            )
            kids.append(num)
            continue
        r = read[page.part]
        num = r.pages[page.index]
        if page.turned:
            body = r.objects[num]
            turned = re.sub(rb"/Rotate \d+", b"/Rotate 180", body, count=1)
            if turned == body:
                turned = body.replace(b"/Type /Page", b"/Rotate 180 /Type /Page", 1)
            r.objects[num] = turned
        kids.append(num)
    for r in read:
        for num, body in sorted(r.objects.items()):
            put(num, body)
    # the joined file's own objects
    langs = [r.lang for r in read if r.lang]
    lang = langs[0] if langs else b"(en)"
    documents = b" ".join(b"%d 0 R" % r.document for r in read if r.document is not None)
    put(
        DOCUMENT,
        b"<< /Type /StructElem /S /Document /P %d 0 R /K [%s] >>\n" % (STRUCT_ROOT, documents),
    )
    nums = b" ".join(b"%d %s" % (k, v) for r in read for k, v in r.nums)
    put(PARENT_TREE, b"<< /Nums [%s] >>\n" % nums)
    put(
        STRUCT_ROOT,
        b"<< /Type /StructTreeRoot /K %d 0 R /ParentTree %d 0 R /ParentTreeNextKey %d >>\n"
        % (DOCUMENT, PARENT_TREE, key_base),
    )
    packet = xmp(title, lang[1:-1].decode("latin-1")).encode("utf-8")
    put(
        METADATA,
        b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream\n"
        % (len(packet), packet),
    )
    put(
        PAGES,
        b"<< /Type /Pages /Count %d /Kids [%s] >>\n"
        % (len(kids), b" ".join(b"%d 0 R" % k for k in kids)),
    )
    put(
        CATALOG,
        b"<< /Type /Catalog /Pages %d 0 R /StructTreeRoot %d 0 R /MarkInfo << /Marked true >> "
        b"/Lang %s /Metadata %d 0 R /ViewerPreferences << /DisplayDocTitle true >> >>\n"
        % (PAGES, STRUCT_ROOT, lang, METADATA),
    )
    put(INFO, _info(parts[0], title))
    size = max(offsets) + 1
    xref = len(out)
    out.extend(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for n in range(1, size):
        out.extend(b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n")
    ident = ids.hexdigest().encode()
    out.extend(
        b"trailer\n<<\n/ID [<%s><%s>]\n/Info %d 0 R\n/Root %d 0 R\n/Size %d\n>>\n"
        % (ident, ident, INFO, CATALOG, size)
    )
    out.extend(b"startxref\n%d\n%%%%EOF\n" % xref)
    return bytes(out)


def _info(first: bytes, title: str) -> bytes:
    """The first part's document information with the visit's title."""
    part = _Part(first)
    info = {num: d for num, d, _ in part.objects()}.get(part.info or -1, b"<<\n>>\n")
    info = re.sub(rb"/Title (\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f]*>)", b"", info)
    info = re.sub(rb"/Subject (\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f]*>)", b"", info)
    return info.replace(b"<<", b"<<\n/Title " + info_string(title), 1)


def _num(value: float) -> bytes:
    return (b"%d" % value) if value == int(value) else (b"%.4f" % value).rstrip(b"0")
