"""Tools to fill in, drawn after a section's text: a pain log, write-in lines, an appointment box.

:func:`tool_flowable` turns a :class:`~handoutpress.toolspec.ComposedTool` into a flowable
sized by the theme's type (so large print draws bigger boxes). Tagging: the words (the
scale's numbers and its words for 0 and 10, the log's day and time labels, the fields'
labels and values) are tagged text under ``parent`` (a ``P``; a ``Table`` of ``TR`` with
``TH`` cells); the faces, boxes and lines are artifacts (the words say what they mean).
A layout too narrow for a pain log is a located error naming the layouts that can show it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from .errors import HandoutError, Problem
from .formfields import FieldsBlock, FieldStyles
from .markdown import Inline
from .strings import strings_for
from .tagging import Node, artifact, tag
from .toolspec import ComposedTool

if TYPE_CHECKING:
    from .styles import Theme

#: the numbers the faces scale shows (the numbers line shows every one from 0 to 10)
FACES = (0, 2, 4, 6, 8, 10)
#: a pain log is never wider than this (a wide sheet keeps the boxes near their labels)
MAX_LOG_WIDTH = 5.2 * 72
#: the narrowest column of boxes that is still easy to write a number in (a row a day)
MIN_BOX_COLUMN = 0.75 * 72
#: the narrowest day column (a column a day): a box for "10" with room around it
MIN_DAY_COLUMN = 0.55 * 72


def tool_flowable(tool: ComposedTool, theme: Theme, parent: Node | None = None) -> Flowable:
    """The flowable for ``tool``, tagged under ``parent`` (the section's ``Sect``)."""
    if tool.kind == "pain-log":
        return PainLog(tool, theme, parent)
    if tool.kind == "write-in":
        return WriteInLines(tool.lines, theme, tool.label, parent)
    return appointment_block(tool, theme, parent)


def _cell_markup(theme: Theme, spans: Inline | str, bold: bool = False) -> str:
    from .markup import inline_markup

    if isinstance(spans, str):
        text = theme.fonts.markup(spans, bold)
    else:
        text = inline_markup(spans, theme.fonts)
    return f"<b>{text}</b>" if bold else text


class PainLog(Flowable):
    """A 0-10 scale (faces or a number line, the words for 0 and 10 under its ends) above a
    table of boxes to write a number in: a column a day and a row a time of day where the
    column is wide enough for every day (a sheet), else a row a day (a narrow panel, large
    print)."""

    #: moves to the next page with the heading and text before it (HeadingWithText)
    stays_with_text = True

    def __init__(self, tool: ComposedTool, theme: Theme, parent: Node | None) -> None:
        super().__init__()
        self.tool = tool
        self.theme = theme
        body = theme["body"]
        self.size = body.fontSize
        self.cell_style = ParagraphStyle(
            "log_cell", parent=body, alignment=TA_CENTER, spaceBefore=0, spaceAfter=0
        )
        self.number_style = ParagraphStyle(
            "log_number", parent=self.cell_style, fontName=theme.fonts.bold
        )
        self.row = max(body.leading * 1.55, 0.3 * 72)
        self.face = max(self.size * 1.9, 0.32 * 72)  # a face's diameter
        # the structure, in reading order: the scale's words, then the table (its rows are
        # added when it is drawn, once the layout has chosen which way it runs)
        self.scale_node = parent.add("P") if parent is not None else None
        self.table_node = parent.add("Table") if parent is not None else None
        self.day_w = max(self._text_width(d) for d in (*tool.days, tool.day_heading)) + 12
        self.time_w = max(self._text_width(t) for t in tool.times) + 12
        #: True: a column a day (set by wrap)
        self.across = False
        self.width = self.height = 0.0

    def _text_width(self, text: str | Inline) -> float:
        fonts = self.theme.fonts
        words = text if isinstance(text, str) else "".join(s.text for s in text)
        return float(fonts.string_width(words, fonts.bold, self.size))

    def box_column(self) -> float:
        """The narrowest day column: room for a 2-digit number and the widest day label."""
        return max(MIN_DAY_COLUMN, self.day_w)

    def width_down(self) -> float:
        """The width a row a day needs: the day labels, then a column a time of day."""
        return self.day_w + len(self.tool.times) * max(MIN_BOX_COLUMN, self.time_w)

    def width_across(self) -> float:
        """The width a column a day needs: the time labels, then a column a day."""
        return self.time_w + len(self.tool.days) * self.box_column()

    def scale_height(self) -> float:
        words = self.cell_style.leading
        if self.tool.scale == "faces":
            return self.face + 4 + self.cell_style.leading + words + 8
        return self.size * 0.8 + 4 + self.cell_style.leading + words + 8

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        t = self.tool
        need = self.width_down()
        if availWidth + 0.01 < need:
            raise HandoutError(
                [
                    Problem(
                        t.location,
                        t.field,
                        f"a pain log with {len(t.times)} times of day needs "
                        f"{need / 72:.1f} in and this layout's column is {availWidth / 72:.1f} in "
                        "wide; give fewer times, or show it in the sheet, large-print or "
                        "letter layouts",
                    )
                ]
            )
        self.across = availWidth + 0.01 >= self.width_across()
        if self.across:
            self.width = availWidth
            self.label_w = self.time_w
            self.columns = len(t.days)
            rows = len(t.times) + 1
        else:
            self.width = min(availWidth, max(MAX_LOG_WIDTH, need))
            self.label_w = self.day_w
            self.columns = len(t.times)
            rows = len(t.days) + 1
        self.col_w = (self.width - self.label_w) / self.columns
        self.height = self.scale_height() + rows * self.row + 4
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []  # the scale and the week stay together

    def getSpaceAfter(self) -> float:
        return float(self.theme["body"].spaceAfter)

    # -- drawing -------------------------------------------------------------------------
    def _words(self, markup: str, style: ParagraphStyle, node: Node | None, x: float,
               base: float, width: float) -> None:  # fmt: skip
        """``markup`` centred on ``x`` in ``width``, its baseline at ``base``."""
        p = Paragraph(markup, style)
        if node is not None:
            tag(p, node)
        _, h = p.wrap(width, 1000)
        descent = style.leading - style.fontSize
        p.drawOn(self.canv, x - width / 2, base - descent * 0.8 - (h - style.leading))

    def draw(self) -> None:
        canv = self.canv
        top = self.height
        self._draw_scale(canv, top)
        self._draw_table(canv, top - self.scale_height())

    def _scale_positions(self) -> list[tuple[int, float]]:
        values = FACES if self.tool.scale == "faces" else tuple(range(11))
        # the scale spans the columns of boxes (over the numbers to write)
        left = self.label_w + self.face / 2
        right = min(self.width, self.label_w + 6.5 * 72) - self.face / 2
        step = (right - left) / (len(values) - 1)
        return [(v, left + i * step) for i, v in enumerate(values)]

    def _draw_scale(self, canv: Canvas, top: float) -> None:
        th = self.theme
        positions = self._scale_positions()
        colour = th.colours["primary"]
        if self.tool.scale == "faces":
            cy = top - self.face / 2
            with artifact(canv):  # the faces: the numbers and words below say what they mean
                for n, (_, x) in enumerate(positions):
                    _face(canv, x, cy, self.face / 2, 1 - 2 * n / (len(positions) - 1), colour)
            number_base = top - self.face - 4 - self.cell_style.fontSize
        else:
            y = top - self.size * 0.4
            with artifact(canv):  # the number line and its ticks
                canv.setStrokeColor(colour)
                canv.setLineWidth(1.2)
                canv.line(positions[0][1], y, positions[-1][1], y)
                for _, x in positions:
                    canv.line(x, y - self.size * 0.4, x, y + self.size * 0.4)
            number_base = y - self.size * 0.4 - 4 - self.cell_style.fontSize
        gap = positions[1][1] - positions[0][1]
        low, high = self.tool.scale_words
        word_base = number_base - self.cell_style.leading
        first, last = positions[0][1], positions[-1][1]
        half = (last - first) / 2  # each word keeps to its half
        left = ParagraphStyle("log_low", parent=self.cell_style, alignment=TA_LEFT)
        right = ParagraphStyle("log_high", parent=self.cell_style, alignment=TA_RIGHT)
        for v, x in positions:
            self._words(_cell_markup(th, str(v), True), self.number_style, self.scale_node, x,
                        number_base, gap)  # fmt: skip
            if v == 0:  # "No pain" under the 0, from the face's left edge
                start = first - self.face / 2
                self._words(_cell_markup(th, low), left, self.scale_node, start + half / 2,
                            word_base, half)  # fmt: skip
        # "Worst pain" under the 10, to the face's right edge (read after the numbers)
        end = last + self.face / 2
        self._words(_cell_markup(th, high), right, self.scale_node, end - half / 2, word_base,
                    half)  # fmt: skip

    def _draw_table(self, canv: Canvas, top: float) -> None:
        th = self.theme
        t = self.tool
        days: list[str | Inline] = list(t.days)
        times: list[str | Inline] = list(t.times)
        if self.across:
            corner, heads, labels = "", days, times
        else:
            corner, heads, labels = t.day_heading, times, days
        rows = len(labels) + 1
        with artifact(canv):  # the grid: a tinted header row and rules between rows
            canv.setFillColor(th.colours["light"])
            canv.rect(0, top - self.row, self.width, self.row, stroke=0, fill=1)
            canv.setStrokeColor(th.colours["muted"])
            canv.setLineWidth(0.6)
            for r in range(rows + 1):
                canv.line(0, top - r * self.row, self.width, top - r * self.row)
        table = self.table_node
        head = table.add("TR") if table is not None else None
        lift = self.cell_style.fontSize * 0.35
        base = top - self.row / 2 - lift
        if corner:
            node = head.add("TH") if head is not None else None
            self._words(_cell_markup(th, corner, True), self.cell_style, node,
                        self.label_w / 2, base, self.label_w)  # fmt: skip
        for c, label in enumerate(heads):
            node = head.add("TH") if head is not None else None
            x = self.label_w + (c + 0.5) * self.col_w
            self._words(_cell_markup(th, label, True), self.cell_style, node, x, base,
                        self.col_w)  # fmt: skip
        box_w = min(self.col_w - 10, max(self.size * 3.2, 0.5 * 72))
        box_h = self.row - 7
        for r, label in enumerate(labels, start=1):
            y = top - r * self.row
            node = table.add("TR").add("TH") if table is not None else None
            self._words(_cell_markup(th, label, True), self.cell_style, node,
                        self.label_w / 2, y - self.row / 2 - lift, self.label_w)  # fmt: skip
            with artifact(canv):  # a box to write the number in
                canv.setStrokeColor(th.colours["text"])
                canv.setFillColor(th.colours["white"])
                canv.setLineWidth(0.9)
                for c in range(self.columns):
                    x = self.label_w + (c + 0.5) * self.col_w - box_w / 2
                    canv.rect(x, y - self.row + 3.5, box_w, box_h, stroke=1, fill=1)


def _face(canv: Canvas, x: float, y: float, r: float, mood: float, colour: object) -> None:
    """A face centred on (x, y): ``mood`` 1 smiles, 0 is straight, -1 frowns."""
    canv.setStrokeColor(colour)
    canv.setFillColor(colour)
    canv.setLineWidth(max(r * 0.09, 0.9))
    canv.circle(x, y, r, stroke=1, fill=0)
    eye = r * 0.11
    canv.circle(x - r * 0.35, y + r * 0.25, eye, stroke=0, fill=1)
    canv.circle(x + r * 0.35, y + r * 0.25, eye, stroke=0, fill=1)
    mouth_y = y - r * 0.38 + mood * r * 0.08
    bend = mood * r * 0.32
    path = canv.beginPath()
    path.moveTo(x - r * 0.45, mouth_y + bend * 0.5)
    path.curveTo(x - r * 0.2, mouth_y - bend * 0.5, x + r * 0.2, mouth_y - bend * 0.5,
                 x + r * 0.45, mouth_y + bend * 0.5)  # fmt: skip
    canv.drawPath(path, stroke=1, fill=0)
    if mood < -0.99:  # the worst pain: brows drawn together
        canv.line(x - r * 0.55, y + r * 0.52, x - r * 0.18, y + r * 0.4)
        canv.line(x + r * 0.55, y + r * 0.52, x + r * 0.18, y + r * 0.4)


class WriteInLines(Flowable):
    """``lines`` blank lines across the column to write on (questions to ask), under
    ``label`` (bold, the size of the fields' labels, tagged as a ``P`` under ``parent``)
    when the handout gives one: the words say what the lines are for."""

    #: moves to the next page with the heading and text before it (HeadingWithText)
    stays_with_text = True

    def __init__(
        self, lines: int, theme: Theme, label: str = "", parent: Node | None = None
    ) -> None:
        super().__init__()
        self.lines = lines
        self.theme = theme
        self.row = max(theme["body"].leading * 1.7, 0.33 * 72)
        self.label = (
            Paragraph(theme.fonts.markup(label, bold=True), _label_style(theme)) if label else None
        )
        if self.label is not None and parent is not None:
            tag(self.label, parent.add("P"))
        self.label_h = 0.0
        self.width = self.height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.label_h = self.label.wrap(availWidth, availHeight)[1] if self.label else 0.0
        self.height = self.label_h + self.lines * self.row
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []  # a few lines, kept together (and with the text that says what they are for)

    def getSpaceAfter(self) -> float:
        return float(self.theme["body"].spaceAfter)

    def draw(self) -> None:
        canv = self.canv
        if self.label is not None:  # the label at the top, the first line a row under it
            self.label.drawOn(canv, 0, self.height - self.label_h)
        with artifact(canv):  # lines to write on: nothing to read until written on
            canv.setStrokeColor(self.theme.colours["muted"])
            canv.setLineWidth(0.6)
            for i in range(self.lines):
                y = self.height - self.label_h - (i + 1) * self.row + 2
                canv.line(0, y, self.width, y)


def _label_style(theme: Theme) -> ParagraphStyle:
    """A write-in tool's label: the fields' label style (at least 9 pt; large print's body)."""
    label = theme.styles.get("field_label") or theme["label"]
    return ParagraphStyle("write_in_label", parent=label, spaceBefore=0, spaceAfter=0)


def appointment_block(tool: ComposedTool, theme: Theme, parent: Node | None) -> FieldsBlock:
    """The appointment's fields (a date field prints "month / day / year" on its line), one a
    row, tagged as a ``Table`` under ``parent``."""
    label = theme.styles.get("field_label") or theme["label"]
    value = ParagraphStyle("appointment_value", parent=theme["body"], spaceAfter=0)
    small = theme["small"]
    # "month / day / year" never below 9 pt, nor below the body in large print
    size = theme["body"].fontSize if theme.scale.min_body >= 18 else max(small.fontSize, 9)
    hint = ParagraphStyle("appointment_hint", parent=small, fontSize=size, leading=size * 1.25)
    labels_at = dict(zip(tool.field_indices, tool.label_locations, strict=True))
    block = FieldsBlock(
        tool.entries,
        FieldStyles(label, value, hint),
        theme.fonts.markup,
        strings_for(theme.language),
        row=max(theme["body"].leading * 1.8, 0.36 * 72),
        columns=1,
        line_colour=theme.colours["muted"],
        mark_colour=theme.colours["warning"],
        locate=lambda key: labels_at[int(key[1])],  # ("fields", i, "label")
        within=f"in the appointment box ({tool.field})",
        language=theme.language,
        indices=tool.field_indices,
    )
    if parent is not None:
        block.tags = parent.add("Table")
    return block
