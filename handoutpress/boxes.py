"""Designed blocks every layout shares: the tiered safety box ("Call 911 right away if…"
over "Call us if…"), the key-points box ("3 things to know"), and a section kept whole
across a fold (or, when it cannot fit one panel, marked continued at both ends).

Each block is built from a :class:`~handoutpress.styles.Theme` and composed sections; the
tiers' headings carry the bundled icons (``stop``, ``phone``) unless the section names
its own (``icon:``); the text is tagged under the ``parent`` node given.
"""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.colors import Color, white
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from .callus import call_us_phone, call_us_phone_style
from .compose import ComposedSection
from .parted_lists import is_lead_in, kept_with_next
from .pictures import PictureFlowable
from .section_story import TableCommand, body_flowables, heading_flowable
from .styles import Theme
from .tagging import Node, tag, tag_artifact

#: section styles drawn as tiers of the one safety box, in the order they are drawn
TIER_STYLES = ("urgent", "warning")
#: the pictogram beside a tier's heading when the section names none (``layouts/icons/``)
TIER_ICONS = {"urgent": "stop", "warning": "phone"}
#: border of the tiered box and the key-points box
BOX_LINE = 1.25
PAD = 8.0


# --------------------------------------------------------------------------- styles


def tier_styles(theme: Theme) -> dict[str, ParagraphStyle]:
    """Paragraph styles of the tiered box, from the theme (the body and heading sizes)."""
    body, heading = theme["body"], theme["heading"]
    fonts = theme.fonts
    return {
        "urgent_head": ParagraphStyle(
            "urgent_head", parent=heading, textColor=white, spaceBefore=0, spaceAfter=0
        ),
        "urgent_body": ParagraphStyle("urgent_body", parent=body, fontName=fonts.bold),
        "warning_head": ParagraphStyle(
            "warning_head",
            parent=heading,
            textColor=theme.colours["warning"],
            spaceBefore=0,
            spaceAfter=2,
        ),
        "phone": call_us_phone_style(body, heading, fonts.bold, theme.colours["text"]),
        "keys_head": ParagraphStyle(
            "keys_head", parent=heading, spaceBefore=0, textColor=theme.colours["primary"]
        ),
    }


def _bold_blocks(section: ComposedSection, theme: Theme, sect: Node | None) -> list[Flowable]:
    """The section's text set in the bold face (the urgent tier)."""
    body = ParagraphStyle("urgent_text", parent=theme["body"], fontName=theme.fonts.bold)
    bold = replace(theme, styles={**theme.styles, "body": body})
    return body_flowables(section, bold, parent=sect)


def _with_tier_styles(theme: Theme) -> Theme:
    return replace(theme, styles={**theme.styles, **tier_styles(theme)})


def _heading(section: ComposedSection, theme: Theme, style: str, sect: Node | None) -> Flowable:
    """The heading with its icon (the tier's own when the section names none)."""
    icon = section.icon or TIER_ICONS.get(section.style)
    return _tag(heading_flowable(replace(section, icon=icon), theme, style), sect, "H2")


def _tag(f: Flowable, sect: Node | None, role: str) -> Flowable:
    return tag(f, sect.add(role)) if sect is not None else f


# --------------------------------------------------------------------------- the tiered box


def tier_sections(sections: tuple[ComposedSection, ...]) -> list[ComposedSection]:
    """The sections that make the tiered box, urgent ones first (each group in file order)."""
    return [s for style in TIER_STYLES for s in sections if s.style == style]


