"""A recipient's page of a merged mailing, written as operators, not drawn.

:meth:`~handoutpress.mailmerge.MailMerge.stamp` draws each page of a letter as the shared
form plus the personal parts (``LetterRenderer.draw_personal``: the address lines, the
greeting, the name on later sheets). For the common case (address lines in the body face
or its fallback, no barcode, no PROOF stamp) :func:`personal_ops` makes the same operators
directly from the positions, worked out once per file (:meth:`FormCanvas.text_op`), and
:meth:`FormCanvas.raw_page` writes the page without the canvas. Any other case returns
None and the page is drawn as before; ``tests/test_batch_stamp.py`` checks that both ways
give the same bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.pdfbase.pdfmetrics import stringWidth

from .mailcanvas import FormCanvas

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from .addressing import Addressee
    from .fonts import FontSet
    from .layouts.letter import LetterRenderer

#: set False to draw every page through the canvas (tests compare both ways)
ENABLED = True


def text_ops(
    canv: FormCanvas,
    x: float,
    y: float,
    text: str,
    size: float,
    fonts: FontSet,
    align: str = "left",
) -> list[str]:
    """What ``layouts.letter.draw_text`` writes on a fast :class:`FormCanvas`: one line in
    the body face, characters it lacks in the fallback face."""
    if fonts.body_set.issuperset(text):
        if align == "right":
            x -= stringWidth(text, fonts.regular, size)
        return [canv.text_op(x, y, text, fonts.regular, size)]
    parts = fonts.runs(text)
    if align == "right":
        x -= sum(
            stringWidth(chunk, fonts.fallback if fb else fonts.regular, size) for fb, chunk in parts
        )
    out = []
    for fb, chunk in parts:
        face = fonts.fallback if fb else fonts.regular
        out.append(canv.text_op(x, y, chunk, face, size))
        x += stringWidth(chunk, face, size)
    return out


def personal_ops(r: LetterRenderer, canv: FormCanvas, page: int, a: Addressee) -> list[str] | None:
    """The operators ``r.draw_personal(canv, page, a)`` writes on a fast canvas, or None
    when that page needs the canvas (no address: write-in lines; a barcode; a text colour
    with alpha)."""
    g, th = r.geo, r.theme
    fonts = th.fonts
    fill = canv.fill_op(th.colours["text"])
    if fill is None:
        return None
    ops = [fill]
    if page > 1:
        if a.name and r.starts_sheet(page):  # the name again on each sheet's front
            size = th.scale.small
            ops += text_ops(canv, r.W - g.mr, r.H - g.mt - size, a.name, size, fonts, "right")
        return ops
    lines = a.lines
    if not lines or a.imb is not None:
        return None
    x, ys, gy = _address_at(r, len(lines))
    size = g.addr_size
    body = fonts.body_set
    for y, line in zip(ys, lines, strict=True):
        head = canv.line_head(x, y, fonts.regular, size, body)
        if head is not None and line.isascii() and head[1].issuperset(line):
            ops.append(f"{head[0]}{_escaped(line)}) Tj ET")  # the common case
        else:
            ops += text_ops(canv, x, y, line, size, fonts)
    greeting = r.greeting(a)
    head = canv.line_head(g.ml, gy, fonts.regular, th.scale.body, body)
    if head is not None and greeting.isascii() and head[1].issuperset(greeting):
        ops.append(f"{head[0]}{_escaped(greeting)}) Tj ET")
    else:
        ops += text_ops(canv, g.ml, gy, greeting, th.scale.body, fonts)
    return ops


def _escaped(text: str) -> str:
    """What ReportLab's ``escapePDF`` does to printable ASCII."""
    if "\\" in text or "(" in text or ")" in text:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return text


_AT: dict[tuple[int, int], tuple[LetterRenderer, tuple[float, list[float], float]]] = {}


def _address_at(r: LetterRenderer, n_lines: int) -> tuple[float, list[float], float]:
    """Where ``draw_personal`` puts ``n_lines`` address lines (no barcode) and the greeting:
    (x, the lines' baselines, the greeting's baseline); worked out once per letter."""
    key = (id(r), n_lines)
    got = _AT.get(key)
    if got is not None and got[0] is r:
        return got[1]
    g, th = r.geo, r.theme
    y = g.win_y1 - g.inset_y - g.addr_size
    leading = g.address_leading(n_lines, False) or g.addr_leading_min
    ys = [y - i * leading for i in range(n_lines)]
    gy = r.H - g.subject_top - g.greeting_gap - th.scale.body_leading + 2
    if len(_AT) > 64:
        _AT.clear()
    _AT[key] = (r, (g.addr_x, ys, gy))  # r kept with it: its id is not reused meanwhile
    return g.addr_x, ys, gy


def write_page(
    r: LetterRenderer, canv: Canvas, form: str, page: int, a: Addressee, proof: str | None
) -> bool:
    """Page ``page`` of ``a``'s letter (the shared ``form``, the personal parts, then the
    ``proof`` form when given) written without drawing; False when it must be drawn
    (nothing done then)."""
    if not ENABLED or not isinstance(canv, FormCanvas):
        return False
    ops = personal_ops(r, canv, page, a)
    if ops is None:
        return False
    if proof is not None:
        ops.append(canv.form_op(proof))
    return canv.raw_page(form, ops, proof)


def write_blank(canv: Canvas) -> bool:
    """A blank page (the back of a letter's last sheet) written without drawing."""
    return ENABLED and isinstance(canv, FormCanvas) and canv.raw_page(None, [])
