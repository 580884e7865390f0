"""A brand that says it is real (``sample: false``) but still has the sample's fictional
contact details (555-01xx numbers, example.com addresses): ``check`` warns at each detail's
line, and ``--strict`` fails, so a clinic does not print a number no one answers. A sample
brand (``sample: true``) is fictional on purpose and carries the SAMPLE mark: no warning."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import run_cli

DETAILS = ("phone", "after_hours_phone", "fax", "website", "email")


def _not_a_sample(project: Path) -> Path:
    brands = project / "layouts" / "brands"
    text = (brands / "palomar.yaml").read_text(encoding="utf-8")
    assert "\nsample: true\n" in text
    ours = brands / "ours.yaml"
    ours.write_text(text.replace("\nsample: true\n", "\nsample: false\n"), encoding="utf-8")
    return ours


def _line_of(path: Path, key: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip().startswith(f"{key}:"))


def test_a_real_brand_with_fictional_details_is_warned_at_each_line(project: Path) -> None:
    ours = _not_a_sample(project)
    res = run_cli("check", "tpi-aftercare", "--brand", "ours", cwd=project)
    assert res.returncode == 0, res.stderr  # warnings only
    said = [ln for ln in (res.stdout + res.stderr).splitlines() if "sample: false" in ln]
    assert len(said) == len(DETAILS), said
    for key, line in zip(DETAILS, said, strict=True):
        assert re.match(
            rf"layouts/brands/ours\.yaml:{_line_of(ours, key)}:\d+: contact\.{key}: warning: ",
            line,
        ), line
    assert "(760) 555-0142 is a fictional number (555-0100 to 555-0199)" in said[0]
    assert "palomar-spine.example.com is an example address" in said[3]
    assert "set the clinic's own before printing" in said[0]
    strict = run_cli("check", "--strict", "tpi-aftercare", "--brand", "ours", cwd=project)
    assert strict.returncode == 1
    # check with no handout named looks at every brand file: the same warnings
    every = run_cli("check", cwd=project)
    assert sum("layouts/brands/ours.yaml" in ln for ln in every.stdout.splitlines()) + sum(
        "layouts/brands/ours.yaml" in ln for ln in every.stderr.splitlines()
    ) == len(DETAILS)


def test_a_sample_brand_is_not_warned(project: Path) -> None:
    res = run_cli("check", "tpi-aftercare", cwd=project)
    assert res.returncode == 0, res.stderr
    assert "fictional number" not in res.stdout + res.stderr
    assert "example address" not in res.stdout + res.stderr
