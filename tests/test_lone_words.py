"""No heading, title, subtitle, tagline or long mark ends with one word alone on its last line.

"How does the injection / work?" on the tri-fold and "Caring for yourself at / home" on the
aftercare sheet made the reader stop at a line of one word; the engine rewraps such a
heading at the narrowest width with the same number of lines (handoutpress/lonewords.py),
so nothing moves but the heading's own line breaks (a centred mark stays centred: "DRAFT
— this content has not yet been approved by a / clinician." on the tri-fold's back). Read
back from the PDFs: each heading's words in drawing order, with the line each word is on.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
import yaml
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from handoutpress.lonewords import NoLoneWord

from .conftest import SHIPPED_HANDOUTS, run_cli
from .shipped import content

#: the shipped outputs a patient or the desk gets, per handout: its own layouts, the staff
#: copy and large print
VARIANTS = {"office": (), "staff": ("--staff-copy",), "large": ("--large-print",)}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Path]]:
    out: list[tuple[str, Path]] = []
    for name, args in VARIANTS.items():
        folder = tmp_path_factory.mktemp(name)
        for handout in SHIPPED_HANDOUTS:
            res = run_cli("build", handout, *args, "--out-dir", str(folder))
            assert res.returncode == 0, res.stderr
            out += [(handout, Path(p)) for p in res.stdout.split()]
    return out


STRINGS = Path(__file__).resolve().parent.parent / "layouts" / "strings"


def headings(handout: str) -> list[str]:
    """The title, subtitle, tagline and every section heading of ``handout``'s YAML, and
    the long SAMPLE / DRAFT / STAFF COPY marks in its language (the sample brand's)."""
    data = content(handout)
    texts = [data["title"], data.get("subtitle"), (data.get("cover") or {}).get("tagline")]
    texts += [s["heading"] for s in data["sections"] if "heading" in s]
    words = yaml.safe_load((STRINGS / f"{data['language']}.yaml").read_text(encoding="utf-8"))
    marks = [words[k] for k in ("sample_long", "draft_long", "staff_copy_long")]
    texts += [m.replace("{brand_file}", "palomar.yaml") for m in marks]
    return [t for t in texts if t and "{{" not in t]


def page_words(pdf: Path) -> list[list[tuple[str, float]]]:
    """Each page's words in drawing order, with the top of each."""
    with pdfplumber.open(pdf) as doc:
        return [
            [(w["text"], w["top"]) for w in page.extract_words(use_text_flow=True)]
            for page in doc.pages
        ]


def heading_lines(pages: list[list[tuple[str, float]]], heading: str) -> list[list[list[str]]]:
    """Each place ``heading`` is drawn: its words grouped by the line they sit on."""
    want = heading.split()
    found: list[list[list[str]]] = []
    for words in pages:
        texts = [text for text, _ in words]
        for i in range(len(texts) - len(want) + 1):
            if texts[i : i + len(want)] != want:
                continue
            lines: list[list[str]] = []
            top = None
            for text, at in words[i : i + len(want)]:
                if top is None or abs(at - top) > 2:
                    lines.append([])
                    top = at
                lines[-1].append(text)
            found.append(lines)
    return found


def test_no_heading_ends_with_a_word_alone(built: list[tuple[str, Path]]) -> None:
    wrapped = 0
    lone: list[str] = []
    for handout, pdf in built:
        pages = page_words(pdf)
        for heading in headings(handout):
            if len(heading.split()) < 4:  # (see lonewords.py: 2 + 1 keeps the first two)
                continue
            for lines in heading_lines(pages, heading):
                if len(lines) < 2:
                    continue
                wrapped += 1
                if len(lines[-1]) == 1:
                    lone.append(f"{pdf.name}: {' / '.join(' '.join(x) for x in lines)}")
    assert not lone, "\n".join(lone)
    assert wrapped >= 10, f"only {wrapped} wrapped headings seen: the search finds too little"


STYLE = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=14, leading=17)


def _last_line_words(p: Paragraph) -> int:
    line = p.blPara.lines[-1]
    return len(line[1]) if isinstance(line, tuple) else int(line.wordCount)


def test_a_lone_word_is_rewrapped_at_the_same_height() -> None:
    plain = Paragraph("How does the injection work?", STYLE)
    _, plain_h = plain.wrap(190, 500)
    assert _last_line_words(plain) == 1  # (the case: "work?" alone)
    fixed = NoLoneWord("How does the injection work?", STYLE)
    w, h = fixed.wrap(190, 500)
    assert (w, h) == (190, plain_h)
    assert _last_line_words(fixed) >= 2
    assert fixed.width < 190


def test_nothing_changes_when_nothing_is_alone_or_it_cannot_help() -> None:
    for text, width in (("Benefits and risks", 190), ("Two words", 190), ("Unbreakable", 40)):
        fixed = NoLoneWord(text, STYLE)
        plain = Paragraph(text, STYLE)
        assert fixed.wrap(width, 500) == plain.wrap(width, 500)
        assert fixed.blPara.lines == plain.blPara.lines


def test_a_rewrapped_centred_paragraph_stays_centred(tmp_path: Path) -> None:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.pdfgen.canvas import Canvas

    centred = ParagraphStyle("c", parent=STYLE, alignment=TA_CENTER)
    text = "DRAFT this content has not yet been approved by a clinician."
    width = next(  # a width at which the plain paragraph leaves "clinician." alone
        float(w)
        for w in range(200, 600)
        if (p := Paragraph(text, centred)).wrap(w, 500)[1] == 2 * STYLE.leading
        and _last_line_words(p) == 1
    )
    para = NoLoneWord(text, centred)
    _, h = para.wrap(width, 500)
    assert para.width < width and _last_line_words(para) >= 2  # (rewrapped)
    pdf = tmp_path / "c.pdf"
    canv = Canvas(str(pdf), pagesize=(700, 300))
    para.drawOn(canv, 70, 150)
    canv.save()
    with pdfplumber.open(pdf) as doc:
        words = doc.pages[0].extract_words()
    rows: dict[int, list[dict[str, float]]] = {}
    for w in words:
        rows.setdefault(round(w["top"]), []).append(w)
    assert len(rows) == 2
    for row in rows.values():
        middle = (min(w["x0"] for w in row) + max(w["x1"] for w in row)) / 2
        assert abs(middle - (70 + width / 2)) < 1.0, middle
