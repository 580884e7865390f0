"""Invisible direction controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) in a
personal value: one rule (``scripts.direction_refusal``) for ``batch`` rows, ``build --set``
and the front desk. The value is refused, never printed and never silently changed (a
mailing dropped them, and "Diaz\\u202e" printed as "Diaz" while the text someone typed said
otherwise; "\\u202eevil" reads "live" in a viewer): the field is named (the record, line
and column in a mailing's rejects.csv), the value never is, and the other rows are made."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from . import pdfcheck
from .conftest import assert_clean_error, run_cli
from .test_web import FORM, post

CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def said(*chars: str) -> str:
    codes = ", ".join(f"U+{ord(c):04X}" for c in chars)
    return (
        f"has invisible direction controls ({codes}), which change the order the text is "
        "read in (or print as boxes): remove them"
    )


HEADER = ["first_name", "last_name", "address1", "city", "state", "zip", "Visit Date",
          "language", "Notes"]  # fmt: skip


def _row(i: int, **cells: str) -> list[str]:
    row = dict(zip(HEADER, [f"Pat{i}", "Lee", f"{i} Oak Ave", "Salem", "OR", "97301",
                            "November 20", "", "ok"], strict=True))  # fmt: skip
    row.update(cells)
    return list(row.values())


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_batch_refuses_a_direction_control_in_any_field_it_reads(tmp_path: Path) -> None:
    rows = [_row(1)]  # (made)
    expected = []
    fields = ["first_name", "last_name", "address1", "city", "Visit Date"]
    for n, ch in enumerate(CONTROLS):  # every control, in a field the letter prints
        column = fields[n % len(fields)]
        value = {"Visit Date": "November 20"}.get(column, rows[0][HEADER.index(column)])
        rows.append(_row(n + 2, **{column: f"{value[:2]}{ch}{value[2:]}"}))
        expected.append((str(n + 2), column, said(ch)))
    rows.append(_row(len(rows) + 1, zip="97301\u200e"))  # and in what picks the letter
    expected.append((str(len(rows)), "zip", said("\u200e")))
    rows.append(_row(len(rows) + 1, language="es\u200f"))
    expected.append((str(len(rows)), "language", said("\u200f")))
    rows.append(_row(len(rows) + 1, Notes="\u202eevil"))  # (the letter does not print Notes)
    src = tmp_path / "r.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    out = tmp_path / "o" / "mail.pdf"
    res = run_cli("batch", "tpi-follow-up", "--recipients", str(src), "--merged", str(out),
                  "--proof")  # fmt: skip
    err = assert_clean_error(res, 3)
    n = len(rows)
    assert f"{n} records: 2 made, {n - 2} rejected, 0 blank" in res.stdout
    rejects_file = out.with_suffix(".rejects.csv")
    assert err[-1] == f"{n - 2} row(s) rejected: see {rejects_file}"
    assert [(r["record"], r["field"], r["reason"]) for r in _read(rejects_file)] == expected
    assert "Pat" not in rejects_file.read_text(encoding="utf-8")  # never the value
    assert [r["record"] for r in _read(out.with_suffix(".manifest.csv"))] == ["1", str(n)]
    text = pdfcheck.text(out)
    assert "Pat1 Lee" in text and f"Pat{n} Lee" in text and "Pat2 " not in text


@pytest.mark.parametrize("ch", ["\u202e", "\u200f", "\u2066"])
def test_set_refuses_a_direction_control_naming_the_option(tmp_path: Path, ch: str) -> None:
    out = tmp_path / "sheet.pdf"
    res = run_cli("build", "tpi-aftercare", "--layout", "sheet", "-o", str(out),
                  "--set", f"patient.name=Ana {ch}Ruiz")  # fmt: skip
    assert assert_clean_error(res, 1) == [f"--set patient.name: {said(ch)}"]
    assert not out.exists()


def test_the_desk_refuses_a_direction_control_as_a_422_tied_to_its_field(client) -> None:
    for url in ("/preview", "/download"):
        res = post(client, url, {**FORM, "field.patient.name": "Zeb \u202enolubeZ"})
        assert res.status_code == 422, res.get_data()[:300]
        assert res.get_json()["problems"] == [{"field": "patient.name", "message": said("\u202e")}]
        assert "nolub" not in res.get_data(as_text=True)
