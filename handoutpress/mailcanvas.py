"""A canvas for drawing thousands of letters into one PDF, fast.

ReportLab's canvas writes every page with its own resource dictionary and text
objects; a mailing is the same letter thousands of times with a few lines that
differ. :class:`FormCanvas`:

- captures pages laid out by a platypus doc template as form XObjects (the parts
  of a letter that are the same for every recipient), drawn once per file;
- writes each page as a small content stream (the forms plus the personal text)
  with one resource dictionary shared by all pages, and shares the stream itself
  between pages whose content is identical (the back of every letter);
- encodes a personal text line once per file (``fast_text``) and works out a
  colour operator once (``fast_fill``).

Links are page annotations: a form has none (and a mailed letter needs none), so
they are dropped while capturing. What is laid out once and reused by every letter
(``Shared``/``Reused`` flowables) is :mod:`handoutpress.sharedflowables`'s.
"""

from __future__ import annotations

import re

from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .mailpdf import (
    FormStream,
    MailDocument,
    MailPages,
    PageObject,
    RawStream,
    add_object,
    add_page,
    pdfdoc_ascii,
)
from .source_date import fix_timestamp


def first_subset_codes(font: TTFont, doc: pdfdoc.PDFDocument, text: str) -> bytes | None:
    """The bytes ReportLab's ``splitString`` would give when every character of ``text`` is
    already assigned a code in the font's first subset for ``doc`` (else None: use it)."""
    state = font.state.get(doc)
    if state is None or "\xa0" in text:
        return None
    assigned = state.assignments
    known = _first_subsets.get(id(state))
    if known is None or known[0] is not assigned or known[1] != len(assigned):
        if len(_first_subsets) >= 64:
            _first_subsets.clear()
        first = {k: v for k, v in assigned.items() if v < 256}
        known = _first_subsets[id(state)] = (
            assigned, len(assigned), frozenset(map(chr, first)), first
        )  # fmt: skip
    if not known[2].issuperset(text):  # a new character, or a code past the first subset
        return None
    return text.translate(known[3]).encode("latin-1")


#: per font state (by id; its assignments kept, so the id is not another's): the
#: assignments' count when made, the characters with a code in the first subset, and the
#: table from each to its code (ReportLab only adds assignments, never changes one)
_first_subsets: dict[int, tuple[dict[int, int], int, frozenset[str], dict[int, int]]] = {}


def _ascii_identity(font: TTFont, doc: pdfdoc.PDFDocument) -> frozenset[str]:
    """The ASCII characters whose code in the font's first subset for ``doc`` is their own
    (ReportLab assigns printable ASCII so when it starts a document's subsets, and never
    changes an assignment); empty before the font is used in ``doc``."""
    state = font.state.get(doc)
    if state is None:
        return frozenset()
    assigned = state.assignments
    return frozenset(chr(n) for n in range(32, 128) if assigned.get(n) == n)


#: operators whose resources a shared dictionary does not carry (transparency, shadings,
#: colour spaces): a form that uses them is left to ReportLab
_OWN_RESOURCES = re.compile(r"\b(?:gs|sh|cs|CS|scn|SCN|BI)\b")
#: the same operators without the leading ``\b`` (which keeps ``re`` from scanning for the
#: first letters: 5x slower on a page's operators); the character before is checked apart
_OWN_RESOURCES_END = re.compile(r"(?:gs|sh|cs|CS|scn|SCN|BI)\b")
_WORD_CHAR = re.compile(r"\w")


def own_resources(code: str) -> bool:
    """``_OWN_RESOURCES.search(code)``, faster: a mailing with personal text makes forms per
    letter, and this check of each form's operators cost more than compressing them."""
    for m in _OWN_RESOURCES_END.finditer(code):
        at = m.start()
        if at == 0 or not _WORD_CHAR.match(code, at - 1):
            return True
    return False


