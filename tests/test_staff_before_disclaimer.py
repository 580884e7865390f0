"""The staff copy's sections for staff come before the patient's disclaimer (*This handout
does not replace advice from your care team.*), in the sheet and large print, English and
Spanish, as in the tri-fold (whose flap ends with the staff section, then the disclaimer):
in the text a reader gets from the page (pdftotext), and in the tags' reading order.

Before, the sheet's page 2 strip and the large print printed the disclaimer inside "Your
follow-up visit" and the staff-only teach-back questions after it, so the last words the
patient's handout says were followed by a box of instructions for staff."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pdfplumber
import pytest

from .conftest import run_cli
from .pdfcheck import tool
from .tagcheck import poppler_tree

EN = ("For staff: Check understanding", "This handout does not replace advice from your care team.")
ES = (
    "Para el personal: Comprobar que entendió",
    "Esta hoja no reemplaza los consejos de su equipo de salud.",
)
CASES = [
    ("tpi-aftercare", "sheet", EN),
    ("tpi-aftercare", "large-print", EN),
    ("tpi-aftercare.es", "sheet", ES),
    ("tpi-aftercare.es", "large-print", ES),
]


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("handout", "layout", "says"), CASES)
def test_staff_sections_come_before_the_disclaimer(
    tmp_path: Path, handout: str, layout: str, says: tuple[str, str]
) -> None:
    heading, disclaimer = says
    pdf = tmp_path / f"{handout}-{layout}-staff.pdf"
    how = ["--large-print"] if layout == "large-print" else ["--layout", layout]
    res = run_cli("build", handout, *how, "--staff-copy", "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    # as read from the page (reading order of the text on it), page by page
    pages = []
    with pdfplumber.open(str(pdf)) as doc:
        count = len(doc.pages)
    for n in range(1, count + 1):
        out = subprocess.run(
            [tool("pdftotext"), "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        pages.append(_words(out.stdout))
    text = " ".join(pages)
    assert text.count(heading) == 1 and text.count(disclaimer) == 1, text[-600:]
    assert text.index(heading) < text.index(disclaimer)
    # the disclaimer is on the staff section's page, not on a page of its own
    on = [n for n, page in enumerate(pages) if heading in page or disclaimer in page]
    assert len(set(on)) == 1, on
    # and in the tags' reading order
    tagged = poppler_tree(pdf).text()
    assert tagged.count(heading) == 1 and tagged.count(disclaimer) == 1
    assert tagged.index(heading) < tagged.index(disclaimer)
