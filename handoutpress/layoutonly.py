"""The canvas of a layout-only render (``check``): everything is laid out and drawn as for
a PDF, so every fit, overflow and placement is found as ``build`` finds it, but no file is
written.

``check`` lays each handout out in every layout it lists (27 documents for the shipped
handouts) only to learn what fits. Writing each PDF (serialising the pages and fonts,
compressing the streams) was about a quarter of that, and drawing the cached vector
drawings (icons, SVG logos) about a tenth more: neither can change what the layout finds.
Paragraphs are not drawn onto it either (:func:`install`: a paragraph's drawing writes its
lines' text and nothing else; it was measured when it was wrapped). Everything else (boxes,
frames, page furniture, pictures) is drawn as for a PDF: that drawing code notes problems and
placements, on pages that are thrown away.

While a layout-only document is laid out (:func:`remembering_wraps`), a paragraph wrapped
again at the width it was last wrapped at, with nothing of it changed since (its fragments,
style, lines, width and height the very objects and values its last wrap left), is not broken
into lines again: that wrap's size is given back (:func:`_remembered`). Platypus and the
layouts ask the same paragraph for its size many times (a table's cells for each row height
and each split, a frame's ``_add`` after a keep-together's wrap, a heading's no-lone-word
bisection after each of them): a third of ``check``'s line breaking was such a repeat.

And a paragraph made again from the same text in the same style (:func:`_parsed_once`: the
same markup in a style with the same values; each page's footer, a staff copy's every
paragraph, the same text in another layout) is not parsed again: it gets copies of the
fragments the first one's parse made. About half of ``check``'s paragraphs are such a repeat.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Callable, Iterator

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.paragraph import Paragraph
from reportlab.platypus.paraparser import ParaFrag

from .lonewords import NoLoneWord


class LayoutOnlyCanvas(Canvas):
    """A canvas whose pages are drawn and dropped: :meth:`save` writes nothing, and cached
    drawings (:func:`handoutpress.images.draw_shared`) are not drawn onto it."""

    #: read by :func:`handoutpress.images.draw_shared`: a drawing adds nothing to find
    layout_only = True

    def __init__(self, *args: object, **kw: object) -> None:
        install()  # (paragraphs not drawn on it)
        super().__init__(*args, **kw)

    def save(self) -> None:
        """Nothing to write."""


def is_layout_only(canv: object) -> bool:
    """Whether ``canv`` is a layout-only render's canvas (nothing drawn on it is kept)."""
    return getattr(canv, "layout_only", False) is True


_installed = False
_INSTALLING = threading.Lock()
#: ``on`` while a layout-only document is laid out in this thread (:func:`remembering_wraps`)
_laying_out = threading.local()

_Wrap = Callable[[Paragraph, float, float], tuple[float, float]]


def install() -> None:
    """Wrap ``Paragraph.drawPara`` (once per process) so that a paragraph's text is not drawn
    on a layout-only canvas; on any other canvas it draws exactly as ReportLab's own. Wrap
    ``Paragraph.wrap`` and ``NoLoneWord.wrap`` so that, in :func:`remembering_wraps` only,
    a repeated wrap is remembered (:func:`_remembered`), and ``Paragraph._setup`` so that a
    repeated parse is too (:func:`_parsed_once`); elsewhere they are ReportLab's own."""
    global _installed
    with _INSTALLING:
        if _installed:
            return
        draw_para = Paragraph.drawPara

        def layout_only_draw_para(self: Paragraph, debug: int = 0) -> None:
            if is_layout_only(self.canv):
                return
            draw_para(self, debug)

        Paragraph.drawPara = layout_only_draw_para
        Paragraph._setup = _parsed_once(Paragraph._setup)
        Paragraph.wrap = _remembered(Paragraph.wrap, "_layout_only_wrap", shared=True)
        Paragraph.split = _own_lines_first(Paragraph.split)
        NoLoneWord.wrap = _remembered(NoLoneWord.wrap, "_layout_only_lone")  # type: ignore[assignment]
        _installed = True


