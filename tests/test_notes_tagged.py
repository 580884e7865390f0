"""The tri-fold's notes labels ("Notes" under the flap's text, "More notes" at the end of
the inside) are read as the sheet's "Notes" is: a ``P`` in the structure tree, in the
handout's reading order, read back by the outside checkers. Before, the tri-fold drew them
as artifacts: a screen reader skipped the words that say what the lines are for."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import tagcheck
from .conftest import run_cli
from .test_tagged import _elements

#: (handout, the label, the last words read before it): the flap's lines show when the
#: flap's text leaves room (the aftercare sheet's content as a tri-fold: before the closing
#: note, tests/test_write_in_before_closing.py), the inside's
#: at the foot of the last inside panel (the shipped brochure in Spanish)
CASES = [
    ("tpi-aftercare", "Notes", "Bring this sheet and your pain log."),
    ("trigger-point-injections", "More notes", "more than 1 visit may help."),
    ("trigger-point-injections.es", "Más notas", "puede ayudar más de 1 visita."),
]


@pytest.mark.parametrize(("handout", "label", "before"), CASES)
def test_trifold_notes_label_is_a_tagged_paragraph(
    tmp_path: Path, handout: str, label: str, before: str
) -> None:
    pdf = tmp_path / f"{handout}-trifold.pdf"
    res = run_cli("build", handout, "--layout", "trifold", "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    paragraphs = [text.strip() for _, text in _elements(pdf, "P")]
    assert label in paragraphs
    said = tagcheck.poppler_tree(pdf).text()
    assert label in said.split(before, 1)[1]
    ua = tagcheck.run_checker("ua_check.py", pdf)
    assert ua.returncode == 0, ua.stdout
    assert tagcheck.readers_disagree(pdf) == []
