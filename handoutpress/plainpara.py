"""A personal letter's plain paragraph: its lines broken and its text operators written
without ReportLab's paragraph machinery, as ReportLab would break and write them.

In a mailing with a recipient field in its running text, the paragraph with the name is
all that differs from one letter to the next (:mod:`handoutpress.mailreplay` replays the
rest), and ReportLab's ``Paragraph.wrap`` (to see whether it keeps the remembered lines)
and ``drawOn`` were most of what was left of a letter's cost. When the paragraph is plain
text — one fragment in one TrueType face, size and colour, left-aligned, no bullet, link,
underline, background, indent of the first line, hyphenation, soft hyphen, shaping or
bidirectional text — ReportLab breaks it greedily (its ``breakLines``, case "kind 0"):

- a line takes words while ``width + space + word <= line width + shrinkage × words``
  (``spaceShrinkage`` of a space per word already on the line), and always one word;
- each line is ``(line width − its width, its words)``.

:class:`PlainText` does that with each word's width measured once per mailing; a word
wider than a line (which ReportLab would split) makes it decline (None), so does anything
else above. The operators are ReportLab's text operators for the lines (each line's text
split into the face's subsets by ReportLab's own ``splitString``, so characters get the
codes ReportLab gives them): :class:`LineWriter` writes a line's once per canvas, and
:class:`Template` keeps what ReportLab drew around them for a paragraph in one place of a
remembered layout (the position, colour and leading), taken from ReportLab's drawing of it
and used only once a second letter's drawing came out as the template says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import _processed_frags
from reportlab.platypus.paragraph import split as rl_split
from reportlab.platypus.paragraph import strip as rl_strip
from reportlab.rl_config import _FUZZ

from .mailcanvas import first_subset_codes

if TYPE_CHECKING:
    from reportlab.platypus.paraparser import ParaFrag

#: a broken line as ReportLab's breakLines gives it: (width left over, its words)
Line = tuple[float, list[str]]

#: widths of words, per (face, size); cleared when it grows past this many words
MAX_WIDTHS = 50_000
_widths: dict[tuple[str, float], dict[str, float]] = {}

#: a line that runs over by up to this (ReportLab's test for a line of "simple" spacing)
_SIMPLE = -1e-8


def _width_table(font: str, size: float) -> dict[str, float]:
    table = _widths.get((font, size))
    if table is None or len(table) > MAX_WIDTHS:
        table = _widths[(font, size)] = {}
    return table


@dataclass(frozen=True)
class PlainText:
    """A paragraph that is plain text (see the module's docstring): its words, face, size,
    colour, leading and indents."""

    words: tuple[str, ...]
    font: str
    size: float
    color: object
    leading: float
    left: float
    right: float
    shrink: float  # the style's spaceShrinkage

    def lines(
        self,
        avail: float,
        fixed: int = 0,
        rests: dict[tuple[object, ...], list[Line]] | None = None,
    ) -> list[Line] | None:
        """ReportLab's lines for this paragraph wrapped at ``avail``; None where ReportLab
        would do more than fill lines with whole words (a word wider than a line).

        ``rests``: for paragraphs whose last ``fixed`` words are the same (the caller's: a
        family's text after its values), the lines from one that begins among those words
        on, by the width and the words left (filling lines from the start of a line
        depends on nothing before it): taken from there when known, else noted."""
        if avail < _FUZZ:
            return None
        line_w = avail - self.left - self.right  # (no first-line indent: plain_text())
        table = _width_table(self.font, self.size)
        space = table.get(" ")
        if space is None:
            space = table[" "] = stringWidth(" ", self.font, self.size)
        shrink = self.shrink * space
        lines: list[Line] = []
        line: list[str] = []
        width = -space
        words = self.words
        n = len(words)
        start = n - fixed if rests is not None and 0 < fixed <= n else n + 1
        noted: tuple[int, tuple[object, ...]] | None = None
        for k, word in enumerate(words):
            w = table.get(word)
            if w is None:
                w = table[word] = stringWidth(word, self.font, self.size)
            if w > line_w:
                return None  # ReportLab splits a long word: left to it
            new = width + space + w
            if new <= line_w + shrink * len(line) or not line:
                line.append(word)
                width = new
            else:
                lines.append((line_w - width, line))
                if k >= start and rests is not None:  # (a line begins among the fixed words)
                    key = (avail, n - k, self.font, self.size, self.left, self.right, self.shrink)
                    rest = rests.get(key)
                    if rest is not None:
                        lines.extend(rest)
                        return lines
                    noted, start = (len(lines), key), n + 1
                line = [word]
                width = w
        if line:
            lines.append((line_w - width, line))
        if noted is not None and rests is not None:
            if len(rests) >= MAX_KEPT:
                rests.clear()
            rests[noted[1]] = lines[noted[0] :]
        return lines

    def height(self, lines: list[Line]) -> float:
        """The paragraph's height with these lines (``Paragraph.wrap``'s)."""
        return len(lines) * self.leading


#: :func:`plain_text` of a paragraph's fragments and style, by their ids (the letters of a
#: mailing copy one parse: ``sharedflowables.ParagraphMemo``); let go when full
_PLAIN_OF: dict[tuple[int, int], tuple[object, object, PlainText | None]] = {}
#: lines of a :class:`PlainText` wrapped at a width, by its id and the width
_LINES_OF: dict[tuple[int, float], tuple[PlainText, list[Line] | None]] = {}
MAX_KEPT = 1024


def plain_text(p: Paragraph) -> PlainText | None:
    """``p`` as :class:`PlainText`, or None when ReportLab would lay it out or draw it
    any other way than filling left-aligned lines with the words of one fragment."""
    if type(p) is not Paragraph or p.bulletText is not None or getattr(p, "debug", False):
        return None
    style = p.style
    if getattr(p, "autoLeading", getattr(style, "autoLeading", "")) not in ("", "off"):
        return None
    if "_offsets" in p.__dict__ or "blPara" in p.__dict__:
        return None  # (wrapped around an image, or already laid out: a split piece)
    frags = p.frags
    key = (id(frags), id(style))
    got = _PLAIN_OF.get(key)
    if got is not None and got[0] is frags and got[1] is style:
        return got[2]
    plain = _plain_of(frags, style)
    if len(_PLAIN_OF) >= MAX_KEPT:
        _PLAIN_OF.clear()
    _PLAIN_OF[key] = (frags, style, plain)
    return plain


def lines_of(plain: PlainText, avail: float) -> list[Line] | None:
    """:meth:`PlainText.lines`, made once per paragraph and width (the lists are shared:
    not to be changed)."""
    key = (id(plain), avail)
    got = _LINES_OF.get(key)
    if got is not None and got[0] is plain:
        return got[1]
    lines = plain.lines(avail)
    if len(_LINES_OF) >= MAX_KEPT:
        _LINES_OF.clear()
    _LINES_OF[key] = (plain, lines)
    return lines


def _plain_of(frags: list[ParaFrag], style: ParagraphStyle) -> PlainText | None:
    if len(frags) != 1 or _processed_frags(frags):
        return None
    f = frags[0]
    text = getattr(f, "text", None)
    if not isinstance(text, str) or "\xad" in text:
        return None  # (no soft hyphens)
    if hasattr(f, "cbDefn") or hasattr(f, "backColor") or f.link or f.us_lines:
        return None
    if getattr(f, "rise", 0) or getattr(f, "nobr", False):
        return None
    if (
        style.alignment != TA_LEFT
        or style.endDots
        or style.wordWrap
        or style.hyphenationLang
        or style.uriWasteReduce
        or style.embeddedHyphenation
        or style.firstLineIndent
        or style.backColor
        or (style.borderColor and style.borderWidth)
        or style.justifyLastLine
    ):
        return None
    font = getFont(f.fontName)
    if not getattr(font, "_dynamicFont", False):
        return None  # (a standard face: its own operators)
    if style.shaping and getattr(font, "shapable", False):
        return None
    text = rl_strip(text)
    words = tuple(rl_split(text))
    if not words or not all(words):
        return None
    return PlainText(
        words, f.fontName, float(f.fontSize), f.textColor, float(style.leading),
        float(style.leftIndent), float(style.rightIndent), float(style.spaceShrinkage),
    )  # fmt: skip


def simple(lines: list[Line]) -> bool:
    """Every line drawn with plain spacing (none runs over into the spaces' shrinkage,
    which ReportLab draws with a word space of its own)."""
    return all(extra > _SIMPLE for extra, _ in lines)


class LineWriter:
    """Text operators of a paragraph's lines on one canvas, as ReportLab's text object
    writes them (``_formatText``: the face's subset set where it changes, each piece
    escaped, then ``T*``); each line's made once per canvas."""

    MAX_LINES = 4096

    def __init__(self, canv: Canvas) -> None:
        self.doc = canv._doc
        self.escape = canv._escape
        #: (face, size, leading, line, subset before) → (operators, subset after)
        self._made: dict[tuple[str, float, float, str, int], tuple[str, int]] = {}
        #: (face, subset, size, leading) → the operators that set them (``_set_font``)
        self._fonts: dict[tuple[str, int, float, float], str] = {}

    def body(self, plain: PlainText, lines: list[Line]) -> str:
        """The operators of ``lines`` in ``plain``'s face, from the start of the text."""
        made = self._made
        if len(made) > self.MAX_LINES:
            made.clear()
        out = []
        subset = -1  # (a text object begins with no subset set)
        for extra, words in lines:
            text = " ".join(words)
            key = (plain.font, plain.size, plain.leading, text, subset)
            got = made.get(key)
            if got is None:
                got = made[key] = self._line(plain, text, subset)
            if extra > _SIMPLE:
                out.append(got[0])
            else:  # (``_leftDrawParaLine``: the spaces shrunk by a word space of its own)
                spaces = len(words) + text.count("\xa0") - 1
                if spaces <= 0:
                    out.append(got[0])
                else:
                    out.append(f"{fp_str(extra / float(spaces))} Tw {got[0]} 0 Tw")
            subset = got[1]
        return " ".join(out)

    def _line(self, plain: PlainText, text: str, subset: int) -> tuple[str, int]:
        font = getFont(plain.font)
        ops = []
        # (every character given a code in the first subset already: splitString's one
        # piece, without its loop; a letter with a name never seen costs a new line)
        codes = first_subset_codes(font, self.doc, text)
        pieces = [(0, codes)] if codes else font.splitString(text, self.doc)
        for n, piece in pieces:
            if n != subset:
                ops.append(self._set_font(plain, n))
                subset = n
            ops.append(f"({self.escape(piece)}) Tj")
        return " ".join(ops) + " T*", subset

    def _set_font(self, plain: PlainText, subset: int) -> str:
        """``/<subset's name> <size> Tf <leading> TL``, made once per canvas (a subset's
        name never changes in a document)."""
        key = (plain.font, subset, plain.size, plain.leading)
        got = self._fonts.get(key)
        if got is None:
            name = getFont(plain.font).getSubsetInternalName(subset, self.doc)
            got = self._fonts[key] = f"{name} {fp_str(plain.size)} Tf {fp_str(plain.leading)} TL"
        return got


@dataclass
class Template:
    """What ReportLab drew around a plain paragraph's lines in one place of a layout (its
    position, state, colour and leading before them; closing the text and the states
    after), for paragraphs of one face, size, colour and leading."""

    head: str
    tail: str
    key: tuple[str, float, object, float]
    #: a second letter's lines came out as the template says; also one with a line whose
    #: spaces shrank (a word space of its own)
    verified: bool = False
    verified_shrunk: bool = False

    @classmethod
    def learn(cls, drawn: str, body: str, plain: PlainText) -> Template | None:
        """From ReportLab's drawing ``drawn`` (its operators joined by newlines) of the
        lines whose operators are ``body``; None if the lines are not found there once."""
        if drawn.count(body) != 1:
            return None
        at = drawn.index(body)
        return cls(drawn[:at], drawn[at + len(body) :], key_of(plain))

    def draws(self, plain: PlainText) -> bool:
        return self.key == key_of(plain)

    def ops(self, body: str) -> str:
        return self.head + body + self.tail


def key_of(plain: PlainText) -> tuple[str, float, object, float]:
    return (plain.font, plain.size, plain.color, plain.leading)


class PlainDrawer:
    """Plain paragraphs drawn on one canvas: the lines' operators (:class:`LineWriter`)
    in the :class:`Template` of each place of a layout (known by the caller's key), once
    ReportLab's own drawing there confirmed it."""

    def __init__(self, canv: Canvas) -> None:
        self.writer = LineWriter(canv)
        self.templates: dict[int, Template] = {}
        #: ReportLab broke a paragraph into other lines than :meth:`PlainText.lines`
        self.disagreed = False

    def draw(self, place: int, plain: PlainText, lines: list[Line], code: list[str]) -> bool:
        """Append the paragraph's operators to ``code`` if its place has a confirmed
        template for it; False: not drawn (ReportLab draws it, then :meth:`learn`)."""
        t = self.templates.get(place)
        if t is None or not t.verified or not t.draws(plain):
            return False
        if not t.verified_shrunk and not simple(lines):
            return False
        code.append(t.ops(self.writer.body(plain, lines)))
        return True

    def learn(
        self, place: int, plain: PlainText, lines: list[Line], p: Paragraph, drawn: list[str]
    ) -> None:
        """ReportLab drew ``p`` (wrapped as ``lines`` say) as ``drawn``: make its place's
        template from it, or confirm the one made from the letter before."""
        bl = getattr(p, "blPara", None)
        if bl is None or bl.kind != 0 or [(e, list(w)) for e, w in bl.lines] != lines:
            self.disagreed = True
            return
        joined = "\n".join(drawn)
        body = self.writer.body(plain, lines)
        known = self.templates.get(place)
        if known is not None and known.draws(plain) and known.ops(body) == joined:
            known.verified = True
            known.verified_shrunk = known.verified_shrunk or not simple(lines)
            return
        if known is not None and known.verified:
            return  # (not this one: drawn by ReportLab, which it is)
        made = Template.learn(joined, body, plain)
        if made is None:
            self.templates.pop(place, None)
        else:
            self.templates[place] = made
