"""The shipped brochure keeps every section whole in one panel (issue 12, point 1: no list
or section splits across a fold unless it cannot fit one panel, then "continued" at the
foot and the head): in English and Spanish, on US Letter and A4, the build gives no
"continues across a fold" warning and no panel carries a "continued" mark (pdftotext)."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import pdfcheck
from .conftest import run_cli

BROCHURES = [
    (handout, layout)
    for handout in ("trigger-point-injections", "trigger-point-injections.es")
    for layout in ("trifold", "trifold-a4")
]


@pytest.mark.parametrize(("handout", "layout"), BROCHURES)
def test_shipped_brochure_splits_no_section_across_a_fold(
    tmp_path: Path, handout: str, layout: str
) -> None:
    pdf = tmp_path / "brochure.pdf"
    res = run_cli("build", handout, "--layout", layout, "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    assert "continues across a fold" not in res.stderr, res.stderr
    text = pdfcheck.words(pdf)
    for mark in ("(continued)", "(continuación)", "Continued in the next", "Continúa en el"):
        assert mark not in text
    assert "3 things to know" in text or "3 cosas que debe saber" in text  # (text was read)
