"""``render()`` returns what it found (pages, warnings, placed images); ``render_png`` gives bytes.

In-process: these look at the engine API the commands and the web page read, not at a side
channel (a logger's handlers, a context variable, a regex over the PDF).
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from handoutpress.build import plan
from handoutpress.frontdesk import SingleRequest, render_png
from handoutpress.project import Project

from .conftest import EPOCH, run_cli

SHORT_TRIFOLD = """\
title: Ice packs
form: PSP-T-01
revised: 2026-01-15
review: {status: draft}
layouts: [trifold]
sections:
  - heading: Why ice helps
    body: Ice can ease swelling.
"""


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def _pdfium_pages(pdf: bytes) -> int:
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def test_pages_are_the_pdfs_pages_in_every_layout() -> None:
    work = plan(Project(), ["trigger-point-injections", "tpi-aftercare"])
    work_large = plan(Project(), ["trigger-point-injections"], large_print=True)
    results = [w.render(job, {})[1] for w in (work, work_large) for job in w.jobs]
    assert [r.pages for r in results] == [_pdfium_pages(r.pdf) for r in results]
    # the sheets and tri-fold 2 pages; the brochure in large print 7 (its questions section
    # moves whole to a page of its own with its write-in label, session 6)
    assert {r.pages for r in results} >= {2, 7}


def test_an_empty_panel_is_a_warning_in_the_result_not_a_log_record(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (project / "handouts" / "ice.yaml").write_text(SHORT_TRIFOLD)
    work = plan(Project(project), ["ice"])
    with caplog.at_level(logging.DEBUG, logger="handoutpress"):
        _, result = work.render(work.jobs[0], {})
    assert [r.getMessage() for r in caplog.records] == []
    assert result.pages == _pdfium_pages(result.pdf)
    assert result.warnings
    assert all(w.startswith("ice: trifold: panel ") for w in result.warnings)
    assert result.warnings[-1].endswith("is empty; add content or use the sheet layout")


def test_check_and_build_report_the_empty_panel(project: Path) -> None:
    (project / "handouts" / "ice.yaml").write_text(SHORT_TRIFOLD)
    res = run_cli("check", "ice", cwd=project)
    panel = [line for line in res.stderr.splitlines() if "trifold: panel" in line]
    assert panel and all(
        line.startswith("handouts/ice.yaml:5:11: layouts[0]: warning: ice: trifold: panel ")
        for line in panel
    ), res.stderr
    # (the flap holds lines for notes, the section opens the inside: two pages, as printed)
    assert "trifold fits (2 pages)" in res.stdout
    res = run_cli("build", "ice", "--out-dir", "out", cwd=project)
    assert res.returncode == 0, res.stderr
    warned = [line for line in res.stderr.splitlines() if "trifold: panel" in line]
    assert [w.removeprefix("warning: ") for w in warned] == [
        p.split(": warning: ", 1)[1] for p in panel
    ]
    assert res.stdout.splitlines() == ["out/ice-trifold.pdf"]


def test_raster_logos_placed_are_in_the_result(project: Path) -> None:
    brands = project / "layouts" / "brands"
    Image.new("RGB", (600, 200), "#0E5A6B").save(brands / "logo.png")
    text = (brands / "palomar.yaml").read_text()
    text = text.replace("logo: palomar-logo.svg", "logo: logo.png")
    (brands / "test.yaml").write_text(text)
    work = plan(Project(project), ["tpi-aftercare"], brand="test", layout="letter")
    _, result = work.render(work.jobs[0], {})
    assert result.placed_images, "the letterhead draws the (raster) logo"
    assert {p.path for p in result.placed_images} == {(brands / "logo.png").resolve()}
    placed = result.placed_images[0]
    assert 0 < placed.height <= 0.55 * 72 + 0.01 and 0 < placed.width <= 2.0 * 72 + 0.01
    work = plan(Project(project), ["tpi-aftercare"], layout="letter")  # the SVG logo
    assert work.render(work.jobs[0], {})[1].placed_images == ()


def test_render_png_is_the_page_as_png_bytes() -> None:
    png = render_png(Project(), SingleRequest("tpi-aftercare"), page=1, dpi=20)
    with Image.open(io.BytesIO(png)) as im:
        assert im.format == "PNG"
        assert im.size == (170, 220)  # US Letter portrait at 20 dpi
        assert im.convert("L").getextrema()[0] < 100  # something dark is drawn


def _page_texts(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        texts = []
        for page in doc:
            textpage = page.get_textpage()
            texts.append(" ".join(textpage.get_text_range().split()))
        return texts
    finally:
        doc.close()


def test_one_footer_text_on_every_page_of_sheet_letter_and_large_print() -> None:
    from handoutpress.footer import FooterText
    from handoutpress.layouts import KINDS

    project = Project()
    for layout, lines in (("sheet", 3), ("letter", 3), ("large-print", 1)):
        work = plan(project, ["tpi-aftercare"], layout=layout)
        job = work.jobs[0]
        composed, result = work.render(job, {})
        renderer = KINDS[job.layout.kind](composed, job.layout, work.brand, work.options)
        says = renderer.footer_text()
        assert isinstance(says, FooterText)
        assert says.form_revised.startswith(composed.handout.form + " \u00b7 ")
        assert says.contact[0] == work.brand.brand.name
        want = [says.form_revised, says.contact_line, says.address_line][:lines]
        for n, text in enumerate(_page_texts(result.pdf), start=1):
            for line in want:
                assert " ".join(line.split()) in text, (layout, n, line)


def test_footer_text_leaves_out_what_the_brand_does_not_have(project: Path) -> None:
    from handoutpress.footer import footer_text
    from handoutpress.strings import strings_for

    brands = project / "layouts" / "brands"
    text = (brands / "palomar.yaml").read_text()
    for key in ("after_hours_phone", "website"):
        text = "\n".join(x for x in text.splitlines() if not x.strip().startswith(f"{key}:"))
    (brands / "plain.yaml").write_text(text + "\n")
    brand = Project(project).brand_source("plain").brand
    handout = Project(project).load_handout(project / "handouts" / "tpi-aftercare.yaml").handout
    says = footer_text(brand, strings_for("en"), handout, [])
    assert says.contact == (brand.name, brand.contact.phone)
    assert says.address == tuple(brand.contact.address)
    assert " \u00b7  \u00b7 " not in says.address_line and not says.address_line.endswith("\u00b7")
