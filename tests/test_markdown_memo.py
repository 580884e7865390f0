"""A mailing's Markdown parsed once (handoutpress.markdown_memo): for every recipient the
memo gives exactly what parsing that recipient's own text gives, and parses a text that
differs only by the recipient's values once."""

from __future__ import annotations

import itertools
import random

import pytest

from handoutpress import markdown_memo
from handoutpress.markdown import parse_blocks, parse_inline
from handoutpress.markdown_memo import MarkdownMemo
from handoutpress.templating import escape_markdown

#: templates with the value ``@`` in every kind of place Markdown gives a meaning to
TEMPLATES = [
    "Thank you, @, for visiting our clinic.",
    "@ is at line start.\n\nAnd @ in a second paragraph.",
    "*@*, **@** and _@_ and __@__ and x*@*y and x_@_y",
    "`@` in code, and ``a @ b``",
    "    indented @ code",
    "```\n@\n```",
    "- @\n- item @ two\n  - nested @",
    "1. @\n2. @",
    "1@. not a list\n\n1@) neither",
    "# @ heading\n\n@\n===",
    "[@](https://example.com/@) and [x](tel:@) and [@](javascript:x)",
    "![@](images/@.svg){width=50%}",
    "<https://example.com/@> and <@@example.com>",
    "&@; &am@; &#@; and AT&T for @",
    "[@]\n\n[@]: https://example.com",
    "\\@ and @\\\nhard break, and @  \ntwo spaces",
    "a@b @@ @-@ @'s and (@)",
    "**bold @**not",
    "@\n---",
    "[@ y más]{lang=es} and [palabras]{lang=@} and [@]{lang=es}x",
]
VALUES = [
    "Ana", "José", "Pat & Lee", "O'Brien", "Zoë", "Mary-Ann", "A", "ana", "Li",
    "*Bob*", "_x_", "1.", "12", "#1", "-", "`x`", "[a](b)", "<b>", "&amp;", "\\", "Ana  Maria",
    " Ana ", "¡Hola", "Ana!", "Jose\u0301", "https://example.com", "x@example.com", "---",
    "\ue000", "Ана", "李", "amp", "ampx",
]  # fmt: skip


def _render(template: str, value: str) -> str:
    return template.replace("@", escape_markdown(value))


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_value_parses_as_its_own_text(template: str) -> None:
    memo = MarkdownMemo()
    for value, other in itertools.product(VALUES, ["Ruiz", "Ana", "Tel"]):
        text = _render(template, value) + " " + escape_markdown(other)
        parser = memo.for_values([value, other, "Fresno"])
        assert parser.blocks(text) == parse_blocks(text), (template, value)
        assert parser.inline(text) == parse_inline(text), (template, value)


def test_random_texts_parse_as_their_own() -> None:
    rng = random.Random(15)
    pieces = ["*", "_", "**", "`", "[", "]", "(", ")", "<", ">", "&", ";", "#", "-", "1.",
              "\n", "\n\n", " ", "  ", "\\", "!", "=", "a", "b c", "@", "@", "@",
              "{lang=es}", "{", "}"]  # fmt: skip
    memo = MarkdownMemo()
    for _ in range(3000):
        template = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        value = rng.choice(VALUES)
        text = _render(template, value)
        parser = memo.for_values([value])
        assert parser.blocks(text) == parse_blocks(text), (template, value)
        assert parser.inline(text) == parse_inline(text), (template, value)


def test_a_text_that_differs_by_the_name_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    parses: list[str] = []
    real = markdown_memo._parse_blocks

    def counting(text: str, masked: bool) -> object:
        parses.append(text)
        return real(text, masked)

    monkeypatch.setattr(markdown_memo, "_parse_blocks", counting)
    memo = MarkdownMemo()
    template = "Thank you, @, for *visiting* our clinic.\n\n- keep @ moving"
    names = ["Ana", "José", "Pat & Lee", "O'Brien", "Zoë", "Mary-Ann", "Bartholomew"]
    for name in names:
        text = _render(template, name)
        assert memo.for_values([name, "Fresno"]).blocks(text) == parse_blocks(text)
    assert len(parses) == 1
    # a name Markdown could read otherwise (starting with a mark) is parsed as it is
    text = _render(template, "*Bob*")
    assert memo.for_values(["*Bob*"]).blocks(text) == parse_blocks(text)
    assert parses[-1] == text


def test_the_memo_is_bounded() -> None:
    memo = MarkdownMemo()
    for i in range(MarkdownMemo.SIZE + 50):
        memo.for_values([]).blocks(f"text {i}")
    assert len(memo._blocks) == MarkdownMemo.SIZE
