"""Words in another language inside the layouts' fixed texts (``layouts/strings``): the
Spanish staff copy's "STAFF COPY (Spanish)" is a ``Span`` with ``/Lang (en)`` in the tagged
footer's ``P`` (sheet, letter) and the tri-fold's staff line, read back by the outside
checkers; the pages look exactly as before; a bad mark is a located error."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import assert_clean_error
from tests.pdfcheck import tool
from tests.tagcheck import readers_disagree, run_checker
from tests.test_tagged import _elements

ENGLISH = "STAFF COPY (Spanish)"
STRINGS = Path("layouts") / "strings" / "es.yaml"


def _unmarked(project: Path) -> None:
    """es.yaml as it was before its English words were marked (the same visible text)."""
    path = project / STRINGS
    text = path.read_text()
    assert f"[{ENGLISH}]{{lang=en}}" in text
    path.write_text(text.replace(f"[{ENGLISH}]{{lang=en}}", ENGLISH))


def _pages(pdf: Path, prefix: Path) -> list[bytes]:
    subprocess.run([tool("pdftoppm"), "-r", "72", str(pdf), str(prefix)], check=True)
    return [p.read_bytes() for p in sorted(prefix.parent.glob(f"{prefix.name}-*.ppm"))]


@pytest.mark.parametrize("layout", ["sheet", "letter", "trifold"])
def test_english_words_of_a_spanish_mark_are_a_span_in_english(
    cli, project: Path, tmp_path: Path, layout: str
) -> None:
    out = tmp_path / "staff.pdf"
    args = ["build", "tpi-aftercare.es", "--layout", layout, "--staff-copy"]
    res = cli(*args, "-o", str(out), cwd=project)
    assert res.returncode == 0, res.stderr
    spans = [(lang, text) for lang, text in _elements(out, "Span") if lang is not None]
    assert spans == [("en", ENGLISH)]
    # inside the mark's P, which holds the whole mark as printed
    marks = [text for _, text in _elements(out, "P") if ENGLISH in text]
    assert len(marks) == 1 and f"COPIA DEL PERSONAL · {ENGLISH}" in marks[0]
    ua = run_checker("ua_check.py", out)
    assert ua.returncode == 0, ua.stdout
    assert readers_disagree(out) == []
    # the same pages as with the words unmarked (only the structure differs)
    _unmarked(project)
    before = tmp_path / "before.pdf"
    res = cli(*args, "-o", str(before), cwd=project)
    assert res.returncode == 0, res.stderr
    assert [lang for lang, _ in _elements(before, "Span") if lang is not None] == []
    shown, was = _pages(out, tmp_path / "after"), _pages(before, tmp_path / "before")
    assert len(shown) == len(was) >= 1 and shown == was
    words = [
        subprocess.run([tool("pdftotext"), str(f), "-"], capture_output=True, text=True).stdout
        for f in (out, before)
    ]
    assert words[0] == words[1] and ENGLISH in words[0] and "{lang" not in words[0]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (f"[{ENGLISH}]{{lang=xx}}", "'xx': 'xx' is not a language code of ISO 639"),
        (f"[{ENGLISH}]{{lang=}}", "the language tag is empty"),
        (f"[{ENGLISH}] {{lang=en}}", "the language mark right after the closing bracket"),
        (f"{ENGLISH} {{lang:en}}", "the language mark right after the closing bracket"),
    ],
)
def test_a_bad_language_mark_in_a_strings_file_is_a_located_error(
    cli, project: Path, written: str, message: str
) -> None:
    path = project / STRINGS
    lines = path.read_text().splitlines()
    line = next(i for i, ln in enumerate(lines) if ln.startswith("staff_copy_short:")) + 1
    lines[line - 1] = f'staff_copy_short: "COPIA DEL PERSONAL · {written}"'
    path.write_text("\n".join(lines) + "\n")
    res = cli("build", "tpi-aftercare.es", "--staff-copy", "-o", "x.pdf", cwd=project)
    errors = assert_clean_error(res)
    assert any(
        e.startswith(f"{STRINGS}:{line}:") and "staff_copy_short" in e and message in e
        for e in errors
    ), errors
    assert not (project / "x.pdf").exists()


CSV = (
    "First Name,Last Name,Street,City,State,ZIP,Language\n"
    "José,Muñoz,2 Elm St,Escondido,CA,92025,es\n"
)


@pytest.mark.parametrize("written", ["[PROOF]{lang=en} / PRUEBA", "PRUEBA"])
def test_a_spanish_proof_letters_english_proof_is_a_span_in_english(
    cli, project: Path, tmp_path: Path, written: str
) -> None:
    """The mailing operator's PROOF mark in a Spanish letter: as es.yaml writes it (marked
    English), or put before a proof text that lacks it (the letter's rule: PROOF in every
    language): a ``Span`` with ``/Lang (en)`` either way, the same words printed."""
    path = project / STRINGS
    text = path.read_text()
    shipped_proof = 'proof: "[PROOF]{lang=en} / PRUEBA — no enviar por correo"'
    assert shipped_proof in text
    path.write_text(text.replace(shipped_proof, f'proof: "{written} — no enviar por correo"'))
    (tmp_path / "r.csv").write_text(CSV, encoding="utf-8")
    out = tmp_path / "batch"
    res = cli(
        "batch", "tpi-aftercare", "--recipients", str(tmp_path / "r.csv"), "--out-dir", str(out),
        "--proof", cwd=project,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    (letter,) = sorted(out.glob("*.pdf"))
    spans = [(lang, text) for lang, text in _elements(letter, "Span") if lang is not None]
    assert spans == [("en", "PROOF")]
    marks = [text for _, text in _elements(letter, "P") if "PROOF" in text]
    assert len(marks) == 1 and "PROOF / PRUEBA — no enviar por correo" in marks[0]
    ua = run_checker("ua_check.py", letter)
    assert ua.returncode == 0, ua.stdout
    assert readers_disagree(letter) == []
