"""The tri-fold's staff copy of a handout with no staff sections: the patient copy's layout
plus its STAFF COPY mark, every mark on the paper inside the safe margin.

Last session the staff copy added its long mark to the back panel, so the back's tiered box
and personal fields no longer fitted together: the fields moved to the flap and the rest of
the brochure moved with them (an overflow where the flap was full); and the panels' feet,
two lines high, got a third line (STAFF COPY) 9 pt from the paper's bottom edge, under the
0.25 in safe margin a desk printer cannot print.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from .conftest import run_cli

SAFE = 0.25 * 72
#: geometry.bottom + geometry.foot of layouts/trifold.yaml: the panels' text ends above it
FOOT_TOP = (0.3 + 0.3) * 72

Word = tuple[int, str, float, float]  # page, text, x0, top
#: the long mark (layouts/strings/en.yaml), on the back panel where there is room for it
STAFF_MARK = "STAFF COPY — for clinic staff. Give the patient the patient's copy."


def _words(pdf: Path) -> list[tuple[int, str, float, float, float, float]]:
    out = []
    with pdfplumber.open(str(pdf)) as doc:
        for n, page in enumerate(doc.pages, 1):
            for w in page.extract_words():
                out.append((n, w["text"], w["x0"], w["x1"], w["top"], page.height - w["bottom"]))
    return out


def _build(root: Path, out: Path, *extra: str) -> Path:
    res = run_cli(
        "build", "trigger-point-injections", "--layout", "trifold", "--out-dir", str(out),
        *extra, cwd=root,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    [pdf] = out.glob("*.pdf")
    return pdf


def test_staff_copy_is_the_patient_copy_plus_its_mark(shipped_root: Path, tmp_path: Path) -> None:
    text = (shipped_root / "handouts" / "trigger-point-injections.yaml").read_text("utf-8")
    assert "audience: staff" not in text  # (the case: nothing for staff only)
    normal = _words(_build(shipped_root, tmp_path / "n"))
    staff = _words(_build(shipped_root, tmp_path / "s", "--staff-copy"))

    def above_foot(words: list) -> set[Word]:
        return {
            (p, t, round(x0, 1), round(top, 1)) for p, t, x0, _, top, up in words if up > FOOT_TOP
        }

    lost = above_foot(normal) - above_foot(staff)
    assert not lost, f"moved or gone in the staff copy: {sorted(lost)[:8]}"
    added = {t for _, t, *_ in above_foot(staff) - above_foot(normal)}
    assert added <= set(STAFF_MARK.split())
    # STAFF COPY at the foot of each of the 3 panels of both pages
    feet = [(p, x0) for p, t, x0, _, _, up in staff if t == "STAFF" and up <= FOOT_TOP]
    assert sorted({p for p, _ in feet}) == [1, 2] and len(feet) == 6, feet


def test_staff_copy_marks_stay_inside_the_safe_margin(shipped_root: Path, tmp_path: Path) -> None:
    pdf = _build(shipped_root, tmp_path / "s", "--staff-copy")
    with pdfplumber.open(str(pdf)) as doc:
        w, h = doc.pages[0].width, doc.pages[0].height
    for page, text, x0, x1, top, up in _words(pdf):
        assert up >= SAFE - 0.5 and top >= SAFE - 0.5, (page, text, round(up, 1))
        assert x0 >= SAFE - 0.5 and x1 <= w - SAFE + 0.5, (page, text, x0, x1)
    assert h == 612


def test_staff_copy_flap_ends_with_the_closing_note(shipped_root: Path, tmp_path: Path) -> None:
    """tpi-aftercare's staff section is on the flap after "Your follow-up visit", whose
    closing note (*This handout does not replace advice …*) ended the patient's copy's flap
    under the lines for notes; the staff copy printed the note above the staff section. It
    still ends the flap: after the staff section and the lines for notes, read last too."""
    res = run_cli(
        "build", "tpi-aftercare", "--layout", "trifold", "--staff-copy", "-o",
        str(tmp_path / "s.pdf"), cwd=shipped_root,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    words = _words(tmp_path / "s.pdf")

    def top(text: str) -> tuple[int, float, float]:
        (found,) = [(p, x0, t) for p, w, x0, _, t, _ in words if w == text]
        return found

    staff, notes, note = top("staff:"), top("Notes"), top("replace")
    assert staff[0] == notes[0] == note[0]  # one panel (the first of the inside page)
    assert max(staff[1], notes[1], note[1]) < 200
    assert staff[2] < notes[2] < note[2]
    text = [w for p, w, x0, _, _, up in words if p == note[0] and x0 < 200 and up > FOOT_TOP]
    assert " ".join(text[-7:]) == "not replace advice from your care team."
