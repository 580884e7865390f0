"""PRODUCT.md: "footers and labels at least 9 pt" (body text at least 12 pt). Every layout,
in English and Spanish, with every mark a page can carry (SAMPLE, DRAFT, the operator's PROOF
on a mailing), read back with pdfplumber: no character is set under 9 pt.

The brand's logo is left out: its lettering is artwork drawn at the logo's size (the shipped
logo's "Spine & Pain" is about 8.3 pt), not a footer or a label.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

from .conftest import ROOT, run_cli

MIN_SIZE = 9.0


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every handout in every layout it lists, in the A4 variants, in large print, and a
    proof mailing in both languages: made in a copy of the project whose brand has no logo."""
    project = tmp_path_factory.mktemp("minsize")
    for name in ("handouts", "layouts"):
        shutil.copytree(ROOT / name, project / name)
    brand = project / "layouts" / "brands" / "palomar.yaml"
    brand.write_text(
        "".join(
            line
            for line in brand.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith(("logo:", "logo_on_band:"))
        ),
        encoding="utf-8",
    )
    out = project / "out"
    runs = [
        ("build", "--out-dir", str(out / "default")),
        ("build", "--large-print", "--out-dir", str(out / "large")),
        ("build", "tpi-aftercare", "tpi-aftercare.es", "--layout", "sheet-a4",
         "--out-dir", str(out / "a4")),
        ("build", "trigger-point-injections", "trigger-point-injections.es",
         "--layout", "trifold-a4", "--out-dir", str(out / "a4")),
    ]  # fmt: skip
    for args in runs:
        res = run_cli(*args, cwd=project)
        assert res.returncode == 0, res.stderr
    (project / "r.csv").write_text(
        "first_name,last_name,address1,city,state,zip,language,visit_date\n"
        "Ana,Ruiz,1 Main St,Escondido,CA,92025,es,20 de noviembre de 2026\n"
        'Pat,Lee,2 Oak Ave,Escondido,CA,92026,en,"November 20, 2026"\n',
        encoding="utf-8",
    )
    mailing = out / "mail" / "mailing.pdf"
    res = run_cli(
        "batch", "tpi-follow-up", "--recipients", "r.csv", "--proof", "--merged", str(mailing),
        cwd=project,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    files = {str(p.relative_to(out)): p for p in sorted(out.rglob("*.pdf"))}
    layouts = {name.rsplit("-", 1)[-1] for name in files}
    # every layout is here: the tri-fold, the sheet, the letter, large print, the A4 variants
    assert {"trifold.pdf", "sheet.pdf", "letter.pdf", "print.pdf", "a4.pdf"} <= layouts, files
    assert any(".es-" in name for name in files)
    return files


def test_nothing_is_set_under_9_pt(built: dict[str, Path]) -> None:
    small: list[str] = []
    seen = 0
    for name, pdf in built.items():
        with pdfplumber.open(str(pdf)) as doc:
            for page in doc.pages:
                for ch in page.chars:
                    if not ch["text"].strip():
                        continue
                    seen += 1
                    if ch["size"] < MIN_SIZE - 0.01:
                        small.append(f"{name} p{page.page_number}: {ch['text']!r} {ch['size']:.2f}")
    assert seen > 20_000
    assert not small, small[:20]


def test_the_letters_footer_and_marks_are_there_at_9_pt(built: dict[str, Path]) -> None:
    """The letter's footer rows and its marks (wrapped to the text width) are 9 pt, inside the
    margins: the Spanish proof's three marks take two lines instead of running off the page."""
    mailing = built["mail/mailing.pdf"]
    with pdfplumber.open(str(mailing)) as doc:
        for page in doc.pages:
            width = float(page.width)
            left, right = 0.75 * 72, width - 0.75 * 72
            foot = [c for c in page.chars if c["top"] > page.height - 1.0 * 72]
            assert foot and {round(c["size"], 2) for c in foot} == {MIN_SIZE}
            assert min(c["x0"] for c in foot) >= left - 0.5
            assert max(c["x1"] for c in foot) <= right + 0.5
            text = page.extract_text()
            assert "PROOF" in text and ("MUESTRA" in text or "SAMPLE" in text)
