"""Brand + layout type scale → colours, paragraph styles and story flowables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from .callus import call_us_phone, call_us_phone_style
from .compose import Composed, ComposedSection
from .fonts import FontSet, register
from .icons import IconHeading, IconItem
from .images import Logo
from .lonewords import no_lone_word
from .markdown import Block, Inline, ListBlock, Para, Picture, plain_text
from .markup import inline_markup
from .models import Brand, TypeScale
from .pictures import picture_flowable
from .qrcodes import QRFlowable
from .tagging import Node, tag, tag_artifact


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


# --------------------------------------------------------------------------- story


class SectionMark(Flowable):
    """Zero-size marker: the document notes which section is being laid out."""

    def __init__(self, section: ComposedSection) -> None:
        super().__init__()
        self.section = section
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


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

    def __init__(self, heading: Any, blocks: list[Any]) -> None:
        super().__init__()
        if isinstance(heading, Flowable):  # (not a mailing's Shared: its paragraph has it)
            heading.keepWithNext = 0  # this container keeps it with the text
        self.heading = heading
        self.blocks = blocks

    def children(self) -> list[Any]:
        return [self.heading, *self.blocks]

    def with_children(self, children: list[Any]) -> HeadingWithText:
        return HeadingWithText(children[0], children[1:])

    def getSpaceBefore(self) -> float:
        return float(self.heading.getSpaceBefore())

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, 0xFFFFFF

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        everything: list[Flowable] = [self.heading, *self.blocks]
        frame = getattr(self, "_frame", None)
        if frame is not None and getattr(frame, "_atTop", False):
            return everything  # nothing gained by waiting for the next page
        _, used = self.heading.wrap(availWidth, availHeight)
        after = self.heading.getSpaceAfter()
        lines = 0
        # a tool to fill in (tools.py) stays on the page of the heading and text before it
        tool_at = next(
            (n for n, b in enumerate(self.blocks) if getattr(b, "stays_with_text", False)), -1
        )
        for i, block in enumerate(self.blocks):
            room = availHeight - used - max(after, block.getSpaceBefore())
            _, h = block.wrap(availWidth, max(room, 0))
            if i == tool_at and h > room + 1e-6:
                return []
            if h <= room + 1e-6:
                lines += _lines(block, availWidth)
                if lines >= self.MIN_LINES and i >= tool_at:
                    return everything
                used += max(after, block.getSpaceBefore()) + h
                after = block.getSpaceAfter()
                continue
            parts = block.split(availWidth, room) if room > 0 else []
            if parts:
                parts[0].wrap(availWidth, room)
                lines += _lines(parts[0], availWidth)
            if not parts or lines < self.MIN_LINES:
                return []
            return [*everything[: i + 1], *parts, *self.blocks[i + 1 :]]
        return everything


def _lines(flowable: Any, width: float) -> int:
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


def _bullet_style(
    theme: Theme,
    depth: int,
    last: bool,
    icons: bool = False,
    base: float | None = None,
    number_w: float | None = None,
) -> ParagraphStyle:
    """A list item's style, its bullet ``base`` points in (default: a step per ``depth``);
    ``icons``: room for pictograms; ``number_w``: a numbered list's widest label ("10."):
    numbers right-aligned to it, every line of every item starting at one x."""
    body = theme["body"]
    indent = body.fontSize * 1.3
    at = indent * depth if base is None else base
    room = body.fontSize * (IconItem.SIZE + 0.55) - indent if icons else 0.0
    left, bullet_at, anchor = at + indent + room, at + 1, "start"
    if number_w is not None:
        # ReportLab starts the first line at least 0.6 x the bullet's size after the
        # bullet's end: the text starts there (or a step in) for every number alike
        gap = body.fontSize * 0.6
        bullet_at = at + 1 + number_w
        left = at + max(indent, 1 + number_w + gap + 0.01)
        anchor = "end"
    return ParagraphStyle(
        f"bullet{depth}{int(last)}{'i' if icons else ''}{'n' if number_w is not None else ''}",
        parent=body,
        leftIndent=left,
        bulletIndent=bullet_at,
        bulletAnchor=anchor,
        bulletFontName=theme.fonts.regular,
        bulletFontSize=body.fontSize,
        spaceAfter=body.spaceAfter if last else body.leading * 0.15,
    )


def _number_width(block: ListBlock, theme: Theme) -> float:
    """The widest label of a numbered list ("9." or "10."), at the body size."""
    size = theme["body"].fontSize
    labels = (f"{block.start + i}." for i in range(len(block.items)))
    return max(theme.fonts.string_width(label, theme.fonts.regular, size) for label in labels)


def block_flowables(
    blocks: tuple[Block, ...],
    theme: Theme,
    depth: int = 0,
    parent: Node | None = None,
    base: float = 0.0,
) -> list[Flowable]:
    """Paragraphs and lists as flowables; with ``parent``, each tagged as a ``P`` or an
    ``L`` of ``LI`` (``Lbl`` bullet, ``LBody`` text) under it, in order. ``base``: how far
    in the text of the list item these blocks belong to starts (0 at the top level)."""
    out: list[Flowable] = []
    for block in blocks:
        if isinstance(block, Picture):
            picture = picture_flowable(block, theme.fonts, raster=theme.raster)
            if parent is not None:  # a Figure with its alt text, or decoration
                if picture.decorative:
                    tag_artifact(picture)
                else:
                    tag(picture, parent.add("Figure", alt=picture.alt))
            out.append(picture)
        elif isinstance(block, Para):
            # a list item's further paragraph starts where the item's text does
            style = theme["body"]
            if depth:
                indent = style.fontSize * 1.3
                style = _bullet_style(theme, depth - 1, True, base=base - indent)
            p = theme.paragraph_of(block.spans, style)
            if parent is not None:
                # a list item's further paragraph is part of its body
                tag(p, parent if parent.role == "LBody" and depth else parent.add("P"))
            out.append(p)
        elif isinstance(block, ListBlock):
            n = len(block.items)
            lst = parent.add("L") if parent is not None else None
            icons = any(isinstance(it[0], Para) and it[0].icon for it in block.items if it)
            number_w = _number_width(block, theme) if block.ordered and not icons else None
            for i, item in enumerate(block.items):
                bullet = f"{block.start + i}." if block.ordered else "\u2022"
                style = _bullet_style(theme, depth, i == n - 1, icons, base, number_w)
                body: Node | None = None
                label: Node | None = None
                first, *rest = item or (Para(()),)
                icon = first.icon if isinstance(first, Para) else None
                if lst is not None:
                    li = lst.add("LI")
                    label = None if icon else li.add("Lbl")  # a pictogram has no text
                    body = li.add("LBody")
                if isinstance(first, Para):
                    markup = inline_markup(first.spans, theme.fonts)
                    if icon:
                        p = IconItem(markup, style, icon, theme.colours["primary"])
                    else:
                        p = Paragraph(markup, style, bulletText=bullet)
                    if body is not None:
                        tag(p, body, label)
                    out.append(p)
                else:
                    rest = [first, *rest]
                for sub in rest:
                    out.extend(block_flowables((sub,), theme, depth + 1, body, style.leftIndent))
    return out


def boxed(
    inner: list[Flowable],
    background: Color,
    border: Color,
    width: float,
    bar: bool,
    font: str | None = None,
) -> Table:
    """A tinted box around ``inner`` (callouts and warnings); ``font``: the body face.

    The strokes stay inside ``width`` (a stroke is centred on the box's edge: the table is
    narrower by half of each and placed to the right); the space under the last line matches
    the space above the first (the heading's leading adds about 3 pt above).
    """
    pad = 7
    bar_w, box_w = (4.0, 0.75) if bar else (0.0, 0.0)
    t = Table([[inner]], colWidths=[width - bar_w / 2 - box_w / 2], hAlign="RIGHT")
    cmds: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, -1), background),
        ("LEFTPADDING", (0, 0), (-1, -1), pad + (1 if bar else 0)),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        # the cell's own font is never used for text, but Table sets it: keep it embedded
        ("FONT", (0, 0), (-1, -1), font or register().regular),
    ]
    if bar:
        cmds.append(("LINEBEFORE", (0, 0), (0, -1), bar_w, border))
        cmds.append(("BOX", (0, 0), (-1, -1), box_w, border))
    t.setStyle(TableStyle(cmds))
    t.spaceBefore = 4
    t.spaceAfter = 6
    return t


def heading_flowable(section: ComposedSection, theme: Theme, style: str) -> Paragraph:
    """A section's heading in ``style``, with its icon (``icon:``) beside it when it has one."""
    if section.icon is None:  # (no word alone on its last line: lonewords.py)
        return no_lone_word(theme.paragraph_of(section.heading, theme[style]))
    markup, para_style = inline_markup(section.heading, theme.fonts), theme[style]
    return IconHeading(markup, para_style, section.icon, para_style.textColor, theme.language)


def body_flowables(
    section: ComposedSection, theme: Theme, qr_side: float = 0, parent: Node | None = None
) -> list[Flowable]:
    """A section's text, pictures and QR code (``qr:``) as flowables; with ``parent``,
    tagged under it (the QR code a ``Figure`` whose alt text names its label and address, then
    a ``Link`` holding the words beside it and the link annotation over both)."""
    out = block_flowables(section.blocks, theme, parent=parent)
    if section.qr is not None:
        url, label = section.qr
        body = theme["body"]
        url_style = ParagraphStyle(
            "qr_url",
            parent=body,
            fontSize=theme.scale.small + 1,
            leading=(theme.scale.small + 1) * 1.25,
        )
        code = QRFlowable(
            url,
            f"<b>{inline_markup(label, theme.fonts)}</b>",
            ParagraphStyle("qr_label", parent=body, spaceAfter=0),
            url_style,
            side=qr_side,
            label_text=plain_text(label),
        )
        if parent is not None:  # the code a Figure, then the link: its words and annotation
            code.figure = parent.add("Figure", alt=code.alt)
            code.link = parent.add("Link")
        out.append(code)
    if section.tool is not None:
        from .tools import tool_flowable

        out.append(tool_flowable(section.tool, theme, parent))
    return out


def _call_us(section: ComposedSection, c: Composed, th: Theme, sect: Node | None) -> list[Flowable]:
    if (phone := call_us_phone(section, c.brand.contact.phone)) is None:
        return []
    style = call_us_phone_style(th["body"], th["heading"], th.fonts.bold, th.colours["text"])
    big = Paragraph(th.fonts.markup(phone, bold=True), style)
    return [tag(big, sect.add("P")) if sect is not None else big]


def section_story(
    composed: Composed,
    theme: Theme,
    width: float,
    *,
    split_after_heading: bool = False,
    parent: Node | None = None,
) -> list[Flowable]:
    """Every section as flowables, each preceded by a :class:`SectionMark`; with ``parent``,
    tagged as a ``Sect`` under it (``H2`` heading, then the blocks).

    ``split_after_heading``: a heading and its text are a :class:`HeadingWithText` (the
    page may break after the first two lines of the text) instead of a heading kept with
    the whole next paragraph (ReportLab's keep-with-next, which moves a long first
    paragraph and its heading to the next page and leaves the foot of this one empty).
    For layouts that flow over pages; a tri-fold's panels balance by their heights.
    """
    story: list[Flowable] = []
    for section in composed.sections:
        story.append(SectionMark(section))
        sect = parent.add("Sect") if parent is not None else None
        warning = section.style in ("warning", "urgent")  # (layouts tier them: boxes.py)
        if section.style == "normal":
            heading = heading_flowable(section, theme, "heading")
        else:
            head_style = "heading_warning" if warning else "heading_callout"
            heading = heading_flowable(section, theme, head_style)
        if sect is not None:
            tag(heading, sect.add("H2"))
        body = _call_us(section, composed, theme, sect)  # (the tiered box shows it too)
        body += body_flowables(section, theme, parent=sect)
        if section.style == "normal":
            if split_after_heading:
                story.append(HeadingWithText(heading, body))
            else:
                story.append(heading)
                story.extend(body)
            continue
        inner: list[Flowable] = [heading, *body]
        story.append(
            boxed(
                inner,
                theme.colours["warning_light" if warning else "light"],
                theme.colours["warning" if warning else "primary"],
                width,
                bar=warning,
                font=theme.fonts.regular,
            )
        )
    return story
