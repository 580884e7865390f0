"""Tools to fill in and pictograms in lists, as composed text (no ReportLab here).

A section's ``tool:`` (:class:`~handoutpress.models.Tool`) becomes a :class:`ComposedTool`:
every word it prints in the handout's language (day and time labels from
``layouts/strings/``, unless the handout gives its times), and for an appointment box the
personal fields it holds. :func:`take_icons` finds ``{icon:NAME}`` at the start of list
items (``- {icon:ice} Put ice on…``) and moves the name onto the item's paragraph.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import Location
from .icon_catalog import ICONS, unknown_icon_message
from .markdown import Block, Inline, ListBlock, Para, Span
from .models import Tool
from .strings import Strings

if TYPE_CHECKING:
    from .field_values import FieldEntry

#: ``{icon:ice}`` and the space after it
ICON_MARK = re.compile(r"\{icon:([^}\s]*)\}[ \t]*")

DEFAULT_DAYS = 7
DEFAULT_LINES = 4


@dataclass(frozen=True)
class ComposedTool:
    """A section's tool with its words ready to print."""

    kind: str
    """``pain-log``, ``write-in`` or ``appointment``."""
    location: Location
    """Where ``tool:`` is written (for a layout that cannot show it)."""
    field: str
    """``sections[4].tool``."""
    #: pain-log: the row labels ("Day 1" …), the column labels, the scale's look and the
    #: words under its 0 and its 10, the heading of the day column
    days: tuple[str, ...] = ()
    times: tuple[Inline, ...] = ()
    scale: str = "faces"
    scale_words: tuple[str, str] = ("", "")
    day_heading: str = ""
    #: write-in: the number of lines and the words over them ("" for none)
    lines: int = 0
    label: str = ""
    #: appointment: the personal fields in the box, in order; each one's index in the
    #: handout's ``fields`` and where its label is written (for a label too long)
    entries: tuple[FieldEntry, ...] = ()
    field_indices: tuple[int, ...] = ()
    label_locations: tuple[Location, ...] = ()

    @property
    def alt(self) -> str:
        """The tool in words (the pain scale's figure, a log's summary)."""
        low, high = self.scale_words
        return f"0 {low} … 10 {high}"


def compose_tool(
    tool: Tool,
    location: Location,
    field: str,
    text: Strings,
    times: tuple[Inline, ...],
    entries: tuple[tuple[int, Location, FieldEntry], ...],
) -> ComposedTool:
    """``tool`` with its words: ``times`` as the handout wrote them (rendered), or empty for
    the layout's own words; ``entries``: the fields an appointment box shows (each with its
    index in the handout's ``fields`` and where its label is written)."""
    if tool.kind == "pain-log":
        days = tool.days or DEFAULT_DAYS
        return ComposedTool(
            "pain-log",
            location,
            field,
            days=tuple(text("pain_log_day", n=n) for n in range(1, days + 1)),
            times=times or ((Span(text("pain_log_morning")),), (Span(text("pain_log_evening")),)),
            scale=tool.scale or "faces",
            scale_words=(text("pain_none"), text("pain_worst")),
            day_heading=text("pain_log_day_heading"),
        )
    if tool.kind == "write-in":
        return ComposedTool(
            "write-in", location, field, lines=tool.lines or DEFAULT_LINES, label=tool.label or ""
        )
    return ComposedTool(
        "appointment", location, field,
        entries=tuple(e for _, _, e in entries),
        field_indices=tuple(i for i, _, _ in entries),
        label_locations=tuple(at for _, at, _ in entries),
    )  # fmt: skip


def take_icons(blocks: tuple[Block, ...], report: Callable[[str, str], None]) -> tuple[Block, ...]:
    """``blocks`` with ``{icon:NAME}`` at the start of a list item's first paragraph moved
    into that paragraph's ``icon``; ``report(mark, message)`` for an unknown name, or a mark
    anywhere else (it would print as typed)."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, ListBlock):
            items = []
            for item in block.items:
                first, *rest = item or (Para(()),)
                if isinstance(first, Para):
                    first = _item_icon(first, report)
                items.append((first, *take_icons(tuple(rest), report)))
            out.append(ListBlock(block.ordered, block.start, tuple(items)))
        elif isinstance(block, Para):
            _misplaced(block.spans, report)
            out.append(block)
        else:
            out.append(block)
    return tuple(out)


def _item_icon(para: Para, report: Callable[[str, str], None]) -> Para:
    spans = para.spans
    m = ICON_MARK.match(spans[0].text) if spans else None
    if m is None:
        _misplaced(spans, report)
        return para
    name = m.group(1)
    rest = spans[0].text[m.end() :]
    first = dataclasses.replace(spans[0], text=rest)
    spans = ((first,) if rest else ()) + spans[1:]
    _misplaced(spans, report)
    if name not in ICONS:
        report(m.group(0).strip(), unknown_icon_message(name))
        return Para(spans)
    return Para(spans, icon=name)


def _misplaced(spans: Inline, report: Callable[[str, str], None]) -> None:
    for span in spans:
        for m in ICON_MARK.finditer(span.text):
            report(
                m.group(0).strip(),
                "an icon goes at the start of a list item: - {icon:ice} Put ice on…",
            )
