"""The files a brand names: its logos and fonts load, or a problem at the brand file's line."""

from __future__ import annotations

from .errors import HandoutError, Problem
from .fonts import FontFileError, brand_font_paths, check_face
from .governance import log_warning, warning
from .images import load_logo
from .project import BrandSource


def logo_problems(source: BrandSource) -> list[Problem]:
    """The brand's logos that are missing or cannot be read, at their line in the brand file."""
    return _logo_findings(source)[0]


def logo_warnings(source: BrandSource) -> list[Problem]:
    """What was dropped from the brand's SVG logos (references outside its folder) and what
    svglib or Pillow said about them, at the ``logo:`` line of the brand file."""
    return _logo_findings(source)[1]


def _logo_findings(source: BrandSource) -> tuple[list[Problem], list[Problem]]:
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for key in ("logo", "logo_on_band"):
        name = getattr(source.brand, key)
        if not name:
            continue
        try:
            logo = load_logo(source.resolve(name), folder=source.path.parent)
        except HandoutError as exc:
            errors.extend(Problem(source.locate((key,)), key, p.message) for p in exc.problems)
            continue
        warnings.extend(Problem(source.locate((key,)), key, w) for w in logo.warnings)
    return errors, warnings


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
    """Raise one HandoutError if a logo or a font of the brand is missing or cannot be used;
    log what was dropped from its logos as located warnings."""
    logo_errors, logo_notes = _logo_findings(source)
    problems = logo_errors + font_problems(source)
    if problems:
        raise HandoutError(problems)
    for note in logo_notes:
        log_warning(warning(note))
