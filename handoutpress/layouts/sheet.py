"""Aftercare / information sheet: US Letter portrait, one page (two at most).

Page 1: brand band (title, subtitle, logo), personal fields (values from
``--set`` or write-in lines), then the sections in one column. Later pages carry
a slim band. Every page has a footer with contact details, form number,
revision date, page number and any SAMPLE / DRAFT marks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageTemplate, Paragraph

from ..boxes import keypoints_box
from ..compose import ComposedSection
from ..errors import ContentOverflow
from ..footer import (
    DOT,
    RULE_DROP,
    RULE_WIDTH,
    FooterPlaces,
    draw_rule,
    draw_tagged_once,
    footer_places,
    mark_markup,
)
from ..geometry import ColumnGeometry, SheetGeometry
from ..handoutdoc import SectionMark
from ..layout_fields import fields_block
from ..lonewords import NoLoneWord
from ..notes_lines import LINE_LIFT, ColumnNotes
from ..render import HandoutDoc, LayoutRenderer, RenderResult, frame
from ..section_story import section_story
from ..staff_order import end_with_note, staff_then_disclaimer
from ..tagging import Node, artifact, marked, tag, tag_artifact
from .loose_lists import LooseListsOnOverflow
from .sheet_strip import SheetStrip

#: what draws a page's fixed parts (ReportLab calls it with the canvas and the document)
PageDrawer = Callable[[Canvas, HandoutDoc], None]


#: how wide the band's logo may be, and the clinic's name in words on the slim band
BAND_NAME_MAX = 2.2 * 72
#: the last line of the notes under the text stays at least this far above the footer rule
#: (13 pt read as one more notes line)
NOTES_CLEAR = 0.25 * 72


class ColumnRenderer(LayoutRenderer):
    """One column of text between the page margins above a footer zone, with a first-page
    template and one for the pages after it (sheet, large print)."""

    def _geometry(self) -> None:
        g = self.layout.geometry_as(ColumnGeometry)
        m = self.layout.margins
        self.ml, self.mr, self.mt, self.mb = m.left, m.right, m.top, m.bottom
        self.footer, self.field_row = g.footer, g.field_row
        self.text_w = self.W - self.ml - self.mr
        self.body_bottom = self.mb + self.footer

    def first_and_later(self, first_top: float, later_top: float) -> list[PageTemplate]:
        """Page templates: the body frame from ``first_top`` (page 1) or ``later_top`` down
        to the footer zone."""

        def template(name: str, top: float, on_page: PageDrawer) -> PageTemplate:
            body = frame("body", self.ml, self.body_bottom, self.text_w, top - self.body_bottom)
            return PageTemplate(
                id=name, frames=[body], onPage=on_page, autoNextPageTemplate="later"
            )

        return [
            template("first", first_top, self.draw_first),
            template("later", later_top, self.draw_later),
        ]

    def draw_first(self, canv: Canvas, doc: HandoutDoc) -> None:
        raise NotImplementedError

    def draw_later(self, canv: Canvas, doc: HandoutDoc) -> None:
        raise NotImplementedError


class SheetRenderer(ColumnRenderer, SheetStrip, LooseListsOnOverflow):
    """Page 1: the band, the fields, then a text column (45-75 characters a line) beside a
    side strip holding the key points and the tiered safety box, which must fit there (an
    error, never a move to page 2). Later pages: one text column of ``later_text`` width."""

    TAGGED = True
    STAFF_MARK_IN_FOOTER = True

    def _geometry(self) -> None:
        super()._geometry()
        g = self.geo = self.layout.geometry_as(SheetGeometry)
        self.strip_w = g.strip
        self.later_strip_w = g.later_strip
        self.gutter = g.gutter
        self.main_w = self.text_w - self.strip_w - self.gutter if self.has_strip() else self.text_w
        self.later_w = min(g.later_text, self.text_w)
        self.header = max(g.header, self.band_needs())
        self.header_later = g.header_later
        self.fields_gap = g.fields_gap
        self.body_gap = g.body_gap
        self.band_top = self.H - max(self.safe, self.mt - 0.25 * 72)
        self.fields_block = fields_block(self, columns=2)
        self.fields_h = self.fields_block.wrap(self.text_w, self.H)[1]
        # the footer zone grows when the SAMPLE / DRAFT marks take more lines than it holds
        # (a long mark wraps to the text column: a Spanish one, a long brand file name)
        self.footer = max(self.footer, self.footer_needs())
        self.body_bottom = self.mb + self.footer

    def footer_marks(self, spans: bool = False) -> list[Paragraph]:
        """The long SAMPLE / DRAFT marks, each a centred paragraph as wide as the text
        (``spans``: a tagged footer's, see :func:`~handoutpress.footer.mark_markup`)."""
        th = self.theme
        return [
            NoLoneWord(mark_markup(long, self.text, th.fonts, spans), th["mark"])
            for _, long in self.marks()
        ]

    def footer_places(self, zone: float) -> FooterPlaces:
        """Where the footer's parts go in a footer zone ``zone`` high."""
        size = self.theme.scale.small
        # the contact rows are paragraphs, drawn at their foot: the strings beside them are
        # lifted to their baseline
        return footer_places(
            left=self.ml, right=self.W - self.mr, text_width=self.text_w, page_width=self.W,
            bottom=self.mb, zone=zone, size=size, safe=self.safe, lift=2,
        )  # fmt: skip

    def footer_needs(self) -> float:
        """Height of the footer zone its lines need: the marks wrapped to the text width
        under the contact and address lines, the last one's baseline no lower than the
        footer's lowest."""
        at = self.footer_places(self.footer)
        marks = sum(p.wrap(self.text_w, self.H)[1] for p in self.footer_marks())
        last = at.marks_y - max(0.0, marks - self.theme["mark"].leading)
        return self.footer + max(0.0, at.lowest - last)

    def render(self) -> RenderResult:
        """Lay out with the stand-alone sections in the text; when that takes two pages, try
        them in page 2's side strip (the text column keeps 45-75 characters a line there).

        The strip is tried first (one layout instead of two for a two-page sheet, the front
        desk's preview among them): when the text without the stand-alone sections still
        takes two pages, so does the text with them (page 1 is the same frame, holding more),
        and the strip's layout is the one kept, as it would be after trying the text first."""
        alone = tuple(s for s in self.composed.sections if s.panel == "flap")
        if alone:
            self.side_later = alone
            try:
                pdf, doc = self.build_once()
            except ContentOverflow:
                doc = None
            if doc is not None and doc.page > 1:
                self.check_filled(doc)
                return self.result(pdf, doc)
            self.side_later = ()
        return self.render_text_first(alone)

    def render_text_first(self, alone: tuple[ComposedSection, ...]) -> RenderResult:
        """The stand-alone sections in the text; in page 2's side strip when that takes two
        pages (or overflows), and back in the text when the strip cannot hold them."""
        pdf, doc = self.build_once_or_none()
        if alone and (doc is None or doc.page > 1):
            self.side_later = alone
            try:
                pdf, doc = self.build_once()
            except ContentOverflow:
                self.side_later = ()
                if doc is None:
                    raise
                pdf, doc = self.build_once()
        elif doc is None:
            pdf, doc = self.build_once()
        self.check_filled(doc)
        return self.result(pdf, doc)

    def build_once_or_none(self) -> tuple[bytes, HandoutDoc | None]:
        try:
            return self.build_once()
        except ContentOverflow:
            return b"", None

    def has_strip(self) -> bool:
        keys, tiers = self.strip_sections()
        return bool(keys or tiers)

    def band_needs(self) -> float:
        """Height the band needs for the title and subtitle (a long title takes two or three
        lines: the band grows, the text below moves down)."""
        parts = self.band_parts()
        text_w = self.text_w - 2.2 * 72 - 0.25 * 72  # beside the logo's room
        return sum(p.wrap(text_w, self.H)[1] for p in parts) + 2 * 0.16 * 72

    def band_parts(self) -> list[Flowable]:
        c = self.composed
        parts: list[Flowable] = [self.para(c.title, "band_title")]
        if c.subtitle:
            parts.append(self.para(c.subtitle, "band_subtitle"))
        return parts

    def later_column(self) -> float:
        """Width of the text column on the pages after the first."""
        if self.side_later:  # beside page 2's strip
            return self.text_w - self.later_strip_w - self.gutter
        return self.later_w

    def first_top(self) -> float:
        return self.band_top - self.header - self.fields_gap - self.fields_h - self.body_gap

    def page_templates(self) -> list[PageTemplate]:
        self._geometry()
        first_top = self.first_top()
        later_top = self.band_top - self.header_later - 0.2 * 72
        bottom = self.body_bottom
        first = frame("body", self.ml, bottom, self.main_w, first_top - bottom)
        later = frame("body", self.ml, bottom, self.later_column(), later_top - bottom)
        return [
            PageTemplate(
                id="first", frames=[first], onPage=self.draw_first, autoNextPageTemplate="later"
            ),
            PageTemplate(
                id="later", frames=[later], onPage=self.draw_later, autoNextPageTemplate="later"
            ),
        ]

    def story(self) -> list[Flowable]:
        # the structure in reading order: the band and the fields (drawn on page 1 by
        # draw_first), the sections, page 2's strip, then the footer (content where it is
        # drawn last: the end of the last page; the side strip is drawn on page 1 by
        # draw_strip)
        root = self.tags.root
        self.logo_tag = self.logo_node() if self.brand.logo_on_band or self.brand.logo else None
        self.title_tags = [root.add("H1"), *([root.add("P")] if self.composed.subtitle else [])]
        self.fields_tag = root.add("Table") if self.composed.fields else None
        self.strip_tag = root.add("Div")  # the side strip: key points, the tiered box
        self.keys_in_text = False
        self.keys_in_text = not self.strip_fits()
        keys, tiers = self.strip_sections()
        aside = (*keys, *tiers, *self.side_later)
        rest = tuple(s for s in self.composed.sections if s not in aside)
        story: list[Flowable] = []
        if self.keys_in_text:
            first = [s for s in rest if s.style == "keypoints"]
            rest = tuple(s for s in rest if s not in first)
            for s in first:
                story += [SectionMark(s), keypoints_box(s, self.theme, self.main_w, root)]
        # the staff copy: the patient's disclaimer after the staff sections that end the text
        rest, note = staff_then_disclaimer(rest)
        main = replace(self.composed, sections=rest)
        # boxes as wide as the narrower of page 1's and the later pages' columns
        box_w = min(self.main_w, self.later_column())
        story += section_story(main, self.theme, box_w, split_after_heading=True, parent=root)
        end_with_note(story, note, self.theme, root)
        # room left under the end of the text: lines for notes, not blank paper
        clear = NOTES_CLEAR - RULE_DROP - LINE_LIFT  # (the rule is under the frame)
        story.append(ColumnNotes(self.text("notes"), self.theme, root.add("P"), clear=clear))
        self.aside_tag = root.add("Div")  # page 2's strip
        self.footer_tag = root.add("Div")
        return self.loosened(story)

    # -- fixed parts ------------------------------------------------------------------------
    def band(self, canv: Canvas, height: float, first: bool) -> None:
        col = self.theme.colours
        canv.setFillColor(col["primary"])
        if self.press is not None:  # a square band running into the bleed on three sides
            x0, x1, y0 = self.edge("left"), self.edge("right"), self.band_top - height
            canv.rect(x0, y0, x1 - x0, self.edge("top") - y0, stroke=0, fill=1)
        else:
            x0, x1 = self.safe, self.W - self.safe
            canv.roundRect(x0, self.band_top - height, x1 - x0, height, 6, stroke=0, fill=1)
        canv.setFillColor(col["accent"])
        canv.rect(self.ml, self.band_top - height - 5, self.text_w, 3, stroke=0, fill=1)
        logo = self.logo(light=True) if first else None
        lh = self.geo.logo_height
        logo_w = 0.0
        if logo is not None:
            max_w = BAND_NAME_MAX
            with marked(canv, self.logo_tag) if self.logo_tag else artifact(canv):
                logo_w, _ = logo.draw(
                    canv,
                    self.W - self.mr - max_w,
                    self.band_top - height / 2 - lh / 2,
                    max_w,
                    lh,
                    align="right",
                )
        elif not first:  # the slim band: the clinic's name in words a person can read (a
            # logo scaled into it printed its words at about 5 pt; labels are at least 9 pt)
            logo_w = self.band_name(canv, height)
        text_w = self.text_w - logo_w - 0.25 * 72
        c = self.composed
        if first:
            parts = self.band_parts()
            for part, node in zip(parts, self.title_tags, strict=True):
                tag(part, node)
            h = sum(p.wrap(text_w, height)[1] for p in parts)
            top = self.band_top - max((height - h) / 2, 6)
            self.fixed(canv, parts, self.ml, top, text_w, height - 12, "the title in the band")
        else:
            style = self.theme["band_subtitle"]
            markup = self.theme.fonts.markup
            title = markup(c.shown_title, bold=True)
            p = tag_artifact(Paragraph(f"<b>{title}</b> {markup(self.text('continued'))}", style))
            _, h = p.wrap(text_w, height)
            p.drawOn(canv, self.ml, self.band_top - height / 2 - h / 2)

    def band_name(self, canv: Canvas, height: float) -> float:
        """The brand's name, bold, white, at the label size (at least 9 pt) at the right of
        the slim band, centred on it; its width. A name wider than the logo's room
        (``BAND_NAME_MAX``) is left out rather than squeezing the title: the footer names
        the clinic on every page."""
        th = self.theme
        size = max(th.scale.label or th.scale.small, 9.0)
        name = self.brand.name
        if th.fonts.string_width(name, th.fonts.bold, size) > BAND_NAME_MAX:
            return 0.0
        canv.setFillColor(th.colours["white"])
        canv.setFont(th.fonts.bold, size)
        base = self.band_top - height / 2 - size * 0.35
        th.fonts.draw_string(canv, self.W - self.mr, base, name, th.fonts.bold, size, "right")
        return float(th.fonts.string_width(name, th.fonts.bold, size))

    def draw_fields(self, canv: Canvas) -> None:
        """The personal fields under the band (:mod:`handoutpress.formfields`)."""
        top = self.band_top - self.header - self.fields_gap
        block = self.fields_block
        block.tags = self.fields_tag  # a Table: a row per field, label TH, value TD
        block.wrap(self.text_w, self.H)
        block.drawOn(canv, self.ml, top - block.height)

    def draw_footer(self, canv: Canvas, parent: Node | None = None) -> None:
        """The footer, on every page: ``parent``'s content on the last page, an artifact on
        the pages before (:func:`~handoutpress.footer.draw_tagged_once`)."""
        draw_tagged_once(canv, parent, self._footer)

    def _footer(self, canv: Canvas, parent: Node | None) -> None:
        th = self.theme
        markup = th.fonts.markup
        says = self.footer_text()
        size = th.scale.small
        at = self.footer_places(self.footer)
        draw_rule(canv, th.colours["primary"], at.left, at.right, at.rule_y, RULE_WIDTH)
        canv.setFillColor(th.colours["text"])
        name, *rest = says.contact
        left1 = f"<b>{markup(name, bold=True)}</b>" + "".join(f"{DOT}{markup(x)}" for x in rest)
        left2 = markup(says.address_line)
        right = says.form_revised  # plain text: drawn, not a paragraph
        for i, text in enumerate((left1, left2)):
            p = Paragraph(text, th["small"])
            if parent is not None:
                tag(p, parent.add("P"))
            _, h = p.wrap(at.line_width, at.lead * 2)
            if h > at.lead + 0.1:
                key = ("contact", "address") if i else ("contact",)
                problem = self.brand_problem(key, "the footer contact line", h - at.lead)
                if problem not in self.problems:  # (every page has the footer)
                    self.problems.append(problem)
            p.drawOn(canv, at.left, at.lines_y[i])
        with marked(canv, parent.add("P")) if parent is not None else artifact(canv):
            canv.setFont(th.fonts.regular, size)
            canv.setFillColor(th.colours["muted"])
            th.fonts.draw_string(canv, at.right, at.form_y, right, th.fonts.regular, size, "right")
        self.page_number(canv, at.right, at.number_y)
        # each mark a centred paragraph wrapped to the text width, the first one's first
        # baseline at marks_y (footer_needs() made the room for its lines)
        my = at.marks_y
        for p in self.footer_marks(spans=parent is not None and self.tagged):
            _, h = p.wrap(self.text_w, self.H)
            if parent is not None:
                tag(p, parent.add("P"))
            p.drawOn(canv, self.ml, my - h + p.style.fontSize)  # (its first baseline at my)
            my -= h

    def draw_first(self, canv: Canvas, doc: HandoutDoc) -> None:
        canv.saveState()
        self.band(canv, self.header, first=True)
        self.draw_fields(canv)
        self.draw_strip(canv)
        self.draw_footer(canv, self.footer_tag)
        canv.restoreState()

    def draw_later(self, canv: Canvas, doc: HandoutDoc) -> None:
        canv.saveState()
        with artifact(canv):  # the slim band: the title again
            self.band(canv, self.header_later, first=False)
        self.draw_later_strip(canv)
        self.draw_footer(canv, self.footer_tag)
        canv.restoreState()