def pdfdoc_bytes(code: str) -> bytes:
    """``pdfdoc.pdfdocEnc(code)``: for ASCII text PDFDocEncoding is ASCII (but for 0x18-0x1F,
    left to ``pdfdocEnc``), which ``str.encode`` does at C speed (ReportLab's codec runs
    in Python: about 80 µs for a letter's page of operators)."""
    if pdfdoc_ascii(code):
        return code.encode("ascii")
    return bytes(pdfdoc.pdfdocEnc(code))


#: small forms' operators: (``own_resources``, their bytes), by the operators
_small_forms: dict[str, tuple[bool, bytes]] = {}

#: a character ReportLab's ``PDFName`` writes as ``#xx`` (outside ``!``-``~``, or a delimiter)
_NAME_ESCAPED = re.compile(r"[^\x21-\x7e]|[%()<>{}\[\]#]")


def names_escaped(text: str) -> bool:
    """``_NAME_ESCAPED.search(text)``: a character ReportLab writes escaped in a name (not
    printable ASCII, a space, or a delimiter), without a regular expression's scan per
    name (a part of personal letters names four forms a letter)."""
    plain = text.isascii() and text.isprintable() and " " not in text
    return not plain or any(c in text for c in _NAME_DELIMITERS)


_NAME_DELIMITERS = "%()<>{}[]#"


class XObjects(pdfdoc.PDFObject):
    """The shared resources' ``/XObject`` dictionary: ``xobjDict(names)`` as ReportLab's
    ``PDFDictionary`` formats it (sorted, six entries a line), without its generic
    formatting per entry (a part of personal letters names four forms a letter)."""

    def __init__(self, names: list[str]) -> None:
        self.names = names

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        keys = sorted(pdfdoc.xObjectName(n) for n in self.names)
        if pdfdoc.rl_config.pdfMultiLine or names_escaped("".join(keys)):
            return bytes(document.xobjDict(self.names).format(document))  # (ReportLab's)
        numbers = document.idToObjectNumberAndVersion
        entries = [b"/%s %d %d R" % (k.encode("ascii"), *numbers[k]) for k in keys]
        insert = entries.insert
        for i in reversed(range(6, len(entries), 6)):
            insert(i, b"\n ")
        return b"<<\n" + b" ".join(entries) + b"\n>>"


