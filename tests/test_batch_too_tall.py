"""A letter with a box taller than a page: `batch` says what `build` says, once, and writes
nothing; a row whose own values make a box too tall is a reject, never a crash.

Last session `batch --merged` with a boxed section taller than a page, holding a recipient
field, died with ``KeyError: forward reference to 'FormXob.r1-total-1'`` (the pages drawn
before the layout error called "Page N of T" forms that nothing made).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from handoutpress.build import plan_mailing
from handoutpress.errors import ContentOverflow
from handoutpress.mailcanvas import FormCanvas
from handoutpress.project import Project

from .conftest import assert_clean_error, run_cli


def _tall_callout(project: Path, item: str) -> Path:
    """The aftercare with a callout (a box) of 50 list items added as its last section."""
    p = project / "handouts" / "tpi-aftercare.yaml"
    s = p.read_text(encoding="utf-8").rstrip("\n") + "\n"
    assert s.index("\nsections:\n") > s.rindex("\nfields:\n")  # sections come last
    extra = "".join(f"      - **Item {i}:** {item}\n" for i in range(50))
    s += "  - heading: Extra care\n    style: callout\n    body: |\n" + extra
    p.write_text(s, encoding="utf-8")
    (project / "r.csv").write_text(
        "First Name,Last_Name,Street,City,STATE,ZIP Code\n"
        "Ana,Lee,1 Main St,Salem,OR,97301\nBo,Kim,2 Main St,Salem,OR,97301\n",
        encoding="utf-8",
    )
    return p


@pytest.mark.parametrize(
    "item",
    ["stretch gently and walk a little.", "{{ patient.first_name }}, stretch gently."],
    ids=["shared", "personal"],
)
@pytest.mark.parametrize("mode", ["--merged", "--out-dir"])
def test_batch_reports_the_too_tall_box_as_build_does(project: Path, item: str, mode: str) -> None:
    _tall_callout(project, item)
    built = run_cli("build", "tpi-aftercare", "--layout", "letter", "--out-dir", "o", cwd=project)
    [line] = assert_clean_error(built)
    assert re.search(r"sections\[\d+\]: letter: 'Extra care' is too tall", line), line
    before = set(project.rglob("*"))
    target = "m.pdf" if mode == "--merged" else "letters"
    res = run_cli(
        "batch", "tpi-aftercare", "--proof", "--recipients", "r.csv", mode, target, cwd=project
    )
    assert assert_clean_error(res) == [line]
    assert set(project.rglob("*")) == before  # nothing written, not even rejects.csv


def test_a_letter_that_failed_leaves_the_mailing_file_whole(project: Path) -> None:
    """A row's letter stopped by a box taller than a page (its own values can do that) is
    refused; the merged file it was drawn into must still save (no dangling forms)."""
    _tall_callout(project, "{{ patient.first_name }}, stretch gently.")
    mailing = plan_mailing(
        Project(project), "tpi-aftercare", brand=None, layout="letter", proof=True
    )
    buf = io.BytesIO()
    canv = FormCanvas(buf)
    composed = mailing.compose("", {"patient.first_name": "Ana"})
    with pytest.raises(ContentOverflow) as exc:
        mailing.merge(composed).capture(canv, "r1")
    assert "is too tall to fit on one page" in exc.value.problems[0].message
    canv.showPage()
    canv.save()  # KeyError: forward reference to 'FormXob.r1-total-1' before the fix
    assert buf.getvalue().startswith(b"%PDF")
