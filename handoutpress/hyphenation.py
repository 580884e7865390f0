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
from typing import Any

import pyphen

_NO_DIGITS = str.maketrans("", "", "0123456789")
#: a digit Pyphen's pattern parser reads (``\\d``) that is not 0-9
_OTHER_DIGIT = re.compile(r"[^\D0-9]")


class _LazyPatterns:
    """``patterns.get(letters)`` as Pyphen's dict answers it: ``(start, values)``, or None
    for letters no pattern (or only patterns of zeros) has."""

    def __init__(self, lines: dict[str, list[str]]) -> None:
        self._lines = lines
        self._parsed: dict[str, tuple[int, tuple[int, ...]] | None] = {}

    def get(self, letters: str) -> tuple[int, tuple[int, ...]] | None:
        if letters in self._parsed:
            return self._parsed[letters]
        found = None
        for line in reversed(self._lines.get(letters, ())):  # the last given wins, as in a dict
            found = _parse(line)
            if found is not None:
                break
        self._parsed[letters] = found
        return found


def _parse(pattern: str) -> tuple[int, tuple[int, ...]] | None:
    """Pyphen's parse of one pattern (``HyphDict.__init__``, the plain case): the offset of
    its first non-zero value and the values from there to its last; None if all are zero."""
    tags, values = zip(
        *[(string, int(i or "0")) for i, string in pyphen.parse(pattern)], strict=True
    )
    if max(values) == 0:
        return None
    start, end = 0, len(values)
    while not values[start]:
        start += 1
    while not values[end - 1]:
        end -= 1
    return start, values[start:end]


class LazyHyphDict(pyphen.HyphDict):
    """Pyphen's patterns of one file, indexed when the first word is hyphenated and parsed
    a pattern at a time (see the module docstring)."""

    def __init__(self, path: Path) -> None:  # noqa: D107 - not Pyphen's: nothing read yet
        self.path = path
        self.cache: dict[str, Any] = {}
        self._ready = False

    def _index(self) -> None:
        with self.path.open("rb") as fd:
            encoding = fd.readline().decode()
        if encoding.lower() == "microsoft-cp1251":
            encoding = "cp1251"
        text = self.path.read_text(encoding)
        lines: dict[str, list[str]] = {}
        readable = not _OTHER_DIGIT.search(text)
        for raw in text.split("\n")[1:] if readable else ():
            line = raw.strip()
            if not line or line.startswith(pyphen.ignored):
                continue
            if "^^" in line or "/" in line:
                readable = False
                break
            letters = line.translate(_NO_DIGITS)
            lines.setdefault(letters, []).append(line)
        if not readable:  # escapes, nonstandard hyphenation, digits not 0-9: Pyphen's parse
            full = pyphen.HyphDict(self.path)
            self.patterns, self.maxlen = full.patterns, full.maxlen
            self._ready = True
            return
        # (at least Pyphen's own maxlen, which counts only patterns with a non-zero value: a
        # longer window only looks up letters that have no pattern)
        self.patterns, self.maxlen = _LazyPatterns(lines), max(map(len, lines))
        self._ready = True

    def positions(self, word: str) -> Any:
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
