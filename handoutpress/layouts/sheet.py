"""Aftercare / information sheet: US Letter portrait, one page (two at most).

Page 1: brand band (title, subtitle, logo), personal fields (values from
``--set`` or write-in lines), then the sections in one column. Later pages carry
a slim band. Every page has a footer with contact details, form number,
revision date, page number and any SAMPLE / DRAFT marks.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageTemplate, Paragraph

from ..footer import DOT, draw_rule
from ..formfields import fields_block
from ..geometry import ColumnGeometry, SheetGeometry
from ..render import HandoutDoc, LayoutRenderer, frame
from ..styles import section_story
from ..tagging import Node, artifact, marked, tag, tag_artifact

#: what draws a page's fixed parts (ReportLab calls it with the canvas and the document)
PageDrawer = Callable[[Canvas, HandoutDoc], None]


class ColumnRenderer(LayoutRenderer):
    """One column of text between the page margins above a footer zone, with a first-page
    template and one for the pages after it (sheet, large print)."""

    def _geometry(self) -> None:
        g = self.layout.geometry_as(ColumnGeometry)
        m = self.layout.margins
        self.ml = m.left
        self.mr = m.right
        self.mt = m.top
        self.mb = m.bottom
        self.footer = g.footer
        self.field_row = g.field_row
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


class SheetRenderer(ColumnRenderer):
    TAGGED = True
    STAFF_MARK_IN_FOOTER = True

    def _geometry(self) -> None:
        super()._geometry()
        g = self.geo = self.layout.geometry_as(SheetGeometry)
        self.header = g.header
        self.header_later = g.header_later
        self.fields_gap = g.fields_gap
        self.body_gap = g.body_gap
        self.band_top = self.H - max(self.safe, self.mt - 0.25 * 72)
        self.fields_block = fields_block(self, columns=2)
        self.fields_h = self.fields_block.wrap(self.text_w, self.H)[1]

    def page_templates(self) -> list[PageTemplate]:
        self._geometry()
        first_top = self.band_top - self.header - self.fields_gap - self.fields_h - self.body_gap
        later_top = self.band_top - self.header_later - 0.2 * 72
        return self.first_and_later(first_top, later_top)

    def story(self) -> list[Flowable]:
        # the structure in reading order: the band and the fields (drawn on page 1 by
        # draw_first), the sections, then page 1's footer
        root = self.tags.root
        self.logo_tag = self.logo_node() if self.brand.logo_on_band or self.brand.logo else None
        self.title_tags = [root.add("H1"), *([root.add("P")] if self.composed.subtitle else [])]
        self.fields_tag = root.add("Table") if self.composed.fields else None
        story = section_story(
            self.composed, self.theme, self.text_w, split_after_heading=True, parent=root
        )
        self.footer_tag = root.add("Div")
        return story

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
        logo = self.logo(light=True)
        lh = self.geo.logo_height
        if not first:
            lh = height * 0.7
        logo_w = 0.0
        if logo is not None:
            max_w = 2.2 * 72 if first else 1.4 * 72
            with marked(canv, self.logo_tag) if first and self.logo_tag else artifact(canv):
                logo_w, _ = logo.draw(
                    canv,
                    self.W - self.mr - max_w,
                    self.band_top - height / 2 - lh / 2,
                    max_w,
                    lh,
                    align="right",
                )
        text_w = self.text_w - logo_w - 0.25 * 72
        c = self.composed
        if first:
            parts: list[Flowable] = [self.para(c.title, "band_title")]
            if c.subtitle:
                parts.append(self.para(c.subtitle, "band_subtitle"))
            for part, node in zip(parts, self.title_tags, strict=True):
                tag(part, node)
            h = sum(p.wrap(text_w, height)[1] for p in parts)
            top = self.band_top - max((height - h) / 2, 6)
            self.fixed(canv, parts, self.ml, top, text_w, height - 12, "the title in the band")
        else:
            style = self.theme["band_subtitle"]
            markup = self.theme.fonts.markup
            title = markup(c.public_title, bold=True)
            p = tag_artifact(Paragraph(f"<b>{title}</b> {markup(self.text('continued'))}", style))
            _, h = p.wrap(text_w, height)
            p.drawOn(canv, self.ml, self.band_top - height / 2 - h / 2)

    def draw_fields(self, canv: Canvas) -> None:
        """The personal fields under the band (:mod:`handoutpress.formfields`)."""
        top = self.band_top - self.header - self.fields_gap
        block = self.fields_block
        block.tags = self.fields_tag  # a Table: a row per field, label TH, value TD
        block.wrap(self.text_w, self.H)
        block.drawOn(canv, self.ml, top - block.height)

    def draw_footer(self, canv: Canvas, parent: Node | None = None) -> None:
        """The footer; its text is ``parent``'s content (page 1) or an artifact (later)."""
        if parent is None:
            with artifact(canv):
                self._footer(canv, None)
        else:
            self._footer(canv, parent)

    def _footer(self, canv: Canvas, parent: Node | None) -> None:
        th = self.theme
        markup = th.fonts.markup
        says = self.footer_text()
        y_top = self.mb + self.footer - 8
        draw_rule(canv, th.colours["primary"], self.ml, self.W - self.mr, y_top, 0.8)
        size = th.scale.small
        lead = size * 1.3
        y = y_top - lead
        canv.setFillColor(th.colours["text"])
        name, *rest = says.contact
        left1 = f"<b>{markup(name, bold=True)}</b>" + "".join(f"{DOT}{markup(x)}" for x in rest)
        left2 = markup(says.address_line)
        right = says.form_revised  # plain text: drawn, not a paragraph
        w_left = self.text_w * 0.72
        for i, text in enumerate((left1, left2)):
            p = Paragraph(text, th["small"])
            if parent is not None:
                tag(p, parent.add("P"))
            _, h = p.wrap(w_left, lead * 2)
            if h > lead + 0.1:
                key = ("contact", "address") if i else ("contact",)
                problem = self.brand_problem(key, "the footer contact line", h - lead)
                if problem not in self.problems:  # (every page has the footer)
                    self.problems.append(problem)
            p.drawOn(canv, self.ml, y - i * lead)
        with marked(canv, parent.add("P")) if parent is not None else artifact(canv):
            canv.setFont(th.fonts.regular, size)
            canv.setFillColor(th.colours["muted"])
            th.fonts.draw_string(
                canv, self.W - self.mr, y + 2, right, th.fonts.regular, size, "right"
            )
        self.page_number(canv, self.W - self.mr, y - lead + 2)
        marks = [long for _, long in says.marks]
        if marks:
            canv.setFillColor(th["mark"].textColor)  # (press: one ink)
            ms = th["mark"]
            canv.setFont(th.fonts.bold, ms.fontSize)
            my = y - 2 * lead
            for text in marks:
                my_text = max(my, self.safe + 3)
                with marked(canv, parent.add("P")) if parent is not None else artifact(canv):
                    th.fonts.draw_string(
                        canv, self.W / 2, my_text, text, th.fonts.bold, ms.fontSize, "center"
                    )
                my -= ms.leading

    def draw_first(self, canv: Canvas, doc: HandoutDoc) -> None:
        canv.saveState()
        self.band(canv, self.header, first=True)
        self.draw_fields(canv)
        self.draw_footer(canv, self.footer_tag)
        canv.restoreState()

    def draw_later(self, canv: Canvas, doc: HandoutDoc) -> None:
        canv.saveState()
        with artifact(canv):  # the slim band: the title again
            self.band(canv, self.header_later, first=False)
        self.draw_footer(canv)
        canv.restoreState()
