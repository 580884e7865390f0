"""Aftercare / information sheet: US Letter portrait, one page (two at most).

Page 1: brand band (title, subtitle, logo), personal fields (values from
``--set`` or write-in lines), then the sections in one column. Later pages carry
a slim band. Every page has a footer with contact details, form number,
revision date, page number and any SAMPLE / DRAFT marks.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageTemplate, Paragraph

from ..formfields import fields_block
from ..render import HandoutDoc, LayoutRenderer, frame
from ..styles import section_story


class ColumnRenderer(LayoutRenderer):
    """One column of text between the page margins above a footer zone, with a first-page
    template and one for the pages after it (sheet, large print)."""

    #: where the layout file leaves a number out: page margins, footer zone, write-in row
    DEFAULTS = {
        "left": 0.75 * 72,
        "right": 0.75 * 72,
        "top": 0.5 * 72,
        "bottom": 0.5 * 72,
        "footer": 0.62 * 72,
        "field_row": 0.36 * 72,
    }

    def _geometry(self) -> None:
        g = self.layout.geometry
        m = self.layout.margins
        d = self.DEFAULTS
        self.ml = m.get("left", d["left"])
        self.mr = m.get("right", d["right"])
        self.mt = m.get("top", d["top"])
        self.mb = m.get("bottom", d["bottom"])
        self.footer = g.get("footer", d["footer"])
        self.field_row = g.get("field_row", d["field_row"])
        self.text_w = self.W - self.ml - self.mr
        self.body_bottom = self.mb + self.footer

    def first_and_later(self, first_top: float, later_top: float) -> list[PageTemplate]:
        """Page templates: the body frame from ``first_top`` (page 1) or ``later_top`` down
        to the footer zone."""

        def template(name: str, top: float, on_page: Any) -> PageTemplate:
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
    def _geometry(self) -> None:
        super()._geometry()
        g = self.layout.geometry
        self.header = g.get("header", 1.15 * 72)
        self.header_later = g.get("header_later", 0.45 * 72)
        self.fields_gap = g.get("fields_gap", 0.12 * 72)
        self.body_gap = g.get("body_gap", 0.1 * 72)
        self.band_top = self.H - max(self.safe, self.mt - 0.25 * 72)
        self.fields_block = fields_block(self, columns=2)
        self.fields_h = self.fields_block.wrap(self.text_w, self.H)[1]

    def page_templates(self) -> list[PageTemplate]:
        self._geometry()
        first_top = self.band_top - self.header - self.fields_gap - self.fields_h - self.body_gap
        later_top = self.band_top - self.header_later - 0.2 * 72
        return self.first_and_later(first_top, later_top)

    def story(self) -> list[Flowable]:
        return section_story(self.composed, self.theme, self.text_w, split_after_heading=True)

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
        lh = self.layout.geometry.get("logo_height", 0.62 * 72)
        if not first:
            lh = height * 0.7
        logo_w = 0.0
        if logo is not None:
            max_w = 2.2 * 72 if first else 1.4 * 72
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
            h = sum(p.wrap(text_w, height)[1] for p in parts)
            top = self.band_top - max((height - h) / 2, 6)
            self.fixed(canv, parts, self.ml, top, text_w, height - 12, "the title in the band")
        else:
            style = self.theme["band_subtitle"]
            markup = self.theme.fonts.markup
            title = markup(c.public_title, bold=True)
            p = Paragraph(f"<b>{title}</b> {markup(self.text('continued'))}", style)
            _, h = p.wrap(text_w, height)
            p.drawOn(canv, self.ml, self.band_top - height / 2 - h / 2)

    def draw_fields(self, canv: Canvas) -> None:
        """The personal fields under the band (:mod:`handoutpress.formfields`)."""
        top = self.band_top - self.header - self.fields_gap
        block = self.fields_block
        block.wrap(self.text_w, self.H)
        block.drawOn(canv, self.ml, top - block.height)

    def draw_footer(self, canv: Canvas) -> None:
        th = self.theme
        markup = th.fonts.markup
        contact = self.brand.contact
        c = self.composed
        y_top = self.mb + self.footer - 8
        canv.setStrokeColor(th.colours["primary"])
        canv.setLineWidth(0.8)
        canv.line(self.ml, y_top, self.W - self.mr, y_top)
        size = th.scale.small
        lead = size * 1.3
        y = y_top - lead
        canv.setFillColor(th.colours["text"])
        left1 = f"<b>{markup(self.brand.name, bold=True)}</b> \u00b7 {markup(contact.phone)}"
        if contact.after_hours_phone:
            left1 += (
                f" \u00b7 {markup(self.text('after_hours_short'))} "
                f"{markup(contact.after_hours_phone)}"
            )
        left2 = markup(" \u00b7 ".join([*contact.address, contact.website]).strip(" \u00b7"))
        revised = self.text("revised", date=self.text.month_year(c.handout.revised))
        right = f"{c.handout.form} \u00b7 {revised}"  # plain text: drawn, not a paragraph
        w_left = self.text_w * 0.72
        for i, text in enumerate((left1, left2)):
            p = Paragraph(text, th["small"])
            _, h = p.wrap(w_left, lead * 2)
            if h > lead + 0.1:
                key = ("contact", "address") if i else ("contact",)
                self.problems.append(self.brand_problem(key, "the footer contact line", h - lead))
            p.drawOn(canv, self.ml, y - i * lead)
        canv.setFont(th.fonts.regular, size)
        canv.setFillColor(th.colours["muted"])
        th.fonts.draw_string(canv, self.W - self.mr, y + 2, right, th.fonts.regular, size, "right")
        self.page_number(canv, self.W - self.mr, y - lead + 2)
        marks = [long for _, long in self.marks()]
        if marks:
            canv.setFillColor(th.colours["warning"])
            ms = th["mark"]
            canv.setFont(th.fonts.bold, ms.fontSize)
            my = y - 2 * lead
            for text in marks:
                my_text = max(my, self.safe + 3)
                th.fonts.draw_string(
                    canv, self.W / 2, my_text, text, th.fonts.bold, ms.fontSize, "center"
                )
                my -= ms.leading

    def draw_first(self, canv: Canvas, doc: HandoutDoc) -> None:
        canv.saveState()
        self.band(canv, self.header, first=True)
        self.draw_fields(canv)
        self.draw_footer(canv)
        canv.restoreState()

    def draw_later(self, canv: Canvas, doc: HandoutDoc) -> None:
        canv.saveState()
        self.band(canv, self.header_later, first=False)
        self.draw_footer(canv)
        canv.restoreState()
