"""Tagged PDF (PDF/UA-1) output, read back by outside engines.

Every case is rendered twice through the engine (tagged, as build/preview/print make it, and
untagged): the checkers in ../shared/tools/pdfcheck/ read the tagged file (Matterhorn subset;
poppler, PDFium, pdf.js and pdfminer agreeing on roles, order and text), pdfplumber sees every
character inside a tagged MCID or an artifact, poppler's reading of each ``Sect`` is the
handout's section text in order, and the pages render exactly like the untagged ones.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from reportlab.pdfgen.canvas import Canvas

from handoutpress.build import plan
from handoutpress.callus import call_us_phone
from handoutpress.compose import Composed
from handoutpress.markdown import plain_text
from handoutpress.project import Project
from handoutpress.tagging import StructTree, TaggedCanvas, artifact, marked
from tests import shipped
from tests.conftest import EPOCH, ROOT, assert_clean_error
from tests.pdfcheck import pdfinfo, tool
from tests.tagcheck import (
    Elem,
    fixed_date,
    poppler_tree,
    readers_disagree,
    run_checker,
    section_text,
    ua_failures,
    untagged_plan,
)

PERSONAL = {"patient.name": "Ana Ruiz", "visit.date": "Nov 27, 2026"}

#: name -> (handout, layout, large print, personal values)
CASES: dict[str, tuple[str, str | None, bool, dict[str, str]]] = {
    "sheet-en": ("tpi-aftercare", None, False, {}),
    "sheet-es": ("tpi-aftercare.es", None, False, {}),
    "sheet-personal": ("tpi-aftercare", None, False, PERSONAL),
    "sheet-two-pages": ("trigger-point-injections", "sheet", False, {}),
    "sheet-a4-es": ("trigger-point-injections.es", "sheet-a4", False, {}),
    "trifold-en": ("trigger-point-injections", "trifold", False, {}),
    "trifold-es": ("trigger-point-injections.es", "trifold", False, {}),
    "trifold-a4-personal": (
        "trigger-point-injections",
        "trifold-a4",
        False,
        {"patient.name": "Ana"},
    ),
    "large-en": ("trigger-point-injections", None, True, {}),
    "large-es-personal": ("tpi-aftercare.es", None, True, PERSONAL),
    "letter-en": ("tpi-aftercare", "letter", False, {}),
    "letter-es-personal": (
        "tpi-aftercare.es",
        "letter",
        False,
        {"patient.name": "Ana Ruiz", "patient.address1": "1 Main St", "patient.city": "Escondido"},
    ),
}


@dataclasses.dataclass(frozen=True)
class Rendered:
    tagged: Path
    untagged: Path
    composed: Composed


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    out = tmp_path_factory.mktemp("tagged")
    made: dict[str, Rendered] = {}
    with fixed_date():
        project = Project(ROOT)
        for name, (ref, layout, large, values) in CASES.items():
            work = plan(project, [ref], layout=layout, large_print=large, values=values)
            job = next(j for j in work.jobs if layout is None or j.ref == layout)
            composed, result = work.render(job, values)
            _, plain = untagged_plan(work).render(job, values)
            made[name] = Rendered(out / f"{name}.pdf", out / f"{name}-untagged.pdf", composed)
            made[name].tagged.write_bytes(result.pdf)
            made[name].untagged.write_bytes(plain.pdf)
    return made


@pytest.mark.parametrize("name", CASES)
def test_matterhorn_subset_passes(rendered: dict[str, Rendered], name: str) -> None:
    assert ua_failures(rendered[name].tagged) == {}  # ua_check.py, in this process


@pytest.mark.parametrize("name", CASES)
def test_four_engines_read_the_same_tree(rendered: dict[str, Rendered], name: str) -> None:
    """poppler, pdfminer, PDFium and pdf.js (compare_readers.py's readers) read the same
    roles, alt texts and text as the reference walk of the tree."""
    assert readers_disagree(rendered[name].tagged) == []


def test_pdfjs_in_one_process_reads_as_the_script_does(
    rendered: dict[str, Rendered], tmp_path: Path
) -> None:
    """tagcheck.via_pdfjs (read_pdfjs.mjs run again and again in one node process) gives
    compare_readers.py's own via_pdfjs rows (a node started for the file), for two files
    read one after the other; a file pdf.js cannot read fails as the script does."""
    from tests.tagcheck import _compare_readers, pdfjs_dist, via_pdfjs

    cr = _compare_readers()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PDFJS_DIST", pdfjs_dist())
        for name in ("sheet-a4-es", "letter-es-personal"):
            pdf = rendered[name].tagged
            rows = via_pdfjs(pdf)
            assert len({r["page"] for r in rows}) > 1, name  # files of several pages
            assert rows == cr.via_pdfjs(str(pdf)), name
        broken = tmp_path / "broken.pdf"
        broken.write_bytes(b"%PDF-1.7\nnot a PDF at all\n")
        with pytest.raises(subprocess.CalledProcessError):
            cr.via_pdfjs(str(broken))
        with pytest.raises(AssertionError, match="read_pdfjs.mjs failed on"):
            via_pdfjs(broken)
        assert via_pdfjs(pdf) == rows  # and the process reads on after a failure


@pytest.mark.parametrize("name", ["sheet-a4-es", "large-en", "letter-es-personal"])
def test_validate_ua_sh_passes_with_pdfjs(rendered: dict[str, Rendered], name: str) -> None:
    """The outside checkers' own script, whole (qpdf, ua_check.py, compare_readers.py with
    pdf.js at PDFJS_DIST, mcid_order.py), as the README tells a person to run it, on
    files of several pages: its document order joins adjacent rows of one role path on
    different pages, so it fails wherever the tree has an element continued on the next
    page as one element, two sibling elements either side of a page break, or the footer
    tagged on page 1 but read after the last page's text (tagtree.split_by_page,
    apart_at_page_breaks, TaggedCanvas.running)."""
    import os
    import sys

    from tests.tagcheck import PDFCHECK, pdfjs_dist

    env = {**os.environ, "PDFJS_DIST": pdfjs_dist(), "PYTHON": sys.executable}
    res = subprocess.run(
        ["sh", str(PDFCHECK / "validate_ua.sh"), str(rendered[name].tagged)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    assert re.search(r"pdf\.js getStructTree .* rows: agrees", res.stdout), res.stdout[-3000:]
    assert res.stdout.count("agrees") == 4 and "DIFFERS" not in res.stdout


@pytest.mark.parametrize("name", CASES)
def test_every_character_is_tagged_or_an_artifact(rendered: dict[str, Rendered], name: str) -> None:
    loose: list[str] = []
    tagged = 0
    with pdfplumber.open(rendered[name].tagged) as pdf:
        for page in pdf.pages:
            for ch in page.chars:
                if not ch["text"].strip():
                    continue
                if ch.get("mcid") is not None:
                    tagged += 1
                elif ch.get("tag") != "Artifact":
                    loose.append(f"p{page.page_number} {ch['text']!r} tag={ch.get('tag')}")
    assert not loose, loose[:10]
    assert tagged > 500


def _sects(elem: Elem) -> list[Elem]:
    """The ``Sect`` elements under ``elem`` in tree order (a layout may group them in a
    ``Div``: the sheet's side strip, the tri-fold's back panel)."""
    out: list[Elem] = []
    for kid in elem.kids:
        out += [kid] if kid.role == "Sect" else _sects(kid)
    return out


@pytest.mark.parametrize("name", CASES)
def test_reading_order_is_the_handouts_sections(rendered: dict[str, Rendered], name: str) -> None:
    """Each ``Sect``, read by poppler, is one section's heading and text, in the handout's order;
    words are separated as in the source (every line ends in a space), bullets are ``Lbl``."""
    r = rendered[name]
    doc = poppler_tree(r.tagged)
    texts = [s.text() for s in _sects(doc)]
    sections = r.composed.sections
    assert len(texts) == len(sections)
    phone = r.composed.brand.contact.phone

    def variants(i: int) -> set[str]:
        """The section's words (a pain log a column a day, or a row a day); a warning
        section gives the clinic phone in big type under its heading (the tiered box, the
        letter's box), unless its text gives it."""
        out = {section_text(r.composed, i, across) for across in (True, False)}
        if call_us_phone(sections[i], phone):
            head = plain_text(sections[i].heading)
            out = {t.replace(head, f"{head} {phone}", 1) for t in out}
        return out

    placed = []
    for text in texts:
        found = [i for i in range(len(sections)) if text in variants(i)]
        assert found, text
        placed.append(found[0])
    assert sorted(placed) == list(range(len(sections)))
    # the layouts place the key points, the safety tiers and the flap's sections where a
    # patient reads them first; the other sections read in the handout's order
    flowing = [
        i for i, s in enumerate(sections) if s.style in ("normal", "callout") and s.panel is None
    ]
    assert [i for i in placed if i in flowing] == flowing
    title = doc.find("H1")
    assert len(title) == 1 and title[0].text() == " ".join(r.composed.public_title.split())
    first = doc
    while first.kids and not first.texts:
        first = first.kids[0]
    assert first.role in ("Figure", "H1")  # the logo or the title comes first


@pytest.mark.parametrize("name", CASES)
def test_logo_alt_text_in_the_handouts_language(rendered: dict[str, Rendered], name: str) -> None:
    from tests.tagcheck import _compare_readers

    lines = _compare_readers().via_pdfium(str(rendered[name].tagged))  # read_pdfium.read
    figures = [line for line in lines if line["path"].endswith("Figure")]
    assert figures, "no Figure"
    lang = rendered[name].composed.handout.language
    # the brand's logo_alt, in the handout's language (layouts/brands/palomar.yaml)
    expected = {
        "en": "Palomar Spine & Pain logo: a mountain under a rising sun",
        "es": "Logotipo de Palomar Spine & Pain: una montaña bajo un sol naciente",
    }
    assert figures[0]["alt"] == expected[lang]


@pytest.mark.parametrize("name", CASES)
def test_document_language_title_and_xmp(rendered: dict[str, Rendered], name: str) -> None:
    import pikepdf

    r = rendered[name]
    with pikepdf.open(r.tagged) as pdf:
        assert str(pdf.Root.Lang) == r.composed.handout.language
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert pdf.Root.MarkInfo.Marked is True
        meta = pdf.open_metadata()
        assert meta["dc:title"] == r.composed.public_title
        assert meta["pdfuaid:part"] == "1"
    assert pdfinfo(r.tagged)["Tagged"] == "yes"


@pytest.mark.parametrize("name", CASES)
def test_pages_look_exactly_like_untagged_ones(
    rendered: dict[str, Rendered], name: str, tmp_path: Path
) -> None:
    r = rendered[name]
    pages = []
    for which, pdf in (("tagged", r.tagged), ("untagged", r.untagged)):
        subprocess.run([tool("pdftoppm"), "-r", "72", str(pdf), str(tmp_path / which)], check=True)
        pages.append(sorted(tmp_path.glob(f"{which}-*.ppm")))
    assert len(pages[0]) == len(pages[1]) >= 1
    for a, b in zip(*pages, strict=True):
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs from the untagged page"


def test_the_command_line_writes_tagged_files(cli, tmp_path: Path) -> None:
    res = cli("build", "tpi-aftercare", "-o", str(tmp_path / "a.pdf"))
    assert res.returncode == 0, res.stderr
    assert pdfinfo(tmp_path / "a.pdf")["Tagged"] == "yes"


# --------------------------------------------------------------------------- the safety net


def _canvas(tmp_path: Path) -> TaggedCanvas:
    return TaggedCanvas(str(tmp_path / "t.pdf"), tree=StructTree("en", "T"))


def test_text_drawn_outside_any_tag_is_reported(tmp_path: Path) -> None:
    canv = _canvas(tmp_path)
    canv.setFont("Helvetica", 10)
    canv.drawString(10, 10, "loose text")
    assert canv.untagged == [(1, "loose text")]


def test_an_image_drawn_outside_any_tag_is_reported(tmp_path: Path) -> None:
    """A picture must be a Figure (with alt text) or decoration on purpose."""
    from PIL import Image

    png = tmp_path / "dot.png"
    Image.new("RGB", (4, 4), "red").save(png)
    canv = _canvas(tmp_path)
    canv.drawImage(str(png), 10, 10, 20, 20)
    assert len(canv.untagged) == 1 and "image" in canv.untagged[0][1]
    canv = _canvas(tmp_path)
    with marked(canv, canv.tree.root.add("Figure", alt="A red dot")):
        canv.drawImage(str(png), 10, 10, 20, 20)
    with artifact(canv):
        canv.drawImage(str(png), 40, 10, 20, 20)
    assert canv.untagged == []


def test_tagged_text_and_artifacts_are_not_reported(tmp_path: Path) -> None:
    canv = _canvas(tmp_path)
    node = canv.tree.root.add("P")
    canv.setFont("Helvetica", 10)
    with marked(canv, node):
        canv.drawString(10, 10, "content")
    with artifact(canv):
        canv.drawString(10, 30, "Page 1 of 1")
    canv.rect(0, 0, 5, 5)  # decoration, no text: an artifact without a report
    assert canv.untagged == []
    canv.save()
    res = run_checker("ua_check.py", tmp_path / "t.pdf")
    assert "pass  01-005" in res.stdout and "pass  tree" in res.stdout, res.stdout


def test_an_untagged_canvas_is_untouched(tmp_path: Path) -> None:
    """``marked``/``artifact`` do nothing on an ordinary canvas (merged mailings stay as they
    were)."""
    canv = Canvas(str(tmp_path / "u.pdf"))
    with artifact(canv), marked(canv, StructTree("en", "T").root.add("P")):
        canv.drawString(10, 10, "x")
    assert all("BDC" not in c and "BMC" not in c for c in canv._code)


# --------------------------------------------------------------------------- batch

ROWS = [
    ["José", "Muñoz", "1520 King's Rd", "Apt 2B", "Portland", "OR", "97205", "es"],
    ["Pat", "Lee", "77 Elm St", "", "Salem", "OR", "97301", ""],
]


@pytest.fixture(scope="module")
def mailing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import csv

    from tests.conftest import run_cli

    tmp = tmp_path_factory.mktemp("mailing")
    src = tmp / "r.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        header = ["First Name", "Last Name", "Street", "Address 2", "City", "State", "ZIP"]
        csv.writer(fh).writerows([[*header, "Language"], *ROWS])
    for how in ("--out-dir", "--merged"):
        target = tmp / ("files" if how == "--out-dir" else "merged.pdf")
        res = run_cli(
            "batch", "tpi-aftercare", "--recipients", str(src), how, str(target), "--proof"
        )
        assert res.returncode == 0, res.stderr
    return tmp


def test_out_dir_files_are_tagged(mailing: Path) -> None:
    files = sorted((mailing / "files").glob("*.pdf"))
    assert len(files) == 2
    for f in files:
        res = run_checker("ua_check.py", f)
        assert res.returncode == 0, res.stdout
        assert readers_disagree(f) == []
    # the Spanish recipient's letter: the Spanish handout, its language and its greeting
    doc = poppler_tree(files[0])
    assert "Estimado/a José:" in doc.text()
    import pikepdf

    with pikepdf.open(files[0]) as pdf:
        assert str(pdf.Root.Lang) == "es"


def test_merged_mailings_stay_untagged(mailing: Path) -> None:
    """Shared forms cannot carry per-page marked content (docs/batch.md)."""
    assert pdfinfo(mailing / "merged.pdf")["Tagged"] == "no"


# --------------------------------------------------------------------------- links


def _texts_by_mcid(pdf: Path) -> dict[tuple[int, int], str]:
    """(page index, MCID) -> the text pdfminer reads in it."""
    out: dict[tuple[int, int], str] = {}
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for ch in page.chars:
                if ch.get("mcid") is not None:
                    key = (page.page_number - 1, ch["mcid"])
                    out[key] = out.get(key, "") + ch["text"]
    return out


def _elements(pdf: Path, role: str) -> list[tuple[str | None, str]]:
    """Every ``role`` element: its ``/Lang`` and the text of its marked content and of its
    kids', in tree order (the tree walked with pikepdf, MCIDs read by pdfminer)."""
    import pikepdf

    doc = pikepdf.open(pdf)
    pages = {p.obj.objgen: i for i, p in enumerate(doc.pages)}
    texts = _texts_by_mcid(pdf)
    found: list[tuple[str | None, str]] = []

    def text(elem: Any, page: int | None) -> str:
        if "/Pg" in elem:
            page = pages[elem.Pg.objgen]
        kids = elem.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        out = []
        for kid in kids:
            if isinstance(kid, int):
                out.append(texts.get((page, int(kid)), ""))
            elif kid.get("/Type") == "/MCR":
                out.append(texts.get((pages[kid.Pg.objgen], int(kid.MCID)), ""))
            elif kid.get("/Type") != "/OBJR":
                out.append(text(kid, page))
        return "".join(out)

    def walk(elem: Any) -> None:
        if elem.get("/S") == f"/{role}":
            lang = str(elem.Lang) if "/Lang" in elem else None
            found.append((lang, " ".join(text(elem, None).split())))
        kids = elem.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid)

    walk(doc.Root.StructTreeRoot.K)
    return found


