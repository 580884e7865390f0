"""PRODUCT.md walked line by line from outside (session 5): what the walk found, each a test.

Each test names the promise it checks; the deviations are listed in CHANGELOG.md
([Unreleased], "Contract walk (session 5)").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import assert_clean_error, run_cli

PHONE_LINE = '  phone: "(760) 555-0142"'


def _brand(project: Path, name: str, old: str, new: str) -> Path:
    path = project / "layouts" / "brands" / f"{name}.yaml"
    text = (project / "layouts" / "brands" / "palomar.yaml").read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))
    return path


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ('""', "must not be empty: the number patients call, e.g. (760) 555-0142"),
        ('"  "', "must not be empty: the number patients call, e.g. (760) 555-0142"),
        ('"call the front desk"', "expected a phone number"),
        ('"555"', "expected a phone number"),
        ('"(760) 555-0142; 911"', "expected a phone number"),
    ],
)
def test_a_brand_phone_that_is_not_a_number_is_refused(
    project: Path, phone: str, message: str
) -> None:
    """'A wrong phone number on a patient handout is a real harm; the tool must make it hard
    to print one': an empty phone printed "Call us if you have" with no number anywhere, and
    words in its place printed as the number. build and check refuse both at the brand's line."""
    _brand(project, "nophone", PHONE_LINE, f"  phone: {phone}")
    for command in ("build", "check"):
        res = run_cli(command, "tpi-aftercare", "--brand", "nophone", cwd=project)
        lines = assert_clean_error(res)
        assert lines[0].startswith("layouts/brands/nophone.yaml:25:10: contact.phone: " + message)
    assert not (project / "out").exists()


def test_a_brand_phone_as_clinics_write_them_is_accepted(project: Path) -> None:
    """An extension, an international number and an empty optional fax all still build."""
    brand = _brand(project, "intl", PHONE_LINE, '  phone: "+44 20 7946 0958 ext 12"')
    brand.write_text(brand.read_text().replace('  fax: "(760) 555-0143"', '  fax: ""'))
    out = project / "a.pdf"
    res = run_cli("build", "tpi-aftercare", "--brand", "intl", "-o", str(out), cwd=project)
    assert res.returncode == 0, res.stderr
    assert out.exists()


def test_set_never_echoes_what_was_typed_and_refuses_a_key_given_twice(tmp_path: Path) -> None:
    """'Patient data never in errors': `--set "Zoe Quill"` (the key forgotten) said
    `expected KEY=VALUE, got 'Zoe Quill'`. And `--set patient.name=Ana --set patient.name=Bob`
    printed Bob with nothing said: a key given twice is a usage error now (exit 2)."""
    out = tmp_path / "a.pdf"
    res = run_cli("build", "tpi-aftercare", "--set", "Zoe Quill", "-o", str(out))
    assert assert_clean_error(res, code=2)[-1] == (
        "Error: Invalid value for --set: expected KEY=VALUE, e.g. --set patient.name='Ana Ruiz'"
    )
    assert "Zoe" not in res.stderr and "Quill" not in res.stderr
    twice = ("--set", "patient.name=Zoe Quill", "--set", "patient.name=Bob Ray")
    res = run_cli("build", "tpi-aftercare", *twice, "-o", str(out))
    assert assert_clean_error(res, code=2)[-1] == (
        "Error: Invalid value for --set: patient.name is given twice"
    )
    assert "Zoe" not in res.stderr and "Bob" not in res.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("base", "line", "expected"),
    [
        ("sheet", "  left: 0.6in", "17:3: margins: left 7.2 pt"),
        ("large-print", "  bottom: 0.5in", "20:3: margins: bottom 7.2 pt"),
        ("trifold", "  top: 0.35in ", "37:3: geometry: top 7.2 pt"),
    ],
)
def test_text_margins_cannot_undercut_the_safe_margin(
    project: Path, base: str, line: str, expected: str
) -> None:
    """'--target office: content inside a 0.25 in safe margin': a layout whose margin was
    0.1 in built, and its text printed 7.2 pt from the paper's edge."""
    path = project / "layouts" / "edgy.yaml"
    text = (project / "layouts" / f"{base}.yaml").read_text()
    assert text.count(line) == 1, line
    side = line.split(":")[0]
    path.write_text(text.replace(line, f"{side}: 0.1in "))
    res = run_cli("build", "tpi-aftercare", "--layout", "edgy", cwd=project)
    assert assert_clean_error(res) == [
        f"layouts/edgy.yaml:{expected} is less than safe_margin (18 pt): text there would "
        "print where desk printers cannot"
    ]
    assert not (project / "out").exists()


