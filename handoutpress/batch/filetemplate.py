"""``batch --out-dir`` files from a byte template: the letter laid out, drawn, tagged and
serialised once per shape, then per recipient only the personal parts drawn again.

An ``--out-dir`` file is a recipient's own tagged letter. For a letter whose text has no
recipient field, every file is the same except the personal parts that
:meth:`~handoutpress.layouts.letter.LetterRenderer.draw_personal` draws in fixed places:
the address lines, the barcode and the greeting on page 1, the name in the running head of
later sheets' fronts. None of them moves anything else on the page, so a
:class:`FileTemplate` is made once per process and *shape* (language, address lines):

1. the mailing plan's letter renderer lays the letter out and writes it as ``build`` makes
   it, for a made-up addressee of that shape (its file-template hooks report to a
   :class:`_Recording`: the template wraps the renderer), with the body font's
   subset seeded with a fixed repertoire (:data:`REPERTOIRE`, not the CSV's characters: a
   file never shows which characters other recipients' names hold), so that every
   recipient's text has the same character codes; each ``draw_personal`` is bracketed
   by comment lines in the page's content stream;
2. the PDF is cut into its objects (:mod:`.template_pdf`); a page with personal parts gets
   its content as three streams (``/Contents [pre personal post]``), ``pre`` and ``post``
   compressed once;
3. per recipient (:meth:`FileTemplate.make`), the personal parts are drawn on a scratch
   :class:`~handoutpress.tagging.TaggedCanvas` in the state the page had there (same
   fonts, codes, marked-content ids), and the file is the shared objects, those streams, a
   new cross-reference table and trailer.

The structure tree, fonts, metadata and every shared stream are the template's bytes. A
recipient the template cannot serve (a character outside the repertoire or the body font,
a state after the personal parts other than the template's) gets ``None`` and is made the
full way (:func:`~handoutpress.batch.worker.own_file`); so does every letter whose text has
recipient fields (it can change the layout). ``tests/test_batch_outdir_template.py``
compares files made both ways: text, pages, tags as outside readers see them, renders.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas, ExtGState

from ..addressing import Addressee
from ..tagging import Node, StructTree, TaggedCanvas, _Code
from .template_pdf import (
    NotATemplate,
    Pdf,
    binary_streams,
    found,
    need,
    page_objects,
    parse,
    stream,
    stream_data,
)

if TYPE_CHECKING:
    from ..layouts.letter import LetterRenderer

#: the comment lines around a page's personal parts in the template's content streams
BEGIN = "%hp-personal{"
END = "%hp-personal}"

#: Characters every template's body face has codes for, whatever the CSV holds: Latin-1's
#: letters (Spanish, French, German, Portuguese names), Spanish ¡ ¿, typographic quotes and
#: dashes. ASCII is always in ReportLab's first subset. A recipient with another character
#: gets a template with that character added (each glyph in every file costs bytes: the
#: rest of Latin-1's signs, ° © ½ …, would add 3 KB a file for rows that seldom have them).
REPERTOIRE = "".join(chr(c) for c in range(0xC0, 0x100) if c not in (0xD7, 0xF7))
REPERTOIRE += "\u00a1\u00bf\u2018\u2019\u201c\u201d\u2013\u2014"

#: a font selected in a content stream: its resource name
_FONT_USE = re.compile(rb"/([^\s/]+) [\d.]+ Tf")

_STATE = [n for n in Canvas.STATE_ATTRIBUTES if n != "_extgstate"]


@dataclass(frozen=True)
class _CanvasState:
    """What drawing depends on and leaves behind: the graphics and text state, the tagging
    state, the marked-content ids used on the page."""

    #: the canvas's graphics and text state attributes (Canvas.STATE_ATTRIBUTES but the
    #: graphics state dictionary), in that order
    graphics: tuple[object, ...]
    #: the graphics state dictionary's entries
    extgstate: tuple[tuple[str, object], ...]
    #: marked-content ids used on the page so far
    mcids: int
    #: no element's marked content open
    closed: bool
    #: explicit artifacts open
    artifacts: int
    #: an artifact opened by the tagging safety net is open
    implicit: bool
    #: no element to switch to after the next text object
    no_switch: bool
    #: saved graphics states
    saved: int


def _state(canv: TaggedCanvas) -> _CanvasState:
    d = canv.__dict__
    return _CanvasState(
        tuple(d[n] for n in _STATE),
        tuple(sorted(canv._extgstate._d.items())),
        len(canv._mcids),
        canv._open is None,
        canv._artifacts,
        canv._implicit,
        canv._switch is None,
        len(canv.state_stack),
    )


@dataclass
class _Segment:
    """One page's personal parts as the template drew them."""

    page: int
    before: _CanvasState
    after: _CanvasState
    #: the canvas attributes as they were before (restored on the scratch canvas; ReportLab's
    #: values of every kind)
    attrs: dict[str, object]
    #: the graphics state dictionary as it was before (ReportLab's ExtGState)
    extgstate: ExtGState


