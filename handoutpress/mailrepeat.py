"""A personal letter whose composition was drawn before on the same part: its forms again.

In a mailing whose recipients share first names, many letters print the same personal
text (``batch.compositions`` gives rows with the same values the same composition). Once
such a letter has been replayed from a verified stencil (:mod:`handoutpress.mailreplay`,
:mod:`handoutpress.mailstencil`) on a canvas, the next letter with that composition on that
canvas draws the same operators into the same forms, but for the name of its page-total
forms; its flowables, their sizes, the layout's match and the stencil's runs would all be
worked out again to come to the same strings. :class:`Repeats` keeps, per canvas, each
such letter's forms as templates (the page-total forms' name left as
:data:`~handoutpress.mailstencil.MARK`) and makes the next letter's forms from them: the
same bytes, registered in the same order, the same forms noted as used.

A letter's forms are kept only from its composition's second letter on the canvas (a
mailing where every recipient's text differs pays nothing), and only once they are checked
against what the replay registered for it (each form's content, box and resources); kept
entries are dropped when the replay's state they came from changes (the layout's stencil,
the plain paragraphs turned off).
"""

from __future__ import annotations

import re
import weakref
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc

from .mailpdf import FormStream, pdfdoc_ascii
from .mailstencil import MARK

if TYPE_CHECKING:
    from .addressing import Addressee
    from .layouts.letter import LetterRenderer
    from .mailcanvas import FormCanvas
    from .mailstamp import LetterStamp
    from .mailstencil import Stencil
    from .metadata import PdfMetadata
    from .plainpara import Line, PlainText

#: False: every letter replayed (tests compare the two)
ENABLED = True
#: the prefixes a letter's forms may have (batch's ``r<record>``): a name with nothing an
#: operator could be read in
_PREFIX = re.compile(r"r[0-9]+\Z")
_MARK_B = MARK.encode("ascii")


@dataclass
class _Form:
    """One form of a kept letter: its name after the letter's prefix, its content with
    :data:`MARK` for the page-total forms' name (bytes when that is what ``pdfdoc_bytes``
    makes of it; else text), its box and the forms it uses (``MARK`` likewise)."""

    suffix: str
    code: bytes | str
    bbox: bytes
    uses: tuple[str, ...]
    #: those of ``uses`` with ``MARK`` (the page totals' names)
    marked: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.marked = tuple(u for u in self.uses if MARK in u)


@dataclass(frozen=True)
class Spliced:
    """A form's content as bytes, ``MARK`` left out: its head and tail split where it was,
    the middle without it (``mailvariant``: a paragraph's operators between a kept
    letter's)."""

    head: tuple[bytes, ...]
    middle: bytes
    tail: tuple[bytes, ...]

    def joined(self, total: bytes) -> bytes:
        """The content with ``total`` for ``MARK``."""
        return total.join(self.head) + self.middle + total.join(self.tail)


