"""Typed, frozen models of a layout file (``layouts/*.yaml``): the paper, the press block
(bleed and marks), the type scale and the :class:`Layout` itself, whose ``geometry`` and
``margins`` are its kind's models (:mod:`handoutpress.geometry`). No ReportLab here."""

from __future__ import annotations

import builtins
from typing import Literal, TypeVar

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator

from .geometry import GEOMETRY, MARGINS, Geometry, Margins, TrifoldGeometry
from .values import Length, Model, OptText, Text

#: The largest page a PDF may have (ISO 32000: 14,400 units, 200 in, a side).
MAX_PAPER_PT = 14400.0


class Paper(Model):
    width: Length
    height: Length

    @field_validator("width", "height")
    @classmethod
    def _a_real_sheet(cls, v: float) -> float:
        if not 0 < v <= MAX_PAPER_PT:
            raise ValueError(f"{v:g} pt: expected a paper size more than 0 and at most 200 in")
        return v


class PressSpec(Model):
    """``--target press``: bleed and printer's marks (the page is the trim plus the bleed)."""

    bleed: Length
    """Extra paper on every side that backgrounds run into; trimmed off."""
    mark_offset: Length
    """Crop and fold marks start this far outside the trim: at least the bleed and 0.125 in
    (printers' practice), so none shows on the trimmed piece or in the bleed."""
    mark_length: Length
    """Length of each mark; the page grows past the BleedBox to hold them."""
    mark_width: Length
    """Line width of the marks."""

    @model_validator(mode="after")
    def _marks_fit_bleed(self) -> PressSpec:
        if self.bleed <= 0:
            raise ValueError("bleed must be more than 0")
        if self.mark_length <= 0 or self.mark_width <= 0 or self.mark_offset < 0:
            raise ValueError("mark_length and mark_width must be more than 0")
        least = max(self.bleed, 9.0)
        if self.mark_offset < least - 0.01:
            raise ValueError(
                f"mark_offset ({self.mark_offset:g} pt) must be at least the bleed and "
                f"0.125 in ({least:g} pt): marks start outside the bleed"
            )
        return self


class TypeScale(Model):
    body: Length
    body_leading: Length
    min_body: Length
    """The smallest body size this layout allows (checked, never shrunk below)."""
    max_body: Length | None = None
    """Tri-fold: the largest body size to use when the content leaves room (the body and
    headings grow together up to it, in steps, instead of leaving panels empty)."""
    heading: Length
    heading_leading: Length
    title: Length
    subtitle: Length
    small: Length
    """Footer and labels."""
    label: Length | None = None
    """Labels of the personal (write-in) fields on a sheet; unset: the ``small`` size."""

    @model_validator(mode="after")
    def _lines_apart(self) -> TypeScale:
        for size, leading in (("body", "body_leading"), ("heading", "heading_leading")):
            if getattr(self, leading) < getattr(self, size):
                raise ValueError(
                    f"{leading} {getattr(self, leading):g} pt is less than {size} "
                    f"{getattr(self, size):g} pt: the lines would overlap"
                )
        return self


#: The least body text each layout kind may set (PRODUCT.md, output quality: 12 pt everywhere,
#: the tri-fold's narrow panels included; large print 18 pt).
MIN_BODY_PT = {"trifold": 12.0, "sheet": 12.0, "letter": 12.0, "large": 18.0}
#: Office output keeps everything this far inside the paper's edge (PRODUCT.md: 0.25 in).
MIN_SAFE_MARGIN_PT = 18.0

G = TypeVar("G", bound=Geometry)


def _given(value: object) -> object:
    """What the file gives for a kind's geometry or margins: nothing (``{}``) when it leaves
    the key out (the field's default, a plain :class:`Geometry`) or leaves it empty."""
    return {} if value is None or type(value) in (Geometry, Margins) else value


