"""A handout nobody tuned the tagging for (tests/fixtures/sprained-ankle.yaml and its Spanish
translation: a picture with alt text, heading and list icons, a numbered list long enough
to run over two tri-fold panels, a two-page sheet, a link, words in another language, a pain
log), built in every layout (Spanish: every kind of layout), tagged and untagged, once for the
module:

- ua_check.py (the machine-checkable Matterhorn subset) finds nothing;
- compare_readers.py's four readers (poppler, pdfminer, PDFium, pdf.js) agree with its
  reference, with nothing left out;
- the text PDFium and pdf.js read out of the structure tree, put in the tree's reading order,
  is the handout's sections, one ``Sect`` each, in the handout's order;
- the picture's and the logo's alt text are there in the handout's language, and the words
  marked as another language carry it;
- every page renders exactly like the untagged one.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest

from handoutpress.build import plan
from handoutpress.compose import Composed
from handoutpress.markdown import plain_text
from handoutpress.project import Project
from tests.conftest import ROOT
from tests.pdfcheck import tool
from tests.tagcheck import (
    Readings,
    disagreements,
    fixed_date,
    read_tags,
    section_text,
    ua_failures,
    untagged_plan,
)

FIXTURES = ROOT / "tests" / "fixtures"
HANDOUTS = {"en": FIXTURES / "sprained-ankle.yaml", "es": FIXTURES / "sprained-ankle.es.yaml"}
#: layout name -> (the layout to build, large print)
LAYOUTS: dict[str, tuple[str | None, bool]] = {
    "trifold": ("trifold", False),
    "trifold-a4": ("trifold-a4", False),
    "sheet": ("sheet", False),
    "sheet-a4": ("sheet-a4", False),
    "letter": ("letter", False),
    "large-print": (None, True),
}
#: English in every layout; Spanish in each kind (its A4 sizes are the same renderers on
#: other paper, and test_tagged.py reads a shipped Spanish A4 sheet: suite time)
CASES = [f"en-{layout}" for layout in LAYOUTS] + [
    f"es-{layout}" for layout in LAYOUTS if not layout.endswith("-a4")
]
#: what the picture shows, as each handout says (its ![alt](…))
PICTURE_ALT = {
    "en": "A lower leg resting on two pillows, with an elastic wrap and a cold pack on the ankle",
    "es": "Una pierna apoyada sobre dos almohadas, con una venda elástica y una bolsa fría en "
    "el tobillo",
}
#: the words each handout marks as another language, and that language
OTHER_LANGUAGE = {"en": ("¡Bienvenido!", "es"), "es": ("Welcome, please check in here", "en")}


@dataclasses.dataclass(frozen=True)
class Built:
    tagged: Path
    untagged: Path
    composed: Composed
    pages: int
    readings: Readings


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    out = tmp_path_factory.mktemp("unseen-tagged")
    made: dict[str, Built] = {}
    with fixed_date():
        project = Project(ROOT)
        for lang, source in HANDOUTS.items():
            for name, (layout, large) in LAYOUTS.items():
                case = f"{lang}-{name}"
                if case not in CASES:
                    continue
                work = plan(project, [str(source)], layout=layout, large_print=large)
                (job,) = work.jobs
                composed, result = work.render(job, {})
                assert not result.warnings or name.startswith("trifold"), result.warnings
                _, plain = untagged_plan(work).render(job, {})
                tagged_pdf, untagged_pdf = out / f"{case}.pdf", out / f"{case}-untagged.pdf"
                tagged_pdf.write_bytes(result.pdf)
                untagged_pdf.write_bytes(plain.pdf)
                made[case] = Built(
                    tagged_pdf, untagged_pdf, composed, result.pages, read_tags(tagged_pdf)
                )
    return made


def test_the_handout_is_what_it_is_meant_to_test(built: dict[str, Built]) -> None:
    """Two pages of sheet, more than one of large print, and the long list split over two
    tri-fold panels (its first and last numbers in different panels of the inside)."""
    for lang in HANDOUTS:
        sheets = [built[c].pages for c in CASES if c.startswith(f"{lang}-sheet")]
        assert sheets and set(sheets) == {2}
        assert built[f"{lang}-large-print"].pages > 2
        for name in ("trifold", "trifold-a4"):
            if f"{lang}-{name}" not in CASES:
                continue
            with pdfplumber.open(built[f"{lang}-{name}"].tagged) as pdf:
                inside = pdf.pages[1]
                labels = {
                    w["text"]: int(w["x0"] // (inside.width / 3))
                    for w in inside.extract_words()
                    if re.fullmatch(r"(1|20)\.", w["text"])
                }
            assert set(labels) == {"1.", "20."} and labels["1."] != labels["20."], labels


@pytest.mark.parametrize("case", CASES)
def test_matterhorn_subset_passes(built: dict[str, Built], case: str) -> None:
    assert ua_failures(built[case].tagged) == {}  # ua_check.py, in this process


@pytest.mark.parametrize("case", CASES)
def test_four_readers_agree_with_compare_readers_reference(
    built: dict[str, Built], case: str
) -> None:
    assert disagreements(built[case].readings) == []


def _reading_order(pdf: Path) -> dict[tuple[int, int], tuple[int, int | None]]:
    """(page number, MCID) -> (its place in the tree's reading order, the ``Sect`` it is in
    (its object number), None outside any)."""
    out: dict[tuple[int, int], tuple[int, int | None]] = {}
    with pikepdf.open(pdf) as doc:
        pages = {p.obj.objgen: n for n, p in enumerate(doc.pages, 1)}

        def walk(elem: Any, page: int | None, sect: int | None) -> None:
            if "/Pg" in elem:
                page = pages[elem.Pg.objgen]
            if elem.get("/S") == "/Sect":
                sect = elem.objgen[0]
            kids = elem.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            for kid in kids:
                if isinstance(kid, int):
                    assert page is not None
                    out[(page, int(kid))] = (len(out), sect)
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    out[(pages[kid.Pg.objgen], int(kid.MCID))] = (len(out), sect)
                elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    walk(kid, page, sect)

        walk(doc.Root.StructTreeRoot.K, None, None)
    return out


def _sections_as_read(built: Built, engine: str) -> list[tuple[str, set[int]]]:
    """Each ``Sect``'s text as ``engine`` (PDFium or pdf.js) reads it, its rows put in the
    tree's reading order (bullets and numbers, ``Lbl``, left out, white space removed), and
    the pages it is on."""
    order = _reading_order(built.tagged)
    rows = []
    for row in built.readings.engines[engine]:
        if engine == "pdf.js":
            mcids = [int(i.rsplit("_mc", 1)[1]) for i in row["ids"]]
        else:
            mcids = row["mcids"]
        if not mcids or row["path"].endswith("/Lbl"):
            continue
        first, sect = min(order[(row["page"], m)] for m in mcids)
        rows.append((first, sect, row["page"], row["text"]))
    texts: dict[int, tuple[str, set[int]]] = {}
    for _, sect, page, text in sorted(rows, key=lambda r: r[0]):
        if sect is not None:
            words, pages = texts.get(sect, ("", set()))
            texts[sect] = (words + re.sub(r"\s+", "", text), pages | {page})
    return list(texts.values())


@pytest.mark.parametrize("engine", ["PDFium", "pdf.js"])
@pytest.mark.parametrize("case", CASES)
def test_the_tree_reads_as_the_handouts_sections(
    built: dict[str, Built], case: str, engine: str
) -> None:
    """Every section is one ``Sect`` read whole, as written; the sections that flow read in
    the handout's order. (The key points and the safety tiers are placed where a patient
    reads them first; on a tri-fold, what is on the outside is read in fold order: the
    flap, which holds the last plain section when it fits there, before the inside.)"""
    b = built[case]
    sections = b.composed.sections
    phone = b.composed.brand.contact.phone

    def variants(i: int) -> set[str]:
        out = {section_text(b.composed, i, across) for across in (True, False)}
        if sections[i].style == "warning":  # where the layout prints the phone under it
            head = plain_text(sections[i].heading)
            out |= {t.replace(head, f"{head} {phone}", 1) for t in out}
        return {re.sub(r"\s+", "", t) for t in out}

    read = _sections_as_read(b, engine)
    assert len(read) == len(sections), read
    placed = []
    for text, pages in read:
        found = [i for i in range(len(sections)) if text in variants(i)]
        assert found, f"{text!r} is no section of the handout"
        placed.append((found[0], pages))
    assert sorted(i for i, _ in placed) == list(range(len(sections)))
    outside = {1} if "trifold" in case else set()
    flowing = [i for i, s in enumerate(sections) if s.style in ("normal", "callout")]
    inside = [i for i, pages in placed if i in flowing and not pages & outside]
    assert inside == [i for i in flowing if i in inside]
    assert len(inside) >= len(flowing) - 1  # (at most one on the flap)


@pytest.mark.parametrize("case", CASES)
def test_alt_text_and_languages(built: dict[str, Built], case: str) -> None:
    """As pdf.js reads them: the logo's and the picture's alt text in the handout's
    language, the file in that language, the other language's words marked with theirs."""
    lang = case.split("-")[0]
    b = built[case]
    assert b.composed.handout.language == lang
    with pikepdf.open(b.tagged) as pdf:
        assert str(pdf.Root.Lang) == lang
    rows = b.readings.engines["pdf.js"]
    figures = [(r["alt"], r["lang"]) for r in rows if r["path"].endswith("/Figure")]
    logo = {
        "en": "Palomar Spine & Pain logo: a mountain under a rising sun",
        "es": "Logotipo de Palomar Spine & Pain: una montaña bajo un sol naciente",
    }[lang]
    assert figures == [(logo, None), (PICTURE_ALT[lang], None)]  # (no /Lang: the file's)
    words, other = OTHER_LANGUAGE[lang]
    marked = [r for r in rows if r["lang"] == other]
    assert [re.sub(r"\s+", " ", r["text"]).strip() for r in marked] == [words]


@pytest.mark.parametrize("case", CASES)
def test_pages_render_exactly_like_untagged_ones(
    built: dict[str, Built], case: str, tmp_path: Path
) -> None:
    b = built[case]
    pages = []
    for which, pdf in (("tagged", b.tagged), ("untagged", b.untagged)):
        subprocess.run(
            [tool("pdftoppm"), "-r", "50", "-gray", str(pdf), str(tmp_path / which)], check=True
        )
        pages.append(sorted(tmp_path.glob(f"{which}-*.pgm")))
    assert len(pages[0]) == len(pages[1]) == b.pages
    for a, u in zip(*pages, strict=True):
        assert a.read_bytes() == u.read_bytes(), f"{a.name} differs from the untagged page"
