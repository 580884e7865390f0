"""``--large-print``: which layout it uses, and what makes a layout large print."""

from __future__ import annotations

from collections.abc import Mapping

from .errors import Location, Problem
from .models import Layout

#: The layout ``build --large-print`` uses instead of those a handout lists.
LAYOUT = "large-print"
#: Accessible large print: body text at least 18 pt (research/print-mail-health-literacy.md).
MIN_BODY_PT = 18.0


def problems(layouts: Mapping[str, Layout]) -> list[Problem]:
    """A layout chosen for ``--large-print`` whose body text is under 18 pt is refused."""
    return [
        Problem(
            Location(None),
            "--large-print",
            f"layout '{name}' sets body text at {layout.type.body:g} pt; large print needs "
            f"at least {MIN_BODY_PT:g} pt (use --layout {LAYOUT}, or a copy of it)",
        )
        for name, layout in layouts.items()
        if layout.type.body < MIN_BODY_PT - 1e-6
    ]
