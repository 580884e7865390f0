"""A personal letter made from another letter's forms with its own values in the paragraph.

:mod:`handoutpress.mailrepeat` makes a letter from the forms of one drawn before with the
same composition; in a real mailing, though, most recipients' first names (visit dates…)
differ, and each such letter was composed, made into flowables, matched against the
remembered layouts and replayed, although it differs from the letter before only in the
words of one plain paragraph (:mod:`handoutpress.plainpara`). Here such a letter is made
from a kept letter's forms with only that paragraph's operators written anew:

- its texts print the values they read as they are (``batch.compositions.printed_only``:
  ``Thank you, {{ patient.first_name }}, for …``, no tag, filter or call, no value after
  ``&``, ``<`` or a number) and each value is letters and single spaces: then the text made
  with one value is the text made with another, the value replaced — through Jinja (each
  value printed escaped for Markdown, which leaves letters and spaces as they are),
  Markdown (a value that begins and ends with a letter, outside code, links and entities,
  parses as the mask does: see :mod:`handoutpress.markdown_memo`) and ReportLab's parser
  (letters outside every tag: see ``sharedflowables.ParagraphMemo``);
- so the family's letters (:meth:`~handoutpress.batch.compositions.Compositions.variant`:
  the rows whose composition key differs only in those values) are composed once with a
  **mask** for each value (:data:`MASKS`, words of letters) and the mask found in one plain
  paragraph's text, every other personal flowable the same as the kept letter's; that the
  kept letter's own values put in for the masks give its paragraph's words and text
  exactly is checked;
- a row's paragraph is the masked text with its values put in; the layout it takes is
  found as ``Replays.match`` finds it (the first remembered layout whose sizes it takes:
  the paragraph's from its lines, the others' as sized before), and when a letter of the
  family was kept in that layout on this canvas (drawn from its verified stencil, the
  paragraph drawn from its lines), the new letter's forms are that letter's with the
  paragraph's operators (:class:`~handoutpress.plainpara.PlainDrawer`) in place of its
  own. Anything else (a text longer than a text may be, a paragraph that takes the
  remembered layout's text, a word wider than the line) is composed and replayed as
  before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import split as rl_split
from reportlab.platypus.paragraph import strip as rl_strip

from .mailpdf import pdfdoc_ascii
from .mailrecord import Layout, content_key, shape_of, width_only
from .mailrepeat import Spliced
from .mailstencil import MARK
from .markdown_memo import MarkdownMemo, RowParser
from .plainpara import Line, PlainText, plain_text
from .template_values import MAX_TEXT, escape_markdown

if TYPE_CHECKING:
    from .compose import Composed
    from .mailrepeat import Repeat, Slot
    from .markdown import Block, Inline
    from .personal import Handout

#: a recipient value a template reads: (namespace, name)
Read = tuple[str, str]
#: the masks put in for the values read, in their order: words of letters no text has
MASKS = tuple(f"Qxzjvq{a}{b}" for a in "kwyx" for b in "jqzv")


@dataclass
class Row:
    """A recipient's letter of a family (made by ``batch.worker``)."""

    family: tuple[object, ...]
    reads: tuple[Read, ...]
    #: the values read, as printed
    shown: tuple[str, ...]
    #: the row's personal sections composed with other values in place of those read,
    #: parsed through a memo
    compose: Callable[[Mapping[Read, str], MarkdownMemo], Composed]
    #: the row's own composition (made when the letter is not made from another's)
    own: Callable[[], Composed]
    #: the personal flowables of a composition (set by the merge)
    leaves: Callable[[Composed], list[Flowable]] | None = None