class _Recording:
    """The letter drawn once for a template, as its file-template hooks
    (:class:`~handoutpress.layouts.letter.FileTemplateHooks`) see it: the body face seeded,
    the personal parts bracketed and their canvas states noted."""

    def __init__(self, letter: LetterRenderer) -> None:
        self.letter = letter
        self.segments: list[_Segment] = []
        self.canvas: TaggedCanvas | None = None
        #: the canvas's document (the canvas starts another one when it is saved)
        self.document: pdfdoc.PDFDocument | None = None
        #: each face's codes in the document, by face name (all of them, once it is drawn)
        self.codes: dict[str, TTFont.State] | None = None

    def canvas_ready(self, canv: Canvas) -> None:
        need(isinstance(canv, TaggedCanvas), "not a tagged letter")
        assert isinstance(canv, TaggedCanvas)  # (for the type checker)
        self.canvas = canv
        self.document = canv._doc
        self.segments = []
        face = pdfmetrics.getFont(self.letter.theme.fonts.regular)
        if isinstance(face, TTFont):  # (the face the pages are drawn with)
            face.splitString(REPERTOIRE, canv._doc)

    def finished(self, canv: Canvas) -> None:
        # every face's codes, which ReportLab drops when it writes the fonts
        document = canv._doc
        self.codes = {
            f.fontName: f.state[document]
            for f in document.delayedFonts
            if isinstance(f, TTFont) and document in f.state
        }

    def personal_parts(self, canv: Canvas, page: int, draw: Callable[[], None]) -> None:
        assert isinstance(canv, TaggedCanvas)
        attrs = {n: canv.__dict__[n] for n in Canvas.STATE_ATTRIBUTES}
        before = _state(canv)
        canv._raw(BEGIN)
        draw()
        canv._raw(END)
        segment = _Segment(page, before, _state(canv), attrs, canv.__dict__["_extgstate"])
        self.segments.append(segment)


def shape_of(a: Addressee) -> tuple[bool, int, bool]:
    """What the structure of a letter depends on: a name line, the street lines, a last line."""
    return bool(a.name), len(a.street), bool(a.last_line)


def stand_in(shape: tuple[bool, int, bool], extra: str = "") -> Addressee:
    """A made-up addressee of ``shape`` (the template never holds a recipient's text) whose
    name line has the ``extra`` characters too (so they have codes in their faces; inside
    the name, so that it ends in the body face, as most names do: a page is left in the
    state the template's was, or the file is made the full way)."""
    name, streets, last = shape
    return Addressee(
        name=(f"Template {extra} Name" if extra else "Template Name") if name else "",
        street=tuple(f"{i + 1} Template Street" for i in range(streets)),
        last_line="Template, ST 00000" if last else "",
        greeting_name="Template" if name else "",
    )


# --------------------------------------------------------------------------- the template


