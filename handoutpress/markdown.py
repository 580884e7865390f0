"""Markdown section bodies → a small tree of blocks (no ReportLab here).

Supported: paragraphs, **bold**, *italic*, bullet and numbered lists (nested),
[links](https://…), words in another language (``[por favor]{lang=es}``: a
:class:`Span` with ``lang``, tagged in the PDF as a ``Span`` with its ``/Lang``; the tag is
checked by :mod:`handoutpress.language_tags` when the handout is composed) and pictures on
a line of their own,
``![Ice pack on the shoulder](images/ice.svg){width=50%}`` (a :class:`Picture`; the
file is found and checked by :mod:`handoutpress.pictures`). Raw HTML is never
interpreted: ``<b>`` prints as typed. Headings inside a body become bold paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar, Union

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .errors import Location

SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")


@dataclass(frozen=True)
class Span:
    """A run of text with one set of inline styles."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None
    #: the language of words in another language (``[texto]{lang=es}``), as written
    lang: str | None = None


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Para:
    spans: Inline
    #: a bundled pictogram in place of the bullet (``- {icon:ice} Ice…``: a list item's
    #: first paragraph; set by :func:`handoutpress.toolspec.take_icons`)
    icon: str | None = None


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True)
class Picture:
    """``![alt](src){attributes}``: a picture as written; :mod:`handoutpress.pictures`
    resolves it (``path``, ``width``, ``decorative``) or reports it."""

    src: str
    alt: str
    #: the text right after the image, e.g. ``{width=50%}`` or ``{decorative}`` ("" if none)
    attributes: str
    #: 0-based line of the body the picture is on
    line: int
    #: False when text shares the paragraph with the picture (an error)
    alone: bool = True
    #: set once resolved: the file, the fraction of the column it spans, no alt needed
    path: Path | None = None
    width: float = 1.0
    decorative: bool = False
    #: where it is written (file, line, column) and the field (``sections[2].body``)
    location: Location | None = None
    field: str = ""
    #: the handout's folder: the file, and an SVG's own references, must be inside it
    folder: Path | None = None


Block = Union[Para, ListBlock, Picture]  # noqa: UP007 - a runtime alias must work on Python 3.10
_B = TypeVar("_B", Para, Picture)


#: what follows the brackets of words in another language: ``{lang=es}``
LANG_MARK = re.compile(r"\{lang=([^}\s]*)\}")


def _lang_span(state: StateInline, silent: bool) -> bool:
    """``[words]{lang=xx}``: the words as a span in language ``xx`` (its own Markdown inside:
    bold, a link); written before the link rule, as the link rule reads its brackets."""
    if state.src[state.pos] != "[":
        return False
    end = state.md.helpers.parseLinkLabel(state, state.pos, False)
    if end < 0:
        return False
    m = LANG_MARK.match(state.src, end + 1)
    if m is None:
        return False
    if not silent:
        pos_max = state.posMax
        state.pos, state.posMax = state.pos + 1, end
        state.push("lang_span_open", "span", 1).attrSet("lang", m.group(1))
        state.md.inline.tokenize(state)
        state.push("lang_span_close", "span", -1)
        state.posMax = pos_max
    state.pos = m.end()
    return True


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.inline.ruler.before("link", "lang_span", _lang_span)
    return md


@lru_cache(maxsize=512)
def parse_blocks(text: str) -> tuple[Block, ...]:
    """Parse a Markdown body into blocks (remembered: ``check`` reads each body four or five
    times, for the reading level, the content rules and each layout; blocks are frozen)."""
    tokens = _parser().parse(text)
    blocks, _ = _blocks(tokens, 0, None)
    return tuple(blocks)


def parse_inline(text: str) -> Inline:
    """Parse one line of inline Markdown (titles, headings, labels)."""
    tokens = _parser().parseInline(text)
    spans: list[Span] = []
    for tok in tokens:
        spans.extend(_spans(tok.children or []))
    return _merge(spans)


def plain_text(spans: Inline) -> str:
    return "".join(s.text for s in spans)


def _blocks_of(blocks: Iterable[Block], kind: type[_B]) -> Iterator[_B]:
    """Every ``kind`` block of ``blocks`` in reading order, those inside list items included."""
    for block in blocks:
        if isinstance(block, kind):
            yield block
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _blocks_of(item, kind)


def paragraphs(blocks: Iterable[Block]) -> Iterator[Para]:
    """Every paragraph of ``blocks`` in reading order, those inside list items included."""
    return _blocks_of(blocks, Para)


def pictures(blocks: Iterable[Block]) -> Iterator[Picture]:
    """Every picture of ``blocks`` in reading order, those inside list items included."""
    return _blocks_of(blocks, Picture)


