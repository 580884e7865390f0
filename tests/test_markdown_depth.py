"""Markdown nested deeper than the parser keeps is found, exactly where text would be lost."""

from __future__ import annotations

import pytest

from handoutpress.markdown import paragraphs, parse_blocks, plain_text
from handoutpress.markdown_depth import lost_line


def _lists(n: int, indent: str = "  ", marker: str = "- ") -> str:
    return "\n".join(indent * i + marker + f"deepest{i}" for i in range(n))


SAMPLES = {
    **{f"lists-{n}": _lists(n) for n in (3, 9, 10, 14)},
    **{f"numbered-{n}": _lists(n, "   ", "1. ") for n in (9, 10)},
    **{f"tabs-{n}": _lists(n, "\t") for n in (9, 10)},
    **{f"quotes-{n}": "Intro.\n\n" + ">" * n + " deepest" for n in (19, 20, 200)},
    **{f"quoted-lists-{n}": "> - " * n + "deepest" for n in (6, 7)},
    "one-line-lists": "- " * 12 + "deepest",
    "plain": "Ice helps. " * 50,
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_lost_line_says_when_the_deepest_text_would_be_lost(name: str) -> None:
    text = SAMPLES[name]
    shown = " ".join(plain_text(p.spans) for p in paragraphs(parse_blocks(text)))
    words = [w for w in text.split() if w.startswith("deepest")]  # the last is deepest
    kept = not words or words[-1] in shown.split()
    assert (lost_line(text) is None) == kept, (name, shown[-80:])


def test_the_line_is_the_first_block_left_out() -> None:
    assert lost_line(_lists(12)) == 10  # the 10th list in the 9th: its line
    assert lost_line("Intro.\n\n" + ">" * 25 + " x") == 3