@dataclass
class Repeat:
    """A letter's forms, kept to make those of the next letters with its composition."""

    #: the composition's sections (kept, so that their id, the key, is not reused)
    sections: object
    renderer: LetterRenderer
    meta: PdfMetadata
    forms: list[_Form]
    pages: int
    #: what the replay drew it from (entries of an older state are dropped)
    stencil: Stencil
    plain_off: bool
    #: the letter's stamp (made once, its prefix set per letter)
    stamp: LetterStamp | None = None
    #: its page forms' parts as drawn (``Recording.pages``) and the forms' preamble
    parts: list[list[str | tuple[str, ...]]] | None = None
    preamble: str = ""
    #: the canvas whose forms' names hold those the forms use (but for the page totals')
    _named: weakref.ref[FormCanvas] | None = None

    def emit(
        self, canv: FormCanvas, prefix: str, own: tuple[int, str | Spliced] | None = None
    ) -> int:
        """This letter's forms as ``<prefix>-…`` on ``canv``; return its pages (what
        ``MailMerge.capture`` returns). ``own``: one form's content instead of the kept
        one (its index, its text with ``MARK``: another letter's, ``mailvariant``)."""
        _apply(self.meta, canv)  # (what the replay sets for every letter)
        total = f"{prefix}-total"
        total_b = total.encode("ascii")
        doc = canv._doc
        resources = canv._shared_ref()
        names = canv._all_forms
        named = self._named is not None and self._named() is canv
        numbers, ids, objects = doc.idToObjectNumberAndVersion, doc.numberToId, doc.idToObject
        for n, f in enumerate(self.forms):
            code: bytes | str | Spliced = f.code
            if own is not None and n == own[0]:
                code = own[1]
                if isinstance(code, str) and pdfdoc_ascii(code):
                    code = code.encode("ascii")
            if isinstance(code, Spliced):
                data = code.joined(total_b)
            elif isinstance(code, bytes):
                data = code.replace(_MARK_B, total_b)
            else:
                data = _pdfdoc_bytes(code.replace(MARK, total))
            form = FormStream(data, f.bbox, resources)
            name = prefix + f.suffix
            if named:  # (the forms it uses but the page totals: named on the canvas before)
                names.update([u.replace(MARK, total) for u in f.marked])
            else:
                names.update(u.replace(MARK, total) for u in f.uses)
            names.add(name)
            # add_object(doc, form, pdfdoc.xObjectName(name)), without the calls
            number = doc.objectcounter = doc.objectcounter + 1
            form.__InternalName__ = x_name = f"FormXob.{name}"
            numbers[x_name], ids[number], objects[x_name] = (number, 0), x_name, form
        doc.inObject = None
        if not named:
            self._named = weakref.ref(canv)
        canv.setPageRotation(0)
        canv.__dict__.pop("_doctemplate", None)
        return self.pages

    def stamp_letter(
        self, canv: FormCanvas, prefix: str, pages: int, a: Addressee, pad_to: int
    ) -> int:
        """``MailMerge.stamp``'s common case for this letter (0: not written, draw it)."""
        from . import mailstamp

        stamp = self.stamp
        if stamp is None or stamp.canv is not canv:
            if not mailstamp.ENABLED:
                return 0
            stamp = self.stamp = mailstamp.LetterStamp(self.renderer, canv, prefix, None)
        stamp.prefix = prefix
        stamp.later = {}  # (its later pages' code names the letter's forms)
        return stamp.stamp(pages, a, pad_to)


def _apply(meta: PdfMetadata, canv: FormCanvas) -> None:
    """``meta.apply(canv)``, unless the canvas holds what it set last time (the same info
    and viewer preferences: applying it again would change nothing). Kept letters of other
    compositions have metadata of their own that is equal (the handout's, never a
    recipient's): compared by value, as applying it would set the same."""
    doc = canv._doc
    info = doc.info
    vp = getattr(doc.Catalog, "ViewerPreferences", None)
    last = canv.__dict__.get("_hp_applied")
    if (
        last is not None
        and (last[0] is meta or last[0] == meta)
        and last[1] is info
        and vp is not None
        and last[2] == _info_of(info)
        and last[3] == vp.dict
    ):
        return
    meta.apply(canv)
    vp = doc.Catalog.ViewerPreferences
    canv.__dict__["_hp_applied"] = (meta, info, _info_of(info), dict(vp.dict))


def _info_of(info: pdfdoc.PDFInfo) -> tuple[object, ...]:
    return (info.title, info.author, info.subject, info.creator, info.producer, info.keywords)


def _pdfdoc_bytes(code: str) -> bytes:
    from .mailcanvas import pdfdoc_bytes

    return pdfdoc_bytes(code)


@dataclass
class Slot:
    """Where a replayed letter drew a plain paragraph from its lines (``Recording``)."""

    page: int
    part: int
    leaf: int
    place: int
    plain: PlainText
    lines: list[Line]


class Recording:
    """What one replayed letter put in its forms, noted while it is drawn from a stencil:
    per page the stencil's runs (with ``MARK``) and the operators of its own flowables."""

    def __init__(self, sections: object, stencil: Stencil, plain_off: bool, start: int) -> None:
        self.sections = sections
        self.stencil = stencil
        self.plain_off = plain_off
        #: the document's object counter before the letter
        self.start = start
        #: per page form: its content's parts (a run: str; own operators: a tuple)
        self.pages: list[list[str | tuple[str, ...]]] = []
        self.uses: list[list[str]] = []
        #: the page totals' forms (suffix after the total name, box, operators, uses)
        self.totals: list[tuple[str, tuple[float, ...], list[str], list[str]]] | None = None
        self.ok = True
        #: the plain paragraphs drawn from their lines (``mailvariant.Slot``)
        self.slots: list[Slot] = []


