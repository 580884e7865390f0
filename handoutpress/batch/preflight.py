"""Everything ``batch`` checks before the first row: the layout kind, the handout and its
translations, draft content and sample brands, files the output would replace, earlier
letters in an ``--out-dir``, and that each language's letter fits without its recipient
fields. Each refusal is exit 1 before anything is written."""

from __future__ import annotations

import difflib
import io
import re
from pathlib import Path

from ..build import MailingPlan
from ..errors import ContentOverflow, HandoutError, Location, Problem
from ..governance import review_problems
from ..mailcanvas import FormCanvas
from ..models import FIELD_KEY, Brand
from ..output import check_target
from ..personal import PERSONAL_NAMESPACES, RECIPIENT_FIELDS
from ..project import HandoutSource
from ..recipients import CsvSource
from ..source_date import deterministic_today
from ..template_values import Namespace, WriteIn, renders_as_written
from .request import BatchRequest

#: per language key (``""``: the handout as named, also under its own language)
Sources = dict[str, HandoutSource]
#: per language key: the sections laid out per recipient (None: the whole letter)
PersonalSections = dict[str, frozenset[int] | None]


def personal_sections(source: HandoutSource) -> frozenset[int] | None:
    """The sections whose text uses a recipient field (laid out per recipient; the others
    once for all), or None when the title does (then the whole letter is per recipient)."""

    def personal(text: str) -> bool:
        if renders_as_written(text):
            return False  # (no template syntax: it reads no value)
        from jinja2 import meta

        from ..templating import environment

        try:
            names = meta.find_undeclared_variables(environment().parse(text))
        except Exception:  # noqa: BLE001 - a syntax error is reported by compose
            return True  # compose reports it, per recipient
        return not names.isdisjoint(PERSONAL_NAMESPACES)

    h = source.handout
    if personal(h.title) or personal(h.subtitle):
        return None
    return frozenset(i for i, s in enumerate(h.sections) if personal(s.heading) or personal(s.body))


def refusals(req: BatchRequest, sources: Sources, brand: Brand, brand_path: Path) -> list[Problem]:
    """Content past its review date (never mailed, not even as a proof); without
    ``--proof``, a draft handout and a sample brand (a draft translation: see
    :func:`draft_languages`)."""
    _, today = deterministic_today()
    unique = {source.doc.path: source for source in sources.values()}
    out = [
        f.problem
        for source in unique.values()
        for f in review_problems(source, today, for_batch=True)
        if f.is_error
    ]
    if req.proof:
        return out
    # a draft translation only stops the rows that ask for it (draft_languages)
    for s in (sources[""],):
        if s.handout.review.status != "approved":
            out.append(
                Problem(
                    s.doc.locate(("review", "status")),
                    "review.status",
                    "batch refuses draft content: approve it (review.status: approved, "
                    "reviewed_by) or add --proof to make a proof stamped PROOF",
                )
            )
    if brand.sample:
        out.append(
            Problem(
                Location(brand_path),
                "sample",
                "batch refuses a sample brand (fictional contact details): set your clinic's "
                "details and remove 'sample: true', or add --proof to make a proof",
            )
        )
    return out


def supplied(src: CsvSource, blank: bool = False) -> dict[str, Namespace]:
    """What a row of ``src`` supplies the letter's text, as write-ins (values unknown
    before the rows): ``patient.*`` (name, address), ``patient.*``/``visit.*``/
    ``provider.*`` columns named so, and every column as ``row.*``. ``blank``: as empty
    text instead (the shortest a row's values make the text)."""
    names: dict[str, set[str]] = {
        "patient": set(RECIPIENT_FIELDS),
        "visit": set(),
        "provider": set(),
    }
    for header in src.headers:
        if FIELD_KEY.match(header.strip()):
            ns, _, name = header.strip().partition(".")
            names[ns].add(name)
    value: str | WriteIn = "" if blank else WriteIn()
    out = {
        ns: Namespace(ns, dict.fromkeys(sorted(ns_names), value)) for ns, ns_names in names.items()
    }
    out["row"] = Namespace("row", {name: value for name, _ in src.extra})
    return out


