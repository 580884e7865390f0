"""Lists that a page, column or panel broke where they are kept together.

A list's lead-in ("Risks are not common:") stays with its first item and a list's last two
items stay together (``block_flowables``: ``keepWithNext``, marked ``list_keep``). A layout
may have to let them part: a sheet or letter whose text only fits with lists loose
(``layouts/loose_lists.py``), a tri-fold's last resort, a kept group taller than a whole
page. Where a break then falls between two such flowables, the layout notes a
:class:`PartedList`, and the renderer warns of it, saying where the PDF shows it, so that
the writer can shorten the text (the handout still prints: a warning, not an error).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable

from .compose import Composed, ComposedSection, public_heading


@dataclass(frozen=True)
class PartedList:
    """A break between two flowables of a list that are kept together."""

    #: the section the list is in (None: before any section)
    section: ComposedSection | None
    #: the flowable before the break is the sentence leading into the list (else the
    #: break leaves the list's last item alone after it)
    lead_in: bool
    #: where the flowable after the break starts: "atop page 2", "atop the next panel"
    at: str


def kept_with_next(f: Flowable) -> Flowable | None:
    """The flowable ending ``f`` (itself, or the last of a container's ``children()``) when
    it is one of a list's kept together with the next, else None."""
    while not getattr(f, "list_keep", False):
        children = getattr(f, "children", None)
        if children is None or not callable(children):
            return None
        inner = children()
        if not inner or not isinstance(inner[-1], Flowable):
            return None
        f = inner[-1]
    return f


def is_lead_in(f: Flowable) -> bool:
    return bool(getattr(f, "lead_in", False))


def _warning(composed: Composed, layout: str, parted: PartedList) -> str:
    """The warning for ``parted``: the handout, the layout, the section, where, and the fix."""
    where = f"{public_heading(composed, parted.section)}: " if parted.section else ""
    if parted.lead_in:
        what = (
            f"a list starts {parted.at}, apart from the sentence that leads into it; "
            "shorten the text so that they stay together"
        )
    else:
        what = (
            f"a list's last item stands alone {parted.at}; shorten the text so that its "
            "last two items stay together"
        )
    return f"{composed.id}: {layout}: {where}{what}"


def parted_warnings(composed: Composed, layout: str, parted: list[PartedList]) -> list[str]:
    """One warning per distinct parted list (a tri-fold's section may be split more than
    once at the same place while a panel is filled)."""
    seen = {(p.section.index if p.section else -1, p.lead_in, p.at): p for p in parted}
    return [_warning(composed, layout, p) for p in seen.values()]
