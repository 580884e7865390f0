"""Large print ends with the clinic's contact details and the long SAMPLE / DRAFT notes;
the notes are never alone on the last page (keep with the previous). They were kept
together on their own: when they did not fit under the details, the last page held only
them (the shipped brochure's and both Spanish handouts' page 7)."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from .conftest import run_cli

BRAND = "Palomar Spine & Pain"  # in the contact details, not in the running head or footer


def _last_page(pdf: Path) -> str:
    return pypdf.PdfReader(pdf).pages[-1].extract_text()


def _build(root: Path, handout: str, out: Path) -> str:
    res = run_cli("build", handout, "--large-print", "-o", str(out), cwd=root)
    assert res.returncode == 0, res.stderr
    return _last_page(out)


@pytest.mark.parametrize("handout", ["trigger-point-injections", "tpi-aftercare.es"])
def test_shipped_last_page_has_details_with_the_notes(
    shipped_root: Path, tmp_path: Path, handout: str
) -> None:
    last = _build(shipped_root, handout, tmp_path / "l.pdf")
    assert BRAND in last
    assert last.index(BRAND) < last.index("layouts/brands/palomar.yaml")


def test_the_notes_never_stand_alone_whatever_the_length(project: Path) -> None:
    source = (project / "handouts" / "trigger-point-injections.yaml").read_text("utf-8")
    head = source.split("sections:\n")[0]
    alone = []
    for n in range(10, 34, 2):  # (the text grows line by line: the end falls everywhere)
        lines = "".join(f"      Line {i}: a knot in a muscle.\n\n" for i in range(n))
        body = f"sections:\n  - heading: What is a trigger point?\n    body: |\n{lines}"
        (project / "handouts" / f"lines{n}.yaml").write_text(head + body, "utf-8")
        last = _build(project, f"lines{n}", project / f"lines{n}.pdf")
        if BRAND not in last:
            alone.append(n)
    assert alone == []