def _is_template_error(message: str) -> bool:
    """A problem of the text itself, whatever the row: a syntax error or a recipient
    variable no row supplies. (A lookup that fails for a write-in may well work with a
    row's value: that is for each row to find out.)"""
    if message.startswith("template syntax:"):
        return True
    return any(message.startswith(f"undefined variable '{ns}.") for ns in PERSONAL_NAMESPACES)


def template_problems(
    mailing: MailingPlan, personal: PersonalSections, src: CsvSource
) -> list[Problem]:
    """The recipient fields' text of each language made once with what the CSV supplies
    (as write-ins): a misspelt variable or a syntax error is found here, once, before any
    row, at its line in the handout (not as every row rejected)."""
    extra = supplied(src)
    problems: list[Problem] = []
    for lang, _ in {id(s): (k, s) for k, s in mailing.sources.items()}.values():
        own = personal[lang]
        if own is not None and not own:
            continue  # no recipient field in the text
        try:
            mailing.compose(lang, extra=extra, sections=own)
        except HandoutError as exc:
            problems.extend(p for p in exc.problems if _is_template_error(p.message))
    return missing_columns(list(dict.fromkeys(problems)), src)


#: the template error of a ``row.<column>`` the CSV does not have
_NO_COLUMN = re.compile(r"undefined variable 'row\.(\w+)'")


def missing_columns(problems: list[Problem], src: CsvSource) -> list[Problem]:
    """``{{ row.visit_date }}`` in the letter and no such column in the CSV, nor one with
    nearly that name: said once, at the CSV's header, naming the column and where the
    handout uses it (every language's text that uses it was one "undefined variable"
    each). A column with nearly that name is a misspelling: that stays at the handout's line
    ("did you mean 'row.visit_day'?"), as do the other problems."""
    columns = [name for name, _ in src.extra]
    uses: dict[str, list[Problem]] = {}
    out: list[Problem] = []
    for problem in problems:
        m = _NO_COLUMN.match(problem.message)
        if m is None or difflib.get_close_matches(m[1], columns, n=1, cutoff=0.8):
            out.append(problem)
        else:
            uses.setdefault(m[1], []).append(problem)
    header = Location(src.path, 1 + src.skip)
    for column, used in uses.items():
        where = "; also ".join(
            f"{p.location}: {p.field}" if p.field else str(p.location) for p in used[:3]
        )
        more = f"; and {len(used) - 3} more" if len(used) > 3 else ""
        spelt = column.replace("_", " ").title()
        out.append(
            Problem(
                header,
                "header",
                f"no '{column}' column, which the letter's text uses as "
                f"{{{{ row.{column} }}}} ({where}{more}); add a '{spelt}' column to the CSV, "
                "or correct the name in the handout",
            )
        )
    return out


def draft_languages(req: BatchRequest, sources: Sources) -> frozenset[str]:
    """The language keys whose translation is a draft: without ``--proof`` the rows that
    ask for one are rejected (the handout as named is refused as a whole instead)."""
    if req.proof:
        return frozenset()
    return frozenset(
        lang
        for lang, s in sources.items()
        if lang and s is not sources[""] and s.handout.review.status != "approved"
    )


