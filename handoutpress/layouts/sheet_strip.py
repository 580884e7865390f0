"""The aftercare sheet's side strips: page 1's (the key points and the tiered safety box,
which must fit there) and page 2's (the sections that stand alone, when the text with them
does not fit two pages): :class:`SheetStrip`, the part of the sheet's renderer
(:class:`~handoutpress.layouts.sheet.SheetRenderer` is one) that chooses and draws them."""

from __future__ import annotations

from dataclasses import replace

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from ..block_flowables import block_flowables
from ..boxes import TIER_STYLES, keypoints_box, tier_sections, tiered_box
from ..compose import ComposedSection, public_heading
from ..errors import Problem
from ..render import LayoutRenderer
from ..section_story import section_story
from ..staff_order import staff_then_disclaimer
from ..tagging import Node


class SheetStrip(LayoutRenderer):
    """The side strips, drawn from what the sheet's renderer sets up (the strips' widths,
    the text column beside them, the band's top, the structure tree's ``Div`` of each)."""

    #: the page's left and right margins
    ml: float
    mr: float
    #: the widths of page 1's strip and page 2's
    strip_w: float
    later_strip_w: float
    #: page 1's text column beside the strip, and the gap between them
    main_w: float
    gutter: float
    #: the band's top, the slim band's height on later pages, the text's bottom
    band_top: float
    header_later: float
    body_bottom: float
    #: page 1's strip and page 2's in the structure tree
    strip_tag: Node
    aside_tag: Node

    def first_top(self) -> float:
        """The top of page 1's text (the sheet's renderer works it out)."""
        raise NotImplementedError

    def strip_sections(self) -> tuple[list[ComposedSection], list[ComposedSection]]:
        """(key points, safety tiers): the sections the side strip holds (the key points
        open the text column instead when both do not fit the strip: the tiers must)."""
        sections = self.composed.sections
        keys = [s for s in sections if s.style == "keypoints"]
        return ([] if self.keys_in_text else keys), tier_sections(sections)

    #: the key points open the text column (the strip holds only the tiered box)
    keys_in_text = False

    def strip_fits(self) -> bool:
        """Whether the key points and the tiered box fit the strip together."""
        keys, tiers = self.strip_sections()
        parts: list[Flowable] = [keypoints_box(s, self.theme, self.strip_w) for s in keys]
        if tiers:
            parts.append(tiered_box(tiers, self.theme, self.strip_w, self.brand.contact.phone))
        used = sum(f.wrap(self.strip_w, self.H)[1] + f.getSpaceAfter() for f in parts)
        return used - (parts[-1].getSpaceAfter() if parts else 0) <= self.first_top() - (
            self.body_bottom
        )

    #: sections that stand alone (``panel: flap``) drawn in page 2's side strip, beside the
    #: text column: set by :meth:`render` when there is a page 2 and they fit there
    side_later: tuple[ComposedSection, ...] = ()

    def draw_strip(self, canv: Canvas) -> None:
        """The side strip on page 1: key points, then the tiered safety box. What does not
        fit is an error at the first section that does not (it is never moved to page 2)."""
        keys, tiers = self.strip_sections()
        th = self.theme
        parts: list[tuple[ComposedSection, Flowable]] = [
            (s, keypoints_box(s, th, self.strip_w, self.strip_tag)) for s in keys
        ]
        if tiers:
            phone = self.brand.contact.phone
            parts.append((tiers[0], tiered_box(tiers, th, self.strip_w, phone, self.strip_tag)))
        self.draw_aside(canv, parts, self.first_top())

    def draw_later_strip(self, canv: Canvas) -> None:
        """Page 2's side strip: the stand-alone sections (:attr:`side_later`)."""
        if canv.getPageNumber() != 2:
            return
        parts: list[tuple[ComposedSection, Flowable]] = []
        w = self.later_strip_w
        # the staff copy: the patient's disclaimer after the staff sections that end the strip
        shown, note = staff_then_disclaimer(self.side_later)
        for s in shown:
            one = replace(self.composed, sections=(s,))
            flowables = section_story(one, self.theme, w, parent=self.aside_tag)
            parts += [(s, f) for f in flowables[1:]]
        if note is not None:
            closing = block_flowables((note,), self.theme, parent=self.aside_tag)
            parts += [(shown[-1], f) for f in closing]
        x = self.W - self.mr - self.later_strip_w
        self.draw_aside(canv, parts, self.band_top - self.header_later - 0.2 * 72, x, w, page=2)

    def draw_aside(
        self,
        canv: Canvas,
        parts: list[tuple[ComposedSection, Flowable]],
        top: float,
        x: float | None = None,
        width: float | None = None,
        page: int = 1,
    ) -> None:
        """Draw ``parts`` top-down in the side strip of ``page`` (page 1's: the key points
        and the tiered box, which must be there; page 2's at ``x``, ``width``: the sections
        that stand alone, there because the text with them does not fit two pages) from
        ``top``; the first that does not fit is an error at its section."""
        x = self.ml + self.main_w + self.gutter if x is None else x
        width = width or self.strip_w
        room = top - self.body_bottom
        y = top
        for i, (section, f) in enumerate(parts):
            _, h = f.wrap(width, room)
            gap = f.getSpaceBefore() if i else 0.0
            if top - (y - gap - h) > room + 0.01:
                over = top - (y - gap - h) - room
                loc, field = self.location(section)
                what = (
                    "the 'when to call' box"
                    if section.style in TIER_STYLES
                    else public_heading(self.composed, section)
                )
                if page == 1:
                    why = (
                        f"must be on page 1 and does not fit there by {self.lines(over)}; "
                        "shorten it or the key points"
                    )
                else:
                    why = (
                        f"does not fit page 2's side strip by {self.lines(over)} (it stands "
                        "alone there because the text with it does not fit two pages); "
                        "shorten it or the text"
                    )
                self.problems.append(Problem(loc, field, f"{self.layout.name}: {what} {why}"))
                return
            y -= gap + h
            f.drawOn(canv, x, y)
            y -= f.getSpaceAfter()
