"""The value types every model is made of: lengths, colours, text, and the frozen base model.

A length is written ``0.25in``, ``6mm``, ``1cm``, ``10.5pt`` or as a bare number of points and
is held in points. No ReportLab here.
"""

from __future__ import annotations

import re
from typing import Annotated

# (pydantic's plugins are turned off in handoutpress.startup, before pydantic is imported)
from pydantic import BaseModel, BeforeValidator, ConfigDict

# --------------------------------------------------------------------------- value types

_UNITS = {"pt": 1.0, "in": 72.0, "mm": 72.0 / 25.4, "cm": 72.0 / 2.54}
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|in|mm|cm)?\s*$")


def _length(value: object) -> object:
    """``"0.25in"``, ``"6mm"``, ``"10.5pt"`` or a bare number of points → points."""
    if isinstance(value, str):
        m = _LENGTH.match(value)
        if not m:
            raise ValueError("expected a length such as 0.25in, 6mm or 10.5pt")
        return float(m.group(1)) * _UNITS[m.group(2) or "pt"]
    return value


def _hex_colour(value: object) -> object:
    if value is None:  # `primary: #0E5A6B` unquoted: YAML reads the # as a comment
        raise ValueError(
            'expected a colour as "#RRGGBB", in quotes (an unquoted # starts a comment)'
        )
    if isinstance(value, str) and not re.fullmatch(r"#[0-9A-Fa-f]{6}", value.strip()):
        raise ValueError("expected a colour as #RRGGBB")
    return value.strip() if isinstance(value, str) else value


def _text(value: object) -> object:
    """Text fields take any scalar as written; an empty value (``None``, ``""`` or only
    spaces: a blank title, heading, form number or clinic name) is refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("must not be empty")
    return value


#: A phone number as patients dial it: digits with the usual separators, an optional leading
#: ``+`` and an optional extension (``(760) 555-0142``, ``+44 20 7946 0958``, ``… ext 12``).
_PHONE = re.compile(r"\+?[\d\s().\-/]+?(?:\s*(?:ext\.?|x)\s*\d{1,6})?")
_PHONE_DIGITS = (7, 15)  # a local number has 7 digits; E.164 allows at most 15


def _phone(value: object, optional: bool) -> str:
    """A brand's phone number: the number a patient calls, so an empty one (a handout saying
    "Call us" with nothing after it) or words in its place are refused, never printed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return ""
        raise ValueError("must not be empty: the number patients call, e.g. (760) 555-0142")
    if not isinstance(value, str):
        raise ValueError('expected a phone number in quotes, e.g. "(760) 555-0142"')
    number = value.strip()
    digits = sum(ch.isdigit() for ch in re.split(r"ext|x", number)[0])
    low, high = _PHONE_DIGITS
    if not _PHONE.fullmatch(number) or not low <= digits <= high:
        raise ValueError(
            f"expected a phone number of {low} to {high} digits, e.g. (760) 555-0142 "
            "(digits, spaces, ( ) - . / and + only; an extension as 'ext 12')"
        )
    return number


def _per_language(value: object) -> object:
    """Text, or text per language: ``{en: Monday–Friday, es: Lunes a viernes}``."""
    if isinstance(value, dict):
        if not value:
            raise ValueError("give the text, or the text per language ({en: …, es: …})")
        for tag, text in value.items():
            if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", str(tag)):
                raise ValueError(f"{tag!r} is not a language tag such as en or es")
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{tag}: expected text")
    return "" if value is None else value


def in_language(value: str | dict[str, str] | None, language: str) -> str:
    """The text of a brand value for ``language``: the exact tag, else its primary language
    (``es`` for ``es-MX``), else English, else the first given."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    primary = language.split("-")[0].lower()
    by_tag = {k.lower(): v for k, v in value.items()}
    for tag in (language.lower(), primary, "en"):
        if tag in by_tag:
            return by_tag[tag]
    return next(iter(value.values()))


Length = Annotated[float, BeforeValidator(_length)]
#: brand text that may be given per language (opening hours, signature, logo's alt text)
LocalText = Annotated[str | dict[str, str], BeforeValidator(_per_language)]
HexColour = Annotated[str, BeforeValidator(_hex_colour)]
Text = Annotated[str, BeforeValidator(_text)]
OptText = Annotated[str, BeforeValidator(lambda v: "" if v is None else v)]
Phone = Annotated[str, BeforeValidator(lambda v: _phone(v, optional=False))]
OptPhone = Annotated[str, BeforeValidator(lambda v: _phone(v, optional=True))]


class Model(BaseModel):
    # defer_build: a model's validator is built when it is first used, so a command builds
    # only the schemas it validates with (a sheet build never builds the letter's geometry)
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, defer_build=True)


#: Points per inch (lengths are held in points).
INCH = 72.0
