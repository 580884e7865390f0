"""A layout's fields block: the handout's personal fields that no tool shows, laid out as a
:class:`~handoutpress.formfields.FieldsBlock` in the renderer's theme and geometry (the
sheet's and large print's under the title, the tri-fold's on its panel). A problem drawing
it (a label too long for its line) is reported to the renderer, at the label's line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from reportlab.lib.styles import ParagraphStyle

from .errors import Problem
from .formfields import FieldsBlock, FieldStyles
from .strings import Strings

if TYPE_CHECKING:
    from .compose import Composed
    from .models import Layout
    from .styles import Theme


class _Renderer(Protocol):
    """What :func:`fields_block` needs of a layout renderer."""

    composed: Composed
    theme: Theme
    text: Strings
    layout: Layout
    problems: list[Problem]


def fields_block(renderer: _Renderer, *, columns: int = 1, wide_columns: int | None = None,
                 stacked: bool = False,
                 label_style: str = "label", value_style: str = "body",
                 map_height: float | None = None, row: float | None = None,
                 ) -> FieldsBlock:  # fmt: skip
    """The fields of ``renderer``'s handout laid out for its layout: label and value styles
    from its theme, the row height ``field_row``, the body map's height from the layout's
    ``geometry.body_map`` (1.4 in when not given)."""
    th = renderer.theme
    c = renderer.composed
    placed = c.placed_fields  # shown in a section's box (an appointment), not here
    shown = [(i, e) for i, e in enumerate(c.field_entries) if e.key not in placed]
    # small print beside the lines ("month / day / year", the body map's views), never
    # smaller than 9 pt, nor than the body in large print
    size = th[value_style].fontSize if renderer.layout.kind == "large" else th.scale.small
    hint = ParagraphStyle(
        "field_hint", parent=th["small"], fontSize=max(size, 9), leading=max(size, 9) * 1.25
    )
    value = ParagraphStyle("field_value_line", parent=th[value_style], spaceAfter=0)
    return FieldsBlock(
        tuple(e for _, e in shown),
        FieldStyles(th[label_style], value, hint),
        th.fonts.markup,
        renderer.text,
        row=row or float(getattr(renderer, "field_row", 0.36 * 72)),
        columns=columns,
        wide_columns=wide_columns,
        stacked=stacked,
        map_height=map_height or float(getattr(renderer.layout.geometry, "body_map", 1.1 * 72)),
        line_colour=th.colours["muted"],
        mark_colour=th.colours["warning"],
        layout=renderer.layout.name,
        locate=c.source.locate,
        language=c.handout.language,
        report=lambda p: None if p in renderer.problems else renderer.problems.append(p),
        measure=th.fonts.string_width,
        bold_face=th.fonts.bold,
        bullet_face=th.fonts.face_with("\u2022", value.fontName),
        indices=tuple(i for i, _ in shown),
    )
