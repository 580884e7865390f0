"""The brand's words in the bands, as a person sees them: on the sheet's slim band on
page 2 every word at least 9 pt (PRODUCT.md: labels at least 9 pt), the clinic's name among
them (a logo scaled into the band printed "Spine & Pain" at about 5 pt); the tri-fold
cover's logo's words at 9 pt or more."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from .conftest import run_cli


@pytest.mark.parametrize(
    ("handout", "layout"),
    [("tpi-aftercare", "sheet"), ("trigger-point-injections.es", "sheet"),
     ("tpi-aftercare.es", "sheet-a4")],
)  # fmt: skip
def test_page_2_band_words_are_at_least_9_pt(tmp_path: Path, handout: str, layout: str) -> None:
    pdf = tmp_path / "sheet.pdf"
    res = run_cli("build", handout, "--layout", layout, "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    with pdfplumber.open(str(pdf)) as doc:
        assert len(doc.pages) == 2
        page = doc.pages[1]
        # the accent rule under the band, as wide as the text column
        band = min(
            (r for r in page.rects if r["width"] > page.width * 0.8 and r["fill"]),
            key=lambda r: r["top"],
        )
        inside = [
            c for c in page.chars if c["text"].strip() and c["bottom"] <= band["bottom"] + 0.5
        ]
        words = "".join(c["text"] for c in sorted(inside, key=lambda c: c["x0"]))
    assert inside
    assert min(c["size"] for c in inside) >= 9 - 0.01, sorted({round(c["size"], 1) for c in inside})
    assert "PalomarSpine&Pain" in words
    # the name at the band's right, ending where the text column ends
    name = [c for c in inside if c["x0"] > page.width / 2]
    assert name and abs(max(c["x1"] for c in name) - band["x1"]) < 1


@pytest.mark.parametrize(
    ("handout", "layout"),
    [("trigger-point-injections", "trifold"), ("trigger-point-injections.es", "trifold-a4")],
)
def test_cover_logo_words_are_at_least_9_pt(tmp_path: Path, handout: str, layout: str) -> None:
    """The logo at the top of the tri-fold's cover (the outside's right panel) prints its
    smallest words, "Spine & Pain", at 9 pt or more (they were 7.6 pt)."""
    pdf = tmp_path / "trifold.pdf"
    res = run_cli("build", handout, "--layout", layout, "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    with pdfplumber.open(str(pdf)) as doc:
        page = doc.pages[0]
        logo = [
            c
            for c in page.chars
            if c["text"].strip() and c["top"] < 72 and c["x0"] > page.width * 2 / 3
        ]
    words = "".join(c["text"] for c in sorted(logo, key=lambda c: (round(c["top"]), c["x0"])))
    assert words == "PalomarSpine&Pain", words
    assert min(c["size"] for c in logo) >= 9 - 0.01, sorted({round(c["size"], 1) for c in logo})
