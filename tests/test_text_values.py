"""Text that would print wrong is refused everywhere with one line naming the characters
(issue 9, items 6 and 7): right-to-left scripts (printed reversed: "עברית" as "תירבע"),
characters beyond U+FFFF (an emoji's text layer read as U+1F60), and ``--set`` values with a
line break (which said "too long"). ``batch`` refuses the same characters in a row through the
same predicates (handoutpress/scripts.py); the rows' messages are tested in test_batch*.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from handoutpress.scripts import unsupported_text

from . import shipped
from .conftest import ROOT, assert_clean_error, run_cli

RTL = "has right-to-left text ({}), which would print reversed: Handout Press sets " \
    "left-to-right scripts only"  # fmt: skip
HEBREW = "U+05E2, U+05D1, U+05E8, U+05D9, U+05EA"  # עברית


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("עברית", RTL.format(HEBREW)),
        ("Ana عربي", RTL.format("U+0639, U+0631, U+0628, U+064A")),
        (
            "Ana 😀",
            "has characters beyond U+FFFF (U+1F600, e.g. an emoji), which the PDF's text layer "
            "would read as other characters: remove them",
        ),
        ("Ana\nRuiz", "has a line break: a field is one line"),
        ("Ana\r\nRuiz", "has a line break: a field is one line"),
    ],
)
@pytest.mark.parametrize("layout", ["sheet", "letter"])
def test_set_value_that_would_print_wrong(
    value: str, message: str, layout: str, tmp_path: Path
) -> None:
    key = "patient.name" if layout == "sheet" else "patient.first_name"
    out = tmp_path / "x.pdf"
    res = run_cli(
        "build", "tpi-aftercare", "--layout", layout, "--set", f"{key}={value}", "-o", str(out)
    )
    assert assert_clean_error(res) == [f"--set {key}: {message}"]
    assert value.split()[-1] not in res.stderr  # the value itself is never quoted
    assert not out.exists()


def _with_body_text(tmp_path: Path, text: str) -> Path:
    source = (ROOT / "handouts" / "tpi-aftercare.yaml").read_text()
    # the first line of the first section that starts with a paragraph (not a list)
    body = next(
        s["body"] for s in shipped.sections("tpi-aftercare") if not s["body"].startswith("- ")
    )
    old = "      " + body.splitlines()[0]
    assert source.count(old) == 1
    path = tmp_path / "h.yaml"
    path.write_text(source.replace(old, f"      {text} {old.strip()}"))
    return path


def _section(path: Path, text: str) -> int:
    """The index of the section whose body holds ``text``."""
    import yaml

    sections = yaml.safe_load(path.read_text())["sections"]
    return next(i for i, s in enumerate(sections) if text in s["body"])


def _line_col(path: Path, text: str) -> tuple[int, int]:
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if text in line:
            return n, line.index(text) + 1
    raise AssertionError(text)


def test_right_to_left_content_is_refused_by_build_and_check(tmp_path: Path) -> None:
    handout = _with_body_text(tmp_path, "Hebrew: עברית.")
    line, col = _line_col(handout, "עברית")
    i = _section(handout, "עברית")
    expected = f"{handout}:{line}:{col}: sections[{i}].body: {RTL.format(HEBREW)}"
    res = run_cli("build", str(handout), "--out-dir", str(tmp_path / "out"))
    assert assert_clean_error(res) == [expected]
    assert not (tmp_path / "out").exists()
    res = run_cli("check", str(handout))
    assert res.returncode == 1
    assert expected in res.stderr.splitlines()
    res = run_cli(
        "build", str(handout), "--set", "patient.name=Ana", "-o", str(tmp_path / "p.pdf")
    )  # with personal values too
    assert assert_clean_error(res) == [expected]


def test_content_no_font_prints_is_refused_with_personal_values_too(tmp_path: Path) -> None:
    """A character of the handout's own text that no bundled font has: refused at its line
    whether or not the build is given personal values (with them, the text was not
    checked: the letter printed an empty box)."""
    handout = _with_body_text(tmp_path, "Chinese: \u4e2d.")
    line, col = _line_col(handout, "\u4e2d")
    i = _section(handout, "\u4e2d")
    expected = (
        f"{handout}:{line}:{col}: sections[{i}].body: has characters no bundled font can "
        "print (U+4E2D)"
    )
    res = run_cli("build", str(handout), "--out-dir", str(tmp_path / "out"))
    assert assert_clean_error(res) == [expected]
    res = run_cli("build", str(handout), "--set", "patient.name=Ana", "-o", str(tmp_path / "p.pdf"))
    assert assert_clean_error(res) == [expected]
    assert not (tmp_path / "p.pdf").exists()


def test_emoji_in_content_is_refused(tmp_path: Path) -> None:
    handout = _with_body_text(tmp_path, "Smile 😀.")
    res = run_cli("build", str(handout), "-o", str(tmp_path / "x.pdf"))
    (line,) = assert_clean_error(res)
    i = _section(handout, "😀")
    assert line.endswith(f"sections[{i}].body: " + unsupported_text("😀"))  # type: ignore[operator]


def test_right_to_left_brand_name_is_refused_at_its_line(tmp_path: Path) -> None:
    brand = tmp_path / "b.yaml"
    source = (ROOT / "layouts" / "brands" / "palomar.yaml").read_text()
    source = source.replace("name: Palomar Spine & Pain", "name: מרפאה")
    source = source.replace(
        "logo: palomar-logo.svg", "logo: " + str(ROOT / "layouts/brands/palomar-logo.svg")
    )
    source = source.replace(
        "logo_on_band: palomar-logo-white.svg",
        "logo_on_band: " + str(ROOT / "layouts/brands/palomar-logo-white.svg"),
    )
    brand.write_text(source)
    line, col = _line_col(brand, "מרפאה")
    expected = f"{brand}:{line}:{col}: name: {RTL.format('U+05DE, U+05E8, U+05E4, U+05D0, U+05D4')}"
    res = run_cli("build", "tpi-aftercare", "--brand", str(brand), "-o", str(tmp_path / "x.pdf"))
    assert assert_clean_error(res) == [expected]
    res = run_cli("check", "tpi-aftercare", "--brand", str(brand))
    assert expected in res.stderr.splitlines() and res.returncode == 1


def test_left_to_right_text_is_untouched() -> None:
    for text in ("José Muñoz", "Nguyễn Thảo", "Ελληνικά", "Русский", "→ ±", "ﬁ"):
        assert unsupported_text(text) is None


def test_set_value_with_spaces_but_no_quotes_hints_at_quotes(
    tmp_path: Path, shipped_root: Path
) -> None:
    res = run_cli(
        "build", "tpi-aftercare", "--set", "visit.date=Nov", "27,", "2026",
        "-o", str(tmp_path / "x.pdf"), cwd=shipped_root,  # the message lists the handouts
    )  # fmt: skip
    hint = "; if it is the rest of a --set value, put the value in quotes: "
    hint += '--set visit.date="Nov 27, 2026"'
    known = "; handouts: tpi-aftercare, tpi-follow-up, trigger-point-injections"
    assert assert_clean_error(res) == [
        f"unknown handout '27,'{known}{hint}",
        f"unknown handout '2026'{known}{hint}",
    ]
    res = run_cli("build", "tpi-aftercar", "-o", str(tmp_path / "x.pdf"))  # no --set: no hint
    assert assert_clean_error(res) == [
        "unknown handout 'tpi-aftercar' (did you mean 'tpi-aftercare'?)"
    ]


def test_an_unquoted_value_of_many_words_says_each_unknown_handout_once(tmp_path: Path) -> None:
    """``--set patient.name=Ana Ana Ana …`` without quotes: one line per word it was (50,000
    identical lines for a pasted paragraph), now each problem once."""
    res = run_cli(
        "build", "tpi-aftercare", "--set", "patient.name=Ana", *["Ruiz", "Ruiz", "Ana"] * 50,
        "-o", str(tmp_path / "x.pdf"),
    )  # fmt: skip
    lines = assert_clean_error(res)
    assert [line.split(";")[0] for line in lines] == [
        "unknown handout 'Ruiz'",
        "unknown handout 'Ana'",
    ]
