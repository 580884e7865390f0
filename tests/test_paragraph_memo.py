"""A mailing's personal sections: the paragraphs with no recipient value in them (the
section's heading) are parsed once (sharedflowables.ParagraphMemo) and copied per letter;
the Markdown memo gives such a text the same spans each time and a text with a value new
ones, so a recipient's text is never taken from the memo."""

from __future__ import annotations

import random
import re

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from handoutpress.fonts import register
from handoutpress.markdown import Span
from handoutpress.markdown_memo import MarkdownMemo, Valued
from handoutpress.markup import inline_markup
from handoutpress.sharedflowables import ParagraphMemo


def _parse_of(p: Paragraph) -> str:
    return re.sub(r"_fkind=\d+, ", "", repr(p.frags))


def test_the_same_spans_give_a_copy_of_one_parse_laid_out_as_a_fresh_one() -> None:
    fonts = register()
    style = ParagraphStyle("b", fontName=fonts.regular, fontSize=12, leading=15)
    spans = (Span("Thank you for your visit, "), Span("it was", bold=True), Span(" good " * 30))
    memo = ParagraphMemo(fonts)
    first, second = memo.paragraph(spans, style), memo.paragraph(spans, style)
    assert first is not second and first.frags is second.frags  # parsed once
    parsed = first.frags
    fresh = Paragraph(inline_markup(spans, fonts), style)
    want = _parse_of(fresh)
    for p in (first, second):
        assert (p.text, p.style) == (fresh.text, fresh.style)
    # each copy has its own layout; laying one out changes nothing the other reads
    assert first.wrap(200, 800) == fresh.wrap(200, 800)
    assert second.wrap(400, 800) == Paragraph(fresh.text, style).wrap(400, 800)
    assert first.wrap(200, 800) == fresh.wrap(200, 800)
    assert repr(first.blPara.lines) == repr(fresh.blPara.lines)  # (frags compare by identity)
    # the parse itself is as it was (wrapping gives a copy its own word list; it notes each
    # fragment's kind on it, worked out from the fragment alone, the same each time)
    third = memo.paragraph(spans, style)
    assert third.frags is parsed and _parse_of(third) == want
    # equal spans that are another object (a text with a recipient value): parsed anew
    again = memo.paragraph((Span("Thank you for your visit, "), *spans[1:]), style)
    assert again.frags is not parsed and _parse_of(again) == want
    assert memo.paragraph(spans, ParagraphStyle("other", parent=style)).frags is not parsed


def test_a_text_without_the_recipients_values_keeps_its_spans_object() -> None:
    memo = MarkdownMemo()
    blocks = []
    for name in ("Ana", "Bartholomew"):
        parser = memo.for_values([name])
        blocks.append(parser.blocks(f"Thank you, {name}, for coming.\n\nPlease rest today.\n"))
    (ana_first, ana_rest), (bart_first, bart_rest) = blocks
    assert ana_rest.spans is bart_rest.spans  # no value in it: one parse, one object
    assert ana_first.spans is not bart_first.spans
    assert "Bartholomew" in bart_first.spans[0].text


#: values a recipient may have: plain, accented, with spaces, with markup's own characters,
#: outside the body face, and words that are also the markup's (tags, entities)
VALUES = ["Ana", "José", "Mary Ann", "Pat & Lee", "O'Brien", "a<b", "b", "font", "amp",
          "Łucja", "Thảo", "Zoë", "br", "Ed", "x>y", "10 mg"]  # fmt: skip


def test_a_text_with_values_is_the_paragraph_parsing_it_makes() -> None:
    """Masked, parsed once and the values put back into the fragments: the same text,
    fragments and lines as parsing the recipient's own markup, for every kind of value
    (those the parse could cut differently are parsed themselves)."""
    fonts = register()
    style = ParagraphStyle("b", fontName=fonts.regular, fontSize=12, leading=15)
    memo = ParagraphMemo(fonts)
    rng = random.Random(152)
    for _ in range(600):
        value = rng.choice(VALUES)
        other = rng.choice(VALUES)
        spans = [Span(rng.choice(["Thank you, ", "Dear ", "", "Hi "])), Span(value)]
        if rng.random() < 0.5:
            spans.append(Span(rng.choice([", ", " and "]) + other, bold=rng.random() < 0.5))
        if rng.random() < 0.3:
            spans.append(Span("see us", href="https://example.com/" + rng.choice(["b", "font"])))
        spans.append(
            Span(
                rng.choice([", for visiting our clinic. Education and amplitude ", ",  for\t \n"])
                * rng.randint(1, 4)
            )
        )
        got = Valued(spans)
        got.values = (value, other)
        made = memo.paragraph(got, style)
        want = Paragraph(inline_markup(got, fonts), style)
        assert (made.text, made.bulletText) == (want.text, want.bulletText)
        assert _parse_of(made) == _parse_of(want)
        width = rng.choice([150, 300, 468])
        assert made.wrap(width, 800) == want.wrap(width, 800)
        assert repr(made.blPara) == repr(want.blPara)


def test_values_that_could_change_the_parse_are_parsed_themselves() -> None:
    fonts = register()
    style = ParagraphStyle("b", fontName=fonts.regular, fontSize=12, leading=15)
    memo = ParagraphMemo(fonts)
    link = Span("us", href="https://example.com/")
    for value, masked in [("Ana", True), ("Mary Ann", True), ("b", False), ("font", True),
                          ("example", False), ("Pat & Lee", False), ("a<b", False),
                          ("x>y", False)]:  # fmt: skip
        spans = (Span(f"Thank you, {value}, for <b>"), Span("it", bold=True), link)
        markup = inline_markup(spans, fonts)
        assert (memo._with_values(markup, (value,), style) is not None) == masked, value
    # one parse for every value of the same text
    assert len(memo._masked) == 1
