"""``check`` lays handouts out without writing PDFs (:mod:`handoutpress.layoutonly`), and a
layout-only render finds exactly what a full render finds: pages, warnings, placed images,
and the same overflow problems."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from handoutpress.build import plan
from handoutpress.check import check
from handoutpress.check_report import CheckRequest
from handoutpress.errors import HandoutError
from handoutpress.layouts import render
from handoutpress.project import Project

from .conftest import EPOCH, SHIPPED_HANDOUTS

CASES = Path(__file__).parent / "cases"


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def _findings(report: object) -> list[str]:
    return [str(f) for f in report.findings()] + report.summary_lines()  # type: ignore[attr-defined]


def test_check_writes_no_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every layout check tries is laid out, none serialised: a canvas that would write a
    file fails the check here."""
    saved: list[str] = []

    def refuse(self: Canvas) -> None:
        saved.append(type(self).__name__)
        raise AssertionError("check wrote a PDF")

    monkeypatch.setattr(Canvas, "save", refuse)
    report = check(Project(), CheckRequest(handouts=SHIPPED_HANDOUTS, brand=None, lang=None))
    assert saved == []
    made = [r for h in report.handouts for r in h.layouts]
    assert len(made) >= 12 and all(r.fits for r in made), made


@pytest.mark.parametrize("staff", [False, True])
def test_layout_only_finds_what_a_full_render_finds(staff: bool) -> None:
    work = plan(Project(), list(SHIPPED_HANDOUTS), staff_copy=staff)
    work_large = plan(Project(), list(SHIPPED_HANDOUTS), large_print=True, staff_copy=staff)
    compared = 0
    for p in (work, work_large):
        for job in p.jobs:
            composed, full = p.render(job, {})
            only = render(composed, job.layout, p.brand, replace(p.options, layout_only=True))
            assert only.pdf == b"" and full.pdf.startswith(b"%PDF")
            assert (only.pages, only.warnings, only.placed_images) == (
                full.pages,
                full.warnings,
                full.placed_images,
            ), job.layout.name
            compared += 1
    assert compared >= 10


@pytest.mark.parametrize("case", ["overflow", "overflow-box", "picture-too-tall"])
def test_layout_only_overflows_as_a_full_render(case: str) -> None:
    work = plan(Project(), [str(CASES / case / "handout.yaml")])
    only = replace(work, options=replace(work.options, layout_only=True))
    problems = []
    for p in (work, only):
        with pytest.raises(HandoutError) as caught:
            p.render(p.jobs[0], {})
        problems.append([str(problem) for problem in caught.value.problems])
    assert problems[0] == problems[1] and problems[0]


