"""The files a brand names: its logos and fonts load, or a problem at the brand file's line."""

from __future__ import annotations

import re

from .errors import HandoutError, Problem
from .fonts import (
    FontFileError,
    FontSet,
    brand_font_paths,
    brand_fonts,
    check_face,
    describe_chars,
    register,
)
from .governance import log_warning, warning
from .images import load_logo
from .models import Brand
from .project import BrandSource
from .scripts import bidi_controls, unsupported_text


def logo_problems(source: BrandSource) -> list[Problem]:
    """The brand's logos that are missing or cannot be read, at their line in the brand file."""
    return _logo_findings(source)[0]


def logo_warnings(source: BrandSource) -> list[Problem]:
    """What was dropped from the brand's SVG logos (references outside its folder) and what
    svglib or Pillow said about them, at the ``logo:`` line of the brand file."""
    return _logo_findings(source)[1]


def _logo_findings(source: BrandSource) -> tuple[list[Problem], list[Problem]]:
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for key in ("logo", "logo_on_band"):
        name = getattr(source.brand, key)
        if not name:
            continue
        try:
            logo = load_logo(source.resolve(name), folder=source.path.parent)
        except HandoutError as exc:
            errors.extend(Problem(source.locate((key,)), key, p.message) for p in exc.problems)
            continue
        warnings.extend(Problem(source.locate((key,)), key, w) for w in logo.warnings)
    return errors, warnings


def font_problems(source: BrandSource) -> list[Problem]:
    """The brand's font files that cannot be used, at their ``fonts.<face>:`` line."""
    out: list[Problem] = []
    for face, font_path in brand_font_paths(source.brand, source.path).items():
        try:
            check_face(font_path)
        except FontFileError as exc:
            out.append(Problem(source.locate(("fonts", face)), f"fonts.{face}", str(exc)))
    return out


def brand_texts(brand: Brand) -> list[tuple[tuple[str | int, ...], str]]:
    """Every text of the brand that is printed, by its key in the brand file."""
    texts: list[tuple[tuple[str | int, ...], str]] = [(("name",), brand.name)]
    contact = brand.contact
    for name in ("phone", "after_hours_phone", "fax", "website", "email"):
        texts.append((("contact", name), getattr(contact, name)))
    texts.extend((("contact", "address", i), line) for i, line in enumerate(contact.address))
    local = [(("contact", "hours"), contact.hours), (("logo_alt",), brand.logo_alt)]
    if brand.signature is not None:
        local.append((("signature", "name"), brand.signature.name))
        local.append((("signature", "title"), brand.signature.title))
    for key, value in local:  # text, or text per language (each at its own line)
        if isinstance(value, dict):
            texts.extend(((*key, tag), text) for tag, text in value.items())
        else:
            texts.append((key, value))
    return texts


def text_findings(source: BrandSource) -> tuple[list[Problem], list[Problem]]:
    """The brand's texts that would not print as written, at their line, one problem a text:
    (characters none of its fonts can print, which would print as boxes; texts printed wrong:
    right-to-left, direction controls, beyond U+FFFF). A text with direction controls is said
    as such (the fonts have no glyph for them either)."""
    glyphs: list[Problem] = []
    wrong: list[Problem] = []
    fonts = _fonts_of(source)
    for key, text in brand_texts(source.brand):
        chars = fonts.missing(text)
        if chars and not bidi_controls(text):  # a box, not reversed
            message = f"has characters {fonts.cannot_print} can print ({describe_chars(chars)})"
            glyphs.append(Problem(source.locate(key), _dotted(key), message))
        elif (refused := unsupported_text(text)) is not None:
            wrong.append(Problem(source.locate(key), _dotted(key), refused))
    return glyphs, wrong


def _dotted(key: tuple[str | int, ...]) -> str:
    return ".".join(str(k) for k in key)


#: the numbers set aside for fiction (North American 555-0100 to 555-0199), as typed
FICTIONAL_NUMBER = re.compile(r"(?<!\d)555[-.\s\u2011]?01\d\d(?!\d)")
#: the domains set aside for examples (RFC 2606): example.com, .net, .org and *.example
EXAMPLE_DOMAIN = re.compile(r"(?i)(?:^|[.@/])example\.(?:com|net|org)\b|\.example\b")


def fictional_details(source: BrandSource) -> list[Problem]:
    """A brand that says it is not a sample (``sample: false``) with contact details that
    can only be fictional (a 555-01xx number, an example.com address): the clinic is about to
    print a number no one answers. At each detail's line (none for a sample brand)."""
    if source.brand.sample:
        return []
    contact = source.brand.contact
    why = "but the brand says sample: false (real details): set the clinic's own before printing"
    numbers = ("phone", "after_hours_phone", "fax")
    fictional = (
        (numbers, FICTIONAL_NUMBER, "a fictional number (555-0100 to 555-0199)"),
        (("website", "email"), EXAMPLE_DOMAIN, "an example address (example.com)"),
    )
    return [
        Problem(source.locate(("contact", name)), f"contact.{name}", f"{value} is {what}, {why}")
        for names, pattern, what in fictional
        for name in names
        if (value := getattr(contact, name)) and pattern.search(value)
    ]


def _fonts_of(source: BrandSource) -> FontSet:
    """The faces the brand's texts print in: its own (the bundled ones when it names none,
    or when one of its font files cannot be used: :func:`font_problems` says so)."""
    if font_problems(source):
        return register()
    try:
        return brand_fonts(source.brand, source.path)
    except HandoutError:
        return register()


def check_brand(source: BrandSource) -> None:
    """Raise one HandoutError if a logo or a font of the brand is missing or cannot be used,
    or a text of it cannot be printed as written (a character no font has, right-to-left
    text, a direction control, beyond U+FFFF): build, batch and the front desk refuse it as
    ``check`` does; log what was dropped from its logos as located warnings."""
    logo_errors, logo_notes = _logo_findings(source)
    glyphs, wrong = text_findings(source)
    problems = logo_errors + font_problems(source) + glyphs + wrong
    if problems:
        raise HandoutError(problems)
    for note in logo_notes:
        log_warning(warning(note))
