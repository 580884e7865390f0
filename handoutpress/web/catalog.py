"""What the front desk can pick: every handout in ``handouts/``, its languages and layouts.

Read once when the server starts (and again when a file in ``handouts/`` changes), from the
same loader the command line uses. Nothing here holds patient data.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .. import large_print
from ..errors import HandoutError
from ..models import FieldDef
from ..project import HandoutSource, Project

#: Language names in their own language, for the Language list ("Español", not "Spanish").
LANGUAGE_NAMES = {
    "ar": "العربية",
    "de": "Deutsch",
    "en": "English",
    "es": "Español",
    "fa": "فارسی",
    "fr": "Français",
    "hy": "Հայերեն",
    "it": "Italiano",
    "ja": "日本語",
    "ko": "한국어",
    "pt": "Português",
    "ru": "Русский",
    "so": "Soomaali",
    "tl": "Tagalog",
    "vi": "Tiếng Việt",
    "zh": "中文",
}

#: A handout id as ``handouts/`` names them: never a path.
HANDOUT_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def language_name(tag: str) -> str:
    return LANGUAGE_NAMES.get(tag.split("-")[0].lower(), tag)


@dataclass(frozen=True)
class Field:
    """One ``fields:`` entry as the page offers it: a line to type on, a date, tick boxes
    (``choices:``) or a body map's regions."""

    key: str
    label: str
    #: ``text``, ``date`` or ``body-map`` (the engine's field kinds)
    kind: str = "text"
    #: tick boxes: (value sent to the engine, words shown), in the handout's language
    options: tuple[tuple[str, str], ...] = ()

    @property
    def ticks(self) -> bool:
        return bool(self.options)


def _field(f: FieldDef, language: str) -> Field:
    # kind and choices: the engine's field kinds (read with getattr, so that this module
    # works with the models before and after they have them)
    kind = str(getattr(f, "kind", "text") or "text")
    choices = getattr(f, "choices", None)
    if choices:
        return Field(f.key, f.label, kind, tuple((str(c), str(c)) for c in choices))
    if kind == "body-map":
        bodymap = importlib.import_module("handoutpress.bodymap")
        regions = tuple((str(r.key), str(r.name(language))) for r in bodymap.REGIONS)
        return Field(f.key, f.label, kind, regions)
    return Field(f.key, f.label, kind)


@dataclass(frozen=True)
class Variant:
    """One language of a handout."""

    lang: str
    #: the id the engine takes (``tpi-aftercare`` or ``tpi-aftercare.es``)
    ref: str
    title: str
    subtitle: str
    form: str
    revised: str
    status: str
    layouts: tuple[str, ...]
    fields: tuple[Field, ...]
    headings: tuple[str, ...]

    @property
    def language_name(self) -> str:
        return language_name(self.lang)

    @property
    def draft(self) -> bool:
        return self.status != "approved"


@dataclass(frozen=True)
class Entry:
    """A handout and its translations, original first."""

    id: str
    variants: tuple[Variant, ...]

    @property
    def original(self) -> Variant:
        return self.variants[0]

    def variant(self, lang: str | None) -> Variant | None:
        if not lang:
            return self.original
        return next((v for v in self.variants if v.lang == lang), None)

    def layouts(self) -> tuple[str, ...]:
        """The layouts offered: the handout's own (large print is its own checkbox)."""
        return tuple(name for name in self.original.layouts if name != large_print.LAYOUT)

    @property
    def search_text(self) -> str:
        """What search looks in: every language's title, subtitle and headings, and the names
        staff know a handout by besides its title (its file name, "tpi-aftercare", and form
        number, "PSP-TPI-02")."""
        parts = [p for v in self.variants for p in (v.title, v.subtitle, *v.headings, v.form)]
        return fold(" ".join([self.id, *parts]))


def fold(text: str) -> str:
    """Lower case without accents: "inyeccion" finds "Inyección"."""
    text = _TEMPLATE.sub(" ", text)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _variant(source: HandoutSource) -> Variant:
    h = source.handout
    ref = source.id if not source.language_suffix else f"{source.id}.{source.language_suffix}"
    return Variant(
        lang=h.language,
        ref=ref,
        title=_TEMPLATE.sub("…", h.title),
        subtitle=_TEMPLATE.sub("…", h.subtitle),
        form=h.form,
        revised=h.revised.isoformat(),
        status=h.review.status,
        layouts=tuple(h.layouts),
        fields=tuple(_field(f, h.language) for f in h.fields),
        headings=tuple(s.heading for s in h.sections),
    )


@dataclass(frozen=True)
class Catalog:
    entries: tuple[Entry, ...]
    #: handout files that did not load, by file name (shown to staff as "cannot be used")
    broken: tuple[str, ...]

    def get(self, handout_id: str) -> Entry | None:
        if not HANDOUT_ID.fullmatch(handout_id):
            return None
        return next((e for e in self.entries if e.id == handout_id), None)

    def search(self, query: str) -> list[Entry]:
        words = fold(query).split()
        return [e for e in self.entries if all(w in e.search_text for w in words)]


def load_catalog(project: Project) -> Catalog:
    entries: list[Entry] = []
    broken: list[str] = []
    for handout_id in project.handout_ids:
        paths: list[Path] = [project.handouts_dir / f"{handout_id}.yaml"]
        paths += [p for _, p in sorted(project.translations(handout_id).items())]
        variants: list[Variant] = []
        for path in paths:
            try:
                variants.append(_variant(project.load_handout(path)))
            except HandoutError:
                broken.append(path.name)
        if variants and paths[0].name not in broken:
            entries.append(Entry(handout_id, tuple(variants)))
    entries.sort(key=lambda e: fold(e.original.title))
    return Catalog(tuple(entries), tuple(broken))
