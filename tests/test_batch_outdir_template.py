"""`batch --out-dir` files from a byte template (handoutpress/batch/filetemplate.py): each
file is what the file laid out and drawn on its own (the path `build --layout letter`
takes) shows — text, pages, tags as outside readers read them, metadata, every pixel —
for recipients whose personal parts take the template and for those made the full way
(text of their own in the letter, characters no template has)."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from handoutpress.addressing import Addressee
from handoutpress.batch import filetemplate, worker

from .conftest import ROOT, run_cli
from .pdfcheck import pdfinfo, qpdf_check, text
from .tagcheck import readers_disagree, run_checker

HEADER = ["First Name", "Last Name", "Street", "Address 2", "City", "State", "ZIP", "Language"]
ROWS = [
    # ASCII, one street line
    ["Pat", "Lee", "77 Elm St", "", "Salem", "OR", "97301", ""],
    # Latin-1 letters (the repertoire), address2 beside the street
    ["José", "Muñoz", "1520 King's Rd", "Apt 2B", "Portland", "OR", "97205", ""],
    # a second street line (another shape: one more tagged address line)
    [
        "Wilhelmina",
        "Quayle-Abernathy",
        "12345 Northwest Longfellow Boulevard",
        "Building 7",
        "Portland",
        "OR",
        "97229",
        "",
    ],  # fmt: skip
    # beyond the repertoire, in the body face (a template with the recipient's own letters)
    ["Łukasz", "Šimůnek", "9 Pine St", "", "Boise", "ID", "83702", ""],
    # the Vietnamese letters come from the fallback face
    ["Thị", "Nguyễn", "4 Oak Ave", "", "Eugene", "OR", "97401", ""],
    # the Spanish letter (its own template)
    ["Ana", "Ruiz", "5 Birch Ln", "", "Bend", "OR", "97701", "es"],
    ["Mark", "Smith", "88 Cedar Ct", "", "Medford", "OR", "97501", "es"],
]


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    return path


def out_dir(tmp: Path, name: str, handout: str, rows: list[list[str]]) -> dict[str, Path]:
    src = write_rows(tmp / f"{name}.csv", rows)
    out = tmp / name
    res = run_cli(
        "batch", handout, "--recipients", str(src), "--out-dir", str(out), "--proof",
        process=False,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    return {p.name: p for p in sorted(out.glob("*.pdf"))}


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], dict[str, Path]]:
    """The same mailing made from templates and made the full way (every file on its own)."""
    tmp = tmp_path_factory.mktemp("outdir-template")
    fast = out_dir(tmp, "templates", "tpi-aftercare", ROWS)
    mp = pytest.MonkeyPatch()
    mp.setattr(worker.Job, "use_templates", False)
    try:
        full = out_dir(tmp, "full", "tpi-aftercare", ROWS)
    finally:
        mp.undo()
    assert list(fast) == list(full) and len(fast) == len(ROWS)
    return fast, full


def pngs(pdf: Path, tmp: Path) -> list[str]:
    """Each page rendered by poppler (pdftoppm, PPM), as a digest of its pixels."""
    prefix = tmp / pdf.stem
    subprocess.run(["pdftoppm", "-r", "50", str(pdf), str(prefix)], check=True)
    pages = sorted(tmp.glob(f"{pdf.stem}-*.ppm"))
    from PIL import Image

    out = []
    for p in pages:
        with Image.open(p) as im:
            out.append(hashlib.sha256(im.convert("RGB").tobytes()).hexdigest())
    return out


def struct_text(pdf: Path) -> str:
    """The structure tree with each element's text, as poppler reads it."""
    return subprocess.run(
        ["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True
    ).stdout


def info(pdf: Path) -> dict[str, str]:
    return {k: v for k, v in pdfinfo(pdf).items() if k != "File size"}


def test_every_file_took_the_template_and_changed_bytes(
    both: tuple[dict[str, Path], dict[str, Path]],
) -> None:
    """Not a no-op: each file is the template's (a page's content in three streams), not
    the full path's bytes; the full path writes one stream a page."""
    fast, full = both
    for name in fast:
        assert b"/Contents [ " in fast[name].read_bytes(), name
        assert b"/Contents [ " not in full[name].read_bytes(), name
        assert fast[name].read_bytes() != full[name].read_bytes()


def test_files_read_and_look_the_same_both_ways(
    both: tuple[dict[str, Path], dict[str, Path]], tmp_path: Path
) -> None:
    fast, full = both
    for name in fast:
        a, b = fast[name], full[name]
        qpdf_check(a)
        assert text(a) == text(b), name
        assert info(a) == info(b), name  # pages, title, dates, tagged, PDF version …
        assert struct_text(a) == struct_text(b), name
        (tmp_path / "a").mkdir(exist_ok=True)
        (tmp_path / "b").mkdir(exist_ok=True)
        assert pngs(a, tmp_path / "a") == pngs(b, tmp_path / "b"), name


def test_each_recipient_is_in_their_own_file(
    both: tuple[dict[str, Path], dict[str, Path]],
) -> None:
    fast, _ = both
    for (name, path), row in zip(fast.items(), ROWS, strict=True):
        shown = text(path)
        assert f"{row[0]} {row[1]}" in shown, name
        assert "Template" not in shown  # the stand-in the template was drawn for
        qdf = subprocess.run(
            ["qpdf", "--qdf", "--object-streams=disable", str(path), "-"],
            capture_output=True,
            check=True,
        ).stdout
        assert b"Template" not in qdf
        for other in ROWS:
            if other is not row and other[1] != row[1]:
                assert other[1] not in shown


def test_template_files_pass_the_tagged_checks(
    both: tuple[dict[str, Path], dict[str, Path]],
) -> None:
    """ua_check.py (Matterhorn subset) and the four readers (poppler, pdfminer, PDFium,
    pdf.js) on a file of each kind: plain, two street lines, fallback face, Spanish."""
    fast, _ = both
    names = list(fast)
    for name in (names[0], names[2], names[4], names[5]):
        res = run_checker("ua_check.py", fast[name])
        assert res.returncode == 0, res.stdout
        assert readers_disagree(fast[name]) == [], name


def test_a_letter_with_text_of_its_own_is_made_the_full_way(tmp_path: Path) -> None:
    """A recipient field in the text can change the layout: no template, the file is the
    full path's, byte for byte."""
    handout = tmp_path / "own.yaml"
    source = (ROOT / "bench" / "peer-letter.yaml").read_text(encoding="utf-8")
    old = "Thank you for visiting our clinic"
    assert old in source
    handout.write_text(
        source.replace(old, "Thank you, {{ patient.first_name }}, for visiting our clinic"),
        encoding="utf-8",
    )
    rows = ROWS[:2]
    fast = out_dir(tmp_path, "own-fast", str(handout), rows)
    mp = pytest.MonkeyPatch()
    mp.setattr(worker.Job, "use_templates", False)
    try:
        full = out_dir(tmp_path, "own-full", str(handout), rows)
    finally:
        mp.undo()
    for name in fast:
        assert fast[name].read_bytes() == full[name].read_bytes()
        assert b"/Contents [ " not in fast[name].read_bytes()
        assert "Thank you, José," in text(fast[name]) or "Thank you, Pat," in text(fast[name])


# --------------------------------------------------------------------------- the template itself


@pytest.fixture(scope="module")
def template() -> filetemplate.FileTemplate:
    from handoutpress.build import plan_mailing
    from handoutpress.project import Project

    mailing = plan_mailing(Project(ROOT), "tpi-aftercare", proof=True)
    composed = mailing.compose("")
    return filetemplate.FileTemplate(mailing.letter(composed), (True, 1, True), 2, 0)


def test_a_character_no_face_has_a_code_for_is_left_to_the_full_way(
    template: filetemplate.FileTemplate,
) -> None:
    ok = Addressee("Pat Lee", ("77 Elm St",), "Salem, OR 97301", "Pat")
    assert template.make(ok) is not None
    odd = Addressee("Pat Łee", ("77 Elm St",), "Salem, OR 97301", "Pat")
    assert template.missing(odd) == "Ł"
    assert template.make(odd) is None


def test_another_shape_is_not_drawn_from_this_template(
    template: filetemplate.FileTemplate,
) -> None:
    """One street line more: one more tagged address line, so more marked-content ids on
    page 1 than this template's structure has: refused (another template makes it)."""
    two = Addressee("Pat Lee", ("77 Elm St", "Unit 4"), "Salem, OR 97301", "Pat")
    assert template.make(two) is None


def test_a_letter_no_template_can_reproduce_is_made_the_full_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A template refused (a PDF not as ReportLab writes it here, a page drawn otherwise):
    every file of that shape is laid out on its own, the batch goes on."""

    def refuse(pdf: bytes) -> None:
        raise filetemplate.NotATemplate("test")

    monkeypatch.setattr(filetemplate, "parse", refuse)
    made = out_dir(tmp_path, "refused", "tpi-aftercare", ROWS[:1])
    monkeypatch.setattr(worker.Job, "use_templates", False)
    full = out_dir(tmp_path, "full", "tpi-aftercare", ROWS[:1])
    for name, path in made.items():
        assert path.read_bytes() == full[name].read_bytes()
