"""`build --large-print`: 18 pt body, larger headings, black text, reflowed onto Letter pages."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from . import pdfcheck, shipped
from .conftest import ROOT, SHIPPED_HANDOUTS, assert_clean_error, run_cli

LETTER = (612.0, 792.0)
HANDOUTS = sorted(SHIPPED_HANDOUTS)
DRAFT = {
    "en": "DRAFT — not yet approved by a clinician",
    "es": "BORRADOR — aún sin aprobación clínica",
}
SAMPLE = {
    "en": "SAMPLE — set your clinic's details",
    "es": "MUESTRA — ponga los datos de su clínica",
}
PAGE = {"en": "Page {} of {}", "es": "Página {} de {}"}


def lang_of(name: str) -> str:
    return "es" if ".es-" in name else "en"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, shipped_root: Path) -> Path:
    out = tmp_path_factory.mktemp("large")
    res = run_cli("build", "--large-print", "--out-dir", str(out), cwd=shipped_root)
    assert res.returncode == 0, res.stderr
    assert sorted(Path(line).name for line in res.stdout.split()) == sorted(
        f"{h}-large-print.pdf" for h in HANDOUTS
    )
    return out


@pytest.fixture(scope="module")
def personal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("large-personal") / "aftercare.pdf"
    res = run_cli(
        "build",
        "tpi-aftercare",
        "--large-print",
        "-o",
        str(out),
        "--set",
        "patient.name=Zoë Ñúñez-Nguyễn",
        "--set",
        "visit.date=November 3, 2026",
        "--set",
        "visit.sites=upper back left; neck right",
    )
    assert res.returncode == 0, res.stderr
    return out


def plumbed(pdf: Path) -> list[list[dict]]:
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        return [[c for c in page.chars if c["text"].strip()] for page in doc.pages]


def contrast_on_white(colour: tuple[float, ...] | list[float] | None) -> float:
    """WCAG contrast of a fill colour (gray, RGB or CMYK as pdfplumber gives it) on white."""
    c = tuple(colour or (0,))
    if len(c) == 1:
        rgb = (c[0],) * 3
    elif len(c) == 4:
        k = c[3]
        rgb = tuple((1 - x) * (1 - k) for x in c[:3])
    else:
        rgb = c[:3]

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
    return 1.05 / (lum + 0.05)


@pytest.mark.parametrize("handout", HANDOUTS)
def test_letter_portrait_valid_pdf(built: Path, handout: str) -> None:
    pdf = built / f"{handout}-large-print.pdf"
    sizes = pdfcheck.page_sizes(pdf)
    assert len(sizes) >= 3  # reflowed: a one-page sheet becomes several pages
    assert set(sizes) == {LETTER}
    pdfcheck.qpdf_check(pdf)
    pdfcheck.assert_fonts_embedded(pdf)


@pytest.mark.parametrize("handout", HANDOUTS)
def test_body_text_is_at_least_18_pt(built: Path, handout: str) -> None:
    pages = plumbed(built / f"{handout}-large-print.pdf")
    everything = Counter(round(c["size"], 1) for page in pages for c in page)
    assert everything.most_common(1)[0][0] >= 18
    for n, page in enumerate(pages, start=1):
        # above the footer zone (14 pt is allowed there): page 1 may hold little but fields
        sizes = Counter(round(c["size"], 1) for c in page if c["top"] < 792 - 1.5 * 72)
        assert sizes.most_common(1)[0][0] >= 18, (n, sizes.most_common(3))
        # nothing smaller than 14 pt (footer), except the lettering inside the logo on page 1
        small = [c for c in page if c["size"] < 14 - 0.01]
        assert all(n == 1 and c["bottom"] < 72 * 1.5 for c in small), small[:3]


def test_headings_are_larger_than_the_body(built: Path) -> None:
    import pdfplumber

    with pdfplumber.open(str(built / "tpi-aftercare-large-print.pdf")) as doc:
        words = [
            w
            for page in doc.pages
            for w in page.extract_words(extra_attrs=["size"], keep_blank_chars=True)
        ]
    sizes = {w["text"].strip(): w["size"] for w in words}
    plain = next(s["heading"] for s in shipped.sections("tpi-aftercare") if not s.get("style"))
    callout = shipped.heading("tpi-aftercare", "callout")
    for heading in (plain, callout, shipped.heading("tpi-aftercare", "warning")):
        assert sizes.get(heading, 0) > 18 + 3, (heading, sizes.get(heading))
    title = shipped.content("tpi-aftercare")["title"]
    first_line = max((t for t in sizes if title.startswith(t)), key=len)  # the title wraps
    assert len(first_line) >= 10 and sizes[first_line] >= 30, first_line


@pytest.mark.parametrize("handout", HANDOUTS)
def test_high_contrast_text(built: Path, handout: str) -> None:
    pages = plumbed(built / f"{handout}-large-print.pdf")
    for n, page in enumerate(pages, start=1):
        for c in page:
            if c["size"] < 14:  # logo lettering
                continue
            ratio = contrast_on_white(c["non_stroking_color"])
            assert ratio >= 7, (n, c["text"], c["non_stroking_color"], ratio)
    chars = [c for page in pages for c in page]
    black = [c for c in chars if contrast_on_white(c["non_stroking_color"]) > 18]
    assert len(black) > len(chars) * 0.6  # the text is (near) black; red only for the marks


@pytest.mark.parametrize("handout", HANDOUTS)
def test_marks_and_page_numbers_on_every_page(built: Path, handout: str) -> None:
    pdf = built / f"{handout}-large-print.pdf"
    lang = lang_of(pdf.name)
    total = len(pdfcheck.page_sizes(pdf))
    by_page: dict[int, list[pdfcheck.Char]] = {}
    for c in pdfcheck.chars(pdf):
        by_page.setdefault(c.page, []).append(c)
    for page in range(1, total + 1):
        words = pdfcheck.words(pdf, page)
        assert DRAFT[lang] in words, page
        assert SAMPLE[lang] in words, page
        assert PAGE[lang].format(page, total) in words, page
        # visible: inside the 0.25 in safe margin, at footer size
        for c in by_page[page]:
            assert c.x0 >= 18 and c.x1 <= 612 - 18 and c.top >= 18 and c.bottom <= 792 - 18, c
    text = pdfcheck.words(pdf)
    assert "layouts/brands/palomar.yaml" in text  # the long SAMPLE note, once


def test_same_fields_contact_and_warning_box(built: Path) -> None:
    text = pdfcheck.words(built / "tpi-aftercare-large-print.pdf")
    source = shipped.content("tpi-aftercare")
    urgent = shipped.section("tpi-aftercare", style="urgent")
    warning = shipped.heading("tpi-aftercare", "warning")
    revised = source["revised"]
    for phrase in (
        source["title"],
        source["subtitle"],
        *(f["label"] for f in source["fields"]),
        *(choice for f in source["fields"] for choice in f.get("choices", [])),
        f"{urgent['heading']} • {shipped.list_items(urgent['body'])[0]}",  # the 911 tier first
        f"{warning} (760) 555-0142",  # the call-us tier shows the brand's phone
        *shipped.list_items(shipped.section("tpi-aftercare", style="warning")["body"]),
        "Questions? Call us. (760) 555-0142",
        "After hours: (760) 555-0199",
        "palomar-spine.example.com frontdesk@palomar-spine.example.com",  # as on the tri-fold
        f"{source['form']} · Revised {revised:%B %Y}",
    ):
        assert phrase in text, phrase
    assert text.index(urgent["heading"]) < text.index(warning)
    brochure = pdfcheck.words(built / "trigger-point-injections-large-print.pdf")
    tpi = shipped.sections("trigger-point-injections")
    assert shipped.content("trigger-point-injections")["cover"]["tagline"] in brochure
    assert shipped.list_items(tpi[-1]["body"])[0] in brochure  # the last section


def _lines_by_position(pdf: Path, page: int) -> str:
    """Page ``page``'s words a line at a time (words within 2 pt of each other's top),
    left to right: a value beside its label reads after it whatever order the text is in."""
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        words = doc.pages[page - 1].extract_words()
    lines: list[list[dict]] = []  # type: ignore[type-arg]
    for w in sorted(words, key=lambda w: w["top"]):
        if lines and abs(lines[-1][0]["top"] - w["top"]) < 2:
            lines[-1].append(w)
        else:
            lines.append([w])
    return " ".join(" ".join(w["text"] for w in sorted(ln, key=lambda w: w["x0"])) for ln in lines)


def test_personal_values_printed(personal: Path) -> None:
    first = _lines_by_position(personal, 1)
    for phrase in (
        "Patient Zoë Ñúñez-Nguyễn",
        "Date of injection November 3, 2026",
        "Provider",
    ):
        assert phrase in first, phrase
    words = pdfcheck.words(personal)  # the body map's regions in words
    assert "Upper back, left" in words and "Neck, right" in words
    assert "Zoë" not in pdfcheck.pdfinfo(personal).get("Title", "")
    assert oct(personal.stat().st_mode & 0o777) == "0o600"


def test_long_unseen_handout_reflows_with_boxes_split_across_pages(project: Path) -> None:
    title = "A Very Long Title About Looking After Your Back, Neck and Shoulders at Home and Work"
    fields = "\n".join(
        f"  - {{key: visit.f{i}, label: Write-in field number {i}}}" for i in range(6)
    )
    para = "Walk a little every day and rest when you need to. " * 8
    sections = "\n".join(
        f"  - heading: Part {i} of the plan\n    body: |\n      {para}\n" for i in range(10)
    )
    bullets = "\n".join(f"      - Step {i}: stretch slowly and breathe out." for i in range(45))
    (project / "handouts" / "long.yaml").write_text(
        f"title: {title}\nlanguage: en\nform: T-LONG\nrevised: 2026-10-01\n"
        "review: {status: draft}\nlayouts: [sheet]\n"
        f"fields:\n{fields}\nsections:\n{sections}"
        f"  - heading: Your long list\n    style: callout\n    body: |\n{bullets}\n"
        "  - heading: When to call us\n    style: warning\n    body: Call {{ clinic.phone }}.\n"
    )
    # the sheet cannot hold it; large print takes as many pages as it needs
    assert_clean_error(run_cli("build", "long", "--out-dir", "out", cwd=project), 1)
    res = run_cli("build", "long", "--large-print", "--out-dir", "out", cwd=project)
    assert res.returncode == 0, res.stderr
    pdf = project / "out" / "long-large-print.pdf"
    total = len(pdfcheck.page_sizes(pdf))
    assert total >= 8
    text = pdfcheck.words(pdf)
    assert title in text
    for i in range(6):
        assert f"Write-in field number {i}" in text
    steps = [int(n) for n in re.findall(r"Step (\d+):", text)]
    assert steps == list(range(45))  # the box split over pages, nothing lost or repeated
    assert "Call (760) 555-0142." in text
    for page in range(1, total + 1):
        assert "DRAFT" in pdfcheck.words(pdf, page)


def test_large_print_refuses_a_small_type_layout() -> None:
    res = run_cli("build", "tpi-aftercare", "--large-print", "--layout", "sheet", "-o", "x.pdf")
    assert assert_clean_error(res, 1) == [
        "--large-print: layout 'sheet' sets body text at 12 pt; large print needs at least 18 pt "
        "(use --layout large-print, or a copy of it)"
    ]
    assert not (ROOT / "x.pdf").exists()


@pytest.mark.parametrize("handout", HANDOUTS)
def test_warning_box_kept_on_one_page(built: Path, handout: str) -> None:
    pdf = built / f"{handout}-large-print.pdf"
    # the tiered box (911, then call us) on one page, each tier's last line with it
    urgent = shipped.section(handout, style="urgent")
    warning = shipped.section(handout, style="warning")
    pages = [pdfcheck.words(pdf, n) for n in range(1, len(pdfcheck.page_sizes(pdf)) + 1)]
    (where,) = [n for n, words in enumerate(pages) if urgent["heading"] in words]
    assert warning["heading"] in pages[where]
    for tier in (urgent, warning):
        assert shipped.list_items(tier["body"])[-1] in pages[where], tier["heading"]


#: Page 1 and later: the body frame ends this far from the top of the page (792 - 0.5 in
#: bottom margin - 0.95 in footer zone, layouts/large-print.yaml).
FRAME_BOTTOM = 792 - 0.5 * 72 - 0.95 * 72


def lines_by_page(pdf: Path) -> dict[int, list[tuple[float, float, str]]]:
    """(top, size, text) of each text line in the body frame, by page, top to bottom."""
    return pdfcheck.text_rows(pdf, lambda c: c.bottom <= FRAME_BOTTOM + 1 and c.size >= 17.9)


def assert_headings_carry_two_lines(pdf: Path) -> None:
    for page, rows in lines_by_page(pdf).items():
        for i, (top, size, _) in enumerate(rows):
            if size > 22:  # a heading (23 pt): at least two lines of text under it, same page
                under = [r for r in rows[i + 1 :] if r[1] < 22]
                assert len(under) >= 2, f"{pdf.name}: heading at {top:.0f} pt on page {page}"


@pytest.mark.parametrize("handout", HANDOUTS)
def test_no_heading_at_the_foot_of_a_page(built: Path, handout: str) -> None:
    assert_headings_carry_two_lines(built / f"{handout}-large-print.pdf")


def test_a_heading_fills_the_foot_of_a_page_when_two_lines_fit(project: Path) -> None:
    # Paragraphs of growing length put page breaks at many heights; with these lengths two
    # breaks leave room for a heading and two lines, but not for three.
    words = ("Walk a little every day and rest when you need it most " * 30).split()
    sections = "\n".join(
        f"  - heading: Part {i} of the plan\n    body: |\n      "
        + " ".join(words[: 80 + 13 * i])
        + ".\n"
        for i in range(10)
    )
    (project / "handouts" / "parts.yaml").write_text(
        "title: Parts\nlanguage: en\nform: T-PARTS\nrevised: 2026-10-01\n"
        f"review: {{status: draft}}\nlayouts: [sheet]\nsections:\n{sections}"
    )
    res = run_cli("build", "parts", "--large-print", "--out-dir", "out", cwd=project)
    assert res.returncode == 0, res.stderr
    pdf = project / "out" / "parts-large-print.pdf"
    assert_headings_carry_two_lines(pdf)
    pages = lines_by_page(pdf)
    filled = 0
    for page in sorted(pages)[:-1]:
        _, size, text = pages[page + 1][0]
        gap = FRAME_BOTTOM - pages[page][-1][0]  # from the top of the page's last line
        # A heading moves on only if it (28 + 6 pt) and two 24 pt lines do not fit: 82 pt,
        # plus 42.8 pt from the last line's top to where the heading's space would begin.
        if text.startswith("Part"):
            assert gap < 82 + 42.8 + 1, (page, gap)
        heads = [i for i, row in enumerate(pages[page]) if row[1] > 22]
        # a heading with two or three lines under it ends the page; its text goes on overleaf
        filled += bool(heads) and len(pages[page]) - heads[-1] - 1 < 4 and size < 22
    assert filled >= 2


@pytest.mark.parametrize("layout", ["large-print", "sheet"])
def test_the_continued_heading_shows_a_personal_title_filled_in(project: Path, layout: str) -> None:
    """A title with a personal field in it ("For {{ patient.name }}: …") is printed filled
    in on the first page; the running head of the pages after it says the same, not the
    blank write-in line of the public title (which stays the PDF's metadata title)."""
    path = project / "handouts" / "tpi-aftercare.yaml"
    text = path.read_text(encoding="utf-8")
    old = "title: After Your Trigger Point Injections\n"
    assert old in text
    path.write_text(
        text.replace(old, 'title: "For {{ patient.name }}: After Your Injections"\n'),
        encoding="utf-8",
    )
    flag = ["--large-print"] if layout == "large-print" else ["--layout", "sheet"]
    res = run_cli(
        "build", "tpi-aftercare", *flag, "--set", "patient.name=Ana Ruiz", "-o", "out.pdf",
        cwd=project,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    pdf = project / "out.pdf"
    pages = len(pdfcheck.page_sizes(pdf))
    assert pages >= 2
    for page in range(2, pages + 1):
        head = pdfcheck.text(pdf, page).splitlines()[0]
        assert head.startswith("For Ana Ruiz: After Your Injections (continued)"), (page, head)
    assert "Ana" not in pdfcheck.pdfinfo(pdf)["Title"]  # metadata: the public title
