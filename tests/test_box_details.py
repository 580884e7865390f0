"""The designer's polish list (issue 12, point 11), measured: the tinted boxes of the sheet
stay inside the text column and its side strip (their edges were 2-3 pt past it), with as
much room under their last line as above their first (3 pt against 10 pt), measured on the
ink of a render (poppler); the tri-fold cover band is inset from the fold as far as from
the paper's edges (it touched the fold)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from .conftest import run_cli
from .pdfcheck import text_boxes

DPI = 144


def _build(tmp_path: Path, handout: str, layout: str) -> Path:
    pdf = tmp_path / "out.pdf"
    res = run_cli("build", handout, "--layout", layout, "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    return pdf


def _boxes(page: pdfplumber.page.Page) -> list[dict]:  # type: ignore[type-arg]
    """The tinted boxes with text in them (filled rectangles over 100 pt wide)."""
    out = []
    for r in page.rects:
        if not r["fill"] or r["width"] < 100 or r["height"] < 30 or _dark(r):
            continue
        if any(
            c["text"].strip()
            and r["x0"] <= c["x0"]
            and c["x1"] <= r["x1"]
            and r["top"] <= c["top"]
            and c["bottom"] <= r["bottom"]
            for c in page.chars
        ):
            out.append(r)
    return out


def _dark(rect: dict) -> bool:  # type: ignore[type-arg]
    """A dark fill: a tier's coloured band (white words on it), not a tinted box."""
    colour = rect.get("non_stroking_color")
    if not isinstance(colour, (tuple, list)) or len(colour) != 3:
        return False
    return sum(colour) / 3 < 0.6


def _ink_rows(image: Image.Image, box: dict) -> tuple[float, float]:  # type: ignore[type-arg]
    """(room above the first row of text ink, room under the last) inside ``box``, in
    points (a rule or a coloured band across the box is not text)."""
    s = DPI / 72
    x0, x1 = int(box["x0"] * s) + 12, int(box["x1"] * s) - 12  # (inside any side bar)
    top, bottom = int(box["top"] * s) + 2, int(box["bottom"] * s) - 2  # (inside its rule)
    inked = []
    for y in range(top, bottom):
        dark = sum(image.crop((x0, y, x1, y + 1)).histogram()[:120])
        if 0 < dark < 0.8 * (x1 - x0):  # text, not a rule or a band across the box
            inked.append(y)
    assert inked, box
    return inked[0] / s - box["top"], box["bottom"] - (inked[-1] + 1) / s


@pytest.mark.parametrize(
    ("handout", "layout"),
    [
        ("tpi-aftercare", "sheet"),
        ("tpi-aftercare.es", "sheet-a4"),
        ("trigger-point-injections", "sheet"),
        ("trigger-point-injections.es", "sheet-a4"),
    ],
)
def test_sheet_boxes_inside_their_column_with_even_room(
    tmp_path: Path, handout: str, layout: str
) -> None:
    pdf = _build(tmp_path, handout, layout)
    ((left, width),) = text_boxes(layout, 1)
    measured = 0
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            png = tmp_path / f"page-{page.page_number}"
            subprocess.run(
                ["pdftoppm", "-gray", "-r", str(DPI), "-singlefile",  # PGM: no PNG compression
                 "-f", str(page.page_number), "-l", str(page.page_number), str(pdf), str(png)],
                check=True,
            )  # fmt: skip
            with Image.open(png.with_suffix(".pgm")) as image:
                grey = image.convert("L")
                for box in _boxes(page):
                    # inside the margins (the column or the side strip beside it)
                    assert box["x0"] >= left - 0.3 and box["x1"] <= left + width + 0.3, box
                    above, under = _ink_rows(grey, box)
                    # (ink: a heading's cap height above, a descender below: 3.5 pt apart at
                    # most; it was 10 pt above and 3 pt under)
                    assert abs(above - under) <= 3.5, (page.page_number, above, under)
                    measured += 1
    assert measured >= 3  # (key points, the tiers, a callout)


@pytest.mark.parametrize("layout", ["trifold", "trifold-a4"])
def test_cover_band_inset_from_the_fold_as_from_the_edges(tmp_path: Path, layout: str) -> None:
    pdf = _build(tmp_path, "trigger-point-injections", layout)
    from handoutpress.project import Project

    lay = Project().load_layout(layout)
    fold = lay.panels[0] + lay.panels[1]  # the cover's fold, from the left edge
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        band = max(
            (o for o in page.rects + page.curves if o["x0"] > fold - 5 and o["fill"]),
            key=lambda o: (o["x1"] - o["x0"]) * (o["bottom"] - o["top"]),
        )
        width = page.width
    inset = lay.safe_margin
    assert band["x0"] - fold == pytest.approx(inset, abs=0.3)
    assert width - band["x1"] == pytest.approx(inset, abs=0.3)
    assert band["top"] == pytest.approx(inset, abs=0.3)
