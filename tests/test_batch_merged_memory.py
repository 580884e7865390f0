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
