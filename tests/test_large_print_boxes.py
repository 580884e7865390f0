"""Large print's boxes and rules, as a reader sees them (pdfplumber positions).

A callout box had 10 pt over its heading and 2 pt under its last line, so the last list
item's icon (which hangs a little below its line) crossed the box's border ("Keep up your
progress" in the follow-up letter's large print). And a handout with no personal fields put
the title's 4 pt rule 6 pt above the key-points box's 4 pt accent rule: a double rule.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from .conftest import SHIPPED_HANDOUTS, run_cli

#: the tints of the palomar brand's boxes (light, warning_light), as pdfplumber reads them
TINTS = ((0.901961, 0.94902, 0.956863), (0.984314, 0.917647, 0.917647))
#: the follow-up letter among them (large print of a letter is offered at the desk)
HANDOUTS = SHIPPED_HANDOUTS


def _is(colour: object, want: tuple[float, ...]) -> bool:
    return (
        isinstance(colour, tuple)
        and len(colour) == len(want)
        and all(abs(a - b) < 0.01 for a, b in zip(colour, want, strict=True))
    )


def _inside(o: dict[str, float], box: dict[str, float]) -> bool:
    """``o`` starts inside ``box`` (not one of its own border lines)."""
    return (
        box["x0"] + 1 < o["x0"]
        and o["x1"] < box["x1"] - 1
        and box["top"] < o["top"] < box["bottom"]
    )


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("large")
    made = []
    for handout in HANDOUTS:
        pdf = out / f"{handout}.pdf"
        res = run_cli("build", handout, "--large-print", "-o", str(pdf))
        assert res.returncode == 0, res.stderr
        made.append(pdf)
    return made


def test_what_is_drawn_in_a_box_keeps_clear_of_its_bottom_edge(large: list[Path]) -> None:
    boxes = 0
    for pdf in large:
        with pdfplumber.open(pdf) as doc:
            for n, page in enumerate(doc.pages, start=1):
                tints = [
                    r for r in page.rects if any(_is(r["non_stroking_color"], t) for t in TINTS)
                ]
                for box in tints:
                    boxes += 1
                    inked = [
                        c["bottom"] for c in page.chars if _inside(c, box) and c["text"].strip()
                    ]
                    inked += [c["bottom"] for c in page.curves if _inside(c, box)]
                    inked += [
                        ln["bottom"] + ln["linewidth"] / 2 for ln in page.lines if _inside(ln, box)
                    ]
                    top, bottom = box["top"], box["bottom"]
                    assert inked, f"{pdf.name} page {n}: nothing found in the box at {top:.0f}"
                    clear = bottom - max(inked)
                    assert clear >= 3, (
                        f"{pdf.name} page {n}: the box at {top:.0f} pt has {clear:.1f} pt "
                        "under what is drawn in it"
                    )
    assert boxes >= 10


def test_no_two_thick_rules_read_as_one(large: list[Path]) -> None:
    for pdf in large:
        with pdfplumber.open(pdf) as doc:
            for n, page in enumerate(doc.pages, start=1):
                rules = sorted(
                    (ln["top"] - ln["linewidth"] / 2, ln["top"] + ln["linewidth"] / 2)
                    for ln in page.lines
                    if ln["linewidth"] >= 3 and ln["width"] > 300 and ln["height"] < 0.01
                )
                for (_, above), (below, _) in zip(rules, rules[1:], strict=False):
                    assert below - above >= 12, (
                        f"{pdf.name} page {n}: thick rules {below - above:.1f} pt apart"
                    )


def test_a_page_opening_with_the_contact_details_has_one_rule_at_its_top(
    large: list[Path],
) -> None:
    """The rule over the contact details is left out at the top of a page: the running
    head's rule is 12 pt above it there (the contact details often open the last page)."""
    checked = 0
    for pdf in large:
        with pdfplumber.open(pdf) as doc:
            for n, page in enumerate(doc.pages[1:], start=2):
                full = [
                    ln
                    for ln in page.lines
                    if ln["width"] > 400 and ln["height"] < 0.01 and ln["linewidth"] >= 1
                ]
                head = min(full, key=lambda ln: ln["top"])  # the running head's rule
                edges = [
                    r[k]
                    for r in page.rects
                    if any(_is(r["non_stroking_color"], t) for t in TINTS)
                    for k in ("top", "bottom")
                ]
                near = [
                    ln
                    for ln in full
                    if head["top"] < ln["top"] < head["top"] + 30
                    and not any(abs(ln["top"] - e) < 0.5 for e in edges)
                ]
                assert not near, (
                    f"{pdf.name} page {n}: a second rule "
                    f"{near[0]['top'] - head['top']:.1f} pt under the running head's"
                )
                checked += 1
    assert checked >= 20
