"""Where "Page N of T" sits, read back from the PDF (pdfplumber): its right end on the right
margin the layout YAML gives, on every page of the sheet, large print and the letter, in
English and Spanish (issue 12: it was 6 pt short of the margin, the page count's room
being reserved for two digits)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from .conftest import run_cli

LAYOUTS = [
    ("tpi-aftercare", ("--layout", "sheet"), "sheet"),
    ("tpi-aftercare.es", ("--layout", "sheet-a4"), "sheet-a4"),
    ("trigger-point-injections", ("--large-print",), "large-print"),
    ("tpi-aftercare.es", ("--large-print",), "large-print"),
    ("tpi-aftercare", ("--layout", "letter"), "letter"),
]


def _right_margin(layout: str) -> tuple[float, float]:
    """(paper width, right margin) from the layout's YAML, in points."""
    from handoutpress.project import Project

    lay = Project().load_layout(layout)
    return lay.paper.width, lay.margins.right


@pytest.mark.parametrize(("handout", "args", "layout"), LAYOUTS)
def test_page_number_ends_on_the_right_margin(
    tmp_path: Path, handout: str, args: tuple[str, ...], layout: str
) -> None:
    pdf = tmp_path / "out.pdf"
    res = run_cli("build", handout, *args, "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    width, right = _right_margin(layout)
    with pdfplumber.open(pdf) as doc:
        total = len(doc.pages)
        assert total >= 2  # (a page count worth showing)
        for page in doc.pages:
            assert page.width == pytest.approx(width)
            words = page.extract_words()
            first = next(w for w in words if w["text"] in ("Page", "Página"))
            line = sorted(
                (w for w in words if abs(w["top"] - first["top"]) < 1 and w["x0"] >= first["x0"]),
                key=lambda w: w["x0"],
            )
            of = "of" if first["text"] == "Page" else "de"
            assert [w["text"] for w in line] == [
                first["text"],
                str(page.page_number),
                of,
                str(total),
            ]
            # the line's right end on the margin, not short of it and not past it
            assert line[-1]["x1"] == pytest.approx(width - right, abs=0.3), page.page_number
            # and it shows when printed (a form clips what it draws to its box)
            box = (line[0]["x0"], line[0]["top"], line[-1]["x1"], line[0]["bottom"])
            assert _inked(pdf, page.page_number, box) > 40, page.page_number


def _inked(pdf: Path, page: int, box: tuple[float, float, float, float]) -> int:
    """How many pixels inside ``box`` (points, from the top left) a render at 144 dpi
    (poppler) draws darker than light grey. (PGM, not PNG: the same pixels, without
    pdftoppm's PNG compression, ~20 times its drawing's CPU.)"""
    out = pdf.with_name(f"{pdf.stem}-{page}")
    subprocess.run(
        ["pdftoppm", "-r", "144", "-f", str(page), "-l", str(page), "-singlefile",
         "-gray", str(pdf), str(out)],
        check=True,
    )  # fmt: skip
    with Image.open(out.with_suffix(".pgm")) as image:
        x0, top, x1, bottom = (round(v * 2) for v in box)
        region = image.convert("L").crop((x0, top, x1, bottom))
        return sum(region.histogram()[:180])
