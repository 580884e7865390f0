"""Plain words for the YAML mistakes people make most, instead of the parser's.

PyYAML reports where it gave up, in its own terms: a quote left open is "found unexpected end
of stream" at the end of the file (or at a later quote that seemed to close it), and a colon
inside text is "mapping values are not allowed here". Here each becomes what to do, at the
line where the mistake is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

#: a value that starts with a quote: after an optional "- " and an optional "key: "
_QUOTED_VALUE = re.compile(r"""^(\s*(?:-\s+)*(?:[^\s#'"\[\]{}][^#'"]*?:\s+)?)(["'])""")
#: ``key: text: more``: plain text with ': ' inside it
_COLON_IN_TEXT = re.compile(r"""^(\s*(?:-\s+)?)([^\s#'"\[\]{}:][^:#]*?):\s+([^\s'"|>\[{#].*)$""")


@dataclass(frozen=True)
class Mistake:
    line: int  # 1-based
    col: int
    message: str


def explain(exc: yaml.MarkedYAMLError, lines: list[str]) -> Mistake | None:
    """The mistake behind ``exc`` in plain words, at its own line; None for other errors."""
    problem = str(exc.problem or "")
    context = str(exc.context or "")
    if "quoted scalar" in context:
        return _unclosed_quote(exc, lines)
    if problem.startswith("mapping values are not allowed") and exc.problem_mark is not None:
        return _colon_in_text(exc.problem_mark.line, lines)
    return None


def _closes(rest: str, quote: str) -> bool:
    """Whether ``rest`` (after an opening ``quote``) holds its closing quote."""
    if quote == "'":  # '' inside single quotes is a quote character, not the end
        return "'" in rest.replace("''", "")
    i = 0
    while i < len(rest):
        if rest[i] == "\\":
            i += 2
            continue
        if rest[i] == '"':
            return True
        i += 1
    return False


def _unclosed_quote(exc: yaml.MarkedYAMLError, lines: list[str]) -> Mistake:
    last = exc.context_mark.line if exc.context_mark is not None else len(lines) - 1
    for n, text in enumerate(lines[: last + 1]):
        found = _QUOTED_VALUE.match(text)
        if found is None:
            continue
        quote = found.group(2)
        if not _closes(text[found.end() :], quote):
            return Mistake(n + 1, found.end(), _quote_message(quote))
    mark = exc.context_mark or exc.problem_mark
    assert mark is not None
    return Mistake(mark.line + 1, mark.column + 1, _quote_message(None))


def _quote_message(quote: str | None) -> str:
    shown = {'"': 'a double quote (")', "'": "a single quote (')"}.get(quote or "", "a quote")
    return (
        f"YAML: unclosed quote: the text that starts here with {shown} has no closing quote "
        "on this line; add it at the end of the text"
    )


def _colon_in_text(line: int, lines: list[str]) -> Mistake | None:
    if not 0 <= line < len(lines):
        return None
    found = _COLON_IN_TEXT.match(lines[line].rstrip())
    if found is None or ": " not in found.group(3):
        return None
    key, value = found.group(2), found.group(3)
    quoted = f'"{value}"' if '"' not in value else "'" + value.replace("'", "''") + "'"
    return Mistake(
        line + 1,
        found.start(3) + 1,
        f"YAML: the text has ': ' in it, which YAML reads as the start of another key: "
        f"put the whole text in quotes ({key}: {quoted})",
    )
