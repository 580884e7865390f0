"""The labels over lines to write on read alike in every layout and language: no colon
after any of them ("Notes", "More notes", "Patient", "Time", "Your questions"). Before,
the questions' lines said "Your questions:" ("Sus preguntas:") on the same page as a
"Notes" and a "Time" without one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from . import pdfcheck, shipped
from .conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
HANDOUTS = sorted((ROOT / "handouts").glob("*.yaml"))
STRINGS = sorted((ROOT / "layouts" / "strings").glob("*.yaml"))
#: the strings files' labels drawn over write-in lines
LABEL_KEYS = ("notes", "more_notes")


def _labels(path: Path) -> list[str]:
    """The labels a handout puts over lines to write on: its fields' and its write-in tools'."""
    data = shipped.content(path.stem)
    out = [f["label"] for f in data.get("fields") or []]
    for section in data.get("sections") or []:
        tool = section.get("tool") or {}
        if tool.get("label"):
            out.append(tool["label"])
    return out


def _write_in_label(handout: str) -> str:
    """The label over the handout's write-in lines (its questions), as its YAML says it."""
    (label,) = [
        s["tool"]["label"]
        for s in shipped.sections(handout)
        if (s.get("tool") or {}).get("kind") == "write-in"
    ]
    return str(label)


@pytest.mark.parametrize("path", HANDOUTS + STRINGS, ids=lambda p: p.name)
def test_no_label_over_write_in_lines_ends_in_a_colon(path: Path) -> None:
    if path.parent.name == "strings":
        data = yaml.safe_load(path.read_text("utf-8"))
        labels = [data[k] for k in LABEL_KEYS]
        assert all(labels)
    else:
        labels = _labels(path)
    assert [x for x in labels if x.rstrip().endswith(":")] == []


@pytest.mark.parametrize("layout", ["sheet", "trifold"])
@pytest.mark.parametrize("handout", ["trigger-point-injections", "trigger-point-injections.es"])
def test_the_questions_label_prints_as_the_notes_label_does(
    tmp_path: Path, handout: str, layout: str
) -> None:
    label = _write_in_label(handout)
    pdf = tmp_path / "out.pdf"
    res = run_cli("build", handout, "--layout", layout, "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    words = " ".join(pdfcheck.text(pdf).split())
    assert label in words and f"{label}:" not in words
