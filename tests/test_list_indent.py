"""Numbered lists with a hanging indent, read back from the PDF (pdfplumber): the numbers
right-aligned on one edge ("9." and "10." end at the same place), and every line of every
item, first and wrapped alike, starting at one x (issue 12: first lines started 1-3 pt
right of their wrapped lines, by how wide each number was). In the sheet, the tri-fold and
large print; a bullet list beside it keeps its own single indent."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from .conftest import run_cli

STEP = (
    "Step {n} of the plan: do this part slowly and carefully, stop if it hurts more than "
    "a little, and write down how it went"
)
ITEMS = "\n".join(f"      {n}. {STEP.format(n=n)}." for n in range(1, 13))

HANDOUT = f"""title: Twelve Steps
language: en
form: TEST-LIST-1
revised: 2026-11-01
review: {{status: draft}}
layouts: [sheet, trifold]
sections:
  - heading: The steps
    body: |
{ITEMS}
  - heading: Bullets
    body: |
      - A bullet item that is long enough to wrap onto a second line in every layout we
        ship, even the widest sheet column.
      - Another bullet item that is long enough to wrap onto a second line in every layout
        we ship, even the widest sheet.
"""

Word = dict  # type: ignore[type-arg]


def _lines(pdf: Path, every: bool = False) -> list[list[Word]]:
    """Every text line of the numbered list's words (``every``: all lines), page by page,
    column by column, top down."""
    out: list[list[Word]] = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
            rows: dict[tuple[int, int], list[Word]] = {}
            for w in words:
                column = int(w["x0"] // (page.width / 3)) if page.width > page.height else 0
                w["column"] = (page.page_number, column)
                rows.setdefault((column, round(w["top"])), []).append(w)
            for key in sorted(rows):
                line = sorted(rows[key], key=lambda w: w["x0"])
                if every or all(_in_list(w["text"]) for w in line):  # (not a heading, foot or mark)
                    out.append(line)
    return out


def _in_list(word: str) -> bool:
    return word in STEP_WORDS or word.rstrip(".").isdigit()


STEP_WORDS = set(STEP.split()) | {"went."}


def _items(lines: list[list[Word]]) -> list[tuple[Word, list[list[Word]]]]:
    """(number word, the item's lines) for each numbered item: an item's lines run from its
    number to the line before the next number (or to the line that ends with "went.")."""
    items: list[tuple[Word, list[list[Word]]]] = []
    current: list[list[Word]] | None = None
    for line in lines:
        first = line[0]["text"]
        if (
            first.endswith(".")
            and first[:-1].isdigit()
            and len(line) > 1
            and "Step" in (line[1]["text"])
        ):
            current = [line[1:]]
            items.append((line[0], current))
        elif current is not None:
            current.append(line)
            if line[-1]["text"].endswith("went."):
                current = None
    return items


@pytest.mark.parametrize(
    "extra", [("--layout", "sheet"), ("--layout", "trifold"), ("--large-print",)]
)
def test_numbered_items_hang_from_right_aligned_numbers(
    tmp_path: Path, extra: tuple[str, ...]
) -> None:
    handout = tmp_path / "steps.yaml"
    handout.write_text(HANDOUT)
    pdf = tmp_path / "out.pdf"
    res = run_cli("build", str(handout), *extra, "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    items = _items(_lines(pdf))
    assert [int(number["text"][:-1]) for number, _ in items] == list(range(1, 13))
    wrapped = 0
    starts: dict[tuple[int, int], list[float]] = {}  # by page and column: each line's start
    ends: dict[tuple[int, int], list[float]] = {}  # … and each number's right end
    for number, lines in items:
        wrapped += len(lines) - 1
        assert lines[0][0]["x0"] - number["x1"] > 3  # a space's room after the number
        ends.setdefault(number["column"], []).append(number["x1"])
        for line in lines:
            starts.setdefault(line[0]["column"], []).append(line[0]["x0"])
    assert wrapped >= 12  # every item wrapped at least once: wrapped lines were measured
    # in each column, first lines and wrapped lines start at one x, and the numbers end at
    # one x ("9." and "10." alike)
    for column, xs in starts.items():
        assert max(xs) - min(xs) < 0.3, (column, sorted(set(xs)))
    for column, xs in ends.items():
        assert max(xs) - min(xs) < 0.3, (column, sorted(set(xs)))
    nine = next(n for n, _ in items if n["text"] == "9.")
    ten = next(n for n, _ in items if n["text"] == "10.")
    assert ten["x0"] < nine["x0"] - 2  # the two-digit number reaches further left


def test_bullets_keep_their_single_indent(tmp_path: Path) -> None:
    handout = tmp_path / "steps.yaml"
    handout.write_text(HANDOUT)
    pdf = tmp_path / "out.pdf"
    res = run_cli("build", str(handout), "--layout", "sheet", "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    lines = _lines(pdf, every=True)
    bullets = [i for i, line in enumerate(lines) if line[0]["text"] == "\u2022"]
    assert len(bullets) == 2
    for i in bullets:
        first, wrapped = lines[i][1]["x0"], lines[i + 1][0]["x0"]
        assert abs(first - wrapped) < 0.3
        assert 8 < first - lines[i][0]["x0"] < 20  # the bullet a step left of its text
