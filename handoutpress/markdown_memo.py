"""Markdown parsed once per mailing, not once per recipient.

A mailing renders a section's template for every recipient (``Thank you, {{
patient.first_name }}, for …``) and, before this module, parsed the Markdown of every
result again. The text differs only where a recipient's values were printed, and a printed
value is escaped for Markdown (:func:`~handoutpress.templating.escape_markdown`: each ASCII
punctuation mark behind a backslash, spaces collapsed), so it is plain text wherever it
falls. :class:`MarkdownMemo` masks each occurrence of a value's escaped form with a
private-use character (one per value), parses the masked text once per distinct masked text,
and puts each value's text back into the spans: what :func:`~handoutpress.markdown.parse_blocks`
of the recipient's own text gives, without parsing it.

The masked parse stands for the text only where a value cannot change what is parsed
around it, checked on the masked text's tokens (the text is parsed directly otherwise):

- the escaped value begins and ends with a letter: Markdown classes a letter and the
  mask alike (neither space nor punctuation: the same emphasis flanking; no list number or
  block marker begins with a letter);
- every mask is in plain text: not in code (shown as written, backslashes too), a link
  (its address, or its text, which is compared with the address) or a picture;
- no mask is part of a possible entity (``&name;``) or automatic link (``<scheme:…>``), and
  the text defines no link references (matched by their label's text).

Texts with no value in them (a section's heading, the same for every recipient) are
remembered as they are. The memo is bounded (:attr:`MarkdownMemo.SIZE` texts).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from markdown_it.token import Token

from .markdown import Block, Inline, ListBlock, Para, Picture, Span, _blocks, _merge, _parser
from .markdown import _spans as spans_of
from .personal import Handout, references
from .template_values import escape_markdown

#: the masks: one private-use character per value (U+E000 …)
_FIRST = 0xE000
_MASKS = 256
_MASK_CHARS = f"[{chr(_FIRST)}-{chr(_FIRST + _MASKS - 1)}]"
_HAS_MASK = re.compile(_MASK_CHARS)
#: a mask that could be part of an entity (``&amp;``) or an automatic link (``<a@b.c>``)
_ENTITY_OR_AUTOLINK = re.compile(rf"&[#A-Za-z0-9]*{_MASK_CHARS}|<[^<>\s]*{_MASK_CHARS}")

#: what a text parses to: blocks, or spans (a paragraph's or heading's text)
_P = TypeVar("_P", tuple[Block, ...], Inline)
#: a remembered parse: blocks or spans with masks in them, and whether any is there
_Parsed = tuple[_P, bool]


class MarkdownMemo:
    """Parses of the texts of one mailing, by text with each recipient value masked."""

    #: the most masked texts remembered (the oldest is forgotten first)
    SIZE = 512

    def __init__(self) -> None:
        self._blocks: dict[str, _Parsed[tuple[Block, ...]] | None] = {}
        self._inline: dict[str, _Parsed[Inline] | None] = {}
        #: per handout (by id, kept alive here): the variables its text names
        self._names: dict[int, tuple[Handout, frozenset[str]]] = {}

    def for_values(self, values: Iterable[str]) -> RowParser:
        """A parser for the texts made with these values (a recipient's)."""
        return RowParser(self, values)

    def for_row(self, handout: Handout, value: Callable[[str], object]) -> RowParser:
        """A parser for ``handout``'s texts made with a recipient's values (``value(name)``
        for ``patient.first_name``, None if not given): only the values its text names are
        masked (any other a template prints makes its texts differ by row, each parsed)."""
        known = self._names.get(id(handout))
        if known is None or known[0] is not handout:
            known = self._names[id(handout)] = (handout, frozenset(references(handout)))
        values = (value(name) for name in known[1])
        return RowParser(self, [v for v in values if isinstance(v, str)])

    def _remember(
        self, memo: dict[str, _Parsed[_P] | None], key: str, got: _Parsed[_P] | None
    ) -> None:
        if len(memo) >= self.SIZE:
            del memo[next(iter(memo))]
        memo[key] = got


class RowParser:
    """:func:`~handoutpress.markdown.parse_blocks` and ``parse_inline`` of one recipient's
    texts, through the memo."""

    def __init__(self, memo: MarkdownMemo, values: Iterable[str]) -> None:
        self.memo = memo
        self._values: list[tuple[str, str]] = []  # (escaped, shown), longest escaped first
        seen: set[str] = set()
        for value in values:
            escaped = escape_markdown(value)
            if escaped and escaped not in seen:
                seen.add(escaped)
                self._values.append((escaped, " ".join(str(value).split())))
        self._values.sort(key=lambda v: -len(v[0]))

    def blocks(self, text: str) -> tuple[Block, ...]:
        return self._parse(text, self.memo._blocks, _parse_blocks, _unmask_blocks)

    def inline(self, text: str) -> Inline:
        return self._parse(text, self.memo._inline, _parse_inline, _unmask_spans)

    def _parse(
        self,
        text: str,
        memo: dict[str, _Parsed[_P] | None],
        parse: Callable[[str, bool], _Parsed[_P] | None],
        unmask: Callable[[_P, dict[int, str]], _P],
    ) -> _P:
        masked = self._mask(text)
        if masked is None:
            return _unmasked(parse, text)
        key, table = masked
        if key in memo:
            got = memo[key]
        else:
            got = parse(key, bool(table))
            self.memo._remember(memo, key, got)
        if got is None:  # a value there could change the parse: parse the text itself
            return _unmasked(parse, text)
        parsed, has_masks = got
        return unmask(parsed, table) if has_masks else parsed

    def _mask(self, text: str) -> tuple[str, dict[int, str]] | None:
        """The text with each value's escaped form replaced by a mask, and the masks'
        texts; None if the text or a value already has a mask character, or a value
        there does not begin and end with a letter."""
        found = [(e, s) for e, s in self._values if e in text]
        if not found:
            return text, {}
        if len(found) > _MASKS or _HAS_MASK.search(text):
            return None
        table: dict[int, str] = {}
        for n, (escaped, shown) in enumerate(found):
            if not (escaped[0].isalpha() and escaped[-1].isalpha()) or _HAS_MASK.search(escaped):
                return None
            mask = chr(_FIRST + n)
            text = text.replace(escaped, mask)
            table[ord(mask)] = shown
        return text, table


# --------------------------------------------------------------------------- parsing


def _unmasked(parse: Callable[[str, bool], _Parsed[_P] | None], text: str) -> _P:
    """``parse`` of a text without masks (which always parses: None only for a masked text)."""
    got = parse(text, False)
    assert got is not None
    return got[0]


def _parse_blocks(text: str, masked: bool) -> _Parsed[tuple[Block, ...]] | None:
    env: dict[str, object] = {}
    tokens = _parser().parse(text, env)
    if masked and not _masks_inert(text, tokens, env):
        return None
    blocks, _ = _blocks(tokens, 0, None)
    return tuple(blocks), masked


def _parse_inline(text: str, masked: bool) -> _Parsed[Inline] | None:
    env: dict[str, object] = {}
    tokens = _parser().parseInline(text, env)
    if masked and not _masks_inert(text, tokens, env):
        return None
    spans: list[Span] = []
    for tok in tokens:
        spans.extend(spans_of(tok.children or []))
    return _merge(spans), masked


def _masks_inert(text: str, tokens: list[Token], env: dict[str, object]) -> bool:
    """Is every mask in plain text, where a value's text would be parsed as the mask is?"""
    if env.get("references") or _ENTITY_OR_AUTOLINK.search(text):
        return False
    for tok in tokens:
        if tok.type != "inline":
            if _has_mask(tok):
                return False
            continue
        children = tok.children or []
        in_link = 0
        for child in children:
            if child.type == "link_open":
                in_link += 1
            elif child.type == "link_close":
                in_link -= 1
            if _has_mask(child) and (child.type != "text" or in_link):
                return False
        if any(c.type == "image" for c in children) and _HAS_MASK.search(tok.content):
            return False  # (the text after a picture is its attributes)
    return True


def _has_mask(tok: Token) -> bool:
    if _HAS_MASK.search(tok.content):
        return True
    if any(_HAS_MASK.search(str(v)) for v in (tok.attrs or {}).values()):
        return True
    return any(_has_mask(c) for c in tok.children or [])


# --------------------------------------------------------------------------- unmasking


def _unmask_spans(spans: Inline, table: dict[int, str]) -> Inline:
    """The spans with the values put back; the same spans (the object) when none has a mask:
    a paragraph with no value is then known as the same for every recipient
    (:class:`~handoutpress.sharedflowables.ParagraphMemo`)."""
    if not any(_HAS_MASK.search(s.text) for s in spans):
        return spans
    out = Valued(
        dataclasses.replace(s, text=_put_back(s.text, table)) if _HAS_MASK.search(s.text) else s
        for s in spans
    )
    out.values = tuple(table.values())
    return out


class Valued(tuple[Span, ...]):
    """Spans a recipient's values were put back into, and those values (as printed): the
    paragraph memo parses such a text once with the values masked
    (:class:`~handoutpress.sharedflowables.ParagraphMemo`)."""

    values: tuple[str, ...] = ()


def _put_back(text: str, table: dict[int, str]) -> str:
    """``text.translate(table)``: a replace per mask (translate with a table looks up every
    character of the text: about 40 µs for a paragraph). The same, as no value holds a mask
    (``_mask`` refuses one)."""
    for mask, shown in table.items():
        text = text.replace(chr(mask), shown)
    return text


def _unmask_blocks(blocks: tuple[Block, ...], table: dict[int, str]) -> tuple[Block, ...]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Para):
            spans = _unmask_spans(block.spans, table)
            out.append(block if spans is block.spans else dataclasses.replace(block, spans=spans))
        elif isinstance(block, ListBlock):
            items = tuple(_unmask_blocks(item, table) for item in block.items)
            out.append(dataclasses.replace(block, items=items))
        else:  # a picture: never has a mask (refused when parsed)
            assert isinstance(block, Picture)
            out.append(block)
    return tuple(out)