def _with_text(project: Path, *replacements: tuple[str, str]) -> None:
    handout = project / "handouts" / "tpi-aftercare.yaml"
    text = handout.read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    handout.write_text(text)


def test_a_link_is_a_link_element_with_its_text_and_its_annotation(
    cli, project: Path, tmp_path: Path
) -> None:
    """A link in the text: a ``Link`` element in its paragraph holding the link's words (its
    own marked content) and then the annotation (OBJR); the annotation's ``/Contents`` and
    ``/StructParent``, ``/Tabs /S`` on its page. The paragraph's own words around it are
    spans of its element, in reading order."""
    import pikepdf

    item = shipped.plain_items("tpi-aftercare")[0]  # a list item on page 1, no markup
    first, rest = item.strip()[2:].split(". ", 1)  # the link after its first sentence
    linked = f"      - {first}. See [our site](https://example.com/tpi). {rest}"
    _with_text(project, (item, linked))
    out = tmp_path / "link.pdf"
    res = cli("build", "tpi-aftercare", "-o", str(out), cwd=project)
    assert res.returncode == 0, res.stderr
    ua = run_checker("ua_check.py", out)
    assert ua.returncode == 0, ua.stdout
    for check in ("28-008", "28-011", "28-012"):
        assert f"pass  {check}" in ua.stdout
    assert readers_disagree(out) == []
    with pikepdf.open(out) as pdf:
        page = pdf.pages[0]
        (annot,) = [a for a in page.Annots if a.Subtype == "/Link"]
        assert str(annot.Contents) == "https://example.com/tpi"
        assert page.Tabs == "/S"
        link = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(link[i]): link[i + 1] for i in range(0, len(link), 2)}
        elem = parents[int(annot.StructParent)]
        assert elem.S == "/Link" and elem.P.S == "/LBody"
        mcid, objr = elem.K
        assert isinstance(mcid, int) and objr.Obj.objgen == annot.objgen
        body = elem.P
        assert [kid.S for kid in body.K] == ["/Span", "/Link", "/Span"]
    # the link's words are the Link's, read by pdfminer and by poppler
    ((_, words),) = _elements(out, "Link")
    assert words == "our site"
    (item,) = [e for e in poppler_tree(out).find("LBody") if e.find("Link")]
    assert [(k.role, k.text()) for k in item.kids] == [
        ("Span", f"{first}. See"),
        ("Link", "our site"),
        ("Span", f"(example.com/tpi). {rest}"),
    ]


