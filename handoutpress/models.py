"""Typed, frozen models of handouts, brands and layouts, and their validation.

Validation turns a loaded :class:`~handoutpress.loading.Document` (strings,
lists, dicts with locations) into a model, or raises one :class:`HandoutError`
listing every problem in the file as ``path:line:col: field: message``.
No ReportLab here.
"""

from __future__ import annotations

import builtins
import calendar
import datetime as dt
import difflib
import re
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .errors import HandoutError, Problem
from .geometry import GEOMETRY, MARGINS, Geometry, Margins
from .loading import Document, dotted
from .personal import FIELD_KEY
from .values import HexColour, Length, LocalText, Model, OptText, Text

# --------------------------------------------------------------------------- handouts


class Review(Model):
    status: Literal["draft", "approved"]
    """``draft`` until a clinician has approved this version."""
    reviewed_by: OptText = ""
    """Who approved it (name and role)."""
    next_review: dt.date | None = None
    """When the content must be reviewed again."""

    @model_validator(mode="after")
    def _approved_needs_reviewer(self) -> Review:
        if self.status == "approved" and not self.reviewed_by.strip():
            raise ValueError("approved content needs reviewed_by")
        return self


class Cover(Model):
    tagline: OptText = ""
    """A short line under the subtitle on the brochure's front panel."""
    points: list[Text] = Field(default=[], max_length=3)
    """Up to three key points printed on the brochure's front panel (plain text, one line or
    two each)."""
    image: str | None = None
    """A picture for the cover (SVG or PNG), relative to the handout file, inside its folder."""
    alt: str | None = None
    """What the cover picture shows; ``""`` for a picture that only decorates."""


