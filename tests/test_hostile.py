"""Hostile and broken handouts: exit 1, one exact line per problem, no traceback, no PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ROOT, assert_clean_error, run_cli

CASES = Path(__file__).parent / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if (p / "handout.yaml").is_file())


@pytest.mark.parametrize("name", NAMES)
def test_hostile_handout(name: str, tmp_path: Path) -> None:
    case = CASES / name
    handout = tmp_path / "handout.yaml"
    for file in case.iterdir():  # the handout and any pictures beside it
        if file.name not in ("expected.txt", "check.txt"):
            (tmp_path / file.name).write_bytes(file.read_bytes())
    out = tmp_path / "out"
    # a hostile template must fail in about a second; a generous bound turns a hang into a failure
    res = run_cli("build", str(handout), "--out-dir", str(out), timeout=60)
    lines = assert_clean_error(res, 1)
    expected = (case / "expected.txt").read_text().replace("{path}", str(handout))
    expected = expected.replace("{dir}", tmp_path.name).splitlines()
    assert lines == expected
    assert not out.exists() or not any(out.iterdir()), "a failed build wrote files"


def test_every_case_has_expected_output() -> None:
    assert len(NAMES) >= 15
    for name in NAMES:
        assert (CASES / name / "expected.txt").read_text().strip(), name


def test_python_tag_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    handout = tmp_path / "h.yaml"
    handout.write_text(f'title: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert_clean_error(run_cli("build", str(handout), "--out-dir", str(tmp_path / "o")))
    assert not marker.exists()


def test_failed_build_keeps_older_good_pdf(tmp_path: Path) -> None:
    good = tmp_path / "aftercare.pdf"
    res = run_cli("build", "tpi-aftercare", "-o", str(good))
    assert res.returncode == 0, res.stderr
    before = good.read_bytes()
    broken = tmp_path / "broken.yaml"
    broken.write_text((CASES / "overflow" / "handout.yaml").read_text())
    assert_clean_error(run_cli("build", str(broken), "--layout", "sheet", "-o", str(good)))
    assert good.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aftercare.pdf", "broken.yaml"]


def test_bad_set_value_is_named_not_printed(tmp_path: Path) -> None:
    res = run_cli(
        "build",
        "tpi-aftercare",
        "--set",
        "patient.name=\u4e2d\u6587 Secret",
        "-o",
        str(tmp_path / "x.pdf"),
    )
    lines = assert_clean_error(res)
    assert lines == [
        "--set patient.name: has characters no bundled font can print (U+4E2D, U+6587)"
    ]
    assert "Secret" not in res.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["nope"],
            "unknown handout 'nope'; handouts: tpi-aftercare, tpi-follow-up, "
            "trigger-point-injections",
        ),
        (["tpi-aftercar"], "unknown handout 'tpi-aftercar' (did you mean 'tpi-aftercare'?)"),
        (["tpi-aftercare", "--layout", "shet"], "unknown layout 'shet' (did you mean 'sheet'?)"),
        (["tpi-aftercare", "--brand", "nobrand"], "unknown brand 'nobrand'; brands: palomar"),
        (
            ["tpi-aftercare", "--set", "foo=bar"],
            "--set: 'foo' is not a personal field: use patient.NAME, visit.NAME or provider.NAME",
        ),
        (  # a patient's details typed where the key goes: never echoed
            ["tpi-aftercare", "--set", "Ana Ruiz, 1950-02-01=x"],
            "--set: the text before '=' (not shown: it is not a field's name, it may be a "
            "patient's) is not a personal field: use patient.NAME, visit.NAME or provider.NAME",
        ),
        (
            ["tpi-aftercare", "trigger-point-injections", "-o", "x.pdf"],
            "-o/--output needs exactly one handout and one layout; use --out-dir",
        ),
    ],
)
def test_usage_mistakes(args: list[str], message: str, tmp_path: Path, shipped_root: Path) -> None:
    # the lists of handouts and brands are the shipped ones (a clinic may have added more);
    # -o with several files is a usage error (exit 2), and -o goes without --out-dir
    where = [] if "-o" in args else ["--out-dir", str(tmp_path / "o")]
    res = run_cli("build", *args, *where, cwd=shipped_root)
    assert_clean_error(res, 2 if "-o" in args else 1)
    assert res.stderr.strip().splitlines()[-1] == message


@pytest.mark.parametrize(("escape", "named"), [("\\ud800", "U+D800"), ("\\0", "U+0000")])
def test_escaped_unprintable_character_in_the_brand_is_located(
    escape: str, named: str, project: Path, tmp_path: Path
) -> None:
    """A double-quoted YAML escape makes what the file may not hold as such (a lone half of
    a surrogate pair ended the build with "internal error (UnicodeEncodeError)")."""
    brand = project / "layouts" / "brands" / "palomar.yaml"
    text = brand.read_text(encoding="utf-8")
    brand.write_text(
        text.replace("name: Palomar Spine & Pain", f'name: "Palomar{escape} Spine"'),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    res = run_cli("build", "tpi-aftercare", "--out-dir", str(out), cwd=project)
    lines = assert_clean_error(res)
    assert len(lines) == 1 and lines[0].startswith("layouts/brands/palomar.yaml:4:7: name: ")
    assert named in lines[0] and "internal error" not in lines[0]
    assert not out.exists()


def test_a_brand_name_too_long_for_any_layout_is_refused_as_read(
    project: Path, tmp_path: Path
) -> None:
    """A 200 kB brand name was measured for a minute before its footer overflowed."""
    brand = project / "layouts" / "brands" / "palomar.yaml"
    text = brand.read_text(encoding="utf-8")
    brand.write_text(text.replace("Palomar Spine & Pain", "Palomar " * 25_000, 1), "utf-8")
    out = tmp_path / "out"
    res = run_cli("build", "tpi-aftercare", "--out-dir", str(out), cwd=project, timeout=30)
    assert assert_clean_error(res) == [
        "layouts/brands/palomar.yaml:4:7: name: too long: 199,999 characters in one text"
        " (at most 10,000); no layout holds that much: split it or shorten it"
    ]
    assert not out.exists()


def test_a_template_nested_too_deeply_stops_a_batch_before_any_row(
    project: Path, tmp_path: Path
) -> None:
    """A problem of the text whatever the row: one located error, not every row rejected."""
    letter = project / "handouts" / "tpi-follow-up.yaml"
    text = letter.read_text(encoding="utf-8")
    old = "We\n      are writing to check on you."
    assert old in text
    letter.write_text(text.replace(old, "We\n      are writing " + "{" * 3000), "utf-8")
    out = tmp_path / "out"
    people = ROOT / "docs" / "examples" / "follow-up-recipients.csv"
    res = run_cli(
        "batch", "tpi-follow-up", "--recipients", str(people),
        "--merged", str(out / "m.pdf"), "--proof", cwd=project,
    )  # fmt: skip
    assert assert_clean_error(res) == [
        "handouts/tpi-follow-up.yaml:22:19: sections[0].body: template syntax: nested more than"
        " 40 deep (brackets, operators, filters, tags)"
    ]
    assert not out.exists()
