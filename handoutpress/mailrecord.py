"""A personal letter's layout as platypus laid it out, recorded to be repeated.

:class:`Recorder` watches one full layout of a letter with personal text (the frames' ``add``,
each page's start) and makes a :class:`Layout` of it: on each page, what was drawn where,
and the size each personal flowable took. :mod:`handoutpress.mailreplay` repeats such a
layout for a recipient whose personal flowables take the same sizes. A layout is kept only
when it is plain enough to repeat: every personal flowable a paragraph, a table, a spacer
or a section mark (or a heading-with-text around them), drawn whole, once; everything else
drawn a shared flowable, a spacer or a section mark.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph, Spacer, Table

from .handoutdoc import SectionMark
from .lonewords import NoLoneWord
from .render import HandoutDoc
from .sharedflowables import Reused

if TYPE_CHECKING:
    from .layouts.letter import LetterRenderer

#: a page template's ``onPage``, called with the letter's renderer (a method of it)
OnPage = Callable[["LetterRenderer", Canvas, HandoutDoc], None]
#: what a flowable of the personal text is, before it is laid out: its class, style,
#: spaces, keep-with-next and (a container) how many children it has
Shape = tuple[type, str, float, float, int, int]
#: a personal flowable as laid out: the width and height it was given, the size it took and
#: its lines (a paragraph's; -1 otherwise)
Dims = tuple[float, float, float, float, int]

SHARED, LEAF, FIXED = 0, 1, 2


class FrameAdd(Protocol):
    """ReportLab's ``Frame.add`` (and the recorder's stand-in for it)."""

    def __call__(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> int: ...


@dataclass
class Placed:
    """One flowable drawn on a page: where, and the room it was wrapped in."""

    kind: int
    #: SHARED / FIXED: the flowable drawn (a shared one's use; a spacer, a section mark)
    flowable: Flowable | None
    #: LEAF: its index among the personal flowables
    leaf: int
    x: float
    y: float
    sw: float
    avail_w: float
    avail_h: float


@dataclass
class Page:
    on_page: OnPage
    placed: list[Placed] = field(default_factory=list)


@dataclass
class Layout:
    """A letter as laid out: its pages, and its personal flowables' shapes and sizes (None
    for a container, which is never drawn)."""

    pages: list[Page]
    shapes: list[Shape]
    dims: list[Dims | None]
    #: each personal flowable's content_key()
    keys: list[tuple[object, ...] | None]


def _is_container(f: object) -> bool:
    return hasattr(f, "with_children") and hasattr(f, "children")


def leaves_of(story: list[Flowable]) -> list[Flowable]:
    """The personal flowables in story order, each container followed by its children."""
    out: list[Flowable] = []
    for f in story:
        out.append(f)
        if _is_container(f):
            out.extend(leaves_of(list(f.children())))
    return out


def width_only(f: Flowable) -> bool:
    """Its size depends on the width alone (a paragraph's lines; nothing at all)."""
    t = type(f)  # (a heading's NoLoneWord rewraps by its own text and the width alone)
    return (
        t is Spacer
        or t is SectionMark
        or (isinstance(f, Paragraph) and t.wrap in (Paragraph.wrap, NoLoneWord.wrap))
    )


def _repeatable(f: Flowable) -> bool:
    return width_only(f) or type(f) is Table or _is_container(f)


def shape_of(f: Flowable) -> Shape:
    style = getattr(f, "style", None)
    children = len(f.children()) if _is_container(f) else -1
    return (
        type(f),
        str(getattr(style, "name", "")),
        float(f.getSpaceBefore()),
        float(f.getSpaceAfter()),
        int(f.getKeepWithNext()),
        children,
    )


def line_count(f: Flowable) -> int:
    bl = getattr(f, "blPara", None) if isinstance(f, Paragraph) else None
    return len(bl.lines) if bl is not None else -1


class Recorder:
    """Watches one full layout (frames' ``add``, page begins) to remember it."""

    def __init__(self, renderer: LetterRenderer, leaves: list[Flowable], shapes: list[Shape]):
        self.renderer = renderer
        self.leaves = leaves
        self.shapes = shapes
        self.keys = [content_key(f) for f in leaves]
        self.index = {id(f): i for i, f in enumerate(leaves)}
        self.dims: list[Dims | None] = [None] * len(leaves)
        self.pages: list[Page] = []
        #: why this layout cannot be repeated ("" while it can)
        self.refused = "" if all(_repeatable(f) for f in leaves) else "a personal flowable"

    def watch(self, doc: HandoutDoc) -> None:
        if doc.origin != (0.0, 0.0):
            self.refused = "shifted pages"
        for template in doc.pageTemplates:
            for frame in template.frames:
                frame.add = self._adder(frame)

    def begin_page(self, doc: HandoutDoc) -> None:
        on_page = doc.pageTemplate.onPage
        if getattr(on_page, "__self__", None) is not self.renderer:
            self.refused = "a page template that is not the letter's"
            return
        self.pages.append(Page(on_page.__func__))

    def _adder(self, frame: Frame) -> FrameAdd:
        def add(flowable: Flowable, canv: Canvas, trySplit: int = 0) -> int:
            own = flowable.__dict__
            if self.refused or "wrap" in own or "drawOn" in own or not self.pages:
                self.refused = self.refused or "a flowable of its own kind"
                return int(Frame._add(frame, flowable, canv, trySplit))
            wraps: list[tuple[float, float, tuple[float, float]]] = []
            wrap, draw_on = flowable.wrap, flowable.drawOn

            def wrapped(aw: float, ah: float) -> tuple[float, float]:
                got = wrap(aw, ah)
                wraps.append((aw, ah, got))
                return got

            def drawn(canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
                self._drawn(flowable, x, y, _sW, wraps[-1] if wraps else None)
                draw_on(canvas, x, y, _sW)

            flowable.wrap, flowable.drawOn = wrapped, drawn
            try:
                return int(Frame._add(frame, flowable, canv, trySplit))
            finally:
                del flowable.wrap, flowable.drawOn

        return add

    def _drawn(
        self,
        f: Flowable,
        x: float,
        y: float,
        sw: float,
        wrap: tuple[float, float, tuple[float, float]] | None,
    ) -> None:
        if wrap is None:
            self.refused = "drawn unwrapped"
            return
        aw, ah, (w, h) = wrap
        leaf = self.index.get(id(f), -1)
        if leaf >= 0:
            if self.dims[leaf] is not None or _is_container(f):
                self.refused = "a personal flowable drawn twice"
                return
            self.dims[leaf] = (aw, ah, w, h, line_count(f))
            kind, kept = LEAF, None
        elif isinstance(f, Reused):
            kind, kept = SHARED, f
        elif type(f) is Spacer or type(f) is SectionMark:
            kind, kept = FIXED, f
        else:
            self.refused = "a flowable of its own kind"  # (a split piece of personal text)
            return
        self.pages[-1].placed.append(Placed(kind, kept, leaf, x, y, sw, aw, ah))

    def layout(self) -> Layout | None:
        """The layout watched, if it can be repeated."""
        if self.refused or not self.pages:
            return None
        for f, d in zip(self.leaves, self.dims, strict=True):
            if (d is None) != _is_container(f):
                return None  # a personal flowable not drawn (or a container drawn)
        return Layout(self.pages, self.shapes, self.dims, self.keys)


def content_key(f: Flowable) -> tuple[object, ...] | None:
    """What a flowable draws, for one with the same size and drawing wherever it is the
    same (None: not known). A style is compared as the object."""
    t = type(f)
    if (t is Paragraph or t is NoLoneWord) and isinstance(f.bulletText, (str, type(None))):
        return (t, f.text, f.style, f.bulletText)
    if t is Spacer:
        return (t, f.width, f.height)
    if t is SectionMark:
        return (t,)
    return None