class FieldDef(Model):
    key: Text
    """``patient.*``, ``visit.*`` or ``provider.*``."""
    label: Text
    """What the write-in line is called on the page."""
    kind: Literal["text", "date", "body-map"] = "text"
    """``text``: a write-in line; ``date``: a line for a date (``--set`` takes YYYY-MM-DD
    and prints it in words); ``body-map``: a front/back body outline with the regions marked
    (``--set`` takes region names separated by ``;``)."""
    choices: list[Text] | None = None
    """Tick boxes instead of a line, one per choice (``--set`` ticks them, several with ``;``)."""

    @field_validator("choices")
    @classmethod
    def _choices_shape(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return v
        if len(v) < 2:
            raise ValueError("give at least two choices (one tick box is a yes/no question)")
        folded = [c.strip().casefold() for c in v]
        if len(set(folded)) != len(folded):
            raise ValueError("a choice is listed twice")
        if any(";" in c for c in v):
            raise ValueError("a choice may not contain ';' (it separates ticked choices)")
        return v

    @model_validator(mode="after")
    def _choices_are_text(self) -> FieldDef:
        if self.choices is not None and self.kind != "text":
            raise ValueError(f"choices are tick boxes: they cannot be a {self.kind} field too")
        return self

    @field_validator("key")
    @classmethod
    def _key_shape(cls, v: str) -> str:
        if not FIELD_KEY.match(v):
            raise ValueError("expected patient.NAME, visit.NAME or provider.NAME (lower case)")
        return v


SectionStyle = Literal["normal", "callout", "warning", "urgent", "keypoints"]


class QRCode(Model):
    """``qr: {url: https://…, label: Watch a 2-minute video}``: a QR code under the section."""

    url: Text
    """An https address (printed in words under the code as well)."""
    label: Text
    """What the code leads to, printed beside it."""

    @field_validator("url")
    @classmethod
    def _https_only(cls, v: str) -> str:
        v = v.strip()
        if not re.fullmatch(r"https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?(?:/\S*)?", v):
            raise ValueError("expected an https:// address (other kinds of links are refused)")
        if len(v) > 300:
            raise ValueError("is too long for a QR code that prints well (300 characters at most)")
        return v


ToolKind = Literal["pain-log", "write-in", "appointment"]

#: which keys each kind of tool takes (besides ``kind``)
TOOL_KEYS: dict[str, tuple[str, ...]] = {
    "pain-log": ("days", "times", "scale"),
    "write-in": ("lines",),
    "appointment": ("fields",),
}


class Tool(Model):
    """``tool:`` on a section: something to fill in, drawn after the section's text.

    ``{kind: pain-log, days: 7, times: [Morning, Evening]}``: a 0-10 pain scale and a table
    of boxes, a row a day and a column a time of day. ``{kind: write-in, lines: 5}``: blank
    lines to write on (questions to ask). ``{kind: appointment, fields: [visit.follow_up,
    visit.follow_up_time]}``: a box holding those personal fields (from ``fields:``; they
    are drawn here instead of at the top of the page)."""

    kind: ToolKind
    days: int | None = Field(default=None, ge=1, le=14)
    """pain-log: how many days (rows), 7 when not given."""
    times: list[Text] | None = Field(default=None, min_length=1, max_length=4)
    """pain-log: the times of day (columns); the layout's words for morning and evening
    (``layouts/strings/``) when not given."""
    scale: Literal["faces", "numbers"] | None = None
    """pain-log: the 0-10 scale above the table drawn as ``faces`` (the default) or as a
    ``numbers`` line; both print the numbers and the words for 0 and 10."""
    lines: int | None = Field(default=None, ge=1, le=20)
    """write-in: how many lines to write on, 4 when not given."""
    fields: list[Text] | None = Field(default=None, min_length=1, max_length=4)
    """appointment: the keys of the handout's ``fields`` shown in the box, in order."""

    @model_validator(mode="after")
    def _keys_for_kind(self) -> Tool:
        allowed = TOOL_KEYS[self.kind]
        for key in ("days", "times", "scale", "lines", "fields"):
            if getattr(self, key) is not None and key not in allowed:
                owner = next(k for k, keys in TOOL_KEYS.items() if key in keys)
                raise ValueError(
                    f"{key} is for a {owner} tool, not a {self.kind} "
                    f"(a {self.kind} takes: {', '.join(allowed)})"
                )
        if self.kind == "appointment" and not self.fields:
            raise ValueError("an appointment tool needs fields: [visit.NAME, …]")
        return self


class Section(Model):
    heading: Text
    style: SectionStyle = "normal"
    """``normal`` text, a tinted ``callout``, ``keypoints`` (the few things to know: first on
    the sheet and the brochure's first inside panel), and the tiered safety box: ``urgent``
    ("Call 911 right away if…", red, first) over ``warning`` ("Call us if…")."""
    panel: Literal["flap"] | None = None
    """Tri-fold: ``flap`` puts this section, whole, on the fold-in flap (a section that stands
    alone, such as questions to ask). Unset: the last plain section short enough goes there."""
    body: Text
    icon: str | None = None
    """A bundled pictogram beside the heading (``layouts/icons/``): phone, ice, heat, …"""
    qr: QRCode | None = None
    """A QR code with its label and address, after the text."""
    tool: Tool | None = None
    """Something to fill in after the text: a pain log, write-in lines, an appointment box."""
    audience: Literal["all", "staff"] = "all"
    """``staff``: printed only on the staff copy (``build --staff-copy``), never on the
    patient's (teach-back prompts, notes for the person handing it out)."""

    @field_validator("icon")
    @classmethod
    def _known_icon(cls, v: str | None) -> str | None:
        from .icons import ICONS, unknown_icon_message

        if v is not None and v not in ICONS:
            raise ValueError(unknown_icon_message(v))
        return v


class Handout(Model):
    title: Text
    subtitle: OptText = ""
    language: Text = "en"
    """BCP 47 tag, written as the PDF's /Lang."""
    form: Text
    """Form number, printed in the footer."""
    revised: dt.date
    review: Review
    layouts: list[str] = Field(min_length=1)
    cover: Cover = Cover()
    fields: list[FieldDef] = []
    sections: list[Section] = Field(min_length=1)
    reading_level_max: float | None = None
    """Highest Flesch-Kincaid grade allowed (default 8)."""

    @field_validator("language")
    @classmethod
    def _bcp47(cls, v: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", v):
            raise ValueError("expected a language tag such as en, es or en-US")
        return v

    @field_validator("fields")
    @classmethod
    def _unique_fields(cls, v: list[FieldDef]) -> list[FieldDef]:
        seen: set[str] = set()
        for f in v:
            if f.key in seen:
                raise ValueError(f"field {f.key} is listed twice")
            seen.add(f.key)
        return v


# --------------------------------------------------------------------------- brands


class Colours(Model):
    primary: HexColour
    accent: HexColour
    text: HexColour = "#1A1A1A"
    muted: HexColour = "#555555"
    light: HexColour
    warning: HexColour
    warning_light: HexColour


class Contact(Model):
    phone: Text
    after_hours_phone: OptText = ""
    fax: OptText = ""
    address: list[str] = Field(min_length=1)
    website: OptText = ""
    email: OptText = ""
    hours: LocalText = ""
    """Opening hours, or per language: ``{en: Monday–Friday…, es: Lunes a viernes…}``."""


class Signature(Model):
    name: LocalText
    title: LocalText = ""


class BrandFonts(Model):
    """The brand's own typeface: TrueType files, relative to the brand file. A face not
    given is the bundled Atkinson Hyperlegible's of that style."""

    regular: Text
    bold: str | None = None
    italic: str | None = None
    bold_italic: str | None = None


CMYK = Annotated[list[float], Field(min_length=4, max_length=4)]


class Brand(Model):
    name: Text
    sample: bool = False
    """True for a brand with fictional details: pages carry a SAMPLE mark, batch refuses it."""
    logo: str | None = None
    """SVG or PNG, relative to the brand file."""
    logo_on_band: str | None = None
    """A light version of the logo for the coloured header band (optional)."""
    logo_alt: LocalText = ""
    """What the logo shows, for screen readers (per language allowed); the name if not given."""
    colors: Colours
    cmyk: dict[str, CMYK] = {}
    fonts: BrandFonts | None = None
    """Body, heading and emphasis faces (TrueType); the bundled faces when not given."""
    contact: Contact
    signature: Signature | None = None

    @field_validator("cmyk")
    @classmethod
    def _cmyk_keys(cls, v: dict[str, list[float]]) -> dict[str, list[float]]:
        for key, vals in v.items():
            if key not in Colours.model_fields:
                raise ValueError(f"unknown colour {key!r}")
            if any(not 0 <= x <= 100 for x in vals):
                raise ValueError(f"{key}: CMYK values are percentages 0-100")
        return v


# --------------------------------------------------------------------------- layouts


class Paper(Model):
    width: Length
    height: Length


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


# --------------------------------------------------------------------------- validation

M = TypeVar("M", bound=BaseModel)

_FRIENDLY = {
    "list_type": "expected a list",
    "dict_type": "expected a mapping (key: value lines)",
    "model_type": "expected a mapping (key: value lines)",
    "string_type": "expected text",
    "date_from_datetime_parsing": "expected a date as YYYY-MM-DD",
    "date_parsing": "expected a date as YYYY-MM-DD",
    "date_type": "expected a date as YYYY-MM-DD",
    "bool_parsing": "expected true or false",
    "float_parsing": "expected a number",
    "int_parsing": "expected a whole number",
    "missing": "required but missing",
}


def _model_at(
    cls: type[BaseModel], loc: tuple[str | int, ...], data: object
) -> type[BaseModel] | None:
    """The model class that owns the mapping at ``loc`` in ``data`` (for "did you mean"
    hints). A model whose field's model depends on the data (a layout's geometry on its
    kind) says which through a ``submodel(field, data)`` class method."""
    current: Any = cls
    for part in loc:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and part < len(data) else None
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        chosen = current.submodel(part, data) if hasattr(current, "submodel") else None
        current = chosen or _inner_model(info.annotation)
        data = data.get(part) if isinstance(data, dict) else None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _no_such_date(value: object) -> str:
    """``2027-02-30``: written as a date, but the calendar has no such day (else '')."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if found is None:
        return ""
    year, month, day = (int(g) for g in found.groups())
    if not 1 <= month <= 12:
        return f"no such date: {text} (the month must be 01 to 12)"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return f"no such date: {text} ({calendar.month_name[month]} {year} has {last} days)"
    return ""


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return "text"


def validate(cls: type[M], doc: Document, what: str = "") -> M:
    """Validate ``doc.data`` as ``cls``; raise one HandoutError with every problem."""
    try:
        return cls.model_validate(doc.data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
            field = dotted(loc)
            kind = err["type"]
            if kind == "extra_forbidden":
                owner = _model_at(cls, loc[:-1], doc.data)
                name = str(loc[-1])
                msg = "unknown key"
                if owner is not None:
                    close = difflib.get_close_matches(name, list(owner.model_fields), n=1)
                    if close:
                        msg += f" (did you mean '{close[0]}'?)"
                    else:
                        msg += f" (expected one of: {', '.join(owner.model_fields)})"
            elif kind in ("literal_error", "enum"):
                expected = err.get("ctx", {}).get("expected", "")
                msg = f"expected one of {expected}, got {err['input']!r}"
            elif kind.startswith("date_") and _no_such_date(err.get("input")):
                msg = _no_such_date(err.get("input"))
            elif kind in _FRIENDLY:
                msg = _FRIENDLY[kind]
                if kind.endswith("_type") and kind not in ("date_type",):
                    msg += f", got {_describe(err['input'])}"
            else:
                msg = str(err["msg"])
                msg = msg.removeprefix("Value error, ")
                if kind == "too_short" and isinstance(err.get("input"), list):
                    msg = "must not be empty"
            where = doc.locate_key(loc) if kind == "extra_forbidden" else doc.locate(loc)
            problems.append(Problem(where, field, msg))
        # one line per problem, in file order
        problems.sort(key=lambda p: (p.location.line or 0, p.location.col or 0))
        raise HandoutError(problems) from None
