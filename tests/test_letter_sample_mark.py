"""The letter's SAMPLE mark names the brand file to edit ("SAMPLE — set your clinic's details
in layouts/brands/<file>"), in the handout's language, where the footer has the room: the
marks wrap under the contact rows and the footer does not grow for it (its rule stays where
the layout puts it). The tri-fold's panel feet and large print's footer box have no room for
the longer mark: they keep the short one, and name the file in their long mark."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

from .conftest import ROOT, run_cli

INCH = 72.0
#: layouts/letter.yaml: bottom margin 0.5 in, footer zone 0.62 in; the rule 8 pt under its top
RULE_Y = 0.5 * INCH + 0.62 * INCH - 8
SAFE = 0.25 * INCH


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with the sample brand copied as ``layouts/brands/our-clinic.yaml``."""
    project = tmp_path_factory.mktemp("mark")
    for name in ("handouts", "layouts"):
        shutil.copytree(ROOT / name, project / name)
    brands = project / "layouts" / "brands"
    shutil.copy(brands / "palomar.yaml", brands / "our-clinic.yaml")
    return project


@pytest.mark.parametrize(
    ("handout", "says"),
    [
        ("tpi-follow-up", "SAMPLE — set your clinic's details in layouts/brands/our-clinic.yaml"),
        (
            "tpi-follow-up.es",
            "MUESTRA — ponga los datos de su clínica en layouts/brands/our-clinic.yaml",
        ),
    ],
)
def test_the_letters_sample_mark_names_the_brand_file(
    project: Path, tmp_path: Path, handout: str, says: str
) -> None:
    out = tmp_path / "letter.pdf"
    res = run_cli("build", handout, "--brand", "our-clinic", "-o", str(out), cwd=project)
    assert res.returncode == 0, res.stderr
    with pdfplumber.open(str(out)) as pdf:
        for page in pdf.pages:
            text = page.extract_text()
            assert says in text, text[-400:]
            height, width = float(page.height), float(page.width)
            # the footer's rule where the layout puts it: it did not grow for the longer mark
            rules = [ln for ln in page.lines if abs(ln["y0"] - ln["y1"]) < 0.01]
            assert any(abs(ln["y0"] - RULE_Y) < 0.05 for ln in rules), [
                round(ln["y0"], 2) for ln in rules
            ]
            foot = [c for c in page.chars if c["bottom"] > height - RULE_Y]
            assert min(c["x0"] for c in foot) >= 0.75 * INCH - 0.5
            assert max(c["x1"] for c in foot) <= width - 0.75 * INCH + 0.5
            assert max(c["bottom"] for c in foot) <= height - SAFE
