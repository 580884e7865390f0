"""The tri-fold staff copy's back panel says it is the staff copy in text a screen reader
hears, in English and in Spanish (its English words a ``Span`` in English, as the strings
file marks them), wherever the back panel has room: the long staff line, else the short
one, else the STAFF COPY mark printed at the back panel's foot is read.

Before, the back panel carried the long line only where it fitted: the shipped brochure's
back panel is full, so neither its English nor its Spanish staff copy said so to a screen
reader (every panel's foot said it, as artifacts)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from . import tagcheck
from .conftest import run_cli
from .test_tagged import _elements

#: (handout, what the back panel's staff line says, read in order; its English words)
ES = "COPIA DEL PERSONAL · STAFF COPY (Spanish)"
CASES = [
    ("trigger-point-injections", "STAFF COPY", None),
    ("trigger-point-injections.es", ES, "STAFF COPY (Spanish)"),
    ("tpi-aftercare", "STAFF COPY — for clinic staff.", None),
    ("tpi-aftercare.es", f"{ES} — para el personal.", "STAFF COPY (Spanish)"),
]


@pytest.mark.parametrize(("handout", "says", "english"), CASES)
def test_back_panel_of_a_staff_copy_says_so_in_tagged_text(
    tmp_path: Path, handout: str, says: str, english: str | None
) -> None:
    pdf = tmp_path / f"{handout}-trifold-staff.pdf"
    res = run_cli("build", handout, "--layout", "trifold", "--staff-copy", "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    tree = tagcheck.poppler_tree(pdf)
    cover, back = tree.find("Div")[:2]
    assert "STAFF COPY" not in cover.text() and "PERSONAL" not in cover.text()
    lines = [p.text() for p in back.find("P") if "STAFF COPY" in p.text()]
    assert len(lines) == 1 and lines[0].startswith(says), lines
    spans = [(lang, text) for lang, text in _elements(pdf, "Span") if lang is not None]
    assert spans == ([("en", english)] if english else [])
    # printed on the back panel (the outside's middle third), where it is read
    with pdfplumber.open(str(pdf)) as doc:
        page = doc.pages[0]
        third = page.width / 3
        back_words = " ".join(
            w["text"] for w in page.extract_words() if third - 10 < w["x0"] < 2 * third
        )
    assert says.split(" — ")[0] in back_words
    ua = tagcheck.run_checker("ua_check.py", pdf)
    assert ua.returncode == 0, ua.stdout
    assert tagcheck.readers_disagree(pdf) == []