def test_a_qr_code_is_a_figure_and_a_link_holding_its_words_and_annotation(
    cli, project: Path, tmp_path: Path
) -> None:
    """The code a ``Figure`` (its alt text naming the label and the address), then a ``Link``
    holding the words beside it (its own marked content) and the annotation (over both)."""
    import pikepdf

    # the section with the pain log (page 2's text column, room for the code)
    log = next(
        s["heading"]
        for s in shipped.sections("tpi-aftercare")
        if (s.get("tool") or {}).get("kind") == "pain-log"
    )
    _with_text(
        project,
        (
            f"  - heading: {log}\n",
            f"  - heading: {log}\n"
            '    qr: {url: "https://example.com/tpi-video", label: Watch a video}\n',
        ),
    )
    out = tmp_path / "qr.pdf"
    res = cli("build", "tpi-aftercare", "-o", str(out), cwd=project)
    assert res.returncode == 0, res.stderr
    ua = run_checker("ua_check.py", out)
    assert ua.returncode == 0, ua.stdout
    assert "pass  28-011" in ua.stdout
    assert readers_disagree(out) == []
    with pikepdf.open(out) as pdf:
        annots = [a for p in pdf.pages for a in p.get("/Annots", []) if a.Subtype == "/Link"]
        (annot,) = annots
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        link = parents[int(annot.StructParent)]
        assert link.S == "/Link" and link.P.S == "/Sect"
        mcid, objr = link.K
        assert isinstance(mcid, int) and objr.Obj.objgen == annot.objgen
        kids = list(link.P.K)
        figure = kids[[k.objgen for k in kids].index(link.objgen) - 1]
        assert figure.S == "/Figure" and isinstance(figure.K, int)
        assert str(figure.Alt) == "QR code: Watch a video (example.com/tpi-video)"
    assert [text for _, text in _elements(out, "Link")] == ["Watch a video example.com/tpi-video"]


