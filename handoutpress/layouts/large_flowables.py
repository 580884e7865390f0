"""The flowables only large print uses: its logo block, a rule that is not drawn at a page's
top, and the keep-together variants that do not leave a page mostly empty."""

from __future__ import annotations

from reportlab.platypus import Flowable, HRFlowable, KeepTogether
from reportlab.platypus.flowables import _listWrapOn

from ..images import Logo


class LogoBlock(Flowable):
    """The brand's logo at the top of page 1, left-aligned."""

    def __init__(self, logo: Logo, max_w: float, height: float) -> None:
        super().__init__()
        self.logo = logo
        self.max_w = max_w
        self.height = height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = min(self.max_w, availWidth)
        return self.width, self.height

    def draw(self) -> None:
        self.logo.draw(self.canv, 0, 0, self.width, self.height)


class RuleBelowText(HRFlowable):
    """A rule between the text above it and what follows; nothing at the top of a page,
    where the running head's rule is just above (two rules 12 pt apart read as one)."""

    at_top = False

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        frame = getattr(self, "_frame", None)
        self.at_top = bool(getattr(frame, "_atTop", False))
        if self.at_top:
            return availWidth, 0
        return super().wrap(availWidth, availHeight)

    def draw(self) -> None:
        if not self.at_top:
            super().draw()


class FillPage(KeepTogether):
    """ReportLab's ``KeepTogether`` (moved whole to the next page when it does not fit what
    is left of this one), except when this page would then be more than ``max_empty``
    (a share of its frame) empty: then the flowables start here and split as they can."""

    def __init__(self, flowables: list[Flowable], max_empty: float) -> None:
        super().__init__(flowables)
        self.max_empty = max_empty

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        frame = getattr(self, "_frame", None)
        free = frame._y - frame._y1p if frame is not None else 0.0  # (aH less a space before)
        if frame is not None and aH < self._H and free > self.max_empty * frame._height:
            # (the frame must be able to place the first piece as it is)
            first, *rest = self._content
            if first.wrap(aW, aH)[1] <= aH:
                return [first, *rest]
            parts = first.split(aW, aH)
            if parts:
                return [*parts, *rest]
        return list(super().split(aW, aH))


class EndMatter(FillPage):
    """The contact details, then the long SAMPLE / DRAFT notes, kept as :class:`FillPage`
    keeps them (moved whole to the next page when they do not fit), except when the
    details fit here and the notes do not: then the details' last lines (from ``tail``:
    the clinic's name and address) go on with the notes, which never stand alone on the
    last page (moving the details whole as well left most of the page before them empty)."""

    def __init__(
        self, details: list[Flowable], marks: list[Flowable], tail: int, max_empty: float
    ) -> None:
        super().__init__([*details, *marks], max_empty)
        self.details, self.marks, self.tail = details, marks, tail

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        if aH < self._H and _listWrapOn(self.details, aW, self.canv)[1] <= aH:
            return [
                *self.details[: self.tail],
                KeepTogether(self.details[self.tail :] + self.marks),
            ]
        return super().split(aW, aH)
