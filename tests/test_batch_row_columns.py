"""A mailing's ``row.*`` columns (and personal fields given as headers, ``visit.date``) are
checked as the name and address are: a value the letter prints that cannot be printed as
written (U+FFFD, a control character, a character no font has, an emoji, right-to-left text)
refuses its row, named by record, line and column in rejects.csv, never by its value; the
other rows are made. A column the letter does not print is not checked."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from . import pdfcheck
from .conftest import assert_clean_error, run_cli

HEADER = ["first_name", "last_name", "address1", "city", "state", "zip", "Visit Date", "Notes"]
GOOD = "November 20"
#: (Visit Date, Notes) of each row, and the reason rejects.csv gives ("": made)
ROWS = [
    (GOOD, "ok", ""),
    ("Nov\ufffd 20", "ok", "has the replacement character U+FFFD (character 4): a letter was "
     "lost when the file was exported; correct the row and export it again"),
    ("Nov \u738b 20", "ok", "has a character no bundled font can print (character 5)"),
    ("Nov\x07 20", "ok", "has a control character (character 4)"),
    ("Nov \U0001f600 20", "ok", "has an emoji or another character beyond the basic plane "
     "(character 5); remove it from the export"),
    ("Nov \u05d3\u05e0 20", "ok", "has right-to-left text (Arabic, Hebrew …, character 5), "
     "which the letter cannot print in reading order: send this one by hand"),
    # the letter does not print Notes: nothing there refuses the row
    ("November 21", "\ufffd \u738b \x07 \U0001f600", ""),
]  # fmt: skip


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    return path


def _rows() -> list[list[str]]:
    return [
        [f"Pat{i}", "Lee", f"{i} Oak Ave", "Salem", "OR", "97301", day, notes]
        for i, (day, notes, _) in enumerate(ROWS, start=1)
    ]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("mode", ["--merged", "--out-dir"])
def test_a_row_column_the_letter_prints_is_checked_as_the_address_is(
    tmp_path: Path, mode: str
) -> None:
    src = _csv(tmp_path / "r.csv", HEADER, _rows())
    out = tmp_path / "o" / "mail.pdf" if mode == "--merged" else tmp_path / "o"
    res = run_cli("batch", "tpi-follow-up", "--recipients", str(src), mode, str(out), "--proof")
    err = assert_clean_error(res, 3)
    refused = [(i, why) for i, (_, _, why) in enumerate(ROWS, start=1) if why]
    made = [i for i, (_, _, why) in enumerate(ROWS, start=1) if not why]
    assert f"{len(ROWS)} records: {len(made)} made, {len(refused)} rejected, 0 blank" in res.stdout
    rejects_file = out.with_suffix(".rejects.csv") if mode == "--merged" else out / "rejects.csv"
    assert err[-1] == f"{len(refused)} row(s) rejected: see {rejects_file}"
    rejects = _read(rejects_file)
    assert [(int(r["record"]), int(r["line"]), r["field"], r["reason"]) for r in rejects] == [
        (i, i + 1, "Visit Date", why) for i, why in refused
    ]
    raw = rejects_file.read_text(encoding="utf-8")
    assert "Nov" not in raw and "Pat" not in raw and "Oak" not in raw  # never a row's value
    if mode == "--merged":
        manifest = _read(out.with_suffix(".manifest.csv"))
        text = pdfcheck.text(out)
    else:
        manifest = _read(out / "manifest.csv")
        text = "".join(pdfcheck.text(out / r["file"]) for r in manifest)
    assert [int(r["record"]) for r in manifest] == made
    assert f"clinic on {GOOD}." in text and "clinic on November 21." in text
    assert text.count("clinic on ") == len(made)  # none of the refused rows' letters


def test_a_personal_field_column_is_named_as_the_csv_names_it(tmp_path: Path) -> None:
    """``visit.date`` as a header: refused in the row check's words, the column as its header
    says (it was "--set visit.date", compose's words for a command-line option)."""
    header = [*HEADER[:6], "visit.date", "Visit Date"]
    rows = [[*r[:6], r[6], GOOD] for r in _rows()[:5]]
    src = _csv(tmp_path / "r.csv", header, rows)
    out = tmp_path / "mail.pdf"
    res = run_cli("batch", "tpi-follow-up", "--recipients", str(src), "--merged", str(out),
                  "--proof")  # fmt: skip
    assert_clean_error(res, 3)
    rejects = _read(out.with_suffix(".rejects.csv"))
    assert [(r["record"], r["field"], r["reason"]) for r in rejects] == [
        (str(i), "visit.date", why) for i, (_, _, why) in enumerate(ROWS[:5], start=1) if why
    ]
