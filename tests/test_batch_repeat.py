"""A personal letter whose composition was drawn before on the same part gets that
letter's forms again (handoutpress.mailrepeat): the mailing is byte for byte what replaying
every letter makes, for rows that repeat first names, rows whose name changes the personal
paragraph's lines (a long name), names with ``&``, accents, the page-total form's name and
the stencil's mark in them, and a row refused for its last name."""

from __future__ import annotations

from pathlib import Path

import pytest

from handoutpress import mailrepeat

from .test_batch_replay import merged_batch, rows_csv

FIRSTS = [
    "Ana", "José", "Bo", "Ana", "Pat & Lee", "Bo", "Maximiliana-Concepción Wolfeschlegelstein",
    "Ana", "r12-total", "Łucja", "José", "Bo", "/FormXob.r3-total-1 Do", "Ana", "Pat & Lee",
]  # fmt: skip


def test_a_repeated_letter_is_what_replaying_it_makes(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [(f, f"Ruiz{i}", "") for i, f in enumerate(FIRSTS * 4)]
    rows[20] = ("Ana", "שלום", "")  # right-to-left: refused, though the text prints no last name
    rows[31] = ("Bo", "Ruiz", "and please call us soon " * 6)  # (more lines: its own layout)
    src = rows_csv(project.parent / "r.csv", rows)
    emitted: list[int] = []
    real_emit = mailrepeat.Repeat.emit

    def emit(self: mailrepeat.Repeat, *args: object) -> int:
        emitted.append(1)
        return real_emit(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(mailrepeat.Repeat, "emit", emit)

    kept = merged_batch(project, src, "kept", chunk=30)
    assert len(emitted) >= 15  # (most repeated names: their letter's forms again)
    monkeypatch.setattr(mailrepeat, "ENABLED", False)
    emitted.clear()
    each = merged_batch(project, src, "each", chunk=30)
    assert not emitted
    assert (kept / "m.pdf").read_bytes() == (each / "m.pdf").read_bytes()
    for f in sorted(p.name for p in each.iterdir() if p.suffix == ".csv"):
        assert (kept / f).read_bytes() == (each / f).read_bytes(), f
    rejected = [p for p in each.iterdir() if "rejects" in p.name]
    assert rejected and "last_name" in rejected[0].read_text(encoding="utf-8")


def test_a_kept_letters_metadata_is_set_again_once_the_canvas_holds_another() -> None:
    """``Repeat.emit`` sets its letter's metadata only when the canvas does not hold it
    already: after another letter set other information or viewer preferences, it sets
    its own again (as ``PdfMetadata.apply`` on every letter does)."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from handoutpress.metadata import PdfMetadata

    canv = Canvas(io.BytesIO())
    mine = PdfMetadata("Title", "Subject", "Clinic", "FORM-1", "en", "DuplexFlipLongEdge")
    other = PdfMetadata("Título", "Asunto", "Clínica", "FORM-2", "es", None)
    expected = Canvas(io.BytesIO())
    mine.apply(expected)

    def state(c: Canvas) -> tuple[object, ...]:
        return (*mailrepeat._info_of(c._doc.info), dict(c._doc.Catalog.ViewerPreferences.dict))

    mailrepeat._apply(mine, canv)  # type: ignore[arg-type]
    assert state(canv) == state(expected)
    mailrepeat._apply(mine, canv)  # type: ignore[arg-type]  # (nothing to change)
    assert state(canv) == state(expected)
    other.apply(canv)
    mailrepeat._apply(mine, canv)  # type: ignore[arg-type]
    assert state(canv) == state(expected)
    canv.setViewerPreference("Duplex", "Simplex")  # (only a viewer preference changed)
    mailrepeat._apply(mine, canv)  # type: ignore[arg-type]
    assert state(canv) == state(expected)


def test_a_kept_letters_equal_metadata_is_set_once_and_other_metadata_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each composition's kept letter has its own metadata object, equal to the others'
    (the handout's): a letter after another composition's does not set it again; other
    metadata (another language's title) is set, and the first again after it."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from handoutpress.metadata import PdfMetadata

    applied: list[str] = []
    apply = PdfMetadata.apply

    def noted(self: PdfMetadata, canv: Canvas) -> None:
        applied.append(self.title)
        apply(self, canv)

    monkeypatch.setattr(PdfMetadata, "apply", noted)
    canv = Canvas(io.BytesIO())
    first = PdfMetadata("Your visit", "Patient information", "Clinic", "T-1", "en")
    equal = PdfMetadata("Your visit", "Patient information", "Clinic", "T-1", "en")
    other = PdfMetadata("Su visita", "Información", "Clinic", "T-1", "es")
    assert equal is not first and equal == first
    for meta in (first, equal, first, other, equal):
        mailrepeat._apply(meta, canv)
    assert applied == ["Your visit", "Su visita", "Your visit"]
    assert canv._doc.info.title == "Your visit"
