"""Letter-fold (C-fold) tri-fold brochure.

Page 1 (outside), left to right: fold-in flap, back panel, front cover.
Page 2 (inside): three panels, mirrored so the inside right panel sits behind the flap.
Sections flow through the flap, then the inside panels left to right. The back
panel (contact details, personal fields) and the cover are fixed.
"""

from __future__ import annotations

from reportlab.lib.colors import white
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageTemplate, Paragraph, Spacer

from ..errors import ContentOverflow
from ..formfields import fields_block
from ..geometry import TrifoldGeometry
from ..pictures import picture_flowable
from ..render import HandoutDoc, LayoutRenderer, RenderResult, frame
from ..styles import section_story
from ..tagging import artifact, marked, tag, tag_artifact

#: how far the cover band runs past the cover's fold on press output (1/16 in)
FOLD_OVERLAP = 72 / 16


class TrifoldRenderer(LayoutRenderer):
    TAGGED = True
    STAFF_MARK_IN_FOOTER = True

    def _geometry(self) -> None:
        g = self.geo = self.layout.geometry_as(TrifoldGeometry)
        self.pad = self.layout.panel_padding
        self.top = g.top
        self.bottom = g.bottom
        self.foot = g.foot
        w = self.layout.panels
        self.outside = [(0.0, w[0]), (w[0], w[1]), (w[0] + w[1], w[2])]
        self.inside = [(0.0, w[2]), (w[2], w[1]), (w[2] + w[1], w[0])]
        self.text_h = self.H - self.top - self.bottom - self.foot
        self.text_y = self.bottom + self.foot
        #: height of the flowing panels' text (shorter when short content is balanced)
        self.flow_h = self.flow_height or self.text_h
        self.flow_y = self.text_y + self.text_h - self.flow_h

    flow_height: float | None = None
    FLOW = ((1, "flap"), (2, "inside-1"), (2, "inside-2"), (2, "inside-3"))

    def render(self) -> RenderResult:
        """Lay out; if short content leaves a panel empty, balance it over all four panels.

        The shortest common panel height that still holds everything is found by bisection
        (each try is a full layout, a few tens of milliseconds).
        """
        pdf, doc = self.build_once()
        if all(panel in doc.filled for panel in self.FLOW):
            return self.result(pdf, doc)
        low, high = self.text_h * 0.15, self.text_h
        for _ in range(9):
            self.flow_height = (low + high) / 2
            try:
                pdf, doc = self.build_once()
                high = self.flow_height
            except ContentOverflow:
                low = self.flow_height
        if self.flow_height != high:
            self.flow_height = high
            pdf, doc = self.build_once()
        self.check_filled(doc)
        return self.result(pdf, doc)

    def folds(self, page: int) -> list[float]:
        panels = self.outside if page % 2 else self.inside
        return [x for x, _ in panels[1:]]

    def rule_y(self) -> float:
        """The coloured rule over each panel's text: 8 pt above it, inside the safe margin."""
        return min(self.H - self.top + 8, self.H - self.safe - 4)

    def text_box(self, panel: tuple[float, float]) -> tuple[float, float]:
        x, w = panel
        return x + self.pad, w - 2 * self.pad

    def page_templates(self) -> list[PageTemplate]:
        self._geometry()
        fx, fw = self.text_box(self.outside[0])
        outside = PageTemplate(
            id="outside",
            frames=[frame("flap", fx, self.flow_y, fw, self.flow_h)],
            onPage=self.draw_outside,
            autoNextPageTemplate="inside",
        )
        frames = []
        for i, panel in enumerate(self.inside, start=1):
            x, w = self.text_box(panel)
            frames.append(frame(f"inside-{i}", x, self.flow_y, w, self.flow_h))
        inside = PageTemplate(
            id="inside", frames=frames, onPage=self.draw_inside, autoNextPageTemplate="inside"
        )
        return [outside, inside]

    def story(self) -> list[Flowable]:
        _, width = self.text_box(self.inside[1])
        # reading order, not drawing order: the cover (drawn on the outside page), the
        # sections (flap and inside panels), then the back panel
        root = self.tags.root
        self.cover_tag = root.add("Div")
        story = section_story(self.composed, self.theme, width, parent=root)
        self.back_tag = root.add("Div")
        return story

    def check_filled(self, doc: HandoutDoc) -> None:
        for page, fid in self.FLOW:
            if (page, fid) not in doc.filled:
                self.warnings.append(
                    f"{self.composed.id}: trifold: panel {fid} is empty; add content or use "
                    "the sheet layout"
                )

    # -- fixed parts ------------------------------------------------------------------------
    def draw_feet(self, canv: Canvas, panels: list[tuple[float, float]]) -> None:
        """The short SAMPLE / DRAFT marks at each panel's foot (artifacts: the back panel
        carries the long ones as text)."""
        with artifact(canv):
            self._draw_feet(canv, panels)

    def _draw_feet(self, canv: Canvas, panels: list[tuple[float, float]]) -> None:
        marks = [short for short, _ in self.marks()]
        if not marks:
            return
        style = self.theme["mark"]
        fonts = self.theme.fonts
        for panel in panels:
            x, w = self.text_box(panel)
            y = self.bottom + self.foot - style.leading
            canv.setFillColor(self.theme["mark"].textColor)  # (press: one ink)
            canv.setFont(fonts.bold, style.fontSize)
            for text in marks:
                at = (x + w / 2, y + (style.leading - style.fontSize) / 2)
                fonts.draw_string(canv, *at, text, fonts.bold, style.fontSize, "center")
                y -= style.leading

    def draw_inside(self, canv: Canvas, doc: HandoutDoc) -> None:
        canv.saveState()
        canv.setFillColor(self.theme.colours["primary"])
        for panel in self.inside:
            x, w = self.text_box(panel)
            canv.rect(x, self.rule_y(), w, 3, stroke=0, fill=1)
        self.draw_feet(canv, self.inside)
        canv.restoreState()

    def draw_outside(self, canv: Canvas, doc: HandoutDoc) -> None:
        canv.saveState()
        self.draw_cover(canv)
        self.draw_back(canv)
        canv.setFillColor(self.theme.colours["primary"])
        x, w = self.text_box(self.outside[0])
        canv.rect(x, self.rule_y(), w, 3, stroke=0, fill=1)
        self.draw_feet(canv, self.outside)
        canv.restoreState()

    def draw_cover(self, canv: Canvas) -> None:
        c = self.composed
        col = self.theme.colours
        markup = self.theme.fonts.markup
        px, pw = self.outside[2]
        band_h = self.geo.cover_band
        band_right = self.edge("right")  # into the bleed on press output
        band_top = self.H - self.safe
        canv.setFillColor(col["primary"])
        band_y = band_top - band_h
        # press: the band starts 1/16 in before the fold, so a fold a little off shows no
        # white edge on the cover
        bx = px - (FOLD_OVERLAP if self.press is not None else 0.0)
        canv.rect(bx, band_y, band_right - bx, self.edge("top") - band_y, stroke=0, fill=1)
        canv.setFillColor(col["accent"])
        canv.rect(bx, band_top - band_h - 6, band_right - bx, 6, stroke=0, fill=1)
        x, w = self.text_box(self.outside[2])
        logo = self.logo(light=True)
        cover = self.cover_tag
        if logo is not None:
            lh = self.geo.logo_height
            with marked(canv, self.logo_node(cover)):
                logo.draw(canv, x, band_top - band_h / 2 - lh / 2, w, lh, align="center")
        else:
            canv.setFillColor(white)
            fonts, size = self.theme.fonts, self.scale.heading * 1.4
            canv.setFont(fonts.bold, size)
            y = band_top - band_h / 2
            with marked(canv, cover.add("P")):
                fonts.draw_string(canv, x + w / 2, y, self.brand.name, fonts.bold, size, "center")
        parts: list[Flowable] = [tag(self.para(c.title, "title"), cover.add("H1"))]
        if c.subtitle:
            parts.append(tag(self.para(c.subtitle, "subtitle"), cover.add("P")))
        if c.tagline:
            parts.append(Spacer(0, 4))
            parts.append(tag(self.para(c.tagline, "tagline"), cover.add("P")))
        if c.cover_picture is not None:
            picture = picture_flowable(
                c.cover_picture, self.theme.fonts, self.geo.cover_image_height, self.theme.raster
            )
            if picture.decorative:
                parts.append(tag_artifact(picture))
            else:
                parts.append(tag(picture, cover.add("Figure", alt=picture.alt)))
        top = band_top - band_h - 6 - 0.35 * 72
        footer = [
            Paragraph(f"<b>{markup(self.brand.name, bold=True)}</b>", self.theme["contact"]),
            Paragraph(markup(self.brand.contact.phone), self.theme["contact"]),
        ]
        for f in footer:
            tag(f, cover.add("P"))
        foot_h = sum(f.wrap(w, self.H)[1] + f.getSpaceAfter() for f in footer)
        bottom = self.text_y
        self.fixed(canv, parts, x, top, w, top - bottom - foot_h - 12, "the cover title")
        self.fixed(canv, footer, x, bottom + foot_h, w, foot_h, "the cover footer")

    def draw_back(self, canv: Canvas) -> None:
        c = self.composed
        th = self.theme
        markup = th.fonts.markup
        x, w = self.text_box(self.outside[1])
        # nodes in reading order (contact, fields, marks, logo, form number); the panel is
        # drawn bottom-up
        back = self.back_tag
        parts = self.contact_block(gap=8, parent=back)
        if c.fields:
            parts.append(Spacer(0, 10))
            block = fields_block(
                self,
                columns=2,
                wide_columns=1,
                stacked=True,
                value_style="contact",
                row=self.geo.field_row,
            )
            block.tags = back.add("Table")  # a row per field, label TH, value TD
            parts.append(block)
        for _, long in self.marks():
            parts.append(Spacer(0, 6))
            parts.append(tag(Paragraph(markup(long, bold=True), th["mark"]), back.add("P")))
        logo = self.logo()
        lh = self.geo.logo_height * 0.8
        logo_tag = self.logo_node(back) if logo is not None else None
        small = [
            Paragraph(
                markup(
                    f"{c.handout.form} \u00b7 "
                    + self.text("revised", date=self.text.month_year(c.handout.revised))
                ),
                th["small_center"],
            )
        ]
        tag(small[0], back.add("P"))
        small_h = sum(f.wrap(w, self.H)[1] for f in small)
        bottom = self.text_y
        logo_y = bottom + small_h + 6
        if logo is not None and logo_tag is not None:
            with marked(canv, logo_tag):
                logo.draw(canv, x, logo_y, w, lh, align="center")
        self.fixed(canv, small, x, bottom + small_h, w, small_h, "the back panel footer")
        top = self.H - self.top
        self.fixed(canv, parts, x, top, w, top - logo_y - lh - 10, "the back panel")
