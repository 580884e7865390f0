"""Flowables shared by the letters of a mailing.

A paragraph or table with no recipient field in it is the same in every letter: wrapped
once per width (:class:`Shared`), split once per room, and drawn once into a form that each
letter places (:class:`Reused`, one use in one letter's layout). :func:`reusable` marks a
section's flowables, :func:`fresh` makes one letter's list from them. Used by
:mod:`handoutpress.mailmerge` (the merge) and :mod:`handoutpress.mailreplay` (which tells a
shared paragraph from a personal one).
"""

from __future__ import annotations

import copy
import re
from typing import Protocol, TypeAlias, TypeGuard

from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer

from .fonts import FontSet
from .handoutdoc import SectionMark
from .lonewords import NoLoneWord
from .mailcanvas import FormCanvas
from .markdown import Inline
from .markup import inline_markup

Part: TypeAlias = "Flowable | Shared"


class Shared:
    """A flowable that is the same in many letters (a paragraph of a section with no
    recipient field in it): its size and its splits are worked out once, and on a
    :class:`FormCanvas` it is drawn once per file, as a form, and referenced after.

    Platypus keeps per-build state on the flowables it handles (``_postponed``,
    ``keepWithNext``), so each letter gets its own :class:`Reused` (``use()``) around
    the one shared flowable."""

    __slots__ = ("flowable", "name", "wraps", "splits", "pieces", "laid_out_at")

    #: how many different (width, height) splits are remembered per flowable
    MAX_SPLITS = 64

    def __init__(self, flowable: Flowable, name: str) -> None:
        self.flowable = flowable
        self.name = name
        #: available width → (width, height); a paragraph's or table's height does not
        #: depend on the height available
        self.wraps: dict[float, tuple[float, float]] = {}
        self.splits: dict[tuple[float, float], list[Shared]] = {}
        self.pieces = 0
        #: the width the flowable's own layout (a paragraph's lines) is for; None after a
        #: split, which may drop it
        self.laid_out_at: float | None = None

    def use(self) -> Reused:
        return Reused(self)


class Container(Protocol):
    """A flowable whose layout depends on where it falls on the page (so it is never
    :class:`Shared`) around flowables that may be (``heading_with_text.HeadingWithText``)."""

    def children(self) -> list[Part]: ...

    def with_children(self, children: list[Part]) -> Flowable:
        """The same container around other children (a new object)."""
        ...


def _is_container(x: object) -> TypeGuard[Container]:
    # by its two methods: a letter's story is checked thousands of times in a mailing, and
    # isinstance() with a runtime-checkable Protocol looks every member up each time
    return hasattr(x, "with_children") and hasattr(x, "children")


def reusable(flowable: Flowable, name: str) -> Part:
    """``Shared`` for a paragraph or table (their size depends on the width only); a
    :class:`Container` around reusable children; else the flowable itself (copied for
    each letter)."""
    from reportlab.platypus import Table

    if _is_container(flowable):
        kids = flowable.children()
        return flowable.with_children([reusable(f, f"{name}-{i}") for i, f in enumerate(kids)])
    return Shared(flowable, name) if isinstance(flowable, (Paragraph, Table)) else flowable


def fresh(items: list[Part]) -> list[Flowable]:
    """One letter's flowables from a list of :func:`reusable` results (a container is
    made anew for each letter, around its children's uses)."""
    out: list[Flowable] = []
    for x in items:
        if isinstance(x, Shared):
            out.append(x.use())
        elif _is_container(x):
            out.append(x.with_children(fresh(x.children())))
        else:
            out.append(copy.copy(x))
    return out


#: flowables :func:`copied_story` copies (the rest of a letter's own flowables are made anew)
_COPIED = frozenset({Paragraph, NoLoneWord, Spacer, SectionMark})


def copied_story(story: list[Flowable]) -> list[Flowable] | None:
    """A letter's own copy of flowables made and never laid out, to lay out as if made
    anew: shallow copies of paragraphs, spacers and section marks (what laying one out
    sets is the copy's own: see :class:`ParagraphMemo`), containers made again around
    copies of their children; None when it has any other kind (made anew for each)."""
    out: list[Flowable] = []
    for f in story:
        if _is_container(f):
            kids = copied_story(f.children())
            if kids is None:
                return None
            out.append(f.with_children(kids))
        elif type(f) in _COPIED:
            out.append(copy.copy(f))
        else:
            return None
    return out


