"""`batch` with recipient fields in the text: only those sections are laid out per
recipient, the rest once for all; every letter must read exactly as `build` makes it.

The personal paragraph is in the first section and its length differs by recipient,
so everything after it moves, and page breaks fall in different places per letter.
"""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pdfplumber

from .conftest import ROOT, assert_clean_error, run_cli
from .pdfcheck import page_sizes, pdfinfo, qpdf_check, text

NOTE = "please read this page again before your next visit. "
#: (first name, note): notes of 1 to 900 words
PEOPLE = [("Ana", NOTE), ("Bartholomew", NOTE * 100), ("Li", "ok."), ("Zoë", NOTE * 4)]


#: The first two sections' text, the tests' own: the page breaks below are worked out for
#: it (the shipped wording is rewritten as a clinician reviews it)
FIRST_SECTIONS = """  - heading: What is a trigger point?
    body: |
      A trigger point is a tight, tender knot in a muscle. You may feel it as a
      small lump or a hard band under the skin. It often hurts when you press on it.

      A trigger point can also send pain to other parts of the body. For example,
      a knot in your neck may cause a headache. A knot in your shoulder may cause
      pain down your arm.

      Knots can form after an injury. They can also come from stress, poor posture
      or using the same muscles over and over.

  - heading: How does the injection work?
    body: |
      Your doctor uses a very thin needle to put a small amount of medicine
      into the knot. Most often this is a local anesthetic (numbing medicine).
      Sometimes a steroid is added. Sometimes only salt water (saline) is used.

      The needle and the medicine help the tight muscle let go and relax. When
      the knot relaxes, the pain often eases too. Some people feel better right
      away.

"""


def _personalise(project: Path) -> None:
    p = project / "handouts" / "trigger-point-injections.yaml"
    s = p.read_text(encoding="utf-8")
    # (the page breaks below are worked out for the text from "What is a trigger point?"
    # on, FIRST_SECTIONS: the key points box that opens the handout goes)
    k = s.index("  - heading: 3 things to know")
    after = s.index("\n  - heading: ", s.index("  - heading: How does the injection work?")) + 1
    s = s[:k] + FIRST_SECTIONS + s[after:]
    i = s.index("sections:")
    j = s.index("body: |", i) + len("body: |\n")
    s = s[:j] + "      {{ patient.first_name }}, {{ visit.note }}\n\n" + s[j:]
    # approved, with a brand that is not a sample: a real mailing, no PROOF stamp, so the
    # letters can be compared with build's word for word
    s = s.replace('status: draft\n  reviewed_by: ""', 'status: approved\n  reviewed_by: "Test"')
    p.write_text(s, encoding="utf-8")
    (project / "handouts" / "trigger-point-injections.es.yaml").unlink()  # a draft
    brand = (ROOT / "bench" / "riverside.yaml").read_text(encoding="utf-8")
    (project / "layouts" / "brands" / "clinic.yaml").write_text(brand, encoding="utf-8")


def _address(i: int, first: str, note: str) -> list[str]:
    return [first, f"Ruiz{i}", f"{i} Main St", "Fresno", "CA", "93701", note.strip()]


def _placed(pdf: Path) -> list[list[tuple[str, float, float]]]:
    """Every word on each page and where it sits (to 0.1 pt), top to bottom (the file is
    read once, not once per page: a merged mailing has many)."""
    with pdfplumber.open(str(pdf)) as doc:
        pages = [page.extract_words() for page in doc.pages]
    out = []
    for words in pages:
        placed = [(w["text"], round(w["x0"], 1), round(w["top"], 1)) for w in words]
        out.append(sorted(placed, key=lambda t: (t[2], t[1])))
    return out


