"""What every page footer says, where its parts go, and its rule: one helper for the sheet,
large print and letter.

:func:`footer_text` gathers the texts (the clinic's contact line and address line, the form
number and revision date, the SAMPLE / DRAFT / PROOF marks) and :func:`draw_rule` draws the
coloured rule over the footer. :func:`footer_places` decides where every footer's parts go
in the footer zone: the sheet's and the letter's in rows (the rule, the contact and address
lines on the left, the form line and page number on the right, the marks centred under
them), large print's stacked (its short marks and the form line in a box on the left under
the rule, in larger type, the page number on the right; its contact details end the text
instead). Each layout sets the texts in its own type there (the sheet and large print in
paragraphs, the letter in plain runs that a mailing's fast canvas can draw), and draws its
footer through :func:`draw_tagged_once` (content on the page that tags it, else an artifact).
A mark's words in another language than the page's (the Spanish staff copy's "STAFF COPY
(Spanish)", marked so in the strings file) get a ``Span`` with their ``/Lang`` in a tagged
footer: :func:`mark_markup` for a mark set in a paragraph, :func:`draw_mark_line` for one
drawn as a run; the drawing is the same either way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from .fonts import FontSet
from .models import Brand, Handout
from .strings import Strings
from .tagging import SPAN_LINK, Node, TaggedCanvas, artifact, marked

#: between the parts of a footer line
DOT = " \u00b7 "
#: between the marks on a line of marks
MARK_DOT = "  \u00b7  "


@dataclass(frozen=True)
class FooterText:
    contact: tuple[str, ...]
    """The clinic's name, phone and (when it has one) after-hours phone."""
    address: tuple[str, ...]
    """The address lines and the website (empty parts left out)."""
    form_revised: str
    """The form number and revision date: ``PSP-T-01 · Revised January 2026``."""
    marks: tuple[tuple[str, str], ...]
    """The marks every page carries, short and long (SAMPLE, DRAFT, PROOF)."""

    @property
    def contact_line(self) -> str:
        return DOT.join(self.contact)

    @property
    def address_line(self) -> str:
        return DOT.join(self.address)


def footer_text(
    brand: Brand, text: Strings, handout: Handout, marks: list[tuple[str, str]]
) -> FooterText:
    """The footer's texts for ``brand`` and ``handout``, in ``text``'s language."""
    contact = brand.contact
    first = [brand.name, contact.phone]
    if contact.after_hours_phone:
        first.append(f"{text('after_hours_short')} {contact.after_hours_phone}")
    return FooterText(
        contact=tuple(x for x in first if x),
        address=tuple(x for x in (*contact.address, contact.website) if x),
        form_revised=f"{handout.form}{DOT}{text('revised', date=text.month_year(handout.revised))}",
        marks=tuple(marks),
    )


def draw_rule(canv: Canvas, colour: Color, x0: float, x1: float, y: float, width: float) -> None:
    """The rule over a footer, from ``x0`` to ``x1`` at ``y``."""
    canv.setStrokeColor(colour)
    canv.setLineWidth(width)
    canv.line(x0, y, x1, y)


#: the rule over a footer: this far below the top of the footer zone, this wide
RULE_DROP = 8.0
RULE_WIDTH = 0.8
#: the contact and address lines may take this share of the text width (the form line and
#: the page number are on the right)
CONTACT_SHARE = 0.72
#: a stacked footer (large print): its box starts this far under the rule
STACK_GAP = 4.0


@dataclass(frozen=True)
class FooterPlaces:
    """Where the parts of a page footer go (points from the page's lower left corner)."""

    left: float
    """Where the contact and address lines start (the left margin)."""
    right: float
    """Where the form line and the page number end (the right margin)."""
    centre: float
    """The marks are centred on this (the middle of the page)."""
    rule_y: float
    """The rule over the footer, from ``left`` to ``right``."""
    lines_y: tuple[float, float]
    """The contact line's and the address line's row (a run's baseline, a paragraph's foot)."""
    line_width: float
    """How wide the contact and address lines may be."""
    form_y: float
    """The baseline of the form number and revision date, beside the contact line."""
    number_y: float
    """The baseline of "Page N of T": beside the address line, or (stacked) the first line
    of the box."""
    marks_y: float
    """The baseline of the first line of marks, under both (before :attr:`lowest`)."""
    lowest: float
    """No mark goes lower than this (just inside the safe margin)."""
    lead: float
    """From one footer line to the next."""
    stack_top: float
    """Stacked (large print): the top of the box under the rule holding the marks and the
    form line, left of the page number (down to the bottom margin)."""


