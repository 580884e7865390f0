"""Issue 12's design rules, measured on the PDFs: fold order, tiers, type sizes, line length,
breaks, the cover, the band (pdfplumber positions and sizes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from handoutpress.typeset import NBSP, bind_quantities

from . import pdfcheck, shipped
from .conftest import assert_clean_error, run_cli

IN = 72.0
#: (layout, language) of every brochure the shipped handout is built in
BROCHURES = [(lay, lang) for lay in ("trifold", "trifold-a4") for lang in ("en", "es")]
SHEETS = [(lay, lang) for lay in ("sheet", "sheet-a4") for lang in ("en", "es")]


def headings(handout: str, lang: str) -> tuple[str, str, str, str]:
    """The shipped headings the fold and tier rules look for, read from the YAML: the
    questions (the section with the question icon), the key points, the 911 tier and the
    call-us tier."""
    hid = handout if lang == "en" else f"{handout}.{lang}"
    sections = shipped.sections(hid)
    questions = next((s["heading"] for s in sections if s.get("icon") == "question"), "")
    urgent = shipped.heading(hid, "urgent")
    return questions, shipped.heading(hid, "keypoints"), urgent, shipped.heading(hid, "warning")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], Path]:
    out = tmp_path_factory.mktemp("design")
    pdfs = {}
    for handout, layouts in (
        ("trigger-point-injections", BROCHURES + SHEETS),
        ("tpi-aftercare", SHEETS),
    ):
        for layout, lang in layouts:
            pdf = out / f"{handout}-{layout}-{lang}.pdf"
            res = run_cli("build", handout, "--layout", layout, "--lang", lang, "-o", str(pdf))
            assert res.returncode == 0, res.stderr
            pdfs[(handout, layout, lang)] = pdf
    return pdfs


def _panels(pdf: Path) -> tuple[float, list[float]]:
    """Page width and the outside panel widths (flap, back, cover; inside: mirrored)."""
    width, _ = pdfcheck.page_sizes(pdf)[0]
    a4 = width > 800  # A4 landscape is 842 pt wide, US Letter 792
    w = [98 / 25.4 * IN, 99.5 / 25.4 * IN, 99.5 / 25.4 * IN] if a4 else [261.0, 265.5, 265.5]
    return width, w


def _lines(chars: list[pdfcheck.Char]) -> list[tuple[float, str, float, float]]:
    """(top, text with spaces, x0, x1) of each text line, top to bottom."""
    rows: dict[int, list[pdfcheck.Char]] = {}
    for c in chars:
        rows.setdefault(round(c.top), []).append(c)
    out = []
    for top, cs in sorted(rows.items()):
        cs.sort(key=lambda c: c.x0)
        text = ""
        for prev, c in zip([None, *cs[:-1]], cs, strict=True):
            if prev is not None and c.x0 - prev.x1 > 1.5 and prev.text.strip() and c.text.strip():
                text += " "
            text += c.text
        out.append((float(top), " ".join(text.replace(NBSP, " ").split()), cs[0].x0, cs[-1].x1))
    return out


# --------------------------------------------------------------------------- tri-fold


@pytest.mark.parametrize(("layout", "lang"), BROCHURES)
def test_brochure_folds_read_in_order(
    made: dict[tuple[str, str, str], Path], layout: str, lang: str
) -> None:
    """The flap holds its own section; inside-left starts with the key points (nothing
    continues from the flap); the back panel holds the tiers, 911 first."""
    pdf = made[("trigger-point-injections", layout, lang)]
    width, w = _panels(pdf)
    chars = [c for c in pdfcheck.chars(pdf) if c.text.strip()]
    questions, keys, urgent, call_us = headings("trigger-point-injections", lang)
    assert questions and keys and urgent and call_us
    flap = _lines([c for c in chars if c.page == 1 and c.x1 <= w[0]])
    back = _lines([c for c in chars if c.page == 1 and w[0] < c.x0 and c.x1 <= w[0] + w[1]])
    inside_left = _lines([c for c in chars if c.page == 2 and c.x1 <= w[2]])
    flap_text = " ".join(t for _, t, _, _ in flap)
    assert questions in flap_text
    assert inside_left[0][1] == keys, inside_left[0]
    back_text = [t for _, t, _, _ in back]
    # (the 911 heading may wrap in the narrow panel: its line starts with its first 3 words)
    first_911 = next(
        i for i, t in enumerate(back_text) if t.startswith(" ".join(urgent.split()[:3]))
    )
    first_call = next(i for i, t in enumerate(back_text) if t.startswith(call_us))
    assert first_911 < first_call
    # the clinic phone in the "call us" tier: at least 16 pt, bold
    phone = [
        c
        for c in chars
        if c.page == 1 and w[0] < c.x0 < w[0] + w[1] and c.size >= 16 and "Bold" in c.font
    ]
    assert "(760)555-0142" in "".join(c.text for c in phone)
    # nothing continues onto another panel from the flap: no "continued" heading inside-left
    assert "(continued)" not in inside_left[0][1] and "(continuación)" not in inside_left[0][1]


@pytest.mark.parametrize(("layout", "lang"), BROCHURES)
def test_brochure_type_sizes_and_edges(
    made: dict[tuple[str, str, str], Path], layout: str, lang: str
) -> None:
    """Body text at least 12 pt; nothing under 9 pt; nothing within 0.25 in of an edge."""
    pdf = made[("trigger-point-injections", layout, lang)]
    width, height = pdfcheck.page_sizes(pdf)[0]
    chars = [c for c in pdfcheck.chars(pdf) if c.text.strip()]
    logo = [c for c in chars if c.page == 1 and c.x0 > width * 0.66 and c.top < 1.2 * IN]
    assert min(c.size for c in chars if c not in logo) >= 9 - 0.01  # (the logo is a picture)
    body = [c for c in chars if c.page == 2 and "Bold" not in c.font and "Italic" not in c.font]
    sizes = sorted(c.size for c in body)
    assert sizes[len(sizes) // 10] >= 12 - 0.01  # (the foot strip's marks are bold 9 pt)
    for c in chars:
        edge = 18 - 0.01  # (0.25 in; text set to the margin ends a rounding error short)
        assert c.x0 >= edge and c.x1 <= width - edge and c.top >= edge, c
        assert c.bottom <= height - edge, c


@pytest.mark.parametrize(("layout", "lang"), BROCHURES)
def test_brochure_inside_panels_are_filled(
    made: dict[tuple[str, str, str], Path], layout: str, lang: str
) -> None:
    """Each inside panel's text (or, under the last one's, lines for notes) reaches at least
    80 % of the way down its text box."""
    import pdfplumber

    pdf = made[("trigger-point-injections", layout, lang)]
    width, w = _panels(pdf)
    _, height = pdfcheck.page_sizes(pdf)[0]
    top, bottom = 0.35 * IN, height - 0.6 * IN  # layout YAML: top, bottom + foot
    chars = [c for c in pdfcheck.chars(pdf) if c.page == 2 and c.text.strip() and c.size >= 12]
    with pdfplumber.open(str(pdf)) as doc:
        rules = [(r["x0"], r["bottom"]) for r in doc.pages[1].lines if r["bottom"] < bottom]
    for a, b in ((0, w[2]), (w[2], w[2] + w[1]), (w[2] + w[1], width)):
        lowest = max(
            [c.bottom for c in chars if a <= c.x0 < b] + [y for x, y in rules if a <= x < b]
        )
        assert (lowest - top) / (bottom - top) >= 0.8, (a, lowest)


@pytest.mark.parametrize(("layout", "lang"), BROCHURES)
def test_brochure_cover_speaks(
    made: dict[tuple[str, str, str], Path], layout: str, lang: str
) -> None:
    """Title, subtitle and three key points on the cover; no more than 15 % of the panel's
    height is empty (no text, no band)."""
    import pdfplumber

    pdf = made[("trigger-point-injections", layout, lang)]
    width, w = _panels(pdf)
    x0 = w[0] + w[1]
    with pdfplumber.open(str(pdf)) as doc:
        page = doc.pages[0]
        spans = [(c["top"], c["bottom"]) for c in page.chars if c["x0"] >= x0]
        spans += [(r["top"], r["bottom"]) for r in page.rects if r["x0"] >= x0 - 1]
        spans += [(r["top"], r["bottom"]) for r in page.curves if r["x0"] >= x0 - 1]
        height = page.height
    covered = [False] * int(height)
    for a, b in spans:
        for y in range(max(0, int(a)), min(int(height), int(b) + 1)):
            covered[y] = True
    inner = covered[18 : int(height) - 18]
    # empty: bands of 12 pt or more with nothing in them (the gaps between lines of text
    # are not empty paper)
    empty, run = 0, 0
    for row in [*inner, True]:
        if row:
            empty += run if run >= 12 else 0
            run = 0
        else:
            run += 1
    assert empty / len(inner) <= 0.15, empty
    chars = [c for c in pdfcheck.chars(pdf) if c.page == 1 and c.x0 >= x0 and c.text.strip()]
    cover = " ".join(t for _, t, _, _ in _lines(chars))
    source = shipped.content("trigger-point-injections" + ("" if lang == "en" else f".{lang}"))
    points = source["cover"]["points"]
    assert len(points) == 3
    for p in [source["title"], source["subtitle"], *points]:
        assert p in cover, (p, cover)


# --------------------------------------------------------------------------- sheet


@pytest.mark.parametrize("handout", ["tpi-aftercare", "trigger-point-injections"])
@pytest.mark.parametrize(("layout", "lang"), SHEETS)
def test_sheet_lines_are_45_to_75_characters(
    made: dict[tuple[str, str, str], Path], handout: str, layout: str, lang: str
) -> None:
    """Every full line of body text (one that is not the last of its paragraph: it reaches
    within 15 % of the column's right edge) has 45-75 characters."""
    pdf = made[(handout, layout, lang)]
    chars = [c for c in pdfcheck.chars(pdf) if abs(c.size - 12) < 0.1 and c.text.strip()]
    counted = 0
    for page in (1, 2):
        on = [c for c in chars if c.page == page]
        if not on:
            continue
        left = min(c.x0 for c in on)
        main = [c for c in on if c.x0 < left + 4.6 * IN and c.x1 < left + 5.3 * IN]
        right = max(c.x1 for c in main)
        for top, text, a, b in _lines(main):
            row = sorted((c for c in main if round(c.top) == round(top)), key=lambda c: c.x0)
            gaps = [n.x0 - p.x1 for p, n in zip(row, row[1:], strict=False)]
            if gaps and max(gaps) > 20:
                continue  # a table's row (the pain log), not a line of text
            if b >= right - 0.15 * (right - left) and a < left + 30:
                counted += 1
                assert 45 <= len(text) <= 75, (page, len(text), text)
    assert counted >= 8  # (the check saw real lines)


@pytest.mark.parametrize("handout", ["tpi-aftercare", "trigger-point-injections"])
@pytest.mark.parametrize(("layout", "lang"), SHEETS)
def test_sheet_tiers_on_page_one_911_first(
    made: dict[tuple[str, str, str], Path], handout: str, layout: str, lang: str
) -> None:
    pdf = made[(handout, layout, lang)]
    page1 = pdfcheck.words(pdf, 1)
    _, _, urgent, call_us = headings(handout, lang)
    assert urgent in page1 and call_us in page1
    assert page1.index(urgent) < page1.index(call_us)
    if len(pdfcheck.page_sizes(pdf)) > 1:
        assert urgent not in pdfcheck.words(pdf, 2)


def test_tiers_that_would_fall_to_page_two_are_a_located_check_error(tmp_path: Path) -> None:
    text = (Path(__file__).parent / "cases" / "overflow-box" / "handout.yaml").read_text()
    handout = tmp_path / "big-box.yaml"
    handout.write_text(text)
    lines = assert_clean_error(run_cli("check", str(handout)))
    assert any(
        line.startswith(
            f"{handout}:17:5: sections[1]: sheet: the 'when to call' box must be on page 1"
        )
        for line in lines
    ), lines


def test_a_long_title_grows_the_band(tmp_path: Path) -> None:
    """A three-line Spanish title builds (it was refused); every title character is inside
    the band, above the write-in fields."""
    title = "Después de sus inyecciones en los puntos gatillo, cuidados en casa durante la semana"
    handout = tmp_path / "largo.es.yaml"
    handout.write_text(
        f"title: {title}\nsubtitle: Cómo cuidarse en casa\nlanguage: es\nform: T-1\n"
        "revised: 2026-11-01\nreview: {status: draft}\nlayouts: [sheet]\n"
        "fields:\n  - {key: patient.name, label: Paciente}\nsections:\n"
        "  - heading: Lo que es normal\n    body: Es normal sentir dolor por uno o dos días.\n"
        "  - heading: Cuándo llamarnos\n    style: warning\n"
        "    body: Llámenos al {{ clinic.phone }} si tiene fiebre.\n"
    )
    pdf = tmp_path / "largo.pdf"
    res = run_cli("build", str(handout), "--layout", "sheet", "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    chars = [c for c in pdfcheck.chars(pdf) if c.page == 1 and c.size >= 21.9]
    assert "".join(c.text for c in chars).strip().endswith("semana")
    rows = {round(c.top) for c in chars}
    assert len(rows) >= 2
    labels = [c for c in pdfcheck.chars(pdf) if c.page == 1 and abs(c.size - 10) < 0.05]
    assert "".join(c.text for c in labels).startswith("Paciente")  # sheet.yaml: label 10pt
    assert max(c.bottom for c in chars) < min(c.top for c in labels)


# --------------------------------------------------------------------------- breaks


def test_quantities_are_bound() -> None:
    assert bind_quantities("within 1 to 3 days") == f"within 1{NBSP}to{NBSP}3{NBSP}days"
    assert bind_quantities("over 100.4 °F") == f"over 100.4{NBSP}°F"
    assert bind_quantities("at 7:30 am") == f"at 7:30{NBSP}am"
    assert bind_quantities("de 15 a 20 minutos") == f"de 15{NBSP}a{NBSP}20{NBSP}minutos"
    assert bind_quantities("call 911 now") == "call 911 now"


@pytest.mark.parametrize(("layout", "lang"), BROCHURES)
def test_no_line_breaks_inside_a_quantity(
    made: dict[tuple[str, str, str], Path], layout: str, lang: str
) -> None:
    pdf = made[("trigger-point-injections", layout, lang)]
    text = pdfcheck.text(pdf).replace(NBSP, " ")
    phrase = "15 to 20 minutes" if lang == "en" else "15 a 20 minutos"
    assert phrase in text  # on one line (pdftotext keeps line breaks)
    assert "1 to 3 days" in text if lang == "en" else "1 a 3 días" in text


def test_opening_hours_never_break_inside_a_time(project: Path) -> None:
    """The back panel's hours: "7:30 am" stays on one line (the A4 back panel broke it)."""
    brand = project / "layouts" / "brands" / "palomar.yaml"
    text = brand.read_text(encoding="utf-8")
    old = "Monday–Friday, 8 am – 5 pm"
    assert old in text
    hours = "HOURSX Open Monday to Friday from 7:30 am to 4:30 pm"  # (breaks after 7:30)
    brand.write_text(text.replace(old, hours), encoding="utf-8")
    pdf = project / "b.pdf"
    res = run_cli(
        "build", "trigger-point-injections", "--layout", "trifold-a4", "-o", str(pdf), cwd=project
    )
    assert res.returncode == 0, res.stderr
    lines = [" ".join(t.replace(NBSP, " ").split()) for t in pdfcheck.text(pdf, 1).splitlines()]
    assert any("7:30 am" in t for t in lines), lines
    assert not [t for t in lines if t.endswith("7:30") or t.startswith("am ")], lines


def test_bound_quantities_are_worked_out_once_per_text() -> None:
    """Every layout, page and copy ``check`` lays out asks for the same texts again."""
    bind_quantities.cache_clear()
    text = "Soreness for 1 to 3 days is normal; call if over 100.4 °F."
    assert (
        bind_quantities(text)
        == bind_quantities(text)
        == ("Soreness for 1\u00a0to\u00a03\u00a0days is normal; call if over 100.4\u00a0°F.")
    )
    assert bind_quantities.cache_info().hits == 1
