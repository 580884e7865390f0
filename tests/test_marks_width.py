"""The SAMPLE / DRAFT marks stay inside their text column in every layout, English and
Spanish, read back from the PDF (pdfplumber): each mark character (bold, the brand's
warning colour, the layout's small size) lies inside the column or panel it is drawn in, and off the
0.25 in safe margin. Issue 12: the sheet drew the long Spanish SAMPLE line as one centred
run 590 pt wide, past both margins of a 526 pt column (on A4 to 3 pt from the paper's
edge); it now wraps to the column, and the footer zone grows by the lines it adds."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from .conftest import run_cli
from .pdfcheck import text_boxes

WARNING = (0xA4, 0x26, 0x2C)  # palomar.yaml colours.warning "#A4262C"


def _is_warning(colour: object) -> bool:
    if not isinstance(colour, (tuple, list)) or len(colour) != 3:
        return False
    return all(abs(c * 255 - w) < 2 for c, w in zip(colour, WARNING, strict=True))


CASES = [
    (handout, layout, args)
    for handout in ("tpi-aftercare", "tpi-aftercare.es")
    for layout, args in (
        ("sheet", ("--layout", "sheet")),
        ("sheet-a4", ("--layout", "sheet-a4")),
        ("large-print", ("--large-print",)),
        ("letter", ("--layout", "letter")),
    )
] + [
    (handout, layout, ("--layout", layout))
    for handout in ("trigger-point-injections", "trigger-point-injections.es")
    for layout in ("trifold", "trifold-a4")
]


@pytest.mark.parametrize(("handout", "layout", "args"), CASES)
def test_marks_stay_in_their_column(
    tmp_path: Path, handout: str, layout: str, args: tuple[str, ...]
) -> None:
    pdf = tmp_path / "out.pdf"
    res = run_cli("build", handout, *args, "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    from handoutpress.project import Project

    small = Project().load_layout(layout).type.small  # the marks' size (footers, feet)
    safe = 0.25 * 72
    seen = 0
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            boxes = text_boxes(layout, page.page_number)
            marks = [
                c
                for c in page.chars
                if c["text"].strip()
                and c["size"] < small + 0.1
                and "Bold" in c["fontname"]
                and _is_warning(c.get("non_stroking_color"))
            ]
            for c in marks:
                middle = (c["x0"] + c["x1"]) / 2
                x, w = min(boxes, key=lambda b: abs(b[0] + b[1] / 2 - middle))
                assert x - 0.5 <= c["x0"] and c["x1"] <= x + w + 0.5, (
                    page.page_number,
                    c["text"],
                    round(c["x0"], 1),
                    round(c["x1"], 1),
                    (round(x, 1), round(x + w, 1)),
                )
                assert c["bottom"] <= page.height - safe and c["top"] >= safe
            seen += len(marks)
            text = page.extract_text() or ""
            assert ("SAMPLE" in text) or ("MUESTRA" in text), page.page_number
    assert seen > 60  # (the marks were found)
