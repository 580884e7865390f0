"""Markdown nested deeper than the parser keeps (checked when a handout is loaded).

markdown-it stops at 20 levels of blocks inside one another (its ``maxNesting``): a list
inside 9 lists, or a quote inside 19 quotes, and the rest of the text after it, is
**silently left out** of what it parses. A handout must never lose text without a word,
so :func:`lost_line` finds where that would happen, for :class:`~handoutpress.models.Section`
to refuse. Only a text with a line that starts with at least 10 columns of indentation,
list markers or quote marks can nest that deep; only such a text is parsed here.
"""

from __future__ import annotations

import re

#: the start of a line: indentation, list markers (``-``, ``*``, ``+``, ``1.``, ``1)``)
#: and quote marks; 20 levels need at least 10 columns of it (a list level takes 2)
_PREFIX = re.compile(r"^[ \t>*+\-\d.)]+", re.MULTILINE)
_MIN_COLUMNS = 10
#: blocks whose content is inline text, not blocks (they lose nothing at the last level)
_INLINE_CONTENT = frozenset({"paragraph_open", "heading_open"})


def lost_line(text: str) -> int | None:
    """The line (1-based, in ``text``) of the first block the Markdown parser would leave
    out for nesting too deeply, or None when it keeps everything."""
    if not any(len(m.group().expandtabs(4)) >= _MIN_COLUMNS for m in _PREFIX.finditer(text)):
        return None
    from .markdown import _parser

    parser = _parser()
    limit = parser.options["maxNesting"]
    for tok in parser.parse(text):
        # the parser does not look inside a block opened at its last level
        if tok.nesting == 1 and tok.level >= limit - 1 and tok.type not in _INLINE_CONTENT:
            return tok.map[0] + 1 if tok.map else 1
    return None
