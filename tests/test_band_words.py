"""The brand's words in the bands, as a person sees them: on the sheet's slim band on
page 2 every word at least 9 pt (PRODUCT.md: labels at least 9 pt), the clinic's name among
them (a logo scaled into the band printed "Spine & Pain" at about 5 pt); the tri-fold
cover's logo's words at 9 pt or more."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from .conftest import assert_clean_error, run_cli


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


def _with_brand_name(project: Path, name: str) -> None:
    brand = project / "layouts" / "brands" / "palomar.yaml"
    text = brand.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.startswith("name: "))
    brand.write_text(text.replace(first, f'name: "{name}"', 1), encoding="utf-8")


def test_a_name_too_wide_for_the_slim_band_is_left_out_of_it(project: Path) -> None:
    """A clinic's name wider than the band's logo room (2.2 in) is not drawn on the slim
    band, so the running title keeps its room; the footer still names the clinic. (The name
    was drawn whatever its width: from about 150 characters the title's width went below
    zero and the build ended in an internal error.)"""
    name = "Palomar Spine & Pain of Escondido"
    _with_brand_name(project, name)
    pdf = project / "sheet.pdf"
    res = run_cli("build", "tpi-aftercare", "-o", str(pdf), cwd=project)
    assert res.returncode == 0, res.stderr
    with pdfplumber.open(str(pdf)) as doc:
        page = doc.pages[1]
        band = min(
            (r for r in page.rects if r["width"] > page.width * 0.8 and r["fill"]),
            key=lambda r: r["top"],
        )
        inside = "".join(c["text"] for c in page.chars if c["bottom"] <= band["bottom"] + 0.5)
        below = "".join(c["text"] for c in page.chars if c["top"] > band["bottom"])
    assert "continued" in inside and "Escondido" not in inside
    assert "PalomarSpine&PainofEscondido" in below.replace(" ", "")  # the footer


def test_a_very_long_clinic_name_is_a_located_error_not_an_internal_one(project: Path) -> None:
    _with_brand_name(project, " ".join(["Palomar Spine and Pain"] * 7))
    res = run_cli("build", "tpi-aftercare", "-o", str(project / "sheet.pdf"), cwd=project)
    lines = assert_clean_error(res)
    assert len(lines) == 1 and "internal error" not in res.stderr
    assert lines[0].startswith("layouts/brands/palomar.yaml:") and "footer" in lines[0]
    assert not (project / "sheet.pdf").exists()
