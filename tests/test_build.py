"""The shipped handouts, built as a user would, checked as a reader would see them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from pypdf import PdfReader

from . import pdfcheck
from .conftest import ROOT, run_cli

LETTER_PORTRAIT = (612.0, 792.0)
LETTER_LANDSCAPE = (792.0, 612.0)
EXPECTED = {
    "trigger-point-injections-trifold.pdf": (LETTER_LANDSCAPE, 2, 2),
    "trigger-point-injections-sheet.pdf": (LETTER_PORTRAIT, 1, 2),
    "tpi-aftercare-sheet.pdf": (LETTER_PORTRAIT, 1, 2),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    res = run_cli("build", "trigger-point-injections", "tpi-aftercare", "--out-dir", str(out))
    assert res.returncode == 0, res.stderr
    assert sorted(Path(line).name for line in res.stdout.split()) == sorted(EXPECTED)
    return out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page_size_and_count(built: Path, name: str) -> None:
    size, least, most = EXPECTED[name]
    sizes = pdfcheck.page_sizes(built / name)
    assert least <= len(sizes) <= most
    assert all(s == size for s in sizes), sizes


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_valid_pdf_with_embedded_fonts(built: Path, name: str) -> None:
    pdf = built / name
    pdfcheck.qpdf_check(pdf)
    pdfcheck.assert_fonts_embedded(pdf)
    names = {row.name.split("+", 1)[-1] for row in pdfcheck.pdffonts(pdf)}
    assert "AtkinsonHyperlegible-Regular" in names


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata(built: Path, name: str) -> None:
    info = pdfcheck.pdfinfo(built / name)
    reader = PdfReader(built / name)
    assert info["Title"] in ("Trigger Point Injections", "After Your Trigger Point Injections")
    assert info["Creator"].startswith("Handout Press")
    assert info["Author"] == "Palomar Spine & Pain"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    prefs = reader.trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/PrintScaling"] == "/None"
    expected_duplex = "/DuplexFlipShortEdge" if "trifold" in name else "/DuplexFlipLongEdge"
    assert prefs["/Duplex"] == expected_duplex


def test_trifold_text_in_reading_places(built: Path) -> None:
    pdf = built / "trigger-point-injections-trifold.pdf"
    outside = pdfcheck.words(pdf, 1)
    inside = pdfcheck.words(pdf, 2)
    # cover: title, subtitle, tagline; back panel: the tiered safety box and contact details
    # from the brand; flap: the sections the handout puts there
    for phrase in (
        "Trigger Point Injections",
        "Help for tight, painful muscle knots",
        "Call 911 right away",
        "Call us if you have",
        "(760) 555-0142",
        "After hours: (760) 555-0199",
        "palomar-spine.example.com",
        "PSP-TPI-01",
        "Questions to ask us",
    ):
        assert phrase in outside, phrase
    assert outside.index("Call 911 right away") < outside.index("Call us if you have")
    assert "3 things to know" in inside
    assert "What is a trigger point?" in inside


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_and_draft_marks_on_every_page(built: Path, name: str) -> None:
    pdf = built / name
    for page in range(1, len(pdfcheck.page_sizes(pdf)) + 1):
        words = pdfcheck.words(pdf, page)
        assert "SAMPLE" in words and "set your clinic's details" in words, page
        assert "DRAFT" in words, page
    assert "layouts/brands/palomar.yaml" in pdfcheck.words(pdf)


def _panels(pdf: Path) -> dict[int, list[tuple[float, float]]]:
    """Panel x-ranges per page of the trifold, from the layout's numbers."""
    w = [3.625 * 72, 3.6875 * 72, 3.6875 * 72]
    outside = [(0, w[0]), (w[0], w[0] + w[1]), (w[0] + w[1], 792)]
    inside = [(0, w[2]), (w[2], w[2] + w[1]), (w[2] + w[1], 792)]
    return {1: outside, 2: inside}


