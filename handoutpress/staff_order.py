"""The staff copy's order: its sections for staff (``audience: staff``) before the patient's
disclaimer, the closing note of the handout's text (*This handout does not replace advice
from your care team.*), in every layout, as the tri-fold's flap has it: the staff copy ends
with the same words as the patient's copy (which has no sections for staff, and so never
changes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from reportlab.platypus import Flowable, KeepTogether

from .block_flowables import block_flowables
from .compose import ComposedSection
from .markdown import Para
from .section_story import closing_note
from .styles import Theme
from .tagging import Node


def staff_then_disclaimer(
    sections: Sequence[ComposedSection],
) -> tuple[tuple[ComposedSection, ...], Para | None]:
    """The staff copy's order in one run of sections that a layout reads in turn (a
    tri-fold panel, a text column, a side strip): when the run ends with sections for staff
    (``audience: staff``), the patient's disclaimer, the :func:`closing_note` of the last
    section for patients that has one (*This handout does not replace advice …*), is taken
    out of that section and returned, to be drawn and read after the staff sections: the
    copy ends with the same words as the patient's. Else the sections as they are, and None
    (a patient's copy has no sections for staff: it never changes)."""
    out = list(sections)
    if not out or out[-1].audience != "staff":
        return tuple(out), None
    for i in range(len(out) - 1, -1, -1):
        note = closing_note(out[i].blocks) if out[i].audience != "staff" else None
        if note is not None:
            out[i] = replace(out[i], blocks=out[i].blocks[:-1])
            return tuple(out), note
    return tuple(out), None


def end_with_note(
    story: list[Flowable], note: Para | None, theme: Theme, parent: Node | None = None
) -> None:
    """Put :func:`staff_then_disclaimer`'s ``note`` (if any) after the last flowable of
    ``story``, on one page with it (never alone at the top of a page); with ``parent``, a
    ``P`` under it, read after the sections."""
    if note is None or not story:
        return
    closing = block_flowables((note,), theme, parent=parent)
    last = story[-1]
    if isinstance(last, KeepTogether):  # one keep (a keep in a keep moves to the next page
        last._content += closing  # even where both fit: its height reads as 0xffffff)
    else:
        story[-1] = KeepTogether([last, *closing])
