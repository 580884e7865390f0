"""``--target press`` makes PDF/X-4: checked with ../shared/tools/pdfcheck/validate_pdfx.sh (qpdf,
a strict Ghostscript parse, pdfx_check.py, a soft proof through the output intent, ink
coverage) and by reading colours and declarations back with pdfplumber and pikepdf."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from reportlab.pdfgen.canvas import Canvas

from tests import shipped
from tests.conftest import run_cli
from tests.tagcheck import PDFCHECK

#: name -> (handout, layout or None for large print, profile's condition)
CASES = {
    "trifold": ("trigger-point-injections", "trifold", "CGATS TR 006"),
    "sheet": ("tpi-aftercare", "sheet", "CGATS TR 006"),
    "letter": ("tpi-aftercare", "letter", "CGATS TR 006"),
    "large-print": ("trigger-point-injections", None, "CGATS TR 006"),
    "trifold-a4": ("trigger-point-injections.es", "trifold-a4", "FOGRA39"),
}


@pytest.fixture(scope="module")
def press(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdfx")
    made = {}
    for name, (ref, layout, _) in CASES.items():
        where = ["--layout", layout] if layout else ["--large-print"]
        pdf = out / f"{name}.pdf"
        res = run_cli("build", ref, *where, "--target", "press", "-o", str(pdf))
        assert res.returncode == 0, res.stderr
        made[name] = pdf
    return made


def validate_pdfx(pdf: Path) -> str:
    """../shared/tools/pdfcheck/validate_pdfx.sh on ``pdf``: passes (exit 0); its output."""
    script = PDFCHECK / "validate_pdfx.sh"
    assert script.is_file(), script
    res = subprocess.run(
        ["sh", str(script), str(pdf)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHON": sys.executable},
        timeout=300,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    return res.stdout


@pytest.mark.parametrize("name", CASES)
def test_validate_pdfx_passes(press: dict[str, Path], name: str) -> None:
    stdout = validate_pdfx(press[name])
    assert "pass: declarations, output intent" in stdout
    assert "pass: max" in stdout  # total ink within the limit


@pytest.mark.parametrize("name", CASES)
def test_one_output_intent_with_the_shipped_profile(press: dict[str, Path], name: str) -> None:
    with pikepdf.open(press[name]) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX"
        assert str(intent.OutputConditionIdentifier) == CASES[name][2]
        profile = "FOGRA39.icc" if CASES[name][2] == "FOGRA39" else "TR006.icc"
        shipped = (Path(__file__).parent.parent / "profiles" / profile).read_bytes()
        assert intent.DestOutputProfile.read_bytes() == shipped
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4"
        assert pdf.docinfo.Trapped == "/False"
        meta = pdf.open_metadata()
        file_id = bytes(pdf.trailer.ID[0]).hex()
        assert meta["xmpMM:DocumentID"].replace("-", "") == f"uuid:{file_id}"
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
    assert press[name].read_bytes()[:8] == b"%PDF-1.6"


def test_press_output_is_reproducible(press: dict[str, Path], tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    res = run_cli(
        "build", "trigger-point-injections", "--layout", "trifold", "--target", "press",
        "-o", str(again),
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert again.read_bytes() == press["trifold"].read_bytes()


def _inks(colour: tuple[float, ...] | None) -> int:
    return sum(1 for v in colour or () if v > 0.001)


@pytest.mark.parametrize("layout", ["trifold", "sheet", "letter"])
def test_body_text_is_black_ink_and_small_text_one_ink(
    project: Path, tmp_path: Path, layout: str
) -> None:
    """Body text 100 % K; any text under 9 pt in a single ink. (Without the logo, whose own
    lettering is artwork and keeps its colours.)"""
    brand = project / "layouts" / "brands" / "palomar.yaml"
    brand.write_text(
        "\n".join(
            line
            for line in brand.read_text().splitlines()
            if not line.startswith(("logo:", "logo_on_band:"))
        )
        + "\n"
    )
    out = tmp_path / "p.pdf"
    res = run_cli(
        "build", "trigger-point-injections", "--layout", layout, "--target", "press",
        "-o", str(out), cwd=project,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    body_chars = small = 0
    with pdfplumber.open(out) as pdf:
        # the body size: the tri-fold's grows to fill its panels (the commonest size)
        sizes = Counter(round(ch["size"], 2) for page in pdf.pages for ch in page.chars)
        body = {"sheet": 12.0, "letter": 12.0}.get(layout) or sizes.most_common(1)[0][0]
        for page in pdf.pages:
            for ch in page.chars:
                if not ch["text"].strip():
                    continue
                colour = tuple(ch["non_stroking_color"] or ())
                assert len(colour) in (1, 4), colour  # CMYK or grey, never RGB
                if abs(ch["size"] - body) < 0.01 and "AtkinsonHyperlegible" in ch["fontname"]:
                    body_chars += 1
                    assert colour == (0, 0, 0, 1), (ch["text"], colour)
                if ch["size"] < 9:
                    small += 1
                    assert _inks(colour) <= 1, (ch["text"], ch["size"], colour)
    # (no layout sets anything under 9 pt: PRODUCT.md's footers and labels at least 9 pt,
    # the letter's too since session 6; the logo, whose lettering is under 9 pt, is left out)
    assert body_chars > 1000 and small == 0


def test_links_are_not_written_on_press_output(project: Path, tmp_path: Path) -> None:
    """PDF/X forbids annotations inside the BleedBox; paper has nothing to click."""
    handout = project / "handouts" / "tpi-aftercare.yaml"
    text = handout.read_text()
    item = shipped.one_line_item("tpi-aftercare")  # a list item on page 1
    assert text.count(item) == 1
    handout.write_text(text.replace(item, f"{item} See [our site](https://example.com/tpi)."))
    out = tmp_path / "p.pdf"
    res = run_cli("build", "tpi-aftercare", "--target", "press", "-o", str(out), cwd=project)
    assert res.returncode == 0, res.stderr
    with pikepdf.open(out) as pdf:
        assert all("/Annots" not in page.obj for page in pdf.pages)
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]  # the text column (the side strip beside it is read apart)
        # the strip starts at its tiers' bullets (the column's bullets are at the left margin)
        strip = min(c["x0"] for c in page.chars if c["text"] == "•" and c["x0"] > page.width / 2)
        column = page.crop((0, 0, strip - 6, page.height)).extract_text()
        assert "See our site (example.com/tpi)." in " ".join(column.split())


def test_an_unembedded_font_is_refused(tmp_path: Path) -> None:
    from handoutpress.pdfx import problems

    canv = Canvas(str(tmp_path / "x.pdf"))
    canv.setFont("Helvetica", 10)
    canv.drawString(10, 10, "x")
    found = problems(canv)
    assert found == [
        "--target press: font Helvetica is not embedded (PDF/X needs every font embedded)"
    ]


# --------------------------------------------------------------------------- PDF/X-1a:2003


@pytest.mark.parametrize("layout", ["trifold", "letter"])
def test_x1a_for_shops_that_ask_for_it(tmp_path: Path, layout: str) -> None:
    out = tmp_path / "x1a.pdf"
    res = run_cli(
        "build", "trigger-point-injections", "--layout", layout, "--target", "press",
        "--pdfx", "x1a", "-o", str(out),
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    validate_pdfx(out)
    with pikepdf.open(out) as pdf:
        assert str(pdf.docinfo.GTS_PDFXConformance) == "PDF/X-1a:2003"
        (intent,) = pdf.Root.OutputIntents
        assert "/DestOutputProfile" not in intent  # the registered condition, named
        assert str(intent.OutputConditionIdentifier) == "CGATS TR 006"
    assert out.read_bytes()[:8] == b"%PDF-1.4"
    assert out.stat().st_size < 100_000  # no 130 KB profile


def test_x1a_refuses_a_logo_with_transparency(project: Path, tmp_path: Path) -> None:
    from PIL import Image

    from tests.conftest import assert_clean_error

    brands = project / "layouts" / "brands"
    Image.new("RGBA", (600, 200), (14, 90, 107, 128)).save(brands / "see-through.png")
    brand = brands / "palomar.yaml"
    lines = brand.read_text().splitlines()
    lines = [
        "logo: see-through.png" if line.startswith("logo:") else line
        for line in lines
        if not line.startswith("logo_on_band:")
    ]
    brand.write_text("\n".join(lines) + "\n")
    line_no = next(i for i, line in enumerate(lines, 1) if line.startswith("logo:"))
    args = ["build", "tpi-aftercare", "--target", "press", "-o", str(tmp_path / "x.pdf")]
    res = run_cli(*args, "--pdfx", "x1a", cwd=project)
    found = assert_clean_error(res)
    assert len(found) == 1, found
    line = found[0]
    assert line.startswith(f"layouts/brands/palomar.yaml:{line_no}:")
    assert "a PNG with transparency cannot go in PDF/X-1a" in line
    assert not (tmp_path / "x.pdf").exists()
    res = run_cli(*args, cwd=project)  # PDF/X-4 allows transparency
    assert res.returncode == 0, res.stderr


def test_pdfx_without_press_is_a_clean_error(tmp_path: Path) -> None:
    from tests.conftest import assert_clean_error

    res = run_cli("build", "tpi-aftercare", "--pdfx", "x1a", "-o", str(tmp_path / "x.pdf"))
    assert assert_clean_error(res) == ["--pdfx x1a: PDF/X is for print shops; add --target press"]


def test_x1a_refuses_a_content_picture_with_transparency(tmp_path: Path) -> None:
    """A picture in the text with an alpha channel: PDF/X-1a refused in one line naming the
    file; PDF/X-4 (which allows transparency) made and valid."""
    from PIL import Image

    from tests.conftest import assert_clean_error

    (tmp_path / "images").mkdir()
    Image.new("RGBA", (900, 600), (200, 60, 60, 100)).save(tmp_path / "images" / "ice.png")
    handout = tmp_path / "ice.yaml"
    handout.write_text(
        "title: Ice at Home\nlanguage: en\nform: TEST-01\nrevised: 2026-11-01\n"
        "review: {status: draft}\nlayouts: [sheet]\nsections:\n  - heading: Ice first\n"
        "    body: |\n      Put ice on the sore spot.\n\n"
        "      ![A photo of an ice pack](images/ice.png){width=50%}\n"
    )
    out = tmp_path / "x.pdf"
    args = ["build", str(handout), "--target", "press", "-o", str(out)]
    found = assert_clean_error(run_cli(*args, "--pdfx", "x1a"))
    assert len(found) == 1 and "ice.png" in found[0], found
    assert "a PNG with transparency cannot go in PDF/X-1a" in found[0]
    assert not out.exists()
    res = run_cli(*args)
    assert res.returncode == 0, res.stderr
    validate_pdfx(out)
