"""A batch asks glibc to keep the memory a chunk frees for the next chunk (batch.heap)."""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path

import pytest

from handoutpress.batch import heap, runner

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


def test_a_batch_keeps_its_heap_and_makes_the_same_letters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []
    real = runner.keep_freed_memory

    def noted() -> bool:
        asked.append(real())
        return asked[-1]

    src = write_csv(tmp_path / "r.csv", ROWS, header=HEADER)
    outs = []
    for name, keep in (("kept", noted), ("given-back", lambda: False)):
        monkeypatch.setattr(runner, "keep_freed_memory", keep)
        out = tmp_path / f"{name}.pdf"
        res = run_cli(
            "batch", str(ROOT / "bench/peer-letter.yaml"), "--recipients", str(src),
            "--brand", str(ROOT / "bench/riverside.yaml"), "--jobs", "1", "--merged", str(out),
            env={"SOURCE_DATE_EPOCH": "1700000000"}, process=False,
        )  # fmt: skip
        assert res.returncode == 0, res.stderr
        outs.append(out.read_bytes())
    assert len(asked) == 1
    assert outs[0] == outs[1]
