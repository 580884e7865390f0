"""What a content template is given and gives back, without Jinja2.

Most content text has no template syntax at all (a personalised sheet's fields are drawn by
the layout, not by templates): :func:`renders_as_written` says so, and
:func:`handoutpress.template_text.render_text` gives such a text back as it is, importing
:mod:`handoutpress.templating` (the sandboxed Jinja2 environment: 20 modules, about 35 ms of
a command's start-up) only for a text that has some. The values a template is
given (:class:`Namespace`, :class:`WriteIn`), the escaping of what it prints and the error
it raises live here, so that the modules that only pass them on do not import Jinja2 either.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: Printed where a personal field was not supplied: a line to write on.
WRITE_IN = "_" * 14

#: the longest rendered text (and the most items an operator, call or filter may make)
MAX_ITEMS = 100_000

#: the longest one text may be, rendered: the longest shipped section is about 700
#: characters, a page of the sheet holds about 5,000; laying out a text of 100,000 (which
#: a template or a 200 kB block of text makes) takes ReportLab minutes before it overflows
MAX_TEXT = 10_000

#: what starts Jinja2 syntax in the sandbox's environment (its default delimiters: a
#: ``{{ value }}``, a ``{% tag %}``, a ``{# comment #}``; no line statements)
JINJA_SYNTAX = ("{{", "{%", "{#")

_MD_PUNCT = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def escape_markdown(value: object) -> str:
    """Text that Markdown shows exactly as given (one line)."""
    text = " ".join(str(value).split()) if not isinstance(value, WriteIn) else WRITE_IN
    return _MD_PUNCT.sub(r"\\\1", text)


class WriteIn:
    """A personal field with no value: prints as a write-in line."""

    def __str__(self) -> str:
        return WRITE_IN

    def __bool__(self) -> bool:
        return False


class Namespace(dict[str, object]):
    """A dict that knows its own dotted name, for error messages."""

    def __init__(self, name: str, values: Mapping[str, object]) -> None:
        super().__init__(values)
        self.hp_name = name


class TemplateProblem(Exception):
    """A template failed; ``line`` is the line inside the template text (1-based)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def renders_as_written(source: str) -> bool:
    """Whether ``source`` renders to itself: no ``{`` at all, or no Jinja2 syntax, no
    carriage return (Jinja's lexer turns ``\\r\\n`` and ``\\r`` into ``\\n``; the sandbox
    keeps a trailing newline) and no more than :data:`MAX_ITEMS` characters (a longer text
    is refused by the sandbox's limit, with its message)."""
    if "{" not in source:
        return True
    return (
        not any(start in source for start in JINJA_SYNTAX)
        and "\r" not in source
        and len(source) <= MAX_ITEMS
    )


def too_long(text: str) -> str:
    """What is said of a text longer than :data:`MAX_TEXT` (by the loader, and by
    :func:`~handoutpress.template_text.render_text`)."""
    return (
        f"too long: {len(text):,} characters in one text (at most {MAX_TEXT:,}); "
        "no layout holds that much: split it or shorten it"
    )


#: ``{{ name.key }}`` as Jinja2's lexer reads it with nothing else in the tag (ASCII names,
#: spaces only; ``{{-`` and other whitespace control are not this)
_PLAIN_LOOKUP = re.compile(r"\{\{ *([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*) *\}\}")


def render_lookups(source: str, context: Mapping[str, object]) -> str | None:
    """``source`` rendered as the sandbox renders it, without Jinja2, when its only syntax is
    ``{{ name.key }}`` tags (the shipped handouts' ``{{ clinic.phone }}``, ``{{ row.visit_date }}``)
    whose ``name`` is a given dict without a Python attribute ``key`` and whose value is text
    or a write-in; else None (the caller renders it with Jinja2, which says what is wrong).

    What the sandbox does with such a tag: ``name`` is the given value (given values come
    before Jinja2's globals); ``.key`` is its item ``key`` (the sandbox's ``getattr`` reads a
    Python attribute first, so a dict method or ``hp_name`` is left to Jinja2; a missing key
    is its error; a ``dict`` subclass's ``__missing__``, ``row``'s write-in, is used); the value
    is printed through :func:`escape_markdown` (the environment's ``finalize``). The text
    around the tags is kept as written: no other tag or comment, no carriage return (the lexer
    changes those), at most :data:`MAX_TEXT` characters in and out, so that no size or work
    limit of the sandbox can be reached."""
    if "{%" in source or "{#" in source or "\r" in source or len(source) > MAX_TEXT:
        return None
    out: list[str] = []
    at = 0
    while True:
        start = source.find("{{", at)
        if start < 0:
            break
        tag = _PLAIN_LOOKUP.match(source, start)
        if tag is None:
            return None
        name, key = tag.group(1, 2)
        given = context.get(name)
        if not isinstance(given, dict) or hasattr(given, key):
            return None
        try:
            value = given[key]
        except LookupError:
            return None
        if not (type(value) is str or isinstance(value, WriteIn)) or len(str(value)) > MAX_TEXT:
            return None
        out += (source[at:start], escape_markdown(value))
        at = tag.end()
    out.append(source[at:])
    text = "".join(out)
    return text if len(text) <= MAX_TEXT else None
