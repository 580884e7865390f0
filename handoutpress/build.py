"""The library API behind ``build`` and ``list``: handouts in, PDF files out."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import large_print
from .compose import Composed, compose
from .errors import HandoutError, Location, Problem
from .governance import log_warning, review_problems
from .images import load_logo
from .models import Brand
from .output import atomic_write
from .press import press_problems
from .project import HandoutSource, Project
from .render import RenderOptions, render

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildRequest:
    handouts: Sequence[str] = ()
    layout: str | None = None
    brand: str | None = None
    out_dir: Path = Path("out")
    output: Path | None = None
    target: str = "office"
    large_print: bool = False
    values: Mapping[str, str] = field(default_factory=dict)
    lang: str | None = None


def deterministic_today() -> tuple[bool, dt.date]:
    """``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) fixes dates and PDF bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return True, dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return False, dt.date.today()


def load_sources(
    project: Project, refs: Sequence[str], lang: str | None = None
) -> list[HandoutSource]:
    """Load and validate every handout named (all of them when none is), reporting all problems."""
    if refs:
        paths = [project.resolve_handout(r, lang) for r in refs]
    else:
        paths = project.handout_files()
        if not paths:
            raise HandoutError([Problem(Location(project.handouts_dir), "", "no handouts found")])
    sources: list[HandoutSource] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            sources.append(project.load_handout(path))
        except HandoutError as exc:
            problems.extend(exc.problems or [Problem(Location(path), "", exc.message)])
    if problems:
        raise HandoutError(problems)
    return sources


def check_brand(brand: Brand, path: Path) -> None:
    for name in (brand.logo, brand.logo_on_band):
        if name:
            load_logo((path.parent / name).resolve())


def output_name(source: HandoutSource, layout: str) -> str:
    stem = source.id if not source.language_suffix else f"{source.id}.{source.language_suffix}"
    return f"{stem}-{layout}.pdf"


def build(project: Project, req: BuildRequest) -> list[Path]:
    """Build each handout in each of its layouts. Writes what succeeds; raises for what fails."""
    sources = load_sources(project, req.handouts, req.lang)
    brand, brand_path = project.load_brand(req.brand)
    check_brand(brand, brand_path)
    deterministic, today = deterministic_today()
    options = RenderOptions(
        target=req.target, large_print=req.large_print, deterministic=deterministic
    )
    # --large-print: one large-print layout instead of those each handout lists
    only = req.layout or (large_print.LAYOUT if req.large_print else None)
    jobs = [(s, name) for s in sources for name in ([only] if only else s.handout.layouts)]
    if req.output is not None and len(jobs) != 1:
        raise HandoutError("-o/--output needs exactly one handout and one layout; use --out-dir")
    layouts = {}
    problems: list[Problem] = []
    for source, name in jobs:
        if name in layouts:
            continue
        try:
            layouts[name] = project.load_layout(name)
        except HandoutError as exc:
            if only or any(p.location.path is not None for p in exc.problems):
                problems.extend(exc.problems)
                continue
            # an unknown layout named by the handout: point at the handout's line
            i = source.handout.layouts.index(name)
            where = source.doc.locate(("layouts", i))
            problems.extend(Problem(where, f"layouts[{i}]", p.message) for p in exc.problems)
    if req.target == "press":
        problems.extend(press_problems(project, layouts))
    if req.large_print:
        problems.extend(large_print.problems(layouts))
    if problems:
        raise HandoutError(problems)
    for source in sources:  # a passed review date (a draft carries its DRAFT mark instead)
        for finding in review_problems(source, today):
            if finding.problem.field == "review.next_review":
                log_warning(finding)
    written: list[Path] = []
    for source, name in jobs:
        try:
            composed: Composed = compose(
                source.id, source.doc, source.handout, brand, req.values, today
            )
            pdf = render(composed, layouts[name], brand_path, options)
        except HandoutError as exc:
            problems.extend(exc.problems or [Problem(Location(source.doc.path), "", exc.message)])
            continue
        target = req.output or req.out_dir / output_name(source, name)
        atomic_write(target, pdf, private=bool(req.values))
        written.append(target)
    if problems:
        raise HandoutError(problems)
    return written


@dataclass(frozen=True)
class Listing:
    handouts: list[
        tuple[str, str, str, str, str, str]
    ]  # id, title, language, status, layouts, file
    layouts: list[tuple[str, str]]
    brands: list[tuple[str, str, bool]]


def listing(project: Project) -> Listing:
    rows = []
    # each handout, then its translations (<id>.<lang>.yaml) right under it
    by_handout = sorted(project.handout_files(), key=lambda p: (p.stem.split(".")[0], p.stem))
    for path in by_handout:
        try:
            s = project.load_handout(path)
        except HandoutError as exc:
            rows.append(
                (
                    path.stem,
                    f"(invalid: {len(exc.problems) or 1} problem(s))",
                    "",
                    "",
                    "",
                    path.name,
                )
            )
            continue
        h = s.handout
        ident = s.id if not s.language_suffix else f"{s.id}.{s.language_suffix}"
        rows.append((ident, h.title, h.language, h.review.status, ", ".join(h.layouts), path.name))
    layouts = []
    for name in project.layout_names():
        try:
            layouts.append((name, project.load_layout(name).description))
        except HandoutError:
            layouts.append((name, "(invalid)"))
    brands = []
    for name in project.brand_names():
        try:
            b, _ = project.load_brand(name)
            brands.append((name, b.name, b.sample))
        except HandoutError:
            brands.append((name, "(invalid)", False))
    return Listing(rows, layouts, brands)