def test_readme_lists_what_command_1_leaves(tmp_path: Path) -> None:
    """The README's first command, as a new user reads it: the files it says `build` leaves
    are the files `build` writes (it listed six of the eight: the mailing letters were
    missing), with the page counts it gives. The handouts are those in git (a clinic's own,
    added beside them, would be built too)."""
    import re
    import subprocess

    from pypdf import PdfReader

    from .conftest import ROOT

    tracked = subprocess.run(
        ["git", "ls-files", "handouts/*.yaml"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout: which handouts are shipped is unknown")

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("Command 1 leaves:", 1)[1].split("```", 2)[1]
    listed = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^out/(\S+\.pdf)(?:\s+.*?(\d+) pages?)?", block, re.M)
    }
    out = tmp_path / "out"
    res = run_cli("build", *(Path(p).stem for p in tracked), "--out-dir", str(out))
    assert res.returncode == 0, res.stderr
    assert sorted(listed) == sorted(p.name for p in out.iterdir())
    for name, pages in listed.items():
        if pages:
            assert len(PdfReader(out / name).pages) == int(pages), name


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # paper 0 in wide was "error: internal error (AttributeError)"
        ({"  width: 8.5in ": "  width: 0in "}, "6:10: paper.width: 0 pt: expected a paper size"),
        ({"  height: 11in": "  height: -11in"}, "7:11: paper.height: -792 pt: expected a paper"),
        # margins wider than the paper: an internal error too
        (
            {"  left: 0.6in": "  left: 5in", "  right: 0.6in": "  right: 5in"},
            "17:3: margins: no room is left for text",
        ),
        # 'overflows page 0 by 49 lines'
        ({"max_pages: 2": "max_pages: 0"}, "8:12: max_pages: at least 1"),
        # built, every line of text printed over the one before
        (
            {"body_leading: 15.5pt": "body_leading: 2pt"},
            "22:3: type: body_leading 2 pt is less than body 12 pt: the lines would overlap",
        ),
    ],
)
def test_a_layout_file_with_impossible_numbers_is_one_located_line(
    project: Path, changes: dict[str, str], expected: str
) -> None:
    """'Layout geometry … lives in the layout YAML': a number no page can have is an error at
    its line (`path:line:col: field: message`), never an internal error or a PDF of
    overlapping lines."""
    path = project / "layouts" / "odd.yaml"
    text = (project / "layouts" / "sheet.yaml").read_text()
    for old, new in changes.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text)
    res = run_cli("build", "tpi-aftercare", "--layout", "odd", cwd=project)
    (line,) = assert_clean_error(res)
    assert line.startswith(f"layouts/odd.yaml:{expected}"), line
    assert not (project / "out").exists()


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("handouts/tpi-aftercare.yaml", "title: After", 'title: ""  # After', "6:8: title"),
        ("handouts/tpi-aftercare.yaml", "form: PSP-TPI-02", 'form: " "', "9:7: form"),
        (
            "handouts/tpi-aftercare.yaml",
            "  - heading: 3 things to know",
            '  - heading: ""',
            "26:14: sections[0].heading",
        ),
        ("layouts/brands/palomar.yaml", "name: Palomar Spine & Pain", 'name: ""', "4:7: name"),
        (
            "layouts/brands/palomar.yaml",
            '  address: ["100 Sample Street, Suite 200", "Escondido, CA 92025"]',
            '  address: ["  "]',
            "28:13: contact.address[0]",
        ),
    ],
)
def test_a_blank_required_text_is_an_error(
    project: Path, file: str, old: str, new: str, expected: str
) -> None:
    """Required texts are required: a blank title built a handout with an empty heading and
    an empty /Title, a blank section heading an empty H2, a blank clinic name or address
    line a footer without them; `check` said OK to all."""
    path = project / file
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new, 1))
    for command in ("check", "build"):
        res = run_cli(command, "tpi-aftercare", cwd=project)
        assert assert_clean_error(res)[0] == f"{file}:{expected}: must not be empty", command
    assert not (project / "out").exists()


def test_two_columns_that_are_both_the_zip_are_ambiguous(tmp_path: Path) -> None:
    """'Column names are matched forgivingly': "ZIP" and "Zip Code" in one export (with
    different values) took the first with nothing said, where "Address" and "Mailing Address"
    were an error. Both exact names are now the same error; --columns says which."""
    import csv

    rows = tmp_path / "r.csv"
    with rows.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["First Name", "Street", "City", "State", "ZIP", "Visit Date", "Zip Code"])
        w.writerow(["Zoe", "1 Main St", "Vista", "CA", "92083", "Nov 2", "92084"])
    out = tmp_path / "out"
    res = run_cli("batch", "tpi-follow-up", "--proof", "--recipients", str(rows),
                  "--out-dir", str(out))  # fmt: skip
    assert assert_clean_error(res) == [
        f"{rows}:1: header: 'ZIP' and 'Zip Code' could both be zip: say which with --columns "
        "MAP.yaml (zip: <column>)"
    ]
    assert not out.exists() or not any(out.iterdir())
    columns = tmp_path / "map.yaml"
    columns.write_text("zip: Zip Code\n")
    res = run_cli("batch", "tpi-follow-up", "--proof", "--recipients", str(rows),
                  "--out-dir", str(out), "--columns", str(columns))  # fmt: skip
    assert res.returncode == 0, res.stderr
    from pypdf import PdfReader

    assert "Vista, CA 92084" in PdfReader(out / "000001.pdf").pages[0].extract_text()


def test_a_csv_of_blank_records_is_nothing_to_mail(tmp_path: Path) -> None:
    """A CSV with only its header is 'nothing to mail', exit 1; one whose records were all
    blank exited 0 with no PDF (a script would send the mail house nothing). Now the same
    error, and nothing is left in the folder."""
    rows = tmp_path / "r.csv"
    rows.write_text("First Name,Street,City,State,ZIP,Visit Date\n,,,,,\n , ,,,,\n")
    for target in (("--merged", str(tmp_path / "m" / "m.pdf")), ("--out-dir", str(tmp_path / "d"))):
        res = run_cli("batch", "tpi-follow-up", "--proof", "--recipients", str(rows), *target)
        assert assert_clean_error(res) == [f"{rows}: every record (2) is blank: nothing to mail"]
        folder = Path(target[1]).parent if target[0] == "--merged" else Path(target[1])
        assert not folder.exists() or not list(folder.iterdir())
