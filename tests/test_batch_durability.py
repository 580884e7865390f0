"""What a merged mailing forces to the disk (issue 15.3): the finished outputs (the merged
file, its manifest and rejects) and the job's ``job.json``, not each chunk's part and
journal line; and a part that did not reach the disk (a crash of the machine) is drawn
again on ``--resume``, as its SHA-256 is not the journalled one."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from handoutpress.batch import journal

from .conftest import run_cli
from .test_batch_resume import run_stopped


def _csv(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["first_name", "last_name", "address1", "city", "state", "zip"])
        for i in range(1, n + 1):
            w.writerow([f"Ana{i}", f"Ruiz{i}", f"{i} Oak Ave", "Eugene", "OR", "97401"])
    return path


def _fsynced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files ``os.fsync`` is called on from now on."""
    names: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        names.append(Path(os.readlink(f"/proc/self/fd/{fd}")).name)
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return names


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_a_merged_run_fsyncs_its_outputs_not_each_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _csv(tmp_path / "r.csv", 12)
    out = tmp_path / "out" / "mail.pdf"
    names = _fsynced(monkeypatch)
    res = run_cli(
        "batch", "tpi-aftercare", "--recipients", str(src), "--merged", str(out), "--proof",
        env={"HANDOUTS_BATCH_CHUNK": "2"}, process=False,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "12 records: 12 made" in res.stdout
    # six chunks: no part or journal line of theirs is fsynced, each finished output is
    assert not [n for n in names if n.startswith(("part-", ".part-", "journal"))], names
    assert "merged.partial.pdf" in names  # the merged file, before it is renamed into place
    assert any(n.startswith(".mail.manifest.csv.") for n in names), names
    assert any(n.startswith(".mail.rejects.csv.") for n in names), names
    assert len(names) == 4, names  # those three and job.json


def test_a_part_is_written_private_and_whole(tmp_path: Path) -> None:
    part = tmp_path / "part-000003.pdf"
    part.write_bytes(b"old")
    journal.write_part(part, b"%PDF-1.4 new")
    assert part.read_bytes() == b"%PDF-1.4 new"
    assert part.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["part-000003.pdf"]  # no temp left


def test_a_part_lost_in_a_crash_is_drawn_again_on_resume(tmp_path: Path) -> None:
    src = _csv(tmp_path / "r.csv", 8)
    chunk = {"HANDOUTS_BATCH_CHUNK": "2"}
    ref = tmp_path / "ref" / "mail.pdf"
    args = ["batch", "tpi-aftercare", "--recipients", str(src), "--proof"]
    assert run_cli(*args, "--merged", str(ref), env=chunk).returncode == 0
    out = tmp_path / "out" / "mail.pdf"
    # a run stopped after its third chunk (tests/stop_batch.py), then a crash of the
    # machine that lost the second chunk's part (its journal line reached the disk)
    res = run_stopped(
        *args, "--merged", str(out), env={**chunk, "HANDOUTS_TEST_SIGNAL_AFTER": "3:KILL"}
    )
    assert res.returncode == -9
    parts = next((tmp_path / "out" / ".handouts-batch").iterdir()) / "parts"
    assert (parts / "part-000002.pdf").is_file()
    (parts / "part-000001.pdf").write_bytes(b"")  # (as a file not yet written back is found)
    res = run_cli(*args, "--merged", str(out), "--resume", env=chunk)
    assert res.returncode == 0, res.stderr
    assert "4 reused from the interrupted run" in res.stdout  # chunks 0 and 2, not 1
    assert out.read_bytes() == ref.read_bytes()
