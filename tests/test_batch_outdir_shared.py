"""`batch --out-dir`: what every file shares is made once per process (font subsets, stream
compression, the composed letter), and each file is still exactly what it was, with only
its own recipient's data in it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from handoutpress.batch import shared_bytes, worker

from .conftest import ROOT, run_cli
from .pdfcheck import qpdf_check, text
from .test_batch import write_csv

HEADER = ["first_name", "last_name", "street", "city", "state", "zip"]
ROWS = [
    ["Wilhelmina", "Quayle", "1520 King St", "Portland", "OR", "97205"],
    ["Bonaventura", "Zamorano", "77 Elmhurst St", "Salem", "OR", "97301"],
    ["Józef", "Vukovich", "9 Pine St", "Boise", "ID", "83702"],
]


def out_dir_run(tmp_path: Path, name: str) -> dict[str, bytes]:
    src = write_csv(tmp_path / f"{name}.csv", ROWS, header=HEADER)
    out = tmp_path / name
    res = run_cli(
        "batch", str(ROOT / "bench/peer-letter.yaml"), "--recipients", str(src),
        "--brand", str(ROOT / "bench/riverside.yaml"), "--jobs", "1", "--out-dir", str(out),
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))}


def test_files_made_with_shared_bytes_are_the_files_made_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The full path (each file laid out on its own: letters with text of their own, and
    recipients no byte template serves, test_batch_outdir_template.py)."""
    monkeypatch.setattr(worker.Job, "use_templates", False)
    shared_bytes.uninstall()
    cached = out_dir_run(tmp_path, "cached")
    assert len(cached) == len(ROWS)
    # the second and third files reused a font subset (the faces the names are not set in)
    # and compressed streams (fonts, maps, pages with no personal text) of the first one
    assert shared_bytes.SUBSETS.hits >= len(ROWS) - 1
    assert shared_bytes.STREAMS.hits >= 2 * (len(ROWS) - 1)
    shared_bytes.uninstall()
    monkeypatch.setattr(worker, "install_shared_bytes", lambda: None)
    plain = out_dir_run(tmp_path, "plain")
    assert shared_bytes.SUBSETS.hits == shared_bytes.STREAMS.hits == 0
    assert cached == plain


def test_each_file_holds_only_its_own_recipient(tmp_path: Path) -> None:
    shared_bytes.uninstall()
    files = out_dir_run(tmp_path, "private")
    for (name, data), row in zip(files.items(), ROWS, strict=True):
        path = tmp_path / name
        path.write_bytes(data)
        qpdf_check(path)
        shown = text(path)
        assert f"{row[0]} {row[1]}" in shown
        qdf = subprocess.run(
            ["qpdf", "--qdf", "--object-streams=disable", str(path), "-"],
            capture_output=True,
            check=True,
        ).stdout
        for other in ROWS:
            if other is row:
                continue
            for value in (other[0], other[1], other[2]):
                assert value not in shown
                assert value.encode() not in qdf