def footer_places(
    *,
    left: float,
    right: float,
    text_width: float,
    page_width: float,
    bottom: float,
    zone: float,
    size: float,
    safe: float,
    lift: float = 0.0,
    rule_drop: float = RULE_DROP,
    stacked: bool = False,
) -> FooterPlaces:
    """Where a footer's parts go in the zone of height ``zone`` above the bottom margin
    ``bottom``, between the margins at ``left`` and ``right`` (``text_width`` apart), its
    text at ``size``, on a page ``page_width`` wide whose safe margin is ``safe``.
    ``lift``: how far above its row a drawn string's baseline is, to share the baseline of
    text set in paragraphs (drawn at their foot) on that row; 0 when the row's text is
    drawn as runs at its baseline. ``rule_drop``: how far the rule is below the top of the
    zone. ``stacked``: the page number beside the first line of the box at
    :attr:`~FooterPlaces.stack_top` (large print), not beside the address line."""
    rule_y = bottom + zone - rule_drop
    lead = size * 1.3
    y = rule_y - lead
    stack_top = rule_y - STACK_GAP
    return FooterPlaces(
        left=left,
        right=right,
        centre=page_width / 2,
        rule_y=rule_y,
        lines_y=(y - 0 * lead, y - 1 * lead),
        line_width=text_width * CONTACT_SHARE,
        form_y=y + lift,
        number_y=stack_top - size if stacked else y - lead + lift,
        marks_y=y - 2 * lead + (lift - 2),
        lowest=safe + 3,
        lead=lead,
        stack_top=stack_top,
    )


def wrap_parts(
    parts: Sequence[str], widths: Sequence[float], measure: Callable[[str], float], sep: str
) -> list[str]:
    """``parts`` joined by ``sep`` into lines, as many on a line as fit: line ``i`` may be
    ``widths[i]`` wide (the last width for every line after). A part wider than its line
    gets a line of its own (the caller sees it does not fit: nothing is cut)."""
    lines: list[str] = []
    for part in parts:
        width = widths[min(len(lines) - 1, len(widths) - 1)] if lines else 0.0
        if lines and measure(lines[-1] + sep + part) <= width:
            lines[-1] += sep + part
        else:
            lines.append(part)
    return lines


def contact_rows(
    text: FooterText, widths: Sequence[float], measure: Callable[[str], float]
) -> list[str]:
    """The contact and address lines of a footer in rows ``widths`` wide (see
    :func:`wrap_parts`): the contact line on the first row and the address on the next when
    each fits its row, else the parts flow on from row to row in their order."""
    if measure(text.contact_line) <= widths[0]:
        rest = wrap_parts(text.address, widths[1:] or widths, measure, DOT)
        return [text.contact_line, *rest] if text.address else [text.contact_line]
    return wrap_parts((*text.contact, *text.address), widths, measure, DOT)


def draw_tagged_once(
    canv: Canvas, node: Node | None, draw: Callable[[Canvas, Node | None], None]
) -> None:
    """A footer, drawn on every page: ``node``'s content once, where it is drawn last (the
    last page: ``node`` ends the reading order), an artifact on the pages before (see
    :meth:`~handoutpress.tagging.TaggedCanvas.running`). ``draw(canv, parent)`` draws it,
    its text ``parent``'s children (None: as an artifact)."""
    if node is None or not isinstance(canv, TaggedCanvas):
        with artifact(canv):
            draw(canv, None)
        return
    with canv.running(node) as parent:
        draw(canv, parent)


def mark_markup(text: str, strings: Strings, fonts: FontSet, spans: bool) -> str:
    """A mark's paragraph markup, in bold. ``spans`` (a tagged drawing): the words
    ``strings`` marks as another language each a span of their own, which a tagged PDF
    writes as a ``Span`` with its ``/Lang`` (:data:`~handoutpress.tagging.SPAN_LINK`)."""
    if not spans:
        return fonts.markup(text, bold=True)
    out = []
    for words, lang in strings.runs(text):
        words_markup = fonts.markup(words, bold=True)
        out.append(f'<a href="{SPAN_LINK}{lang}">{words_markup}</a>' if lang else words_markup)
    return "".join(out)


def draw_mark_line(
    canv: Canvas,
    node: Node | None,
    at: tuple[float, float],
    text: str,
    strings: Strings,
    fonts: FontSet,
    size: float,
) -> None:
    """One line of marks drawn as a run centred on ``at`` in bold at ``size`` (the
    canvas's font), ``node``'s content (None: the artifact it is drawn in). On a tagged
    canvas the words ``strings`` marks as another language are a ``Span`` with their
    ``/Lang`` inside the same text object: the glyphs go where one run puts them."""
    runs = strings.runs(text)
    face = fonts.bold
    if (
        node is None
        or not isinstance(canv, TaggedCanvas)
        or all(lang is None for _, lang in runs)
        or not fonts.body_set.issuperset(text)  # (a fallback face: drawn as ever)
    ):
        with marked(canv, node):
            fonts.draw_string(canv, *at, text, face, size, "center")
        return
    x, y = at
    with canv.marked(node, None, (None,)):
        tx = canv.beginText(x - fonts.string_width(text, face, size) / 2, y)
        for i, (words, lang) in enumerate(runs):
            tx.textOut(words)
            if lang is not None:  # (where the paragraph would report a span's ends)
                key = (i, f"{SPAN_LINK}{lang}")
                tx._linkRecord(key, "start")
                tx._linkRecord(key, "end")
        canv.drawText(tx)
