"""Interrupted batches: Ctrl-C and kill leave nothing half-written; --resume finishes the
job without redoing rows, and the result equals an uninterrupted run.

The run is stopped at a known point by tests/stop_batch.py (the batch command with an
``after_chunk`` callback that sends the process SIG after N chunks are on disk, as
HANDOUTS_TEST_SIGNAL_AFTER=N:SIG says); HANDOUTS_BATCH_CHUNK keeps the chunks small so
that a few dozen rows make several of them.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EPOCH, ROOT, assert_clean_error, run_cli
from .pdfcheck import qpdf_check

#: records in the shared CSV: more than the 24 letters a run stopped after its second chunk
#: may have drawn with --jobs 2 (test_out_dir_resume_after_kill_with_jobs), so that bound says
#: something, and few enough that the reference runs and the resumes stay short
N = 28
CHUNK = {"HANDOUTS_BATCH_CHUNK": "4"}


@pytest.fixture(scope="module")
def recipients(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("resume") / "r.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["first_name", "last_name", "address1", "city", "state", "zip"])
        for i in range(1, N + 1):
            w.writerow([f"Ana{i}", f"Núñez{i}", f"{i} Oak Ave", "Eugene", "OR", "97401"])
    return path


def run(src: Path, *out: str, env: dict[str, str] | None = None, resume: bool = False):
    args = ["batch", "tpi-aftercare", "--recipients", str(src), *out, "--proof"]
    if resume:
        args.append("--resume")
    env = {**CHUNK, **(env or {})}
    if "HANDOUTS_TEST_SIGNAL_AFTER" in env:
        return run_stopped(*args, env=env)
    return run_cli(*args, env=env)


def run_stopped(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The command through tests/stop_batch.py, which stops it after N chunks."""
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        [sys.executable, str(ROOT / "tests" / "stop_batch.py"), *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        # SIGINT as at a terminal: a shell without job control starts a command put in the
        # background (`cmd &`) with SIGINT ignored, the tests' processes inherit that, and
        # the run's own SIGINT would do nothing (it ran to the end, exit 0)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))


@pytest.fixture(scope="module")
def reference(recipients: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("reference")
    merged = base / "m" / "mailing.pdf"
    res = run(recipients, "--merged", str(merged))
    assert res.returncode == 0, res.stderr
    res = run(recipients, "--out-dir", str(base / "d"))
    assert res.returncode == 0, res.stderr
    return {"merged": merged, "dir": base / "d"}


@pytest.mark.parametrize("sig", ["KILL", "INT", "TERM"])
def test_merged_resume_equals_uninterrupted(
    recipients: Path, reference: dict[str, Path], tmp_path: Path, sig: str
) -> None:
    out = tmp_path / "mailing.pdf"
    res = run(recipients, "--merged", str(out), env={"HANDOUTS_TEST_SIGNAL_AFTER": f"3:{sig}"})
    if sig == "KILL":
        assert res.returncode == -9
    else:
        lines = assert_clean_error(res, 130)
        assert lines[-1].startswith(f"interrupted: 12 of {N} records done")
        assert "--resume" in lines[-1]
    assert not out.exists()  # no half-made mailing
    assert leftovers(tmp_path) == []
    res = run(recipients, "--merged", str(out), resume=True)
    assert res.returncode == 0, res.stderr
    assert f"{N} records: {N} made, 0 rejected, 0 blank" in res.stdout
    assert "12 reused from the interrupted run" in res.stdout
    ref = reference["merged"]
    manifest = out.with_suffix(".manifest.csv")  # (named after the mailing)
    assert manifest.read_bytes() == ref.with_suffix(".manifest.csv").read_bytes()
    assert out.read_bytes() == ref.read_bytes()
    qpdf_check(out)
    assert not (tmp_path / ".handouts-batch").exists()  # job state removed when done


def test_out_dir_resume_after_kill_with_jobs(
    recipients: Path, reference: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "d"
    res = run(
        recipients,
        "--out-dir",
        str(out),
        "--jobs",
        "2",
        env={"HANDOUTS_TEST_SIGNAL_AFTER": "2:KILL"},
    )
    assert res.returncode == -9
    assert leftovers(out) == []
    made_before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    assert 0 < len(made_before) < N
    # the workers draw at most 2 chunks each ahead of the journal: stopped after chunk 2,
    # no more than 2 + 2 x 2 chunks of 4 letters are made
    assert len(made_before) <= (2 + 2 * 2) * 4
    res = run(recipients, "--out-dir", str(out), "--jobs", "2", resume=True)
    assert res.returncode == 0, res.stderr
    ref = reference["dir"]
    assert (out / "manifest.csv").read_bytes() == (ref / "manifest.csv").read_bytes()
    for name in sorted(p.name for p in ref.glob("*.pdf")):
        assert (out / name).read_bytes() == (ref / name).read_bytes()
    # the letters of the two journalled chunks (records 1-8) were not made again
    kept = [n for n in made_before if int(n[:6]) <= 8]
    assert len(kept) == 8
    for name in kept:
        assert (out / name).stat().st_mtime_ns == made_before[name]


def test_resume_refuses_a_changed_csv(recipients: Path, tmp_path: Path) -> None:
    out = tmp_path / "mailing.pdf"
    res = run(recipients, "--merged", str(out), env={"HANDOUTS_TEST_SIGNAL_AFTER": "1:KILL"})
    assert res.returncode == -9
    changed = tmp_path / "r.csv"
    changed.write_text(recipients.read_text(encoding="utf-8") + "Bo,Li,1 Elm,Bend,OR,97701\n")
    res = run(changed, "--merged", str(out), resume=True)
    (line,) = assert_clean_error(res, 1)
    assert "changed since the interrupted run" in line
    assert not out.exists()


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["first_name", "last_name", "address1", "city", "state", "zip"])
        w.writerows(rows)
    return path


def test_interrupt_message_counts_blank_rows_as_done(tmp_path: Path) -> None:
    """(With SIGINT ignored in the test process, as when the tests run in the background of
    a shell without job control: the run still stops on its SIGINT.)"""
    rows: list[list[str]] = []
    for i in range(1, 21):
        rows.append([f"Ana{i}", "Ruiz", f"{i} Oak Ave", "Eugene", "OR", "97401"])
        if i % 5 == 0:
            rows.append([])  # a blank row after every fifth
    src = write_rows(tmp_path / "r.csv", rows)
    ignored = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        res = run(
            src, "--merged", str(tmp_path / "m.pdf"), env={"HANDOUTS_TEST_SIGNAL_AFTER": "3:INT"}
        )
    finally:
        signal.signal(signal.SIGINT, ignored)
    lines = assert_clean_error(res, 130)
    # three chunks of 4 letters: rows 1-12 and the two blank rows among them (after 5, 10)
    assert lines[-1].startswith(f"interrupted: 14 of {len(rows)} records done"), lines[-1]


def test_out_dir_resume_keeps_a_chunk_with_a_rejected_row(tmp_path: Path) -> None:
    rows = [[f"Ana{i}", "Ruiz", f"{i} Oak Ave", "Eugene", "OR", "97401"] for i in range(1, 13)]
    rows[1][5] = "9740"  # record 2: not a ZIP code of OR (rejected), in the first chunk
    src = write_rows(tmp_path / "r.csv", rows)
    out = tmp_path / "d"
    res = run(src, "--out-dir", str(out), env={"HANDOUTS_TEST_SIGNAL_AFTER": "2:KILL"})
    assert res.returncode == -9
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    assert len(before) == 7  # chunks 1 and 2, less the rejected row
    res = run(src, "--out-dir", str(out), resume=True)
    assert res.returncode == 3, res.stderr
    assert "8 reused from the interrupted run" in res.stdout
    for name, mtime in before.items():  # neither journalled chunk was drawn again
        assert (out / name).stat().st_mtime_ns == mtime, name
    rejects = (out / "rejects.csv").read_text(encoding="utf-8").splitlines()
    assert len(rejects) == 2 and rejects[1].startswith("2,3,zip,")


def test_killed_parallel_batch_leaves_no_worker_tracebacks(tmp_path: Path) -> None:
    rows = [[f"Ana{i}", "Ruiz", f"{i} Oak Ave", "Eugene", "OR", "97401"] for i in range(1, 41)]
    src = write_rows(tmp_path / "r.csv", rows)
    res = run(
        src,
        "--merged",
        str(tmp_path / "m.pdf"),
        "--jobs",
        "2",
        env={"HANDOUTS_TEST_SIGNAL_AFTER": "1:KILL", "HANDOUTS_BATCH_CHUNK": "1"},
    )
    assert res.returncode == -9
    # the workers outlived their parent until they ended: nothing printed by them
    assert res.stderr == "", res.stderr


def test_a_full_disk_is_one_line_and_leaves_no_partial_file(tmp_path: Path) -> None:
    """Writing fails part-way (here: a file size limit, as a full disk would): exit 1, one
    line with the cause, the merged file's partial copy removed, --resume offered."""
    import resource
    import signal

    rows = [[f"Ana{i}", "Ruiz", f"{i} Oak Ave", "Eugene", "OR", "97401"] for i in range(1, 41)]
    src = write_rows(tmp_path / "r.csv", rows)
    out = tmp_path / "o" / "m.pdf"
    limit = 150_000  # a 4-letter part is ~40 kB; the 40 letters joined are far more

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit: EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    args = ["batch", "tpi-aftercare", "--recipients", str(src), "--merged", str(out), "--proof"]
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(ROOT), **CHUNK}
    res = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=small_disk,
    )
    (line,) = assert_clean_error(res, 1)
    assert line.startswith(f"{out.parent}: cannot write the output: File too large"), line
    assert "--resume" in line
    assert not out.exists()
    assert not list((out.parent / ".handouts-batch").rglob("merged.partial.pdf"))
    assert leftovers(out.parent) == []


