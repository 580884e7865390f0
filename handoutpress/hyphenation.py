"""Pyphen's hyphenation patterns, each parsed when a word first needs it.

The reading level counts Spanish syllables (and English words the CMU dictionary lacks) with
Pyphen's hyphenation patterns. Pyphen parses every pattern of a language's file when it
opens it: 6,000 for Spanish, 11,000 for US English, 40-80 ms of a ``check``, for the few
hundred words a handout has, each of which looks up a few dozen patterns.
:class:`LazyHyphDict` is Pyphen's ``HyphDict`` with the same patterns read otherwise: the file
is indexed by each pattern's letters (its text without the digits, which is the key Pyphen
stores it under) and a pattern is parsed, by Pyphen's own code, the first time a word looks
its letters up. Positions, and so syllable counts, are Pyphen's: ``HyphDict.positions`` runs
unchanged over the patterns it finds. A file with a feature the index does not read
(``^^hh`` escapes, nonstandard hyphenation ``/…=…``) is parsed by Pyphen as before.

Pyphen's internals are used (``hdcache``, ``HyphDict``, ``parse``, ``ignored``): 0.18,
pinned in pyproject.toml.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyphen


def _without_digits(text: str) -> str:
    """``text`` without 0-9 (ten passes of ``str.replace``: faster than ``translate``)."""
    for digit in "0123456789":
        text = text.replace(digit, "")
    return text


#: a digit Pyphen's pattern parser reads (``\\d``) that is not 0-9
_OTHER_DIGIT = re.compile(r"[^\D0-9]")


class _LazyPatterns:
    """``patterns.get(letters)`` as Pyphen's dict answers it: ``(start, values)``, or None
    for letters no pattern (or only a pattern of zeros, or a comment) has."""

    def __init__(self, lines: dict[str, str]) -> None:
        self._lines = lines
        self._parsed: dict[str, tuple[int, tuple[int, ...]] | None] = {}

    def get(self, letters: str) -> tuple[int, tuple[int, ...]] | None:
        if letters in self._parsed:
            return self._parsed[letters]
        line = self._lines.get(letters)
        found = None if line is None or line.startswith(pyphen.ignored) else _parse(line)
        self._parsed[letters] = found
        return found


def _parse(pattern: str) -> tuple[int, tuple[int, ...]] | None:
    """Pyphen's parse of one pattern (``HyphDict.__init__``, the plain case): the offset of
    its first non-zero value and the values from there to its last; None if all are zero."""
    values = tuple(int(digit or "0") for digit, _ in pyphen.parse(pattern))
    if max(values) == 0:
        return None
    start, end = 0, len(values)
    while not values[start]:
        start += 1
    while not values[end - 1]:
        end -= 1
    return start, values[start:end]


#: a comment line (Pyphen ignores it)
_COMMENT = re.compile(r"^[%#].*$", re.MULTILINE)
#: what the index cannot read as Pyphen does: an escape (``^^hh``), nonstandard hyphenation
#: (``/…=…``), a digit not 0-9, space around a pattern
_NOT_PLAIN = re.compile(r"\^\^|/|[^\D0-9]|[^\S\n]\n|\n[^\S\n]|[^\S\n]$")


class LazyHyphDict(pyphen.HyphDict):
    """Pyphen's patterns of one file, indexed when the first word is hyphenated and parsed
    a pattern at a time (see the module docstring)."""

    def __init__(self, path: Path) -> None:  # noqa: D107 - not Pyphen's: nothing read yet
        self.path = path
        #: Pyphen's: per word, its positions (``pyphen.DataInt``: ints that may carry a
        #: nonstandard pattern's change)
        self.cache: dict[str, list[int]] = {}
        self._ready = False

    def _index(self) -> None:
        with self.path.open("rb") as fd:
            encoding = fd.readline().decode()
        if encoding.lower() == "microsoft-cp1251":
            encoding = "cp1251"
        _, _, body = self.path.read_text(encoding).partition("\n")
        body = _COMMENT.sub("", body)  # (a line each still: comments are ignored lines)
        patterns = body.split("\n")
        letters = _without_digits(body).split("\n")  # (a line each, as in ``patterns``)
        written = [k for k in letters if k and not k.startswith(pyphen.ignored)]
        if _NOT_PLAIN.search(body) or len(written) != len(set(written)):
            # (or the same letters twice): Pyphen's own parse
            full = pyphen.HyphDict(self.path)
            self.patterns, self.maxlen = full.patterns, full.maxlen
        else:
            # (at least Pyphen's own maxlen, which counts only patterns with a non-zero value:
            # a longer window only looks up letters that have no pattern)
            index = dict(zip(letters, patterns, strict=True))
            self.patterns, self.maxlen = _LazyPatterns(index), max(map(len, written))
        self._ready = True

    def positions(self, word: str) -> list[int]:
        if not self._ready:
            self._index()
        return super().positions(word)


def lazy_patterns(lang: str) -> None:
    """Make Pyphen's patterns for ``lang`` lazy (before the first ``Pyphen(lang=…)``); a
    language Pyphen has opened already, or does not have, is left as it is."""
    name = pyphen.language_fallback(lang)
    if name is None:
        return
    path = pyphen.LANGUAGES[name]
    if path not in pyphen.hdcache:
        pyphen.hdcache[path] = LazyHyphDict(path)
