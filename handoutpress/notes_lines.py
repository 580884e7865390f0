"""Lines for the reader's own notes under a label: a fixed panel's worth (the tri-fold's
flap and inside panel: :class:`NotesLines`) or what is left of a text column under the end
of its text (a sheet's last page: :class:`ColumnNotes`). Shared by the layout kinds, so a
sheet imports no tri-fold module for them."""

from __future__ import annotations

from reportlab.platypus import Flowable, Frame

from .styles import Theme
from .tagging import Node, artifact, marked

#: each write-in line is drawn this far above the foot of its row
LINE_LIFT = 2.0


class NotesLines(Flowable):
    """Write-in lines for the reader's own notes, filling what is left of a panel (at least
    ``min_lines`` lines, else nothing), the label tagged as a ``P`` under ``node`` (as the
    sheet's: a reader hears what the lines are for; the lines are artifacts), or drawn as an
    artifact with no ``node``."""

    #: room to write in, not content: the overflow bookkeeping (HandoutDoc) leaves it out
    optional = True

    def __init__(
        self, label: str, theme: Theme, min_lines: int = 3, node: Node | None = None
    ) -> None:
        super().__init__()
        self.label = label
        self.theme = theme
        self.min_lines = min_lines
        self.node = node
        self.row = theme["body"].leading * 1.6  # about 0.33 in at 15 pt leading
        self.lines = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        head = self.theme["heading"].leading + 4
        self.lines = int((availHeight - head) // self.row)
        if self.lines < self.min_lines:
            self.lines = 0
            return availWidth, 0
        self.width = availWidth
        self.height = head + self.lines * self.row
        return availWidth, self.height

    def getSpaceBefore(self) -> float:
        return float(self.theme["heading"].spaceBefore)

    def draw(self) -> None:
        if not self.lines:
            return
        th = self.theme
        style = th["label"]  # (a label over write-in lines, not a heading)
        canv = self.canv
        with marked(canv, self.node) if self.node is not None else artifact(canv):
            canv.setFillColor(style.textColor)
            canv.setFont(th.fonts.bold, style.fontSize)
            top = self.height - style.fontSize
            th.fonts.draw_string(canv, 0, top, self.label, th.fonts.bold, style.fontSize)
        with artifact(canv):  # lines to write on: nothing to read until written on
            canv.setStrokeColor(th.colours["muted"])
            canv.setLineWidth(0.6)
            for i in range(self.lines):
                y = (self.lines - 1 - i) * self.row + LINE_LIFT
                canv.line(0, y, self.width, y)


class IfRoom(Flowable):
    """``lines`` where the text ends, or none: lines for notes left with less room than
    the gap above them (the text ended at the panel's foot) are left out, not moved on to
    fill the next panel, or the next page, where the tri-fold reported them as its last
    section overflowing page 2 by a panel's height. Where there is room they are laid out
    as the frame lays out any flowable (the gap above them as it would be)."""

    #: room to write in, not content: the overflow bookkeeping (HandoutDoc) leaves it out
    optional = True

    def __init__(self, lines: NotesLines) -> None:
        super().__init__()
        self.lines = lines

    def frameAction(self, frame: Frame) -> None:  # noqa: N802 (ReportLab's name)
        gap = 0.0
        if not frame._atTop:  # (Frame.add's gap above a flowable)
            gap = self.lines.getSpaceBefore()
            if frame._oASpace:
                gap = max(gap - frame._prevASpace, 0.0)
        if frame._y - frame._y1p - gap > 0:
            frame.add(self.lines, self.canv)


class ColumnNotes(NotesLines):
    """Notes lines filling what is left of the column under the end of the text (a sheet's
    last page: write-in room instead of blank paper), the label tagged as a ``P`` under
    ``node`` (its lines are artifacts). A frame action, not a flowable that must fit: it
    draws itself where the text ended when there is room for ``min_lines`` lines and takes
    no room otherwise, so it never moves to a page of its own (a flowable of no height is
    still moved on when the text's space after it ran past the frame's foot)."""

    #: not text of the page's: the overflow and fill bookkeeping (HandoutDoc) skips it
    _ZEROSIZE = True

    def __init__(
        self,
        label: str,
        theme: Theme,
        node: Node | None,
        min_lines: int = 3,
        clear: float = 0.0,
    ) -> None:
        super().__init__(label, theme, min_lines, node)
        self.gap = float(theme["heading"].spaceBefore)
        #: room kept empty under the last line, above the column's foot (the sheet's footer
        #: rule is under it: a last line right over the rule read as one line more)
        self.clear = clear

    def frameAction(self, frame: Frame) -> None:  # noqa: N802 (ReportLab's name)
        top = frame._y - self.gap
        width = frame._getAvailableWidth()
        _, h = self.wrap(width, top - frame._y1p - self.clear)
        if self.lines:
            self.drawOn(self.canv, frame._x + frame._leftExtraIndent, top - h)
            frame._y = top - h


class NotesBeforeNote(Flowable):
    """A panel's notes lines (``notes``), then the closing note of the section above them
    (``closing``: its flowables, tagged in that section after the lines' label): the
    patient's write-in room comes before the words that close the panel. The lines fill
    what is left of the panel above the note (none when fewer than ``notes.min_lines``
    fit: then the note alone). The last flowable of a
    :class:`~handoutpress.boxes.WholeSection`, which gives it the room left under the rest
    of the section (:attr:`fills_rest`), so the note never leaves its section."""

    #: sized by the room left under the flowables before it (boxes.WholeSection.stack)
    fills_rest = True

    def __init__(self, notes: NotesLines, closing: list[Flowable]) -> None:
        super().__init__()
        self.notes = notes
        self.closing = closing
        self._sizes: list[tuple[float, float]] = []
        self.lead = self.gap = 0.0

    def getSpaceBefore(self) -> float:
        return float(self.closing[0].getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.closing[-1].getSpaceAfter())

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._sizes = []
        prev_after = 0.0
        for i, f in enumerate(self.closing):
            _, h = f.wrap(availWidth, availHeight)
            self._sizes.append((max(prev_after, f.getSpaceBefore()) if i else 0.0, h))
            prev_after = f.getSpaceAfter()
        note_h = sum(g + h for g, h in self._sizes)
        # the lines' own gap above them (a heading's), and the same under their last line
        self.gap = float(self.notes.getSpaceBefore())
        self.lead = max(self.gap - self.getSpaceBefore(), 0.0)
        self.notes.wrap(availWidth, availHeight - note_h - self.lead - self.gap)
        lines_h = self.lead + self.notes.height + self.gap if self.notes.lines else 0.0
        self.width, self.height = availWidth, lines_h + note_h
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []  # (the note is a line or two: it moves on with its section)

    def draw(self) -> None:
        y = self.height
        if self.notes.lines:
            y -= self.lead + self.notes.height
            self.notes.drawOn(self.canv, 0, y)
            y -= self.gap
        for f, (gap, h) in zip(self.closing, self._sizes, strict=True):
            y -= gap + h
            f.drawOn(self.canv, 0, y)