def test_two_mailings_in_one_folder_keep_their_own_resume_state(
    recipients: Path, reference: dict[str, Path], tmp_path: Path
) -> None:
    """The job state is the mailing's, not the folder's: a second mailing made in the folder
    of an interrupted one leaves the first's progress alone, and --resume finishes it."""
    first, second = tmp_path / "mailing.pdf", tmp_path / "reminder.pdf"
    res = run(recipients, "--merged", str(first), env={"HANDOUTS_TEST_SIGNAL_AFTER": "3:KILL"})
    assert res.returncode == -9
    res = run(recipients, "--merged", str(second))
    assert res.returncode == 0, res.stderr
    assert "reused" not in res.stdout  # (not the first mailing's chunks)
    assert second.read_bytes() == reference["merged"].read_bytes()
    res = run(recipients, "--merged", str(first), resume=True)
    assert res.returncode == 0, res.stderr
    assert "12 reused from the interrupted run" in res.stdout
    assert first.read_bytes() == reference["merged"].read_bytes()
    manifest = first.with_suffix(".manifest.csv")
    assert manifest.read_bytes() == reference["merged"].with_suffix(".manifest.csv").read_bytes()
    qpdf_check(first)
    assert not (tmp_path / ".handouts-batch").exists()  # both mailings' state removed


