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
