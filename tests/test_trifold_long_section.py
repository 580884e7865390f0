"""A tri-fold section longer than a panel continues across the folds, into the third
inside panel when it needs it ("Continued in the next panel", then its heading and
"(continued)"). What does not fit is said by how much it does not fit.

The lines for notes that end the inside ("More notes", at least 4 lines) were moved on
whole when the text ended at the last panel's foot: to a page 3 of their own, which was
reported as the last section overflowing page 2 by a whole panel ("'Is it right for me?'
overflows page 2 by 35 lines" for a brochure that fitted, and by 35 lines when one list
item, two lines, was too many). They are left out where there is no room for them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdf

from .conftest import run_cli

ITEM = "      - Item {}: a trigger point is a tight, tender knot in a muscle that hurts.\n"


def _handout(project: Path, items: int) -> str:
    """trigger-point-injections' cover with a short flap section, one long list in the
    inside and a short section after it."""
    source = (project / "handouts" / "trigger-point-injections.yaml").read_text("utf-8")
    head = source.split("sections:\n")[0]
    body = (
        "sections:\n"
        "  - heading: Other choices\n    panel: flap\n    body: |\n"
        "      Heat, stretching and massage can help.\n\n"
        "  - heading: What is a trigger point?\n    body: |\n"
        + "".join(ITEM.format(i) for i in range(items))
        + "\n  - heading: Is it right for me?\n    body: |\n"
        "      It may help muscle pain in the neck.\n"
    )
    name = f"long{items}"
    (project / "handouts" / f"{name}.yaml").write_text(head + body, "utf-8")
    return name


def _build(project: Path, items: int) -> tuple[int | None, str]:
    """(pages, "") when it builds, else (None, the error line)."""
    name = _handout(project, items)
    out = project / f"{name}.pdf"
    res = run_cli("build", name, "--layout", "trifold", "-o", str(out), cwd=project)
    if res.returncode == 0:
        return len(pypdf.PdfReader(out).pages), ""
    return None, res.stderr.strip()


def test_one_item_too_many_overflows_by_about_one_item(project: Path) -> None:
    fits, fails = 20, 80  # 20 items fit the inside; 80 are more than three panels hold
    assert _build(project, fits)[0] == 2
    assert _build(project, fails)[0] is None
    while fails - fits > 1:  # the most items the brochure holds
        mid = (fits + fails) // 2
        pages, _ = _build(project, mid)
        if pages is None:
            fails = mid
        else:
            assert pages == 2
            fits = mid
    assert fits > 30  # the list runs on into the third inside panel
    for extra, most in ((0, 4), (2, 12)):  # an item is 2 lines (a panel is about 35)
        _, error = _build(project, fails + extra)
        found = re.search(r"trifold: '(.+)' overflows page 2 by (\d+) lines? \(\d+ pt\)$", error)
        assert found, error
        assert found[1] in ("What is a trigger point?", "Is it right for me?")
        assert int(found[2]) <= most, error
