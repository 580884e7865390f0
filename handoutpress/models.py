"""Typed, frozen models of handouts and brands; with the layout's models
(:mod:`handoutpress.layout_models`) and :func:`validate` (:mod:`handoutpress.validation`),
the one place the rest of the engine imports a model from.

No ReportLab here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from .layout_models import MIN_BODY_PT, MIN_SAFE_MARGIN_PT, Layout, Paper, PressSpec, TypeScale
from .personal import FIELD_KEY
from .validation import validate
from .values import HexColour, LocalText, Model, OptPhone, OptText, Phone, Text

__all__ = [
    "FIELD_KEY",
    "MIN_BODY_PT",
    "MIN_SAFE_MARGIN_PT",
    "Brand",
    "BrandFonts",
    "Colours",
    "Contact",
    "Cover",
    "FieldDef",
    "Handout",
    "Layout",
    "Paper",
    "PressSpec",
    "QRCode",
    "Review",
    "Section",
    "Signature",
    "Tool",
    "TypeScale",
    "validate",
]

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
        if re.search(r"\{\{|\{%", v):  # (it printed, and the code held, "{{visit.date}}")
            raise ValueError(
                "is printed and encoded as written: it cannot use {{ … }} (no value is filled "
                "in here, and patient details never go into an address)"
            )
        if not re.fullmatch(r"https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?(?:/\S*)?", v):
            raise ValueError("expected an https:// address (other kinds of links are refused)")
        if len(v) > 300:
            raise ValueError("is too long for a QR code that prints well (300 characters at most)")
        return v


ToolKind = Literal["pain-log", "write-in", "appointment"]

#: which keys each kind of tool takes (besides ``kind``)
TOOL_KEYS: dict[str, tuple[str, ...]] = {
    "pain-log": ("days", "times", "scale"),
    "write-in": ("lines", "label"),
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
    label: Text | None = Field(default=None, max_length=60)
    """write-in: the words over the lines, saying what they are for ("Your questions")."""
    fields: list[Text] | None = Field(default=None, min_length=1, max_length=4)
    """appointment: the keys of the handout's ``fields`` shown in the box, in order."""

    @model_validator(mode="after")
    def _keys_for_kind(self) -> Tool:
        allowed = TOOL_KEYS[self.kind]
        for key in ("days", "times", "scale", "lines", "label", "fields"):
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

    @field_validator("body")
    @classmethod
    def _kept_whole(cls, v: str) -> str:
        from .markdown_depth import lost_line

        if (line := lost_line(v)) is not None:
            raise ValueError(
                f"Markdown nested too deeply at line {line} of the text (more than 9 lists or"
                " 19 quotes inside one another): the text nested that deep would not print"
            )
        return v

    @field_validator("icon")
    @classmethod
    def _known_icon(cls, v: str | None) -> str | None:
        from .icon_catalog import ICONS, unknown_icon_message

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
    phone: Phone
    after_hours_phone: OptPhone = ""
    fax: OptPhone = ""
    address: list[Text] = Field(min_length=1)
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


#: a press colour: cyan, magenta, yellow, black, each a percentage
CMYK = Annotated[list[Annotated[float, Field(ge=0, le=100)]], Field(min_length=4, max_length=4)]
#: the brand colours a press value may be given for (:class:`Colours`' names)
ColourName = Literal["primary", "accent", "text", "muted", "light", "warning", "warning_light"]


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
    cmyk: dict[ColourName, CMYK] = {}
    """Press values of the colours (``primary: [92, 45, 38, 28]``), converted through the
    output intent's profile when not given."""
    fonts: BrandFonts | None = None
    """Body, heading and emphasis faces (TrueType); the bundled faces when not given."""
    contact: Contact
    signature: Signature | None = None
