"""The row check's plain lane (issue 15.3): the common row checked in one pass gives what
the full check gives — the same letters (addressee, language), duplicate keys and counts
for good rows, and every other row (special characters, a state name, a short ZIP, a
barcode, a language, a line too long for the window) left to the full check, which
refuses it with the same message."""

from __future__ import annotations

import csv
import random
import subprocess
from pathlib import Path

import pytest

from handoutpress.batch import rowcheck, worker

from .conftest import run_cli

FIRST = ["Mary", "José", "Zoë", "Pat & Lee", "Łucja", "Thảo", "Søren", "Iñaki", "Ann", ""]
LAST = ["Smith", "Muñoz", "O'Brien", "Nguyễn", "Åström", "DuBois-O'Hara", "Brontë", "Šimek"]
STREETS = ["1520 King's Rd", "77 St. Mary's Way", "9 Oak Ave", "12 Calle Niño", "4 Rue Élysée"]
UNITS = ["", "", "Apt 2B", "Unit 14", "#305"]
CITIES = [("Portland", "OR", "97205"), ("Española", "NM", "87532"), ("Boston", "MA", "02134")]

#: rows the plain lane must leave to the full check (each refused or changed by it)
ODD = [
    ["Ana  Ruiz", "Diaz", "1 Oak Ave", "", "Salem", "OR", "97301"],  # double space
    [" Ana", "Diaz", "1 Oak Ave", "", "Salem", "OR", "97301"],  # leading space
    ["Ana ", "Diaz", "1 Oak Ave", "", "Salem", "OR", "97301"],  # trailing space
    ["Ana\tB", "Diaz", "1 Oak Ave", "", "Salem", "OR", "97301"],  # a tab
    ["Ana\u00a0B", "Diaz", "1 Oak Ave", "", "Salem", "OR", "97301"],  # no-break space
    ["An\u00ada", "Diaz", "1 Oak Ave", "", "Salem", "OR", "97301"],  # soft hyphen
    ["An\u200ba", "Diaz", "1 Oak Ave", "", "Salem", "OR", "97301"],  # zero-width space
    ["Ana", "Nguye\u0302\u0303n", "1 Oak Ave", "", "Salem", "OR", "97301"],  # decomposed
    ["Ana", "\u212bstr\u00f6m", "1 Oak Ave", "", "Salem", "OR", "97301"],  # Angstrom sign
    ["Ana \U0001f600", "Diaz", "1 Oak Ave", "", "Salem", "OR", "97301"],  # emoji
    ["\u05d3\u05e0\u05d4", "Diaz", "1 Oak Ave", "", "Salem", "OR", "97301"],  # Hebrew
    ["Ana\x07", "Diaz", "1 Oak Ave", "", "Salem", "OR", "97301"],  # a control character
    ["Ana\u0085", "Diaz", "1 Oak Ave", "", "Salem", "OR", "97301"],  # C1 control
    ["\u738b\u5c0f\u660e", "Diaz", "1 Oak Ave", "", "Salem", "OR", "97301"],  # no font
    ["Ana", "Diaz", "1 Oak Ave", "", "Salem", "XX", "97301"],  # no state
    ["Ana", "Diaz", "1 Oak Ave", "", "Boston", "MA", "2134"],  # Excel's lost zero
    ["Ana", "Diaz", "1 Oak Ave", "", "Salem", "OR", "97301-1234"],  # ZIP+4
    ["Ana", "Diaz", "1 Oak Ave", "", "Salem", "OR", "9730"],  # short ZIP
    ["Ana", "Diaz", "1 Oak Ave", "", "Salem", "OR", "97301.0"],  # Excel's number
    ["Ana", "Diaz", "1 Oak Ave", "", "", "OR", "97301"],  # no city
    ["", "Diaz", "1 Oak Ave", "", "Salem", "OR", "97301"],  # no first name
    ["Ana", "Diaz", "", "", "Salem", "OR", "97301"],  # no street
    ["Ana", "W" * 60, "1 Oak Ave", "", "Salem", "OR", "97301"],  # too long for the window
    ["A" * 90, "Diaz", "1 Oak Ave", "", "Salem", "OR", "97301"],  # and for the greeting
    ["Ana", "Diaz", "12345 Extraordinarily Long Boulevard Northwest Extension", "", "Salem", "OR",
     "97301"],  # a street too long for the window
    ["Ana", "Diaz", "1 Oak\nAve", "", "Salem", "OR", "97301"],  # a line break
    ["Ana", "Diaz", "1 Oak Ave", "", "Salem", "OR", "97301", "extra"],  # a cell too many
    ["Ana", "Diaz", "1 Oak Ave", "", "Salem", "OR"],  # a cell short
]  # fmt: skip
#: unusual rows the lane takes (the same letter as the full check: compared)
PLAIN = [
    ["Ana", "Diaz", "1 Oak Ave", "", "Salem", "or", "97301"],  # lower-case state
    ["Ana", "Diaz", "1 Oak Ave", "", "Salem", "Oregon", "97301"],  # state name
    ["Ana", "Diaz", "1234 Extraordinarily Long Boulevard", "Apartment 1234", "Salem", "OR",
     "97301"],  # address2 under address1
]  # fmt: skip


def _rows(n: int) -> list[list[str]]:
    rng = random.Random(15_3)
    out = []
    for _ in range(n):
        city, st, zipc = rng.choice(CITIES)
        out.append(
            [rng.choice(FIRST), rng.choice(LAST), rng.choice(STREETS), rng.choice(UNITS), city,
             st, zipc]
        )  # fmt: skip
    out += ODD + PLAIN
    out += [out[0], out[5]]  # duplicates of earlier rows
    return out


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