def _interrupted_as_legacy(recipients: Path, folder: Path, after: int, *target: str) -> None:
    """A mailing to ``target`` killed after ``after`` chunks, its state then moved to
    ``folder``'s ``.handouts-batch/`` itself, as earlier versions kept it (one per folder; the
    same files, in the same formats)."""
    res = run(recipients, *target, env={"HANDOUTS_TEST_SIGNAL_AFTER": f"{after}:KILL"})
    assert res.returncode == -9
    root = folder / ".handouts-batch"
    (state,) = [p for p in root.iterdir() if p.is_dir()]
    for p in state.iterdir():
        p.rename(root / p.name)
    state.rmdir()
    assert (root / "job.json").is_file() and (root / "journal.csv").is_file()


def test_resume_finishes_a_run_whose_state_an_earlier_version_kept(
    recipients: Path, reference: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "mailing.pdf"
    _interrupted_as_legacy(recipients, tmp_path, 3, "--merged", str(out))
    res = run(recipients, "--merged", str(out), resume=True)
    assert res.returncode == 0, res.stderr
    assert "12 reused from the interrupted run" in res.stdout
    assert out.read_bytes() == reference["merged"].read_bytes()
    assert not (tmp_path / ".handouts-batch").exists()  # nothing left behind


def test_an_earlier_versions_state_of_other_inputs_is_one_line_and_a_new_run_removes_it(
    recipients: Path, reference: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "mailing.pdf"
    _interrupted_as_legacy(recipients, tmp_path, 1, "--merged", str(out))
    other = tmp_path / "reminder.pdf"  # another mailing: not the state's
    res = run(recipients, "--merged", str(other), resume=True)
    (line,) = assert_clean_error(res, 1)
    assert line.startswith(f"{tmp_path / '.handouts-batch'}: --resume: the interrupted run's ")
    assert "earlier version" in line and "run again without --resume to start over" in line
    assert not other.exists()
    res = run(recipients, "--merged", str(other))  # as the line says
    assert res.returncode == 0, res.stderr
    assert other.read_bytes() == reference["merged"].read_bytes()
    assert not (tmp_path / ".handouts-batch").exists()  # the stale state went with it


def test_out_dir_with_an_earlier_versions_state_says_to_resume_and_resumes(
    recipients: Path, reference: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "d"
    _interrupted_as_legacy(recipients, out, 2, "--out-dir", str(out))
    res = run(recipients, "--out-dir", str(out))
    (line,) = assert_clean_error(res, 1)
    assert line.endswith("that run was interrupted: add --resume to finish it"), line
    res = run(recipients, "--out-dir", str(out), resume=True)
    assert res.returncode == 0, res.stderr
    assert "8 reused from the interrupted run" in res.stdout
    ref = reference["dir"]
    assert (out / "manifest.csv").read_bytes() == (ref / "manifest.csv").read_bytes()
    assert not (out / ".handouts-batch").exists()
