"""PRODUCT.md's exit codes: 2 for a usage error (Click's own convention), 1 for wrong input.
Options that do not go together are usage errors in every command, one line each, nothing
written: ``build -o`` with more than one file to make (it was exit 1, while ``batch`` without
--merged or --out-dir is 2), and ``build -o FILE --out-dir DIR`` (it wrote FILE and said
nothing of DIR)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import assert_clean_error, run_cli


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["tpi-aftercare", "trigger-point-injections"],
            "-o/--output needs exactly one handout and one layout; use --out-dir",
        ),
        (  # one handout, two layouts (its YAML lists trifold and sheet)
            ["trigger-point-injections"],
            "-o/--output needs exactly one handout and one layout; use --out-dir",
        ),
        (
            ["tpi-aftercare", "--out-dir", "{tmp}/folder"],
            "build: give -o/--output FILE or --out-dir DIR, not both",
        ),
    ],
    ids=["two-handouts", "two-layouts", "with-out-dir"],
)
def test_build_output_mistakes_are_usage_errors(
    tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "one.pdf"
    res = run_cli("build", *[a.format(tmp=tmp_path) for a in args], "-o", str(out))
    assert assert_clean_error(res, 2) == [message]
    assert list(tmp_path.iterdir()) == []


def test_batch_and_build_agree_on_the_code(tmp_path: Path) -> None:
    src = tmp_path / "r.csv"
    src.write_text("first_name,last_name,address1,city,state,zip\n", encoding="utf-8")
    res = run_cli("batch", "tpi-aftercare", "--recipients", str(src), "--proof")
    assert assert_clean_error(res, 2) == [
        "batch: give exactly one of --merged FILE or --out-dir DIR"
    ]
    # wrong input is still 1: an unknown handout with -o
    res = run_cli("build", "nope", "-o", str(tmp_path / "x.pdf"))
    assert_clean_error(res, 1)


def test_one_handout_one_layout_with_o_still_builds(tmp_path: Path) -> None:
    out = tmp_path / "one.pdf"
    res = run_cli("build", "tpi-aftercare", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == [str(out)] and out.read_bytes().startswith(b"%PDF-")
