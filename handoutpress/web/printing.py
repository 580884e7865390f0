"""Which printers the page offers, and why Print is off when it is (no CUPS, no printer)."""

from __future__ import annotations

from dataclasses import dataclass

from .. import cups
from ..errors import HandoutError
from ..models import Layout

SIDES_TEXT = {
    "one-sided": "one-sided",
    "two-sided-long-edge": "two-sided, flip on long edge",
    "two-sided-short-edge": "two-sided, flip on short edge",
}


@dataclass(frozen=True)
class PrinterStatus:
    printers: tuple[str, ...]
    default: str | None
    #: why Print cannot be used, in words for the front desk; None when it can
    problem: str | None


def printer_status() -> PrinterStatus:
    try:
        cups.check_cups()
    except HandoutError as exc:
        reason = exc.message.removeprefix("print: ")
        return PrinterStatus((), None, f"Printing is off: {reason}. Download PDF still works.")
    names, default = cups.printers()
    if not names:
        return PrinterStatus(
            (), None, "Printing is off: no printer is set up in CUPS. Download PDF still works."
        )
    return PrinterStatus(tuple(names), default or names[0], None)


def paper_text(layout: Layout) -> str:
    """ "Letter, two-sided, flip on short edge": what the print job will ask for."""
    return f"{cups.media_for(layout.paper)}, {SIDES_TEXT[cups.SIDES[layout.duplex]]}"
