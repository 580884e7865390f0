"""Details of the layouts: write-in labels on sheets, dates in the content's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import pdfcheck, shipped
from .conftest import assert_clean_error, run_cli


def head_labels(handout: str) -> tuple[str, ...]:
    """The labels of the fields at the head of the sheet (not those an appointment box on a
    later section shows), read from the shipped YAML."""
    in_box = {
        key for s in shipped.sections(handout) for key in (s.get("tool") or {}).get("fields", [])
    }
    fields = shipped.content(handout)["fields"]
    return tuple(str(f["label"]) for f in fields if f["key"] not in in_box)


@pytest.mark.parametrize(
    ("handout", "layout", "labels"),
    [
        ("tpi-aftercare", "sheet", head_labels("tpi-aftercare")),
        # the narrowest sheet, the longest labels
        ("tpi-aftercare.es", "sheet-a4", head_labels("tpi-aftercare.es")),
    ],
)
def test_sheet_field_labels_are_10_pt_bold_on_one_line(
    tmp_path: Path, handout: str, layout: str, labels: tuple[str, ...]
) -> None:
    pdf = tmp_path / "sheet.pdf"
    res = run_cli("build", handout, "--layout", layout, "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    assert len(pdfcheck.page_sizes(pdf)) == 2  # the aftercare sheet: "When to call" on page 1
    chars = [c for c in pdfcheck.chars(pdf) if c.text.strip()]
    lines: dict[int, str] = {}
    for c in sorted(chars, key=lambda c: c.x0):
        # (page 1: the follow-up visit's fields are in their own box further on)
        if c.page == 1 and abs(c.size - 10) < 0.05 and "Bold" in c.font:
            lines[round(c.top)] = lines.get(round(c.top), "") + c.text
    # three rows of two fields (the tick boxes and the body map side by side): each label on
    # one line, at 10 pt bold
    found = " ".join(lines[top] for top in sorted(lines))
    assert len(lines) == 3, lines
    for label in labels:
        assert label.replace(" ", "") in found, (label, found)


def test_a_label_too_long_for_its_line_is_an_error(project: Path) -> None:
    handout = project / "handouts" / "tpi-aftercare.yaml"
    text = handout.read_text()
    assert "label: Date of injection," in text
    handout.write_text(
        text.replace("label: Date of injection,", "label: Date and place of the injections,")
    )
    res = run_cli("build", "tpi-aftercare", "--out-dir", "out", cwd=project)
    line = next(
        i for i, ln in enumerate(handout.read_text().splitlines(), 1) if "Date and place" in ln
    )
    assert assert_clean_error(res, 1) == [
        f"handouts/tpi-aftercare.yaml:{line}:30: fields[1].label: sheet: too long for one line "
        "beside its write-in line (126 pt at 10 pt); shorten it"
    ]
    assert not (project / "out").exists() or not list((project / "out").iterdir())


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Printed on November 27, 2026."),
        ("es", "Printed on 27 de noviembre de 2026."),
        ("es-MX", "Printed on 27 de noviembre de 2026."),
        ("de", "Printed on November 27, 2026."),  # no strings file for German: English
    ],
)
def test_longdate_is_written_in_the_handouts_language(
    tmp_path: Path, language: str, expected: str
) -> None:
    source = tmp_path / "dated.yaml"
    source.write_text(
        f"title: Dated\nlanguage: {language}\nform: T-DATE\nrevised: 2026-10-01\n"
        "review: {status: draft}\nlayouts: [sheet]\nsections:\n"
        "  - heading: Today\n    body: Printed on {{ today | longdate }}.\n"
    )
    pdf = tmp_path / "dated.pdf"
    # run_cli fixes SOURCE_DATE_EPOCH (2026-11-27), which fixes ``today``
    res = run_cli("build", str(source), "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    assert expected in pdfcheck.words(pdf)


def test_a_brand_too_long_for_the_footer_is_named_at_its_line(
    project: Path, tmp_path: Path
) -> None:
    """The footer's contact lines come from the brand: the error points at the brand file."""
    brand = project / "layouts" / "brands" / "palomar.yaml"
    text = brand.read_text(encoding="utf-8")
    old = '"100 Sample Street, Suite 200"'
    assert old in text
    long = '"100 Sample Street, Building Seven, Suite 200, Third Floor, East Wing, Plaza"'
    brand.write_text(text.replace(old, long), encoding="utf-8")
    line_no = next(i for i, t in enumerate(text.splitlines(), 1) if old in t)
    out = tmp_path / "x.pdf"
    res = run_cli("build", "tpi-aftercare", "--layout", "sheet", "-o", str(out), cwd=project)
    lines = assert_clean_error(res, 1)
    assert lines == [
        f"layouts/brands/palomar.yaml:{line_no}:12: contact.address: the footer contact line "
        "does not fit the sheet layout by 1 line (11 pt); shorten it"
    ]
    assert not out.exists()
