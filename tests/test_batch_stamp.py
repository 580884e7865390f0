"""`batch --merged`: pages written from byte templates (mailstamp, mailpdf) are the pages
drawn through ReportLab's canvas and formatted by ReportLab's document, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfdoc

from handoutpress import mailcanvas, mailpdf, mailstamp

from .conftest import ROOT, run_cli
from .pdfcheck import qpdf_check, text
from .test_batch import JOSE, ROWS, write_csv

#: rows the template path writes and rows it leaves to the canvas (a barcode), with
#: characters the body face lacks, two street lines, a name only, repeated city lines
EXTRA = [
    ["Ελένη", "Παππάς", "12 Oak St", "", "Salem", "OR", "97301", "", "", ""],
    ["", "", "4 Elm St", "", "Salem", "OR", "97301", "", "", ""],
    ["Maximiliana", "Featherstonehaugh", "123456 North Willowbrook Boulevard", "Suite 1200",
     "Portland", "OR", "97205", "", "", ""],
    ["Kim", "Lee", "9 Pine St", "", "Salem", "OR", "97301", "", "", ""],
    ["Ann (Nan)", "Back\\Slash", "1 A St (rear)", "", "Salem", "OR", "97301", "", "", ""],
    list(JOSE),
]  # fmt: skip


def _rows() -> list[list[str]]:
    return [row for row, outcome in ROWS if outcome == "made"] + EXTRA


def _drawn_by_reportlab(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page drawn through the canvas, every object registered and formatted by
    ReportLab (what batch did before the templates)."""
    monkeypatch.setattr(mailstamp, "ENABLED", False)
    monkeypatch.setattr(mailpdf.MailDocument, "format", pdfdoc.PDFDocument.format)
    monkeypatch.setattr(mailpdf.MailPages, "check_format", pdfdoc.PDFPages.check_format)

    def reference(doc: pdfdoc.PDFDocument, obj: pdfdoc.PDFObject, name: str | None = None) -> int:
        doc.Reference(obj, name)
        return int(doc.objectcounter)

    def add_page(doc: pdfdoc.PDFDocument, page: mailpdf.PageObject) -> None:
        doc.addPage(page)

    monkeypatch.setattr(mailcanvas, "add_object", reference)
    monkeypatch.setattr(mailcanvas, "add_page", add_page)


def _merged(tmp_path: Path, name: str, handout: str, *extra: str) -> bytes:
    src = write_csv(
        tmp_path / f"{name}.csv",
        _rows() + [["Dup", "Row", "1 A St", "", "Salem", "OR", "97301", "", "", ""]] * 2,
    )
    out = tmp_path / name / "m.pdf"
    out.parent.mkdir()
    res = run_cli(
        "batch", handout, "--recipients", str(src), "--jobs", "1", "--merged", str(out), *extra,
        env={"SOURCE_DATE_EPOCH": "1795737600", "HANDOUTS_BATCH_CHUNK": "4"},
    )  # fmt: skip
    assert res.returncode in (0, 3), res.stderr
    return out.read_bytes()


@pytest.mark.parametrize(
    "handout,extra",
    [
        ("tpi-aftercare", ("--proof",)),  # several pages: the name on later sheets; PROOF
        (str(ROOT / "bench/peer-letter.yaml"), ("--brand", str(ROOT / "bench/riverside.yaml"))),
    ],
    ids=["aftercare-proof", "peer-letter"],
)
def test_template_pages_are_the_drawn_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, handout: str, extra: tuple[str, ...]
) -> None:
    written = 0
    raw_page = mailcanvas.FormCanvas.raw_page

    def counted(self: mailcanvas.FormCanvas, *args: object) -> bool:
        nonlocal written
        done = raw_page(self, *args)  # type: ignore[arg-type]
        written += done
        return done

    raw_code_pages = mailcanvas.FormCanvas.raw_code_pages

    def counted_codes(self: mailcanvas.FormCanvas, *args: object) -> None:
        nonlocal written
        raw_code_pages(self, *args)  # type: ignore[arg-type]
        written += len(args[0])  # type: ignore[arg-type]

    monkeypatch.setattr(mailcanvas.FormCanvas, "raw_page", counted)
    monkeypatch.setattr(mailcanvas.FormCanvas, "raw_code_pages", counted_codes)
    fast = _merged(tmp_path, "fast", handout, *extra)
    assert written > len(_rows())  # the template path wrote most pages
    with monkeypatch.context() as m:
        _drawn_by_reportlab(m)
        before = written
        slow = _merged(tmp_path, "slow", handout, *extra)
        assert written == before  # and none of these
    assert fast == slow
    path = tmp_path / "fast" / "m.pdf"
    qpdf_check(path)
    page1 = text(path, 1)
    assert "José Muñoz" in page1
