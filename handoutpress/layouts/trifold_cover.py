"""The tri-fold's front cover, top to bottom: a coloured band (the logo small, the title and
the subtitle in white), the tagline, the cover picture, up to three key points with check
marks, the clinic's name and phone: :class:`TrifoldCover`, the part of the tri-fold's
renderer (:class:`~handoutpress.layouts.trifold.TrifoldRenderer` is one) that draws its
cover panel."""

from __future__ import annotations

from reportlab.lib.colors import white
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer

from ..geometry import TrifoldGeometry
from ..markup import inline_markup
from ..pictures import picture_flowable
from ..render import LayoutRenderer
from ..tagging import Node, artifact, marked, tag, tag_artifact
from .trifold_parts import draw_check, point_style

#: the cover band's corner radius on office output (the sheet's band has the same)
BAND_RADIUS = 6.0
#: how far the cover band runs past the cover's fold on press output (1/16 in), so a fold
#: a little off shows no white edge on the cover
FOLD_OVERLAP = 72 / 16


class TrifoldCover(LayoutRenderer):
    """A tri-fold's cover panel, drawn from what the tri-fold's renderer sets up (its
    geometry, panels and text box; its cover's place in the structure tree)."""

    geo: TrifoldGeometry
    #: the outside's panels (x, width), flap, back, cover: the cover is the last
    outside: list[tuple[float, float]]
    #: the bottom of every panel's text
    text_y: float
    #: the cover's ``Div`` in the structure tree
    cover_tag: Node

    def text_box(self, panel: tuple[float, float]) -> tuple[float, float]:
        """(x, width) of a panel's text (the tri-fold's renderer says)."""
        raise NotImplementedError

    def cover_image(self, cover: Node) -> Flowable | None:
        """The cover picture (``cover.image``), at most ``cover_image_height`` tall, tagged
        as a Figure under ``cover`` (an artifact when it only decorates); None when the
        handout has none."""
        c = self.composed
        if c.cover_picture is None:
            return None
        picture = picture_flowable(
            c.cover_picture, self.theme.fonts, self.geo.cover_image_height, self.theme.raster
        )
        if picture.decorative:
            return tag_artifact(picture)
        return tag(picture, cover.add("Figure", alt=picture.alt))

    def draw_cover(self, canv: Canvas) -> None:
        """Cover, top to bottom: a coloured band (the logo small, the title and the subtitle
        in white), the tagline, the cover picture, up to three key points, the clinic's name
        and phone. With no picture the band grows into the room the picture would take, so
        the panel is not left empty."""
        c = self.composed
        th = self.theme
        markup = th.fonts.markup
        x, w = self.text_box(self.outside[2])
        bottom = self.text_y
        cover = self.cover_tag
        logo = self.logo(light=True)
        logo_tag = self.logo_node(cover) if logo is not None else cover.add("P")
        inband: list[Flowable] = [tag(self.para(c.title, "band_title"), cover.add("H1"))]
        if c.subtitle:
            inband.append(tag(self.para(c.subtitle, "band_subtitle"), cover.add("P")))
        footer = [
            Paragraph(f"<b>{markup(self.brand.name, bold=True)}</b>", th["contact"]),
            Paragraph(markup(c.brand.contact.phone), th["contact"]),
        ]
        foot_h = sum(f.wrap(w, self.H)[1] + f.getSpaceAfter() for f in footer)
        below: list[Flowable] = []
        if c.tagline:
            below.append(tag(self.para(c.tagline, "tagline"), cover.add("P")))
        image = self.cover_image(cover)
        image_h = image.wrap(w, self.H)[1] + 12 if image is not None else 0.0
        points = [
            tag(Paragraph(inline_markup(p, th.fonts), point_style(th)), cover.add("P"))
            for p in c.points
        ]
        below += points
        for f in footer:
            tag(f, cover.add("P"))
        below_h = sum(f.wrap(w, self.H)[1] + f.getSpaceAfter() for f in below)
        band_top = self.H - self.safe
        lh = self.geo.logo_height
        inset = self.geo.cover_band_inset
        bx, bw = x + inset, w - 2 * inset  # text inside the band keeps off its edges
        inband_h = sum(f.wrap(bw, self.H)[1] + f.getSpaceAfter() for f in inband)
        band_min = lh + inband_h + 0.8 * 72  # the insets and the room between logo and title
        room = band_top - (bottom + foot_h + 12) - below_h - 18
        band_h = max(band_min, room - image_h)
        band_h = min(band_h, self.geo.cover_band)
        band_y = band_top - band_h
        with artifact(canv):
            self.draw_cover_band(canv, band_y, band_top)
        with marked(canv, logo_tag):
            if logo is not None:
                logo.draw(canv, bx, band_top - inset - lh, bw, lh, align="left")
            else:
                canv.setFillColor(white)
                fonts, size = th.fonts, self.scale.subtitle
                canv.setFont(fonts.bold, size)
                at = (bx, band_top - inset - size)
                fonts.draw_string(canv, *at, self.brand.name, fonts.bold, size)
        self.fixed(canv, inband, bx, band_y + inband_h + inset, bw, inband_h, "the cover title")
        y = band_y - 14
        parts: list[Flowable] = []
        if c.tagline:
            parts.append(below[0])
        if image is not None:
            parts.append(image)
            parts.append(Spacer(0, 8))
        top = y
        y = self.fixed(canv, parts, x, top, w, top - bottom - foot_h - 12, "the cover")
        indent = point_style(th).leftIndent
        for p in points:
            _, h = p.wrap(w, self.H)
            y -= h
            p.drawOn(canv, x, y)
            with artifact(canv):
                draw_check(canv, x, y + h - th["body"].leading * 0.85, indent * 0.7, th)
            y -= p.getSpaceAfter()
        if y < bottom + foot_h + 6:
            self.problems.append(self.overflow_problem("the cover", bottom + foot_h + 6 - y))
        self.fixed(canv, footer, x, bottom + foot_h, w, foot_h, "the cover footer")

    def draw_cover_band(self, canv: Canvas, y0: float, y1: float) -> None:
        """The cover's coloured band from y0 to y1 with an accent rule under it. Office:
        inset by the safe margin from the fold as from the paper's edges, with rounded
        corners (like the sheet's band). Press: square, into the bleed at the top and the
        outer edge, from 1/16 in before the fold."""
        col = self.theme.colours
        px, pw = self.outside[2]
        canv.saveState()
        canv.setFillColor(col["primary"])
        if self.press is not None:
            right, left = self.edge("right"), px - FOLD_OVERLAP
            canv.rect(left, y0, right - left, self.edge("top") - y0, stroke=0, fill=1)
            rule_x0, rule_x1 = left, right
        else:
            x0, x1 = px + self.safe, px + pw - self.safe
            canv.roundRect(x0, y0, x1 - x0, y1 - y0, BAND_RADIUS, stroke=0, fill=1)
            rule_x0, rule_x1 = x0, x1
        canv.setFillColor(col["accent"])
        canv.rect(rule_x0, y0 - 6, rule_x1 - rule_x0, 4, stroke=0, fill=1)
        canv.restoreState()
