"""PRODUCT.md, promise by promise: the commands as an outside test drives them.

Each test names the promise it checks; see the audit in CHANGELOG.md ([Unreleased], Fixed).
"""

from __future__ import annotations

import re
from pathlib import Path

from . import pdfcheck, shipped
from .conftest import assert_clean_error, run_cli

CASES = Path(__file__).parent / "cases"


def _expire(project: Path, handout: str = "tpi-aftercare") -> Path:
    path = project / "handouts" / f"{handout}.yaml"
    current = f"next_review: {shipped.content(handout)['review']['next_review']}"
    assert path.read_text().count(current) == 1
    path.write_text(path.read_text().replace(current, "next_review: 2026-01-01"))
    return path


def test_preview_warns_about_a_passed_review_date_as_build_does(project: Path) -> None:
    """preview/print share build's loading steps, so they warn the same way."""
    _expire(project)
    build = run_cli("build", "tpi-aftercare", "-o", str(project / "a.pdf"), cwd=project)
    preview = run_cli("preview", "tpi-aftercare", "-o", str(project / "a.png"), cwd=project)
    assert build.returncode == 0 and preview.returncode == 0, build.stderr + preview.stderr
    expected = re.compile(
        r"^handouts/tpi-aftercare\.yaml:\d+:\d+: review\.next_review: warning: review was due "
        r"on 2026-01-01 \(330 days ago\)"
    )
    assert [line for line in build.stderr.splitlines() if expected.match(line)], build.stderr
    assert build.stderr == preview.stderr


def test_a_failed_build_writes_no_file_at_all(tmp_path: Path) -> None:
    """'A failed command leaves no partial output file behind': not even the layout that fit."""
    handout = tmp_path / "two.yaml"
    text = (CASES / "overflow" / "handout.yaml").read_text()
    handout.write_text(text.replace("layouts: [sheet]", "layouts: [large-print, sheet]"))
    out = tmp_path / "out"
    lines = assert_clean_error(run_cli("build", str(handout), "--out-dir", str(out)))
    assert lines == [
        f"{handout}:17:5: sections[1]: sheet: 'When to call us' overflows page 2 by 76 lines "
        "(1176 pt)"
    ]
    assert not out.exists() or not list(out.iterdir())
    # with another, good handout in the same command: nothing is written either
    res = run_cli("build", "tpi-aftercare", str(handout), "--out-dir", str(out))
    assert_clean_error(res)
    assert res.stdout == ""
    assert not out.exists() or not list(out.iterdir())


def test_layout_given_as_a_path_is_named_by_its_file(project: Path, tmp_path: Path) -> None:
    """--layout takes a name or a YAML path; the output is still out/<id>-<layout>.pdf."""
    layout = tmp_path / "elsewhere" / "my-sheet.yaml"
    layout.parent.mkdir()
    layout.write_text((project / "layouts" / "sheet-a4.yaml").read_text())
    out = tmp_path / "out"
    for ref in (str(layout), "layouts/sheet-a4.yaml"):
        res = run_cli("build", "tpi-aftercare", "--layout", ref, "--out-dir", str(out), cwd=project)
        assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "tpi-aftercare-my-sheet.pdf",
        "tpi-aftercare-sheet-a4.pdf",
    ]
    assert res.stdout.splitlines() == [str(out / "tpi-aftercare-sheet-a4.pdf")]


def test_an_output_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    """Errors are one line per problem with no traceback, also when the disk says no."""
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder")
    pdf, png = blocked / "x.pdf", blocked / "x.png"
    lines = assert_clean_error(run_cli("build", "tpi-aftercare", "-o", str(pdf)))
    assert lines == [f"-o {pdf}: cannot write the file: {blocked} is a file, not a folder"]
    lines = assert_clean_error(run_cli("preview", "tpi-aftercare", "-o", str(png)))
    assert lines == [f"-o {png}: cannot write the file: {blocked} is a file, not a folder"]
    # a folder that refuses new files (as root, /proc does)
    lines = assert_clean_error(run_cli("build", "tpi-aftercare", "-o", "/proc/x.pdf"))
    assert len(lines) == 1 and lines[0].startswith("-o /proc/x.pdf: cannot write the file: ")


