"""Drawn pieces of the tri-fold: the key-point check marks, each drawn by a function of its
own (a tagging pass can mark them as artifacts). Its notes lines, shared with the sheet, are
:mod:`handoutpress.notes_lines`. And what its type-size search need not lay out again for
each body size it tries (:func:`remembered_back_fit`)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from ..block_flowables import block_flowables
from ..compose import ComposedSection
from ..fonts import FontSet
from ..footer import draw_mark_line
from ..markdown import Para
from ..notes_lines import NotesBeforeNote, NotesLines
from ..strings import Strings
from ..styles import Theme
from ..tagging import Node, artifact


def point_style(theme: Theme) -> ParagraphStyle:
    """A cover key point: body text, a little larger and bold, indented for its check mark."""
    body = theme["body"]
    size = body.fontSize + 1
    return ParagraphStyle(
        "cover_point",
        parent=body,
        fontName=theme.fonts.bold,
        fontSize=size,
        leading=size * 1.25,
        leftIndent=size * 1.6,
        spaceAfter=size * 0.6,
    )


def draw_check(canv: Canvas, x: float, y: float, size: float, theme: Theme) -> None:
    """A check mark in the accent colour, its lower left at (x, y)."""
    canv.saveState()
    canv.setStrokeColor(theme.colours["accent"])
    canv.setLineWidth(size * 0.2)
    canv.setLineCap(1)
    canv.setLineJoin(1)
    path = canv.beginPath()
    path.moveTo(x, y + size * 0.5)
    path.lineTo(x + size * 0.38, y + size * 0.1)
    path.lineTo(x + size, y + size * 0.95)
    canv.drawPath(path, stroke=1, fill=0)
    canv.restoreState()


def draw_read_mark(
    canv: Canvas,
    node: Node,
    at: tuple[float, float],
    line: str,
    mark: str,
    strings: Strings,
    fonts: FontSet,
    style: ParagraphStyle,
) -> None:
    """A panel foot's ``line`` centred on ``at`` in bold at ``style``'s size, its words
    ``mark`` (STAFF COPY) ``node``'s content (words in another language a ``Span`` of their
    own), the rest of the line (another mark it is joined to) an artifact; drawn where the
    whole line would be."""
    size = style.fontSize

    def width(text: str) -> float:
        return float(fonts.string_width(text, fonts.bold, size))

    k = line.index(mark)
    before, after = line[:k], line[k + len(mark) :]
    start, y = at[0] - width(line) / 2, at[1]
    with artifact(canv):
        if before:
            fonts.draw_string(canv, start, y, before, fonts.bold, size)
        if after:
            fonts.draw_string(canv, start + width(before + mark), y, after, fonts.bold, size)
    centre = start + width(before) + width(mark) / 2
    draw_mark_line(canv, node, (centre, y), mark, strings, fonts, size)


def notes_before_note(
    notes: NotesLines, note: Para, theme: Theme, parent: Node, in_section: bool = True
) -> NotesBeforeNote:
    """The lines for notes that end a panel, then the closing ``note`` of the section just
    made under ``parent`` (its last ``Sect``): the label and the note tagged in that section,
    the label first (read in the order they are drawn); without ``in_section`` (an earlier
    section's note, moved to end the panel) both tagged under ``parent``, after it."""
    sect = parent.kids[-1] if in_section else parent
    assert isinstance(sect, Node) and (sect.role == "Sect" or not in_section)
    notes.node = sect.add("P")
    return NotesBeforeNote(notes, block_flowables((note,), theme, parent=sect))


class _Renderer(Protocol):
    fixed_theme: Theme | None
    fields_on_flap: bool


_R = TypeVar("_R", bound=_Renderer)


def remembered_back_fit(
    back_fits: Callable[[_R, list[ComposedSection]], bool],
) -> Callable[[_R, list[ComposedSection]], bool]:
    """``back_fits(renderer, tiers)`` answered once per renderer (one render) for each
    ``tiers`` and ``fields_on_flap``. The back panel is laid out in the layout's own sizes
    (``fixed_theme``, set once the search starts), so the body size being tried does not
    change the answer, and the story of each size tried asks again; before ``fixed_theme``
    is set, nothing is remembered."""

    @functools.wraps(back_fits)
    def remembered(renderer: _R, tiers: list[ComposedSection]) -> bool:
        fixed = renderer.fixed_theme
        if fixed is None:
            return back_fits(renderer, tiers)
        known: dict[tuple[object, ...], tuple[Theme, Sequence[ComposedSection], bool]]
        known = renderer.__dict__.setdefault("_back_fits_known", {})
        key = (id(fixed), renderer.fields_on_flap, *(id(s) for s in tiers))
        got = known.get(key)
        if got is None or got[0] is not fixed or list(got[1]) != tiers:
            got = known[key] = (fixed, tuple(tiers), back_fits(renderer, tiers))
        return got[2]

    return remembered
