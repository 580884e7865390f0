"""The letter's page chrome, the same for every recipient: the letterhead (logo, return
address, contact), the date and subject line, the running head of later pages, the footer
and the operator's PROOF. Where each goes comes from ``layouts/letter.yaml``
(:class:`LetterGeometry`); :class:`~handoutpress.layouts.letter.LetterRenderer` lays the
letter out and decides when each is drawn (a mail merge draws them once, as forms)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .. import geometry
from ..addressing import Window
from ..errors import Problem
from ..fonts import FontSet
from ..footer import (
    MARK_DOT,
    RULE_WIDTH,
    FooterPlaces,
    FooterText,
    contact_rows,
    draw_mark_line,
    draw_rule,
    draw_tagged_once,
    footer_places,
    wrap_parts,
)
from ..models import Layout
from ..render import LayoutRenderer
from ..strings import Strings
from ..tagging import Node, artifact, marked, tag
from .textruns import draw_text, text_width

INCH = 72.0
#: between a footer's contact or address row and the form line or page number beside it
FOOTER_GAP = 12.0


def child(parent: Node | None, role: str) -> Node | None:
    """A new ``role`` under ``parent`` (None on an untagged drawing: no parent)."""
    return parent.add(role) if parent is not None else None


class LetterGeometry(Window):
    """The envelope window (:class:`~handoutpress.addressing.Window`) and where the rest of
    the letter goes."""

    def __init__(self, layout: Layout, fonts: FontSet | None = None) -> None:
        super().__init__(layout, fonts)
        g = layout.geometry_as(geometry.LetterGeometry)
        self.date_top = g.date_top
        self.subject_top = g.subject_top
        self.greeting_gap = g.greeting_gap
        self.body_gap = g.body_gap
        self.running_head = g.running_head
        self.footer = g.footer
        self.logo_h = g.logo_height
        self.logo_w = g.logo_width


@dataclass(frozen=True)
class FooterLines:
    """A letter footer's text in rows."""

    says: FooterText
    rows: tuple[str, ...]
    """The contact and address rows (two, more when the brand's details need them)."""
    marks: tuple[str, ...]
    """The lines of marks, centred under the rows."""
    grow: float
    """How much taller than the layout's footer zone the footer is (0: it fits)."""
    problems: tuple[Problem, ...]
    """What of the brand's details does not fit (each drawing of the footer says it)."""