def _brand(project: Path, name: str, **replace: str) -> Path:
    text = (project / "layouts" / "brands" / "palomar.yaml").read_text()
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    path = project / "layouts" / "brands" / f"{name}.yaml"
    path.write_text(text)
    return path


def test_missing_logo_is_named_at_its_line_by_every_command(project: Path) -> None:
    """A missing logo: `path:line:col: field: message`, the same from build, preview and check."""
    _brand(
        project,
        "nologo",
        **{"logo_on_band: palomar-logo-white.svg": "logo_on_band: gone-white.svg"},
    )
    line = "layouts/brands/nologo.yaml:7:15: logo_on_band: logo file not found"
    out = project / "out"
    build = run_cli("build", "tpi-aftercare", "--brand", "nologo", cwd=project)
    assert assert_clean_error(build) == [line]
    preview = run_cli(
        "preview", "tpi-aftercare", "--brand", "nologo", "-o", str(out / "x.png"), cwd=project
    )
    assert assert_clean_error(preview) == [line]
    check = run_cli("check", "tpi-aftercare", "--brand", "nologo", cwd=project)
    assert line in assert_clean_error(check)
    assert not out.exists()


def test_a_misspelt_set_key_is_an_error_not_a_blank_line(tmp_path: Path) -> None:
    """--set fills personal fields: a key the handout does not use is a typo, never ignored."""
    pdf = tmp_path / "a.pdf"
    res = run_cli("build", "tpi-aftercare", "--set", "patient.nmae=Ana Ruiz", "-o", str(pdf))
    assert assert_clean_error(res) == [
        "--set patient.nmae: not a field of tpi-aftercare (did you mean 'patient.name'?)"
    ]
    assert "Ana" not in res.stderr and not pdf.exists()
    res = run_cli("preview", "tpi-aftercare", "--set", "visit.xyz=1", "-o", str(tmp_path / "a.png"))
    assert assert_clean_error(res) == [
        "--set visit.xyz: not a field of tpi-aftercare; fields: patient.name, provider.name, "
        "visit.date, visit.follow_up, visit.follow_up_time, visit.medicine, visit.sites"
    ]
    # a field the text names, and the letter's address fields, are used
    ok = run_cli(
        "build",
        "tpi-aftercare",
        "--layout",
        "letter",
        "--set",
        "patient.name=Ana Ruiz",
        "--set",
        "patient.city=Escondido",
        "-o",
        str(pdf),
    )
    assert ok.returncode == 0, ok.stderr


def test_lang_is_never_ignored(project: Path, tmp_path: Path) -> None:
    """--lang picks the translation: with no HANDOUT it builds every handout in that language;
    a handout written in another language is an error, not a silent build in the wrong one."""
    out = tmp_path / "out"
    res = run_cli("build", "--lang", "es", "--out-dir", str(out), cwd=project)
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "tpi-aftercare.es-sheet.pdf",
        "tpi-follow-up.es-letter.pdf",
        "trigger-point-injections.es-sheet.pdf",
        "trigger-point-injections.es-trifold.pdf",
    ]
    res = run_cli("build", "tpi-aftercare.es", "--lang", "en", "--out-dir", str(out), cwd=project)
    assert assert_clean_error(res) == [
        "--lang en: handouts/tpi-aftercare.es.yaml is written in 'es'"
    ]
    english = project / "handouts" / "tpi-aftercare.yaml"
    res = run_cli("build", str(english), "--lang", "es", "--out-dir", str(out), cwd=project)
    assert assert_clean_error(res) == ["--lang es: handouts/tpi-aftercare.yaml is written in 'en'"]
    res = run_cli("check", "--lang", "vi", cwd=project)
    assert assert_clean_error(res) == [
        "handout 'tpi-aftercare' has no 'vi' translation (handouts/tpi-aftercare.vi.yaml); "
        "translations: es",
        "handout 'tpi-follow-up' has no 'vi' translation (handouts/tpi-follow-up.vi.yaml); "
        "translations: es",
        "handout 'trigger-point-injections' has no 'vi' translation "
        "(handouts/trigger-point-injections.vi.yaml); translations: es",
    ]
    check = run_cli("check", "--lang", "es", cwd=project)
    assert check.returncode == 0, check.stderr
    assert [line.split()[0] for line in check.stdout.splitlines() if line[:1].isalpha()] == [
        "tpi-aftercare.es",
        "tpi-follow-up.es",
        "trigger-point-injections.es",
        "check:",
    ]