def tiered_box(
    sections: list[ComposedSection],
    theme: Theme,
    width: float,
    phone: str | None,
    parent: Node | None = None,
    band: bool = True,
) -> Table:
    """One box for the safety sections: each ``urgent`` section under a red band with a stop
    icon (heading white and bold, text bold), then each ``warning`` section with the clinic
    ``phone`` at 16 pt or more in bold under its heading (unless its text gives it).
    ``width``: the column; the box's strokes stay inside it. ``parent``: tagged as a
    ``Sect`` per section under it.
    ``band``: False sets the urgent heading in red on the tint instead of white on red (large
    print keeps every text on a light background).

    A row per paragraph, so that a box taller than a page can split between paragraphs
    where the layout lets it (large print); elsewhere it is kept whole."""
    st = tier_styles(theme)
    themed = _with_tier_styles(theme)
    red = theme.colours["warning"]
    tint = theme.colours["warning_light"]
    rows: list[list[Flowable]] = []
    cmds: list[TableCommand] = []

    def tier(flowables: list[Flowable], background: Color | None, rule: bool) -> None:
        first = len(rows)
        rows.extend([f] for f in flowables)
        last = len(rows) - 1
        for i, f in enumerate(flowables[:-1]):  # the space a paragraph keeps under it
            gap = max(f.getSpaceAfter(), flowables[i + 1].getSpaceBefore())
            cmds.append(("BOTTOMPADDING", (0, first + i), (0, first + i), gap))
        if background is not None:
            cmds.append(("BACKGROUND", (0, first), (0, last), background))
        cmds.append(("TOPPADDING", (0, first), (0, first), PAD))
        cmds.append(("BOTTOMPADDING", (0, last), (0, last), PAD - 2))
        if rule and first:
            cmds.append(("LINEABOVE", (0, first), (0, first), BOX_LINE, red))

    for s in sections:
        sect = parent.add("Sect") if parent is not None else None
        if s.style == "urgent":
            head = _heading(s, themed, "urgent_head" if band else "warning_head", sect)
            r = len(rows)
            tier([head], red if band else tint, rule=True)
            cmds.append(("TOPPADDING", (0, r), (0, r), 6))
            cmds.append(("BOTTOMPADDING", (0, r), (0, r), 6))
            body = len(rows)
            tier(_bold_blocks(s, theme, sect), tint, rule=False)
            # under the band as much room above the first line's ink as under the last's
            cmds.append(("TOPPADDING", (0, body), (0, body), PAD - 4))
        else:
            inner: list[Flowable] = [_heading(s, themed, "warning_head", sect)]
            if shown := call_us_phone(s, phone):  # (unless its text gives it)
                big = Paragraph(theme.fonts.markup(shown, bold=True), st["phone"])
                inner.append(_tag(big, sect, "P"))
            inner += body_flowables(s, theme, parent=sect)
            tier(inner, None, rule=True)
    t = Table(rows, colWidths=[width - BOX_LINE])
    t.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (0, 0), (-1, -1), theme.fonts.regular),
                ("BOX", (0, 0), (-1, -1), BOX_LINE, red),
                *cmds,
            ]
        )
    )
    t.hAlign = "CENTER"  # (width - line) centred: the stroke's outer edges are the column's
    t.spaceBefore = 4
    t.spaceAfter = 8
    return t


# --------------------------------------------------------------------------- key points


def keypoints_box(
    section: ComposedSection,
    theme: Theme,
    width: float,
    parent: Node | None = None,
    rule: bool = True,
) -> Table:
    """The few things to know: a heading and the section's list on the light tint, with a
    thick accent rule on top (``rule``; False: the layout draws it, as the tri-fold does in
    place of a panel's rule). ``parent``: tagged as a ``Sect`` under it."""
    sect = parent.add("Sect") if parent is not None else None
    heading = heading_flowable(section, _with_tier_styles(theme), "keys_head")
    inner: list[Flowable] = [
        _tag(heading, sect, "H2"),
        *body_flowables(section, theme, parent=sect),
    ]
    t = Table([[inner]], colWidths=[width])
    t.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), theme.colours["light"]),
                # (butt ends: ReportLab's default round caps stick 2 pt out past the tint)
                *([("LINEABOVE", (0, 0), (-1, 0), 4, theme.colours["accent"], 0)] if rule else []),
                ("LEFTPADDING", (0, 0), (-1, -1), PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
                # (the heading's line has room above its capitals: the ink under the rule
                # and over the box's foot come out even)
                ("TOPPADDING", (0, 0), (-1, -1), PAD - 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), PAD - 2),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (0, 0), (-1, -1), theme.fonts.regular),
            ]
        )
    )
    t.spaceBefore = 2
    t.spaceAfter = 10
    return t


# --------------------------------------------------------------------------- whole sections


def _is_item(f: Flowable | None) -> bool:
    return isinstance(f, Paragraph) and bool(getattr(f, "bulletText", None))


def _is_sub(f: Flowable | None) -> bool:
    """A paragraph inside a list item (indented, with no bullet of its own)."""
    return isinstance(f, Paragraph) and f.style.name.startswith("bullet") and not _is_item(f)


def groups(flowables: list[Flowable]) -> list[list[Flowable]]:
    """The places a section may break: never inside a list, never between a list and the
    sentence that leads into it (a paragraph ending in a colon), never after a heading."""
    out: list[list[Flowable]] = []
    for f in flowables:
        prev = out[-1] if out else None
        last = prev[-1] if prev else None
        in_list = (_is_item(f) or _is_sub(f)) and (
            _is_item(last) or _is_sub(last) or _leads_in(last)
        )
        if prev is not None and (in_list or _is_heading(last)):
            prev.append(f)
        else:
            out.append([f])
    return out