class FileTemplate:
    """One language's letter for recipients of one shape, serialised once."""

    def __init__(
        self,
        letter: LetterRenderer,
        shape: tuple[bool, int, bool],
        pad_to: int,
        timestamp: int,
        extra: str = "",
    ) -> None:
        """``letter``: a mailing's letter renderer, fresh (:meth:`MailingPlan.letter
        <handoutpress.build.MailingPlan.letter>`), drawn once here for a made-up addressee
        of ``shape`` with codes for the ``extra`` characters too; blank pages up to a
        multiple of ``pad_to``, the files' dates ``timestamp``. Raises NotATemplate (and
        HandoutError as the letter's render does)."""
        self.renderer = r = letter
        recording = _Recording(r)
        probe = stand_in(shape, extra)
        r.file_template = recording
        try:
            with binary_streams():
                made = r.render_file(probe, pad_to, timestamp)
        finally:
            r.file_template = None
        pdf, self.pages = made.pdf, made.pages
        canv, codes = recording.canvas, recording.codes
        if canv is None:
            raise NotATemplate("not what ReportLab writes")
        if codes is None or recording.document is not canv._doc:
            raise NotATemplate("the letter was not drawn once")
        self.codes = codes
        fonts = r.theme.fonts

        def coded(face: str) -> frozenset[str]:
            state = codes.get(face)
            return frozenset(map(chr, state.assignments)) if state is not None else frozenset()

        #: the characters every file has a code for, in the face ``draw_text`` sets them in
        #: (the body face, else the fallback): a recipient's text must use only these
        self.chars = (coded(fonts.regular) & fonts.body_set) | (
            coded(fonts.fallback) - fonts.body_set
        )
        self.segments = recording.segments
        self._scratch = self._scratch_canvas()
        self._build(parse(pdf), probe)

    def _scratch_canvas(self) -> TaggedCanvas:
        """A canvas that encodes text as the template's document does (its copy of each
        face's codes, frozen: a new character raises instead of changing a font)."""
        r = self.renderer
        scratch = TaggedCanvas(
            io.BytesIO(),
            tree=StructTree("und", ""),
            pagesize=(r.W, r.H),
            initialFontName=r.theme.fonts.regular,
        )
        self._codes: dict[str, TTFont.State] = {}
        for name, state in self.codes.items():
            mine = TTFont.State(True, None)
            mine.assignments = dict(state.assignments)
            mine.subsets = [list(s) for s in state.subsets]
            mine.nextCode = state.nextCode
            mine.internalName = state.internalName
            mine.namePrefix = state.namePrefix
            mine.frozen = 1
            self._codes[name] = mine
        return scratch

    def _face_codes(self) -> None:
        """The scratch document's faces have the template's codes (the faces registered
        now: fonts may be registered again between files)."""
        doc = self._scratch._doc
        for name, codes in self._codes.items():
            face = pdfmetrics.getFont(name)
            if isinstance(face, TTFont) and face.state.get(doc) is not codes:
                face.state[doc] = codes

    def _build(self, pdf: Pdf, probe: Addressee) -> None:
        objects = dict(pdf.objects)
        size = max(objects) + 1
        if sorted(objects) != list(range(1, size)):
            raise NotATemplate("objects not numbered 1…N")
        pages = page_objects(pdf)
        font_dict = found(
            re.search(rb"/Font (\d+) 0 R", objects[pages[0]]), "not what ReportLab writes"
        )
        #: the font resource names of the template's pages
        fonts = objects[int(font_dict.group(1))]
        self.font_names = frozenset(re.findall(rb"/([^\s/]+) \d+ 0 R", fonts))
        segs = {s.page: s for s in self.segments}
        begin, end = f"\n{BEGIN}\n".encode(), f"\n{END}\n".encode()
        r = self.renderer
        # (segment, page object, its /Contents entry, content object, pre, post)
        split: list[tuple[_Segment, int, bytes, int, bytes, bytes]] = []
        for index, page_num in enumerate(pages):
            m = found(
                re.search(rb"/Contents (\d+) 0 R", objects[page_num]),
                "not what ReportLab writes",
            )
            content_num = int(m.group(1))
            content = stream_data(objects[content_num])
            if begin not in content:  # a blank back: as it is
                continue
            i = content.index(begin)
            j = content.index(end, i)
            pre, post = content[: i + 1], content[j + len(end) :]
            seg = content[i + len(begin) : j + 1]
            seg = b"" if seg == b"\n" else seg  # nothing drawn between the markers
            s = segs[index + 1]
            if index > 0 and not r.starts_sheet(index + 1):
                # the back of a sheet: nothing personal, the same in every file
                objects[content_num] = stream(content_num, pre + seg + post)
                continue
            if self._draw(s, probe) != seg:
                raise NotATemplate(f"page {index + 1}: personal parts drawn differently")
            split.append((s, page_num, m.group(0), content_num, pre, post))
        #: per page with personal parts: its segment and the number of its own stream
        self.personal: list[tuple[_Segment, int]] = []
        k = len(split)
        for n, (s, page_num, contents, content_num, pre, post) in enumerate(split):
            mine, tail = size + n, size + k + n
            self.personal.append((s, mine))
            objects[content_num] = stream(content_num, pre)
            objects[tail] = stream(tail, post)
            objects[page_num] = objects[page_num].replace(
                contents, b"/Contents [ %d 0 R %d 0 R %d 0 R ]" % (content_num, mine, tail)
            )
        self.size = size + 2 * k
        mine_nums = {n for _, n in self.personal}
        blob = [pdf.header]
        offsets: dict[int, int] = {}
        at = len(pdf.header)
        for num in sorted(objects):
            offsets[num] = at
            blob.append(objects[num])
            at += len(objects[num])
        self.blob = b"".join(blob)
        #: the cross-reference entries by object number (the personal ones filled per file)
        self.entries = [b"0000000000 65535 f \n"] + [
            b"" if num in mine_nums else b"%010d 00000 n \n" % offsets[num]
            for num in range(1, self.size)
        ]
        self.digest = hashlib.md5(self.blob).digest()
        self.trailer = b"/Info %d 0 R /Root %d 0 R /Size %d" % (pdf.info, pdf.root, self.size)

    def _draw(self, s: _Segment, a: Addressee) -> bytes | None:
        """The page's personal parts for ``a`` as the template's content bytes; None when
        they leave the page in another state than the template's."""
        canv = self._scratch
        r = self.renderer
        canv.__dict__.update(s.attrs)
        canv._extgstate = s.extgstate.pushCopy()
        canv._code = _Code(canv)
        canv._mcids = [r.tags.root] * s.before.mcids
        canv._open = None
        canv._switch = None
        canv._artifacts = s.before.artifacts
        canv._implicit = s.before.implicit
        canv.state_stack = [{}] * s.before.saved
        canv.untagged = []
        canv._pageNumber = s.page
        self._face_codes()
        r.address_tag, r.greeting_tag = Node("Div"), Node("P")
        try:
            r.draw_personal(canv, s.page, a)
        except pdfdoc.PDFError:  # a character the template's font has no code for
            return None
        if _state(canv) != s.after or canv.untagged:
            return None  # another state after it, or text outside a tag
        code = list(canv._code)
        seg = ("\n".join(code) + "\n").encode("latin-1") if code else b""
        if not self.font_names.issuperset(_FONT_USE.findall(seg)):
            return None  # a font the template's pages do not have
        return seg

    def missing(self, a: Addressee) -> str:
        """The characters of ``a``'s personal parts this template has no code for, sorted
        (a template with them as ``extra`` can make the file when the body face has them)."""
        texts = "".join((*a.lines, self.renderer.greeting(a)))
        return "".join(sorted(set(texts) - self.chars))

    def make(self, a: Addressee, checked: bool = False) -> bytes | None:
        """``a``'s file, or None (then it is made the full way). ``checked``: the caller
        found nothing :meth:`missing`."""
        if not checked and self.missing(a):
            return None  # a character without a code in the template's body face
        parts = []
        for s, _ in self.personal:
            seg = self._draw(s, a)
            if seg is None:
                return None
            parts.append(seg)
        out = [self.blob]
        at = len(self.blob)
        offsets = []
        for (_, num), seg in zip(self.personal, parts, strict=True):
            obj = stream(num, seg)
            offsets.append(at)
            out.append(obj)
            at += len(obj)
        entries = list(self.entries)
        for (_, num), off in zip(self.personal, offsets, strict=True):
            entries[num] = b"%010d 00000 n \n" % off
        file_id = hashlib.md5(self.digest + b"".join(parts)).hexdigest().encode()
        out.append(b"xref\n0 %d\n" % self.size)
        out.extend(entries)
        out.append(
            b"trailer\n<<\n/ID [<%s><%s>] %s\n>>\nstartxref\n%d\n%%%%EOF\n"
            % (file_id, file_id, self.trailer, at)
        )
        return b"".join(out)
