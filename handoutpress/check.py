"""``check``: everything ``build`` would find wrong, and more, without writing a PDF.

For each handout: schema and template problems, overflow in every layout it
lists (each is laid out in memory, as ``build`` would) and in the large-print
layout, reading level per section and overall, review status and date, and
glyph coverage. For the brand: logos exist and load, raster logos have enough
pixels for press output at the size the layouts place them, and every
fonts load and allow embedding, and every character of the brand's and the layouts'
fixed texts is in the brand's fonts (the bundled ones when it names none) or the fallback;
its contact details fit a letter's footer (measured, when no handout lays a letter out).

Problems are :class:`~handoutpress.governance.Finding` s, printed one per line:
``path:line:col: field: message`` for errors and
``path:line:col: field: warning: message`` for warnings. ``check`` exits 1 when
there is an error, or (``--strict``) a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from . import content_rules, large_print
from .brand_files import (
    fictional_details,
    font_problems,
    logo_problems,
    logo_warnings,
    text_findings,
)
from .build import compose_for, letter_footer_problems
from .check_report import (
    CheckReport,
    CheckRequest,
    HandoutReport,
    LayoutResult,
    SectionGrade,
)
from .compose import Composed
from .errors import HandoutError, Location, Problem, display_path
from .fonts import FontSet, brand_fonts, describe_chars, register
from .governance import Finding, error, review_problems, warning
from .images import PlacedImage
from .layouts import render
from .models import Brand, Layout
from .personal import supplied_by_csv
from .pictures import all_pictures, low_resolution, reading_notes
from .project import BrandSource, HandoutSource, Project
from .readability import DEFAULT_MAX_GRADE, prose, reading_level, supported
from .render import RenderOptions
from .source_date import deterministic_today

#: The layout ``build --large-print`` uses; ``check`` lays every handout out in it too.
LARGE_PRINT = large_print.LAYOUT
#: The layout ``batch`` uses; ``check`` lays a mailing's handout out in it too.
MAILING_LAYOUT = "letter"
#: Raster logos need this many pixels per inch at their placed size for press output.
PRESS_PPI = 300
#: Below this a raster logo looks blurred even from a desk printer: an error.
MIN_PPI = 150


# --------------------------------------------------------------------------- the check


def check(project: Project, req: CheckRequest) -> CheckReport:
    """Check handouts (all in ``handouts/`` when none is named). Raises only for usage errors."""
    _, today = deterministic_today()
    report = CheckReport(today)
    # each handout, then its translations, as `list` shows them
    paths = project.handout_paths(req.handouts, req.lang)
    brand_path = project.brand_path(req.brand)
    source: BrandSource | None = None
    try:
        source = project.brand_source(req.brand)
    except HandoutError as exc:
        report.brand_findings.extend(_errors(exc, brand_path))
    brand = source.brand if source is not None else None
    logos_ok = True
    fonts = register()
    glyphs: list[Problem] = []  # (said after the handouts)
    if source is not None:
        found = [error(p) for p in logo_problems(source)]
        report.brand_findings.extend(warning(p) for p in logo_warnings(source))
        report.brand_findings.extend(warning(p) for p in fictional_details(source))
        glyphs, wrong = text_findings(source)
        report.brand_findings.extend(error(p) for p in wrong)
        bad_fonts = [error(p) for p in font_problems(source)]
        report.brand_findings.extend(found + bad_fonts)
        logos_ok = not found and not bad_fonts
        if not bad_fonts:  # (else the glyphs are checked against the bundled fonts)
            fonts = brand_fonts(source.brand, source.path)
    placed: list[PlacedImage] = []
    letter_footers: list[Problem] = []
    languages: set[str] = set()
    for path in paths:
        h = _check_handout(
            project,
            path,
            source,
            today,
            placed,
            lay_out=brand is not None and logos_ok,
            fonts=fonts,
            letter_footers=letter_footers,
        )
        h.findings.sort(key=lambda f: (f.problem.location.line or 0, f.problem.location.col or 0))
        report.handouts.append(h)
        if h.source is not None:
            languages.add(h.source.handout.language)
    # the brand's details too long for a letter's footer, found where no letter was laid out
    # (a letter that was says it as an error already)
    said = {f.problem for h in report.handouts for f in h.findings}
    report.brand_findings.extend(warning(p) for p in dict.fromkeys(letter_footers) if p not in said)
    if source is not None:
        where = source.locate
        report.brand_findings.extend(_logo_resolutions(source.brand, brand_path, where, placed))
        report.brand_findings.extend(error(p) for p in glyphs)
    report.brand_findings.extend(_check_strings(languages, fonts))
    if not req.handouts:
        report.brand_findings.extend(_check_all_files(project, brand_path))
    return report


def _check_all_files(project: Project, checked_brand: Path) -> list[Finding]:
    """With no HANDOUT named: every layout and brand file in the project must be valid too,
    every brand's logos and fonts must load, and no brand that is not a sample may have
    fictional contact details (a warning)."""
    out: list[Finding] = []
    for name in project.layout_names():
        try:
            project.load_layout(name)
        except HandoutError as exc:
            out.extend(_errors(exc, project.layout_path(name)))
    for name in project.brand_names():
        if project.brand_path(name) == checked_brand:
            continue  # reported above
        try:
            other = project.brand_source(name)
        except HandoutError as exc:
            out.extend(_errors(exc, project.brand_path(name)))
            continue
        # its logos and fonts load too (their use in layouts is checked with --brand NAME)
        problems = logo_problems(other) + font_problems(other)
        out.extend(error(p) for p in problems)
        out.extend(warning(p) for p in logo_warnings(other))
        out.extend(warning(p) for p in fictional_details(other))
    return out


def _errors(exc: HandoutError, path: Path | None) -> list[Finding]:
    return [error(p) for p in exc.problems] or [error(Problem(Location(path), "", exc.message))]


def _check_handout(
    project: Project,
    path: Path,
    brand_source: BrandSource | None,
    today: dt.date,
    placed: list[PlacedImage],
    lay_out: bool,
    fonts: FontSet,
    letter_footers: list[Problem],
) -> HandoutReport:
    report = HandoutReport(path, path.stem)
    try:
        source = project.load_handout(path)
    except HandoutError as exc:
        report.findings.extend(_errors(exc, path))
        return report
    report.source = source
    handout = source.handout
    report.findings.extend(review_problems(source, today))
    _reading(source, report)
    content = content_rules.score(source)
    report.findings.extend(content.findings)
    report.estimate = content.estimate
    if brand_source is None:
        return report
    # a mailing's text (batch): the recipient's name, address and row.* come from the CSV
    report.csv_fields = supplied_by_csv(handout)
    mailing = bool(report.csv_fields)
    # composed as build and batch compose it (once, for every layout it is laid out in)
    options = RenderOptions(deterministic=True, layout_only=True)
    try:
        composed = compose_for(source, None, brand_source, today, {}, options, fonts=fonts)
    except HandoutError as exc:
        report.findings.extend(_errors(exc, path))
        return report
    if not lay_out:  # the brand's logos or fonts do not load (reported once, for the brand)
        return report
    staff = None  # the staff copy too, when the handout has sections for staff
    if any(s.audience == "staff" for s in handout.sections):
        try:
            staff_options = replace(options, staff_copy=True)
            staff = compose_for(source, None, brand_source, today, {}, staff_options, fonts=fonts)
        except HandoutError as exc:
            report.findings.extend(_errors(exc, path))
    names = list(handout.layouts)
    # also the layout build --large-print uses, or, for a mailing, the one batch uses
    also = MAILING_LAYOUT if mailing else LARGE_PRINT
    if also in project.layout_names() and also not in names:
        names.append(also)
    kinds: set[str] = set()
    for i, name in enumerate(names):
        try:
            layout = project.load_layout(name)
            kinds.add(layout.kind)
        except HandoutError as exc:
            if i < len(handout.layouts) and not any(p.location.path for p in exc.problems):
                where = source.doc.locate(("layouts", i))
                report.findings.extend(
                    error(Problem(where, f"layouts[{i}]", p.message)) for p in exc.problems
                )
            else:
                report.findings.extend(_errors(exc, None))
            report.layouts.append(LayoutResult(name, False))
            continue
        if mailing and layout.kind != "letter":
            fields = ", ".join(report.csv_fields)
            report.findings.append(
                error(
                    Problem(
                        source.doc.locate(("layouts", i)),
                        f"layouts[{i}]",
                        f"'{name}' is a {layout.kind}: the text uses {fields}, which only a "
                        "mailing's CSV supplies (batch, a letter layout); list letter instead",
                    )
                )
            )
            report.layouts.append(
                LayoutResult(name, False, not_made="CANNOT BE MADE (not a letter)")
            )
            continue
        report.layouts.append(_lay_out(composed, layout, brand_source, source, i, report, placed))
        if staff is not None:
            report.layouts.append(
                _lay_out(staff, layout, brand_source, source, i, report, placed, staff=True)
            )
    if "letter" not in kinds:
        letter_footers.extend(_letter_footer(project, composed, brand_source))
    found = all_pictures(s.blocks for s in composed.sections)
    if composed.cover_picture is not None:
        found.append(composed.cover_picture)
    report.findings.extend(warning(p) for p in low_resolution(found, placed))
    report.findings.extend(warning(p) for p in reading_notes(found, fonts))
    return report


def _letter_footer(project: Project, composed: Composed, brand: BrandSource) -> tuple[Problem, ...]:
    """What of the brand's details does not fit the footer of the letter ``batch`` uses:
    measured, not laid out (the letter module is imported only for this)."""
    if MAILING_LAYOUT not in project.layout_names():
        return ()
    try:
        layout = project.load_layout(MAILING_LAYOUT)
    except HandoutError:  # (reported as the layout file's own error)
        return ()
    return letter_footer_problems(composed, layout, brand)


def _lay_out(
    composed: Composed,
    layout: Layout,
    brand: BrandSource,
    source: HandoutSource,
    i: int,
    report: HandoutReport,
    placed: list[PlacedImage],
    staff: bool = False,
) -> LayoutResult:
    """Lay ``composed`` out in ``layout`` (``staff``: the staff copy, named so in the report)."""
    options = RenderOptions(
        target="office",
        large_print=layout.name == LARGE_PRINT,
        deterministic=True,
        staff_copy=staff,
        layout_only=True,  # what fits is all check needs: no PDF written
    )
    name = f"{layout.name} (staff copy)" if staff else layout.name
    try:
        result = render(composed, layout, brand, options)
    except HandoutError as exc:  # (ContentOverflow among them)
        report.findings.extend(_errors(exc, source.doc.path))
        return LayoutResult(name, False)
    placed.extend(result.placed_images)
    where = source.doc.locate(("layouts", i)) if i < len(source.handout.layouts) else None
    for message in result.warnings:
        report.findings.append(
            warning(
                Problem(
                    where or source.doc.locate(("title",)),
                    f"layouts[{i}]" if where else layout.name,
                    message,
                )
            )
        )
    return LayoutResult(name, True, result.pages)


# --------------------------------------------------------------------------- reading level


def _reading(source: HandoutSource, report: HandoutReport) -> None:
    handout = source.handout
    doc = source.doc
    report.max_grade = (
        handout.reading_level_max if handout.reading_level_max is not None else DEFAULT_MAX_GRADE
    )
    limit = report.max_grade
    if not supported(handout.language):
        report.findings.append(
            warning(
                Problem(
                    doc.locate(("language",)),
                    "language",
                    f"no reading-level formula for '{handout.language}' (English and Spanish "
                    "are measured); have a reader check the wording",
                )
            )
        )
        return
    texts = []
    for i, section in enumerate(handout.sections):
        text = prose(section.body)
        texts.append(text)
        heading = " ".join(re.sub(r"\{\{.*?\}\}", "…", section.heading).split())
        reading = reading_level(text, handout.language)
        why = content_rules.explain_grade(text, handout.language) if reading else ""
        report.sections.append(SectionGrade(i, heading, reading, why))
        if reading is not None and reading.grade > limit + 1e-9:
            report.findings.append(
                warning(
                    Problem(
                        doc.locate_key(("sections", i, "heading")),
                        f"sections[{i}]",
                        f"'{heading}' reads at {reading.describe()}, above the maximum "
                        f"{limit:g}: use shorter sentences and everyday words",
                    )
                )
            )
    report.overall = reading_level("\n".join(t for t in texts if t), handout.language)
    if report.overall is not None and report.overall.grade > limit + 1e-9:
        key = ("reading_level_max",) if handout.reading_level_max is not None else ("sections",)
        report.findings.append(
            warning(
                Problem(
                    doc.locate_key(key),
                    "reading_level_max" if key[0] == "reading_level_max" else "sections",
                    f"the whole handout reads at {report.overall.describe()}, above the "
                    f"maximum {limit:g}",
                )
            )
        )


# --------------------------------------------------------------------------- brand and strings


Locator = Callable[[tuple[str | int, ...]], Location]


def _logo_paths(brand: Brand, brand_path: Path) -> list[tuple[str, Path]]:
    return [
        (key, (brand_path.parent / name).resolve())
        for key in ("logo", "logo_on_band")
        if (name := getattr(brand, key))
    ]


def _logo_resolutions(
    brand: Brand, brand_path: Path, where: Locator, placed: list[PlacedImage]
) -> list[Finding]:
    out: list[Finding] = []
    for key, path in _logo_paths(brand, brand_path):
        out.extend(_logo_resolution(path, key, where((key,)), placed))
    return out


def _logo_resolution(
    path: Path, key: str, where: Location, placed: list[PlacedImage]
) -> list[Finding]:
    """Pixels per inch of a raster logo at the largest size a layout placed it."""
    sizes = [(p.width, p.height) for p in placed if p.path == path]
    if not sizes:
        return []
    from PIL import Image

    with Image.open(path) as im:
        px_w, px_h = im.size
    w, h = max(sizes)
    ppi = min(px_w / (w / 72), px_h / (h / 72))
    if ppi >= PRESS_PPI:
        return []
    need = (round(w / 72 * PRESS_PPI), round(h / 72 * PRESS_PPI))
    message = (
        f"{display_path(path)} is {px_w} x {px_h} pixels: {ppi:.0f} ppi at its placed size "
        f"({w / 72:.2f} x {h / 72:.2f} in); press output needs {PRESS_PPI} ppi "
        f"({need[0]} x {need[1]} pixels or more), or use an SVG"
    )
    return [
        error(Problem(where, key, message))
        if ppi < MIN_PPI
        else warning(Problem(where, key, message))
    ]


def _check_strings(languages: set[str], fonts: FontSet) -> list[Finding]:
    """The layouts' fixed texts for each language used: loadable, and printable."""
    from .strings import strings_for

    out: list[Finding] = []
    for language in sorted(languages):
        try:
            strings = strings_for(language)
        except HandoutError as exc:
            out.extend(_errors(exc, None))
            continue
        for key, value in strings.texts.items():
            values = value if isinstance(value, list) else [value]
            chars = [c for v in values for c in fonts.missing(str(v))]
            if chars:
                out.append(
                    error(
                        Problem(
                            Location(None),
                            f"layouts/strings/{strings.language}.yaml: {key}",
                            f"has characters {fonts.cannot_print} can print "
                            f"({describe_chars(sorted(set(chars)))})",
                        )
                    )
                )
    return out
