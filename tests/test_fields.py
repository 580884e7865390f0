"""Personal fields on the page: aligned write-in lines, tick boxes, date fields and the body
map, in every layout that shows fields, English and Spanish; bad values refused in one line."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from . import pdfcheck, shipped
from .conftest import ROOT, assert_clean_error, run_cli

FILLED = (
    "--set",
    "patient.name=Ana Ruiz",
    "--set",
    "visit.medicine=steroid; Saline",
    "--set",
    "visit.sites=upper back left; Neck, right",
    "--set",
    "visit.follow_up=2026-12-04 10:30",
)


def _build(tmp_path: Path, *args: str) -> Path:
    pdf = tmp_path / "out.pdf"
    res = run_cli("build", "tpi-aftercare", "-o", str(pdf), *args)
    assert res.returncode == 0, res.stderr
    return pdf


def _words(page: pdfplumber.page.Page) -> list[dict]:  # type: ignore[type-arg]
    return page.extract_words(extra_attrs=["fontname"])


def test_write_in_lines_start_at_one_position_per_column(tmp_path: Path) -> None:
    pdf = _build(tmp_path)
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        words = _words(page)
        # (the follow-up visit's date is in its own box, lower down: test_tools.py)
        labels = {"Patient", "Provider", "Date"}
        rows = {w["text"]: w for w in words if w["text"] in labels and w["top"] < 200}
        lines = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.1]
    assert set(rows) == labels

    def line_start(label: dict) -> float:  # type: ignore[type-arg]
        near = [ln for ln in lines if abs(ln["top"] - label["bottom"]) < 6]
        return min(ln["x0"] for ln in near if ln["x0"] > label["x0"])

    left = {line_start(rows["Patient"]), line_start(rows["Provider"])}
    right = {line_start(rows["Date"])}
    assert len(left) == 1 and len(right) == 1, (left, right)
    # each line starts after the longest label of its column
    assert min(left) > rows["Provider"]["x1"] and min(right) > rows["Date"]["x1"] + 30


def test_choices_ticked_and_date_in_words(tmp_path: Path) -> None:
    pdf = _build(tmp_path, *FILLED)
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        words = _words(page)
        # (the follow-up date is in its own box, on page 2)
        everything = "\n".join(p.extract_text() for p in doc.pages)
    bold = {w["text"] for w in words if "Bold" in w["fontname"]}
    assert {"Steroid", "Saline"} <= bold
    numbing = next(w for w in words if w["text"] == "Numbing")
    assert "Bold" not in numbing["fontname"]
    assert "Dec 4, 2026, 10:30" in everything
    # a tick is drawn in the Steroid and Saline boxes only: a path left of each word
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        ticks = [c for c in page.curves if c["stroking_color"] and c["x1"] - c["x0"] < 12]
    ticked_words = [w for w in words if w["text"] in ("Steroid", "Saline", "Numbing")]
    near = {
        w["text"]
        for w in ticked_words
        for c in ticks
        if 0 < w["x0"] - c["x1"] < 10 and abs(c["top"] - w["top"]) < 8
    }
    assert near == {"Steroid", "Saline"}


def test_body_map_dots_and_words(tmp_path: Path) -> None:
    pdf = _build(tmp_path, *FILLED)
    pdfcheck.assert_fonts_embedded(pdf)  # (a list's bullet would otherwise be Helvetica)
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        text = page.extract_text()
        words = _words(page)
        red = [
            c
            for c in page.curves
            if c["fill"]
            and tuple(round(v, 2) for v in c["non_stroking_color"]) == (0.64, 0.15, 0.17)
        ]
    assert "Upper back, left" in text and "Neck, right" in text
    assert len(red) == 2, red
    back = next(w for w in words if w["text"] == "Back")
    front = next(w for w in words if w["text"] == "Front")
    # both on the back view (right of the front one), the upper back left of the neck dot
    # the patient's left is on the reader's left on the back view
    for dot in red:
        assert dot["x0"] > front["x1"]
        assert abs((dot["x0"] + dot["x1"]) / 2 - (back["x0"] + back["x1"]) / 2) < 25
    upper, neck = sorted(red, key=lambda c: c["top"], reverse=True)
    assert upper["x0"] < neck["x0"]


def test_spanish_names_regions_and_dates(tmp_path: Path) -> None:
    # choices in the translation's words, or by number in any language
    pdf = _build(tmp_path, "--lang", "es", *FILLED[:2], *FILLED[4:], "--set", "visit.medicine=2")
    with pdfplumber.open(pdf) as doc:
        text = doc.pages[0].extract_text()
        everything = "\n".join(p.extract_text() for p in doc.pages)
        bold = {w["text"] for w in _words(doc.pages[0]) if "Bold" in w["fontname"]}
    assert "Esteroide" in bold
    assert "4 dic. 2026, 10:30" in everything
    assert "Parte alta de la espalda, lado izquierdo" in text.replace("\n", " ")
    assert "Cuello, lado derecho" in text
    assert "Frente" in text and "Espalda" in text


@pytest.mark.parametrize(
    "setting, message",
    [
        (
            "visit.medicine=Steriod",
            "--set visit.medicine: the value is not one of the choices (did you mean "
            "'Steroid'?; choices: Numbing medicine, Steroid, Saline, or their numbers 1 to 3; "
            "separate several with ';')",
        ),
        (
            "visit.sites=upper back left; uper bak right",
            "--set visit.sites: item 2 is not a body-map region (did you mean "
            "'upper back right'?); separate several with ';'",
        ),
        (
            "visit.follow_up=12/04/2026",
            "--set visit.follow_up: expected a date as YYYY-MM-DD, or a date and time as "
            "YYYY-MM-DD HH:MM",
        ),
    ],
)
def test_bad_values_are_one_line_without_the_value(
    tmp_path: Path, setting: str, message: str
) -> None:
    res = run_cli("build", "tpi-aftercare", "-o", str(tmp_path / "x.pdf"), "--set", setting)
    lines = assert_clean_error(res)
    assert lines == [message]
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("extra", [("--layout", "trifold"), ("--large-print",)])
def test_fields_in_other_layouts(tmp_path: Path, extra: tuple[str, ...]) -> None:
    pdf = _build(tmp_path, *extra, *FILLED)
    with pdfplumber.open(pdf) as doc:
        text = "\n".join(p.extract_text() for p in doc.pages)
    for words in ("Medicine used", "Steroid", "Upper back, left", "Dec 4, 2026"):
        assert words in text


def test_letter_refuses_a_marked_body_map(tmp_path: Path) -> None:
    res = run_cli(
        "build", "tpi-aftercare", "--layout", "letter", "-o", str(tmp_path / "x.pdf"),
        "--set", "visit.sites=neck left",
    )  # fmt: skip
    lines = assert_clean_error(res)
    assert len(lines) == 1
    fields = shipped.content("tpi-aftercare")["fields"]
    body_map = next(i for i, f in enumerate(fields) if f.get("kind") == "body-map")
    ticks = next(i for i, f in enumerate(fields) if f.get("choices"))
    assert lines[0].endswith(
        f"fields[{body_map}]: letter: a letter cannot show a body map; use the sheet layout to "
        "print what was marked"
    )
    source = (ROOT / "handouts" / "tpi-aftercare.yaml").read_text().splitlines()
    line = next(n for n, ln in enumerate(source, 1) if "kind: body-map" in ln)
    assert lines[0].startswith(f"handouts/tpi-aftercare.yaml:{line}:")  # the field's line
    res = run_cli(
        "build", "tpi-aftercare", "--layout", "letter", "-o", str(tmp_path / "x.pdf"),
        "--set", "visit.medicine=Steroid",
    )  # fmt: skip
    (line,) = assert_clean_error(res)
    assert line.endswith(
        f"fields[{ticks}]: letter: a letter cannot show tick boxes; use the sheet layout to "
        "print what was marked"
    )
    # nothing marked: the letter is made (its fields are never printed as lines)
    ok = run_cli("build", "tpi-aftercare", "--layout", "letter", "-o", str(tmp_path / "x.pdf"))
    assert ok.returncode == 0, ok.stderr


def test_a_long_list_of_sites_pushes_the_text_down_never_under_it(tmp_path: Path) -> None:
    sites = "; ".join(
        f"{part} {side}"
        for part in ("neck", "upper back", "shoulder blade", "lower back", "hip")
        for side in ("left", "right")
    )
    pdf = _build(tmp_path, "--set", f"visit.sites={sites}")
    with pdfplumber.open(pdf) as doc:
        words = _words(doc.pages[0])
    hips = [w for w in words if w["text"] == "Hip,"]  # "Hip, left", "Hip, right": the last two
    necks = [w for w in words if w["text"] == "Neck,"]  # the first two
    # the text under the fields: the key points' heading, first in the main column
    first = shipped.heading("tpi-aftercare", "keypoints").split()[0]
    heading = next(w for w in words if w["text"] == first and w["top"] > necks[0]["top"])
    assert len(hips) == 2 and len(necks) == 2
    assert max(w["bottom"] for w in hips) < heading["top"]
    text = " ".join(w["text"] for w in words)
    assert "Neck, left" in text and "Hip, right" in text
    # ten names are taller than the outline: they go in two columns, read down the first
    assert min(w["x0"] for w in hips) > max(w["x1"] for w in necks)
    second = [
        w
        for w in words
        if w["x0"] >= min(h["x0"] for h in hips) - 1
        and necks[0]["top"] - 20 < w["top"] <= max(h["top"] for h in hips)
    ]
    assert abs(min(w["top"] for w in second) - necks[0]["top"]) < 1  # both start at the top


def test_labels_with_fallback_characters_are_measured(tmp_path: Path) -> None:
    """A label with a character the body face lacks (set in DejaVu Sans) is measured with
    it: its write-in line starts after it, as for any label; tick boxes never overlap."""
    handout = tmp_path / "h.yaml"
    handout.write_text(
        "title: Fields\nlanguage: vi\nform: T-1\nrevised: 2026-11-01\n"
        "review: {status: draft}\nlayouts: [sheet]\nfields:\n"
        "  - {key: patient.name, label: Họ và tên bệnh nhân}\n"
        "  - {key: visit.date, label: Ngày}\n"
        "  - {key: visit.kind, label: Thuốc, choices: [Thuốc tê, Steroid, Nước muối]}\n"
        "sections:\n  - heading: Ice\n    body: |\n      Use ice.\n"
    )
    pdf = tmp_path / "out.pdf"
    res = run_cli("build", str(handout), "-o", str(pdf), "--set", "visit.kind=1; 3")
    assert res.returncode == 0, res.stderr
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        words = page.extract_words()
        lines = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.1]
        boxes = [r for r in page.rects if 5 < r["width"] < 15 and abs(r["width"] - r["height"]) < 1]
    label = next(w for w in words if w["text"] == "nhân")
    row = [ln for ln in lines if abs(ln["top"] - label["bottom"]) < 6]
    assert row and min(ln["x0"] for ln in row) > label["x1"]
    # three boxes in a row, each left of its choice's first word and clear of the one before
    assert len(boxes) == 3
    starts = sorted(b["x0"] for b in boxes)
    words_after = [w for w in words if w["text"] in ("Thuốc", "Steroid", "Nước")]
    for box_x, nxt in zip(starts, starts[1:], strict=False):
        assert nxt - box_x > 30
    in_row = [w for w in words_after if abs(w["top"] - boxes[0]["top"]) < 6]
    assert len(in_row) == 3, in_row
    assert all(any(0 < w["x0"] - x - 9 < 8 for x in starts) for w in in_row), (in_row, starts)


@pytest.mark.parametrize(
    ("lang", "given", "printed"),
    [
        ("en", "2026-12-02", "December 2, 2026"),
        ("es", "2026-12-02", "2 de diciembre de 2026"),
        # the month in words (the README's `--set visit.date="Nov 27, 2026"`), in English or
        # the handout's language, is printed in the handout's language too
        ("es", "Nov 27, 2026", "27 de noviembre de 2026"),
        ("en", "Nov 27, 2026", "November 27, 2026"),
    ],
)
def test_date_of_injection_prints_in_the_handouts_language(
    tmp_path: Path, lang: str, given: str, printed: str
) -> None:
    """``visit.date`` is a date field (as ``visit.follow_up``): the engine writes it out in
    the sheet's language, never as typed (an English date stood on the Spanish sheet)."""
    pdf = _build(tmp_path, "--lang", lang, "--set", f"visit.date={given}")
    label = {"en": "Date of injection", "es": "Fecha de la inyección"}[lang]
    with pdfplumber.open(pdf) as doc:
        lines = [line["text"] for line in doc.pages[0].extract_text_lines()]
    (line,) = [t for t in lines if label in t]
    assert line.endswith(f"{label} {printed}"), line


@pytest.mark.parametrize("given", ["12/02/2026", "2026-02-30", "Dec 32, 2026", "next Tuesday"])
def test_a_date_of_injection_that_is_not_a_date_is_one_line(tmp_path: Path, given: str) -> None:
    res = run_cli(
        "build", "tpi-aftercare", "-o", str(tmp_path / "x.pdf"), "--set", f"visit.date={given}"
    )
    assert assert_clean_error(res) == [
        "--set visit.date: expected a date as YYYY-MM-DD, or a date and time as YYYY-MM-DD HH:MM"
    ]
    assert not (tmp_path / "x.pdf").exists()