def _batch_matches_build(
    project: Path, tmp_path: Path, people: list[tuple[str, str]], *batch_args: str
) -> list[Path]:
    """Mail ``people`` (first name, note) in one merged file; build each letter alone with
    the same values; every page of each letter has every word where build puts it.
    Returns build's letters."""
    src = tmp_path / "r.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["first_name", "last_name", "address1", "city", "state", "zip", "visit.note"])
        for i, (first, note) in enumerate(people, start=1):
            w.writerow(_address(i, first, note))
    merged = tmp_path / "out" / "m.pdf"
    res = run_cli(
        "batch", "trigger-point-injections", "--recipients", str(src), "--merged", str(merged),
        "--brand", "clinic", *batch_args, cwd=project, env={"HANDOUTS_BATCH_CHUNK": "3"},
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    qpdf_check(merged)
    with (merged.with_suffix(".manifest.csv")).open(encoding="utf-8") as fh:
        manifest = list(csv.DictReader(fh))
    assert [r["record"] for r in manifest] == [str(i) for i in range(1, len(people) + 1)]

    merged_words = _placed(merged)
    merged_text = text(merged).split("\f")  # pdftotext ends each page with a form feed
    singles = []
    for i, (first, note) in enumerate(people, start=1):
        single = tmp_path / f"single{i}.pdf"
        sets = ["patient.first_name", "patient.last_name", "patient.address1", "patient.city"]
        sets += ["patient.state", "patient.zip", "visit.note"]
        args = []
        for key, value in zip(sets, _address(i, first, note), strict=True):
            args += ["--set", f"{key}={value}"]
        res = run_cli(
            "build", "trigger-point-injections", "--layout", "letter", "-o", str(single), *args,
            "--brand", "clinic", cwd=project,
        )  # fmt: skip
        assert res.returncode == 0, res.stderr
        pages = len(page_sizes(single))
        row = manifest[i - 1]
        first_page, last_page = int(row["first_page"]), int(row["last_page"])
        # duplex: a letter of N pages takes N rounded up to whole sheets
        assert last_page - first_page + 1 == pages + pages % 2
        single_words = _placed(single)
        for k in range(pages):
            got = merged_words[first_page + k - 1]
            want = single_words[k]
            assert len(want) > 30  # a last page may hold only the sign-off
            assert got == want, f"record {i}, page {k + 1}"
        letter = " ".join(merged_text[first_page - 1 : last_page])
        assert f"{first}, {' '.join(note.split()[:3])}" in " ".join(letter.split())
        singles.append(single)
    return singles


def test_personal_sections_read_exactly_as_build_makes_each_letter(
    project: Path, tmp_path: Path
) -> None:
    _personalise(project)
    singles = _batch_matches_build(project, tmp_path, PEOPLE, "--jobs", "2")
    # the notes move the page breaks: not every letter has the same number of pages
    assert len({len(page_sizes(pdf)) for pdf in singles}) > 1


#: After a one-line paragraph, the second paragraph of the second section (not
#: personal): 12 lines.
STATIC = "The needle goes in for a few seconds and comes out again; the medicine spreads in it."


def test_a_shared_heading_at_the_foot_of_a_page_reads_as_build_makes_it(
    project: Path, tmp_path: Path
) -> None:
    """The second section is the same in every letter and laid out once; the personal
    notes above it put its heading at different heights near the foot of page 1. The
    heading takes the first two lines of text under it along (a paragraph splits by its
    own rules) or goes overleaf. Heading and paragraphs are shared between the letters;
    where the page breaks is worked out per letter, as build does."""
    _personalise(project)
    p = project / "handouts" / "trigger-point-injections.yaml"
    s = p.read_text(encoding="utf-8")
    i = s.index("heading: How does the injection work?")
    j = s.index("body: |", i) + len("body: |\n")
    long = " ".join([STATIC] * 12)
    p.write_text(
        s[:j] + f"      It takes a few minutes.\n\n      {long}\n\n" + s[j:], encoding="utf-8"
    )
    words = (NOTE * 30).split()
    # By the note's length in words, the room under the heading on page 1 is: the one-line
    # paragraph and two lines of the long one (the fewest to take along); less than a line
    # (the heading goes overleaf); the one-line paragraph and one line, which cannot be
    # split off (overleaf); all of it; the fewest again (the shared paragraph's splits,
    # worked out once, are used again). ReportLab drops a paragraph's lines when it cannot
    # split it (the second letter, the one-line paragraph, whose form the first letter
    # drew): the third must count them again.
    lengths = [187, 238, 205, 1, 187]
    people = [("Ana", " ".join(words[:n])) for n in lengths]
    singles = _batch_matches_build(project, tmp_path, people, "--jobs", "1")

    def where(pdf: Path) -> tuple[int, int, int]:
        """The page of the heading, its row on the page and the rows under it."""
        with pdfplumber.open(str(pdf)) as doc:
            for n, page in enumerate(doc.pages, start=1):
                rows = [
                    ln["text"] for ln in page.extract_text_lines() if ln["chars"][0]["size"] > 11
                ]
                if "How does the injection work?" in rows:
                    k = rows.index("How does the injection work?")
                    return n, k, len(rows) - k - 1
        raise AssertionError(f"{pdf.name}: no heading")

    # the cases the lengths are chosen for (a change to the letter's geometry moves them)
    fewest, no_room, one_line, whole, _ = (where(pdf) for pdf in singles)
    assert no_room[:2] == (2, 0) and one_line[:2] == (2, 0), (no_room, one_line)
    assert whole[0] == 1 and whole[2] >= 13, whole
    assert fewest[0] == 1 and fewest[2] == 3, fewest


def test_a_personal_title_lays_out_the_whole_letter_per_recipient(
    project: Path, tmp_path: Path
) -> None:
    """The title is drawn with the page decorations, which are otherwise shared: with a
    recipient field in it, nothing is shared and each letter is laid out in full."""
    p = project / "handouts" / "tpi-aftercare.yaml"
    s = p.read_text(encoding="utf-8")
    old = "title: After Your Trigger Point Injections\n"
    new = "title: '{{ patient.name }}: Aftercare'\n"
    assert old in s
    p.write_text(s.replace(old, new), encoding="utf-8")
    src = tmp_path / "r.csv"
    src.write_text(
        "first_name,last_name,address1,city,state,zip\n"
        "Ana,Ruiz,1 Main St,Fresno,CA,93701\nBo,Li,2 Main St,Fresno,CA,93701\n",
        encoding="utf-8",
    )
    out = tmp_path / "m.pdf"
    res = run_cli(
        "batch", "tpi-aftercare", "--recipients", str(src), "--merged", str(out), "--proof",
        cwd=project,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    with (tmp_path / "m.manifest.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row, name in zip(rows, ["Ana Ruiz", "Bo Li"], strict=True):
        first = " ".join(text(out, int(row["first_page"])).split())
        assert f"{name}: Aftercare" in first
    assert "Ana" not in pdfinfo(out)["Title"]  # the metadata title has no patient data


def test_a_letter_too_long_for_its_recipient_is_rejected_and_leaves_no_trace(
    project: Path, tmp_path: Path
) -> None:
    """The letter is laid out before it is known not to fit: its text must not stay in
    the merged file, not even in objects no page shows."""
    _personalise(project)
    # the note in every section: a letter far past 6 pages, each text under the 10,000
    # characters a text may have (one longer is refused before anything is laid out)
    p = project / "handouts" / "trigger-point-injections.yaml"
    s = p.read_text(encoding="utf-8")
    p.write_text(s.replace("body: |\n", "body: |\n      {{ visit.note }}\n\n"), encoding="utf-8")
    src = tmp_path / "r.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["first_name", "last_name", "address1", "city", "state", "zip", "visit.note"])
        w.writerow(_address(1, "Ana", NOTE))
        w.writerow(_address(2, "Quintessa", "Zanzibarite " * 380))
        w.writerow(_address(3, "Li", "ok."))
    merged = tmp_path / "out" / "m.pdf"
    res = run_cli(
        "batch", "trigger-point-injections", "--recipients", str(src), "--merged", str(merged),
        "--brand", "clinic", cwd=project,
    )  # fmt: skip
    assert res.returncode == 3, res.stderr
    assert "Quintessa" not in res.stderr + res.stdout and "Zanzibar" not in res.stderr
    rejects = (merged.with_suffix(".rejects.csv")).read_text(encoding="utf-8").splitlines()
    assert len(rejects) == 2 and rejects[1].startswith("2,3,"), rejects
    assert rejects[1].endswith("does not fit the layout"), rejects  # laid out, then refused
    qpdf_check(merged)
    # every stream uncompressed: the rejected row's words are nowhere in the file
    plain = tmp_path / "plain.pdf"
    subprocess.run(
        ["qpdf", "--qdf", "--object-streams=disable", str(merged), str(plain)], check=True
    )
    data = plain.read_bytes()
    assert b"(Ana" in data or b" Ana" in data  # ASCII stays readable: the check can see text
    assert "Zanzibarite" not in text(merged) and "Quintessa" not in text(merged)
    assert b"Zanzibarite" not in data and b"Quintessa" not in data


def test_what_fits_no_letter_is_an_error_before_any_row(project: Path, tmp_path: Path) -> None:
    """A brand whose footer line is too long fits no recipient's letter: one error, exit 1,
    nothing written (not every row rejected), also when sections use recipient fields."""
    _personalise(project)
    brand = project / "layouts" / "brands" / "clinic.yaml"
    text = brand.read_text(encoding="utf-8")
    # wider than the text (a shorter one flows on to a footer row of its own)
    long_street = "400 Harbor Avenue, Building Seven, Suite 210, Third Floor, East Wing, " * 2
    brand.write_text(text.replace("400 Harbor Ave, Suite 210", long_street), encoding="utf-8")
    src = tmp_path / "r.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["first_name", "last_name", "address1", "city", "state", "zip", "visit.note"])
        w.writerow(_address(1, "Ana", NOTE))
    out = tmp_path / "out" / "m.pdf"
    res = run_cli(
        "batch", "trigger-point-injections", "--recipients", str(src), "--merged", str(out),
        "--brand", "clinic", cwd=project,
    )  # fmt: skip
    (line,) = assert_clean_error(res, 1)
    assert line.startswith("layouts/brands/clinic.yaml:14:")  # the line that is too long
    assert line.endswith(
        "contact.address: the footer contact line does not fit the letter layout by 1 line "
        "(12 pt); shorten it"
    )
    assert not out.parent.exists()


def test_out_dir_letters_read_exactly_as_build_makes_them(project: Path, tmp_path: Path) -> None:
    """--out-dir lays the shared letter out again for every file, from remembered sizes and
    splits (forms live in one file): each file must still read as build makes it."""
    _personalise(project)
    p = project / "handouts" / "trigger-point-injections.yaml"
    s = p.read_text(encoding="utf-8")
    p.write_text(s.replace("      {{ patient.first_name }}, {{ visit.note }}\n\n", ""), "utf-8")
    src = tmp_path / "r.csv"
    people = [_address(1, "Ana", "")[:6], _address(2, "Bartholomew", "")[:6]]
    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["first_name", "last_name", "address1", "city", "state", "zip"])
        w.writerows(people)
    out = tmp_path / "letters"
    res = run_cli(
        "batch", "trigger-point-injections", "--recipients", str(src), "--out-dir", str(out),
        "--brand", "clinic", cwd=project,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    with (out / "manifest.csv").open(encoding="utf-8") as fh:
        manifest = list(csv.DictReader(fh))
    keys = ["first_name", "last_name", "address1", "city", "state", "zip"]
    for row, person in zip(manifest, people, strict=True):
        mailed = out / row["file"]
        qpdf_check(mailed)
        single = tmp_path / f"single-{row['record']}.pdf"
        args = [a for k, v in zip(keys, person, strict=True) for a in ("--set", f"patient.{k}={v}")]
        res = run_cli(
            "build", "trigger-point-injections", "--layout", "letter", "-o", str(single), *args,
            "--brand", "clinic", cwd=project,
        )  # fmt: skip
        assert res.returncode == 0, res.stderr
        pages = len(page_sizes(single))
        assert len(page_sizes(mailed)) == pages + pages % 2
        mailed_words, single_words = _placed(mailed), _placed(single)
        for k in range(pages):
            assert len(single_words[k]) > 30  # a last page may hold only the sign-off
            assert mailed_words[k] == single_words[k], f"{row['file']}, page {k + 1}"
