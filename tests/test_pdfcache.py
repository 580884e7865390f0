"""tests/pdfcache.py: pdfplumber reads identical bytes once, and a kept reading is the reading."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
from pdfminer.layout import LTComponent, LTContainer
from pdfplumber.pdf import PDF
from reportlab.pdfgen.canvas import Canvas


def _pdf(path: Path, words: str) -> Path:
    canv = Canvas(str(path), invariant=1)
    canv.drawString(72, 720, words)
    canv.showPage()
    canv.drawString(72, 700, words.upper())
    canv.save()
    return path


def _read(doc: PDF) -> list[tuple[int, str, float, float]]:
    return [(p.page_number, c["text"], c["x0"], c["top"]) for p in doc.pages for c in p.chars]


def test_identical_bytes_are_read_once_and_read_as_an_uncached_open_reads_them(
    tmp_path: Path,
) -> None:
    a = _pdf(tmp_path / "a.pdf", "first words")
    with pdfplumber.open(a) as doc:
        first = _read(doc)
    assert [t for _, t, _, _ in first if t.strip()] == list("firstwordsFIRSTWORDS")
    # the same bytes by another path and as bytes: the same document, closed or not
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(a.read_bytes())
    again = pdfplumber.open(str(copy))
    assert again is pdfplumber.open(io.BytesIO(a.read_bytes()))
    assert _read(again) == first
    with PDF.open(str(a)) as uncached:  # pdfplumber itself, no cache
        assert _read(uncached) == first
    # other bytes: another reading
    b = _pdf(tmp_path / "b.pdf", "other words")
    with pdfplumber.open(b) as other:
        assert other is not again
        assert [t for _, t, _, _ in _read(other) if t.strip()] == list("otherwordsOTHERWORDS")
    # arguments pdfplumber takes (pages=…) open as before
    with pdfplumber.open(a, pages=[2]) as doc:
        assert doc is not again and [t for _, t, _, _ in _read(doc) if t.strip()] == list(
            "FIRSTWORDS"
        )


def test_poppler_reads_identical_bytes_once_and_changed_bytes_again(tmp_path: Path) -> None:
    from tests import pdfcheck

    a = _pdf(tmp_path / "a.pdf", "first words")
    before = len(pdfcheck._READ)
    assert pdfcheck.words(a) == "first words FIRST WORDS"
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(a.read_bytes())
    assert pdfcheck.words(copy) == "first words FIRST WORDS"
    assert pdfcheck.words(a, page=2) == "FIRST WORDS"
    assert len(pdfcheck._READ) == before + 2  # the whole text once, page 2 once
    _pdf(a, "other words")  # the same path, other bytes: read again
    assert pdfcheck.words(a) == "other words OTHER WORDS"
    assert pdfcheck.page_sizes(a) == [(595.276, 841.89)] * 2  # ReportLab's default, A4


def _leaves(container: LTContainer) -> Iterator[LTComponent]:
    """The objects pdfplumber makes a dict of (without layout analysis, as the tests read):
    every one that is not a container, in order, inside containers (figures) too."""
    for obj in container:
        if isinstance(obj, LTContainer):
            yield from _leaves(obj)
        else:
            yield obj


def test_pages_read_as_pdfplumbers_own_reading_reads_them(tmp_path: Path) -> None:
    """tests/pdfcache.process_object makes the dicts pdfplumber's own Page.process_object
    makes: every object of every page, the same keys in the same order, the same values; on
    a press tri-fold (text in CMYK, a picture, rules, curves, crop marks outside the trim)
    an office sheet in Spanish (accented text in RGB, write-in lines, tick boxes) and a
    picture."""
    from tests import pdfcache
    from tests.conftest import run_cli

    assert pdfplumber.page.Page.process_object is pdfcache.process_object  # (installed)
    files = {
        "trifold-press.pdf": [
            "trigger-point-injections",
            "--layout",
            "trifold",
            "--target",
            "press",
        ],
        "sheet-es.pdf": ["tpi-aftercare", "--lang", "es", "--layout", "sheet"],
    }
    for name, args in files.items():
        res = run_cli("build", *args, "-o", str(tmp_path / name))
        assert res.returncode == 0, res.stderr
    # and a picture (the handouts' pictures are drawn as vectors)
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    canv = Canvas(str(tmp_path / "picture.pdf"), invariant=1)
    canv.drawImage(ImageReader(Image.new("RGB", (8, 4), (200, 40, 40))), 72, 600, 80, 40)
    canv.drawString(72, 560, "a picture")
    canv.save()
    kinds: set[str] = set()
    for name in [*files, "picture.pdf"]:
        with PDF.open(str(tmp_path / name)) as doc:  # pdfplumber itself, no cache
            for page in doc.pages:
                found = list(_leaves(page.layout))
                ours = [pdfcache.process_object(page, obj) for obj in found]
                theirs = [pdfcache.PLUMBERS_PROCESS_OBJECT(page, obj) for obj in found]
                assert ours == theirs
                assert [list(d) for d in ours] == [list(d) for d in theirs]  # key order
                kinds |= {d["object_type"] for d in ours}
    assert {"char", "rect", "line", "curve", "image"} <= kinds, kinds