def _leads_in(f: Flowable | None) -> bool:
    if not isinstance(f, Paragraph):
        return False
    text = f.getPlainText().rstrip()
    return text.endswith(":") or _is_heading(f)


def _is_heading(f: Flowable | None) -> bool:
    return isinstance(f, Paragraph) and f.style.name.startswith("heading")


def _lines(f: Flowable, width: float) -> int:
    """Lines of a paragraph wrapped at ``width`` (anything else counts as two: enough)."""
    if not isinstance(f, Paragraph):
        return 2
    if getattr(f, "blPara", None) is None:
        f.wrap(width, 0xFFFFFF)
    return len(f.blPara.lines)


def strands(first: list[Flowable], width: float) -> bool:
    """Whether ``first``, the part of a section that ends a panel, is its heading over
    fewer than two lines of its text (the rest of the section in the next panel)."""
    if not first or not _is_heading(first[0]):
        return False
    return sum(_lines(f, width) for f in first[1:]) < 2


def kept_apart(first: list[Flowable], rest: list[Flowable], width: float) -> bool:
    """Whether a section may break between ``first`` (ending a panel) and ``rest``: the
    heading over two lines or more, and a list broken there two of its items or two lines
    of them on this side (a lead-in over one line of a list reads as a list cut short; the
    last two items stay together on the other side: ``keep_last_two``)."""
    if not first or strands(first, width):
        return False
    if not rest or not (_is_item(rest[0]) or _is_sub(rest[0])):
        return True  # (not inside a list)
    items = lines = 0
    for f in reversed(first):
        if not (_is_item(f) or _is_sub(f)):
            break
        items += _is_item(f)
        lines += _lines(f, width)
    return items >= 2 or lines >= 2