def test_trifold_every_character_inside_its_panel(built: Path) -> None:
    pdf = built / "trigger-point-injections-trifold.pdf"
    panels = _panels(pdf)
    chars = [c for c in pdfcheck.chars(pdf) if c.text.strip()]
    assert len(chars) > 2000
    for c in chars:
        homes = [(a, b) for a, b in panels[c.page] if a + 12 <= c.x0 and c.x1 <= b - 12]
        assert homes, f"{c.text!r} at x {c.x0:.1f}-{c.x1:.1f} on page {c.page} crosses a fold"
        assert c.top >= 18 and c.bottom <= 612 - 18, f"{c.text!r} too close to the edge"


def test_trifold_panels_are_used_and_body_is_large_enough(built: Path) -> None:
    pdf = built / "trigger-point-injections-trifold.pdf"
    panels = _panels(pdf)
    chars = [c for c in pdfcheck.chars(pdf) if c.text.strip()]
    for page, ranges in panels.items():
        for a, b in ranges:
            inside = [c for c in chars if c.page == page and a <= c.x0 and c.x1 <= b]
            assert len(inside) > 150, f"panel {a:.0f}-{b:.0f} on page {page} is nearly empty"
    body = [c for c in chars if c.page == 2 and "Atkinson" in c.font]
    sizes = sorted(round(c.size, 1) for c in body)
    most_common = max(set(sizes), key=sizes.count)
    assert most_common >= 10.5


def test_sheet_characters_inside_margins_and_body_12pt(built: Path) -> None:
    pdf = built / "tpi-aftercare-sheet.pdf"
    chars = [c for c in pdfcheck.chars(pdf) if c.text.strip()]
    for c in chars:
        assert c.x0 >= 18 and c.x1 <= 612 - 18 and c.top >= 18 and c.bottom <= 792 - 18, c
    sizes = [round(c.size, 1) for c in chars]
    assert max(set(sizes), key=sizes.count) >= 12


def test_personal_values_print_exactly_and_stay_private(tmp_path: Path) -> None:
    out = tmp_path / "obrien.pdf"
    name = "Pat & Lee <O'Brien> *Jr*"
    res = run_cli(
        "build",
        "tpi-aftercare",
        "--set",
        f"patient.name={name}",
        "--set",
        "visit.date=Nov 27, 2026",
        "--set",
        "provider.name=<b>left</b> [back](javascript:x)",
        "-o",
        str(out),
    )
    assert res.returncode == 0, res.stderr
    words = pdfcheck.words(out)
    assert name in words
    assert "<b>left</b> [back](javascript:x)" in words
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    reader = PdfReader(out)
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    assert "Brien" not in meta and "Pat & Lee" not in meta
    assert reader.metadata.get("/Title") == "After Your Trigger Point Injections"
    for page in reader.pages:
        assert "/Annots" not in page, "a link or annotation came from data"
    assert b"javascript" not in out.read_bytes()


def test_write_in_lines_when_no_values(built: Path, tmp_path: Path) -> None:
    """Each text field's label is followed on its baseline by an empty line long enough to
    write a name or date on by hand (at least 1.5 in), starting just after the label; a date
    field's line says small at its end how to write the date."""
    lines = pdfcheck.write_in_lines(built / "tpi-aftercare-sheet.pdf")
    assert set(lines) == set(pdfcheck.AFTERCARE_FIELDS), lines
    for label, (length, gap, on_it) in lines.items():
        assert length >= 1.5 * 72, (label, length)
        assert 0 <= gap <= 24, (label, gap)
        assert on_it == ("month / day / year" if label == "Date of injection" else ""), label
    # with a value the value is printed on the line instead
    filled = tmp_path / "filled.pdf"
    res = run_cli("build", "tpi-aftercare", "--set", "patient.name=Ana Lopez", "-o", str(filled))
    assert res.returncode == 0, res.stderr
    assert pdfcheck.write_in_lines(filled)["Patient"][2] == "Ana Lopez"
    mode = stat.S_IMODE(os.stat(built / "tpi-aftercare-sheet.pdf").st_mode)
    assert mode & 0o044, "a handout with no personal data is an ordinary readable file"


