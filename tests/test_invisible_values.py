"""Personal values with characters a clinic never means to print, the same way in
``build --set``, ``batch`` rows and the front desk:

- the replacement character U+FFFD (a letter lost in a copy or an export): refused, naming
  the field (the row and column in a mailing; a 400 tied to the field at the desk);
- invisible characters (soft hyphen, zero-width space, non-joiner and joiner, word joiner,
  BOM): dropped, so the PDF is the one made from the value without them (they printed into
  the text layer: "Ana\\u200b Ruiz" was found by neither search nor a screen reader as
  typed, and a soft hyphen could print as a stray hyphen).

The value itself is never in an error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import assert_clean_error, run_cli
from .test_batch_mailing import OLD, edit, read_csv, write_csv
from .test_web import FORM, SECRET, post
from .test_web_hostile import pdf_text

INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
LOST = (
    "has the replacement character U+FFFD (character 4): a letter was lost when the text was "
    "copied or exported; type it again"
)


def test_set_value_with_a_replacement_character_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    res = run_cli("build", "tpi-aftercare", "--set", "patient.name=Zeb\ufffdulon", "-o", str(out))
    assert assert_clean_error(res) == [f"--set patient.name: {LOST}"]
    assert "ulon" not in res.stderr and not out.exists()


@pytest.mark.parametrize("ch", list(INVISIBLE), ids=lambda c: f"U+{ord(c):04X}")
def test_set_value_invisible_characters_are_dropped(tmp_path: Path, ch: str) -> None:
    plain, odd = tmp_path / "plain.pdf", tmp_path / "odd.pdf"
    for value, out in (("Ana Ruiz", plain), (f"An{ch}a Ruiz{ch}", odd)):
        res = run_cli("build", "tpi-aftercare", "--set", f"patient.name={value}", "-o", str(out))
        assert res.returncode == 0, res.stderr
    assert odd.read_bytes() == plain.read_bytes()


def test_a_value_of_only_invisible_characters_is_a_write_in_line(tmp_path: Path) -> None:
    blank, odd = tmp_path / "blank.pdf", tmp_path / "odd.pdf"
    assert run_cli("build", "tpi-aftercare", "-o", str(blank)).returncode == 0
    res = run_cli("build", "tpi-aftercare", "--set", f"patient.name={INVISIBLE}", "-o", str(odd))
    assert res.returncode == 0, res.stderr
    assert odd.read_bytes() == blank.read_bytes()


def test_batch_rows_refuse_u_fffd_naming_record_and_column_and_drop_invisible(
    project: Path, tmp_path: Path
) -> None:
    text = "{{ patient.first_name }}, see you on {{ visit.day }}."
    edit(project, "tpi-aftercare.yaml", OLD, text)
    edit(project, "tpi-aftercare.yaml", "layouts: [sheet]", "layouts: [letter]")
    header = ["first_name", "last_name", "address1", "city", "state", "zip", "visit.day"]
    rows = [
        ["Ana", "Ruiz", "1 Main St", "Fresno", "CA", "93701", "Mon\ufffdday"],
        ["Bo", "L\ufffdi", "2 Main St", "Fresno", "CA", "93701", "Friday"],
        ["C\u00ady", "Park", "3 Main St", "Fresno", "CA", "93701", "Tues\u200bday"],
    ]
    src = write_csv(tmp_path / "r.csv", rows, header=header)
    out = tmp_path / "o"
    res = run_cli("batch", "tpi-aftercare", "--recipients", str(src), "--out-dir", str(out),
                  "--proof", cwd=project)  # fmt: skip
    assert_clean_error(res, 3)
    assert "3 records: 1 made, 2 rejected, 0 blank" in res.stdout
    exported = "a letter was lost when the file was exported; correct the row and export it again"
    assert [(r["record"], r["field"], r["reason"]) for r in read_csv(out / "rejects.csv")] == [
        ("1", "visit.day", f"has the replacement character U+FFFD (character 4): {exported}"),
        ("2", "last_name", f"has the replacement character U+FFFD (character 2): {exported}"),
    ]
    (made,) = sorted(out.glob("*.pdf"))
    assert "Cy, see you on Tuesday." in pdf_text(made.read_bytes())


def test_the_desk_refuses_u_fffd_as_a_400_tied_to_its_field(client) -> None:
    for url in ("/preview", "/download"):
        res = post(client, url, {**FORM, "field.patient.name": "Zeb\ufffdulon"})
        assert res.status_code == 400, res.get_data()[:300]
        assert res.get_json()["problems"] == [{"field": "patient.name", "message": LOST}]
        assert "ulon" not in res.get_data(as_text=True)


def test_the_desk_drops_invisible_characters(client) -> None:
    odd = "".join(ch + INVISIBLE for ch in SECRET)
    made = [post(client, "/download", {**FORM, "field.patient.name": v}) for v in (SECRET, odd)]
    assert [r.status_code for r in made] == [200, 200]
    assert made[1].data == made[0].data and SECRET in pdf_text(made[1].data)
