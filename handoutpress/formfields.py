"""The personal fields as one flowable: write-in lines, date lines, tick boxes, a body map.

:class:`FieldsBlock` lays the fields out for a width: text and date fields in a grid of
``columns`` columns whose write-in lines start at one position per column (the widest
label's end), then each tick-box field and each body map on a row of its own. ``stacked``
puts each label above its line (a narrow panel). Values given with ``--set`` are printed
on the lines, ticked boxes carry a tick and their words in bold, and a body map's regions
are dots on the outline with their names in words beside it (the words are the text
layer). ``alt`` describes the whole block in words, for tagging.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from .bodymap import BodyMapDrawing
from .errors import ContentOverflow, Location, Problem
from .field_values import FieldEntry
from .markdown import Inline, plain_text
from .strings import Strings
from .tagging import Node, artifact, tag

#: space between the grid's columns
COLUMN_GAP = 0.3 * 72
#: a tick box's side, as a multiple of the label size
BOX = 1.05
#: a body map's region names go in two columns (when one would be taller than the outline)
#: only if each column is at least this wide; the gap between them
REGION_COLUMN_MIN = 0.9 * 72
REGION_GAP = 8.0


@dataclass
class FieldStyles:
    label: ParagraphStyle
    value: ParagraphStyle
    hint: ParagraphStyle


class FieldsBlock(Flowable):
    def __init__(
        self,
        entries: tuple[FieldEntry, ...],
        styles: FieldStyles,
        fonts_markup: Callable[..., str],
        text: Strings,
        *,
        row: float,
        columns: int = 1,
        wide_columns: int | None = None,
        stacked: bool = False,
        map_height: float = 1.5 * 72,
        line_colour: object = None,
        mark_colour: object = None,
        layout: str = "",
        locate: Callable[[tuple[str | int, ...]], Location] | None = None,
        within: str = "",
        language: str = "en",
        report: Callable[[Problem], None] | None = None,
        indices: tuple[int, ...] | None = None,
        measure: Callable[[str, str, float], float] | None = None,
        bold_face: str = "",
        bullet_face: str = "",
    ) -> None:
        super().__init__()
        #: width of a line of text in a face and size (``FontSet.string_width``: the
        #: fallback face's characters measured in it)
        self.measure = measure or (lambda text, face, size: stringWidth(text, face, size))
        self.bold_face = bold_face or styles.label.fontName
        #: the face of the body map's region bullets ("•"): the fallback's when the brand's
        #: value face has none (``FontSet.face_with``), as the lists' bullets
        self.bullet_face = bullet_face or styles.value.fontName
        self.report = report
        self.entries = entries
        #: (index in the handout's ``fields``, entry): a block may hold some fields only
        self.numbered = list(zip(indices or range(len(entries)), entries, strict=True))
        self.styles = styles
        self.markup = fonts_markup
        self.text = text
        self.row = row
        self.columns = self.requested_columns = columns
        #: cells a row for tick boxes and body maps (default: as many as ``columns``)
        self.wide_columns = wide_columns or columns
        self.stacked = stacked
        self.map_height = map_height
        self.line_colour = line_colour
        self.mark_colour = mark_colour
        self.layout = layout
        self.locate = locate or (lambda key: Location(None))
        #: for messages, what holds a block that is not the layout's fields ("in the
        #: appointment box (sections[5].tool)"); problems there are refused, not reported
        self.within = within
        self.language = language
        #: with a tagged PDF: the ``Table`` node the fields are tagged under (a ``TR`` per
        #: field, its label a ``TH``, its value or choices ``TD``)
        self.tags: Node | None = None
        #: what drawing found (a label or value too long for its line); also given to ``report``
        self.problems: list[Problem] = []
        self.alt = "; ".join(self._describe(e) for e in entries)
        self.width = self.height = 0.0

    # -- words for tagging ---------------------------------------------------------------
    def _describe(self, e: FieldEntry) -> str:
        label = plain_text(e.label)
        if e.kind == "choices":
            names = [plain_text(c) for c in e.choices]
            ticked = [names[i] for i in e.ticked]
            return f"{label}: " + (", ".join(ticked) if ticked else "(none ticked)")
        return f"{label}: {e.value}" if e.value else f"{label}: (blank)"

    # -- layout --------------------------------------------------------------------------
    @property
    def grid(self) -> list[tuple[int, FieldEntry]]:
        return [(i, e) for i, e in self.numbered if e.kind in ("text", "date")]

    @property
    def wide(self) -> list[tuple[int, FieldEntry]]:
        return [(i, e) for i, e in self.numbered if e.kind in ("choices", "body-map")]

    def _label(self, e: FieldEntry) -> Paragraph:
        return Paragraph(self.markup_spans(e.label, bold=True), self.styles.label)

    def markup_spans(self, spans: Inline, bold: bool = False) -> str:
        out = []
        for s in spans:
            b = bold or s.bold
            text = self.markup(s.text, b, s.italic)
            text = f"<i>{text}</i>" if s.italic else text
            out.append(f"<b>{text}</b>" if b else text)
        return "".join(out)

    def _width(self, spans: Inline, style: ParagraphStyle, bold: bool = False) -> float:
        """Width of ``spans`` on one line in ``style`` (in the bold face with ``bold``), the
        fallback face's characters included."""
        face = self.bold_face if bold else style.fontName
        return self.measure(plain_text(spans), face, style.fontSize)

    def _label_width(self, e: FieldEntry) -> float:
        return self._width(e.label, self.styles.label)

    def _choice_lines(self, e: FieldEntry, width: float) -> list[list[tuple[int, float]]]:
        """The tick boxes of ``e`` in lines that fit ``width``: (choice index, item width)."""
        size = self.styles.label.fontSize
        lines: list[list[tuple[int, float]]] = [[]]
        used = 0.0
        for n, choice in enumerate(e.choices):
            # in the face it is drawn in: bold when ticked
            words = self._width(choice, self.styles.value, bold=n in e.ticked)
            item = size * BOX + size * 0.4 + words + size * 1.0
            if lines[-1] and used + item > width:
                lines.append([])
                used = 0.0
            lines[-1].append((n, item))
            used += item
        return lines

    def _cell_height(self, e: FieldEntry) -> float:
        lead = self.styles.label.leading
        if e.kind == "choices":
            return lead + len(self._choice_lines(e, self.cell_w)) * self.row
        # the outline with its view names, or the regions in words beside it if taller
        _, words = self._region_words(e)
        return lead + 4 + max(self._outline_height(), words)

    def _outline_height(self) -> float:
        return self.map_height + self.styles.hint.leading + 2

    def _map_width(self) -> float:
        return BodyMapDrawing(self.map_height, [], {}).width

    def _region_words(
        self, e: FieldEntry
    ) -> tuple[list[tuple[Paragraph, float, float, float]], float]:
        """Each marked region's name as a paragraph beside the outline, placed: (paragraph,
        x from the words' left edge, y down from their top, its height), and the height of
        them all. In two columns when one would be taller than the outline (a long list of
        sites pushes the page's text down no more than it must), read column by column."""
        width = max(self.cell_w - self._map_width() - 10, 1)
        col_w = (width - REGION_GAP) / 2
        words = self._region_column(e, width)
        height = sum(h for _, h in words)
        two = height > self._outline_height() and len(words) > 1 and col_w >= REGION_COLUMN_MIN
        if two:  # (unless the names wrap so much in half the width that it is no shorter)
            halves = self._region_column(e, col_w)
            two = sum(h for _, h in halves) / 2 < height
            words, height = (halves, sum(h for _, h in halves)) if two else (words, height)
        out, x, y, half = [], 0.0, 0.0, height / 2
        for p, h in words:
            if two and x == 0 and y >= half:  # the first column holds half the height or more
                x, y = col_w + REGION_GAP, 0.0
            out.append((p, x, y, h))
            y += h
        return out, max((dy + h for _, _, dy, h in out), default=0.0)

    def _region_column(self, e: FieldEntry, width: float) -> list[tuple[Paragraph, float]]:
        """Each marked region's name as a paragraph ``width`` wide, with its height."""
        value = self.styles.value
        hanging = ParagraphStyle(  # wrapped names line up under the first word, not the bullet
            "region",
            parent=value,
            leftIndent=value.fontSize * 0.9,
            bulletIndent=0,
            bulletFontName=self.bullet_face,
        )
        out = []
        for region in e.regions:
            name = self.markup(region.name(self.language))
            p = Paragraph(name, hanging, bulletText="\u2022")
            _, h = p.wrap(width, 10_000)
            out.append((p, h))
        return out

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        # stacked in a narrow panel, a single write-in line takes the whole width (the
        # brochure's "Patient" on the back panel)
        fewer = max(1, min(self.requested_columns, len(self.grid)))
        self.columns = fewer if self.stacked else self.requested_columns
        col_w = (availWidth - COLUMN_GAP * (self.columns - 1)) / self.columns
        self.col_w = col_w
        grid = self.grid
        lead = self.styles.label.leading
        per_row = self.row + (lead if self.stacked else 0)
        rows = -(-len(grid) // self.columns)
        self.label_w = [0.0] * self.columns
        if not self.stacked:
            for n, (_, e) in enumerate(grid):
                c = n % self.columns
                self.label_w[c] = max(self.label_w[c], min(self._label_width(e), col_w * 0.5))
        h = rows * per_row
        # tick boxes and body maps: a cell each, label above, ``columns`` cells a row
        wide, per = self.wide, self.wide_columns
        self.cell_w = (availWidth - COLUMN_GAP * (per - 1)) / per
        self.wide_rows = [wide[n : n + per] for n in range(0, len(wide), per)]
        self.wide_heights = [
            max(self._cell_height(e) for _, e in cells) + self.row * 0.3 for cells in self.wide_rows
        ]
        h += sum(self.wide_heights)
        self.height = h
        return availWidth, h

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def parts(self) -> list[FieldsBlock]:
        """This block as one block for the write-in lines and one for each tick-box field
        and body map (a flowing layout can break the page between them)."""
        groups = [[n for n, (_, e) in enumerate(self.numbered) if e.kind in ("text", "date")]]
        groups += [[n] for n, (_, e) in enumerate(self.numbered) if e.kind not in ("text", "date")]
        out = []
        for group in (g for g in groups if g):
            part = copy.copy(self)
            part.entries = tuple(self.numbered[n][1] for n in group)
            part.numbered = [self.numbered[n] for n in group]
            part.problems = []
            part.alt = "; ".join(self._describe(e) for e in part.entries)
            out.append(part)
        return out

    # -- drawing -------------------------------------------------------------------------
    def draw(self) -> None:
        self.problems = []
        top = self.height
        lead = self.styles.label.leading
        per_row = self.row + (lead if self.stacked else 0)
        for n, (i, e) in enumerate(self.grid):
            r, c = divmod(n, self.columns)
            x = c * (self.col_w + COLUMN_GAP)
            self._line_field(i, e, x, top - r * per_row, self.col_w, self.label_w[c])
        y = top - (-(-len(self.grid) // self.columns)) * per_row - self.row * 0.3
        for cells, h in zip(self.wide_rows, self.wide_heights, strict=True):
            for c, (i, e) in enumerate(cells):
                x = c * (self.cell_w + COLUMN_GAP)
                if e.kind == "choices":
                    self._choices(i, e, x, y)
                else:
                    self._body_map(i, e, x, y)
            y -= h

    def _row(self) -> Node | None:
        return self.tags.add("TR") if self.tags is not None else None

    @staticmethod
    def _cell(flowable: Flowable, row: Node | None, role: str) -> Flowable:
        if row is not None:
            tag(flowable, row.add(role))
        return flowable

    def _problem(self, problem: Problem) -> None:
        if problem not in self.problems:
            self.problems.append(problem)
            if self.report is None:  # (a tool's fields): refused, never drawn over the text
                raise ContentOverflow([problem])
            self.report(problem)

    def _stroke(self) -> None:
        canv = self.canv
        canv.setStrokeColor(self.line_colour or self.styles.hint.textColor)
        canv.setLineWidth(0.6)

    def _line_field(
        self, i: int, e: FieldEntry, x: float, top: float, w: float, label_w: float
    ) -> None:
        canv = self.canv
        row = self._row()
        lab = self._cell(self._label(e), row, "TH")
        lead = self.styles.label.leading
        if self.stacked:
            lab.wrap(w, lead * 3)
            lab.drawOn(canv, x, top - lead)
            base, line_x = top - lead - self.row + 5, x
        else:
            base = top - self.row + 5
            _, lh = lab.wrap(label_w + 0.5, self.row)
            if lh > lead * 1.01:  # a second line would run into the row above
                where = f"{self.layout or self.within}: " if self.layout or self.within else ""
                self._problem(
                    Problem(
                        self.locate(("fields", i, "label")),
                        f"fields[{i}].label",
                        f"{where}too long for one line beside its write-in line "
                        f"({label_w:.0f} pt at {self.styles.label.fontSize:g} pt); shorten it",
                    )
                )
            lab.drawOn(canv, x, base + 2)
            line_x = x + label_w + 6
        with artifact(canv):  # the write-in line
            self._stroke()
            canv.line(line_x, base, x + w, base)
        if e.value:
            avail = x + w - line_x - 4
            one_line = self.styles.value.leading * 1.01
            value = e.value
            p = Paragraph(self.markup(value), self.styles.value)
            if p.wrap(avail, self.row)[1] > one_line and e.short:  # "Sep 30, 2026"
                value = e.short
                p = Paragraph(self.markup(value), self.styles.value)
            if p.wrap(avail, self.row)[1] > one_line:  # a --set value (never quoted)
                style = self.styles.value
                wide = stringWidth(value, style.fontName, style.fontSize)
                fit = int(len(value) * avail / max(wide, 1))
                where = f" on the {self.layout}" if self.layout else f" {self.within}".rstrip()
                self._problem(
                    Problem(
                        Location(None),
                        f"--set {e.key}",
                        f"too long for its line{where} (about {fit} characters fit); shorten it",
                    )
                )
            self._cell(p, row, "TD").drawOn(canv, line_x + 4, base + 2.5)
        elif e.kind == "date":
            hint = self.styles.hint
            with artifact(canv):  # "month / day / year": how to write on the line
                canv.setFont(hint.fontName, hint.fontSize)
                canv.setFillColor(hint.textColor)
                canv.drawRightString(x + w - 2, base + 2.5, self.text("date_hint"))

    def _box(self, x: float, y: float, side: float, ticked: bool) -> None:
        canv = self.canv
        canv.setStrokeColor(self.styles.value.textColor)
        canv.setLineWidth(0.9)
        canv.rect(x, y, side, side, stroke=1, fill=0)
        if ticked:
            canv.setStrokeColor(self.mark_colour or self.styles.value.textColor)
            canv.setLineWidth(1.6)
            path = canv.beginPath()
            path.moveTo(x + side * 0.18, y + side * 0.5)
            path.lineTo(x + side * 0.42, y + side * 0.2)
            path.lineTo(x + side * 0.85, y + side * 0.85)
            canv.drawPath(path, stroke=1, fill=0)

    def _choices(self, i: int, e: FieldEntry, x0: float, top: float) -> None:
        canv = self.canv
        lead = self.styles.label.leading
        size = self.styles.label.fontSize
        row = self._row()
        lab = self._cell(self._label(e), row, "TH")
        lab.wrap(self.cell_w, lead * 3)
        lab.drawOn(canv, x0, top - lead)
        top -= lead
        cell = row.add("TD") if row is not None else None
        for r, line in enumerate(self._choice_lines(e, self.cell_w)):
            x = x0
            base = top - (r + 1) * self.row + 7
            for n, item in line:
                side = size * BOX
                with artifact(canv):  # the box and its tick (the words say which)
                    self._box(x, base - 1, side, n in e.ticked)
                style = self.styles.value
                markup = self.markup_spans(e.choices[n], bold=n in e.ticked)
                p = Paragraph(markup, style)
                if cell is not None:  # "Steroid (ticked)" for a screen reader
                    ticked = self.text("ticked") if n in e.ticked else self.text("not_ticked")
                    tag(p, cell.add("Span", alt=f"{plain_text(e.choices[n])} ({ticked})"))
                p.wrap(item, self.row)
                p.drawOn(canv, x + side + size * 0.4, base - (style.leading - style.fontSize) / 2)
                x += item

    def _body_map(self, i: int, e: FieldEntry, x0: float, top: float) -> None:
        canv = self.canv
        lead = self.styles.label.leading
        row = self._row()
        lab = self._cell(self._label(e), row, "TH")
        lab.wrap(self.cell_w, lead * 3)
        lab.drawOn(canv, x0, top - lead)
        cell = row.add("TD") if row is not None else None
        t = self.text
        labels = {
            "front": t("body_front"),
            "back": t("body_back"),
            "L": t("side_left"),
            "R": t("side_right"),
        }
        drawing = BodyMapDrawing(self.map_height, list(e.regions), labels)
        hint = self.styles.hint
        with artifact(canv):  # the outline and its dots: the words beside it say the same
            drawing.draw(
                canv,
                x0,
                top - lead - 4 - self.map_height - hint.leading,
                self.styles.hint.textColor,
                self.mark_colour or self.styles.value.textColor,
                hint.fontName,
                hint.fontSize,
            )
        x = x0 + drawing.width + 10
        right = x0 + self.cell_w
        y = top - lead - 4
        if e.regions:
            placed, _ = self._region_words(e)
            for p, dx, dy, h in placed:
                if cell is not None:
                    tag(p, cell.add("P"))
                p.drawOn(canv, x + dx, y - dy - h)
        else:
            p = Paragraph(self.markup(t("body_map_blank")), hint)
            if cell is not None:
                tag(p, cell.add("P"))
            _, h = p.wrap(right - x, self.map_height)
            p.drawOn(canv, x, y - h)
            with artifact(canv):  # lines to write the sites on
                self._stroke()
                line_y = y - h - self.row
                while line_y > top - lead - 4 - self.map_height + 2:
                    canv.line(x, line_y, right, line_y)
                    line_y -= self.row
