"""A composed handout's sections → the story a layout flows (:func:`section_story`): each
section's heading (:func:`heading_flowable`), its text, pictures, QR code and tool
(:func:`body_flowables`), callouts and warnings in tinted boxes (:func:`boxed`), a
:class:`~handoutpress.handoutdoc.SectionMark` before each."""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from .block_flowables import block_flowables
from .callus import call_us_phone, call_us_phone_style
from .compose import Composed, ComposedSection
from .fonts import register
from .handoutdoc import SectionMark
from .heading_with_text import HeadingWithText
from .icons import IconHeading
from .lonewords import no_lone_word
from .markdown import Block, Para, plain_text
from .markup import inline_markup
from .qrcodes import QRFlowable
from .styles import Theme
from .tagging import Node, tag

#: one command of a ReportLab ``TableStyle``: its name, the cells it covers, its values
TableCommand = tuple[str | tuple[int, int] | float | Color, ...]


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
    cmds: list[TableCommand] = [
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


def closing_note(blocks: tuple[Block, ...]) -> Para | None:
    """The closing note of a section's text: its last block when that is a paragraph all in
    italics (*This handout does not replace advice from your care team.*), else None. It
    stays the section's last words: a tool (write-in lines, a box to fill in) goes before
    it. (Lines for notes that a layout adds after a section, as under the tri-fold's flap,
    still come after it.)"""
    if not blocks:
        return None
    last = blocks[-1]
    words = [s for s in last.spans if s.text.strip()] if isinstance(last, Para) else []
    if not isinstance(last, Para) or last.icon is not None or not words:
        return None
    return last if all(s.italic for s in words) else None


def body_flowables(
    section: ComposedSection, theme: Theme, qr_side: float = 0, parent: Node | None = None
) -> list[Flowable]:
    """A section's text, pictures and QR code (``qr:``) as flowables; with ``parent``,
    tagged under it (the QR code a ``Figure`` whose alt text names its label and address, then
    a ``Link`` holding the words beside it and the link annotation over both). A section
    with a tool keeps its :func:`closing_note` after the tool: the patient's write-in room
    comes before the words that close the section."""
    blocks = section.blocks
    note = closing_note(blocks) if section.tool is not None else None
    out = block_flowables(blocks[:-1] if note is not None else blocks, theme, parent=parent)
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
    if note is not None:  # never alone at the top of a page: with the text and tool before it
        closing = block_flowables((note,), theme, parent=parent)
        for f in closing:
            f.stays_with_text = True  # (heading_with_text.py)
        out += closing
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
