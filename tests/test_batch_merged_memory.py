"""A merged mailing keeps nothing per letter in the shared letter (memory flat in N)."""

from __future__ import annotations

from pathlib import Path

import pytest

from handoutpress.mailmerge import MailMerge

from .conftest import ROOT, run_cli
from .test_batch import write_csv
from .test_batch_outdir_shared import HEADER, ROWS


def test_stamping_a_letter_adds_no_structure_node(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept: list[int] = []
    stamp = MailMerge.stamp

    def watched(self: MailMerge, *args: object, **kw: object) -> int:
        pages = stamp(self, *args, **kw)  # type: ignore[arg-type]
        tag = self.renderer.address_tag
        assert tag is not None  # the shared letter's address block in its tree
        kept.append(len(tag.kids))
        return pages

    monkeypatch.setattr(MailMerge, "stamp", watched)
    src = write_csv(tmp_path / "r.csv", ROWS * 3, header=HEADER)
    res = run_cli(
        "batch", str(ROOT / "bench/peer-letter.yaml"), "--recipients", str(src),
        "--brand", str(ROOT / "bench/riverside.yaml"), "--jobs", "1",
        "--merged", str(tmp_path / "m.pdf"),
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert len(kept) == len(ROWS) * 3
    assert set(kept) == {kept[0]}, kept  # not one more address line per letter


def _parts(tmp_path: Path, rows: int, chunk: int) -> list[bytes]:
    """The part files of a merged run (kept: the state folder is removed at the end)."""
    from handoutpress.batch import runner

    src = write_csv(tmp_path / "r.csv", (ROWS * rows)[:rows], header=HEADER)
    out = tmp_path / "m.pdf"
    keep = pytest.MonkeyPatch()
    keep.setattr(runner.shutil, "rmtree", lambda *a, **k: None)
    try:
        res = run_cli(
            "batch", str(ROOT / "bench/peer-letter.yaml"), "--recipients", str(src),
            "--brand", str(ROOT / "bench/riverside.yaml"), "--jobs", "1", "--merged", str(out),
            env={"HANDOUTS_BATCH_CHUNK": str(chunk)},
        )  # fmt: skip
    finally:
        keep.undo()
    assert res.returncode == 0, res.stderr
    parts = sorted((tmp_path / ".handouts-batch" / "merged-m.pdf" / "parts").glob("part-*.pdf"))
    assert len(parts) == -(-rows // chunk)
    return [p.read_bytes() for p in parts] + [out.read_bytes()]


def test_the_join_keeps_the_cross_references_on_disk_not_in_memory(tmp_path: Path) -> None:
    import io
    import tempfile

    from handoutpress.pdfjoin import Joiner

    *parts, merged = _parts(tmp_path, 9, 2)
    kept = io.BytesIO()
    in_memory = Joiner(kept)
    spooled = io.BytesIO()
    with tempfile.TemporaryFile() as spool:
        on_disk = Joiner(spooled, spool)
        for part in parts:
            in_memory.add(part)
            on_disk.add(part)
            assert len(on_disk.offsets) <= 2  # not one entry per object joined so far
        assert len(in_memory.offsets) > 5 * len(parts)
        in_memory.close()
        on_disk.close()
    assert spooled.getvalue() == kept.getvalue() == merged  # batch joins so too


def test_duplicates_are_counted_as_the_chunks_come_in(tmp_path: Path) -> None:
    from handoutpress.batch import runner

    waiting: list[int] = []
    note = runner._Counts.note

    def watched(self: runner._Counts, chunk: int, checked: object) -> None:
        note(self, chunk, checked)  # type: ignore[arg-type]
        waiting.append(len(self.waiting))

    src = write_csv(tmp_path / "r.csv", ROWS * 3, header=HEADER)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(runner._Counts, "note", watched)
        res = run_cli(
            "batch", str(ROOT / "bench/peer-letter.yaml"), "--recipients", str(src),
            "--brand", str(ROOT / "bench/riverside.yaml"), "--jobs", "1",
            "--merged", str(tmp_path / "m.pdf"), env={"HANDOUTS_BATCH_CHUNK": "2"},
        )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert len(waiting) == 5 and set(waiting) == {0}  # no chunk's hashes kept waiting
    for later in range(len(ROWS) + 1, 3 * len(ROWS) + 1):
        first = (later - 1) % len(ROWS) + 1
        assert f"record {later} has the same name and address as record {first}" in res.stderr


def test_the_garbage_collector_is_set_aside_while_drawing_and_restored(tmp_path: Path) -> None:
    import gc

    from handoutpress.batch import runner

    seen: list[tuple[bool, int]] = []
    collected: list[int] = []
    note = runner._Counts.note

    def watched(self: runner._Counts, chunk: int, checked: object) -> None:
        seen.append((gc.isenabled(), gc.get_freeze_count()))
        collected.append(gc.get_stats()[2]["collections"])
        note(self, chunk, checked)  # type: ignore[arg-type]

    planned: list[bool] = []
    plan = runner.plan_mailing

    def watched_plan(*args: object, **kw: object) -> object:
        planned.append(gc.isenabled())  # start-up: no collections (the runner's are per chunk)
        return plan(*args, **kw)  # type: ignore[arg-type]

    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    assert gc.isenabled()
    full = gc.get_stats()[2]["collections"]
    src = write_csv(tmp_path / "r.csv", ROWS, header=HEADER)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(runner._Counts, "note", watched)
        m.setattr(runner, "plan_mailing", watched_plan)
        res = run_cli(
            "batch", str(ROOT / "bench/peer-letter.yaml"), "--recipients", str(src),
            "--brand", str(ROOT / "bench/riverside.yaml"), "--jobs", "1",
            "--merged", str(tmp_path / "m.pdf"),
            env={"HANDOUTS_BATCH_CHUNK": str(-(-len(ROWS) // 2))},
        )  # fmt: skip
    assert res.returncode == 0, res.stderr
    # off while drawing, what was loaded before set aside; one full collection a chunk
    assert len(seen) == 2 and all(not on and f > frozen for on, f in seen)
    assert collected[0] >= full + 1 and collected[1] == collected[0] + 1
    assert planned == [False]
    assert gc.isenabled() and gc.get_threshold() == before and gc.get_freeze_count() == frozen