class ParagraphMemo:
    """The paragraphs of a mailing's personal sections that have no recipient value in them
    (a section's heading, its other paragraphs), parsed once and copied for each letter.

    They are known by their spans as an object: :class:`~handoutpress.markdown_memo.MarkdownMemo`
    gives a text with no recipient value the same spans each time, and a text with one new
    spans (so nothing a recipient wrote is ever looked up here). Each letter gets a shallow
    copy (its own layout state: platypus wraps, splits and marks the flowables it lays out;
    ReportLab's wrapping sets the copy's own attributes and leaves the parsed fragments as
    they are, but for noting on each its kind, worked out from it alone), so it is the
    paragraph ``Paragraph(markup, style)`` makes, parsed once."""

    #: the most paragraphs remembered (the oldest is forgotten first)
    SIZE = 256

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        #: id of the spans → (the spans, kept alive; the style; the paragraph)
        self._made: dict[int, tuple[Inline, ParagraphStyle, Paragraph]] = {}
        #: (markup with the values masked, id of the style) → (the style, its parse)
        self._masked: dict[tuple[str, int], tuple[ParagraphStyle, Paragraph]] = {}

    def paragraph(self, spans: Inline, style: ParagraphStyle) -> Paragraph:
        """``Paragraph(inline_markup(spans, fonts), style)``, parsed once per spans object
        (a text with recipient values: once per text with the values masked)."""
        got = self._made.get(id(spans))
        if got is not None and got[0] is spans and got[1] is style:
            return copy.copy(got[2])
        markup = inline_markup(spans, self.fonts)
        values = getattr(spans, "values", ())
        if values:  # (kept too: a mailing composes a text once per set of values)
            made = self._with_values(markup, values, style) or Paragraph(markup, style)
        else:
            made = Paragraph(markup, style)
        if len(self._made) >= self.SIZE:
            del self._made[next(iter(self._made))]
        self._made[id(spans)] = (spans, style, made)
        return copy.copy(made)

    def _with_values(
        self, markup: str, values: tuple[str, ...], style: ParagraphStyle
    ) -> Paragraph | None:
        """The paragraph of ``markup`` from the parse of ``markup`` with each value masked,
        the values put back into its fragments' text: what parsing ``markup`` gives when
        every value is plain text there (no ``&`` or ``<``, all in the body face, outside
        every tag and entity), as ReportLab's parser then cuts the text into the same
        fragments; None otherwise (parse it). Each masked text is parsed once."""
        if style.textTransform or _MASKS.search(markup) or len(values) > 64 or "<bullet" in markup:
            return None
        key = markup
        table: dict[str, str] = {}
        for n, value in enumerate(sorted(set(values), key=len, reverse=True)):
            if not value or "&" in value or "<" in value or ">" in value:
                return None
            if not self.fonts.body_set.issuperset(value):
                return None
            mask = chr(_FIRST_MASK + n)
            key = key.replace(value, mask)
            table[mask] = value
        if _MASK_IN_MARKUP.search(key):
            return None
        base = self._masked.get((key, id(style)))
        if base is None or base[0] is not style:
            if len(self._masked) >= self.SIZE:
                del self._masked[next(iter(self._masked))]
            base = self._masked[(key, id(style))] = (style, Paragraph(key, style))
        frags = [f.clone(text=_put(f.text, table)) if _has_mask(f) else f for f in base[1].frags]
        # (its text as the parser cleaned it: a value is words and single spaces, so cleaning
        # the masked text and putting the values back is cleaning the text)
        return Paragraph(_put(base[1].text, table), style, frags=frags)


def _put(text: str, table: dict[str, str]) -> str:
    for mask, value in table.items():
        text = text.replace(mask, value)
    return text


def _has_mask(frag: object) -> bool:
    text = getattr(frag, "text", None)
    return isinstance(text, str) and _MASKS.search(text) is not None


#: the masks of :meth:`ParagraphMemo._with_values` (private-use characters)
_FIRST_MASK = 0xF000
_MASKS = re.compile(f"[{chr(_FIRST_MASK)}-{chr(_FIRST_MASK + 63)}]")
#: a mask inside a tag (``<font name=…>``) or an entity (``&amp;``): not plain text
_MASK_IN_MARKUP = re.compile(f"<[^>]*{_MASKS.pattern}|&[^;\\s]*{_MASKS.pattern}")


class Reused(Flowable):
    """One use of a :class:`Shared` flowable in one letter's layout."""

    width: float
    height: float

    def __init__(self, shared: Shared) -> None:
        super().__init__()
        self.shared = shared
        f = shared.flowable
        self.keepWithNext = f.getKeepWithNext()
        self.hAlign = getattr(f, "hAlign", "LEFT")
        self._avail = (0.0, 0.0)

    def getSpaceBefore(self) -> float:
        return float(self.shared.flowable.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.shared.flowable.getSpaceAfter())

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        s = self.shared
        got = s.wraps.get(availWidth)
        if got is None:
            got = s.wraps[availWidth] = s.flowable.wrapOn(
                getattr(self, "canv", None), availWidth, availHeight
            )
            s.laid_out_at = availWidth
        self._avail = (availWidth, availHeight)
        self.width, self.height = got
        return got

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        s = self.shared
        key = (availWidth, availHeight)
        parts = s.splits.get(key)
        if parts is None:
            canv = getattr(self, "canv", None)
            s.flowable.wrapOn(canv, availWidth, availHeight)
            pieces = s.flowable.splitOn(canv, availWidth, availHeight)
            s.laid_out_at = None
            parts = [Shared(p, f"{s.name}.{s.pieces + i}") for i, p in enumerate(pieces)]
            s.pieces += len(pieces)
            if len(s.splits) >= Shared.MAX_SPLITS:
                s.splits.clear()
            s.splits[key] = parts
        return [p.use() for p in parts]

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        s = self.shared
        f = s.flowable
        if s.laid_out_at != self._avail[0]:
            # split since (which may drop a paragraph's lines) or wrapped at another
            # width: lay it out again before drawing it
            f.wrapOn(canvas, *self._avail)
            s.laid_out_at = self._avail[0]
        if not isinstance(canvas, FormCanvas):
            f.drawOn(canvas, x, y, _sW)
            return
        name = f"{s.name}~{fp_str(_sW)}"
        if not canvas.hasForm(name):
            w, h = canvas._pagesize
            canvas.beginForm(name, -w, -h, 2 * w, 2 * h)
            f.drawOn(canvas, 0, 0, _sW)
            canvas.endForm()
        canvas.saveState()
        canvas.translate(x, y)
        canvas.doForm(name)
        canvas.restoreState()

    def draw(self) -> None:  # drawOn does the work
        pass
