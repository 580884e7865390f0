"""One module per layout kind. A layout file (``layouts/*.yaml``) names its kind."""

from __future__ import annotations

from ..render import LayoutRenderer
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
