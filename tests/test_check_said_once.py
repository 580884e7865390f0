"""`check` says a problem once: a mistake in a file every handout's layouts read (the layouts'
strings file) was printed and counted once per handout and layout (16 errors for 2 problems)."""

from __future__ import annotations

from pathlib import Path

from .conftest import assert_clean_error, run_cli


def test_a_strings_file_problem_is_said_and_counted_once(project: Path) -> None:
    strings = project / "layouts" / "strings" / "en.yaml"
    text = strings.read_text(encoding="utf-8")
    assert "\nstaff_copy_short:" in text
    strings.write_text(text.replace("\nstaff_copy_short:", "\nstaff_copy_shortx:", 1), "utf-8")
    res = run_cli("check", cwd=project)
    lines = assert_clean_error(res)
    errors = [ln for ln in lines if ln.startswith("layouts/strings/en.yaml:")]
    assert len(errors) == 2 and len(set(errors)) == 2, errors  # missing key, unknown key
    assert any("staff_copy_shortx: unknown key" in ln for ln in errors)
    assert lines[-1].startswith("check failed: ") and ", 2 errors, " in lines[-1], lines[-1]
