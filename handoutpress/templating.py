"""Sandboxed Jinja2 over content text, with strict undefined variables.

Content (titles, headings, bodies, labels) is a template written by clinic
staff. It runs in a :class:`SandboxedEnvironment`; a misspelt variable is an
error naming the file, line and variable, never an empty string. Every value
inserted is escaped for Markdown, so a name such as ``Pat & Lee <O'Brien>`` or
``*Bob*`` prints exactly as written. Data (CSV values, ``--set``) is never
compiled as a template.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import traceback
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .strings import REFERENCE, strings_for

#: Printed where a personal field was not supplied: a line to write on.
WRITE_IN = "_" * 14

_MD_PUNCT = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def escape_markdown(value: Any) -> str:
    """Text that Markdown shows exactly as given (one line)."""
    text = " ".join(str(value).split()) if not isinstance(value, WriteIn) else WRITE_IN
    return _MD_PUNCT.sub(r"\\\1", text)


class WriteIn:
    """A personal field with no value: prints as a write-in line."""

    def __str__(self) -> str:
        return WRITE_IN

    def __bool__(self) -> bool:
        return False


class Namespace(dict):
    """A dict that knows its own dotted name, for error messages."""

    def __init__(self, name: str, values: Mapping[str, Any]) -> None:
        super().__init__(values)
        self.hp_name = name


class _Undefined(jinja2.StrictUndefined):
    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
        obj = self._undefined_obj
        name = self._undefined_name
        if isinstance(obj, Namespace) and name is not None:
            full = f"{obj.hp_name}.{name}"
            close = difflib.get_close_matches(name, [str(k) for k in obj], n=1)
            hint = f" (did you mean '{obj.hp_name}.{close[0]}'?)" if close else ""
            raise TemplateProblem(f"undefined variable '{full}'{hint}")
        if name is not None and obj is jinja2.utils.missing:
            raise TemplateProblem(f"undefined variable '{name}'")
        raise TemplateProblem(self._undefined_message)

    __str__ = _fail_with_undefined_error


class TemplateProblem(Exception):
    """A template failed; ``line`` is the line inside the template text (1-based)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@jinja2.pass_context
def _longdate(context: jinja2.runtime.Context, value: Any) -> str:
    """``{{ today | longdate }}``: the date written out in the handout's language."""
    if not isinstance(value, dt.date):
        return str(value)
    handout = context.get("handout")
    language = handout.get("language") if isinstance(handout, Mapping) else None
    return strings_for(str(language or REFERENCE)).long_date(value)


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=_Undefined,
        autoescape=False,
        finalize=escape_markdown,
        keep_trailing_newline=True,
    )
    env.filters["longdate"] = _longdate
    return env


@lru_cache(maxsize=512)
def _compile(source: str) -> jinja2.Template:
    return environment().from_string(source)


def render_text(source: str, context: Mapping[str, Any]) -> str:
    """Render one text field. Raises :class:`TemplateProblem` with the template line."""
    if "{" not in source:
        return source  # fast path: nothing to render
    try:
        template = _compile(source)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"template syntax: {exc.message}", exc.lineno) from None
    try:
        return template.render(context)
    except TemplateProblem as exc:
        exc.line = _template_line(exc)
        raise
    except jinja2.exceptions.SecurityError:
        raise TemplateProblem("unsafe template expression refused", None) from None
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, ZeroDivisionError) as exc:
        problem = TemplateProblem(f"template error: {exc}")
        problem.line = _template_line(exc)
        raise problem from None


def _template_line(exc: BaseException) -> int | None:
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == "<template>":
            line = frame.lineno
    return line
