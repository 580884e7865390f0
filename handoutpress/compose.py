"""Handout model + brand + personal values → text ready to lay out.

Every template in the handout is rendered here, once, and every problem in the
file is collected (with the file line of the template line that failed) before
one error is raised. Nothing here knows about pages.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial

from .errors import HandoutError, Location, Problem
from .field_values import FieldEntry, field_entry, printed_value, text_values
from .fonts import FontSet, describe_chars, register
from .language_tags import span_problems
from .link_addresses import personal_in_addresses
from .loading import Document, Key, dotted
from .markdown import (
    Block,
    Inline,
    Picture,
    Span,
    map_pictures,
    paragraphs,
    parse_blocks,
    parse_inline,
    plain_text,
)
from .markdown_memo import MarkdownMemo
from .models import Brand, Handout, Tool
from .personal import PERSONAL_NAMESPACES, RECIPIENT_FIELDS, ROW
from .personal_values import split_personal, value_problems, visible_values
from .pictures import resolve, resolve_cover
from .scripts import beyond_bmp, rtl_chars, unsupported_text
from .strings import Strings, strings_for
from .template_text import render_text
from .template_values import Namespace, TemplateProblem, WriteIn
from .toolspec import ComposedTool, compose_tool, take_icons
from .values import in_language


@dataclass(frozen=True)
class ComposedSection:
    index: int
    heading: Inline
    style: str
    blocks: tuple[Block, ...]
    #: a bundled pictogram beside the heading (``icon_catalog.ICONS``), or None
    icon: str | None = None
    #: a QR code after the text: (address, label as inline text), or None
    qr: tuple[str, Inline] | None = None
    #: something to fill in after the text (a pain log, write-in lines, an appointment box)
    tool: ComposedTool | None = None
    #: ``staff``: a section of the staff copy only (the patient's copy leaves it out)
    audience: str = "all"
    #: the tri-fold panel the handout names for this section (``flap``), or None
    panel: str | None = None

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
    #: the key points on the brochure's cover (``cover.points``)
    points: tuple[Inline, ...] = ()
    #: ``cover.image`` with its alt text, checked and ready to draw (None: no cover image)
    cover_picture: Picture | None = None
    #: the personal fields with their kinds (``fields`` holds their labels and shown values)
    field_entries: tuple[FieldEntry, ...] = ()
    #: the subtitle with no personal data in it, like ``public_title`` (the PDF's subject)
    public_subtitle: str = ""
    #: the staff copy (``build --staff-copy``): sections for staff included, STAFF COPY marks
    staff_copy: bool = False

    @property
    def placed_fields(self) -> frozenset[str]:
        """Keys of the fields a section's tool shows (an appointment box), not the page top."""
        return frozenset(e.key for s in self.sections if s.tool is not None for e in s.tool.entries)

    @property
    def shown_title(self) -> str:
        """The title as the first page prints it (personal values filled in), as plain text
        on one line: for the pages' running heads, never for metadata (``public_title``)."""
        return " ".join(plain_text(self.title).split())

    @property
    def draft(self) -> bool:
        return self.handout.review.status != "approved"


def clinic_namespace(brand: Brand, language: str = "en") -> Namespace:
    """``clinic.*`` in templates; texts given per language in the brand in ``language``."""
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
            "hours": in_language(c.hours, language),
        },
    )


class _CsvRow(Namespace):
    """``row.*`` of a letter made without a CSV (``build --layout letter``, ``check``): the
    columns given with ``--set row.NAME=…``, a write-in line for any other."""

    def __missing__(self, key: str) -> WriteIn:
        return WriteIn()


@lru_cache(maxsize=256)
def _unprintable(fonts: FontSet, template: str) -> tuple[str, ...]:
    """What ``template``'s own text has that ``fonts`` cannot print (found once for a
    mailing's rows, which all compose the same templates)."""
    return tuple(fonts.missing(template))


