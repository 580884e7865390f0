"""A heading kept with the first lines of its text (:class:`HeadingWithText`): the page
may break inside the text, never right under the heading."""

from __future__ import annotations

from typing import Protocol, Union, cast

from reportlab.platypus import Flowable, Paragraph


class StandIn(Protocol):
    """What a mailing puts in a flowable's place in a section it makes once for every
    letter (``sharedflowables.Shared``, defined above this module): it makes each letter's
    own flowable."""

    def use(self) -> Flowable: ...


#: a heading's or block's place: a flowable, or (in a mailing's shared section) a stand-in
Child = Union[Flowable, StandIn]  # noqa: UP007 - a runtime alias must work on Python 3.10


class HeadingWithText(Flowable):
    """A heading and the text under it: the page may break inside that text, never above
    its first :attr:`MIN_LINES` lines (fewer only if the section has fewer).

    Like ReportLab's ``KeepTogether`` it never draws itself: ``wrap`` asks for more room
    than any page has, so the frame calls ``split``, which hands back the heading and the
    blocks (the block at the foot of the page split by its own widow and orphan rules), or
    nothing, which moves everything to the next page.

    Its layout depends on where it falls, so a mailing never shares one between letters:
    :func:`~handoutpress.sharedflowables.reusable` and :func:`~handoutpress.sharedflowables.fresh`
    rebuild it around shared children (:meth:`children`, :meth:`with_children`).
    """

    MIN_LINES = 2

    def __init__(self, heading: Child, blocks: list[Child]) -> None:
        super().__init__()
        if isinstance(heading, Flowable):  # (not a mailing's Shared: its paragraph has it)
            heading.keepWithNext = 0  # this container keeps it with the text
        self.heading = heading
        self.blocks = blocks

    def children(self) -> list[Child]:
        return [self.heading, *self.blocks]

    def with_children(self, children: list[Child]) -> HeadingWithText:
        return HeadingWithText(children[0], children[1:])

    def _laid_out(self) -> tuple[Flowable, list[Flowable]]:
        """The heading and blocks as a frame lays them out: flowables only (a section
        with stand-ins is never laid out: each letter lays out the flowables made from
        them, ``sharedflowables.fresh``)."""
        return cast(Flowable, self.heading), cast("list[Flowable]", self.blocks)

    def getSpaceBefore(self) -> float:
        return float(self._laid_out()[0].getSpaceBefore())

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, 0xFFFFFF

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        heading, blocks = self._laid_out()
        everything: list[Flowable] = [heading, *blocks]
        frame = getattr(self, "_frame", None)
        if frame is not None and getattr(frame, "_atTop", False):
            return everything  # nothing gained by waiting for the next page
        _, used = heading.wrap(availWidth, availHeight)
        after = heading.getSpaceAfter()
        lines = 0
        # a tool to fill in (tools.py) stays on the page of the heading and text before it,
        # and so does a closing note after the tool (section_story.closing_note)
        stays = [n for n, b in enumerate(blocks) if getattr(b, "stays_with_text", False)]
        tool_at = stays[-1] if stays else -1
        for i, block in enumerate(blocks):
            room = availHeight - used - max(after, block.getSpaceBefore())
            _, h = block.wrap(availWidth, max(room, 0))
            if i in stays and h > room + 1e-6:
                return []
            if h <= room + 1e-6 and not _moves_on(blocks, i, availWidth, room - h):
                lines += _lines(block, availWidth)
                if lines >= self.MIN_LINES and i >= tool_at:
                    return everything
                used += max(after, block.getSpaceBefore()) + h
                after = block.getSpaceAfter()
                continue
            if h <= room + 1e-6:  # kept with the blocks after it, which do not fit: all move
                return everything if lines >= self.MIN_LINES and i > tool_at else []
            parts = block.split(availWidth, room) if room > 0 else []
            if parts:
                parts[0].wrap(availWidth, room)
                lines += _lines(parts[0], availWidth)
            if not parts or lines < self.MIN_LINES:
                return []
            return [*everything[: i + 1], *parts, *blocks[i + 1 :]]
        return everything


def _moves_on(blocks: list[Flowable], i: int, width: float, room: float) -> bool:
    """Whether ``blocks[i]`` starts a run kept together (each kept with the next: a list's
    last two items, a lead-in and the first item) that does not fit in ``room`` under it:
    the frame then moves the run whole to the next page (ReportLab's keepWithNext)."""
    if i and blocks[i - 1].getKeepWithNext():
        return False  # (inside a run that fits: checked at its first block)
    after = blocks[i].getSpaceAfter()
    j = i
    while j + 1 < len(blocks) and blocks[j].getKeepWithNext():
        j += 1
        room -= max(after, blocks[j].getSpaceBefore()) + blocks[j].wrap(width, 0xFFFFFF)[1]
        if room < -1e-6:
            return True
        after = blocks[j].getSpaceAfter()
    return False


def _lines(flowable: Flowable, width: float) -> int:
    """Lines of text in a paragraph wrapped at ``width`` (anything else counts as enough).

    A mailing's :class:`~handoutpress.sharedflowables.Reused` stands for a shared paragraph
    (``.shared.flowable``), whose lines a split elsewhere may have dropped: wrapped again.
    """
    shared = getattr(flowable, "shared", None)
    para = shared.flowable if shared is not None else flowable
    if not isinstance(para, Paragraph):
        return HeadingWithText.MIN_LINES
    if getattr(para, "blPara", None) is None:
        para.wrap(width, 0xFFFFFF)
    return len(para.blPara.lines)