class Repeats:
    """The letters kept on one canvas, by their composition's sections."""

    #: how many letters are kept per canvas (each keeps its renderer)
    MAX = 512

    def __init__(self) -> None:
        self._canvas: weakref.ref[FormCanvas] | None = None
        self._kept: dict[int, Repeat] = {}
        #: compositions seen once on the canvas (kept from their second letter)
        self._seen: dict[int, object] = {}

    def _on(self, canv: FormCanvas) -> None:
        if self._canvas is None or self._canvas() is not canv:
            self._canvas = weakref.ref(canv)
            self._kept = {}
            self._seen = {}

    def get(self, canv: FormCanvas, sections: object, prefix: str) -> Repeat | None:
        """The kept letter of ``sections`` on ``canv`` (the caller checks it still holds)."""
        if not ENABLED or not _PREFIX.match(prefix):
            return None
        self._on(canv)
        got = self._kept.get(id(sections))
        return got if got is not None and got.sections is sections else None

    def drop(self, sections: object) -> None:
        self._kept.pop(id(sections), None)

    def wants(self, canv: FormCanvas, sections: object, prefix: str) -> bool:
        """Should this letter be noted while it is drawn (its composition's second on the
        canvas, nothing kept for it)?"""
        if not ENABLED or not _PREFIX.match(prefix):
            return False
        self._on(canv)
        key = id(sections)
        if key in self._kept:
            return False
        if self._seen.get(key) is not sections:
            if len(self._seen) >= 4 * self.MAX:
                self._seen.clear()
            self._seen[key] = sections
            return False
        return True

    def keep(
        self, rec: Recording, r: LetterRenderer, canv: FormCanvas, prefix: str, pages: int,
        repeated: bool = True,
    ) -> Repeat | None:  # fmt: skip
        """Keep the letter just drawn as ``prefix`` if its forms are what ``rec`` makes (not
        for its composition with ``repeated`` False: only returned, for ``mailvariant``)."""
        if not rec.ok or rec.totals is None or len(rec.pages) != pages:
            return None
        total = f"{prefix}-total"
        doc = canv._doc
        w, h = canv._pagesize
        page_box = fp_str(0, 0, w, h).encode()
        preamble = canv._preamble
        if MARK in preamble:
            return None
        made: list[tuple[str, list[str], bytes, list[str]]] = []
        for n, (parts, uses) in enumerate(zip(rec.pages, rec.uses, strict=True), start=1):
            if n == pages:
                for suffix, box, code, t_uses in rec.totals:
                    lx, ly, ux, uy = box
                    t_box = fp_str(lx, ly, w if ux is None else ux, h if uy is None else uy)
                    if any(MARK in op for op in code):
                        return None
                    made.append((f"-total{suffix}", code, t_box.encode(), t_uses))
            ops: list[str] = []
            for part in parts:
                if isinstance(part, tuple):
                    if any(MARK in op for op in part):
                        return None  # (its own operators are taken as they are)
                    ops.extend(part)
                else:
                    ops.append(part)  # (a stencil's run: MARK for the total's name)
            made.append((f"-p{n}", ops, page_box, uses))
        numbers = range(rec.start + 1, doc.objectcounter + 1)
        if len(numbers) != len(made):
            return None  # (the letter made objects of its own)
        forms: list[_Form] = []
        resources = canv._shared_ref()
        for number, (suffix, ops, bbox, uses) in zip(numbers, made, strict=True):
            name = pdfdoc.xObjectName(prefix + suffix)
            obj = doc.idToObject.get(doc.numberToId.get(number, ""))
            if (
                type(obj) is not FormStream
                or getattr(obj, "__InternalName__", None) != name
                or obj.bbox != bbox
                or obj.resources != resources
            ):
                return None
            template = "\n".join([preamble, *ops]) + "\n"
            if zlib.decompress(obj.data) != _pdfdoc_bytes(template.replace(MARK, total)):
                return None
            kept: bytes | str = template
            if pdfdoc_ascii(template):
                kept = template.encode("ascii")
            forms.append(_Form(suffix, kept, bbox, tuple(uses)))
        meta = r.pdf_metadata(subtitle=False)
        letter = Repeat(rec.sections, r, meta, forms, pages, rec.stencil, rec.plain_off)
        letter.parts, letter.preamble = rec.pages, preamble
        if repeated:
            if len(self._kept) >= self.MAX:
                self._kept.clear()
            self._kept[id(rec.sections)] = letter
        return letter
