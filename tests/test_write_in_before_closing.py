"""A patient's write-in room comes before the words that close a section: the questions
section's "Your questions" lines and the aftercare sheet's follow-up box sit above the
italic "This handout does not replace advice from your care team." (on paper and in the
tags), in the sheet, the tri-fold and large print, English and Spanish; and the sheet's
last "Notes" line keeps a clear gap (0.25 in) above the footer rule.

Before, a section's tool was drawn after all of its text, so the disclaimer sat between
the questions and the lines to write them on."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from . import tagcheck
from .conftest import run_cli
from .test_write_in_labels import _find, _rules

EN_NOTE = "This handout does not replace advice from your care team."
#: where a case's handout named ``fixtures/….yaml`` is (else a shipped handout's id)
TESTS = Path(__file__).parent
ES_NOTE = "Este folleto no reemplaza los consejos de su equipo de salud."

#: (handout, layout, the write-in label)
CASES = [
    ("trigger-point-injections", "sheet", "Your questions"),
    ("trigger-point-injections", "trifold", "Your questions"),
    ("trigger-point-injections", "large-print", "Your questions"),
    ("trigger-point-injections.es", "sheet", "Sus preguntas"),
    ("trigger-point-injections.es", "trifold", "Sus preguntas"),
    ("trigger-point-injections.es", "large-print", "Sus preguntas"),
    ("tpi-aftercare", "sheet", "Time"),
    ("tpi-aftercare", "large-print", "Time"),
    # the tri-fold's notes lines under the flap's last section, above its closing note
    ("tpi-aftercare", "trifold", "Notes"),
    # the inside's last lines for notes, above its last section's closing note
    ("fixtures/closing-note-inside.yaml", "trifold", "More notes"),
]


def _build(folder: Path, handout: str, layout: str) -> Path:
    pdf = folder / f"{Path(handout).name}-{layout}.pdf"
    args = ["--large-print"] if layout == "large-print" else ["--layout", layout]
    source = str(TESTS / handout) if handout.startswith("fixtures/") else handout
    res = run_cli("build", source, *args, "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    return pdf


@pytest.mark.parametrize(("handout", "layout", "label"), CASES)
def test_write_in_room_comes_before_the_closing_note(
    tmp_path: Path, handout: str, layout: str, label: str
) -> None:
    note = ES_NOTE if handout.endswith(".es") else EN_NOTE
    note_start = " ".join(note.split()[:3])
    pdf = _build(tmp_path, handout, layout)
    with pdfplumber.open(str(pdf)) as doc:
        found = []
        for page in doc.pages:
            try:
                found.append((page, _find(page, label), _find(page, note_start)))
            except AssertionError:
                continue
        assert len(found) == 1, f"{label!r} and {note_start!r} not on one page"
        page, (x0, x1, label_bottom, chars), (nx0, _, _, note_chars) = found[0]
        label_top = min(c["top"] for c in chars)
        note_top = min(c["top"] for c in note_chars)
        # the line(s) to write on: under the label or beside it (an appointment's field)
        lines = [
            ln
            for ln in _rules(page)
            if label_top < ln["top"] < note_top and ln["x1"] > x1 + 36 and ln["x0"] >= x0 - 2
        ]
    # the note is under the label and under the line(s) to write on, in the same column
    assert note_top > label_bottom and abs(nx0 - x0) < 20
    assert lines, "no write-in line between the label and the closing note"
    # read in that order too: the label before the note, in the same section
    sects = [s for s in tagcheck.poppler_tree(pdf).find("Sect") if note in s.text()]
    assert len(sects) == 1
    said = sects[0].text()
    assert said.index(label) < said.index(note), said


@pytest.mark.parametrize(
    "handout", ["tpi-aftercare", "tpi-aftercare.es", "trigger-point-injections"]
)
def test_last_notes_line_keeps_clear_of_the_footer_rule(tmp_path: Path, handout: str) -> None:
    pdf = _build(tmp_path, handout, "sheet")
    with pdfplumber.open(str(pdf)) as doc:
        page = doc.pages[-1]
        x0 = _find(page, "Notas" if handout.endswith(".es") else "Notes")[0]
        rules = _rules(page)
        footer_rule = max(ln["top"] for ln in rules)
        notes = [ln for ln in rules if abs(ln["x0"] - x0) < 2 and ln["top"] < footer_rule - 0.5]
    assert len(notes) >= 5
    # apart from the rule: 13 pt over it read as one notes line more
    assert footer_rule - max(ln["top"] for ln in notes) >= 0.25 * 72 - 0.1