class FormCanvas(Canvas):
    """A canvas that can turn the pages a doc template lays out into form XObjects.

    Between :meth:`start_capture` and :meth:`end_capture` every page becomes the form
    ``<prefix>-p<N>``; ``save()`` by the doc template is ignored.
    """

    _code: list[str]  # ReportLab's operators of the page being drawn
    _capturing: str | None = None
    _form_open = False
    _cap_pages = 0
    _saved_page = 1
    #: share one resource dictionary between pages (see showPage)
    fast_pages = True
    _shared_resources: pdfdoc.PDFResourceDictionary | None = None
    _shared_res_ref = b""
    _page_tail = b""

    def __init__(self, *args: object, timestamp: int | None = None, **kw: object) -> None:
        """``timestamp``: the file's dates (and the seed of its ID), in seconds since 1970
        UTC, as ``SOURCE_DATE_EPOCH`` would set them, without changing the environment."""
        super().__init__(*args, **kw)
        if self.fast_pages:  # writes the pages' objects as bytes (mailpdf)
            self._doc.__class__ = MailDocument
            self._doc.Pages.__class__ = MailPages
        if timestamp is not None:
            fix_timestamp(self._doc, timestamp)
        self._all_forms: set[str] = set()
        self._shown: dict[tuple[str, float, str], str] = {}
        self._streams: dict[str, tuple[bytes, int]] = {}
        self._fills: dict[int, tuple[Color, str]] = {}
        #: per font name: the ASCII characters that are their own code (_ascii_identity)
        self._ascii: dict[str, frozenset[str]] = {}
        #: line_head's answers, by position, font and size
        self._heads: dict[tuple[float, float, str, float], tuple[str, frozenset[str]]] = {}
        #: where a line starts (``BT … Tm``), by position
        self._at: dict[tuple[float, float], str] = {}
        #: mailstamp.LetterStamp per (letter renderer's id, form prefix, proof form): mailstamp
        #: draws on this canvas, so it is not named here (it imports this module: mailstamp
        #: checks what it reads back with isinstance)
        self._stamps: dict[tuple[int, str, str | None], object] = {}

    def start_capture(self, prefix: str) -> None:
        self._capturing = prefix
        self._cap_pages = 0
        self._saved_page = self._pageNumber

    def begin_capture_page(self) -> None:
        if self._capturing is None:
            return
        self._cap_pages += 1
        self._pageNumber = self._cap_pages
        self.beginForm(f"{self._capturing}-p{self._cap_pages}")
        self._form_open = True

    def end_capture(self) -> int:
        if self._form_open:  # a layout error stopped the page half-way
            self.endForm()
            self._form_open = False
        pages = self._cap_pages
        self._capturing = None
        self._pageNumber = self._saved_page
        self.__dict__.pop("_doctemplate", None)
        return pages

    def showPage(self) -> None:
        if self._capturing is not None:
            self.endForm()
            self._form_open = False
            return
        if not self.fast_pages or self._annotationrefs:
            super().showPage()
            return
        # The pages of a mailing are a form plus a few lines of text: ReportLab's own
        # showPage builds and formats a full page dictionary with its own resources for
        # every page (most of the time of a 10,000-letter run). Here every page shares one
        # resource dictionary that lists all fonts and forms, and the page object and its
        # content stream are written directly.
        self._code.append(" ")
        self._add_page("\n".join([self._preamble, *self._code]) + "\n")
        self._all_forms.update(self._formsinuse)
        if self._onPage:
            self._onPage(self._pageNumber)
        self._startPage()

    def _add_page(self, code: str) -> None:
        """A page whose content stream is ``code``, sharing the resource dictionary."""
        doc = self._doc
        self._shared_ref()  # pages share one resource dictionary
        got = self._streams.get(code)
        if got is None:  # pages with the same content (a letter's back) share a stream
            number = add_object(doc, RawStream(code.encode("utf-8")))
            got = (b"%d 0 R" % number, number)
            if len(code) < 4096:
                self._streams[code] = got
        add_page(doc, PageObject(got[0], self._page_tail, got[1]))

    def form_op(self, form: str) -> str:
        """The operator ``doForm(form)`` writes (``raw_page`` notes the form as used)."""
        return f"/{pdfdoc.xObjectName(form)} Do"

    def raw_page(self, form: str | None, ops: list[str], *more_forms: str | None) -> bool:
        """``doForm(form)`` (none: a blank page), then ``ops`` (operators made by
        :meth:`fill_op`, :meth:`text_op` and :meth:`form_op` for ``more_forms``), then
        ``showPage()``: the same page, written without drawing through the canvas. False
        (nothing done) when the canvas is not at the start of a page that this can write:
        then draw it."""
        if (
            not self.fast_pages
            or self._capturing is not None
            or self._code
            or self._annotationrefs
            or self._onPage
        ):
            return False
        if form is not None:
            ops = [self.form_op(form), *ops]
            self._all_forms.add(form)
        self._all_forms.update(f for f in more_forms if f is not None)
        self._add_page("\n".join([self._preamble, *ops, " "]) + "\n")
        self._pageNumber += 1
        return True

    def raw_code_pages(self, pages: list[tuple[str, str | None]], proof: str | None) -> None:
        """What :meth:`raw_page` does for each page ``(code, form)``, with its whole content
        stream made already (``code``: the preamble, ``form``'s operator, the rest, the
        closing line; form None: a blank page, ``raw_page(None, [])``), at the start of
        pages it can write: the same objects registered in the same way
        (:meth:`_add_page`, :func:`~.mailpdf.add_object`, :func:`~.mailpdf.add_page`)
        without a call for each step: a merged mailing writes two pages a letter."""
        if not pages:
            return
        doc = self._doc
        self._shared_ref()
        tail = self._page_tail
        forms, streams = self._all_forms, self._streams
        numbers, ids, objects = doc.idToObjectNumberAndVersion, doc.numberToId, doc.idToObject
        kids = doc.Pages.pages
        for code, form in pages:
            if form is not None:
                forms.add(form)
                if proof is not None:
                    forms.add(proof)
            got = streams.get(code)
            if got is None:
                n = doc.objectcounter = doc.objectcounter + 1
                stream = RawStream(code.encode("utf-8"))
                name = stream.__InternalName__ = f"R{n}"
                numbers[name], ids[n], objects[name] = (n, 0), name, stream
                got = (b"%d 0 R" % n, n)
                if len(code) < 4096:
                    streams[code] = got
            page = PageObject(got[0], tail, got[1])
            n = doc.objectcounter = doc.objectcounter + 1
            name = page.__InternalName__ = f"Page{doc.pageCounter}"
            numbers[name], ids[n], objects[name] = (n, 0), name, page
            page.ref = b"%d 0 R" % n
            kids.append(page)
            doc.pageCounter += 1
            self._pageNumber += 1
        doc.inObject = None

    def _shared_ref(self) -> bytes:
        """The reference of the resource dictionary every page and form shares."""
        if self._shared_resources is None:
            doc = self._doc
            res = pdfdoc.PDFResourceDictionary()
            res.basicFonts()
            res.allProcs()
            self._shared_resources = res
            self._shared_res_ref = doc.Reference(res, "hp-shared-page-resources").format(doc)
            w, h = self._pagesize
            self._page_tail = b" /MediaBox [ 0 0 %s %s ] /Resources %s /Type /Page" % (
                fp_str(w).encode(),
                fp_str(h).encode(),
                self._shared_res_ref,
            )
        return self._shared_res_ref

    def endForm(self, **extra: object) -> None:
        """ReportLab's endForm formats a resource dictionary of its own for every form; a
        mailing with personal text makes forms per letter, so they share the page's."""
        code = "\n".join([self._preamble, *self._code]) + "\n"
        small = _small_forms.get(code) if len(code) < 1024 else None
        if small is None:
            small = (own_resources(code), b"")
        if (
            not self.fast_pages
            or extra
            or self._annotationrefs
            or self._shadingUsed
            or self._colorsUsed
            or small[0]
        ):
            super().endForm(**extra)
            return
        name, lx, ly, ux, uy = self._formData
        w, h = self._pagesize
        box = [lx, ly, w if ux is None else ux, h if uy is None else uy]
        data = small[1]
        if not data:
            data = pdfdoc_bytes(code)
            if len(code) < 1024:  # (a personal letter's page totals: the same every letter)
                if len(_small_forms) >= 256:
                    _small_forms.clear()
                _small_forms[code] = (False, data)
        form = FormStream(data, fp_str(*box).encode(), self._shared_ref())
        self._all_forms.update(self._formsinuse)
        self._all_forms.add(name)
        self._doc.Reference(form, pdfdoc.xObjectName(name))
        self._doc.inObject = None
        self._restartAccumulators()
        self.pop_state_stack()

    def blank_forms(self, names: list[str]) -> None:
        """Empty the content of these forms (a letter that was laid out but not used: its
        text must not stay in the file, even where nothing shows it)."""
        for name in names:
            obj = self._doc.idToObject.get(pdfdoc.xObjectName(name))
            if isinstance(obj, FormStream):
                obj.blank()
            elif obj is not None:
                obj.setStreamList([" "])

    def empty_forms(self, names: list[str]) -> None:
        """Make these forms, empty, where they do not exist yet (forms a page called before
        a layout error stopped the letter that would have made them)."""
        for name in names:
            if not self.hasForm(name):
                self.beginForm(name)
                self.endForm()
                self._all_forms.add(name)

    def save(self) -> None:
        if self._capturing is not None:
            return
        if self._shared_resources is not None and self._all_forms:
            self._shared_resources.XObject = XObjects(sorted(self._all_forms))
        super().save()

    def fill_op(self, color: Color) -> str | None:
        """The operator ``setFillColor`` writes for an opaque colour, worked out once per
        colour; None for a colour with alpha (it needs an ExtGState: draw it)."""
        got = self._fills.get(id(color))
        if got is not None:
            return got[1]
        if getattr(color, "alpha", 1) not in (None, 1):
            return None
        ops = self._fill_ops(color)
        # the colour object is kept with its operator: its id cannot be reused meanwhile
        self._fills[id(color)] = (color, ops)
        return ops

    def _fill_ops(self, color: Color) -> str:
        code: list[str] = self._code
        self._code = []
        try:
            Canvas.setFillColor(self, color)
            return " ".join(self._code)
        finally:
            self._code = code

    def fast_fill(self, color: Color) -> None:
        """``setFillColor`` for an opaque colour, its operator worked out once per colour."""
        ops = self.fill_op(color)
        # (alpha needs an ExtGState: not cached)
        self._code.append(self._fill_ops(color) if ops is None else ops)

    def text_op(self, x: float, y: float, text: str, font_name: str, size: float) -> str:
        """The operators ``drawString`` writes for one line in a TrueType font (its
        characters given codes in the font's subsets in the same order)."""
        key = (font_name, size, text)
        shown = self._shown.get(key)
        if shown is None:  # city lines and greetings repeat: encode each text once per file
            font = getFont(font_name)
            doc = self._doc
            sz = fp_str(size)
            ascii_codes = self._ascii.get(font_name)
            if ascii_codes is None:
                ascii_codes = _ascii_identity(font, doc)
                if ascii_codes:
                    self._ascii[font_name] = ascii_codes
            if text.isascii() and ascii_codes.issuperset(text):
                codes: bytes | None = text.encode("ascii")  # (what splitString gives)
            else:
                codes = first_subset_codes(font, doc, text)
            if codes is not None:  # every character already has its code in subset 0
                name = font.getSubsetInternalName(0, doc)
                shown = f"{name} {sz} Tf ({escapePDF(codes)}) Tj"
            else:
                shown = " ".join(
                    f"{font.getSubsetInternalName(subset, doc)} {sz} Tf ({escapePDF(chunk)}) Tj"
                    for subset, chunk in font.splitString(text, doc)
                )
            self._shown[key] = shown
        at = self._at.get((x, y))
        if at is None:
            at = self._at[(x, y)] = f"BT 1 0 0 1 {fp_str(x)} {fp_str(y)} Tm "
        return f"{at}{shown} ET"

    def line_head(
        self, x: float, y: float, font_name: str, size: float, plain: frozenset[str]
    ) -> tuple[str, frozenset[str]] | None:
        """For lines at (x, y) in a font the document has started to use: what
        :meth:`text_op` writes before the text's codes (``BT … Tm /F… size Tf (``), and the
        characters of ``plain`` (the caller's, say those every body face has) whose code is
        their own, printable ASCII: for a text made only of them, ``head + escaped text +
        ") Tj ET"`` is what :meth:`text_op` gives. None before the font's first use."""
        key = (x, y, font_name, size)
        got = self._heads.get(key)
        if got is None:
            font = getFont(font_name)
            state = font.state.get(self._doc)
            if state is None or state.internalName is None:
                return None  # (naming the font now would change the order fonts are named)
            ident = _ascii_identity(font, self._doc) & plain
            ident = frozenset(ch for ch in ident if " " <= ch <= "~")
            name = font.getSubsetInternalName(0, self._doc)
            at = self._at.get((x, y)) or f"BT 1 0 0 1 {fp_str(x)} {fp_str(y)} Tm "
            got = self._heads[key] = (f"{at}{name} {fp_str(size)} Tf (", ident)
        return got

    def fast_text(self, x: float, y: float, text: str, font_name: str, size: float) -> None:
        """``drawString`` for a TrueType font, without the text-object machinery."""
        self._code.append(self.text_op(x, y, text, font_name, size))

    # links are page annotations: a form has none (and a mailed letter needs none)
    def linkURL(self, *args: object, **kw: object) -> None:
        if self._capturing is None:
            super().linkURL(*args, **kw)

    def linkRect(self, *args: object, **kw: object) -> None:
        if self._capturing is None:
            super().linkRect(*args, **kw)

    def linkAbsolute(self, *args: object, **kw: object) -> None:
        if self._capturing is None:
            super().linkAbsolute(*args, **kw)
