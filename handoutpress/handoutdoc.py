"""The platypus document every layout builds, which records instead of adding pages: the
section being laid out (a zero-size :class:`SectionMark` precedes
each), the frames filled, and what is drawn past the layout's page limit (the renderer
turns it into an error naming the section and how many lines to cut)."""

from __future__ import annotations

import io
from collections.abc import Callable

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame
from reportlab.platypus.doctemplate import ActionFlowable, LayoutError

from .compose import ComposedSection
from .errors import HandoutError, raised_by_us
from .parted_lists import PartedList, is_lead_in, kept_with_next

#: Past this many extra pages the layout is given up as hopeless (still reported as overflow).
RUNAWAY_PAGES = 30


class SectionMark(Flowable):
    """Zero-size marker: the document notes which section is being laid out."""

    def __init__(self, section: ComposedSection) -> None:
        super().__init__()
        self.section = section
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class HandoutDoc(BaseDocTemplate):
    """A doc template that records sections, filled frames and overflow instead of adding pages."""

    def __init__(self, buf: io.BytesIO, max_pages: int | None, **kw: object) -> None:
        super().__init__(buf, **kw)
        self.max_pages = max_pages
        self.current: ComposedSection | None = None
        self.overflow_section: ComposedSection | None = None
        self.overflow_height: dict[tuple[int, int], float] = {}
        self.filled: set[tuple[int, str]] = set()
        #: space left at the foot of the last frame filled within the page limit
        self.last_free = 0.0
        self.finish_hooks: list[Callable[[HandoutDoc], None]] = []
        #: where the trim's lower left corner sits on the page (the bleed, on press output);
        #: every page is drawn shifted by it, so layouts and frames work in trim coordinates
        self.origin = (0.0, 0.0)
        #: called as hook(canvas, page) at the end of each page, in trim coordinates
        self.page_hooks: list[Callable[[Canvas, int], None]] = []
        #: lists a page or column broke where they are kept together (the renderer warns)
        self.parted_lists: list[PartedList] = []
        #: (page, frame, the flowable) when the last flowable drawn is kept with the next
        self._kept: tuple[int, str, Flowable] | None = None

    def over(self) -> bool:
        return self.max_pages is not None and self.page > self.max_pages

    def build(self, flowables: list[Flowable], *args: object, **kw: object) -> None:
        try:
            super().build(flowables, *args, **kw)
        except HandoutError as exc:  # as our code raised it, not as ReportLab re-raised it
            raise raised_by_us(exc) from None

    def handle_pageBegin(self) -> None:
        limit = (self.max_pages or 10**6) + RUNAWAY_PAGES
        if self.page >= limit:
            raise LayoutError("runaway")
        if self.origin != (0.0, 0.0):
            self.canv.translate(*self.origin)
        super().handle_pageBegin()

    def afterPage(self) -> None:
        for hook in self.page_hooks:
            hook(self.canv, self.page)

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, SectionMark):
            self.current = flowable.section
            return
        frame = self.frame
        if getattr(flowable, "_ZEROSIZE", False) or isinstance(flowable, ActionFlowable):
            return
        if self.over():
            if self.overflow_section is None:
                self.overflow_section = self.current
            if getattr(flowable, "optional", False):  # lines for notes: room, not content,
                return  # not counted in by how much the content overflows
            top = frame._y1 + frame._height - frame._topPadding
            key = (self.page, id(frame))
            self.overflow_height[key] = max(self.overflow_height.get(key, 0.0), top - frame._y)
        else:
            self.filled.add((self.page, frame.id))
            self.last_free = max(0.0, frame._y - frame._y1 - frame._bottomPadding)
            self._note_parted(flowable, frame)

    def _note_parted(self, flowable: Flowable, frame: Frame) -> None:
        """Note a :class:`PartedList` when ``flowable`` starts a page or column after one it
        is kept with (a list's lead-in, or its last but one item) ended the one before."""
        if self._kept is not None and self._kept[:2] != (self.page, frame.id):
            page, _, before = self._kept
            at = (
                f"atop page {self.page}"
                if page != self.page
                else f"atop the next column of page {page}"
            )
            self.parted_lists.append(PartedList(self.current, is_lead_in(before), at))
        kept = kept_with_next(flowable)
        self._kept = (self.page, frame.id, kept) if kept is not None else None

    def _endBuild(self) -> None:
        for hook in self.finish_hooks:
            hook(self)
        super()._endBuild()


def frame(fid: str, x: float, y: float, w: float, h: float) -> Frame:
    return Frame(x, y, w, h, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=fid)
