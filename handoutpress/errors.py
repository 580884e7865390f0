"""Errors that reach the user as one line per problem, with no traceback.

Every problem is a :class:`Problem` (``path:line:col: field: message``). A
:class:`HandoutError` carries one or more of them; it is a ``ClickException``,
so the CLI needs no ``try/except``: Click prints it and exits with its code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import click


@dataclass(frozen=True)
class Location:
    """Where a value stands in a source file (1-based line and column)."""

    path: Path | None
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = [display_path(self.path) if self.path else "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input."""

    location: Location
    field: str
    message: str

    def __str__(self) -> str:
        parts = [str(self.location)] if self.location.path is not None else []
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


class HandoutError(click.ClickException):
    """The input is wrong. Exit code 1; one line per problem on stderr, each problem once
    (``build A A A …``, an unquoted ``--set`` value of many words, said "unknown handout 'A'"
    once per word)."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            self.problems: tuple[Problem, ...] = ()
            message = problems
        else:
            self.problems = tuple(dict.fromkeys(problems))  # each said once
            message = "\n".join(str(p) for p in self.problems)
        super().__init__(message)

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:
        # Click prefixes "Error: " to the first line only; one plain line per problem reads better.
        click.echo(self.format_message(), err=True)


class UsageProblem(HandoutError):
    """Options that do not go together (exit 2, as Click's usage errors)."""

    exit_code = 2


class ContentOverflow(HandoutError):
    """Content does not fit its layout."""


class BatchRejected(click.ClickException):
    """A batch finished but rejected some rows (exit 3)."""

    exit_code = 3

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


class BatchInterrupted(click.ClickException):
    """A batch was interrupted (Ctrl-C): exit 130, with a done/total summary."""

    exit_code = 130

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


def problem(
    path: Path | None, field: str, message: str, line: int | None = None, col: int | None = None
) -> Problem:
    return Problem(Location(path, line, col), field, message)


def raised_by_us(exc: HandoutError) -> HandoutError:
    """The error our code raised, when ReportLab re-raised it from a callback or a flowable
    as a new error of the same class (``reportlab.lib.utils.annotateException``): its message
    prefixed with ReportLab's own words ("handle_pageBegin args=()", or "paragraph text '…'
    caused exception", which may quote a recipient's text) and its problems lost."""
    while (
        not exc.problems and type(exc.__context__) is type(exc) and str(exc.__context__) in str(exc)
    ):
        assert isinstance(exc.__context__, HandoutError)
        exc = exc.__context__
    return exc
