"""`batch --merged`: the shared letter laid out once per process (batch/shared_forms.py), its
forms and font state given to each later part, makes the bytes laying it out in every part
made."""

from __future__ import annotations

from pathlib import Path

import pytest

from handoutpress import mailmerge
from handoutpress.batch import shared_forms

from .conftest import ROOT, run_cli
from .pdfcheck import qpdf_check
from .test_batch import write_csv
from .test_batch_stamp import _rows


def _merged(tmp_path: Path, name: str, handout: str, *extra: str) -> bytes:
    src = write_csv(tmp_path / f"{name}.csv", _rows() * 2)
    out = tmp_path / name / "m.pdf"
    out.parent.mkdir()
    res = run_cli(
        "batch", handout, "--recipients", str(src), "--jobs", "1", "--merged", str(out), *extra,
        env={"SOURCE_DATE_EPOCH": "1795737600", "HANDOUTS_BATCH_CHUNK": "3"}, process=False,
    )  # fmt: skip
    assert res.returncode in (0, 3), res.stderr
    return out.read_bytes()


@pytest.mark.parametrize(
    "handout,extra",
    [
        ("tpi-aftercare", ("--proof",)),  # several pages, languages, the PROOF form
        (str(ROOT / "bench/peer-letter.yaml"), ("--brand", str(ROOT / "bench/riverside.yaml"))),
    ],
    ids=["aftercare-proof", "peer-letter"],
)
def test_parts_given_the_captured_letter_are_the_parts_that_lay_it_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, handout: str, extra: tuple[str, ...]
) -> None:
    captures = 0
    real_capture = mailmerge.MailMerge.capture

    def counted(self: mailmerge.MailMerge, *args: object) -> int:
        nonlocal captures
        captures += 1
        return real_capture(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(mailmerge.MailMerge, "capture", counted)
    shared_forms._SNAPSHOTS.clear()
    given = _merged(tmp_path, "given", handout, *extra)
    captured_given = captures
    with monkeypatch.context() as m:
        m.setattr(shared_forms, "ENABLED", False)
        captures = 0
        laid_out = _merged(tmp_path, "laid", handout, *extra)
    chunks = -(-2 * len(_rows()) // 3)
    assert captures > chunks  # every part laid its letters out
    assert captured_given < captures  # and here, most of them were given theirs
    assert given == laid_out
    qpdf_check(tmp_path / "given" / "m.pdf")


def test_a_canvas_drawn_on_is_not_fresh() -> None:
    """Only a part's canvas as ``new_canvas`` makes it takes a snapshot or is given one."""
    import io

    from handoutpress.fonts import register
    from handoutpress.mailcanvas import FormCanvas

    canv = FormCanvas(io.BytesIO(), initialFontName=register().regular)  # (as new_canvas)
    assert shared_forms._fresh(canv) is not None
    canv.beginForm("x")
    canv.setFont(register().regular, 10)
    canv.drawString(10, 10, "a")
    canv.endForm()
    assert shared_forms._fresh(canv) is None
