"""Write-in lines say what they are for, as a person sees them: the questions section's lines
under "Your questions" ("Sus preguntas") on the sheet and the tri-fold, in the reading
order and the tags; and the sheet's last page ends in labelled "Notes" lines where its text
column ends early, never a page more."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from . import pdfcheck, tagcheck
from .conftest import run_cli

#: (handout, layout, page, the label, the last question before it)
QUESTIONS = [
    ("trigger-point-injections", "sheet", 2, "Your questions", "How many visits might I need?"),
    ("trigger-point-injections", "trifold", 1, "Your questions", "How many visits might I need?"),
    ("trigger-point-injections.es", "sheet", 2, "Sus preguntas", "¿Cuántas visitas podría"),
    ("trigger-point-injections.es", "trifold", 1, "Sus preguntas", "¿Cuántas visitas podría"),
]


def _build(folder: Path, handout: str, layout: str) -> Path:
    pdf = folder / f"{handout}-{layout}.pdf"
    res = run_cli("build", handout, "--layout", layout, "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    return pdf


def _rules(page: pdfplumber.page.Page) -> list[dict]:  # type: ignore[type-arg]
    return [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.5]


def _find(page: pdfplumber.page.Page, label: str) -> tuple[float, float, float, list[dict]]:  # type: ignore[type-arg]
    """(x0, x1, bottom, its characters) of ``label`` drawn on one line of ``page``."""
    text = label.replace(" ", "")
    rows: dict[int, list[dict]] = {}  # type: ignore[type-arg]
    for c in page.chars:
        if c["text"].strip():
            rows.setdefault(round(c["top"]), []).append(c)
    for row in rows.values():
        row.sort(key=lambda c: c["x0"])
        joined = "".join(c["text"] for c in row)
        if text in joined:
            start = joined.index(text)
            chars = row[start : start + len(text)]
            return chars[0]["x0"], chars[-1]["x1"], max(c["bottom"] for c in chars), chars
    raise AssertionError(f"{label!r} is not drawn on page {page.page_number}")


@pytest.mark.parametrize(("handout", "layout", "page_no", "label", "last_question"), QUESTIONS)
def test_questions_lines_are_labelled(
    tmp_path: Path, handout: str, layout: str, page_no: int, label: str, last_question: str
) -> None:
    pdf = _build(tmp_path, handout, layout)
    with pdfplumber.open(str(pdf)) as doc:
        assert len(doc.pages) == 2  # no page more
        page = doc.pages[page_no - 1]
        x0, x1, bottom, chars = _find(page, label)
        under = sorted(
            (ln for ln in _rules(page) if ln["top"] > bottom and abs(ln["x0"] - x0) < 2),
            key=lambda ln: ln["top"],
        )
    # bold, at least 9 pt (PRODUCT.md: labels at least 9 pt)
    assert all(c["size"] >= 9 - 0.01 and "Bold" in c["fontname"] for c in chars)
    # the section's two lines right under the label, as wide as its column (past the label)
    assert len(under) >= 2, under
    first, second = under[:2]
    assert 0 < first["top"] - bottom < 0.45 * 72
    assert second["top"] - first["top"] >= 0.33 * 72 - 0.5  # room to write
    assert first["x1"] > x1 + 72
    # read after the questions (the label says what the lines under it are for)
    words = " ".join(pdfcheck.text(pdf, page_no).split())
    assert words.index(last_question) < words.index(label)
    # tagged: in the questions section's structure, after its list
    sects = [s for s in tagcheck.poppler_tree(pdf).find("Sect") if last_question in s.text()]
    assert len(sects) == 1
    said = sects[0].text()
    assert said.index(last_question) < said.index(label), said


@pytest.mark.parametrize(
    ("handout", "notes", "last_words"),
    [
        ("trigger-point-injections", "Notes", "more than 1 visit may help."),
        ("tpi-aftercare", "Notes", "Day 7"),
        ("tpi-aftercare.es", "Notas", "Día 7"),
    ],
)
def test_sheet_page_2_ends_in_notes_lines(
    tmp_path: Path, handout: str, notes: str, last_words: str
) -> None:
    pdf = _build(tmp_path, handout, "sheet")
    with pdfplumber.open(str(pdf)) as doc:
        assert len(doc.pages) == 2  # the lines never make a page 3
        page = doc.pages[1]
        x0, _, bottom, chars = _find(page, notes)
        end = _find(page, last_words)[2]  # the end of the text column's text
        rules = _rules(page)
        footer_rule = max(ln["top"] for ln in rules)
        lines = sorted(
            (ln for ln in rules if bottom < ln["top"] < footer_rule - 1 and abs(ln["x0"] - x0) < 2),
            key=lambda ln: ln["top"],
        )
    assert bottom > end  # under the end of the text, in its column
    assert all(c["size"] >= 9 - 0.01 and "Bold" in c["fontname"] for c in chars)
    assert len(lines) >= 5  # write-in room where the page was blank
    # to the foot of the column: at most one row of blank paper left above the footer
    assert footer_rule - lines[-1]["top"] < 0.6 * 72
    gaps = {round(b["top"] - a["top"], 1) for a, b in zip(lines, lines[1:], strict=False)}
    assert len(gaps) == 1 and min(gaps) >= 0.33 * 72 - 0.5  # evenly, room to write
    # the label is read (tagged), after the text it follows
    tree = tagcheck.poppler_tree(pdf).text()
    assert notes in tree.split(last_words, 1)[1]
