"""Handout model + brand + personal values → text ready to lay out.

Every template in the handout is rendered here, once, and every problem in the
file is collected (with the file line of the template line that failed) before
one error is raised. Nothing here knows about pages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import HandoutError, Location, Problem
from .fonts import FontSet, describe_chars, register
from .loading import Document, Key, dotted
from .markdown import Block, Inline, parse_blocks, parse_inline, plain_text
from .models import Brand, Handout
from .personal import PERSONAL_NAMESPACES, RECIPIENT_FIELDS, ROW, SET_KEY
from .scripts import beyond_bmp, rtl_chars, unsupported_text
from .templating import Namespace, TemplateProblem, WriteIn, render_text


@dataclass(frozen=True)
class ComposedSection:
    index: int
    heading: Inline
    style: str
    blocks: tuple[Block, ...]

    @property
    def title(self) -> str:
        return plain_text(self.heading)


@dataclass(frozen=True)
class Composed:
    """A handout with every template rendered, ready for a layout."""

    id: str
    source: Document
    handout: Handout
    brand: Brand
    title: Inline
    subtitle: Inline
    tagline: Inline
    fields: tuple[tuple[Inline, str | None], ...]
    sections: tuple[ComposedSection, ...]
    #: the title with no personal data in it, for PDF metadata and print-job names
    public_title: str
    personal: bool
    #: the personal values given (``patient.first_name`` → ``Ana``), for layouts that place
    #: them themselves (the letter's address block and greeting)
    values: tuple[tuple[str, str], ...] = ()
    #: the date the text was made for (``today`` in templates, the letter's date)
    today: dt.date | None = None
    #: the subtitle with no personal data in it, like ``public_title`` (the PDF's subject)
    public_subtitle: str = ""

    @property
    def draft(self) -> bool:
        return self.handout.review.status != "approved"


def clinic_namespace(brand: Brand) -> Namespace:
    c = brand.contact
    return Namespace(
        "clinic",
        {
            "name": brand.name,
            "phone": c.phone,
            "after_hours_phone": c.after_hours_phone or c.phone,
            "fax": c.fax,
            "address": list(c.address),
            "address_line": ", ".join(c.address),
            "website": c.website,
            "email": c.email,
            "hours": c.hours,
        },
    )


def split_personal(values: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """``{"patient.name": "Ana"}`` → ``{"patient": {"name": "Ana"}}``; raises on bad keys."""
    out: dict[str, dict[str, str]] = {ns: {} for ns in PERSONAL_NAMESPACES}
    bad = [k for k in values if not SET_KEY.match(k)]
    if bad:
        raise HandoutError(
            [
                Problem(
                    _cli_location(),
                    "--set",
                    f"'{k}' is not a personal field: use patient.NAME, visit.NAME or provider.NAME",
                )
                for k in bad
            ]
        )
    for key, value in values.items():
        ns, name = key.split(".", 1)
        out[ns][name] = value
    return out


def _cli_location() -> Location:
    return Location(None)


class _CsvRow(Namespace):
    """``row.*`` of a letter made without a CSV (``build --layout letter``, ``check``): the
    columns given with ``--set row.NAME=…``, a write-in line for any other."""

    def __missing__(self, key: str) -> WriteIn:
        return WriteIn()


def compose(
    handout_id: str,
    doc: Document,
    handout: Handout,
    brand: Brand,
    personal: Mapping[str, str] | None = None,
    today: dt.date | None = None,
    extra: Mapping[str, Any] | None = None,
    sections: Collection[int] | None = None,
    fonts: FontSet | None = None,
    mailing: bool = False,
) -> Composed:
    """Render every template of ``handout``; raise one HandoutError listing every problem.

    ``sections``: render only the sections with these indices; the others are left empty
    (a mailing renders the sections that use recipient fields once per recipient, the
    rest once for all).

    ``fonts``: the brand's (:func:`~handoutpress.fonts.brand_fonts`); every character must
    be in them or the fallback. The bundled fonts when not given.

    ``mailing``: a letter, which a batch may fill from a CSV: the recipient's name and
    address (``patient.first_name`` …) and ``row.*`` are write-in lines unless given."""
    fonts = fonts or register()
    personal = dict(personal or {})
    today = today or dt.date.today()
    problems: list[Problem] = []

    for key, value in personal.items():
        chars = fonts.missing(value)
        if any(ch in value for ch in "\n\r\v\f\x85\u2028\u2029"):
            refused: str | None = "has a line break: a field is one line"
        elif chars:
            refused = f"has characters {fonts.cannot_print} can print ({describe_chars(chars)})"
        else:  # right-to-left, or beyond U+FFFF: never printed wrong
            refused = unsupported_text(value)
        if refused is not None:
            problems.append(Problem(_cli_location(), f"--set {key}", refused))

    def context(with_personal: bool) -> dict[str, Any]:
        """Every variable; without ``with_personal`` (the public title, for PDF metadata and
        print-job names) each recipient-derived one (patient, visit, provider, and every
        ``extra`` namespace such as a mailing's ``row``) is withheld: it prints as nothing,
        or as its write-in line when the handout declares the field."""
        split = split_personal(personal if with_personal else {})
        declared: dict[str, dict[str, Any]] = {ns: {} for ns in PERSONAL_NAMESPACES}
        if mailing:
            declared["patient"] = dict.fromkeys(RECIPIENT_FIELDS, WriteIn())
        for f in handout.fields:
            ns, name = f.key.split(".", 1)
            declared[ns][name] = WriteIn()
        ctx: dict[str, Any] = {
            "clinic": clinic_namespace(brand),
            "handout": Namespace(
                "handout",
                {
                    "id": handout_id,
                    "title": handout.title,
                    "subtitle": handout.subtitle,
                    "form": handout.form,
                    "revised": handout.revised,
                    "language": handout.language,
                },
            ),
            "today": today,
        }
        if not with_personal:
            for ns in PERSONAL_NAMESPACES:
                ctx[ns] = Withheld(ns, declared[ns])
            for name in extra or {}:
                ctx[name] = Withheld(name, {})
            return ctx
        for ns in PERSONAL_NAMESPACES:
            ctx[ns] = Namespace(ns, {**declared[ns], **split[ns]})
        if mailing:
            ctx[ROW] = _CsvRow(ROW, split[ROW])
        if extra:
            ctx.update(extra)
        return ctx

    full = context(with_personal=True)

    def render(key: Key, source: str, ctx: dict[str, Any]) -> str:
        try:
            text = render_text(source, ctx)
        except TemplateProblem as exc:
            problems.append(_template_problem(doc, key, exc))
            return ""
        chars = fonts.missing(text)
        if chars and not personal:
            problems.append(
                Problem(
                    _glyph_location(doc, key, source, chars[0]),
                    dotted(key),
                    f"has characters {fonts.cannot_print} can print ({describe_chars(chars)})",
                )
            )
            return text
        # the text as written (with personal values: the template itself, whose values are
        # checked above) must print in reading order
        refused = unsupported_text(text if not personal else source)
        if refused is not None:
            bad = (rtl_chars(source) or beyond_bmp(source) or [""])[0]
            problems.append(Problem(_glyph_location(doc, key, source, bad), dotted(key), refused))
        return text

    def inline(key: Key, source: str) -> Inline:
        return parse_inline(render(key, source, full))

    title = inline(("title",), handout.title)
    subtitle = inline(("subtitle",), handout.subtitle)
    tagline = inline(("cover", "tagline"), handout.cover.tagline)
    fields: list[tuple[Inline, str | None]] = []
    for i, f in enumerate(handout.fields):
        given = personal.get(f.key)
        fields.append((inline(("fields", i, "label"), f.label), given or None))
    composed_sections: list[ComposedSection] = []
    for i, s in enumerate(handout.sections):
        if sections is not None and i not in sections:
            composed_sections.append(ComposedSection(i, (), s.style, ()))
            continue
        heading = inline(("sections", i, "heading"), s.heading)
        body = render(("sections", i, "body"), s.body, full)
        composed_sections.append(ComposedSection(i, heading, s.style, parse_blocks(body)))
    public = context(with_personal=False)
    public_title = _public_text(handout.title, public)
    public_subtitle = _public_text(handout.subtitle, public)
    if problems:
        problems = list(dict.fromkeys(problems))  # the title is rendered twice
        problems.sort(key=lambda p: (p.location.line or 0, p.location.col or 0))
        raise HandoutError(problems)
    return Composed(
        id=handout_id,
        source=doc,
        handout=handout,
        brand=brand,
        title=title,
        subtitle=subtitle,
        tagline=tagline,
        fields=tuple(fields),
        sections=tuple(composed_sections),
        public_title=public_title,
        public_subtitle=public_subtitle,
        personal=bool(personal),
        values=tuple(personal.items()),
        today=today,
    )


class Withheld(Namespace):
    """A recipient-derived namespace in public text: every name in it prints as nothing."""

    def __missing__(self, name: str) -> str:
        return ""


#: ``{{ … }}`` and ``{% … %}`` in a template, removed when the public text cannot be rendered
_TEMPLATE_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def _public_text(source: str, ctx: dict[str, Any]) -> str:
    """Text with every recipient-derived value withheld, as plain text on one line. A
    template that fails without its values (a filter given an empty value) loses its
    ``{{ … }}`` parts instead: its real error is reported by the full render."""
    try:
        text = plain_text(parse_inline(render_text(source, ctx)))
    except TemplateProblem:
        text = _TEMPLATE_TAG.sub("", source)
    return " ".join(text.split())


def _glyph_location(doc: Document, key: Key, source: str, char: str) -> Location:
    """The line and column of ``char`` in the value at ``key`` (a block of text spans lines);
    the value itself when the character comes from a variable (the brand, say)."""
    start = doc.locate(key)
    if start.line is not None and char in source:
        for line in range(start.line, start.line + source.count("\n") + 2):
            col = doc.column_of(line, char)
            if col is not None:
                return Location(doc.path, line, col)
    return start


def _template_problem(doc: Document, key: Key, exc: TemplateProblem) -> Problem:
    """Point at the template line that failed and the variable's column, else the column of
    the first ``{{`` or ``{%`` on that line."""
    line = doc.text_line(key, exc.line or 1)
    col = None
    name = re.search(r"variable '([^']+)'", exc.message)
    if line is not None and name:
        col = doc.column_of(line, name.group(1))
    if col is None and exc.line in (None, 1) and doc.styles.get(key) not in ("|", ">"):
        col = doc.locate(key).col
    if col is None:
        found = [c for tag in ("{{", "{%") if (c := doc.column_of(line, tag))]
        col = min(found, default=None)
    return Problem(Location(doc.path, line, col), dotted(key), exc.message)
