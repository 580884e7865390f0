"""The library API behind ``build`` and ``list``: handouts in, PDF files out.

:func:`plan` loads and checks what a build needs (also for ``preview``, ``print`` and the
front desk), :func:`plan_mailing` what a ``batch`` needs; :meth:`Plan.render` lays one job
out into a :class:`~handoutpress.render.RenderResult`; :func:`build` writes the files.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import large_print as large
from .addressing import Addressee
from .brand_files import check_brand
from .compose import Composed, compose
from .errors import HandoutError, Location, Problem, UsageProblem
from .field_values import quote_hint, refuse_too_long
from .fonts import FontSet, brand_fonts
from .governance import log_warning, review_problems
from .layouts import render
from .markdown_memo import MarkdownMemo
from .models import Handout, Layout
from .output import Output, write_files
from .personal import ROW, references, supplied_by_csv
from .personal_values import split_personal
from .press import press_problems
from .project import YAML_SUFFIXES, BrandSource, HandoutSource, Project
from .render import RenderOptions, RenderResult
from .source_date import deterministic_today
from .template_values import Namespace

if TYPE_CHECKING:
    from .layouts.letter import LetterRenderer
    from .mailmerge import MailMerge


@dataclass(frozen=True)
class BuildRequest:
    handouts: Sequence[str] = ()
    layout: str | None = None
    brand: str | None = None
    out_dir: Path = Path("out")
    output: Path | None = None
    target: str = "office"
    #: press output's PDF/X variant: "x4" or "x1a" (X-1a:2003)
    pdfx: str = "x4"
    large_print: bool = False
    values: Mapping[str, str] = field(default_factory=dict)
    lang: str | None = None
    #: the staff copy: sections for staff (``audience: staff``) and STAFF COPY marks
    staff_copy: bool = False


def load_sources(
    project: Project, refs: Sequence[str], lang: str | None = None
) -> list[HandoutSource]:
    """Load and validate every handout named (all of them when none is), reporting all problems."""
    paths = project.handout_paths(refs, lang)
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


def write_output(path: Path, data: bytes, private: bool = False, option: str = "") -> None:
    """Write one file atomically (:func:`~handoutpress.output.write_files`); a path that is not
    a regular file, or a folder or disk that refuses it, is a one-line error."""
    write_files([Output(path, data, option)], private=private)


def output_name(
    source: HandoutSource, layout: str, target: str = "office", staff_copy: bool = False
) -> str:
    """``<id>-<layout>.pdf``, ``<id>-<layout>-press.pdf`` for the print shop (so the press
    file never replaces the office one, nor goes to the desk printer by mistake),
    ``<id>-<layout>-staff.pdf`` for the staff copy (never the patient's file name); a layout
    given as a path is named by its file (``sheet-a4.yaml``)."""
    stem = _ident(source)
    if "/" in layout or Path(layout).suffix in YAML_SUFFIXES:
        layout = Path(layout).stem
    staff = "-staff" if staff_copy else ""
    return f"{stem}-{layout}{staff}{'-press' if target == 'press' else ''}.pdf"


@dataclass(frozen=True)
class Job:
    """One handout in one layout."""

    source: HandoutSource
    #: the layout as asked for (a name, or a path to a layout file)
    ref: str
    layout: Layout


@dataclass(frozen=True)
class Plan:
    """What ``build``, ``preview`` and ``print`` make: checked inputs, ready to render."""

    jobs: list[Job]
    brand: BrandSource
    today: dt.date
    options: RenderOptions

    def render(self, job: Job, values: Mapping[str, str]) -> tuple[Composed, RenderResult]:
        """Compose and lay out one job; raises HandoutError (ContentOverflow) if it fails."""
        composed = compose_for(job.source, job.layout, self.brand, self.today, values, self.options)
        return composed, render(composed, job.layout, self.brand, self.options)


def compose_for(
    source: HandoutSource,
    layout: Layout | None,
    brand: BrandSource,
    today: dt.date,
    values: Mapping[str, str],
    options: RenderOptions,
    *,
    extra: Mapping[str, Namespace] | None = None,
    sections: Collection[int] | None = None,
    parsed: MarkdownMemo | None = None,
    fonts: FontSet | None = None,
) -> Composed:
    """``source`` composed for ``layout``: the one way ``build`` (:meth:`Plan.render`),
    ``batch`` (:meth:`MailingPlan.compose`) and ``check`` compose a handout. ``layout``
    None: once for every layout the handout lists (``check`` lays the same text out in
    each). Every character is checked against the brand's fonts (``fonts``: those to check
    against instead, ``check``'s bundled ones when the brand's do not load) and the
    fallback; a letter, or a handout whose text uses what a mailing's CSV supplies, is
    composed as a mailing (the recipient's name, address and ``row.*`` are write-in lines
    unless given). ``extra``, ``sections``, ``parsed``: as
    :func:`~handoutpress.compose.compose` takes them (a batch's row, its shared sections, its
    Markdown memo). Raises HandoutError."""
    if fonts is None:
        fonts = brand_fonts(brand.brand, brand.path)
    letter = layout is not None and layout.kind == "letter"
    mailing = letter or bool(supplied_by_csv(source.handout))
    return compose(
        source.id, source.doc, source.handout, brand.brand, values, today, fonts=fonts,
        mailing=mailing, staff_copy=options.staff_copy, extra=extra, sections=sections,
        parsed=parsed,
    )  # fmt: skip


def plan(
    project: Project,
    refs: Sequence[str],
    *,
    lang: str | None = None,
    brand: str | None = None,
    layout: str | None = None,
    target: str = "office",
    large_print: bool = False,
    first_layout_only: bool = False,
    values: Mapping[str, str] | None = None,
    staff_copy: bool = False,
    pdfx: str = "x4",
) -> Plan:
    """Load and check everything a build needs before anything is drawn.

    The layouts: ``layout``, else the large-print layout with ``large_print``, else those each
    handout lists (only the first with ``first_layout_only``: ``preview`` and ``print``).
    Raises one HandoutError listing every problem, among them a personal value (``--set``)
    that no handout or layout uses; logs a passed review date as a warning.
    """
    refuse_too_long(values or {})  # before anything is loaded
    try:
        sources = load_sources(project, refs, lang)
    except HandoutError as exc:
        raise quote_hint(exc, values or {}) from None
    brand_source = project.brand_source(brand)
    check_brand(brand_source)
    deterministic, today = deterministic_today()
    if pdfx != "x4" and target != "press":
        raise HandoutError(f"--pdfx {pdfx}: PDF/X is for print shops; add --target press")
    options = RenderOptions(
        target=target,
        large_print=large_print,
        deterministic=deterministic,
        pdfx=pdfx,
        staff_copy=staff_copy,
    )
    only = layout or (large.LAYOUT if large_print else None)
    wanted: list[tuple[HandoutSource, str]] = []
    for s in sources:
        names = [only] if only else list(s.handout.layouts)
        wanted.extend((s, name) for name in (names[:1] if first_layout_only else names))
    layouts: dict[str, Layout] = {}
    problems: list[Problem] = []
    for source, name in wanted:
        if name in layouts:
            continue
        try:
            layouts[name] = project.load_layout(name)
        except HandoutError as exc:
            if only or any(p.location.path is not None for p in exc.problems):
                problems.extend(p for p in exc.problems if p not in problems)
                continue
            # an unknown layout named by the handout: point at the handout's line
            i = source.handout.layouts.index(name)
            where = source.doc.locate(("layouts", i))
            problems.extend(Problem(where, f"layouts[{i}]", p.message) for p in exc.problems)
    if target == "press":
        problems.extend(press_problems(project, layouts))
    if large_print:
        problems.extend(large.problems(layouts))
    if problems:
        raise HandoutError(problems)
    for source in sources:  # a passed review date (a draft carries its DRAFT mark instead)
        for finding in review_problems(source, today):
            if finding.problem.field == "review.next_review":
                log_warning(finding)
    jobs = [Job(source, name, layouts[name]) for source, name in wanted]
    if values:
        split_personal(values)  # keys that are not patient.*, visit.*, provider.* or row.*
        unused = unused_values(jobs, values)
        if unused:
            raise HandoutError(unused)
    return Plan(jobs, brand_source, today, options)


@dataclass(frozen=True)
class MailingPlan:
    """What ``batch`` mails: the letter layout, the handout in each language, the brand,
    the date and how every letter is drawn, checked before any row is read; and the one way
    a mailing's letter is composed (:meth:`compose`) and drawn: for many recipients through a
    mail merge around the letter renderer (:meth:`merge`), or one recipient's own file, as
    ``build`` makes it (:meth:`render`)."""

    layout: Layout
    #: per language key (``""``: the handout as named, also under its own language's
    #: primary subtag; then each translation ``<id>.<lang>.yaml`` under ``<lang>``)
    sources: dict[str, HandoutSource]
    brand: BrandSource
    today: dt.date
    options: RenderOptions
    #: the handout files (``Composed.source.path``) whose letter fits only with lists' last
    #: two items free to part (:func:`~handoutpress.batch.preflight.check_fits` finds them),
    #: as ``build`` lays such a letter out
    loose_lists: set[Path] = field(default_factory=set)

    def compose(
        self,
        lang: str,
        values: Mapping[str, str] | None = None,
        *,
        extra: Mapping[str, Namespace] | None = None,
        sections: Collection[int] | None = None,
        parsed: MarkdownMemo | None = None,
    ) -> Composed:
        """The letter in language ``lang`` with a recipient's ``values`` (``patient.*``…)
        and ``extra`` namespaces (the CSV row as ``row.*``); none: the text every recipient
        shares. ``sections``: only these (the others left empty). ``parsed``: the mailing's
        Markdown memo (parsed once for all rows). Composed as ``build`` composes it
        (:func:`compose_for`: the brand's fonts, as a mailing). Raises HandoutError."""
        return compose_for(
            self.sources[lang], self.layout, self.brand, self.today, values or {}, self.options,
            extra=extra, sections=sections, parsed=parsed,
        )  # fmt: skip

    def letter(self, composed: Composed) -> LetterRenderer:
        """The letter renderer for ``composed`` in this mailing's layout."""
        from .layouts.letter import LetterRenderer  # (a mailing's: not imported for a sheet)

        letter = LetterRenderer(composed, self.layout, self.brand, self.options)
        letter.loose_lists = composed.source.path in self.loose_lists
        return letter

    def merge(self, composed: Composed) -> MailMerge:
        """A mail merge around the letter of ``composed``: laid out once, drawn for many."""
        from .mailmerge import MailMerge

        return MailMerge(self.letter(composed))

    def render(
        self, composed: Composed, addressee: Addressee, *, pad_to: int, timestamp: int
    ) -> RenderResult:
        """One recipient's letter on its own (``--out-dir``), laid out as ``build`` lays it
        out and tagged; blank pages up to a multiple of ``pad_to``, the file's dates
        ``timestamp``. Raises ContentOverflow."""
        return self.letter(composed).render_file(addressee, pad_to, timestamp)


def letter_footer_problems(
    composed: Composed, layout: Layout, brand: BrandSource
) -> tuple[Problem, ...]:
    """What of ``brand``'s details does not fit the footer of the letter ``layout``
    (measured, not laid out: ``check`` of a handout whose own layouts have no letter)."""
    if layout.kind != "letter":
        return ()
    from .layouts.letter import LetterRenderer  # (not imported for a sheet)

    options = RenderOptions(deterministic=True, layout_only=True)
    return LetterRenderer(composed, layout, brand, options).footer_problems()


def plan_mailing(
    project: Project, ref: str, *, brand: str | None = None, layout: str = "letter",
    proof: bool = False,
) -> MailingPlan:  # fmt: skip
    """Load and check what a mailing needs (beside :func:`plan`, which builds handouts):
    a layout of kind ``letter``, the handout and its translations, the brand (logos and
    fonts loaded). ``proof``: every page stamped PROOF."""
    layout_model = project.load_layout(layout)
    if layout_model.kind != "letter":
        raise HandoutError(
            [
                Problem(
                    Location(project.layout_path(layout)),
                    "kind",
                    f"batch makes letters: layout '{layout_model.name}' is a "
                    f"{layout_model.kind}; use --layout letter (or another layout of kind "
                    "letter)",
                )
            ]
        )
    default = project.load_handout(project.resolve_handout(ref))
    sources = {"": default, default.handout.language.split("-")[0].lower(): default}
    if default.language_suffix is None:
        for lang, p in sorted(project.translations(default.id).items()):
            sources[lang.lower()] = project.load_handout(p)
    brand_source = project.brand_source(brand)
    check_brand(brand_source)
    _, today = deterministic_today()
    options = RenderOptions(deterministic=True, proof=proof)
    return MailingPlan(layout_model, sources, brand_source, today, options)


def personal_fields(handout: Handout, kind: str) -> set[str]:
    """The personal fields a handout uses in a layout kind: its ``fields``, those its text
    names, and those the layout places itself (the letter's address block and greeting);
    ``row.*`` (a CSV column) only in a letter."""
    keys = {f.key for f in handout.fields} | references(handout)
    if kind == "letter":
        from .recipients import FIELDS

        keys.update(f"patient.{name}" for name in FIELDS if name != "language")
    else:
        keys = {k for k in keys if not k.startswith(f"{ROW}.")}
    return keys


def unused_values(jobs: Sequence[Job], values: Mapping[str, str]) -> list[Problem]:
    """``--set`` keys no job uses (a typo would otherwise leave the write-in line blank)."""
    known: set[str] = set()
    for job in jobs:
        known |= personal_fields(job.source.handout, job.layout.kind)
    names = sorted({_ident(job.source) for job in jobs})
    what = names[0] if len(names) == 1 else "any of these handouts"
    problems = []
    for key in values:
        if key in known:
            continue
        ns, _, name = key.partition(".")
        same_ns = [k.partition(".")[2] for k in sorted(known) if k.startswith(ns + ".")]
        close = difflib.get_close_matches(name, same_ns, n=1)
        if close:
            hint = f" (did you mean '{ns}.{close[0]}'?)"
        else:
            hint = f"; fields: {', '.join(sorted(known))}" if known else "; it has no fields"
        problems.append(Problem(Location(None), f"--set {key}", f"not a field of {what}{hint}"))
    return problems


def _ident(source: HandoutSource) -> str:
    return source.id if not source.language_suffix else f"{source.id}.{source.language_suffix}"


@dataclass(frozen=True)
class BuildResult:
    """The files ``build`` wrote and what the layouts noticed but drew anyway."""

    files: list[Path]
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        """What ``build`` prints (stdout): each file written."""
        return [str(path) for path in self.files]

    def warning_lines(self) -> list[str]:
        """What ``build`` prints on stderr before the files: the layouts' warnings."""
        return [f"warning: {message}" for message in self.warnings]


def build(project: Project, req: BuildRequest) -> BuildResult:
    """Build each handout in each of its layouts; write them all, or nothing if one fails."""
    work = plan(
        project,
        req.handouts,
        lang=req.lang,
        brand=req.brand,
        layout=req.layout,
        target=req.target,
        large_print=req.large_print,
        values=req.values,
        staff_copy=req.staff_copy,
        pdfx=req.pdfx,
    )
    if req.output is not None and len(work.jobs) != 1:
        # (options that do not go together: exit 2, as Click's usage errors and batch's)
        raise UsageProblem("-o/--output needs exactly one handout and one layout; use --out-dir")
    problems: list[Problem] = []
    made: list[Output] = []
    warnings: list[str] = []
    for job in work.jobs:
        try:
            _, result = work.render(job, req.values)
        except HandoutError as exc:
            doc = job.source.doc
            problems.extend(exc.problems or [Problem(Location(doc.path), "", exc.message)])
            continue
        warnings.extend(result.warnings)
        if req.output is not None:
            made.append(Output(req.output, result.pdf, "-o"))
        else:
            name = output_name(job.source, job.ref, req.target, req.staff_copy)
            made.append(Output(req.out_dir / name, result.pdf))
    if problems:  # a failed command writes no file (PRODUCT.md: exit codes)
        raise HandoutError(problems)
    write_files(made, private=bool(req.values))  # all of them, or none
    return BuildResult([out.path for out in made], warnings)


@dataclass(frozen=True)
class Listing:
    handouts: list[
        tuple[str, str, str, str, str, str]
    ]  # id, title, language, status, layouts, file
    layouts: list[tuple[str, str]]
    brands: list[tuple[str, str, bool]]

    def lines(self) -> list[str]:
        """What ``list`` prints: handouts (translations under their original), layouts, brands."""
        out = ["Handouts:"]
        for ident, title, lang, status, layouts, _ in self.handouts:
            shown = f"  {ident}" if "." in ident else ident  # a translation, under its original
            out.append(f"  {shown:<32} {lang:<4} {status:<9} [{layouts}]  {title}")
        out.append("Layouts:")
        out.extend(f"  {name:<32} {desc}" for name, desc in self.layouts)
        out.append("Brands:")
        for name, title, sample in self.brands:
            out.append(f"  {name:<32} {title}{'  (SAMPLE: fictional details)' if sample else ''}")
        return out


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
