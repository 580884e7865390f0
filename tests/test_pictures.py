"""Pictures in section bodies and on the cover, icons beside headings, QR codes: where they
are drawn and how large, read back from the PDF (pdfplumber) and from a render (zxing-cpp
decodes the QR code as a phone would)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from . import pdfcheck
from .conftest import assert_clean_error, run_cli

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
  <rect x="0" y="0" width="200" height="100" fill="#0E5A6B"/>
</svg>
"""

HANDOUT = """title: Ice at Home
language: en
form: TEST-01
revised: 2026-11-01
review: {{status: draft}}
layouts: [sheet]
cover: {{image: images/wide.svg, alt: A teal band}}
sections:
  - heading: Ice first
    icon: ice
    qr: {{url: "https://example.com/ice-video", label: Watch a 2-minute video}}
    body: |
      Put ice on the sore spot.

      ![A photo of an ice pack]({png}){{width={width}%}}

      ![A teal band](images/wide.svg){{width=40%}}
"""


def _write(folder: Path, px: tuple[int, int], width: int = 50) -> Path:
    (folder / "images").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", px, (200, 60, 60)).save(folder / "images" / "ice.png")
    (folder / "images" / "wide.svg").write_text(SVG)
    path = folder / "ice.yaml"
    path.write_text(HANDOUT.format(png="images/ice.png", width=width))
    return path


def _build(handout: Path, out: Path, *extra: str) -> None:
    res = run_cli("build", str(handout), "-o", str(out), *extra)
    assert res.returncode == 0, res.stderr


@pytest.mark.parametrize(
    "layout",
    [
        "sheet",
        "trifold",
        "trifold-a4",
        "letter",
        "sheet-a4",
    ],
)
def test_picture_width_is_a_fraction_of_the_column(tmp_path: Path, layout: str) -> None:
    handout = _write(tmp_path, (2400, 1200), width=50)  # 2400 px: never capped here
    pdf = tmp_path / "out.pdf"
    _build(handout, pdf, "--layout", layout)
    with pdfplumber.open(pdf) as doc:
        page = next(p for p in doc.pages if p.images)
        (image,) = page.images
        number = page.page_number
    width = image["x1"] - image["x0"]
    middle = (image["x0"] + image["x1"]) / 2
    # half as wide as the column (a tri-fold panel's text box) it is in, and centred in it
    boxes = pdfcheck.text_boxes(layout, number)
    x, column = min(boxes, key=lambda c: abs(c[0] + c[1] / 2 - middle))
    assert width == pytest.approx(column * 0.5, abs=0.5)
    assert middle == pytest.approx(x + column / 2, abs=0.5)
    # at its own aspect ratio (2:1)
    assert width == pytest.approx(2 * (image["bottom"] - image["top"]), 0.01)


def test_small_png_is_never_blown_up_and_check_warns(tmp_path: Path) -> None:
    """A 360 px wide PNG asked to fill the column is drawn 2.4 in wide (150 ppi), not
    7 in (51 ppi); check warns that it prints below 200 ppi, at the picture's line."""
    handout = _write(tmp_path, (360, 180), width=100)
    pdf = tmp_path / "out.pdf"
    _build(handout, pdf, "--layout", "sheet")
    with pdfplumber.open(pdf) as doc:
        (image,) = doc.pages[0].images
    assert image["x1"] - image["x0"] == pytest.approx(360 / 150 * 72, abs=0.5)
    res = run_cli("check", "--strict", str(handout))
    assert res.returncode == 1
    lines = [line for line in res.stderr.splitlines() if "ice.png" in line]
    assert lines == [
        f"{handout}:15:7: sections[0].body: warning: picture images/ice.png is 360 x 180 "
        "pixels: 150 ppi at its placed width (2.40 in); print needs 200 ppi (480 pixels wide "
        "or more), or use an SVG"
    ]


def test_enough_pixels_no_warning(tmp_path: Path) -> None:
    handout = _write(tmp_path, (2000, 1000), width=100)
    res = run_cli("check", str(handout))
    assert "ice.png" not in res.stderr, res.stderr


def test_icon_beside_heading_and_qr_code(tmp_path: Path) -> None:
    handout = _write(tmp_path, (1200, 600))
    pdf = tmp_path / "out.pdf"
    _build(handout, pdf, "--layout", "sheet")
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        words = page.extract_words()
        first = next(w for w in words if w["text"] == "first")
        heading = next(w for w in words if w["text"] == "Ice" and w["top"] == first["top"])
        body = next(w for w in words if w["text"] == "Put")
        # the heading moves right by the icon; the icon's strokes are in that gap
        assert heading["x0"] - body["x0"] > 12
        icon = [
            c
            for c in page.curves + page.lines
            if c["x0"] >= body["x0"] - 1
            and c["x1"] <= heading["x0"]
            and c["top"] < heading["bottom"] + 3
            and c["bottom"] > heading["top"] - 3
        ]
        assert icon, "no icon drawn left of the heading"
        # the QR code's label and address in words; the code is a link to the address
        text = page.extract_text()
        assert "Watch a 2-minute video" in text
        assert "example.com/ice-video" in text
        uris = [a.get("uri") for a in page.annots]
        assert "https://example.com/ice-video" in uris
    pdfcheck.assert_fonts_embedded(pdf)  # (no stray Helvetica from the icon or the code)
    png = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "200", "-f", "1", "-l", "1", str(pdf), str(png)])  # PPM
    import zxingcpp

    found = zxingcpp.read_barcodes(Image.open(tmp_path / "page-1.ppm"))
    assert [b.text for b in found] == ["https://example.com/ice-video"]


