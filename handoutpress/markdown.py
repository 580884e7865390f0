"""Markdown section bodies → a small tree of blocks (no ReportLab here).

Supported: paragraphs, **bold**, *italic*, bullet and numbered lists (nested),
and [links](https://…). Raw HTML is never interpreted: ``<b>`` prints as typed.
Headings inside a body become bold paragraphs; images print their alt text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Union

from markdown_it import MarkdownIt
from markdown_it.token import Token

SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")


@dataclass(frozen=True)
class Span:
    """A run of text with one set of inline styles."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Para:
    spans: Inline


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple[tuple[Block, ...], ...]


Block = Union[Para, ListBlock]  # noqa: UP007 - a runtime alias must work on Python 3.10


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def parse_blocks(text: str) -> tuple[Block, ...]:
    """Parse a Markdown body into blocks."""
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


def paragraphs(blocks: Iterable[Block]) -> Iterator[Para]:
    """Every paragraph of ``blocks`` in reading order, those inside list items included."""
    for block in blocks:
        if isinstance(block, Para):
            yield block
        else:
            for item in block.items:
                yield from paragraphs(item)


def _blocks(tokens: list[Token], i: int, closer: str | None) -> tuple[list[Block], int]:
    out: list[Block] = []
    while i < len(tokens):
        tok = tokens[i]
        if closer is not None and tok.type == closer:
            return out, i + 1
        if tok.type == "inline":
            out.append(Para(_merge(_spans(tok.children or []))))
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
    for tok in children:
        t = tok.type
        if t == "text" or t == "code_inline":
            spans.append(Span(tok.content, bold > 0, italic > 0, href))
        elif t == "softbreak":
            spans.append(Span(" ", bold > 0, italic > 0, href))
        elif t == "hardbreak":
            spans.append(Span("\n", bold > 0, italic > 0, href))
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
                    spans.append(Span(f" ({bare.rstrip('/')})", bold > 0, italic > 0, None))
            href = None
        elif t == "image":
            spans.append(Span(tok.content or "", bold > 0, italic > 0, None))
        elif tok.children:
            spans.extend(_spans(tok.children))
    return spans


def _merge(spans: list[Span]) -> Inline:
    out: list[Span] = []
    for s in spans:
        if not s.text:
            continue
        if out and (out[-1].bold, out[-1].italic, out[-1].href) == (s.bold, s.italic, s.href):
            out[-1] = Span(out[-1].text + s.text, s.bold, s.italic, s.href)
        else:
            out.append(s)
    return tuple(out)
