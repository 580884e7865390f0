"""A filled date field stays on its line in a narrow column, read back from the PDF.

Last session the aftercare's follow-up date ("September 30, 2026", "30 de septiembre de
2026") wrapped in the sheet's side strip and the tri-fold's flap panel: the second line was
drawn over the text above, and nothing was reported (the appointment tool's fields had no
one to report to). Now a date that does not fit takes its short form ("Sep 30, 2026",
"30 sep. 2026"); a value that still does not fit is one clear error, not drawn.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from .conftest import assert_clean_error, run_cli

CASES = [
    ("en", "sheet"),
    ("en", "sheet-a4"),
    ("en", "trifold"),
    ("es", "sheet"),
    ("es", "trifold"),
]


@pytest.mark.parametrize(("lang", "layout"), CASES, ids=[f"{a}-{b}" for a, b in CASES])
def test_a_filled_date_is_one_line(
    shipped_root: Path, tmp_path: Path, lang: str, layout: str
) -> None:
    res = run_cli(
        "build", "tpi-aftercare", "--lang", lang, "--layout", layout,
        "--set", "visit.follow_up=2026-09-30", "--out-dir", str(tmp_path), cwd=shipped_root,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    [pdf] = tmp_path.glob("*.pdf")
    with pdfplumber.open(str(pdf)) as doc:
        pages = [p.extract_words() for p in doc.pages]
    found = [(n, w) for n, words in enumerate(pages) for w in words if w["text"] in ("30", "30,")]
    assert len(found) == 1, found
    n, day = found[0]
    words = pages[n]
    # the year follows the day on the same line (it wrapped under it before)
    year = [w for w in words if w["text"] == "2026" and abs(w["top"] - day["top"]) < 1]
    assert year and year[0]["x0"] > day["x0"], [
        (w["text"], round(w["top"], 1)) for w in words if w["text"].startswith("2026")
    ]
    line = [w for w in words if abs(w["top"] - day["top"]) < 1 and day["x0"] <= w["x0"]]
    right = max(w["x1"] for w in line if w["x0"] <= year[0]["x0"])
    # nothing else overlaps the value's line
    for w in words:
        if w in line:
            continue
        overlap_x = w["x0"] < right and w["x1"] > day["x0"]
        overlap_y = w["top"] < day["bottom"] and w["bottom"] > day["top"]
        assert not (overlap_x and overlap_y), (w["text"], day["text"])


def test_a_tool_field_too_long_for_its_line_is_refused(shipped_root: Path, tmp_path: Path) -> None:
    """The appointment tool's time field in the tri-fold's flap: one line, nothing written."""
    res = run_cli(
        "build", "tpi-aftercare", "--layout", "trifold",
        "--set", "visit.follow_up_time=half past two in the afternoon, after lunch",
        "--out-dir", str(tmp_path), cwd=shipped_root,
    )  # fmt: skip
    [line] = assert_clean_error(res)
    assert line.startswith(
        "--set visit.follow_up_time: too long for its line in the appointment box"
    )
    assert line.endswith("characters fit); shorten it")
    assert not list(tmp_path.glob("*.pdf"))