def test_every_unknown_handout_is_reported_at_once(tmp_path: Path, shipped_root: Path) -> None:
    res = run_cli("build", "nope", "tpi-aftercar", "--out-dir", str(tmp_path), cwd=shipped_root)
    assert assert_clean_error(res) == [
        "unknown handout 'nope'; handouts: tpi-aftercare, tpi-follow-up, trigger-point-injections",
        "unknown handout 'tpi-aftercar' (did you mean 'tpi-aftercare'?)",
    ]


def test_yaml_11_values_print_exactly_as_typed(tmp_path: Path) -> None:
    """'NO', '01234', '1.10' and '12:30' stay text (PyYAML would make False, 668, 1.1, 750)."""
    text = (CASES / "yaml11-typing" / "handout.yaml").read_text()
    for old, new in (("revised: 12:30", "revised: 2026-11-01"), ("status: off", "status: draft")):
        text = text.replace(old, new)
    handout = tmp_path / "y.yaml"
    handout.write_text(text.replace("on: yes\n", ""))
    pdf = tmp_path / "y.pdf"
    res = run_cli("build", str(handout), "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    words = pdfcheck.text(pdf).split()
    for typed in ("NO", "1.10", "01234", "12:30"):
        assert typed in words, typed


def test_source_date_epoch_fixes_bytes_and_a_bad_one_is_refused(tmp_path: Path) -> None:
    """'Deterministic output is available (same input, same bytes)' via SOURCE_DATE_EPOCH;
    a malformed value must not quietly give ordinary (dated, varying) output."""
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (a, b):
        assert run_cli("build", "tpi-aftercare", "-o", str(out)).returncode == 0
    assert a.read_bytes() == b.read_bytes()
    assert b"D:20261127000000" in a.read_bytes()  # the epoch's date, not the clock's
    for bad in ("yesterday", "1.5e9", "99999999999999999999"):
        res = run_cli(
            "build", "tpi-aftercare", "-o", str(tmp_path / "c.pdf"), env={"SOURCE_DATE_EPOCH": bad}
        )
        assert assert_clean_error(res) == [
            f"SOURCE_DATE_EPOCH={bad!r}: expected a whole number of seconds since "
            "1970-01-01 UTC (or unset it)"
        ]
    assert not (tmp_path / "c.pdf").exists()


def _layout(project: Path, name: str, base: str, **replace: str) -> Path:
    text = (project / "layouts" / f"{base}.yaml").read_text()
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    path = project / "layouts" / f"{name}.yaml"
    path.write_text(text)
    return path


def test_a_layout_file_cannot_undercut_the_promised_sizes(project: Path) -> None:
    """Body text at least 12 pt on a tri-fold and on sheets; content at least 0.25 in
    inside the paper's edge: a layout file may not promise less (a copy for A5, say)."""
    _layout(
        project,
        "small-sheet",
        "sheet",
        **{"  body: 12pt": "  body: 10pt", "  min_body: 12pt": "  min_body: 9pt"},
    )
    _layout(project, "edgy-trifold", "trifold", **{"safe_margin: 0.25in": "safe_margin: 0.1in"})
    res = run_cli("build", "tpi-aftercare", "--layout", "small-sheet", cwd=project)
    assert assert_clean_error(res) == [
        "layouts/small-sheet.yaml:22:3: type: min_body 9 pt is below 12 pt, the least body text "
        "a sheet layout may set"
    ]
    res = run_cli("build", "tpi-aftercare", "--layout", "edgy-trifold", cwd=project)
    assert assert_clean_error(res) == [
        "layouts/edgy-trifold.yaml:14:14: safe_margin: 7.2 pt is less than 0.25 in (18 pt): "
        "desk printers cannot print that close to the edge"
    ]
    assert not (project / "out").exists()


def test_an_unquoted_brand_colour_says_to_quote_it(project: Path) -> None:
    _brand(project, "unquoted", **{'primary: "#0E5A6B"': "primary: #0E5A6B"})
    res = run_cli("build", "tpi-aftercare", "--brand", "unquoted", cwd=project)
    assert assert_clean_error(res) == [
        'layouts/brands/unquoted.yaml:9:11: colors.primary: expected a colour as "#RRGGBB", '
        "in quotes (an unquoted # starts a comment)"
    ]


def test_markdown_paragraphs_walk_lists_in_reading_order() -> None:
    """One walk of the Markdown tree, used by the reading-level measure (each paragraph and
    list item is a sentence of its own)."""
    from handoutpress.markdown import paragraphs, parse_blocks, plain_text
    from handoutpress.readability import prose

    body = "Intro **here**.\n\n1. First\n   - nested *one*\n   - nested two\n2. Second\n\nEnd"
    texts = [plain_text(p.spans) for p in paragraphs(parse_blocks(body))]
    assert texts == ["Intro here.", "First", "nested one", "nested two", "Second", "End"]
    assert prose(body).splitlines() == [
        "Intro here.",
        "First.",
        "nested one.",
        "nested two.",
        "Second.",
        "End.",
    ]


def test_personal_output_is_private_down_to_its_new_folder(tmp_path: Path) -> None:
    """Files with patient data are 0600 and folders made for them 0700 (hostile inputs list)."""
    folder = tmp_path / "today" / "desk"
    res = run_cli(
        "build", "tpi-aftercare", "--set", "patient.name=Ana Ruiz", "--out-dir", str(folder)
    )
    assert res.returncode == 0, res.stderr
    assert (folder / "tpi-aftercare-sheet.pdf").stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "today").stat().st_mode & 0o777 == 0o700
    plain = tmp_path / "plain"
    assert run_cli("build", "tpi-aftercare", "--out-dir", str(plain)).returncode == 0
    assert (plain / "tpi-aftercare-sheet.pdf").stat().st_mode & 0o077 != 0  # not personal


