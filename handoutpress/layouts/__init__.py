"""One module per layout kind, and :func:`render`, which picks the kind's renderer.

A layout file (``layouts/*.yaml``) names its kind; :data:`KINDS` is the registry of the
renderer of each. Nothing below this package imports it (no import cycle).
"""

from __future__ import annotations

from ..compose import Composed
from ..models import Layout
from ..project import BrandSource
from ..render import LayoutRenderer, RenderOptions, RenderResult
from .large import LargePrintRenderer
from .letter import LetterRenderer
from .sheet import SheetRenderer
from .trifold import TrifoldRenderer

KINDS: dict[str, type[LayoutRenderer]] = {
    "trifold": TrifoldRenderer,
    "sheet": SheetRenderer,
    "large": LargePrintRenderer,
    "letter": LetterRenderer,
}


def render(
    composed: Composed, layout: Layout, brand: BrandSource, options: RenderOptions
) -> RenderResult:
    """Lay out ``composed`` in ``layout``; raise ContentOverflow if it does not fit."""
    return KINDS[layout.kind](composed, layout, brand, options).render()