def test_names_outside_the_main_font_never_print_as_boxes(tmp_path: Path) -> None:
    out = tmp_path / "n.pdf"
    res = run_cli(
        "build",
        "tpi-aftercare",
        "--set",
        "patient.name=Nguy\u1ec5n \u0141ukasiewicz \u2192 \u0416",
        "-o",
        str(out),
    )
    assert res.returncode == 0, res.stderr
    assert "Nguy\u1ec5n \u0141ukasiewicz \u2192 \u0416" in pdfcheck.words(out)
    fonts = {row.name.split("+", 1)[-1] for row in pdfcheck.pdffonts(out)}
    assert "DejaVuSans" in fonts
    pdfcheck.assert_fonts_embedded(out)


def test_deterministic_output(tmp_path: Path) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for target in (a, b):
        res = run_cli("build", "trigger-point-injections", "--layout", "trifold", "-o", str(target))
        assert res.returncode == 0, res.stderr
    assert a.read_bytes() == b.read_bytes()


def test_build_all_into_default_out(project: Path) -> None:
    res = run_cli("build", cwd=project)
    assert res.returncode == 0, res.stderr
    made = {p.name for p in (project / "out").iterdir()}
    assert set(EXPECTED) <= made
    assert not [p for p in (project / "out").iterdir() if p.name.endswith(".tmp")]


def test_list(project: Path) -> None:
    res = run_cli("list", cwd=project)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    tpi = next(line for line in lines if "trigger-point-injections " in line)
    assert "draft" in tpi and "trifold, sheet" in tpi and "Trigger Point Injections" in tpi
    assert any(line.split()[:1] == ["trifold"] for line in lines)
    assert any("palomar" in line and "SAMPLE" in line for line in lines)


def test_handout_path_anywhere_builds(tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere.yaml"
    copy.write_text((ROOT / "handouts" / "tpi-aftercare.yaml").read_text())
    res = run_cli("build", str(copy), "--out-dir", str(tmp_path / "o"))
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "o" / "elsewhere-sheet.pdf").is_file()


@pytest.mark.parametrize(
    ("name", "heading_size", "columns"),
    [
        ("trigger-point-injections-trifold.pdf", 0.0, "trifold"),  # 0: as laid out
        ("trigger-point-injections-sheet.pdf", 15.0, "sheet"),
        ("tpi-aftercare-sheet.pdf", 15.0, "sheet"),
    ],
)
def test_no_heading_stranded_at_the_foot(
    built: Path, name: str, heading_size: float, columns: str
) -> None:
    pdf = built / name
    chars = [c for c in pdfcheck.chars(pdf) if c.text.strip()]
    sheet = {page: [(0.0, 612.0)] for page in (1, 2)}
    panels = _panels(pdf) if columns == "trifold" else sheet
    if not heading_size:  # the tri-fold's type grows to fill its panels: the inside's
        heading_size = max(c.size for c in chars if c.page == 2 and "Bold" in c.font)
    heads = {
        (c.page, round(c.top))
        for c in chars
        if abs(c.size - heading_size) < 0.1 and "Bold" in c.font
    }
    assert len(heads) >= 4
    for page, top in heads:
        first = next(
            c
            for c in chars
            if c.page == page
            and round(c.top) == top
            and abs(c.size - heading_size) < 0.1
            and "Bold" in c.font
        )
        a, b = next((a, b) for a, b in panels[page] if a <= first.x0 < b)
        below = [
            c
            for c in chars
            if c.page == page
            and a <= c.x0 < b
            and top + heading_size < c.top < top + heading_size + 30
        ]
        assert below, f"heading at {top:.0f} pt on page {page} has no text under it"