def test_no_image_or_link_comes_from_content_or_data(tmp_path: Path) -> None:
    """Hostile inputs: `<img src=…>`, Markdown images and javascript: links print as text;
    no image, annotation or action enters the PDF from content or --set values."""
    from pypdf import PdfReader

    logo = Path(__file__).resolve().parent.parent / "layouts" / "brands" / "palomar-logo.svg"
    text = (CASES / "typo-key" / "handout.yaml").read_text().replace("styel:", "style:")
    body = (
        f'Use ice <img src="{logo}"> '
        "or [call](javascript:alert(1)). Call {{ clinic.phone }} with questions."
    )
    handout = tmp_path / "h.yaml"
    handout.write_text(
        text.replace("Use ice for the first day. Call {{ clinic.phone }} with questions.", body)
    )
    pdf = tmp_path / "h.pdf"
    value = "<img src=x> [Pat](javascript:x)"
    res = run_cli("build", str(handout), "--set", f"patient.name={value}", "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    raw = pdf.read_bytes()
    assert not re.search(rb"/Subtype\s*/Image\b", raw), "an image came from content or data"
    assert b"/JavaScript" not in raw and b"/URI" not in raw
    assert all("/Annots" not in page for page in PdfReader(pdf).pages)
    words = pdfcheck.words(pdf)
    assert value in words  # printed exactly as given
    assert f'<img src="{logo}">' in words.replace("\n", "") or "<img src=" in words
    # a Markdown picture is a file inside the handout's folder: an absolute path to a file
    # elsewhere (here the brand's logo) is refused at its line, never drawn
    handout.write_text(
        text.replace(
            "Use ice for the first day. Call {{ clinic.phone }} with questions.",
            f"Use ice.\n\n      ![a picture]({logo})",
        )
    )
    lines = assert_clean_error(run_cli("build", str(handout), "-o", str(tmp_path / "p.pdf")))
    assert len(lines) == 1 and lines[0].endswith(
        f"sections[0].body: {logo}: give the picture's path relative to the handout file"
    ), lines


def test_an_oversized_content_file_is_refused_before_parsing(tmp_path: Path) -> None:
    """YAML bombs: content files are capped (1 MB) as well as refusing anchors and aliases."""
    handout = tmp_path / "big.yaml"
    text = (CASES / "typo-key" / "handout.yaml").read_text().replace("styel:", "style:")
    handout.write_text(text + "# " + "x" * 1_000_000 + "\n")
    res = run_cli("build", str(handout), "--out-dir", str(tmp_path / "out"))
    assert assert_clean_error(res) == [f"{handout}: file is larger than 1000 kB"]
    assert not (tmp_path / "out").exists()