#: two key points (a word inserted in one, the other replaced whole), the first plain
#: section's heading and the disclaimer, each with words in Spanish
_KEYS = shipped.plain_items("tpi-aftercare")
_FIRST_WORDS = _KEYS[0].strip()[2:].split(" ", 2)
_PLAIN = next(s["heading"] for s in shipped.sections("tpi-aftercare") if not s.get("style"))
SPANISH = (
    (
        _KEYS[0],
        f"      - {_FIRST_WORDS[0]} {_FIRST_WORDS[1]}, [¿verdad?]{{lang=es}} {_FIRST_WORDS[2]}",
    ),
    (_KEYS[1], "      - [Alivio en 1 a 3 días.]{lang=es}"),
    (f"  - heading: {_PLAIN}\n", f"  - heading: {_PLAIN} ([pasos]{{lang=es}})\n"),
    (
        "      *This handout does not replace advice from your care team.*",
        "      [*Vea [el sitio](https://example.com/es).*]{lang=es}",
    ),
)


def test_words_in_another_language_are_a_span_with_its_lang(
    cli, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``[texto]{lang=es}`` in an English handout: a ``Span`` with ``/Lang (es)`` holding
    exactly those words (in a list item, a whole item, a heading, and around a link), read
    back by pdfminer and poppler; the file passes the checkers and looks exactly like the
    same handout untagged."""
    _with_text(project, *SPANISH)
    out = tmp_path / "lang.pdf"
    res = cli("build", "tpi-aftercare", "-o", str(out), cwd=project)
    assert res.returncode == 0, res.stderr
    spans = [(lang, text) for lang, text in _elements(out, "Span") if lang is not None]
    assert spans == [
        ("es", "¿verdad?"),
        ("es", "Alivio en 1 a 3 días."),
        ("es", "pasos"),
        ("es", "Vea el sitio (example.com/es)."),
    ]
    ua = run_checker("ua_check.py", out)
    assert ua.returncode == 0, ua.stdout
    assert readers_disagree(out) == []
    heading = [h for h in poppler_tree(out).find("H2") if "pasos" in h.text()]
    assert [(k.role, k.text()) for k in heading[0].kids] == [
        ("Span", f"{_PLAIN} ("),
        ("Span", "pasos"),
        ("Span", ")"),
    ]
    words = " ".join(
        subprocess.run(
            [tool("pdftotext"), str(out), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    inserted = f"{_FIRST_WORDS[0]} {_FIRST_WORDS[1]}, ¿verdad? {_FIRST_WORDS[2]}"
    assert inserted in words and "{lang" not in words
    # every character tagged or an artifact
    with pdfplumber.open(out) as pdf:
        loose = [
            c["text"]
            for p in pdf.pages
            for c in p.chars
            if c["text"].strip() and c.get("mcid") is None and c.get("tag") != "Artifact"
        ]
    assert loose == []
    # the pages are those of the same handout untagged
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    work = plan(Project(project), ["tpi-aftercare"])
    plain_pdf = tmp_path / "untagged.pdf"
    plain_pdf.write_bytes(untagged_plan(work).render(work.jobs[0], {})[1].pdf)
    for which, pdf in (("tagged", out), ("untagged", plain_pdf)):
        subprocess.run([tool("pdftoppm"), "-r", "72", str(pdf), str(tmp_path / which)], check=True)
    shown = [sorted(tmp_path.glob(f"{w}-*.ppm")) for w in ("tagged", "untagged")]
    assert len(shown[0]) == len(shown[1]) == 2
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(*shown, strict=True))
    # untagged (a press file, say), the words print and no annotation is made for a span
    import pikepdf

    with pikepdf.open(plain_pdf) as pdf:
        uris = [str(a.A.URI) for p in pdf.pages for a in p.get("/Annots", [])]
    assert uris == ["https://example.com/es"]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("[todo bien]{lang=xx}", "'xx': 'xx' is not a language code of ISO 639"),
        ("[todo bien]{lang=spa}", "'spa': write the language as 'es'"),
        ("[todo bien]{lang=}", "the language tag is empty"),
        ("[todo bien] {lang=es}", "the language mark right after the closing bracket"),
    ],
)
def test_a_language_mark_that_is_not_one_is_a_located_error(
    cli, project: Path, written: str, message: str
) -> None:
    old = shipped.plain_items("tpi-aftercare")[0]  # a key point, one line
    head, tail = old.split(" for ", 1)
    new = f"{head}, {written}, for {tail}"
    _with_text(project, (old, new))
    line = 1 + (project / "handouts" / "tpi-aftercare.yaml").read_text().splitlines().index(new)
    res = cli("build", "tpi-aftercare", "-o", str(project / "x.pdf"), cwd=project)
    lines = assert_clean_error(res)
    mark = written[written.index("{") :]
    col = new.index(mark) + 1
    assert any(
        ln.startswith(f"handouts/tpi-aftercare.yaml:{line}:{col}: sections[") and message in ln
        for ln in lines
    ), lines
    assert not (project / "x.pdf").exists()