def compose(
    handout_id: str,
    doc: Document,
    handout: Handout,
    brand: Brand,
    personal: Mapping[str, str] | None = None,
    today: dt.date | None = None,
    extra: Mapping[str, Namespace] | None = None,
    sections: Collection[int] | None = None,
    fonts: FontSet | None = None,
    mailing: bool = False,
    staff_copy: bool = False,
    parsed: MarkdownMemo | None = None,
) -> Composed:
    """Render every template of ``handout``; raise one HandoutError listing every problem.

    ``sections``: render only the sections with these indices; the others are left empty
    (a mailing renders the sections that use recipient fields once per recipient, the
    rest once for all).

    ``fonts``: the brand's (:func:`~handoutpress.fonts.brand_fonts`); every character must
    be in them or the fallback. The bundled fonts when not given.

    ``mailing``: a letter, which a batch may fill from a CSV: the recipient's name and
    address (``patient.first_name`` …) and ``row.*`` are write-in lines unless given.

    ``staff_copy``: the staff copy, with the sections for staff (``audience: staff``) under
    a "For staff" heading; without it those sections are left out altogether.

    ``parsed``: a mailing's memo of parsed Markdown (the same as parsing each text, without
    parsing again what only differs by this recipient's values)"""
    fonts = fonts or register()
    personal = visible_values(personal or {})
    in_text = text_values(handout.fields, personal, handout.language)
    markdown = parsed.for_row(handout, partial(printed_value, in_text, extra)) if parsed else None
    blocks_of = markdown.blocks if markdown is not None else parse_blocks
    inline_of = markdown.inline if markdown is not None else parse_inline
    today = today or dt.date.today()
    problems: list[Problem] = []

    problems.extend(value_problems(personal, fonts))

    def context(with_personal: bool) -> dict[str, object]:
        """Every variable; without ``with_personal`` (the public title, for PDF metadata and
        print-job names) each recipient-derived one (patient, visit, provider, and every
        ``extra`` namespace such as a mailing's ``row``) is withheld: it prints as nothing,
        or as its write-in line when the handout declares the field."""
        split = split_personal(in_text if with_personal else {})
        declared: dict[str, dict[str, object]] = {ns: {} for ns in PERSONAL_NAMESPACES}
        if mailing:
            declared["patient"] = dict.fromkeys(RECIPIENT_FIELDS, WriteIn())
        for f in handout.fields:
            ns, name = f.key.split(".", 1)
            declared[ns][name] = WriteIn()
        ctx: dict[str, object] = {
            "clinic": clinic_namespace(brand, handout.language),
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

    def render(key: Key, source: str, ctx: dict[str, object]) -> str:
        try:
            text = render_text(source, ctx)
        except TemplateProblem as exc:
            problems.append(_template_problem(doc, key, exc))
            return ""
        # (with personal values, each value is checked above, here the template's own text)
        chars = fonts.missing(text) if not personal else list(_unprintable(fonts, source))
        if chars:
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
        spans = inline_of(render(key, source, full))
        _span_problems(doc, key, source, spans, problems)
        return spans

    title = inline(("title",), handout.title)
    subtitle = inline(("subtitle",), handout.subtitle)
    tagline = inline(("cover", "tagline"), handout.cover.tagline)
    points = tuple(inline(("cover", "points", i), p) for i, p in enumerate(handout.cover.points))
    language = handout.language
    fields: list[tuple[Inline, str | None]] = []
    entries: list[FieldEntry] = []
    for i, f in enumerate(handout.fields):
        label = inline(("fields", i, "label"), f.label)
        choices = tuple(
            inline(("fields", i, "choices", n), c) for n, c in enumerate(f.choices or ())
        )
        entry = field_entry(f, label, choices, personal.get(f.key) or None, language, problems)
        entries.append(entry)
        fields.append((label, entry.value))

    def _picture(body_key: Key, picture: Picture) -> Picture:
        return resolve(picture, doc, body_key, fonts, problems)

    strings: list[Strings] = []  # made when a section needs them (a mailing: per row)

    def text() -> Strings:
        if not strings:
            strings.append(strings_for(language))
        return strings[0]

    by_key = {e.key: e for e in entries}
    composed_sections: list[ComposedSection] = []
    for i, s in enumerate(handout.sections):
        if s.audience == "staff" and not staff_copy:
            continue  # never drawn, never in the text of the patient's copy
        if sections is not None and i not in sections:
            composed_sections.append(
                ComposedSection(i, (), s.style, (), audience=s.audience, panel=s.panel)
            )
            continue
        heading = inline(("sections", i, "heading"), s.heading)
        style = s.style
        if s.audience == "staff":
            heading = (Span(text()("staff_prefix") + " ", bold=True), *heading)
            style = "callout" if style == "normal" else style
        body_key: Key = ("sections", i, "body")
        body = render(body_key, s.body, full)
        for tag, why in personal_in_addresses(s.body):
            _icon_problem(doc, body_key, s.body, problems, tag, why)
        blocks = map_pictures(blocks_of(body), partial(_picture, body_key))
        blocks = take_icons(blocks, partial(_icon_problem, doc, body_key, s.body, problems))
        spans = [span for para in paragraphs(blocks) for span in para.spans]
        _span_problems(doc, body_key, s.body, spans, problems)
        qr = None
        if s.qr is not None:
            qr = (s.qr.url, inline(("sections", i, "qr", "label"), s.qr.label))
        tool = None
        if s.tool is not None:
            tool = _tool(doc, i, s.tool, text(), inline, by_key, problems)
        composed_sections.append(
            ComposedSection(i, heading, style, blocks, s.icon, qr, tool, s.audience, s.panel)
        )
    cover_picture = None
    if handout.cover.image is not None:
        alt = handout.cover.alt and plain_text(inline(("cover", "alt"), handout.cover.alt))
        cover_picture = resolve_cover(handout.cover.image, alt, doc, fonts, problems)
    # (a text with no template in it is its own public text: no context to make)
    public = context(with_personal=False) if "{" in handout.title + handout.subtitle else {}
    public_title = _public_text(handout.title, public, inline_of)
    public_subtitle = _public_text(handout.subtitle, public, inline_of)
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
        points=points,
        fields=tuple(fields),
        sections=tuple(composed_sections),
        public_title=public_title,
        public_subtitle=public_subtitle,
        personal=bool(personal),
        values=tuple(personal.items()),
        today=today,
        cover_picture=cover_picture,
        field_entries=tuple(entries),
        staff_copy=staff_copy,
    )


