"""Mailings and ``check`` agree (issue 9.8-9.10): a mailing's template errors are found
before any row and said once as what they are; a row whose values break the text is a
reject naming the template error; a draft translation no row asks for does not stop the
mailing of an approved handout."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from . import shipped
from .conftest import assert_clean_error, run_cli

HEADER = ["first_name", "last_name", "address1", "city", "state", "zip", "Visit Day"]
ROWS = [
    ["Ana", "Ruiz", "1 Main St", "Fresno", "CA", "93701", "Monday"],
    ["Bo", "Li", "2 Main St", "Fresno", "CA", "93701", "Friday"],
    ["Cy", "Park", "3 Main St", "Fresno", "CA", "93701", "Tuesday"],
]


#: a line of shipped text the tests replace with their own
OLD = shipped.tool_line("tpi-aftercare", "appointment")  # the follow-up section


def layouts_line(h: Path) -> int:
    """The line number of ``layouts:`` in handout ``h``."""
    lines = h.read_text(encoding="utf-8").splitlines()
    return next(i for i, ln in enumerate(lines, 1) if ln.startswith("layouts:"))


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def edit(project: Path, name: str, old: str, new: str) -> Path:
    h = project / "handouts" / name
    text = h.read_text(encoding="utf-8")
    assert old in text
    h.write_text(text.replace(old, new), encoding="utf-8")
    return h


def section_of(h: Path, needle: str) -> int:
    """The index of the section whose text holds ``needle`` (the shipped content moves)."""
    import yaml

    sections = yaml.safe_load(h.read_text(encoding="utf-8"))["sections"]
    return next(i for i, s in enumerate(sections) if needle in s["body"])


def batch(project: Path, *args: str):
    return run_cli("batch", "tpi-aftercare", *args, cwd=project)


def test_a_misspelt_variable_is_one_located_error_before_any_row(
    project: Path, tmp_path: Path
) -> None:
    new = "Keep your follow-up visit on {{ row.visit_dya }}."
    h = edit(project, "tpi-aftercare.yaml", OLD, new)
    line_no, line = next(
        (i, ln) for i, ln in enumerate(h.read_text().splitlines(), 1) if "visit_dya" in ln
    )
    col = line.index("row.visit_dya") + 1
    src = write_csv(tmp_path / "r.csv", ROWS)
    out = tmp_path / "o" / "m.pdf"
    res = batch(project, "--recipients", str(src), "--merged", str(out), "--proof")
    (msg,) = assert_clean_error(res, 1)
    assert msg == (
        f"{h.relative_to(project)}:{line_no}:{col}: sections[{section_of(h, 'visit_dya')}].body: "
        "undefined variable 'row.visit_dya' (did you mean 'row.visit_day'?)"
    )
    assert not out.parent.exists()  # before any row: nothing written


def test_a_patient_field_no_row_has_is_found_before_any_row(project: Path, tmp_path: Path) -> None:
    h = edit(project, "tpi-aftercare.yaml", OLD, "{{ patient.frist_name }}, keep your visit.")
    src = write_csv(tmp_path / "r.csv", ROWS)
    res = batch(project, "--recipients", str(src), "--out-dir", str(tmp_path / "o"), "--proof")
    (msg,) = assert_clean_error(res, 1)
    assert msg.endswith(
        f"sections[{section_of(h, 'frist_name')}].body: undefined variable 'patient.frist_name' "
        "(did you mean 'patient.first_name'?)"
    )


def test_a_row_whose_values_break_the_text_is_a_reject_naming_the_template_error(
    project: Path, tmp_path: Path
) -> None:
    lookup = '{{ {"Monday": "early", "Tuesday": "late"}[row.visit_day] }}'
    h = edit(project, "tpi-aftercare.yaml", OLD, f"Come in {lookup} on {{{{ row.visit_day }}}}.")
    src = write_csv(tmp_path / "r.csv", ROWS)
    out = tmp_path / "o"
    res = batch(project, "--recipients", str(src), "--out-dir", str(out), "--proof")
    assert_clean_error(res, 3)
    assert "3 records: 2 made, 1 rejected, 0 blank" in res.stdout
    (reject,) = read_csv(out / "rejects.csv")
    field = f"sections[{section_of(h, 'Come in')}].body"
    assert (reject["record"], reject["field"]) == ("2", field)
    assert reject["reason"].startswith("the text fails with this row's values: ")
    assert "does not fit" not in reject["reason"]
    assert "Friday" not in (out / "rejects.csv").read_text()  # never the row's value


def test_does_not_fit_is_said_only_when_true(project: Path, tmp_path: Path) -> None:
    edit(project, "tpi-aftercare.yaml", OLD, "{{ row.notes }}")
    # row 2: 9,750 characters, under the 10,000 a text may have (refused before layout), more
    # than the letter holds: laid out, then refused
    rows = [r[:6] + [("word " * n).strip()] for r, n in zip(ROWS, (3, 1950, 3), strict=True)]
    src = write_csv(tmp_path / "r.csv", rows, header=[*HEADER[:6], "Notes"])
    out = tmp_path / "o"
    res = batch(project, "--recipients", str(src), "--out-dir", str(out), "--proof")
    assert_clean_error(res, 3)
    (reject,) = read_csv(out / "rejects.csv")
    assert reject["record"] == "2"
    assert reject["reason"] == "the letter made from this row does not fit the layout"


@pytest.mark.parametrize("lang_column", [False, True])
def test_a_draft_translation_no_row_asks_for_does_not_stop_the_mailing(
    project: Path, tmp_path: Path, lang_column: bool
) -> None:
    """English approved, Spanish still a draft: rows in English are made without --proof;
    a row that asks for Spanish is rejected with that reason (not given English)."""
    edit(
        project,
        "tpi-aftercare.yaml",
        'status: draft\n  reviewed_by: ""',
        "status: approved\n  reviewed_by: Dr. Ana Example",
    )
    brand = project / "layouts" / "brands" / "palomar.yaml"
    brand.write_text(
        brand.read_text(encoding="utf-8").replace("sample: true", "sample: false"), "utf-8"
    )
    header = [*HEADER[:6], "language"]
    rows = [r[:6] + ["en"] for r in ROWS]
    if lang_column:
        rows[1][6] = "es"
    src = write_csv(tmp_path / "r.csv", rows, header=header)
    out = tmp_path / "o"
    res = batch(project, "--recipients", str(src), "--out-dir", str(out))
    if not lang_column:
        assert res.returncode == 0, res.stderr
        assert "3 records: 3 made, 0 rejected, 0 blank" in res.stdout
        return
    assert_clean_error(res, 3)
    assert "3 records: 2 made, 1 rejected, 0 blank" in res.stdout
    (reject,) = read_csv(out / "rejects.csv")
    assert (reject["record"], reject["field"]) == ("2", "language")
    assert "draft" in reject["reason"] and "--proof" in reject["reason"]
    assert re.search(r"\bes\b", reject["reason"])


MAILING_TEXT = "{{ patient.first_name }}, keep your follow-up visit on {{ row.visit_day }}."


def mailing_handout(project: Path, layouts: str = "[letter]") -> Path:
    edit(project, "tpi-aftercare.yaml", OLD, MAILING_TEXT)
    return edit(project, "tpi-aftercare.yaml", "layouts: [sheet]", f"layouts: {layouts}")


def test_check_accepts_what_a_batch_supplies_and_says_so(project: Path) -> None:
    mailing_handout(project)
    res = run_cli("check", "tpi-aftercare", cwd=project)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "undefined variable" not in res.stderr
    assert "  supplied by the CSV (batch): patient.first_name, row.visit_day" in res.stdout
    assert "letter fits" in res.stdout


def test_check_refuses_a_sheet_that_cannot_print_the_csv_fields(project: Path) -> None:
    h = mailing_handout(project, "[sheet]")
    res = run_cli("check", "tpi-aftercare", cwd=project)
    assert res.returncode == 1
    assert (
        f"{h.relative_to(project)}:{layouts_line(h)}:11: layouts[0]: 'sheet' is a sheet: the "
        "text uses patient.first_name, row.visit_day, which only a mailing's CSV supplies"
    ) in res.stderr
    assert "sheet CANNOT BE MADE (not a letter) · letter fits" in res.stdout


def test_build_letter_with_a_row_value_makes_one_letter(project: Path, tmp_path: Path) -> None:
    from .pdfcheck import text as pdftotext

    mailing_handout(project)
    out = tmp_path / "l.pdf"
    res = run_cli("build", "tpi-aftercare", "--layout", "letter", "--set", "row.visit_day=Tuesday",
                  "--set", "patient.first_name=Ana", "-o", str(out), cwd=project)  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "Ana, keep your follow-up visit on Tuesday." in " ".join(pdftotext(out).split())
    # without values: write-in lines, as for any personal field
    res = run_cli("build", "tpi-aftercare", "--layout", "letter", "-o", str(out), cwd=project)
    assert res.returncode == 0, res.stderr
    text = " ".join(pdftotext(out).split())
    assert "______________, keep your follow-up visit on ______________." in text
    # a sheet has no CSV: row.* is not one of its fields
    res = run_cli("build", "tpi-aftercare", "--layout", "sheet", "--set", "row.visit_day=Tue",
                  "-o", str(out), cwd=project)  # fmt: skip
    (line,) = assert_clean_error(res, 1)
    assert line.startswith("--set row.visit_day: not a field of tpi-aftercare")
