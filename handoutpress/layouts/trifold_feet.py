"""The short SAMPLE / DRAFT (and STAFF COPY) marks at the foot of each tri-fold panel:
:class:`TrifoldFeet`, the part of the tri-fold's renderer
(:class:`~handoutpress.layouts.trifold.TrifoldRenderer` is one) that draws them."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from ..tagging import Node, artifact
from .trifold_cover import TrifoldCover
from .trifold_parts import draw_read_mark


class TrifoldFeet(TrifoldCover):
    """The panels' feet, drawn from what the tri-fold's renderer sets up (the foot's place
    and height; the back panel's STAFF COPY node when its text has no room for the mark)."""

    #: the bottom margin and the foot's height under every panel's text
    bottom: float
    foot: float
    #: the back panel's staff line when its text has no room for one: the STAFF COPY mark
    #: at the back panel's foot is this ``P``'s content (:meth:`draw_feet`)
    foot_staff: Node | None = None

    def draw_feet(
        self, canv: Canvas, panels: list[tuple[float, float]], read: int | None = None
    ) -> None:
        """The short SAMPLE / DRAFT marks at each panel's foot (artifacts: the back panel
        carries the long ones as text). ``read``: the panel (the back) whose STAFF COPY
        mark is :attr:`foot_staff`'s content, when the back's text has no room for it."""
        if not self.marks():
            return
        style = self.theme["mark"]
        fonts = self.theme.fonts
        staff = self.text("staff_copy_short") if self.composed.staff_copy else None
        for n, panel in enumerate(panels):
            x, w = self.text_box(panel)
            marks = self.foot_lines(w)
            y = self.bottom + self.foot - style.leading
            canv.setFillColor(self.theme.colours["warning"])
            canv.setFont(fonts.bold, style.fontSize)
            for text in marks:
                at = (x + w / 2, y + (style.leading - style.fontSize) / 2)
                node = self.foot_staff if n == read else None
                if node is not None and staff is not None and staff in text:
                    draw_read_mark(canv, node, at, text, staff, self.text, fonts, style)
                else:
                    with artifact(canv):
                        fonts.draw_string(canv, *at, text, fonts.bold, style.fontSize, "center")
                y -= style.leading

    def foot_lines(self, width: float) -> list[str]:
        """The short marks as the lines of a panel's foot: one a line while they fit in the
        foot's height (SAMPLE, DRAFT), else the last joined with " · " to the shortest line
        it fits beside (the staff copy's third mark was drawn under the foot, inside the
        safe margin, where desk printers cut it off)."""
        lines = [short for short, _ in self.marks()]
        style = self.theme["mark"]
        fonts = self.theme.fonts

        def width_of(text: str) -> float:
            return fonts.string_width(text, fonts.bold, style.fontSize)

        while len(lines) * style.leading > self.geo.foot + 0.01 and len(lines) > 1:
            last = lines.pop()
            j = min(range(len(lines)), key=lambda k: width_of(lines[k]))
            joined = f"{lines[j]} \u00b7 {last}"
            if width_of(joined) > width:
                lines.append(last)  # too wide beside any: the foot grows (_geometry)
                break
            lines[j] = joined
        return lines
