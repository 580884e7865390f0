"""Breaks that respect the reader (issue 12, point 7), read back from the PDF against the
handout's own paragraphs (``tests/breaks.py``): no heading ends a column, page or panel
without at least two lines of its text under it; no paragraph broken between two columns
leaves a single line alone at the foot of one or the top of the next. In every layout
(Letter and A4, English and Spanish, large print), for the shipped handouts and for
handouts made to break in many places (paragraphs of growing length)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .breaks import Flow, lay_out, lists_at_breaks, lone_list_items, splits, stranded_headings
from .conftest import SHIPPED_HANDOUTS

WORDS = [
    "Walk",
    "a",
    "little",
    "every",
    "day",
    "and",
    "rest",
    "when",
    "you",
    "need",
    "it",
    "most",
    "so",
    "your",
    "muscles",
    "heal",
    "well",
]


def _parts(count: int, first: int, step: int, lead: bool = False) -> str:
    """A handout of ``count`` sections whose paragraph grows by ``step`` words: page and
    column breaks fall at many heights through them. Every word is numbered by its section
    and its place (``walk3x12``), so no run of words is found twice. ``lead``: each section opens
    with a one-line paragraph (a heading and that line alone could end a page)."""
    sections = []
    for i in range(count):
        n = first + step * i
        words = " ".join(f"{WORDS[k % len(WORDS)]}{i}x{k}" for k in range(n))
        opening = f"Part {i} starts here.\n\n      " if lead else ""
        sections.append(
            f"  - heading: Part {i} of the plan\n    body: |\n      {opening}{words}.\n"
        )
    return (
        "title: Parts\nlanguage: en\nform: T-PARTS\nrevised: 2026-10-01\n"
        "review: {status: draft}\nlayouts: [sheet, trifold]\nsections:\n" + "".join(sections)
    )


def _lists(
    count: int, first: int, step: int, items: int | tuple[int, ...], layouts: str, words: int = 0
) -> str:
    """A handout of ``count`` sections, each a paragraph growing by ``step`` words, a lead-in
    ending in a colon and a list of ``items`` short items (every word numbered, as in
    :func:`_parts`): page, column and panel breaks fall before, inside and after the lists.
    ``items`` as a tuple: each section's own number of items; ``words``: words more in each
    item (``words`` 3 to 5: an item of two or three lines in a tri-fold's panel)."""
    counts = (items,) * count if isinstance(items, int) else items
    assert len(counts) == count
    sections = []
    for i in range(count):
        n = first + step * i
        text = " ".join(f"{WORDS[k % len(WORDS)]}{i}x{k}" for k in range(n))
        listed = "".join(
            f"      - Step{i}x{j} walk{i}x{j} a little and rest{i}x{j}"
            + "".join(f" {WORDS[k % len(WORDS)]}{i}y{j}y{k}" for k in range(words))
            + ".\n"
            for j in range(counts[i])
        )
        sections.append(
            f"  - heading: Part {i} of the plan\n    body: |\n      {text}.\n\n"
            f"      Do{i} these{i} things{i}:\n\n{listed}"
        )
    return (
        "title: Lists\nlanguage: en\nform: T-LISTS\nrevised: 2026-10-01\n"
        f"review: {{status: draft}}\nlayouts: [{layouts}]\nsections:\n" + "".join(sections)
    )


def _check(flow: Flow) -> list[str]:
    problems = [f"{flow.layout}: heading {h} has under 2 lines" for h in stranded_headings(flow)]
    problems += [f"{flow.layout}: {lone}" for lone in lone_list_items(flow)]
    for split in splits(flow):
        if split.before < 2 or split.after < 2:
            problems.append(
                f"{flow.layout}: {split.where}: {split.before} line(s) before the break, "
                f"{split.after} after, in {split.paragraph[:40]!r}"
            )
    return problems


SHIPPED_LAYOUTS = [
    (handout, layout)
    for handout in sorted(SHIPPED_HANDOUTS)
    for layout in (
        ("trifold", "trifold-a4", "sheet", "sheet-a4", "large-print")
        if handout.startswith("trigger-point-injections")
        else ("letter", "large-print")
        if handout.startswith("tpi-follow-up")  # a mailing letter (its YAML's one layout)
        else ("sheet", "sheet-a4", "large-print")
    )
]


@pytest.mark.parametrize(("handout", "layout"), SHIPPED_LAYOUTS)
def test_shipped_handouts_break_between_whole_lines(handout: str, layout: str) -> None:
    flow = lay_out(handout, layout, large_print=layout == "large-print")
    assert len(flow.columns) >= 2 and len(flow.paragraphs) > 10  # (the text was read)
    assert _check(flow) == []


#: (layout, sections, words in the first, words more in each next, a one-line opening
#: paragraph): as much text as each layout holds (a sheet two pages, a tri-fold four
#: panels), broken in many places
STRESS = [
    ("sheet", 9, 14, 7, False),
    ("sheet", 6, 25, 9, False),
    ("sheet-a4", 8, 18, 8, False),
    ("sheet-a4", 6, 25, 9, False),
    ("large-print", 10, 30, 13, False),
    ("large-print", 12, 20, 7, False),
    ("large-print", 12, 22, 8, True),
    ("large-print", 10, 18, 9, True),
    ("trifold", 1, 180, 0, False),  # one section taller than a panel: split inside, continued
    ("trifold-a4", 1, 200, 0, False),
]


@pytest.mark.parametrize(("layout", "count", "first", "step", "lead"), STRESS)
def test_paragraphs_break_with_two_lines_each_side(
    tmp_path: Path, layout: str, count: int, first: int, step: int, lead: bool
) -> None:
    handout = tmp_path / "parts.yaml"
    handout.write_text(_parts(count, first, step, lead))
    flow = lay_out(handout, layout, large_print=layout == "large-print")
    found = splits(flow)
    assert found, "no paragraph ran from one column to the next: nothing was measured"
    assert _check(flow) == []


#: (layout, sections, words in the first paragraph, words more in each next, items a list
#: (or each section's), words more in each item): lists at many heights down the pages, so
#: that a break fell before a list's last item (or after its lead-in) before lists kept them
#: together. The tri-fold keeps a list in one panel (boxes.groups) and splits one only when
#: it alone is taller than a panel, or when the sections do not fit kept whole (may_split):
#: its cases were found by laying out many such handouts with keep_last_two on and off, and
#: kept where the panel break falls elsewhere without it (before the last item, alone atop
#: the third inside panel); short one-line lists never break there (that earlier case
#: passed with the rule off)
LISTS = [
    ("sheet", 6, 10, 8, 3, 0),  # (each broke a list before its last item, alone on page 2)
    ("large-print", 9, 12, 9, 3, 0),  # (and ended page 4 with a lead-in)
    ("large-print", 8, 16, 11, 3, 0),
    ("large-print", 8, 24, 5, 2, 0),  # (a lead-in ended page 3)
    ("letter", 5, 10, 8, 3, 0),
    # (without the rule: a list taller than a panel left its item 11 alone atop panel 3)
    ("trifold", 2, 27, 0, (11, 5), 4),
    ("trifold", 2, 29, 7, (10, 2), 5),  # (items of three lines: its item 10)
    # (part 3 on the flap; part 1's list of 5 split only because the sections do not fit
    # kept whole, may_split 2: its item 5; until part 0's heading kept two lines under it,
    # which made that layout, its heading and first line ended by "Continued in the next
    # panel" over the rest of part 0 in the same panel: now part 0's list is split)
    ("trifold", 4, 4, 12, (16, 5, 4, 2), 3),
]


def _items_id(value: object) -> str | None:
    """A tuple of each section's items in a test's id as ``11+5`` (not ``items5``)."""
    return "+".join(map(str, value)) if isinstance(value, tuple) else None


def _kinds(layout: str) -> str:
    """The layouts a :func:`_lists` handout lists to be laid out in ``layout`` (its kind)."""
    return (
        "trifold" if layout.startswith("trifold") else "letter" if layout == "letter" else "sheet"
    )


def _lists_laid_out(
    tmp_path: Path, layout: str, kinds: str, count: int, first: int, step: int,
    items: int | tuple[int, ...], words: int,
) -> Flow:  # fmt: skip
    """:func:`_lists` (with ``kinds`` its layouts) laid out in ``layout``, read back whole:
    two columns or more, each section's list's last item found."""
    handout = tmp_path / "lists.yaml"
    handout.write_text(_lists(count, first, step, items, kinds, words))
    flow = lay_out(handout, layout, large_print=layout == "large-print")
    assert len(flow.columns) >= 2 and len(flow.last_items) == count  # (read)
    return flow


@pytest.mark.parametrize(
    ("layout", "count", "first", "step", "items", "words"), LISTS, ids=_items_id
)
def test_a_list_keeps_its_last_two_items_and_its_lead_in(
    tmp_path: Path,
    layout: str,
    count: int,
    first: int,
    step: int,
    items: int | tuple[int, ...],
    words: int,
) -> None:
    flow = _lists_laid_out(tmp_path, layout, _kinds(layout), count, first, step, items, words)
    assert lists_at_breaks(flow), "no break fell in or before a list: nothing was measured"
    assert _check(flow) == []


def test_a_trifold_that_fits_only_with_a_list_loose_is_made(tmp_path: Path) -> None:
    """Six sections of two three-line items: kept together, the last two items overflow
    page 2 by 7 lines; the tri-fold, as the sheet and the letter, then lays out once more
    with lists free to part (last, after the lines for notes are left out): one last item
    alone atop a panel rather than a brochure refused. Every paragraph is printed."""
    handout = tmp_path / "lists.yaml"
    handout.write_text(_lists(6, 31, 0, 2, "trifold", 9))
    flow = lay_out(handout, "trifold")
    assert [lone.split(" alone ")[1] for lone in lone_list_items(flow)] == ["atop page 2 col 1"]
    printed = "".join(
        ln.words for column in flow.columns for ln in column if not flow.is_heading(ln)
    )
    assert len(flow.paragraphs) == 6 * 4 and all(p in printed for p in flow.paragraphs)


#: (layout, sections, words in the first paragraph, words more in each next, items a list
#: (or each section's), words more in each item): a first paragraph of one line, then a
#: lead-in and a list that fit a panel whole, but not the room left under that line. The
#: tri-fold kept the list whole (boxes.groups) and ended the panel with the heading and
#: that line alone ("Continued in the next panel"); now the list is split by its rules (its
#: last two items together, two items or lines on each side, the lead-in with its first
#: item), or the section moves whole to the next panel
STRANDED = [
    ("trifold", 2, 4, 2, 21, 0),  # (a list of one-line items that fits a panel whole)
    ("trifold", 3, 3, 6, (17, 3, 2), 3),  # (items of two lines; part 2 on the flap)
    ("trifold", 2, 5, 4, 19, 0),
    ("trifold-a4", 2, 4, 12, (21, 10), 0),
    # (the heading and its line ended by "Continued in the next panel", the section then
    # going on in the same panel under its heading marked continued)
    ("trifold", 2, 3, 12, (13, 11), 4),
]


@pytest.mark.parametrize(
    ("layout", "count", "first", "step", "items", "words"), STRANDED, ids=_items_id
)
def test_a_trifold_heading_keeps_two_lines_under_it_at_a_panels_foot(
    tmp_path: Path,
    layout: str,
    count: int,
    first: int,
    step: int,
    items: int | tuple[int, ...],
    words: int,
) -> None:
    flow = _lists_laid_out(tmp_path, layout, "trifold", count, first, step, items, words)
    assert stranded_headings(flow) == []
    assert _check(flow) == []


def _case_id(case: tuple[object, ...]) -> str:
    """A case's test id as :func:`_items_id` makes one per value: ``trifold-5-5-4-18+16-0``."""
    return "-".join(_items_id(value) or str(value) for value in case)


#: where a parted-list warning says the list goes on, as the PDF's columns are numbered
#: (``tests/breaks.py``: page, column; a tri-fold's page 1 flows only in its flap)
_WARNED_AT = {
    "page 2's left panel": (2, 0),
    "page 2's middle panel": (2, 1),
    "page 2's right panel": (2, 2),
}


def _parted_warnings(flow: Flow) -> list[tuple[str, tuple[int, int]]]:
    """Each warning of a parted list: ("lead-in" or "last item", where the list goes on)."""
    out = []
    for warning in flow.warnings:
        found = re.search(
            r"a list starts atop (.+?), apart|last item stands alone atop (.+?);", warning
        )
        if found is None:
            continue
        at = found[1] or found[2]
        page = re.fullmatch(r"page (\d+)", at)
        place = (int(page[1]), 0) if page else _WARNED_AT[at]
        out.append(("lead-in" if found[1] else "last item", place))
    return out


def _parted_read_back(flow: Flow) -> list[tuple[str, tuple[int, int]]]:
    """The same, read back from the PDF (:func:`lone_list_items`): a last item alone atop
    a column, a lead-in ending one (its list goes on atop the next column)."""
    columns = sorted({(ln.page, ln.column) for column in flow.columns for ln in column})
    out = []
    for lone in lone_list_items(flow):
        found = re.search(r"(alone atop|ends) page (\d+) col (\d+)$", lone)
        assert found, lone
        place = (int(found[2]), int(found[3]))
        if found[1] == "ends":
            out.append(("lead-in", columns[columns.index(place) + 1]))
        else:
            out.append(("last item", place))
    return out


#: (layout, sections, words in the first paragraph, words more in each next, items a list
#: (or each section's), words more in each item): handouts that fit only with a list
#: parted (a tri-fold's last resort; a sheet laid out with lists loose)
PARTED = [
    ("trifold", 5, 5, 4, (18, 16, 8, 17, 12), 0),
    ("trifold", 6, 31, 0, 2, 9),  # (as test_a_trifold_that_fits_only_with_a_list_loose…)
    ("sheet", 5, 46, 0, 3, 9),
]


@pytest.mark.parametrize("case", PARTED, ids=_case_id)
def test_a_list_broken_to_fit_is_a_warning_where_the_pdf_shows_it(
    tmp_path: Path, case: tuple[str, int, int, int, int | tuple[int, ...], int]
) -> None:
    layout, *shape = case
    flow = _lists_laid_out(tmp_path, layout, _kinds(layout), *shape)  # type: ignore[arg-type]
    read_back = _parted_read_back(flow)
    assert read_back, "no list parted: nothing was measured"
    assert sorted(_parted_warnings(flow)) == sorted(read_back), flow.warnings
    for warning in flow.warnings:
        if "a list" in warning:
            assert warning.startswith("lists: ") and "'Part " in warning, warning


@pytest.mark.parametrize("case", LISTS + STRANDED, ids=_case_id)
def test_a_list_kept_whole_is_no_warning(
    tmp_path: Path, case: tuple[str, int, int, int, int | tuple[int, ...], int]
) -> None:
    layout, *shape = case
    flow = _lists_laid_out(tmp_path, layout, _kinds(layout), *shape)  # type: ignore[arg-type]
    assert _parted_read_back(flow) == []  # (as the tests above check)
    assert _parted_warnings(flow) == [], flow.warnings
