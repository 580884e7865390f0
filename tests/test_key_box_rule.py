"""The key-points box's accent rule, as a reader sees it.

Tri-fold: the box opening inside-left had its own 4 pt rule 1.2 pt under the panel's 3 pt
rule (two rules read as one smudged line) and was 2.3 pt narrower on each side than the
panel's text; now the panel's rule is drawn in the accent colour, level with the other
panels' rules, and the box is as wide as the panel's text. Sheet: the box's rule had round
ends sticking 2 pt out past its tint (ReportLab's default cap for table lines); they are
cut square. Read from the PDF (pdfplumber) and from the rendered page (pdftoppm).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from . import pdfcheck
from .conftest import run_cli

ACCENT = (0.662745, 0.360784, 0.078431)  # the palomar brand's accent, as pdfplumber reads it
TINT = (0.901961, 0.94902, 0.956863)  # its light tint


def close(a: object, b: tuple[float, ...]) -> bool:
    return (
        isinstance(a, tuple)
        and len(a) == len(b)
        and all(abs(x - y) < 0.01 for x, y in zip(a, b, strict=True))
    )


@pytest.fixture(scope="module")
def trifolds(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("tri")
    made = []
    for handout in ("trigger-point-injections", "trigger-point-injections.es"):
        for layout in ("trifold", "trifold-a4"):
            pdf = out / f"{handout}-{layout}.pdf"
            res = run_cli("build", handout, "--layout", layout, "-o", str(pdf))
            assert res.returncode == 0, res.stderr
            made.append(pdf)
    return made


def top_rules(page: pdfplumber.page.Page) -> list[dict[str, object]]:
    """Filled bars and stroked lines no taller than 5 pt in the top 40 pt of the page."""
    out = []
    for r in page.rects:
        if r["bottom"] < 40 and r["bottom"] - r["top"] <= 5 and r["width"] > 100:
            out.append(
                {
                    "x0": r["x0"],
                    "x1": r["x1"],
                    "top": r["top"],
                    "bottom": r["bottom"],
                    "colour": r["non_stroking_color"],
                }
            )
    for ln in page.lines:
        if ln["top"] < 40 and abs(ln["top"] - ln["bottom"]) < 0.01 and ln["width"] > 100:
            half = ln["linewidth"] / 2
            out.append(
                {
                    "x0": ln["x0"],
                    "x1": ln["x1"],
                    "top": ln["top"] - half,
                    "bottom": ln["top"] + half,
                    "colour": ln["stroking_color"],
                }
            )
    return out


def test_the_inside_panels_have_one_rule_each_level_with_each_other(trifolds: list[Path]) -> None:
    for pdf in trifolds:
        with pdfplumber.open(pdf) as doc:
            page = doc.pages[1]
            rules = sorted(top_rules(page), key=lambda r: r["x0"])
            tint = [r for r in page.rects if close(r["non_stroking_color"], TINT)]
        assert len(rules) == 3, f"{pdf.name}: {rules}"  # one per panel, no second rule
        tops = {round(float(r["top"]), 1) for r in rules}  # type: ignore[arg-type]
        assert len(tops) == 1, f"{pdf.name}: rules not level: {rules}"
        assert close(rules[0]["colour"], ACCENT), f"{pdf.name}: {rules[0]}"
        # the key-points tint under the first rule is exactly as wide as it, and clear of it
        box = min(tint, key=lambda r: r["top"])
        assert abs(box["x0"] - rules[0]["x0"]) < 0.1 and abs(box["x1"] - rules[0]["x1"]) < 0.1
        assert box["top"] >= float(rules[0]["bottom"])  # type: ignore[arg-type]


def test_the_sheet_key_box_rule_ends_where_its_tint_does(tmp_path: Path) -> None:
    pdf = tmp_path / "sheet.pdf"
    res = run_cli("build", "tpi-aftercare", "--layout", "sheet", "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        rule = next(
            ln for ln in page.lines if close(ln["stroking_color"], ACCENT) and ln["linewidth"] == 4
        )
        tint = next(
            r
            for r in page.rects
            if close(r["non_stroking_color"], TINT) and abs(r["top"] - rule["top"]) < 0.5
        )
    dpi = 300
    subprocess.run(
        [
            pdfcheck.tool("pdftoppm"),
            "-r",  # PPM, not PNG: the same pixels without the compression
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(tmp_path / "p"),
        ],
        check=True,
        capture_output=True,
    )
    image = Image.open(tmp_path / "p.ppm").convert("RGB")
    y = round(rule["top"] * dpi / 72)
    accent = tuple(round(c * 255) for c in ACCENT)
    inked = [
        x
        for x in range(image.width)
        if all(abs(a - b) < 40 for a, b in zip(image.getpixel((x, y)), accent, strict=True))
    ]
    assert inked, "the accent rule is not on the rendered page"
    left, right = min(inked) * 72 / dpi, (max(inked) + 1) * 72 / dpi
    # ink from the tint's left edge to its right edge, not 2 pt beyond (one pixel's slack)
    assert left >= tint["x0"] - 72 / dpi and right <= tint["x1"] + 72 / dpi, (
        left,
        right,
        tint["x0"],
        tint["x1"],
    )