@contextlib.contextmanager
def remembering_wraps() -> Iterator[None]:
    """While a layout-only document is laid out: repeated wraps remembered (see the module's
    docstring). Only there: a document for a PDF wraps as ReportLab does."""
    install()
    before = getattr(_laying_out, "on", False)
    _laying_out.on = True
    try:
        yield
    finally:
        _laying_out.on = before


def _remembered(wrap: _Wrap, attr: str, shared: bool = False) -> _Wrap:
    """``wrap`` that, in :func:`remembering_wraps`, notes in the paragraph's ``attr`` what it
    was asked (the width) and what it left (the fragments, style and lines objects, the
    width and height), and gives the noted size back when asked again for the same width
    while all of that is still so. A paragraph's size depends on nothing else (not on the
    height offered, which ReportLab's ``wrap`` does not read), and whatever changes its
    state (another wrap, a split that drops its lines, a new style) changes one of those.

    ``shared`` (ReportLab's own ``Paragraph.wrap``): a paragraph :func:`_parsed_once` made
    from the text and style values another was made from, still in that style, wrapped at
    a width that one was wrapped at, is given that wrap's lines (:func:`_borrow`) instead
    of breaking its own: its fragments are copies of the same parse, so its lines would be
    the same. (Half of ``check``'s line breaking was such a repeat: each page's footer and
    marks, a staff copy's every paragraph, a heading's no-lone-word tries.)"""

    def remembered(self: Paragraph, availWidth: float, availHeight: float) -> tuple[float, float]:
        if not getattr(_laying_out, "on", False):
            return wrap(self, availWidth, availHeight)
        d = self.__dict__
        last = d.get(attr)
        if (
            last is not None
            and last[0] == availWidth
            and last[1] is d.get("frags")
            and last[2] is d.get("style")
            and last[3] is d.get("blPara")
            and last[4] == (d.get("width"), d.get("height"))
        ):
            return last[5]
        key = None
        if shared:
            parse = d.get("_layout_parse")
            if parse is not None and parse[1] is d.get("style"):
                key = (parse[0], type(self), availWidth, d.get("autoLeading"))
                known = _wraps.get(key)
                if known is not None:
                    got = _borrow(d, known)
                    size = (d.get("width"), d.get("height"))
                    d[attr] = (availWidth, d.get("frags"), d.get("style"), d.get("blPara"),
                               size, got)  # fmt: skip
                    return got
        got = wrap(self, availWidth, availHeight)
        size = (d.get("width"), d.get("height"))
        d[attr] = (availWidth, d.get("frags"), d.get("style"), d.get("blPara"), size, got)
        if key is not None and size[0] == availWidth and "blPara" in d:
            if len(_wraps) >= PARSES_KEPT:
                _wraps.clear()
            _wraps[key] = (tuple((k, d[k]) for k in _WRAP_STATE if k in d), got)
        return got

    remembered.__wrapped__ = wrap  # type: ignore[attr-defined]
    return remembered


#: what ReportLab's ``Paragraph.wrap`` (and its ``breakLines``) leave on a paragraph but its
#: fragments (which each paragraph keeps its own of: :func:`_borrow`)
_WRAP_STATE = (
    "width", "height", "blPara", "_wrapWidths", "_width_max", "_splitLongWordCount",
    "_hyphenations",
)  # fmt: skip
_WrapState = tuple[tuple[tuple[str, object], ...], tuple[float, float]]
#: (parse number, paragraph class, width, its own auto leading) → what that wrap left, and
#: the size it gave
_wraps: dict[tuple[object, ...], _WrapState] = {}


def _borrow(d: dict[str, object], known: _WrapState) -> tuple[float, float]:
    """Give a paragraph (its ``__dict__``) what another one's wrap left: its size and its
    lines (``blPara``, the same object: a layout-only render reads a paragraph's lines and
    never draws them). Noted as borrowed: before the paragraph is split (ReportLab makes
    the parts from the paragraph's own lines and fragments, and changes them), it breaks
    its own (:func:`_own_lines_first`)."""
    state, got = known
    for k, v in state:
        d[k] = list(v) if k == "_wrapWidths" else v  # type: ignore[call-overload]
    d["_borrowed_lines"] = d["blPara"]
    return got