HEADER = ["first_name", "last_name", "address1", "address2", "city", "state", "zip"]


def _compared(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Every chunk checked both ways (compared); counts the rows the lane took."""
    seen: dict[str, int] = {"rows": 0, "lane": 0}
    took: set[int] = set()
    real = rowcheck.check_rows

    def both(job, rows):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(rowcheck, "PLAIN_LANE", False)
        full = real(job, rows)
        monkeypatch.setattr(rowcheck, "PLAIN_LANE", True)
        lane = rowcheck.plain_lane(job)
        assert lane is not None
        seen["rows"] += len(rows)
        took.update(r[0] for r in rows if lane.letter(*r) is not None)
        seen["lane"] = len(took)
        fast = real(job, rows)
        assert fast.letters == full.letters
        assert fast.rejects == full.rejects
        assert fast.keys == full.keys
        assert fast.fallbacks == full.fallbacks and fast.zip_restored == full.zip_restored
        return fast

    monkeypatch.setattr(worker, "check_rows", both)
    _compared.took = took  # type: ignore[attr-defined]
    return seen


def _mail(
    handout: str, src: Path, out: Path, chunk: int | None = None
) -> subprocess.CompletedProcess[str]:
    """``batch HANDOUT --recipients SRC --merged OUT --proof`` in this process (so that
    ``_compared`` sees its rows), in chunks of ``chunk`` rows when given."""
    env = {"HANDOUTS_BATCH_CHUNK": str(chunk)} if chunk else None
    return run_cli(
        "batch", handout, "--recipients", str(src), "--merged", str(out), "--proof",
        env=env, process=False,
    )  # fmt: skip


def test_the_plain_lane_checks_rows_as_the_full_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _rows(400)
    src = _write(tmp_path / "r.csv", HEADER, rows)
    seen = _compared(monkeypatch)
    out = tmp_path / "out" / "mail.pdf"
    res = _mail("tpi-aftercare", src, out, chunk=50)
    assert res.returncode == 3, res.stderr  # (the odd rows refused)
    assert seen["rows"] == len(rows)
    assert 250 < seen["lane"] < 400  # most rows took the lane, none of the odd ones
    odd = set(range(401, 401 + len(ODD)))  # their records (the first row is record 1)
    assert not odd & _compared.took  # type: ignore[attr-defined]
    plain = set(range(401 + len(ODD), 401 + len(ODD) + len(PLAIN)))
    assert plain <= _compared.took  # type: ignore[attr-defined]
    assert "duplicate(s) warned" in res.stdout  # (the keys: compared above)
    rejects = out.with_suffix(".rejects.csv").read_text(encoding="utf-8")
    assert "\n401,402,first_name,missing" not in rejects  # (a double space: cleaned)
    assert "has right-to-left text" in rejects and "got a decimal number" in rejects
    assert "address1 is too long for the envelope window" in rejects


def test_rows_with_a_name_column_and_a_language_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    header = ["name", "address1", "city", "state", "zip", "language"]
    rows = [
        ["Ruiz, Ana M", "1 Oak Ave", "Salem", "OR", "97301", ""],
        ["Mr. John Smith", "2 Oak Ave", "Salem", "OR", "97301", ""],
        ["José Muñoz", "3 Oak Ave", "Salem", "OR", "97301", "Spanish"],
        ["Zoë Brontë", "4 Oak Ave", "Salem", "OR", "97301", "en"],
        ["John Smith, Jr.", "5 Oak Ave", "Salem", "OR", "97301", "xx-unknown"],
    ]
    src = _write(tmp_path / "r.csv", header, rows)
    seen = _compared(monkeypatch)
    res = _mail("tpi-aftercare", src, tmp_path / "o" / "m.pdf")
    assert res.returncode == 0, res.stderr
    assert seen == {"rows": 5, "lane": 2}  # the rows that ask for no language


def test_the_same_mailing_with_and_without_the_plain_lane(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _write(tmp_path / "r.csv", HEADER, _rows(60))
    made = {}
    for on in (True, False):
        monkeypatch.setattr(rowcheck, "PLAIN_LANE", on)
        out = tmp_path / str(on) / "mail.pdf"
        res = _mail("tpi-aftercare", src, out)
        assert res.returncode == 3, res.stderr
        made[on] = (
            res.stdout.replace(str(tmp_path / str(on)), ""),
            res.stderr.replace(str(tmp_path / str(on)), ""),
            out.read_bytes(),
            out.with_suffix(".manifest.csv").read_bytes(),
            out.with_suffix(".rejects.csv").read_bytes(),
        )
    assert made[True] == made[False]


def test_the_plain_lane_gives_a_personal_letter_its_values_as_the_full_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A letter with text of its own (``row.visit_date`` in its text): the lane's letters
    carry the row's personal values (``patient.*``, a ``visit.date`` column) and columns
    in the full check's order, compared letter by letter."""
    header = [*HEADER, "Visit Date", "visit.date", "notes"]
    rows = [
        [*r, f"November {i % 28 + 1}, 2026", f"2026-11-{i % 28 + 1:02d}", "" if i % 3 else "x"]
        for i, r in enumerate(_rows(120))
    ]
    src = _write(tmp_path / "r.csv", header, rows)
    seen = _compared(monkeypatch)
    out = tmp_path / "out" / "mail.pdf"
    res = _mail("tpi-follow-up", src, out, chunk=50)
    assert res.returncode == 3, res.stderr  # (the odd rows refused)
    assert seen["rows"] == len(rows)
    assert 80 < seen["lane"] < len(rows)
    assert "on November 1, 2026" in " ".join(text_of(out).split())


def text_of(pdf: Path) -> str:
    from .pdfcheck import text

    return text(pdf)