def map_pictures(blocks: tuple[Block, ...], fn: Callable[[Picture], Picture]) -> tuple[Block, ...]:
    """``blocks`` with every picture (in lists too) replaced by ``fn(picture)``."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Picture):
            out.append(fn(block))
        elif isinstance(block, ListBlock):
            items = tuple(map_pictures(item, fn) for item in block.items)
            out.append(ListBlock(block.ordered, block.start, items))
        else:
            out.append(block)
    return tuple(out)


def _picture(tok: Token) -> Picture | None:
    """The picture of an inline token holding one, with the text after it."""
    children = tok.children or []
    images = [c for c in children if c.type == "image"]
    if not images:
        return None
    image = images[0]
    first = children.index(image)
    rest = children[first + 1 :]
    after = "".join(c.content for c in rest if c.type == "text").strip()
    alone = (
        len(images) == 1
        and first == 0
        and all(c.type == "text" for c in rest)
        and (not after or (after.startswith("{") and after.endswith("}")))
    )
    line = tok.map[0] if tok.map else 0
    # the alt text as it reads (``\-`` is ``-``, ``**x**`` is ``x``), not as its source: a
    # value put into the text ({{ visit.date }}) is escaped for Markdown
    alt = "".join(
        " " if c.type in ("softbreak", "hardbreak") else c.content for c in image.children or ()
    )
    return Picture(str(image.attrGet("src") or ""), alt, after, line, alone)


def _blocks(tokens: list[Token], i: int, closer: str | None) -> tuple[list[Block], int]:
    out: list[Block] = []
    while i < len(tokens):
        tok = tokens[i]
        if closer is not None and tok.type == closer:
            return out, i + 1
        if tok.type == "inline":
            picture = _picture(tok)
            out.append(picture or Para(_merge(_spans(tok.children or []))))
            i += 1
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            ordered = tok.type == "ordered_list_open"
            start = int(tok.attrGet("start") or 1) if ordered else 1
            close = tok.type.replace("_open", "_close")
            items: list[tuple[Block, ...]] = []
            i += 1
            while tokens[i].type != close:
                if tokens[i].type == "list_item_open":
                    item, i = _blocks(tokens, i + 1, "list_item_close")
                    items.append(tuple(item))
                else:  # pragma: no cover - markdown-it always wraps items
                    i += 1
            out.append(ListBlock(ordered, start, tuple(items)))
            i += 1
        elif tok.type in ("fence", "code_block"):
            out.append(Para((Span(tok.content.rstrip("\n")),)))
            i += 1
        elif tok.type == "heading_open":
            inline = tokens[i + 1]
            spans = [Span(s.text, True, s.italic, s.href) for s in _spans(inline.children or [])]
            out.append(Para(_merge(spans)))
            i += 3
        else:
            # paragraph_open/close, blockquote, hr: structure only
            i += 1
    return out, i


def _spans(children: list[Token]) -> list[Span]:
    spans: list[Span] = []
    bold = italic = 0
    href: str | None = None
    link_start = 0
    langs: list[str] = []

    def span(text: str, link: str | None) -> Span:
        return Span(text, bold > 0, italic > 0, link, langs[-1] if langs else None)

    for tok in children:
        t = tok.type
        if t == "text" or t == "code_inline":
            spans.append(span(tok.content, href))
        elif t == "softbreak":
            spans.append(span(" ", href))
        elif t == "hardbreak":
            spans.append(span("\n", href))
        elif t == "lang_span_open":
            langs.append(str(tok.attrGet("lang") or ""))
        elif t == "lang_span_close":
            langs.pop()
        elif t == "strong_open":
            bold += 1
        elif t == "strong_close":
            bold -= 1
        elif t == "em_open":
            italic += 1
        elif t == "em_close":
            italic -= 1
        elif t == "link_open":
            target = str(tok.attrGet("href") or "")
            href = target if target.lower().startswith(SAFE_SCHEMES) else None
            link_start = len(spans)
        elif t == "link_close":
            if href:
                shown = "".join(s.text for s in spans[link_start:])
                bare = href.split(":", 1)[1].lstrip("/") if ":" in href else href
                if bare.rstrip("/") not in shown:
                    # on paper a link is only useful if the address is visible
                    spans.append(span(f" ({bare.rstrip('/')})", None))
            href = None
        elif t == "image":
            spans.append(span(tok.content or "", None))
        elif tok.children:
            spans.extend(_spans(tok.children))
    return spans


def _merge(spans: list[Span]) -> Inline:
    out: list[Span] = []
    for s in spans:
        if not s.text:
            continue
        last = out[-1] if out else None
        if last is not None and (last.bold, last.italic, last.href, last.lang) == (
            s.bold,
            s.italic,
            s.href,
            s.lang,
        ):
            out[-1] = Span(last.text + s.text, s.bold, s.italic, s.href, s.lang)
        else:
            out.append(s)
    return tuple(out)