class WholeSection(Flowable):
    """A section's flowables kept in one panel: when they do not fit what is left of this
    panel, they move whole to the next. A section taller than a whole panel breaks between
    :func:`groups` (and inside one only when it alone is taller). When the content cannot
    fit otherwise, ``may_split`` 1 lets any section break between groups, 2 inside them;
    the first part ends with ``more`` ("Continued in the next panel") and the second starts
    with the heading and ``continued``.

    A first part that is the heading over fewer than two lines of its text (a one-line
    paragraph, then a lead-in and a list kept whole in the next panel) is noted in
    ``stranded``; with ``keep_heading`` it is not made: the section breaks inside the group
    after that line instead (a list split by its own rules: its last two items together,
    the lead-in with its first item, two items or lines of it on this side,
    :func:`kept_apart`), or, where no such break fits and the section is not at the top of
    a panel, it moves whole to the next panel (split there, at its top, by the same rules
    when it is taller than a panel). At a panel's top with no such break, as before."""

    def __init__(
        self,
        flowables: list[Flowable],
        theme: Theme,
        heading: str,
        more: str,
        continued: str,
        may_split: int = 0,
        keep_heading: bool = False,
        stranded: list[str] | None = None,
        parted: list[tuple[bool, str]] | None = None,
    ) -> None:
        super().__init__()
        self.flowables = flowables
        self.theme = theme
        self.heading = heading
        self.more = more
        self.continued = continued
        self.may_split = may_split
        self.keep_heading = keep_heading
        #: where a split that ends a panel with the heading over one line is noted (its
        #: heading), shared by the parts; the layout lays out again with ``keep_heading``
        self.stranded = stranded
        #: where a split parts a list's kept flowables (:mod:`~handoutpress.parted_lists`):
        #: (after its lead-in, else before its last item; the id of the panel the split
        #: ends), shared by the parts
        self.parted = parted
        self._sizes: list[tuple[float, float]] = []
        #: set when this section was split across a fold (the renderer reports it)
        self.was_split = False

    def getSpaceBefore(self) -> float:
        return float(self.flowables[0].getSpaceBefore()) if self.flowables else 0.0

    def getSpaceAfter(self) -> float:
        return float(self.flowables[-1].getSpaceAfter()) if self.flowables else 0.0

    @staticmethod
    def stack(flowables: list[Flowable], width: float, height: float) -> list[tuple[float, float]]:
        """(gap above, height) of each flowable stacked at ``width``; one that
        ``fills_rest`` (notes lines over a closing note: notes_lines.NotesBeforeNote) is
        given the room left under the ones above it."""
        sizes = []
        prev_after = used = 0.0
        for i, f in enumerate(flowables):
            gap = 0.0 if i == 0 else max(prev_after, f.getSpaceBefore())
            room = height - used - gap if getattr(f, "fills_rest", False) else height
            _, h = f.wrap(width, room)
            sizes.append((gap, h))
            used += gap + h
            prev_after = f.getSpaceAfter()
        return sizes

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._sizes = self.stack(self.flowables, availWidth, availHeight)
        self.width = availWidth
        self.height = sum(g + h for g, h in self._sizes)
        return self.width, self.height

    def draw(self) -> None:
        y = self.height
        for f, (gap, h) in zip(self.flowables, self._sizes, strict=True):
            y -= gap + h
            f.drawOn(self.canv, self.indent(f), y)

    def indent(self, f: Flowable) -> float:
        """Where ``f`` starts: a picture centred in the panel as a frame would centre it
        (``hAlign``), everything else at the panel's left (a box as wide as the narrowest
        panel keeps its left edge on the text's)."""
        if isinstance(f, PictureFlowable) and f.hAlign == "CENTER":
            return max(0.0, (self.width - f.width) / 2)
        return 0.0

    def part(self, flowables: list[Flowable]) -> WholeSection:
        return WholeSection(
            flowables,
            self.theme,
            self.heading,
            self.more,
            self.continued,
            self.may_split,
            self.keep_heading,
            self.stranded,
            self.parted,
        )

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        at_top = frame is not None and bool(getattr(frame, "_atTop", False))
        if not at_top and not self.may_split:
            return []  # whole, in the next panel
        mark = tag_artifact(Paragraph(self.more, self.theme["small"]))
        _, mark_h = mark.wrap(availWidth, availHeight)
        room = availHeight - mark_h - 4
        first: list[Flowable] = []
        rest: list[Flowable] = []
        for group in groups(self.flowables):
            if rest:
                rest += group
                continue
            sizes = self.stack([*first, *group], availWidth, room)
            if sum(g + h for g, h in sizes) <= room + 1e-6:
                first += group
            else:
                rest = list(group)
        if not rest:
            return [self]
        kept = (first, rest)
        # the heading over fewer than two lines: no first part to keep, broken anew inside
        rebroken = self.keep_heading and strands(first, availWidth)
        if rebroken:
            first, rest = [], [*first, *rest]
        if not first or (self.may_split > 1 and not at_top):
            if not at_top and self.may_split < 2:
                return []
            more, rest = self.split_inside(rest, availWidth, room - self.used(first, rest))
            first = first + more
        if rebroken and not kept_apart(first, rest, availWidth):
            if not at_top:
                return []  # whole, in the next panel
            first, rest = kept  # (taller than a panel, its list unbreakable: as before)
        if not first:
            return []
        if self.stranded is not None and strands(first, availWidth):
            self.stranded.append(self.heading)
        ends_kept = kept_with_next(first[-1])
        if self.parted is not None and ends_kept is not None:
            self.parted.append((is_lead_in(ends_kept), getattr(frame, "id", "")))
        head = tag_artifact(Paragraph(f"{self.heading} {self.continued}", self.theme["heading"]))
        self.was_split = True
        return [self.part([*first, mark]), self.part([head, *rest])]

    def used(self, first: list[Flowable], rest: list[Flowable]) -> float:
        """Height of ``first`` and the gap before the first of ``rest``."""
        if not first:
            return 0.0
        sizes = self.stack([*first, *rest[:1]], self.width or 0xFFFF, 0xFFFF)
        return sum(g + h for g, h in sizes[:-1]) + sizes[-1][0]

    def split_inside(
        self, flowables: list[Flowable], width: float, room: float
    ) -> tuple[list[Flowable], list[Flowable]]:
        """A group taller than a whole panel: as many flowables as fit, the one at the foot
        split by its own rules."""
        first: list[Flowable] = []
        used = 0.0
        prev_after = 0.0
        for i, f in enumerate(flowables):
            gap = 0.0 if not first else max(prev_after, f.getSpaceBefore())
            _, h = f.wrap(width, room - used - gap)
            if used + gap + h <= room + 1e-6:
                first.append(f)
                used += gap + h
                prev_after = f.getSpaceAfter()
                continue
            parts = f.split(width, room - used - gap) if room - used - gap > 0 else []
            if parts:
                return [*first, parts[0]], [*parts[1:], *flowables[i + 1 :]]
            while first and first[-1].getKeepWithNext():  # (a list's last two items, a
                first.pop()  # lead-in and its first item, a heading: on together)
                i -= 1
            return first, flowables[i:]
        return first, []
