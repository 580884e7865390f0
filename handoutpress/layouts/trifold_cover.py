"""The tri-fold's front cover, top to bottom: a coloured band (the logo small, the title and
the subtitle in white), the tagline, the cover picture, up to three key points with check
marks, the clinic's name and phone; drawn for a :class:`~handoutpress.layouts.trifold.
TrifoldRenderer` in its cover panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.colors import white
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer

from ..markup import inline_markup
from ..pictures import picture_flowable
from ..tagging import Node, artifact, marked, tag, tag_artifact
from .trifold_parts import draw_check, draw_cover_band, point_style

if TYPE_CHECKING:
    from .trifold import TrifoldRenderer


def cover_image(r: TrifoldRenderer, cover: Node) -> Flowable | None:
    """The cover picture (``cover.image``), at most ``cover_image_height`` tall, tagged
    as a Figure under ``cover`` (an artifact when it only decorates); None when the
    handout has none."""
    c = r.composed
    if c.cover_picture is None:
        return None
    picture = picture_flowable(
        c.cover_picture, r.theme.fonts, r.geo.cover_image_height, r.theme.raster
    )
    if picture.decorative:
        return tag_artifact(picture)
    return tag(picture, cover.add("Figure", alt=picture.alt))


def draw_cover(r: TrifoldRenderer, canv: Canvas) -> None:
    """Cover, top to bottom: a coloured band (the logo small, the title and the subtitle
    in white), the tagline, the cover picture, up to three key points, the clinic's name
    and phone. With no picture the band grows into the room the picture would take, so
    the panel is not left empty."""
    c = r.composed
    th = r.theme
    markup = th.fonts.markup
    x, w = r.text_box(r.outside[2])
    bottom = r.text_y
    cover = r.cover_tag
    logo = r.logo(light=True)
    logo_tag = r.logo_node(cover) if logo is not None else cover.add("P")
    inband: list[Flowable] = [tag(r.para(c.title, "band_title"), cover.add("H1"))]
    if c.subtitle:
        inband.append(tag(r.para(c.subtitle, "band_subtitle"), cover.add("P")))
    footer = [
        Paragraph(f"<b>{markup(r.brand.name, bold=True)}</b>", th["contact"]),
        Paragraph(markup(c.brand.contact.phone), th["contact"]),
    ]
    foot_h = sum(f.wrap(w, r.H)[1] + f.getSpaceAfter() for f in footer)
    below: list[Flowable] = []
    if c.tagline:
        below.append(tag(r.para(c.tagline, "tagline"), cover.add("P")))
    image = cover_image(r, cover)
    image_h = image.wrap(w, r.H)[1] + 12 if image is not None else 0.0
    points = [
        tag(Paragraph(inline_markup(p, th.fonts), point_style(th)), cover.add("P"))
        for p in c.points
    ]
    below += points
    for f in footer:
        tag(f, cover.add("P"))
    below_h = sum(f.wrap(w, r.H)[1] + f.getSpaceAfter() for f in below)
    band_top = r.H - r.safe
    lh = r.geo.logo_height
    inset = r.geo.cover_band_inset
    bx, bw = x + inset, w - 2 * inset  # text inside the band keeps off its edges
    inband_h = sum(f.wrap(bw, r.H)[1] + f.getSpaceAfter() for f in inband)
    band_min = lh + inband_h + 0.9 * 72
    room = band_top - (bottom + foot_h + 12) - below_h - 18
    band_h = max(band_min, room - image_h)
    band_h = min(band_h, r.geo.cover_band)
    band_y = band_top - band_h
    with artifact(canv):
        draw_cover_band(r, canv, band_y, band_top)
    with marked(canv, logo_tag):
        if logo is not None:
            logo.draw(canv, bx, band_top - inset - lh, bw, lh, align="left")
        else:
            canv.setFillColor(white)
            fonts, size = th.fonts, r.scale.subtitle
            canv.setFont(fonts.bold, size)
            at = (bx, band_top - inset - size)
            fonts.draw_string(canv, *at, r.brand.name, fonts.bold, size)
    r.fixed(canv, inband, bx, band_y + inband_h + inset, bw, inband_h, "the cover title")
    y = band_y - 14
    parts: list[Flowable] = []
    if c.tagline:
        parts.append(below[0])
    if image is not None:
        parts.append(image)
        parts.append(Spacer(0, 8))
    top = y
    y = r.fixed(canv, parts, x, top, w, top - bottom - foot_h - 12, "the cover")
    indent = point_style(th).leftIndent
    for p in points:
        _, h = p.wrap(w, r.H)
        y -= h
        p.drawOn(canv, x, y)
        with artifact(canv):
            draw_check(canv, x, y + h - th["body"].leading * 0.85, indent * 0.7, th)
        y -= p.getSpaceAfter()
    if y < bottom + foot_h + 6:
        r.problems.append(r.overflow_problem("the cover", bottom + foot_h + 6 - y))
    r.fixed(canv, footer, x, bottom + foot_h, w, foot_h, "the cover footer")
