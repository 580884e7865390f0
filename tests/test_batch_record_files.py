"""A mailing's manifest and rejects file are named after it (``mailing.pdf``:
``mailing.manifest.csv``, ``mailing.rejects.csv``): a second ``batch --merged`` into the same
folder keeps its own and leaves the first mailing's as they were. An ``--out-dir`` folder
(one run's letters) holds ``manifest.csv`` and ``rejects.csv``."""

from __future__ import annotations

import csv
from pathlib import Path

from .conftest import assert_clean_error, run_cli

HEADER = "first_name,last_name,address1,city,state,zip\n"


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _batch(*args: str) -> list[str]:
    res = run_cli("batch", "tpi-aftercare", "--proof", *args)
    assert res.returncode in (0, 3), res.stderr
    return res.stdout.splitlines()


def test_two_mailings_in_one_folder_keep_their_own_manifest_and_rejects(tmp_path: Path) -> None:
    first = _csv(
        tmp_path / "first.csv",
        ["Ana,Ruiz,1 Main St,Escondido,CA,92025", "Bo,Li,,Escondido,CA,92026"],
    )
    second = _csv(
        tmp_path / "second.csv",
        ["Cy,Day,2 Oak Ave,Escondido,CA,92025", "Di,Eng,3 Elm St,Escondido,CA,92027"],
    )
    out = tmp_path / "out"
    said = _batch("--recipients", str(first), "--merged", str(out / "reminders.pdf"))
    assert said[-2:] == [str(out / "reminders.manifest.csv"), str(out / "reminders.rejects.csv")]
    kept = {p.name: p.read_bytes() for p in out.glob("reminders.*.csv")}
    said = _batch("--recipients", str(second), "--merged", str(out / "recalls.pdf"))
    assert said[-2:] == [str(out / "recalls.manifest.csv"), str(out / "recalls.rejects.csv")]
    # the first mailing's files are as it wrote them; nothing is called manifest.csv
    assert {p.name: p.read_bytes() for p in out.glob("reminders.*.csv")} == kept
    assert not (out / "manifest.csv").exists() and not (out / "rejects.csv").exists()
    assert [(r["record"], r["file"]) for r in _read(out / "reminders.manifest.csv")] == [
        ("1", "reminders.pdf")
    ]
    assert [(r["record"], r["field"]) for r in _read(out / "reminders.rejects.csv")] == [
        ("2", "address1")
    ]
    assert [(r["record"], r["file"]) for r in _read(out / "recalls.manifest.csv")] == [
        ("1", "recalls.pdf"),
        ("2", "recalls.pdf"),
    ]
    assert _read(out / "recalls.rejects.csv") == []


def test_out_dir_writes_manifest_and_rejects_in_its_folder(tmp_path: Path) -> None:
    src = _csv(tmp_path / "r.csv", ["Ana,Ruiz,1 Main St,Escondido,CA,92025"])
    out = tmp_path / "letters"
    said = _batch("--recipients", str(src), "--out-dir", str(out))
    assert said[-2:] == [str(out / "manifest.csv"), str(out / "rejects.csv")]
    assert [r["file"] for r in _read(out / "manifest.csv")] == ["000001.pdf"]


def test_a_mailing_may_not_replace_the_csv_it_reads(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    src = _csv(out / "mailing.rejects.csv", ["Ana,Ruiz,1 Main St,Escondido,CA,92025"])
    before = src.read_bytes()
    res = run_cli(
        "batch", "tpi-aftercare", "--proof", "--recipients", str(src),
        "--merged", str(out / "mailing.pdf"),
    )  # fmt: skip
    (line,) = assert_clean_error(res)
    assert line.startswith(f"{src}: is an input of this run")
    assert src.read_bytes() == before and sorted(p.name for p in out.iterdir()) == [src.name]
