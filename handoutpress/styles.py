"""Brand + layout type scale → colours and paragraph styles: the :class:`Theme` a layout
draws with (the flowables made from a handout's text are :mod:`.block_flowables` and
:mod:`.section_story`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from .fonts import FontSet, register
from .images import Logo
from .markdown import Inline
from .markup import inline_markup
from .models import Brand, TypeScale


def palette(brand: Brand) -> dict[str, Color]:
    c = brand.colors
    out = {name: HexColor(getattr(c, name)) for name in type(c).model_fields}
    out["white"] = white
    return out


@dataclass
class Theme:
    """Every style a layout uses, made once per document."""

    fonts: FontSet
    colours: dict[str, Color]
    scale: TypeScale
    styles: dict[str, ParagraphStyle] = field(default_factory=dict)
    #: the handout's language (icons' alt text, field words)
    language: str = "en"
    #: prepares a raster picture for the output (press: CMYK); None: drawn as it is
    raster: Callable[[Logo], Logo] | None = None
    #: makes the paragraphs (a mailing's memo of those with no recipient value); None: parsed
    paragraph: Callable[[Inline, ParagraphStyle], Paragraph] | None = None

    def __getitem__(self, name: str) -> ParagraphStyle:
        return self.styles[name]

    def paragraph_of(self, spans: Inline, style: ParagraphStyle) -> Paragraph:
        make = self.paragraph
        return make(spans, style) if make else Paragraph(inline_markup(spans, self.fonts), style)


def make_theme(brand: Brand, scale: TypeScale, fonts: FontSet | None = None) -> Theme:
    """``fonts``: the brand's (:func:`~handoutpress.fonts.brand_fonts`); bundled if not given."""
    fonts = fonts or register()
    col = palette(brand)
    body = ParagraphStyle(
        "body",
        fontName=fonts.regular,
        fontSize=scale.body,
        leading=scale.body_leading,
        textColor=col["text"],
        spaceAfter=scale.body_leading * 0.45,
        alignment=TA_LEFT,
        splitLongWords=1,
        allowWidows=0,
        allowOrphans=0,
    )
    s: dict[str, ParagraphStyle] = {"body": body}
    s["heading"] = ParagraphStyle(
        "heading",
        parent=body,
        fontName=fonts.bold,
        fontSize=scale.heading,
        leading=scale.heading_leading,
        textColor=col["primary"],
        spaceBefore=scale.body_leading * 0.55,
        spaceAfter=scale.body_leading * 0.25,
        keepWithNext=1,
    )
    s["heading_warning"] = ParagraphStyle(
        "heading_warning", parent=s["heading"], textColor=col["warning"], spaceBefore=0
    )
    s["heading_callout"] = ParagraphStyle("heading_callout", parent=s["heading"], spaceBefore=0)
    s["title"] = ParagraphStyle(
        "title",
        parent=body,
        fontName=fonts.bold,
        fontSize=scale.title,
        leading=scale.title * 1.12,
        textColor=col["primary"],
        spaceAfter=scale.title * 0.3,
    )
    s["subtitle"] = ParagraphStyle(
        "subtitle",
        parent=body,
        fontSize=scale.subtitle,
        leading=scale.subtitle * 1.25,
        textColor=col["text"],
        spaceAfter=scale.subtitle * 0.5,
    )
    s["tagline"] = ParagraphStyle(
        "tagline",
        parent=s["subtitle"],
        fontName=fonts.italic,
        textColor=col["primary"],
    )
    s["small"] = ParagraphStyle(
        "small",
        parent=body,
        fontSize=scale.small,
        leading=scale.small * 1.25,
        textColor=col["muted"],
        spaceAfter=0,
    )
    s["small_center"] = ParagraphStyle("small_center", parent=s["small"], alignment=TA_CENTER)
    label = scale.label or scale.small
    s["label"] = ParagraphStyle(
        "label",
        parent=s["small"],
        fontName=fonts.bold,
        fontSize=label,
        leading=label * 1.25,
        textColor=col["text"],
    )
    s["mark"] = ParagraphStyle(
        "mark",
        parent=s["small"],
        fontName=fonts.bold,
        textColor=col["warning"],
        alignment=TA_CENTER,
        fontSize=max(scale.small, 7.5),
        leading=max(scale.small, 7.5) * 1.2,
    )
    s["contact"] = ParagraphStyle("contact", parent=body, spaceAfter=2)
    s["contact_big"] = ParagraphStyle(
        "contact_big",
        parent=body,
        fontName=fonts.bold,
        fontSize=scale.heading * 1.25,
        leading=scale.heading * 1.5,
        textColor=col["primary"],
        spaceAfter=2,
    )
    s["band_title"] = ParagraphStyle("band_title", parent=s["title"], textColor=white, spaceAfter=0)
    s["band_subtitle"] = ParagraphStyle(
        "band_subtitle", parent=s["subtitle"], textColor=white, spaceAfter=0
    )
    return Theme(fonts=fonts, colours=col, scale=scale, styles=s)