_Split = Callable[[Paragraph, float, float], list[object]]


def _own_lines_first(split: _Split) -> _Split:
    """``Paragraph.split`` that first breaks the paragraph's own lines (at the width its
    lines were broken at) when they are another paragraph's (:func:`_borrow`)."""

    def split_own(self: Paragraph, availWidth: float, availHeight: float) -> list[object]:
        d = self.__dict__
        borrowed = d.pop("_borrowed_lines", None)
        if borrowed is not None and borrowed is d.get("blPara"):
            own_wrap = getattr(Paragraph.wrap, "__wrapped__", Paragraph.wrap)
            own_wrap(self, d["width"], availHeight)
        return split(self, availWidth, availHeight)

    split_own.__wrapped__ = split  # type: ignore[attr-defined]
    return split_own


_Setup = Callable[..., None]
#: the most parses :func:`_parsed_once` keeps (a ``check`` of the shipped handouts: ~800)
PARSES_KEPT = 4096
#: (text, style's values, bullet text, case sensitivity, cleaner) → (text, fragments, bullet)
#: (and the parse's number: :func:`_remembered` finds a shared wrap by it)
_parses: dict[tuple[object, ...], tuple[str, list[ParaFrag], object, int]] = {}
_parse_numbers = itertools.count()


def _copies(frags: list[ParaFrag]) -> list[ParaFrag]:
    return [f.clone() for f in frags]


def _parsed_once(setup: _Setup) -> _Setup:
    """``Paragraph._setup`` that, in :func:`remembering_wraps`, parses a paragraph's markup
    once for each text and style: a paragraph made again from the same text, bullet and case
    sensitivity, in a style whose values are all the same (fonts, sizes, colours, indents:
    everything the parse reads; not the style's name), gets copies of the fragments the
    parse made (ReportLab notes things on a paragraph's fragments as it breaks it into
    lines: each paragraph has its own), and its own style object, as a parse gives it back.
    A parse that makes a style of its own (``<para>`` attributes), numbers (``<seq>``, a
    counter the parse advances), or a style with a value that cannot be compared as a key
    is not remembered: each is parsed as ReportLab parses it."""

    def parsed_once(
        self: Paragraph,
        text: str,
        style: ParagraphStyle,
        bulletText: object,
        frags: list[ParaFrag] | None,
        cleaner: Callable[[str], str],
    ) -> None:
        if frags is not None or not getattr(_laying_out, "on", False) or "<seq" in text:
            return setup(self, text, style, bulletText, frags, cleaner)
        values = tuple(kv for kv in style.__dict__.items() if kv[0] not in ("name", "parent"))
        key = (text, values, bulletText, self.caseSensitive, cleaner)
        try:
            known = _parses.get(key)
        except TypeError:  # (a value that is not hashable)
            return setup(self, text, style, bulletText, frags, cleaner)
        if known is None:
            setup(self, text, style, bulletText, frags, cleaner)
            if self.style is style:  # (else the parse made a style of its own)
                if len(_parses) >= PARSES_KEPT:
                    _parses.clear()
                bullet = self.bulletText
                number = next(_parse_numbers)
                _parses[key] = (
                    self.text,
                    _copies(self.frags),
                    _copies(bullet) if isinstance(bullet, list) else bullet,
                    number,
                )
                self._layout_parse = (number, style)
            return None
        self.text = known[0]
        self.frags = _copies(known[1])
        self.style = style
        bullet = known[2]
        self.bulletText = _copies(bullet) if isinstance(bullet, list) else bullet
        self.debug = 0
        self._layout_parse = (known[3], style)
        return None

    parsed_once.__wrapped__ = setup  # type: ignore[attr-defined]
    return parsed_once
