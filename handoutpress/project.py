"""Where things are: handouts, layouts and brands in a project folder.

HANDOUT may be an id (``handouts/<id>.yaml``) or a path to a YAML file
anywhere; a brand or layout may be a name or a path.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import HandoutError, Location, Problem, display_path
from .files import why_not_a_file
from .loading import Document, load_yaml
from .models import Brand, Handout, Layout, validate

DEFAULT_BRAND = "palomar"
YAML_SUFFIXES = (".yaml", ".yml")


def find_root(start: Path | None = None) -> Path:
    """The project folder: the working folder if it has ``handouts/`` or ``layouts/``, else ours."""
    here = (start or Path.cwd()).resolve()
    if (here / "layouts").is_dir() or (here / "handouts").is_dir():
        return here
    return Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class HandoutSource:
    id: str
    language_suffix: str | None  # "es" for handouts/<id>.es.yaml
    doc: Document
    handout: Handout


@dataclass(frozen=True)
class BrandSource:
    """A brand file as read: where it is, its text (to point at a key's line) and its model."""

    path: Path
    doc: Document
    brand: Brand

    def locate(self, key: tuple[str | int, ...]) -> Location:
        """Where ``key`` of the brand file is written."""
        return self.doc.locate(key)

    def resolve(self, name: str) -> Path:
        """A file the brand names (logo, font), relative to the brand file."""
        return (self.path.parent / name).resolve()


def _usage(message: str) -> HandoutError:
    return HandoutError([Problem(Location(None), "", message)])


def _language(path: Path) -> str:
    """The ``language:`` a handout file declares (``en`` when it has none)."""
    data = load_yaml(path).data
    value = data.get("language") if isinstance(data, dict) else None
    return str(value) if isinstance(value, str) and value.strip() else "en"


class Project:
    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or find_root()).resolve()
        self.handouts_dir = self.root / "handouts"
        self.layouts_dir = self.root / "layouts"
        self.brands_dir = self.layouts_dir / "brands"
        self._layouts: dict[Path, Layout] = {}
        self._brands: dict[Path, BrandSource] = {}

    def reread_handouts(self) -> Project:
        """This project with ``handouts/`` to be read again, and the layouts and brands read so
        far kept as they were read (the front desk reads those once, when it starts)."""
        fresh = Project(self.root)
        fresh._layouts, fresh._brands = self._layouts, self._brands
        return fresh

    # -- handouts ---------------------------------------------------------------------------
    def handout_files(self) -> list[Path]:
        if not self.handouts_dir.is_dir():
            return []
        return sorted(p for p in self.handouts_dir.iterdir() if p.suffix in YAML_SUFFIXES)

    @cached_property
    def handout_ids(self) -> list[str]:
        """Ids of the default-language handouts (``<id>.yaml``, not ``<id>.<lang>.yaml``)."""
        return [p.stem for p in self.handout_files() if "." not in p.stem]

    def translations(self, handout_id: str) -> dict[str, Path]:
        out = {}
        for p in self.handout_files():
            stem = p.stem
            if stem.startswith(handout_id + ".") and stem.count(".") == 1:
                out[stem.split(".", 1)[1]] = p
        return out

    def handout_paths(self, refs: Sequence[str], lang: str | None = None) -> list[Path]:
        """The files of the handouts named (every unknown one reported at once), or with none
        named every handout: in ``lang`` when given, else each original and its translations."""
        if not refs and lang:
            refs = self.handout_ids
        elif not refs:
            paths = sorted(self.handout_files(), key=lambda p: (p.stem.split(".")[0], p.stem))
            if not paths:
                raise HandoutError([Problem(Location(self.handouts_dir), "", "no handouts found")])
            return paths
        out: list[Path] = []
        problems: list[Problem] = []
        for ref in refs:
            try:
                out.append(self.resolve_handout(ref, lang))
            except HandoutError as exc:
                problems.extend(exc.problems)
        if problems:
            raise HandoutError(problems)
        return out

    def resolve_handout(self, ref: str, lang: str | None = None) -> Path:
        path = Path(ref)
        if path.suffix in YAML_SUFFIXES or "/" in ref or path.is_file():
            if not path.is_file():
                raise _usage(f"{ref}: {why_not_a_file(path, 'handout')}")
            return self._written_in(path, lang) if lang else path
        if ref in self.handout_ids:
            original = self.handouts_dir / f"{ref}.yaml"
            return self._in_language(ref, original, lang) if lang else original
        base, dot, suffix = ref.partition(".")
        if dot and base in self.handout_ids and suffix in self.translations(base):
            found = self.translations(base)[suffix]  # "<id>.<lang>", as `list` shows it
            return self._written_in(found, lang) if lang else found
        close = difflib.get_close_matches(ref, self.handout_ids, n=1)
        if close:
            raise _usage(f"unknown handout '{ref}' (did you mean '{close[0]}'?)")
        known = ", ".join(self.handout_ids) or "none"
        raise _usage(f"unknown handout '{ref}'; handouts: {known}")

    def _in_language(self, ref: str, original: Path, lang: str) -> Path:
        """The translation of ``ref`` into ``lang`` (``es-MX`` finds ``es``), or the original
        if it is written in ``lang``; asking for a language that is not there is an error."""
        found = self.translations(ref)
        primary = lang.split("-")[0].lower()
        for key in (lang, primary):
            if key in found:
                return found[key]
        if _language(original).split("-")[0].lower() == primary:
            return original
        have = ", ".join(sorted(found)) or "none"
        raise _usage(
            f"handout '{ref}' has no '{lang}' translation (handouts/{ref}.{primary}.yaml); "
            f"translations: {have}"
        )

    def _written_in(self, path: Path, lang: str) -> Path:
        """``path`` if it is written in ``lang`` (``es-MX`` accepts ``es``); else an error."""
        written = _language(path)
        if written.split("-")[0].lower() != lang.split("-")[0].lower():
            raise _usage(f"--lang {lang}: {display_path(path)} is written in '{written}'")
        return path

    def load_handout(self, path: Path) -> HandoutSource:
        doc = load_yaml(path)
        handout = validate(Handout, doc)
        stem = path.stem
        base, _, lang = stem.partition(".")
        return HandoutSource(base, lang or None, doc, handout)

    # -- layouts and brands -----------------------------------------------------------------
    def layout_names(self) -> list[str]:
        if not self.layouts_dir.is_dir():
            return []
        return sorted(p.stem for p in self.layouts_dir.glob("*.yaml"))

    def brand_names(self) -> list[str]:
        if not self.brands_dir.is_dir():
            return []
        return sorted(p.stem for p in self.brands_dir.glob("*.yaml"))

    def _named(self, ref: str, folder: Path, names: list[str], what: str) -> Path:
        path = Path(ref)
        if path.suffix in YAML_SUFFIXES or "/" in ref:
            if not path.is_file():
                raise _usage(f"{ref}: {why_not_a_file(path, what)}")
            return path.resolve()
        if ref in names:
            return folder / f"{ref}.yaml"
        close = difflib.get_close_matches(ref, names, n=1)
        if close:
            raise _usage(f"unknown {what} '{ref}' (did you mean '{close[0]}'?)")
        raise _usage(f"unknown {what} '{ref}'; {what}s: {', '.join(names) or 'none'}")

    def layout_path(self, ref: str) -> Path:
        return self._named(ref, self.layouts_dir, self.layout_names(), "layout")

    def load_layout(self, ref: str) -> Layout:
        path = self.layout_path(ref)
        if path not in self._layouts:
            self._layouts[path] = validate(Layout, load_yaml(path))
        return self._layouts[path]

    def brand_path(self, ref: str | None) -> Path:
        return self._named(ref or DEFAULT_BRAND, self.brands_dir, self.brand_names(), "brand")

    def brand_source(self, ref: str | None) -> BrandSource:
        """The brand named (the default brand when ``ref`` is None), read once."""
        path = self.brand_path(ref)
        if path not in self._brands:
            doc = load_yaml(path)
            self._brands[path] = BrandSource(path, doc, validate(Brand, doc))
        return self._brands[path]

    def load_brand(self, ref: str | None) -> tuple[Brand, Path]:
        source = self.brand_source(ref)
        return source.brand, source.path