def _tool(
    doc: Document,
    i: int,
    tool: Tool,
    text: Strings,
    inline: Callable[[Key, str], Inline],
    by_key: Mapping[str, FieldEntry],
    problems: list[Problem],
) -> ComposedTool:
    """Section ``i``'s tool with its words; an appointment's fields must be the handout's."""
    key: Key = ("sections", i, "tool")
    times = tuple(inline((*key, "times", n), t) for n, t in enumerate(tool.times or ()))
    shown: list[tuple[int, Location, FieldEntry]] = []
    index = {name: n for n, name in enumerate(by_key)}  # (in the handout's fields' order)
    for n, name in enumerate(tool.fields or ()):
        if name in by_key:
            shown.append((index[name], doc.locate(("fields", index[name], "label")), by_key[name]))
            continue
        close = difflib.get_close_matches(name, list(by_key), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else " (add it to fields: first)"
        where = doc.locate((*key, "fields", n))
        problems.append(
            Problem(where, dotted((*key, "fields", n)), f"{name} is not one of the fields{hint}")
        )
    return compose_tool(tool, doc.locate(key), dotted(key), text, times, tuple(shown))


def _icon_problem(
    doc: Document, key: Key, source: str, problems: list[Problem], mark: str, message: str
) -> None:
    """An icon mark's (or a link's) problem at the body line (and column) it is written on."""
    found = next((n for n, line in enumerate(source.splitlines()) if mark in line), None)
    where = doc.locate(key)
    if found is not None:
        line = doc.text_line(key, found + 1)
        col = doc.column_of(line, mark) if doc.styles.get(tuple(key)) in ("|", ">") else None
        where = Location(doc.path, line, col) if col else where
    problems.append(Problem(where, dotted(key), message))


def _span_problems(
    doc: Document, key: Key, source: str, spans: Iterable[Span], problems: list[Problem]
) -> None:
    """Words in another language: a tag that is not a language, or a mark printed as typed;
    each at the line (and column) it is written on."""
    for mark, message in span_problems(spans, source):
        _icon_problem(doc, key, source, problems, mark, message)


class Withheld(Namespace):
    """A recipient-derived namespace in public text: every name in it prints as nothing."""

    def __missing__(self, name: str) -> str:
        return ""


#: ``{{ … }}`` and ``{% … %}`` in a template, removed when the public text cannot be rendered
_TEMPLATE_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def _public_text(
    source: str, ctx: dict[str, object], inline_of: Callable[[str], Inline] = parse_inline
) -> str:
    """Text with every recipient-derived value withheld, as plain text on one line. A
    template that fails without its values (a filter given an empty value) loses its
    ``{{ … }}`` parts instead: its real error is reported by the full render."""
    try:
        text = plain_text(inline_of(render_text(source, ctx)))
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


def public_heading(composed: Composed, section: ComposedSection | None) -> str:
    """A section's heading for a message, quoted (``'the content'`` for none): as printed
    when its source has no template in it, else that source with each ``{{ … }}`` shown as
    "…", since a heading may print a patient's name and messages never show one."""
    if section is None:
        return "'the content'"
    source = composed.handout.sections[section.index].heading
    if "{" not in source:
        return f"'{section.title}'"
    return f"'{' '.join(plain_text(parse_inline(_TEMPLATE_TAG.sub('…', source))).split())}'"
