"""The files a brand names: its logos and fonts load, or a problem at the brand file's line."""

from __future__ import annotations

from .errors import HandoutError, Problem
from .fonts import FontFileError, brand_font_paths, check_face
from .images import load_logo
from .project import BrandSource


def logo_problems(source: BrandSource) -> list[Problem]:
    """The brand's logos that are missing or cannot be read, at their line in the brand file."""
    out: list[Problem] = []
    for key in ("logo", "logo_on_band"):
        name = getattr(source.brand, key)
        if not name:
            continue
        try:
            load_logo(source.resolve(name))
        except HandoutError as exc:
            out.extend(Problem(source.locate((key,)), key, p.message) for p in exc.problems)
    return out


def font_problems(source: BrandSource) -> list[Problem]:
    """The brand's font files that cannot be used, at their ``fonts.<face>:`` line."""
    out: list[Problem] = []
    for face, font_path in brand_font_paths(source.brand, source.path).items():
        try:
            check_face(font_path)
        except FontFileError as exc:
            out.append(Problem(source.locate(("fonts", face)), f"fonts.{face}", str(exc)))
    return out


def check_brand(source: BrandSource) -> None:
    """Raise one HandoutError if a logo or a font of the brand is missing or cannot be used."""
    problems = logo_problems(source) + font_problems(source)
    if problems:
        raise HandoutError(problems)
