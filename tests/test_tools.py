"""Tools to fill in, as a person sees them (the drawing of each tool measured in a handout of
its own, `tests/fixtures/tools.yaml`): the pain log's 14 boxes in a grid under its
labels, the 0-10 scale's words, write-in lines, the follow-up box, pictograms in place of
bullets, and the staff copy (its section and STAFF COPY on every page, neither on the
patient's copy)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pdfplumber
import pytest

from . import shipped
from .conftest import ROOT, assert_clean_error, run_cli

DAYS = [f"Day {n}" for n in range(1, 8)]


def _build(out: Path, *args: str, handout: str = "tpi-aftercare") -> Path:
    res = run_cli("build", handout, "-o", str(out), *args)
    assert res.returncode == 0, res.stderr
    return out


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("tools") / "patient.pdf")


@pytest.fixture(scope="module")
def staff(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("tools") / "staff.pdf", "--staff-copy")


#: the tools on their own in a sheet with the whole text column (no side strip): the tests
#: of how a tool is drawn use it, so the shipped aftercare may put its tools anywhere
TOOLS = Path(__file__).parent / "fixtures" / "tools.yaml"


@pytest.fixture(scope="module")
def tools(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("tools") / "tools.pdf", handout=str(TOOLS))


@pytest.fixture(scope="module")
def tools_staff(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(
        tmp_path_factory.mktemp("tools") / "tools-staff.pdf", "--staff-copy", handout=str(TOOLS)
    )


def _page_with(pdf: pdfplumber.PDF, text: str) -> pdfplumber.page.Page:
    for page in pdf.pages:
        if text in (page.extract_text() or ""):
            return page
    raise AssertionError(f"{text!r} is on no page")


def _word(words: list[dict], text: str) -> dict:  # type: ignore[type-arg]
    found = [w for w in words if w["text"] == text]
    assert found, f"{text!r} not drawn"
    return found[0]


def _label(words: list[dict], first: str, second: str) -> tuple[float, float]:  # type: ignore[type-arg]
    """Centre (x, top) of a two-word label such as "Day 3"."""
    for a, b in zip(words, words[1:], strict=False):
        if a["text"] == first and b["text"] == second and abs(a["top"] - b["top"]) < 1:
            return (a["x0"] + b["x1"]) / 2, a["top"]
    raise AssertionError(f"{first} {second} not drawn")


def _boxes(page: pdfplumber.page.Page, below: float) -> list[dict]:  # type: ignore[type-arg]
    """The write-in boxes: small stroked rectangles below ``below``."""
    return [
        r
        for r in page.rects
        if r["top"] > below and 20 < r["width"] < 80 and 10 < r["height"] < 40 and r["stroke"]
    ]


def test_pain_log_has_fourteen_boxes_in_a_grid_under_its_labels(tools: Path) -> None:
    with pdfplumber.open(tools) as pdf:
        page = _page_with(pdf, "Day 7")
        words = page.extract_words()
        days = [_label(words, "Day", str(n)) for n in range(1, 8)]
        morning, evening = _word(words, "Morning"), _word(words, "Evening")
        boxes = _boxes(page, days[0][1])
    # the sheet is wide enough for a column a day: the days in a row, the times in a column
    assert len({round(top) for _, top in days}) == 1
    assert abs(morning["x0"] - evening["x0"]) < 1 and evening["top"] > morning["top"]
    assert len(boxes) == 14, [(b["x0"], b["top"]) for b in boxes]
    rows = sorted({round(b["top"]) for b in boxes})
    assert len(rows) == 2
    for row_top, label in zip(rows, (morning, evening), strict=True):
        in_row = sorted((b for b in boxes if round(b["top"]) == row_top), key=lambda b: b["x0"])
        assert len(in_row) == 7
        # each box is level with its time label and right under its day label
        assert in_row[0]["top"] - 4 < label["top"] < in_row[0]["bottom"]
        for box, (x, _) in zip(in_row, days, strict=True):
            assert abs((box["x0"] + box["x1"]) / 2 - x) < 1.5
            assert box["x0"] > label["x1"]
        widths = {round(b["width"], 1) for b in in_row}
        assert len(widths) == 1  # all the same size


def test_pain_scale_numbers_and_words_above_the_log(tools: Path) -> None:
    with pdfplumber.open(tools) as pdf:
        page = _page_with(pdf, "Worst pain")
        words = page.extract_words()
        text = page.extract_text()
    day1 = _label(words, "Day", "1")
    numbers = [w for w in words if w["text"] in {"0", "2", "4", "6", "8", "10"}]
    scale = [w for w in numbers if day1[1] - 60 < w["top"] < day1[1]]
    assert [w["text"] for w in sorted(scale, key=lambda w: w["x0"])] == [
        "0",
        "2",
        "4",
        "6",
        "8",
        "10",
    ]
    assert len({round(w["top"]) for w in scale}) == 1
    no_pain = _label(words, "No", "pain")
    worst = _label(words, "Worst", "pain")
    # "No pain" under the 0, "Worst pain" under the 10
    zero, ten = sorted(scale, key=lambda w: w["x0"])[0], sorted(scale, key=lambda w: w["x0"])[-1]
    assert no_pain[1] > zero["top"] and worst[1] > ten["top"]
    assert no_pain[0] < (zero["x0"] + ten["x1"]) / 2 < worst[0]
    assert "0 2 4 6 8 10" in text  # read in order


def test_large_print_log_runs_a_row_a_day(tmp_path: Path) -> None:
    pdf = _build(tmp_path / "large.pdf", "--large-print")
    with pdfplumber.open(pdf) as doc:
        page = _page_with(doc, "Day 7")
        words = page.extract_words()
        days = [_label(words, "Day", str(n)) for n in range(1, 8)]
        boxes = _boxes(page, days[0][1] - 20)
        day_tops = {round(top) for _, top in days}
        body = [c["size"] for c in page.chars if c["text"] == "D" and round(c["top"]) in day_tops]
    assert len({round(x) for x, _ in days}) == 1  # one column of days
    tops = [top for _, top in days]
    assert tops == sorted(tops)
    assert len(boxes) == 14
    assert min(body) >= 18  # large print's labels


def test_write_in_lines_under_questions(tools: Path) -> None:
    with pdfplumber.open(tools) as pdf:
        page = _page_with(pdf, "Questions to ask")
        heading = _word(page.extract_words(), "Questions")
        lines = [
            ln
            for ln in page.lines
            if ln["top"] > heading["top"] and abs(ln["top"] - ln["bottom"]) < 0.5
        ]
        footer_rule = max(ln["top"] for ln in page.lines)
        # the sheet's "Notes" lines under the end of the text are not the section's
        notes = [w["top"] for w in page.extract_words() if w["text"] == "Notes"]
    end = min([footer_rule - 1, *(t for t in notes if t > heading["top"])])
    written = [ln for ln in lines if ln["top"] < end and ln["x1"] - ln["x0"] > 300]
    assert len(written) == 3
    gaps = [b["top"] - a["top"] for a, b in zip(written, written[1:], strict=False)]
    assert all(g >= 0.33 * 72 - 0.5 for g in gaps)  # room to write


def test_follow_up_box_holds_the_date_and_time(tmp_path: Path) -> None:
    pdf = _build(
        tmp_path / "filled.pdf",
        "--set",
        "visit.follow_up=2026-12-04",
        "--set",
        "visit.follow_up_time=10:30 am",
    )
    with pdfplumber.open(pdf) as doc:
        first = doc.pages[0].extract_text()
        page = _page_with(doc, "Your follow-up visit")
        text = page.extract_text()
    assert "Follow-up visit" not in first.split("What is normal")[0]  # not among the top fields
    after = text.split("Your follow-up visit", 1)[1]
    assert "December 4, 2026" in after.split("Your pain log")[0]
    assert "10:30 am" in after.split("Your pain log")[0]


def test_pictograms_replace_the_bullets_of_self_care_steps(sheet: Path) -> None:
    with pdfplumber.open(sheet) as pdf:
        # the first self-care step (its icon stands in for the bullet)
        first = shipped.list_items(shipped.section("tpi-aftercare", style="callout")["body"])[0]
        page = _page_with(pdf, " ".join(first.split()[:3]))
        words = page.extract_words()
        ice = _word(words, first.split()[0])
        curves = [c for c in page.curves if c["x1"] <= ice["x0"] and abs(c["top"] - ice["top"]) < 8]
        bullets = [
            ch
            for ch in page.chars
            if ch["text"] == "\u2022" and ice["top"] - 2 < ch["top"] < ice["top"] + 90
        ]
    assert curves, "no pictogram left of 'Ice:'"
    assert not bullets  # the icons stand in for the bullets


def test_staff_section_only_on_the_staff_copy(tools: Path, tools_staff: Path) -> None:
    patient = subprocess.run(["pdftotext", str(tools), "-"], capture_output=True, text=True)
    assert patient.returncode == 0
    assert "Ask the patient" not in patient.stdout
    assert "STAFF COPY" not in patient.stdout and "For staff" not in patient.stdout
    with pdfplumber.open(tools_staff) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
        height = pdf.pages[0].height
        marks = [w for p in pdf.pages for w in p.extract_words() if w["text"] == "STAFF"]
    assert "For staff: Check understanding" in "\n".join(pages)
    assert 'Ask the patient: "What are two reasons to call us?"' in "\n".join(pages)
    assert all("STAFF COPY" in text for text in pages), "a page without the STAFF COPY mark"
    assert len(marks) == len(pages) and all(w["top"] > height - 40 for w in marks)  # footer


def test_large_print_staff_copy_stamped_at_the_top_of_every_page(tmp_path: Path) -> None:
    pdf = _build(tmp_path / "large-staff.pdf", "--large-print", "--staff-copy")
    with pdfplumber.open(pdf) as doc:
        stamps = [
            [w for w in p.extract_words() if w["text"] == "STAFF" and w["top"] < 40]
            for p in doc.pages
        ]
    assert len(stamps) > 2 and all(len(s) == 1 for s in stamps)


def test_staff_copy_file_name_never_the_patients(tmp_path: Path) -> None:
    res = run_cli("build", "tpi-aftercare", "--staff-copy", "--out-dir", str(tmp_path))
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tpi-aftercare-sheet-staff.pdf"]


def test_spanish_labels(tmp_path: Path) -> None:
    pdf = _build(tmp_path / "es.pdf", "--lang", "es", "--staff-copy")
    with pdfplumber.open(pdf) as doc:
        text = "\n".join(p.extract_text() or "" for p in doc.pages)
    for words in ("Día 1", "Día 7", "Mañana", "Noche", "Sin dolor", "El peor dolor"):
        assert words in text
    assert "COPIA DEL PERSONAL" in text and "Para el personal:" in text


def test_check_lays_out_the_staff_copy() -> None:
    res = run_cli("check", "tpi-aftercare")
    assert res.returncode == 0, res.stderr + res.stdout
    assert "sheet fits (2 pages) · sheet (staff copy) fits (2 pages)" in res.stdout


def test_check_reports_a_staff_copy_that_does_not_fit(tmp_path: Path) -> None:
    handout = tmp_path / "h.yaml"
    long = "\n".join(f"      - Ask the patient question number {n}." for n in range(60))
    handout.write_text(
        "title: Staff too long\nlanguage: en\nform: T-5\nrevised: 2026-11-01\n"
        "review: {status: draft}\nlayouts: [sheet]\nsections:\n"
        "  - heading: Care\n    body: Rest.\n"
        f"  - heading: Teach-back\n    audience: staff\n    body: |\n{long}\n"
    )
    res = run_cli("check", str(handout))
    assert res.returncode == 1
    assert "sheet fits (1 page) · sheet (staff copy) DOES NOT FIT" in res.stdout
    assert f"{handout}:10:5: sections[1]: sheet: 'For staff: Teach-back' is too tall" in res.stderr


def test_appointment_label_too_long_is_located(tmp_path: Path) -> None:
    """A label too long for its line in the appointment box: one line at the label in the
    handout (where it is shortened), naming the box, in every layout that draws the box; a
    ``--set`` value too long for the box's line names the box too."""
    import yaml

    source = (ROOT / "handouts" / "tpi-aftercare.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(source)
    i, section = next(
        (i, s)
        for i, s in enumerate(data["sections"])
        if (s.get("tool") or {}).get("kind") == "appointment"
    )
    key = section["tool"]["fields"][0]
    n, field = next((n, f) for n, f in enumerate(data["fields"]) if f["key"] == key)
    long = "Your follow-up visit with the doctor at the clinic downtown"
    lines = source.splitlines(keepends=True)
    (row,) = [r for r, line in enumerate(lines) if f"key: {key}," in line]
    assert f"label: {field['label']}," in lines[row]
    lines[row] = lines[row].replace(f"label: {field['label']},", f"label: {long},")
    handout = tmp_path / "h.yaml"
    handout.write_text("".join(lines), encoding="utf-8")
    col = lines[row].index(long) + 1
    expected = (
        f"{handout}:{row + 1}:{col}: fields[{n}].label: in the appointment box "
        f"(sections[{i}].tool): too long for one line beside its write-in line"
    )
    for layout in (("--layout", "sheet"), ("--large-print",)):
        res = run_cli("build", str(handout), *layout, "-o", str(tmp_path / "x.pdf"))
        (line,) = assert_clean_error(res)
        assert line.startswith(expected), line
        assert not (tmp_path / "x.pdf").exists()
    other = section["tool"]["fields"][-1]
    res = run_cli(
        "build", "tpi-aftercare", "--layout", "sheet", "--set", f"{other}={'ten thirty ' * 8}",
        "-o", str(tmp_path / "y.pdf"),
    )  # fmt: skip
    (line,) = assert_clean_error(res)
    assert line.startswith(
        f"--set {other}: too long for its line in the appointment box (sections[{i}].tool)"
    ), line