def check_fits(mailing: MailingPlan, personal: PersonalSections, src: CsvSource) -> None:
    """Lay each language's letter out once before any output: overflow is exit 1, here.
    With recipient fields in the text, without the sections that use them: what does not
    fit without them (a footer line, the title, the rest of the text) fits no recipient's
    letter either, and would otherwise reject every row. A recipient field in the title:
    nothing to check before the rows. The sections with recipient fields are laid out
    too, with the fields empty: a box taller than a page then is taller in every letter."""
    blank = supplied(src, blank=True)
    problems: list[Problem] = []
    for lang, source in {id(s): (k, s) for k, s in mailing.sources.items()}.values():
        own = personal[lang]
        if own is None:
            continue
        every = frozenset(range(len(source.handout.sections)))
        try:
            shared = mailing.compose(lang, sections=every - own)
            try:
                mailing.merge(shared).capture(FormCanvas(io.BytesIO()), "check")
            except ContentOverflow:
                if own:
                    raise
                # as build: once more with lists' last two items free to part
                merge = mailing.merge(shared)
                merge.renderer.loose_lists = True
                merge.capture(FormCanvas(io.BytesIO()), "check")
                mailing.loose_lists.add(shared.source.path)
        except HandoutError as exc:
            problems.extend(exc.problems or [Problem(Location(source.doc.path), "", exc.message)])
        else:
            if not own:  # no section with recipient fields: the letter above was all of it
                continue
        try:
            alone = mailing.compose(lang, extra=blank, sections=own)
        except HandoutError:
            continue  # a template that needs the row's values: the rows say it
        try:
            mailing.merge(alone).capture(FormCanvas(io.BytesIO()), "check")
        except ContentOverflow as exc:
            problems.extend(exc.problems)
    if problems:  # every page draws the footer: say each problem once
        raise HandoutError(list(dict.fromkeys(problems)))


def refuse_overwriting_inputs(req: BatchRequest) -> None:
    """``--merged patients.csv`` or ``--recipients out/rejects.csv --out-dir out`` would
    replace the clinic's export with our output: refused before anything is written, as is
    a ``--merged`` target that exists and is not a PDF, nor a regular file (``/dev/null``)."""
    if req.merged is not None:
        check_target(req.merged, "--merged")
    inputs = {req.recipients.resolve()}
    if req.columns is not None:
        inputs.add(req.columns.resolve())
    outputs = list(req.record_files())
    for out in outputs:  # a link to /dev/null there would only be refused at the end
        check_target(out)
    if req.merged is not None:
        outputs.insert(0, req.merged.resolve())
    for out in outputs:
        if out in inputs:
            raise HandoutError(
                [
                    Problem(
                        Location(out),
                        "",
                        "is an input of this run and the output would replace it: "
                        "choose another --merged file or --out-dir",
                    )
                ]
            )
    if req.merged is not None and req.merged.is_file():
        with req.merged.open("rb") as fh:
            head = fh.read(5)
        if head and head != b"%PDF-":
            raise HandoutError(
                [
                    Problem(
                        Location(req.merged),
                        "--merged",
                        "exists and is not a PDF: refusing to replace it; choose another name",
                    )
                ]
            )


def refuse_earlier_letters(req: BatchRequest, folder: Path, interrupted: bool) -> None:
    """A new ``--out-dir`` run into a folder that holds letters of an earlier run would
    leave them beside the new ones (a mail house printing the folder sends them all)."""
    if req.out_dir is None:
        return
    # ``000042.pdf``, and ``000042-name.pdf`` as runs before the names left the file names
    old = sorted(folder.glob("[0-9][0-9][0-9][0-9][0-9][0-9]*.pdf"))
    if not old:
        return
    hint = (
        "; that run was interrupted: add --resume to finish it"
        if interrupted
        else "; use an empty folder, or remove them first"
    )
    raise HandoutError(
        [
            Problem(
                Location(folder),
                "--out-dir",
                f"already holds {len(old)} letter(s) of an earlier run ({old[0].name} …)" + hint,
            )
        ]
    )


def nothing_to_mail(recipients: Path, why: str) -> HandoutError:
    """A CSV with no record to make a letter of (only its header, or only blank records):
    exit 1, as a run that made nothing must not look like a mailing made."""
    return HandoutError([Problem(Location(recipients), "", f"{why}: nothing to mail")])
