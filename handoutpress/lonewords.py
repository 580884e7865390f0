"""Headings and titles never end with one word alone on their last line.

"How does the injection / work?" makes the reader stop at a line that says one word; a
typesetter rewraps it as "How does the / injection work?". :class:`NoLoneWord` is a
ReportLab paragraph that does that when it wraps: when its last line would hold a single
word, it breaks its lines at the narrowest width that still gives the same number of lines
(so its height, and what fits where, never changes), which balances the lines; it keeps
the usual breaks when even that leaves one word alone. That is the case of a heading of three
words on two lines: line breaking fills the first line first, so no width gives 1 + 2, and
"Trigger Point / Injections" keeps its first two words together, as it should. A centred
(or right-aligned) one is drawn shifted so that its narrower lines stay centred (or flush
right) in the width it was offered.
"""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.platypus import Paragraph

#: bisection steps for the narrowest width with the same number of lines (1/1024 of the
#: range: far below a character's width)
STEPS = 10
#: the alignments rewrapped (justified text is left as it is: its lines fill the width)
ALIGNED = (TA_LEFT, TA_CENTER, TA_RIGHT)


def _line_words(line: object) -> int:
    """Words on one of ReportLab's broken lines (a plain ``(space, words)`` tuple, or a
    line of fragments with its ``wordCount``)."""
    if isinstance(line, tuple):
        return len(line[1])
    return int(getattr(line, "wordCount", 2))


def _words_in_last_line(p: Paragraph) -> int:
    return _line_words(p.blPara.lines[-1])


class NoLoneWord(Paragraph):
    """A paragraph whose last line never holds a single word when it can be avoided
    without adding a line (see the module's docstring). It reports the width it was
    offered, as a paragraph does; its lines are broken at ``self.width`` (narrower when
    rebalanced)."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        width, height = super().wrap(availWidth, availHeight)
        self.offered = availWidth
        lines = len(self.blPara.lines)
        if lines < 2 or self.style.alignment not in ALIGNED or _words_in_last_line(self) != 1:
            return width, height
        low, high = availWidth / 2, availWidth  # ``high`` gives ``lines`` lines
        for _ in range(STEPS):
            middle = (low + high) / 2
            super().wrap(middle, availHeight)
            if len(self.blPara.lines) == lines:
                high = middle
            else:
                low = middle
        super().wrap(high, availHeight)
        if _words_in_last_line(self) == 1 or self.height != height:
            super().wrap(availWidth, availHeight)  # no better: the usual breaks
        return availWidth, self.height

    def draw(self) -> None:
        # lines broken narrower than offered: centred or flush right in what was offered
        spare = getattr(self, "offered", self.width) - self.width
        shift = {TA_CENTER: spare / 2, TA_RIGHT: spare}.get(self.style.alignment, 0.0)
        if not shift:
            super().draw()
            return
        self.canv.saveState()
        self.canv.translate(shift, 0)
        super().draw()
        self.canv.restoreState()


def no_lone_word(p: Paragraph) -> Paragraph:
    """``p`` (a plain paragraph just made, not yet laid out) as a :class:`NoLoneWord`;
    another kind of paragraph is returned as it is."""
    if type(p) is not Paragraph:
        return p
    out = NoLoneWord.__new__(NoLoneWord)
    out.__dict__.update(p.__dict__)
    return out
