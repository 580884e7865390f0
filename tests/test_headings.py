"""Page breaks after headings in the layouts that flow over pages (letter, sheet).

A heading goes with the first two lines of the text under it, and that text splits across
the page by its own widow and orphan rules. ReportLab's keep-with-next (what these layouts
used) moves a heading and its whole first paragraph to the next page when that paragraph
does not fit: a long first paragraph left page 1 of a letter with nothing under the
greeting. Large print has its own tests (test_large_print.py).
"""

from __future__ import annotations

from pathlib import Path

from . import pdfcheck
from .conftest import run_cli

#: A paragraph of about 60 lines on a letter (12 pt body, 7 in wide).
LONG = " ".join(["Rest the muscle and move it gently every day as your provider showed you."] * 45)


def rows_by_page(pdf: Path) -> dict[int, list[tuple[float, float, str]]]:
    """(top, size, text without spaces) of each text line at 10 pt or more, by page, top
    to bottom (footers, running heads and the address are smaller or above the body)."""
    return pdfcheck.text_rows(pdf, lambda c: c.size >= 10.5)


def lines_under(pdf: Path, headings: list[str], body: float) -> dict[str, tuple[int, int]]:
    """Each heading → (its page, the lines of body text under it on that page)."""
    wanted = {h.replace(" ", ""): h for h in headings}
    out: dict[str, tuple[int, int]] = {}
    for page, rows in rows_by_page(pdf).items():
        for i, (_, _, text) in enumerate(rows):
            if text in wanted:
                under = [r for r in rows[i + 1 :] if abs(r[1] - body) < 0.3]
                out[wanted[text]] = (page, len(under))
    assert sorted(out) == sorted(headings), f"headings found: {sorted(out)}"
    return out


def insert_paragraph(handout: Path, after_heading: str, text: str) -> None:
    """Put ``text`` first in the body of the section headed ``after_heading``."""
    s = handout.read_text(encoding="utf-8")
    i = s.index(f"heading: {after_heading}")
    j = s.index("body: |", i) + len("body: |\n")
    handout.write_text(s[:j] + f"      {text}\n\n" + s[j:], encoding="utf-8")


TPI_HEADINGS = [
    "What is a trigger point?",
    "How does the injection work?",
    "Who may it help?",
    "Benefits and risks",
    "What to expect",
]


def test_a_long_first_paragraph_starts_on_page_1_of_a_letter(project: Path) -> None:
    source = project / "handouts" / "trigger-point-injections.yaml"
    insert_paragraph(source, "What is a trigger point?", LONG)
    headings = [h for h in TPI_HEADINGS if f"heading: {h}\n" in source.read_text()]
    assert len(headings) >= 4
    pdf = project / "letter.pdf"
    res = run_cli(
        "build", "trigger-point-injections", "--layout", "letter", "-o", str(pdf), cwd=project
    )
    assert res.returncode == 0, res.stderr
    placed = lines_under(pdf, headings, body=12)
    page, under = placed["What is a trigger point?"]
    # page 1 has room for about 18 lines under the greeting and the key points box: the
    # section starts there
    assert page == 1 and under >= 15, placed
    for heading, (page, under) in placed.items():  # no heading ends a page
        assert under >= 2, (heading, page, under)
    _, size, text = rows_by_page(pdf)[2][0]  # the paragraph goes on at the top of page 2
    assert size == 12 and text in LONG.replace(" ", "")


def test_a_long_paragraph_after_a_heading_on_a_sheet_starts_on_page_1(project: Path) -> None:
    # about 38 lines: more than page 1 has left under 'Part one', less than page 2 holds
    body = " ".join(["Walk a little every day and rest when you need it most."] * 64)
    (project / "handouts" / "parts.yaml").write_text(
        "title: Parts\nlanguage: en\nform: T-PARTS\nrevised: 2026-10-01\n"
        "review: {status: draft}\nlayouts: [sheet]\nsections:\n"
        "  - heading: Part one\n    body: |\n      Short text for a start.\n"
        f"  - heading: Part two\n    body: |\n      {body}\n\n      The end.\n",
        encoding="utf-8",
    )
    pdf = project / "parts.pdf"
    res = run_cli("build", "parts", "--layout", "sheet", "-o", str(pdf), cwd=project)
    assert res.returncode == 0, res.stderr
    placed = lines_under(pdf, ["Part one", "Part two"], body=12)
    # keep-with-next moved 'Part two' and its paragraph to page 2, leaving most of page 1 empty
    assert placed["Part two"][0] == 1 and placed["Part two"][1] >= 20, placed
    assert len(rows_by_page(pdf)) == 2
