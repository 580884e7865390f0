"""A batch of more than one chunk asks glibc to keep the memory a chunk frees for the next
(batch.heap); a batch of one chunk does not (and does not load ctypes)."""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path

import pytest

from handoutpress.batch import heap

from .conftest import ROOT, run_cli
from .test_batch import write_csv
from .test_batch_outdir_shared import HEADER, ROWS


def test_the_heap_pad_is_set_where_the_c_library_has_mallopt() -> None:
    try:
        has_mallopt = sys.platform.startswith("linux") and bool(ctypes.CDLL(None).mallopt)
    except (OSError, AttributeError):
        has_mallopt = False
    assert heap.keep_freed_memory() is has_mallopt
    assert heap.keep_freed_memory() is has_mallopt  # (once a process: asked again, the same)


@pytest.mark.parametrize(("rows", "chunk", "asked"), [(12, 5, 2), (4, 5, 0)])
def test_a_batch_keeps_its_heap_from_its_second_chunk_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int, chunk: int, asked: int
) -> None:
    calls: list[None] = []
    monkeypatch.setattr(heap, "_chunks", 0)  # (a fresh process)
    monkeypatch.setattr(heap, "keep_freed_memory", lambda: bool(calls.append(None)))
    src = write_csv(tmp_path / "r.csv", (ROWS * rows)[:rows], header=HEADER)
    res = run_cli(
        "batch", str(ROOT / "bench/peer-letter.yaml"), "--recipients", str(src),
        "--brand", str(ROOT / "bench/riverside.yaml"), "--jobs", "1",
        "--merged", str(tmp_path / "m.pdf"), env={"HANDOUTS_BATCH_CHUNK": str(chunk)},
        process=False,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert heap._chunks == -(-rows // chunk)
    assert len(calls) == asked  # (from the second chunk on; keep_freed_memory acts once)


def test_a_one_chunk_batch_does_not_load_ctypes(tmp_path: Path) -> None:
    import subprocess

    src = write_csv(tmp_path / "r.csv", ROWS, header=HEADER)
    code = (
        "import sys\nfrom handoutpress.cli import main\n"
        f"sys.argv = ['generate.py', 'batch', {str(ROOT / 'bench/peer-letter.yaml')!r}, "
        f"'--recipients', {str(src)!r}, '--brand', {str(ROOT / 'bench/riverside.yaml')!r}, "
        f"'--jobs', '1', '--merged', {str(tmp_path / 'm.pdf')!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print('ctypes' in sys.modules)\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[-1] == "False"