class Layout(Model):
    name: Text
    kind: Literal["trifold", "sheet", "letter", "large"]
    description: OptText = ""
    paper: Paper
    max_pages: int | None = None
    """Pages the content may fill; more is an overflow error. None: as many as needed."""
    duplex: Literal["Simplex", "DuplexFlipShortEdge", "DuplexFlipLongEdge"] = "Simplex"
    safe_margin: Length
    """Nothing is drawn closer than this to the paper edge (office target)."""
    margins: Margins = Field(default_factory=Margins, validate_default=True)
    """top/bottom/left/right page margins for the text (sheet, large print, letter)."""
    panels: list[Length] = []
    """Trifold: outside panel widths left to right (fold-in flap, back, cover)."""
    panel_padding: Length = 0.0
    """Trifold: space between a fold and the text of a panel."""
    type: TypeScale
    geometry: Geometry = Field(default_factory=Geometry, validate_default=True)
    """Named distances the layout kind uses (header height, address window, …): the kind's
    model in :mod:`handoutpress.geometry`."""
    press: PressSpec | None = None
    """Bleed and marks for ``--target press``; a layout without it is office-only."""

    @field_validator("margins", mode="before")
    @classmethod
    def _margins_for_kind(cls, v: object, info: ValidationInfo) -> object:
        kind = info.data.get("kind")
        if not isinstance(kind, str):
            return Margins()  # the kind is wrong: that is the error to report
        given = _given(v)
        if kind not in MARGINS:
            if given:
                raise ValueError(
                    f"a {kind} layout has no page margins (its text keeps panel_padding from "
                    "the folds and geometry.top / bottom from the edges)"
                )
            return Margins()
        return MARGINS[kind].model_validate(given)

    @field_validator("geometry", mode="before")
    @classmethod
    def _geometry_for_kind(cls, v: object, info: ValidationInfo) -> object:
        kind = info.data.get("kind")
        if not isinstance(kind, str) or kind not in GEOMETRY:
            return Geometry()  # the kind is wrong: that is the error to report
        return GEOMETRY[kind].model_validate(_given(v))

    @classmethod
    def submodel(cls, field: str, data: object) -> builtins.type[BaseModel] | None:
        """The model of ``field`` in this layout's ``data`` (its kind's geometry, margins)."""
        kind = data.get("kind") if isinstance(data, dict) else None
        if field == "geometry" and isinstance(kind, str):
            return GEOMETRY.get(kind)
        if field == "margins" and isinstance(kind, str):
            return MARGINS.get(kind)
        return None

    def geometry_as(self, kind: builtins.type[G]) -> G:
        """``geometry`` as the model of this layout's kind (what its renderer reads)."""
        if not isinstance(self.geometry, kind):
            raise TypeError(f"{self.name}: a {self.kind} layout has no {kind.__name__}")
        return self.geometry

    @field_validator("safe_margin")
    @classmethod
    def _desk_printer_margin(cls, v: float) -> float:
        if v < MIN_SAFE_MARGIN_PT - 0.01:
            raise ValueError(
                f"{v:g} pt is less than 0.25 in (18 pt): desk printers cannot print that close "
                "to the edge"
            )
        return v

    @field_validator("max_pages")
    @classmethod
    def _at_least_one_page(cls, v: int | None) -> int | None:
        if v is not None and v < 1:
            raise ValueError("at least 1 (leave it out for as many pages as needed)")
        return v

    @field_validator("margins")
    @classmethod
    def _room_for_text(cls, v: Margins, info: ValidationInfo) -> Margins:
        paper = info.data.get("paper")
        if not isinstance(paper, Paper) or info.data.get("kind") not in MARGINS:
            return v  # the paper is wrong (that is the error to report), or no margins
        if v.left + v.right >= paper.width or v.top + v.bottom >= paper.height:
            raise ValueError(
                "no room is left for text (left + right must be less than the paper's "
                "width, top + bottom less than its height)"
            )
        return v

    @field_validator("margins", "geometry")
    @classmethod
    def _text_inside_safe_margin(cls, v: Geometry, info: ValidationInfo) -> Geometry:
        """Text is placed at the margins (a tri-fold's at ``geometry.top`` / ``bottom``): one
        closer to the edge than ``safe_margin`` prints where desk printers cannot."""
        safe = info.data.get("safe_margin")
        if not isinstance(safe, float):
            return v  # the safe margin is wrong: that is the error to report
        if info.field_name == "geometry" and not isinstance(v, TrifoldGeometry):
            return v  # other kinds place their text at the margins
        for side in ("top", "bottom", "left", "right"):
            given = getattr(v, side, None)
            if isinstance(given, float) and given < safe - 0.01:
                raise ValueError(
                    f"{side} {given:g} pt is less than safe_margin ({safe:g} pt): text there "
                    "would print where desk printers cannot"
                )
        return v

    @field_validator("type")
    @classmethod
    def _least_body_for_kind(cls, v: TypeScale, info: ValidationInfo) -> TypeScale:
        kind = info.data.get("kind")
        floor = MIN_BODY_PT.get(kind) if isinstance(kind, str) else None
        if floor is not None and v.min_body < floor - 1e-6:
            raise ValueError(
                f"min_body {v.min_body:g} pt is below {floor:g} pt, the least body text a "
                f"{kind} layout may set"
            )
        return v

    @model_validator(mode="after")
    def _panels_fill_paper(self) -> Layout:
        if self.kind == "trifold":
            if len(self.panels) != 3:
                raise ValueError("a trifold needs three panel widths")
            if abs(sum(self.panels) - self.paper.width) > 0.5:
                raise ValueError(
                    f"panel widths add up to {sum(self.panels):.1f} pt, "
                    f"the paper is {self.paper.width:.1f} pt wide"
                )
        if self.type.body < self.type.min_body:
            raise ValueError(
                f"type.body {self.type.body:g} pt is below type.min_body {self.type.min_body:g} pt"
            )
        return self