@dataclass(frozen=True)
class Family:
    """The masked paragraph of a family's letters."""

    leaf: int
    frag: str  # its fragment's text
    text: str  # the paragraph's text
    style: object
    masks: tuple[str, ...]
    #: the rendered texts with a mask in them: their length and each mask's count
    texts: tuple[tuple[int, tuple[int, ...]], ...]
    body: frozenset[str]
    #: the other personal flowables' content_key() (the same in every letter of the family)
    keys: tuple[tuple[object, ...] | None, ...] = ()
    #: the paragraph's words (``words_of(frag)``) and which of them have a mask
    words: tuple[str, ...] = ()
    masked: tuple[int, ...] = ()
    #: per set of punctuation in values (``O'Brien``): does composing the family with it
    #: give what :meth:`put` and :meth:`words_with` make (:meth:`takes`)
    probed: dict[frozenset[str], bool] = field(default_factory=dict, compare=False)
    #: the lines of the words after the last value (``PlainText.lines``' rests)
    rests: dict[tuple[object, ...], list[Line]] = field(default_factory=dict, compare=False)

    def put(self, shown: Iterable[str]) -> tuple[str, str] | None:
        """The paragraph's fragment text and text with these values; None when a text
        would come out longer than a text may be (compose refuses it)."""
        shown = tuple(shown)
        if any(m in s for s in shown for m in self.masks):
            return None  # (a value with a mask in it: the masks put in one by one)
        sizes = [len(s) if _plain(s) else len(escape_markdown(s)) for s in shown]  # (as printed)
        for length, counts in self.texts:
            grown = sum(c * (n - len(m)) for c, n, m in zip(counts, sizes, self.masks, strict=True))
            if length + grown > MAX_TEXT:
                return None
        frag, text = self.frag, self.text
        for m, s in zip(self.masks, shown, strict=True):
            if not self.body.issuperset(s):
                return None  # (a character from the fallback face: another fragment)
            frag, text = frag.replace(m, s), text.replace(m, s)
        return frag, text

    def takes(self, row: Row, plain: PlainText) -> bool:
        """Are the row's values ones :meth:`put` makes the paragraph of? Letters and spaces
        are; punctuation (``batch.compositions``: ``'``, ``’``, ``-``, ``.`` between letters)
        once composing the family with probes that hold it gave what :meth:`put` and
        :meth:`words_with` make of them (Markdown's escapes, ReportLab's parser), checked
        once per family and set of punctuation."""
        marks = frozenset(
            ch for s in row.shown if not _plain(s) for ch in s if not ch.isalpha() and ch != " "
        )
        if not marks:
            return True
        got = self.probed.get(marks)
        if got is None:
            got = self.probed[marks] = _probe(self, row, plain, marks)
        return got

    def words_with(self, shown: tuple[str, ...]) -> tuple[str, ...]:
        """``words_of`` the fragment text :meth:`put` makes with these values (each value
        words and single spaces: a masked word becomes the words its values make)."""
        words = list(self.words)
        for k in reversed(self.masked):
            w = words[k]
            for m, s in zip(self.masks, shown, strict=True):
                w = w.replace(m, s)
            words[k : k + 1] = w.split(" ")
        return tuple(words)


@dataclass
class Variant:
    """A family's letter kept in one layout on a canvas: its forms, and where in them its
    paragraph's operators are."""

    repeat: Repeat
    layout: Layout
    leaf: int
    #: the paragraph's place in the layout (the plain drawer's key)
    place: int
    plain: PlainText
    keys: list[tuple[object, ...] | None]
    widths: list[bool]  # width_only() of each personal flowable
    form: int  # the form (in ``repeat.forms``) that draws the paragraph
    head: str
    tail: str
    #: ``head`` and ``tail`` as bytes split where ``MARK`` is (None: not ASCII, or a
    #: character ``pdfdoc_bytes`` leaves to ReportLab's codec)
    spliced: tuple[tuple[bytes, ...], tuple[bytes, ...]] | None = field(init=False)

    def __post_init__(self) -> None:
        ends = (self.head, self.tail)
        plain = all(pdfdoc_ascii(t) for t in ends)
        mark = MARK.encode("ascii")
        self.spliced = (
            (tuple(self.head.encode().split(mark)), tuple(self.tail.encode().split(mark)))
            if plain
            else None
        )

    def code_with(self, ops: str) -> str | Spliced:
        """The form's content with ``ops`` (the paragraph's operators, without ``MARK``)
        between its head and tail: as bytes split at ``MARK`` when all of it is ASCII that
        ``pdfdoc_bytes`` encodes (``Repeat.emit`` puts the letter's total name in)."""
        if self.spliced is not None and pdfdoc_ascii(ops):
            return Spliced(self.spliced[0], ops.encode("ascii"), self.spliced[1])
        return self.head + ops + self.tail


