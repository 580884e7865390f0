"""Handouts the engine has never seen build in both layouts, unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import pdfcheck
from .conftest import run_cli

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def heating(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("unseen")
    res = run_cli(
        "build",
        str(FIXTURES / "heating-pad.yaml"),
        "--out-dir",
        str(out),
        "--set",
        "patient.name=Zo\u00eb \u00d1\u00fa\u00f1ez",
    )
    assert res.returncode == 0, res.stderr
    assert "empty" not in res.stderr  # short content is balanced over the panels
    return out


def test_both_layouts_built(heating: Path) -> None:
    assert pdfcheck.page_sizes(heating / "heating-pad-trifold.pdf") == [(792.0, 612.0)] * 2
    assert pdfcheck.page_sizes(heating / "heating-pad-sheet.pdf") == [(612.0, 792.0)]
    for pdf in heating.iterdir():
        pdfcheck.qpdf_check(pdf)
        pdfcheck.assert_fonts_embedded(pdf)


def test_content_as_written(heating: Path) -> None:
    words = pdfcheck.words(heating / "heating-pad-sheet.pdf")
    for phrase in (
        "Using a Heating Pad Safely",
        "Zo\u00eb \u00d1\u00fa\u00f1ez",
        "1. Set the pad to low or medium, never high.",
        "4. Never sleep with the pad turned on.",
        "our website (palomar-spine.example.com/heat)",
        "Today is November 27, 2026.",
        "Your provider",
        "Next visit",
    ):
        assert phrase in words, phrase
    # approved content carries no DRAFT mark; the sample brand still carries SAMPLE
    assert "DRAFT" not in words and "SAMPLE" in words


def test_short_content_is_balanced_over_all_panels(heating: Path) -> None:
    pdf = heating / "heating-pad-trifold.pdf"
    w = [3.625 * 72, 3.6875 * 72, 3.6875 * 72]
    flow = {1: [(0, w[0])], 2: [(0, w[2]), (w[2], w[2] + w[1]), (w[2] + w[1], 792)]}
    chars = [c for c in pdfcheck.chars(pdf) if c.text.strip() and c.size > 9]
    for page, ranges in flow.items():
        for a, b in ranges:
            assert any(c.page == page and a <= c.x0 and c.x1 <= b for c in chars), (page, a)


def test_long_word_stays_in_its_panel(heating: Path) -> None:
    pdf = heating / "heating-pad-trifold.pdf"
    w = [3.625 * 72, 3.6875 * 72, 3.6875 * 72]
    panels = {
        1: [(0, w[0]), (w[0], w[0] + w[1]), (w[0] + w[1], 792)],
        2: [(0, w[2]), (w[2], w[2] + w[1]), (w[2] + w[1], 792)],
    }
    for c in pdfcheck.chars(pdf):
        if c.text.strip():
            assert any(a + 12 <= c.x0 and c.x1 <= b - 12 for a, b in panels[c.page]), c
