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

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from .mailcanvas import FormCanvas, first_subset_codes

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont
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


@dataclass(frozen=True)
class _Shape:
    """Where a letter with so many address lines has its personal text (draw_personal)."""

    x: float
    ys: list[float]
    gy: float
    #: each address line's head (``line_head``) and the greeting's
    heads: list[tuple[str, frozenset[str]]]
    greeting: tuple[str, frozenset[str]]


class LetterStamp:
    """:meth:`~handoutpress.mailmerge.MailMerge.stamp` of one letter on one canvas, for the
    common case (:func:`write_page`'s): what every recipient's pages share worked out once
    (the preamble, form and colour operators, each address shape's line heads, the later
    pages with nothing personal), so that a letter costs its lines' text, one content
    stream and its page objects. The same bytes as :func:`write_page` page by page
    (``tests/test_batch_stamp.py`` compares with the canvas)."""

    def __init__(self, r: LetterRenderer, canv: FormCanvas, prefix: str, proof: str | None):
        self.r = r
        self.canv = canv
        self.prefix = prefix
        self.proof = proof
        self.fill = canv.fill_op(r.theme.colours["text"])
        #: per number of address lines (None: a line head is not known yet)
        self.shapes: dict[int, _Shape | None] = {}
        self.greetings: dict[str, str] = {}
        #: per later page: its code when nothing on it is personal (a duplex sheet's back)
        self.later: dict[int, str | None] = {}
        self.font: TTFont | None = None  # the body face
        #: the body face's codes of lines beyond ASCII (:meth:`_codes`)
        self.codes: dict[str, bytes] = {}
        #: the first page's operators before the address lines, with the preamble and
        #: prefix they were made for
        self._lead: tuple[str, str, str] | None = None
        #: :meth:`_forms`'s names, with the prefix they were made for
        self._form_names: tuple[str, list[str]] | None = None

    def _shape(self, n_lines: int) -> _Shape | None:
        if n_lines in self.shapes:
            return self.shapes[n_lines]
        r, canv = self.r, self.canv
        fonts, g = r.theme.fonts, r.geo
        x, ys, gy = _address_at(r, n_lines)
        heads = [canv.line_head(x, y, fonts.regular, g.addr_size, fonts.body_set) for y in ys]
        greeting = canv.line_head(g.ml, gy, fonts.regular, r.theme.scale.body, fonts.body_set)
        made = None
        known = [h for h in heads if h is not None]
        if greeting is not None and len(known) == len(heads):
            made = _Shape(x, ys, gy, known, greeting)
        if made is not None:  # (a head not known now may be later: asked again then)
            self.shapes[n_lines] = made
        return made

    def _codes(self, line: str) -> bytes | None:
        """The body face's codes of ``line`` when every character has one in its first
        subset already (then ``head + codes`` is what :func:`text_ops` writes), else None.
        Remembered per line once known (accented names repeat; ReportLab never changes a
        code it has given in a document)."""
        got = self.codes.get(line)
        if got is not None:
            return got
        fonts = self.r.theme.fonts
        if not fonts.body_set.issuperset(line):
            return None
        if self.font is None:
            self.font = getFont(fonts.regular)
        got = first_subset_codes(self.font, self.canv._doc, line)
        if got is not None:
            if len(self.codes) >= 4096:
                self.codes.clear()
            self.codes[line] = got
        return got

    def greeting(self, a: Addressee) -> str:
        """``r.greeting(a)``, made once per greeting name."""
        got = self.greetings.get(a.greeting_name)
        if got is None:
            if len(self.greetings) > 4096:
                self.greetings.clear()
            got = self.greetings[a.greeting_name] = self.r.greeting(a)
        return got

    def stamp(self, pages: int, a: Addressee, pad_to: int) -> int:
        """Write ``a``'s letter (``pages`` pages, padded to a multiple of ``pad_to``); return
        the pages written, or 0 when it is not the common case (nothing written then)."""
        canv, fill = self.canv, self.fill
        if (
            not ENABLED
            or fill is None
            or a.imb is not None
            or canv._code
            or canv._annotationrefs
            or canv._onPage
            or canv._capturing is not None
            or not canv.fast_pages
        ):
            return 0
        lines = a.lines
        shape = self._shape(len(lines)) if lines else None
        if shape is None:
            return 0
        r = self.r
        lead = self._lead  # (mailrepeat sets another prefix per letter on a kept stamp)
        if lead is None or lead[0] is not canv._preamble or lead[1] != self.prefix:
            pre = canv._preamble
            lead = self._lead = (pre, self.prefix, f"{pre}\n/FormXob.{self.prefix}-p1 Do")
        ops = [lead[2], fill]
        for (head, plain), line, y in zip(shape.heads, lines, shape.ys, strict=True):
            if line.isascii() and plain.issuperset(line):
                ops.append(f"{head}{_escaped(line)}) Tj ET")
                continue
            codes = self._codes(line)
            if codes is not None:  # an accented name in the body face (text_op's first case)
                ops.append(f"{head}{escapePDF(codes)}) Tj ET")
            else:
                ops += text_ops(canv, shape.x, y, line, r.geo.addr_size, r.theme.fonts)
        greeting = self.greeting(a)
        head, plain = shape.greeting
        if greeting.isascii() and plain.issuperset(greeting):
            ops.append(f"{head}{_escaped(greeting)}) Tj ET")
        else:
            ops += text_ops(canv, r.geo.ml, shape.gy, greeting, r.theme.scale.body, r.theme.fonts)
        proof = self.proof
        if proof is not None:
            ops.append(canv.form_op(proof))
        ops.append(" \n")
        forms = self._forms(pages)
        # the pages written together (raw_code_pages), but for a later page with something
        # personal on it (the name on a sheet's front): drawn in its turn
        written: list[tuple[str, str | None]] = [("\n".join(ops), forms[0])]
        for page in range(2, pages + 1):
            code = self.later[page] if page in self.later else self._later(page)
            form = forms[page - 1]
            if code is not None:
                written.append((code, form))
                continue
            canv.raw_code_pages(written, proof)
            written = []
            more = personal_ops(r, canv, page, a)
            assert more is not None  # (only a first page can need the canvas)
            if proof is not None:
                more.append(canv.form_op(proof))
            canv.raw_page(form, more, proof)
        drawn = pages
        while drawn % pad_to:  # (what raw_page(None, []) writes)
            written.append((f"{canv._preamble}\n \n", None))
            drawn += 1
        canv.raw_code_pages(written, proof)
        return drawn

    def _forms(self, pages: int) -> list[str]:
        """The names of the letter's page forms (``<prefix>-p1`` …), made once per prefix."""
        got = self._form_names
        if got is None or got[0] != self.prefix or len(got[1]) != pages:
            got = self._form_names = (
                self.prefix,
                [f"{self.prefix}-p{i}" for i in range(1, pages + 1)],
            )
        return got[1]

    def _later(self, page: int) -> str | None:
        """Page ``page``'s code when nothing on it is personal, else None."""
        code = None
        if not self.r.starts_sheet(page):
            ops = [self.canv._preamble, f"/FormXob.{self.prefix}-p{page} Do", self.fill or ""]
            if self.proof is not None:
                ops.append(self.canv.form_op(self.proof))
            code = "\n".join([*ops, " \n"])
        self.later[page] = code
        return code


def letter_stamp(
    r: LetterRenderer, canv: Canvas, prefix: str, proof: str | None
) -> LetterStamp | None:
    """The :class:`LetterStamp` of ``r``'s letter captured as ``prefix`` on ``canv`` (made on
    first use), or None when ``canv`` cannot take one."""
    if not ENABLED or not isinstance(canv, FormCanvas):
        return None
    key = (id(r), prefix, proof)
    got = canv._stamps.get(key)
    if not isinstance(got, LetterStamp) or got.r is not r:  # (None: not made yet)
        got = canv._stamps[key] = LetterStamp(r, canv, prefix, proof)
    return got


def write_blank(canv: Canvas) -> bool:
    """A blank page (the back of a letter's last sheet) written without drawing."""
    return ENABLED and isinstance(canv, FormCanvas) and canv.raw_page(None, [])
