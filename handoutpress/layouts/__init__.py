"""One module per layout kind, and :func:`render`, which picks the kind's renderer.

A layout file (``layouts/*.yaml``) names its kind; :data:`KINDS` is the registry of the
renderer of each, whose module is imported when a layout of that kind is first rendered (a
sheet's build does not import the letter's and the mailing's modules). Nothing below this
package imports it (no import cycle).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from ..compose import Composed
from ..models import Layout
from ..project import BrandSource
from ..render import LayoutRenderer, RenderOptions, RenderResult

#: each kind's renderer: (module in this package, class)
_RENDERERS = {
    "trifold": ("trifold", "TrifoldRenderer"),
    "sheet": ("sheet", "SheetRenderer"),
    "large": ("large", "LargePrintRenderer"),
    "letter": ("letter", "LetterRenderer"),
}


class _Kinds(Mapping[str, type[LayoutRenderer]]):
    """Kind → renderer class, each module imported on first use."""

    def __getitem__(self, kind: str) -> type[LayoutRenderer]:
        module, name = _RENDERERS[kind]
        renderer: type[LayoutRenderer] = getattr(
            importlib.import_module(f"{__name__}.{module}"), name
        )
        return renderer

    def __iter__(self) -> Iterator[str]:
        return iter(_RENDERERS)

    def __len__(self) -> int:
        return len(_RENDERERS)


KINDS: Mapping[str, type[LayoutRenderer]] = _Kinds()


def render(
    composed: Composed, layout: Layout, brand: BrandSource, options: RenderOptions
) -> RenderResult:
    """Lay out ``composed`` in ``layout``; raise ContentOverflow if it does not fit."""
    return KINDS[layout.kind](composed, layout, brand, options).render()