def test_check_parses_each_markdown_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reading level, the content rules and every layout read a body's blocks: the
    Markdown of each distinct text is parsed once (blocks are frozen, shared safely)."""
    from handoutpress import markdown

    parser = markdown._parser()
    real = parser.parse
    parsed: list[str] = []

    def counting(text: str, env: object = None) -> object:
        parsed.append(text)
        return real(text, env)

    markdown.parse_blocks.cache_clear()
    monkeypatch.setattr(parser, "parse", counting)
    try:
        check(Project(), CheckRequest(handouts=SHIPPED_HANDOUTS, brand=None, lang=None))
    finally:
        markdown.parse_blocks.cache_clear()
    assert len(parsed) >= 40
    assert len(parsed) == len(set(parsed)), [t[:40] for t in parsed if parsed.count(t) > 1]


def test_a_paragraph_is_measured_but_not_drawn_on_a_layout_only_canvas() -> None:
    import io

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from handoutpress.layoutonly import LayoutOnlyCanvas, install

    install()
    drawn = []
    for maker in (Canvas, LayoutOnlyCanvas):
        canv = maker(io.BytesIO())
        para = Paragraph("Put ice on the sore spot for 15 minutes.", ParagraphStyle("body"))
        _, height = para.wrap(200, 500)
        para.drawOn(canv, 72, 600)
        drawn.append((height, "".join(canv._code)))
    (full_h, full), (only_h, only) = drawn
    assert full_h == only_h > 0
    assert "Put ice" in full and "BT" in full
    assert "BT" not in only and "Put ice" not in only


def test_a_repeated_wrap_in_a_layout_only_render_is_remembered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In a layout-only render a paragraph wrapped again at the width it was last wrapped at,
    unchanged since, is not broken into lines again (same size); another width, a split that
    dropped its lines or a new style break it again; outside such a render nothing is
    remembered."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from handoutpress.layoutonly import remembering_wraps
    from handoutpress.lonewords import NoLoneWord

    broken: list[float] = []
    real = Paragraph.breakLines

    def counting(self: Paragraph, widths: list[float]) -> object:
        broken.append(widths[0])
        return real(self, widths)

    monkeypatch.setattr(Paragraph, "breakLines", counting)
    text = "Put ice on the sore spot for 15 minutes, three or four times a day. " * 3
    style = ParagraphStyle("body", fontSize=10, leading=12, allowOrphans=0)

    def wraps(para: Paragraph) -> tuple[list[tuple[float, float]], int]:
        broken.clear()
        sizes = [para.wrap(200, 500), para.wrap(200, 500), para.wrap(150, 500)]
        sizes.append(para.wrap(150, 500))
        para.split(150, 5)  # no room for two lines: drops its lines (del blPara)
        sizes.append(para.wrap(150, 500))
        para.style = ParagraphStyle("bigger", parent=style, fontSize=12, leading=14)
        sizes.append(para.wrap(150, 500))
        return sizes, len(broken)

    plain = wraps(Paragraph(text, style))
    with remembering_wraps():
        remembered = wraps(Paragraph(text, style))
        # a heading's no-lone-word bisection: wrapped a dozen times once, then remembered
        heading = NoLoneWord("How long does the injection take to work", style)
        first = heading.wrap(120, 500)
        broken.clear()
        assert heading.wrap(120, 500) == first and broken == []
        assert heading.wrap(121, 500) and broken
    assert remembered[0] == plain[0]  # the same sizes
    # (200, 150, the new style: after the split its lines at 150 are the ones broken
    # before, found again by its text, style and width)
    assert plain[1] == 6 and remembered[1] == 3
    broken.clear()
    again = Paragraph(text, style)
    again.wrap(200, 500)
    again.wrap(200, 500)
    assert len(broken) == 2  # outside a layout-only render: ReportLab's own wrap each time


def test_a_paragraph_made_again_in_a_layout_only_render_gets_the_lines_broken_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In a layout-only render a paragraph made from the same text in a style with the same
    values, wrapped at a width the first was wrapped at, is given the first one's lines
    (not broken again) and the same size; at another width, or in another style, it breaks
    its own. Split, such a paragraph breaks its own lines first: its parts are the parts a
    paragraph that broke its own lines makes, and the first paragraph's lines and parts are
    as they were."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from handoutpress.layoutonly import remembering_wraps

    broken: list[float] = []
    real = Paragraph.breakLines

    def counting(self: Paragraph, widths: list[float]) -> object:
        broken.append(widths[0])
        return real(self, widths)

    monkeypatch.setattr(Paragraph, "breakLines", counting)
    text = "Put <b>ice</b> on the sore spot for 15 minutes, three or four times a day. " * 4
    style = ParagraphStyle("body", fontSize=10, leading=12, allowOrphans=0, allowWidows=0)

    def lines(p: Paragraph) -> list[str]:
        return [" ".join(w.text for w in ln.words) for ln in p.blPara.lines]

    def parts(p: Paragraph) -> list[tuple[float, list[str]]]:
        got = []
        for part in p.split(150, 40):
            part.wrap(150, 500)
            got.append((part.height, lines(part)))
        return got

    alone = Paragraph(text, style)  # outside: ReportLab's own
    alone_size = alone.wrap(150, 500)
    alone_lines, alone_parts = lines(alone), parts(alone)
    with remembering_wraps():
        first = Paragraph(text, style)
        size = first.wrap(150, 500)
        first_lines = lines(first)
        broken.clear()
        again = Paragraph(text, ParagraphStyle("other name", parent=style))
        assert again.wrap(150, 500) == size == alone_size and broken == []
        assert lines(again) == first_lines == alone_lines
        assert again.wrap(160, 500) and broken == [160]  # another width: its own
        assert again.wrap(150, 500) == size and broken == [160]
        bigger = Paragraph(text, ParagraphStyle("body", parent=style, fontSize=11))
        bigger.wrap(150, 500)
        assert broken == [160, 150]  # another style: its own
        broken.clear()
        assert parts(again) == alone_parts and broken == [150, 150, 150]
        assert lines(first) == first_lines and parts(first) == alone_parts
    assert len(alone_parts) == 2


def test_a_repeated_parse_in_a_layout_only_render_is_remembered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In a layout-only render a paragraph made again from the same text in a style with the
    same values is not parsed again: its fragments are copies of the first parse's (its own
    objects, equal to what a parse gives) and its style is its own; another text or a style
    with another value is parsed; a ``<seq>`` or ``<para>`` with attributes always is, and
    outside such a render every paragraph is."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph
    from reportlab.platypus.paraparser import ParaParser

    from handoutpress import layoutonly

    parsed: list[str] = []
    real = ParaParser.parse

    def counting(self: ParaParser, text: str, style: ParagraphStyle) -> object:
        parsed.append(text)
        return real(self, text, style)

    monkeypatch.setattr(ParaParser, "parse", counting)
    monkeypatch.setattr(layoutonly, "_parses", {}, raising=False)
    layoutonly.install()
    text = "Put <b>ice</b> on the sore spot for <i>15 minutes</i>."

    def style(**kw: object) -> ParagraphStyle:
        return ParagraphStyle("body", **{"fontSize": 10, "leading": 12, **kw})

    def frags(p: Paragraph) -> list[dict[str, object]]:
        return [dict(f.__dict__) for f in p.frags]

    fresh = Paragraph(text, style())
    assert len(parsed) == 1
    with layoutonly.remembering_wraps():
        first = Paragraph(text, style())
        again_style = style()
        again = Paragraph(text, again_style)
        assert len(parsed) == 2  # (the first inside; not the second)
        assert again.style is again_style and frags(again) == frags(first) == frags(fresh)
        assert not {id(f) for f in again.frags} & {id(f) for f in first.frags}
        first.wrap(100, 500)  # (breaking lines notes things on first's fragments only)
        assert frags(again) == frags(fresh)
        assert again.wrap(100, 500) == first.wrap(100, 500)
        Paragraph(text, style(fontSize=11))  # another value: parsed
        Paragraph(text + " ", style())  # another text: parsed
        assert len(parsed) == 4
        for special in ('<para leading="20">Ice</para>', "Step <seq/> of 3"):
            Paragraph(special, style())
            Paragraph(special, style())
        assert len(parsed) == 8
    Paragraph(text, style())  # outside: ReportLab's own
    assert len(parsed) == 9