class _Texts(MarkdownMemo):
    """A Markdown memo that notes every text compose parses (its rendered templates)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def for_row(self, handout: Handout, value: Callable[[str], object]) -> RowParser:
        parser = super().for_row(handout, value)
        texts = self.texts
        blocks, inline = parser.blocks, parser.inline

        def noted_blocks(text: str) -> tuple[Block, ...]:
            texts.append(text)
            return blocks(text)

        def noted_inline(text: str) -> Inline:
            texts.append(text)
            return inline(text)

        parser.blocks = noted_blocks  # type: ignore[method-assign]
        parser.inline = noted_inline  # type: ignore[method-assign]
        return parser


def family_of(
    row: Row, leaves: list[Flowable], layout: Layout, keys: list[tuple[object, ...] | None],
    slot: Slot, body: frozenset[str],
) -> Family | None:  # fmt: skip
    """The family's masked paragraph, from its composition with masks, checked against the
    letter just kept (``leaves`` laid out in ``layout``, its paragraph at ``slot``)."""
    from .errors import HandoutError

    if row.leaves is None or len(row.reads) > len(MASKS):
        return None
    masks = MASKS[: len(row.reads)]
    memo = _Texts()
    try:
        mine = row.leaves(row.compose(dict(zip(row.reads, masks, strict=True)), memo))
    except HandoutError:
        return None
    if len(mine) != len(leaves) or [shape_of(f) for f in mine] != layout.shapes:
        return None
    i = slot.leaf
    for j, f in enumerate(mine):
        if j == i:
            continue
        k = content_key(f)
        if k != keys[j] or (k is None and not hasattr(f, "with_children")):
            return None  # (another flowable differs, or is not known to be the same)
    p = mine[i]
    got = plain_text(p) if isinstance(p, Paragraph) else None
    if got is None or _props(got) != _props(slot.plain) or keys[i] is None:
        return None
    key = keys[i]
    if key is None or key != (Paragraph, key[1], p.style, None):
        return None
    frag = p.frags[0].text
    if not all(m in frag for m in masks):
        return None
    texts = tuple(
        (len(t), tuple(t.count(m) for m in masks)) for t in memo.texts if any(m in t for m in masks)
    )
    others = tuple(None if j == i else k for j, k in enumerate(keys))
    words = words_of(frag)
    if words is None:
        return None
    masked = tuple(n for n, w in enumerate(words) if any(m in w for m in masks))
    return Family(i, frag, p.text, p.style, masks, texts, body, others, words, masked)


def _plain(value: str) -> bool:
    """Letters and spaces only (printed as they are)."""
    return value.replace(" ", "").isalpha()


def _probe(fam: Family, row: Row, plain: PlainText, marks: frozenset[str]) -> bool:
    """Composing the family with each mask holding ``marks`` (between letters, and before a
    space) gives the paragraph and words :class:`Family` makes of them, and the other
    personal flowables unchanged. (The texts' lengths: :meth:`Family.put` counts each value
    as printed, escaped for Markdown.)"""
    from .errors import HandoutError

    if row.leaves is None or any(ch.isalpha() or ch.isspace() for ch in marks):
        return False
    p = "".join(sorted(marks))
    probes = tuple(f"{m[:2]}{p}{m[2:5]}{p} {m[5:]}" for m in fam.masks)
    made = fam.put(probes)
    if made is None:
        return False
    try:
        mine = row.leaves(row.compose(dict(zip(row.reads, probes, strict=True)), MarkdownMemo()))
    except HandoutError:
        return False
    if len(mine) != len(fam.keys):
        return False
    for j, f in enumerate(mine):
        if j == fam.leaf:
            continue
        k = content_key(f)
        if k != fam.keys[j] or (k is None and not hasattr(f, "with_children")):
            return False  # (as family_of: the others the same as the kept letter's)
    q = mine[fam.leaf]
    got = plain_text(q) if isinstance(q, Paragraph) else None
    if got is None or _props(got) != _props(plain) or got.words != fam.words_with(probes):
        return False
    return q.frags[0].text == made[0] and content_key(q) == (Paragraph, made[1], fam.style, None)


def _props(p: PlainText) -> tuple[object, ...]:
    return (p.font, p.size, p.color, p.leading, p.left, p.right, p.shrink)


def words_of(frag: str) -> tuple[str, ...] | None:
    """A plain paragraph's words from its fragment's text (as ``plainpara`` takes them)."""
    words = tuple(rl_split(rl_strip(frag)))
    return words if words and all(words) and "\xad" not in frag else None


def variant_of(
    fam: Family, row: Row, repeat: Repeat, layout: Layout, keys: list[tuple[object, ...] | None],
    widths: list[bool], slot: Slot,
) -> Variant | None:  # fmt: skip
    """The kept letter ``repeat`` (the row's) as a variant: its paragraph's operators found
    in its form; None if its own values put into the mask do not give its paragraph."""
    made = fam.put(row.shown)
    if made is None or words_of(made[0]) != slot.plain.words:
        return None
    if fam.words_with(row.shown) != slot.plain.words:
        return None  # (what layout_for takes as the words of the family's letters)
    if tuple(None if j == fam.leaf else k for j, k in enumerate(keys)) != fam.keys:
        return None  # (another flowable differs from the family's)
    key = keys[fam.leaf]
    if key is None or key[1] != made[1]:
        return None
    # (the form's text: the preamble, then each part's operators, a line each)
    return _located(repeat, slot, layout, fam.leaf, keys, widths)


def _located(
    repeat: Repeat, slot: Slot, layout: Layout, leaf: int, keys: list[tuple[object, ...] | None],
    widths: list[bool],
) -> Variant | None:  # fmt: skip
    parts = repeat.parts
    if parts is None or slot.page >= len(parts):
        return None
    page = parts[slot.page]
    own = page[slot.part]
    if not isinstance(own, tuple) or len(own) != 1:
        return None
    flat: list[list[str]] = [[], []]
    for n, part in enumerate(page):
        if n != slot.part:
            side = flat[0] if n < slot.part else flat[1]
            side.extend(part if isinstance(part, tuple) else [part])
    head = "\n".join([repeat.preamble, *flat[0]]) + "\n"
    tail = "".join("\n" + op for op in flat[1]) + "\n"
    suffix = f"-p{slot.page + 1}"
    form = next((n for n, f in enumerate(repeat.forms) if f.suffix == suffix), None)
    if form is None:
        return None
    code = repeat.forms[form].code
    text = code.decode("ascii") if isinstance(code, bytes) else code
    if head + own[0] + tail != text or MARK in own[0]:
        return None
    return Variant(
        repeat, layout, leaf, slot.place, slot.plain, list(keys), widths, form, head, tail
    )


@dataclass
class Found:
    """The layout a row's letter takes, and its paragraph there."""

    layout: Layout
    plain: PlainText
    lines: list[Line]


def layout_for(
    fam: Family, row: Row, like: Variant, layouts: list[Layout],
    sized: Mapping[tuple[object, float, float], tuple[float, float, int]],
) -> Found | None:  # fmt: skip
    """The first of ``layouts`` the row's letter takes (as ``Replays.match`` would find it:
    the other personal flowables are the kept letter ``like``'s), or None when that is not
    known here (a size not worked out before, a paragraph with a layout's own text)."""
    made = fam.put(row.shown)
    if made is None or not fam.takes(row, like.plain):
        return None
    words = fam.words_with(row.shown)
    p = like.plain
    plain = PlainText(words, p.font, p.size, p.color, p.leading, p.left, p.right, p.shrink)
    i = fam.leaf
    keys = list(like.keys)
    keys[i] = (Paragraph, made[1], fam.style, None)
    shapes = like.layout.shapes
    for layout in layouts:
        if layout.shapes != shapes:
            continue
        same = {j for j, k in enumerate(keys) if k is not None and k == layout.keys[j]}
        if i in same:
            return None  # (drawn as that layout's own paragraph: replayed as before)
        broken: list[Line] | None = None
        for j, d in enumerate(layout.dims):
            if d is None or j in same:
                continue
            aw, ah, w, h, n = d
            if j == i:
                broken = plain.lines(aw, len(fam.words) - 1 - fam.masked[-1], fam.rests)
                if broken is None:
                    return None
                got: tuple[float, float, int] | None = (aw, plain.height(broken), len(broken))
            else:
                k = keys[j]
                got = sized.get((k, aw, 0.0 if like.widths[j] else ah)) if k is not None else None
                if got is None:
                    return None
            if got != (w, h, n):
                break
        else:
            if broken is None:
                return None
            return Found(layout, plain, broken)
    return None


@dataclass
class Variants:
    """The families' masked paragraphs (per mailing) and their kept letters (per canvas)."""

    families: dict[tuple[object, ...], Family | None] = field(default_factory=dict)
    kept: dict[tuple[tuple[object, ...], int], Variant] = field(default_factory=dict)
    #: per canvas, by family and values: the letter made from and its paragraph's form
    #: text (the same values, the same operators: each character's code is kept)
    made: dict[tuple[tuple[object, ...], tuple[str, ...]], tuple[Variant, str | Spliced]] = field(
        default_factory=dict
    )
    #: per family, the key of its first letter in ``kept`` (``any_for``)
    first: dict[tuple[object, ...], tuple[tuple[object, ...], int]] = field(default_factory=dict)
    MAX: int = 256
    MAX_MADE: int = 4096

    def on_new_canvas(self) -> None:
        """Forget the kept and made letters (they are of the canvas before)."""
        self.kept, self.made, self.first = {}, {}, {}

    def remember(self, row: Row, made: tuple[Variant, str | Spliced]) -> None:
        if len(self.made) >= self.MAX_MADE:
            self.made.clear()
        self.made[(row.family, row.shown)] = made

    def keep(self, row: Row, variant: Variant) -> None:
        if len(self.kept) >= self.MAX:
            self.kept.clear()
            self.first.clear()
        key = (row.family, id(variant.layout))
        self.kept[key] = variant
        self.first.setdefault(row.family, key)

    def learn(
        self, kept: Repeat, slot: Slot, row: Row, leaves: list[Flowable], layout: Layout,
        keys: list[tuple[object, ...] | None], same: frozenset[int], body: frozenset[str],
    ) -> None:  # fmt: skip
        """Keep the letter just drawn (``kept``, its paragraph at ``slot``) to make its
        family's letters in this layout from."""
        if slot.leaf in same:
            return
        fams = self.families
        if row.family not in fams:
            fams[row.family] = family_of(row, leaves, layout, keys, slot, body)
        fam = fams[row.family]
        if fam is None or fam.leaf != slot.leaf:
            return
        v = variant_of(fam, row, kept, layout, keys, widths_of(leaves), slot)
        if v is None:
            fams[row.family] = None  # (its own values do not give its paragraph: never)
            return
        self.keep(row, v)

    def any_for(self, family: tuple[object, ...]) -> Variant | None:
        """The family's first kept letter on the canvas (in the order kept)."""
        key = self.first.get(family)
        return self.kept.get(key) if key is not None else None


def widths_of(leaves: list[Flowable]) -> list[bool]:
    return [width_only(f) for f in leaves]