class LetterChrome(LayoutRenderer):
    """A letter's fixed page parts (the base of the letter renderer)."""

    _footer_lines: FooterLines | None = None

    #: the structure's places for what page 1 draws in fixed places (the story makes them,
    #: in reading order): letterhead, date, subject; footer
    head_tag: Node | None = None
    date_tag: Node | None = None
    subject_tag: Node | None = None
    footer_tag: Node | None = None
    geo: LetterGeometry
    #: the letter's date in its language ("" without one)
    date_text: str

    def marks(self) -> list[tuple[str, str]]:
        out = super().marks()
        if self.options.proof:  # the operator's mark: PROOF in every language
            proof = self.text("proof")
            proof = proof if "PROOF" in proof else f"PROOF / {proof}"
            out.append((proof, proof))
        return out

    def mark_strings(self) -> Strings:
        """The strings whose words in another language the marks' lines give a ``Span``:
        the letter's, with the English PROOF put before a proof text that lacks it
        (:meth:`marks`; es.yaml writes it in, marked as English)."""
        t = self.text
        if not self.options.proof or t.language == "en" or "PROOF" in t("proof"):
            return t
        return replace(t, foreign=(*t.foreign, ("PROOF", "en")))

    def draw_letterhead(self, canv: Canvas) -> None:
        g, th = self.geo, self.theme
        top = self.H - g.mt
        logo = self.logo()
        x = g.ml
        head = self.head_tag
        if logo is not None:
            with marked(canv, self.logo_node(head)):
                w, _ = logo.draw(canv, g.ml, top - g.logo_h, g.logo_w, g.logo_h)
            x = g.ml + w + 0.2 * INCH
        # return address: name and street, small, right of the logo
        size = th.scale.small
        lead = size * 1.3
        lines = [self.brand.name, *self.brand.contact.address]
        canv.setFillColor(th.colours["text"])
        y = top - size
        canv.setFont(th.fonts.bold, size)
        with marked(canv, child(head, "P")):
            th.fonts.draw_string(canv, x, y, self.brand.name, th.fonts.bold, size)
        for line in lines[1:]:
            y -= lead
            with marked(canv, child(head, "P")):
                draw_text(canv, x, y, line, size, th.fonts)
        # rule under the letterhead
        canv.setStrokeColor(th.colours["accent"])
        canv.setLineWidth(1.2)
        rule_y = top - max(g.logo_h, len(lines) * lead) - 0.12 * INCH
        canv.line(g.ml, rule_y, self.W - g.mr, rule_y)
        # contact on the right
        c = self.brand.contact
        right = [x for x in (c.phone, c.website) if x]
        canv.setFillColor(th.colours["muted"])
        y = top - size
        for line in right:
            with marked(canv, child(head, "P")):
                draw_text(canv, self.W - g.mr, y, line, size, th.fonts, align="right")
            y -= lead

    def draw_subject(self, canv: Canvas) -> None:
        g, th = self.geo, self.theme
        if self.date_text:
            canv.setFillColor(th.colours["text"])
            with marked(canv, self.date_tag):
                draw_text(
                    canv,
                    self.W - g.mr,
                    self.H - g.date_top,
                    self.date_text,
                    th.scale.body,
                    th.fonts,
                    align="right",
                )
        p = self.para(self.composed.title, "letter_subject")
        if self.subject_tag is not None:
            tag(p, self.subject_tag)
        _, h = p.wrap(g.text_w, 3 * INCH)
        if h > self.theme["letter_subject"].leading * 1.01:
            self.problems.append(self.overflow_problem("the title (one line on a letter)", h))
        p.drawOn(canv, g.ml, self.H - g.subject_top - h + self.theme["letter_subject"].fontSize)

    def draw_footer(self, canv: Canvas, parent: Node | None = None) -> None:
        """The footer, on every page: ``parent``'s content on the last page, an artifact on
        the pages before (:func:`~handoutpress.footer.draw_tagged_once`)."""
        draw_tagged_once(canv, parent, self._footer)

    def footer_lines(self) -> FooterLines:
        """What the footer says, in rows (worked out once: the body ends where it starts)."""
        if self._footer_lines is None:
            self._footer_lines = self._lay_footer()
        return self._footer_lines

    def _lay_footer(self) -> FooterLines:
        g, th = self.geo, self.theme
        says = self.footer_text()
        size = th.scale.small
        ms = th["mark"]

        def measure(line: str) -> float:
            return text_width(line, size, th.fonts)

        # the contact and address rows end a gap before the form line and the page number
        # beside them (the widest page number a letter can have: its page limit)
        most = self.layout.max_pages or 9
        beside = [says.form_revised, self.text("page_of", page=most, total=most)]
        widths = tuple([g.text_w - measure(w) - FOOTER_GAP for w in beside] + [g.text_w])
        rows = tuple(contact_rows(says, widths, measure))
        problems: list[Problem] = []
        for i, line in enumerate(rows):
            if measure(line) > widths[min(i, len(widths) - 1)]:
                key = ("contact", "address") if i else ("contact",)
                problems.append(self.brand_problem(key, "the footer contact line", size * 1.3))
        at = self.footer_at(0.0)

        def lay(marks: list[str]) -> tuple[tuple[str, ...], float]:
            """The marks' lines, and how much the footer must grow to hold them: they go
            under the rows (as many as there are, two at least), down to just inside the
            safe margin."""
            lines = wrap_parts(
                marks, [g.text_w],
                lambda line: th.fonts.string_width(line, th.fonts.bold, ms.fontSize), MARK_DOT,
            )  # fmt: skip
            lowest = at.marks_y - (max(len(rows), 2) - 2) * at.lead
            lowest -= (len(lines) - 1) * ms.leading if lines else 0.0
            return tuple(lines), max(0.0, at.lowest - lowest)

        shorts = [short for short, _ in says.marks]
        marks, grow = lay(shorts)
        # the SAMPLE mark names the brand file to edit where that needs no more room
        sample = self.text("sample_short")
        where = self.text("sample_where", brand_file=self.brand_file_name())
        if sample in shorts:
            named, grow_named = lay([where if m == sample else m for m in shorts])
            if grow_named <= grow:
                marks = named
        # a footer that needs more room grows by a row or two at most (the body ends
        # higher); more is a contact line to shorten
        if grow > 2 * at.lead + 0.01:
            key = ("contact", "address")
            problems.append(self.brand_problem(key, "the footer with its marks", grow))
        return FooterLines(says, rows, marks, grow, tuple(dict.fromkeys(problems)))

    def footer_at(self, grow: float) -> FooterPlaces:
        """Where the footer's parts go, its zone ``grow`` taller than the layout's."""
        g = self.geo
        return footer_places(
            left=g.ml, right=self.W - g.mr, text_width=g.text_w, page_width=self.W,
            bottom=g.mb, zone=g.footer + grow, size=self.theme.scale.small, safe=self.safe,
        )  # fmt: skip

    def _footer(self, canv: Canvas, parent: Node | None) -> None:
        th = self.theme
        size = th.scale.small
        lines = self.footer_lines()
        # (said once, not once a page)
        self.problems.extend(p for p in lines.problems if p not in self.problems)
        at = self.footer_at(lines.grow)
        draw_rule(canv, th.colours["primary"], at.left, at.right, at.rule_y, RULE_WIDTH)
        canv.setFillColor(th.colours["text"])
        for i, line in enumerate(lines.rows):
            with marked(canv, child(parent, "P")):
                draw_text(canv, at.left, at.lines_y[0] - i * at.lead, line, size, th.fonts)
        canv.setFillColor(th.colours["muted"])
        with marked(canv, child(parent, "P")):
            draw_text(canv, at.right, at.form_y, lines.says.form_revised, size, th.fonts, "right")
        self.page_number(canv, at.right, at.number_y)
        if not lines.marks:
            return
        ms = th["mark"]
        bold = th.fonts.bold
        canv.setFillColor(ms.textColor)  # (press: one ink)
        canv.setFont(bold, ms.fontSize)
        y_mark = at.marks_y - (max(len(lines.rows), 2) - 2) * at.lead
        strings = self.mark_strings()
        for i, line in enumerate(lines.marks):
            at_line = (at.centre, y_mark - i * ms.leading)
            node = child(parent, "P")
            draw_mark_line(canv, node, at_line, line, strings, th.fonts, ms.fontSize)

    def draw_proof(self, canv: Canvas) -> None:
        """A large diagonal PROOF across the body, in outline, over everything.

        Outline text rather than a see-through fill: ReportLab 5.1 drops the ExtGState
        of an alpha set inside a form (viewers report 'ExtGState unknown')."""
        th = self.theme
        word = "PROOF"  # for the mailing operator, whatever the letter's language
        canv.saveState()
        canv.setStrokeColor(Color(0.86, 0.3, 0.3))
        canv.setLineWidth(1.5)
        canv.translate(self.W / 2, self.H * 0.42)
        canv.rotate(35)
        size = 120.0
        while size > 40 and stringWidth(word, th.fonts.bold, size) > self.W * 0.9:
            size -= 10
        canv.setFont(th.fonts.bold, size)
        canv.drawCentredString(0, -size / 3, word, mode=1)
        canv.restoreState()

    def paint_later(self, canv: Canvas) -> None:
        g, th = self.geo, self.theme
        canv.saveState()
        size = th.scale.small
        y = self.H - g.mt - size
        canv.setFillColor(th.colours["muted"])
        line = " \u00b7 ".join(x for x in (self.brand.name, self.date_text) if x)
        with artifact(canv):  # a running head
            draw_text(canv, g.ml, y, line, size, th.fonts)
        canv.setStrokeColor(th.colours["accent"])
        canv.setLineWidth(0.8)
        canv.line(g.ml, y - 6, self.W - g.mr, y - 6)
        self.draw_footer(canv, self.footer_tag)
        canv.restoreState()

    def _theme_extras(self) -> None:
        if "letter_subject" not in self.theme.styles:
            self.theme.styles["letter_subject"] = ParagraphStyle(
                "letter_subject",
                parent=self.theme["heading"],
                fontSize=self.scale.title,
                leading=self.scale.title * 1.2,
                spaceBefore=0,
                spaceAfter=0,
            )
