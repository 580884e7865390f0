"""A personal letter's plain paragraph broken into lines and drawn without ReportLab's
Paragraph (handoutpress.plainpara): the same lines as ReportLab's breakLines and the same
operators as its drawOn, for texts with words that run a line into its spaces' shrinkage,
characters in a second subset of the face, characters that need escaping, and widths
from narrow to wide; anything it cannot do the same way is left to ReportLab."""

from __future__ import annotations

import io
import random

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from handoutpress.fonts import register
from handoutpress.plainpara import PlainDrawer, plain_text, simple

#: words of a letter, names with characters beyond Latin-1 (a second subset of the face)
#: and characters PDF strings escape
TEXT = (
    "Thank you for visiting our clinic for your trigger point injection. This letter "
    "explains what is normal to feel over the next few days and how to care for yourself "
    "at home. Please keep it somewhere handy so you can look at it again if questions "
    "come up."
)
WORDS = TEXT.split(" ")
NAMES = ["Ana", "José", "Łucja", "Thảo", "Søren", "Bartholomew-Smythe", "(Al)", "O'Neil\\x"]


def _texts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = list(WORDS)
        for _ in range(rng.randint(1, 3)):
            words.insert(rng.randrange(len(words)), rng.choice(NAMES) + rng.choice(",.;"))
        if rng.random() < 0.3:
            words += rng.sample(WORDS, rng.randint(1, 20))
        if rng.random() < 0.2:
            words[rng.randrange(len(words))] = "nine\xa0am"
        out.append(" ".join(words))
    return out


def _style(**kw: object) -> ParagraphStyle:
    fonts = register()
    base: dict[str, object] = {"fontName": fonts.regular, "fontSize": 12, "leading": 15}
    return ParagraphStyle("body", **{**base, **kw})


def _rl_lines(p: Paragraph, width: float) -> list[tuple[float, list[str]]]:
    p.wrap(width, 10_000)
    assert p.blPara.kind == 0
    return [(e, list(w)) for e, w in p.blPara.lines]


def test_lines_are_reportlabs_lines() -> None:
    rng = random.Random(3)
    shrunk = 0
    for i, text in enumerate(_texts(400)):
        style = _style(
            spaceShrinkage=rng.choice([0.0, 0.05, 0.2]),
            leftIndent=rng.choice([0, 6]),
            rightIndent=rng.choice([0, 9.5]),
            fontSize=rng.choice([10, 12, 13.5]),
        )
        width = rng.uniform(180, 520)
        plain = plain_text(Paragraph(text, style))
        assert plain is not None, text
        mine = plain.lines(width)
        theirs = _rl_lines(Paragraph(text, style), width)
        assert mine == theirs, (i, text, width)
        assert plain.height(mine) == Paragraph(text, style).wrap(width, 1e4)[1]
        shrunk += not simple(mine)
    assert shrunk > 20  # (lines that ran into their spaces' shrinkage were among them)


def test_lines_with_the_rests_of_a_shared_ending_are_reportlabs_lines() -> None:
    """Paragraphs that end with the same words (a family's text after its values) take the
    lines from a line begun among them from the first that broke them (``rests``): the
    same lines as ReportLab's, for names of every width at a few widths."""
    rng = random.Random(5)
    ending = " ".join(WORDS[4:])
    style = _style(spaceShrinkage=0.05)
    rests: dict[tuple[object, ...], list[tuple[float, list[str]]]] = {}
    fixed = len(WORDS) - 4
    reused = 0
    for _ in range(300):
        name = " ".join(rng.choice(NAMES) for _ in range(rng.randint(1, 14)))
        text = f"Thank you, {name}, for {ending}"
        width = rng.choice([180.0, 260.5, 355.0, 504.0])
        plain = plain_text(Paragraph(text, style))
        assert plain is not None
        before = len(rests)
        mine = plain.lines(width, fixed, rests)
        reused += len(rests) == before
        assert mine == _rl_lines(Paragraph(text, style), width), (text, width)
    assert reused > 200  # (most took the rest of their lines from one before)


def test_a_word_wider_than_a_line_is_left_to_reportlab() -> None:
    plain = plain_text(Paragraph("a " + "x" * 80 + " b", _style()))
    assert plain is not None and plain.lines(120) is None
    assert plain.lines(2000) is not None


def test_anything_but_plain_text_is_left_to_reportlab() -> None:
    style = _style()
    declined = [
        Paragraph("Thank you, <b>Ana</b>, for", style),  # two faces
        Paragraph('Call <a href="https://example.com">us</a> today', style),
        Paragraph("Thank you, Ana, for", _style(alignment=TA_JUSTIFY)),
        Paragraph("Thank you, Ana, for", _style(firstLineIndent=12)),
        Paragraph("Thank you, Ana, for", _style(hyphenationLang="en_US")),
        Paragraph("Thank you, Ana, for", _style(backColor="#eeeeee")),
        Paragraph("Thank you, Ana, for", style, bulletText="-"),
        Paragraph("injec\xadtion soft hyphen", style),
        Paragraph("<u>underlined</u> text", style),
        Paragraph("Thank you, Ana, for", _style(fontName="Helvetica")),
    ]
    for p in declined:
        assert plain_text(p) is None, p.text
    assert plain_text(Paragraph("Thank you, Ana, for", style)) is not None


def _drawn(canv: Canvas, p: Paragraph, width: float) -> list[str]:
    p.wrap(width, 10_000)
    before = len(canv._code)
    p.drawOn(canv, 54, 400)
    return canv._code[before:]


def test_operators_are_reportlabs_once_a_second_letter_confirmed_them() -> None:
    canv = Canvas(io.BytesIO())
    drawer = PlainDrawer(canv)
    style = _style(spaceShrinkage=0.05)
    width = 504.0
    fast = 0
    seen_shrunk = False
    for n, text in enumerate(_texts(300, seed=11)):
        p = Paragraph(text, style)
        plain = plain_text(p)
        assert plain is not None
        lines = plain.lines(width)
        assert lines is not None
        place = len(lines)  # (one place per line count, as a layout has)
        code: list[str] = []
        if drawer.draw(place, plain, lines, code):
            fast += 1
            theirs = _drawn(canv, Paragraph(text, style), width)  # ReportLab's, to compare
            assert code == ["\n".join(theirs)], (n, text)
            seen_shrunk = seen_shrunk or not simple(lines)
        else:
            drawer.learn(place, plain, lines, p, _drawn(canv, p, width))
            assert not drawer.disagreed
    assert fast > 250 and seen_shrunk


def test_no_template_without_a_second_letter_that_confirms_it() -> None:
    canv = Canvas(io.BytesIO())
    drawer = PlainDrawer(canv)
    style = _style()
    p = Paragraph("Thank you, Ana, for visiting our clinic today.", style)
    plain = plain_text(p)
    assert plain is not None
    lines = plain.lines(300)
    assert lines is not None
    drawer.learn(1, plain, lines, p, _drawn(canv, p, 300))
    assert not drawer.draw(1, plain, lines, [])  # learned, not yet confirmed
    q = Paragraph("Thank you, Bo, for visiting our clinic today.", style)
    other = plain_text(q)
    assert other is not None
    other_lines = other.lines(300)
    assert other_lines is not None
    drawer.learn(1, other, other_lines, q, _drawn(canv, q, 300))
    assert drawer.draw(1, plain, lines, [])
    # another colour is another template's
    red = plain_text(Paragraph("Thank you, Ana, for visiting.", _style(textColor="#ff0000")))
    assert red is not None
    red_lines = red.lines(300)
    assert red_lines is not None
    assert not drawer.draw(1, red, red_lines, [])