@pytest.mark.parametrize("extra", [("--layout", "trifold"), ("--large-print",)])
def test_cover_picture_and_qr_in_other_layouts(tmp_path: Path, extra: tuple[str, ...]) -> None:
    handout = _write(tmp_path, (1200, 600))
    pdf = tmp_path / "out.pdf"
    _build(handout, pdf, *extra)
    with pdfplumber.open(pdf) as doc:
        first = doc.pages[0]
        text = "\n".join(p.extract_text() for p in doc.pages)
        rects = [r for r in first.rects if r["non_stroking_color"] and r["width"] > 50]
    assert "example.com/ice-video" in text
    # the cover picture (a 2:1 teal SVG band) on the first page: the tri-fold cover
    # (right-hand panel) or the top of large print
    teal = [r for r in rects if abs(r["width"] - 2 * r["height"]) < 2]
    assert teal, "no cover picture"
    if extra[0] == "--layout":
        assert min(r["x0"] for r in teal) > 2 * 11 * 72 / 3 - 10


def test_decorative_picture_needs_no_alt(tmp_path: Path) -> None:
    handout = _write(tmp_path, (1200, 600))
    text = handout.read_text().replace(
        "![A teal band](images/wide.svg){width=40%}", "![](images/wide.svg){decorative}"
    )
    handout.write_text(text)
    _build(handout, tmp_path / "out.pdf", "--layout", "sheet")
    handout.write_text(text.replace("{decorative}", ""))
    lines = assert_clean_error(run_cli("build", str(handout), "-o", str(tmp_path / "x.pdf")))
    assert lines == [
        f"{handout}:17:7: sections[0].body: picture images/wide.svg has no alt text: write "
        "what it shows, ![Ice pack on the shoulder](images/wide.svg), or add {decorative} when "
        "it only decorates"
    ]


@pytest.mark.parametrize(
    "extra", [("--layout", "sheet"), ("--layout", "trifold"), ("--large-print",)]
)
def test_pictures_and_qr_codes_are_figures_with_their_alt_text(
    tmp_path: Path, extra: tuple[str, ...]
) -> None:
    handout = _write(tmp_path, (1200, 600))
    handout.write_text(
        handout.read_text().replace(
            "![A teal band](images/wide.svg){width=40%}", "![](images/wide.svg){decorative}"
        )
    )
    pdf = tmp_path / "out.pdf"
    _build(handout, pdf, *extra)
    figures = pdfcheck.figure_alts(pdf)
    assert "A photo of an ice pack" in figures
    assert "QR code: Watch a 2-minute video (example.com/ice-video)" in figures
    if extra[0] != "--layout" or extra[1] == "trifold":  # the cover picture's own alt text
        assert "A teal band" in figures
    # the decorative picture is no Figure: the body's teal band appears once at most (cover)
    assert figures.count("A teal band") <= 1


def test_an_svg_picture_may_not_reach_outside_the_handouts_folder(tmp_path: Path) -> None:
    folder = tmp_path / "handouts"
    handout = _write(folder, (1200, 600))
    Image.new("RGB", (300, 300), (0, 200, 0)).save(tmp_path / "secret.png")
    (folder / "images" / "wide.svg").write_text(
        SVG.replace(
            "</svg>",
            '  <image href="../../secret.png" x="0" y="0" width="50" height="50"/>\n</svg>',
        )
    )
    pdf = tmp_path / "out.pdf"
    _build(handout, pdf, "--layout", "sheet")
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages[0].images) == 1  # the PNG picture only: the outside file is not
    res = run_cli("check", str(handout))
    notes = [line for line in res.stderr.splitlines() if "wide.svg" in line]
    assert notes, res.stderr
    assert all(": warning: images/wide.svg: " in line for line in notes), notes
    assert all("outside the handout's folder" in line for line in notes), notes
    assert any(line.startswith(f"{handout}:17:7: sections[0].body:") for line in notes), notes


def test_press_output_with_pictures_icons_and_a_qr_code_is_pdfx(tmp_path: Path) -> None:
    """A PNG picture goes to CMYK through the output intent like a raster logo; the icon and
    the QR code are converted colours too (the outside PDF/X checker reads it back)."""
    import sys

    from .tagcheck import PDFCHECK

    handout = _write(tmp_path, (1200, 600))
    pdf = tmp_path / "press.pdf"
    _build(handout, pdf, "--layout", "sheet", "--target", "press")
    with pdfplumber.open(pdf) as doc:
        assert doc.pages[0].images, "the picture is drawn"
    checker = PDFCHECK / "pdfx_check.py"
    res = subprocess.run(
        [sys.executable, str(checker), str(pdf)], capture_output=True, text=True, timeout=300
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.strip().startswith("pass"), res.stdout
