"""A letter whose text uses a CSV column (``{{ row.visit_date }}``) and a CSV without that
column: one line at the CSV's header naming the column and where the handout uses it, exit 1,
nothing written. (It said "undefined variable 'row.visit_date' (did you mean 'row.state'?)"
once per language, at the handout's lines, and never that the CSV lacks a column.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import ROOT, assert_clean_error, run_cli


def _uses(handout: str) -> str:
    """``path:line:col`` of ``row.visit_date`` in a shipped handout file."""
    lines = (ROOT / "handouts" / f"{handout}.yaml").read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if "{{ row.visit_date }}" in line)
    return f"handouts/{handout}.yaml:{at + 1}:{lines[at].index('row.visit_date') + 1}"


@pytest.mark.parametrize("output", ["--merged", "--out-dir"])
def test_a_missing_column_is_one_line_at_the_csv_header(tmp_path: Path, output: str) -> None:
    src = tmp_path / "patients.csv"
    src.write_text(
        "First Name,Last Name,Street,City,State,ZIP\nAna,Ruiz,1 Main St,Escondido,CA,92025\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    target = out / "mailing.pdf" if output == "--merged" else out
    res = run_cli(
        "batch", "tpi-follow-up", "--recipients", str(src), output, str(target), "--proof"
    )
    (line,) = assert_clean_error(res, 1)
    assert line.startswith(f"{src}:1: header: no 'visit_date' column, ")
    # which field of which handout uses it, in both languages
    en, es = _uses("tpi-follow-up"), _uses("tpi-follow-up.es")
    assert re.search(rf"{re.escape(en)}: sections\[\d+\]\.body; also {re.escape(es)}: ", line)
    assert "{{ row.visit_date }}" in line and "add a 'Visit Date' column" in line
    assert "undefined variable" not in line and "did you mean" not in line
    assert "Ana" not in res.stderr and "Ruiz" not in res.stderr  # no patient data
    assert not out.exists()  # before any output


def test_a_column_with_nearly_the_name_stays_a_misspelling_at_the_handout(tmp_path: Path) -> None:
    src = tmp_path / "patients.csv"
    src.write_text(
        "First Name,Last Name,Street,City,State,ZIP,Visit Dat\n"
        "Ana,Ruiz,1 Main St,Escondido,CA,92025,soon\n",
        encoding="utf-8",
    )
    res = run_cli(
        "batch", "tpi-follow-up", "--recipients", str(src), "--merged",
        str(tmp_path / "out" / "m.pdf"), "--proof",
    )  # fmt: skip
    lines = assert_clean_error(res, 1)
    assert lines[0].startswith(f"{_uses('tpi-follow-up')}: sections[")
    assert lines[0].endswith("undefined variable 'row.visit_date' (did you mean 'row.visit_dat'?)")
    assert not (tmp_path / "out").exists()
