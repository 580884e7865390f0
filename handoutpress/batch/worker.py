"""The worker side of ``batch``: check a chunk of CSV rows and draw its letters.

A :class:`~.job.Job` holds everything a worker needs; it is set up before the pool forks
(so every worker inherits the shared letters laid out once) and read through
:func:`~.job.current_job`. :func:`run_chunk` checks a :class:`Chunk`'s rows
(:mod:`..recipients`), draws the good ones onto one canvas (``--merged``: one part file
per chunk) or one per file (``--out-dir``) and returns a :class:`ChunkDone`, which the
parent journals.
"""

from __future__ import annotations

import gc
import hashlib
import io
import re
import signal
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..addressing import Addressee
from ..compose import Composed
from ..errors import ContentOverflow, HandoutError
from ..fonts import register
from ..mailcanvas import FormCanvas
from ..mailmerge import MailMerge
from ..mailvariant import Read
from ..mailvariant import Row as VariantRow
from ..markdown_memo import MarkdownMemo
from ..pdfjoin import PartIndex
from ..personal import ROW
from ..render import RenderResult
from ..template_values import Namespace
from .heap import next_chunk
from .job import Job, current_job
from .journal import JournalRow, write_part
from .rowcheck import CheckedRows, CsvRow, Letter, check_rows
from .shared_bytes import install as install_shared_bytes
from .shared_forms import capture as shared_capture

if TYPE_CHECKING:
    from .filetemplate import FileTemplate

# --out-dir's modules (filetemplate, outfiles, template_pdf) are imported by its functions:
# a --merged run never needs them


@dataclass
class Chunk:
    """A chunk of CSV rows, as read: the worker checks them, then draws the good ones."""

    number: int
    rows: list[CsvRow]
    #: blank rows read since the previous chunk (no letter; done as soon as this chunk is)
    blank_before: int = 0


@dataclass
class ChunkDone:
    """A chunk drawn: its journal rows (in record order), the SHA-256 of its part
    (``--merged``; "" when it has none) and what the summary counts (no letters)."""

    number: int
    blank_before: int
    rows: list[JournalRow]
    part_sha: str
    checked: CheckedRows
    #: what the part's writer knows of it, so that joining it needs no parsing (None: the
    #: joiner reads the part)
    index: PartIndex | None = None


# --------------------------------------------------------------------------- in the pool


_PR_SET_PDEATHSIG = 1


def worker_init() -> None:
    """A pool worker: the parent handles Ctrl-C; SIGTERM just ends the worker (that is
    what ``pool.terminate()`` sends), and so does its parent's death (a killed batch
    leaves no worker behind to print broken-pipe tracebacks)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        import ctypes  # (a pool worker's only)

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass
    register()


# --------------------------------------------------------------------------- renderers


def shared_renderer(job: Job, lang: str) -> MailMerge:
    """The language's letter with what every recipient shares, made once per process (before
    the pool forks, so every worker inherits it): the whole letter, or, when sections use
    recipient fields, the others laid out for reuse (``prepare_reuse``)."""
    merge = job.renderers.get(lang)
    if merge is not None:
        return merge
    own = job.personal[lang]
    assert own is not None, "a recipient field in the title: no shared letter"
    every = frozenset(range(len(job.sources[lang].handout.sections)))
    merge = job.plan.merge(job.plan.compose(lang, sections=every - own if own else None))
    # with text of its own, each letter is laid out from the shared parts' remembered
    # sizes and splits
    if own or not job.merged:
        merge.prepare_reuse(own, f"R{len(job.renderers)}")
    job.renderers[lang] = merge
    return merge


def recipient_renderer(job: Job, letter: Letter) -> MailMerge:
    """The letter of a recipient whose language has text of its own."""
    own = job.personal[letter.lang]
    if own is None:  # (a recipient field in the title: nothing shared to lay out once)
        return whole_letter(job, letter)
    # only the sections with recipient fields; the rest is shared
    personal = dict(letter.personal or ())
    extra = {"row": Namespace("row", dict(letter.row))}
    made = job.compositions
    handout = job.sources[letter.lang].handout
    key = made.key(letter.lang, handout, personal, extra["row"])
    composed = made.get(key, personal, job.fonts)
    family = made.variant(key, handout, personal, job.fonts)
    variant = None

    def composed_with(values: Mapping[Read, str], parsed: MarkdownMemo) -> Composed:
        mine, row = dict(personal), dict(letter.row)
        for (ns, name), v in values.items():
            if ns == ROW:
                row[name] = v
            else:
                mine[f"{ns}.{name}"] = v
        x = {"row": Namespace("row", row)}
        return job.plan.compose(letter.lang, mine, extra=x, sections=own, parsed=parsed)

    def own_composition() -> Composed:
        got = job.plan.compose(letter.lang, personal, extra=extra, sections=own, parsed=job.parses)
        made.put(key, got)
        return got

    if family is not None:  # (a letter that may be made from another's: mailvariant)
        variant = VariantRow(*family, composed_with, own_composition)
    elif composed is None:
        composed = own_composition()
    return shared_renderer(job, letter.lang).for_recipient(composed, variant)


def whole_letter(job: Job, letter: Letter) -> MailMerge:
    """The recipient's whole letter composed with its values, laid out on its own."""
    personal = dict(letter.personal or ())
    extra = {"row": Namespace("row", dict(letter.row))}
    return job.plan.merge(job.plan.compose(letter.lang, personal, extra=extra, parsed=job.parses))


def loose_renderer(job: Job, letter: Letter) -> MailMerge:
    """:func:`whole_letter` with lists' last two items free to part (its text did not fit
    with them kept: ``build`` would lay it out so too)."""
    merge = whole_letter(job, letter)
    merge.renderer.loose_lists = True
    return merge


#: templates kept per process for recipients with characters beyond the repertoire
MAX_EXTRA_TEMPLATES = 32


def file_template(job: Job, lang: str, a: Addressee, extra: str = "") -> FileTemplate | None:
    """The language's letter serialised once for addressees shaped like ``a`` (made on
    first use in each process), with codes for the ``extra`` characters too; None for a
    letter with text of its own, or one the template cannot reproduce."""
    from .filetemplate import FileTemplate, shape_of
    from .template_pdf import NotATemplate

    key = (lang, shape_of(a), extra)
    if key in job.templates:
        return job.templates[key]
    made: FileTemplate | None = None
    if not job.per_recipient(lang):
        plan = job.plan
        composed = job.composed.get(lang)
        if composed is None:
            composed = job.composed[lang] = plan.compose(lang)
        try:
            made = FileTemplate(plan.letter(composed), key[1], job.pad_to, job.timestamp, extra)
        except (NotATemplate, HandoutError):  # the full way reports what is wrong
            made = None
    if extra and sum(1 for k in job.templates if k[2]) >= MAX_EXTRA_TEMPLATES:
        del job.templates[next(k for k in job.templates if k[2])]  # the oldest
    job.templates[key] = made
    return made


def templated_file(job: Job, letter: Letter) -> RenderResult | None:
    """The recipient's file from a byte template, or None (then made the full way)."""
    a = letter.addressee
    template = file_template(job, letter.lang, a)
    if template is None:
        return None
    extra = template.missing(a)
    if extra:  # characters beyond the repertoire: a template with them (this recipient's)
        if not a.name:
            return None
        template = file_template(job, letter.lang, a, extra)
        if template is None or template.missing(a):
            return None
    data = template.make(a, checked=True)
    return None if data is None else RenderResult(data, template.pages)


def own_file(job: Job, letter: Letter) -> RenderResult | tuple[str, str]:
    """An ``--out-dir`` file: the recipient's letter as ``build`` makes it, tagged (PDF/UA-1:
    forms shared between letters cannot carry a file's marked content). From the letter
    serialised once (:mod:`.filetemplate`) when its text has no recipient field, else laid
    out and drawn on its own. Returns what was rendered, or (field, reason)."""
    if letter.personal is None and job.use_templates:
        made = templated_file(job, letter)
        if made is not None:
            return made
    personal = dict(letter.personal or ())
    extra = {"row": Namespace("row", dict(letter.row))} if letter.personal is not None else None
    try:
        composed = job.composed.get(letter.lang) if letter.personal is None else None
        if composed is None:
            composed = job.plan.compose(letter.lang, personal, extra=extra)
            if letter.personal is None:  # no recipient values in it: the same for all
                job.composed[letter.lang] = composed
        return job.plan.render(
            composed, letter.addressee, pad_to=job.pad_to, timestamp=job.timestamp
        )
    except HandoutError as exc:
        return why_not_made(exc)


def why_not_made(exc: HandoutError) -> tuple[str, str]:
    """(field, reason) of a row whose letter could not be made: its own text does not fit,
    or the template fails with its values (said without them: rejects.csv never holds
    patient data)."""
    p = exc.problems[0] if exc.problems else None
    what = p.field if p is not None else "text"
    if isinstance(exc, ContentOverflow):
        return what, "the letter made from this row does not fit the layout"
    why = _no_values(p.message if p is not None else exc.message)
    return what, f"the text fails with this row's values: {why}"


def new_canvas(job: Job, buf: io.BytesIO) -> FormCanvas:
    from reportlab import rl_config

    rl_config.useA85 = 0  # binary streams: smaller and faster than ASCII85
    fonts = register()
    lay = job.layout
    return FormCanvas(
        buf,
        pagesize=(lay.paper.width, lay.paper.height),
        pageCompression=1,
        initialFontName=fonts.regular,
        lang=job.sources[""].handout.language,
        timestamp=job.timestamp,
    )


def draw(job: Job, canv: FormCanvas, letters: list[Letter]) -> list[int | tuple[str, str]]:
    """Draw ``letters`` onto ``canv``; return the pages of each, or (field, reason) why
    it was not made."""
    captured: dict[str, tuple[MailMerge, str, int]] = {}
    pages: list[int | tuple[str, str]] = []
    first = True
    for it in letters:
        if job.per_recipient(it.lang):
            try:
                r = recipient_renderer(job, it)
                prefix = f"r{it.record}"
                try:
                    n = r.capture(canv, prefix)
                except ContentOverflow:
                    if r.renderer.loose_lists:
                        raise
                    # as build: once more with lists' last two items free to part (laid
                    # out in full, named apart from the forms the try left blank)
                    r, prefix = loose_renderer(job, it), f"r{it.record}-loose"
                    n = r.capture(canv, prefix)
            except HandoutError as exc:  # its own text does not fit, or fails
                pages.append(why_not_made(exc))
                continue
        else:
            if it.lang not in captured:
                r = shared_renderer(job, it.lang)
                prefix = f"L{len(captured)}"
                captured[it.lang] = (r, prefix, shared_capture(r, canv, prefix))
            r, prefix, n = captured[it.lang]
        if first:
            # the handout's metadata, never a recipient's (as the letter's own file has it)
            r.renderer.pdf_metadata(subtitle=False).apply(canv)
            first = False
        pages.append(r.stamp(canv, prefix, n, it.addressee, job.pad_to))
        if r.once:
            r.release()
    return pages


def _no_values(message: str) -> str:
    """A template error without what it quotes (a lookup that fails names the row's value:
    rejects.csv never holds patient data)."""
    return re.sub(r"'[^']*'|\"[^\"]*\"", "…", message)


# --------------------------------------------------------------------------- a chunk


def out_file_name(record: int) -> str:
    """An ``--out-dir`` file's name: the record number only, never a recipient's name or any
    other CSV value (the manifest maps the record to its row)."""

    return f"{record:06d}.pdf"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _refused(letter: Letter, why: tuple[str, str]) -> JournalRow:
    return JournalRow(letter.record, line=letter.line, field=why[0], reason=why[1])


def _let_go(canv: FormCanvas) -> None:
    """A saved part's canvas and document emptied (neither is used again): they refer to
    each other, so the thousands of page, stream and memo objects they hold waited for the
    next chunk's collection, which walked them all to free them (2 ms a chunk)."""
    doc = canv._doc
    doc.__dict__.clear()
    canv.__dict__.clear()


def run_chunk(chunk: Chunk) -> ChunkDone:
    """Check and draw one chunk (in a pool worker, or inline with ``--jobs 1``)."""
    job = current_job()
    next_chunk()  # (from the second on: the heap the chunk before freed kept, batch.heap)
    if not gc.isenabled():  # batch runs the collector once a chunk (runner._fewer_collections):
        gc.collect()  # the chunk before's garbage
        gc.freeze()  # and what lives on (a font loaded for it): not walked again
    checked = check_rows(job, chunk.rows)
    rows = [JournalRow(rj.record, line=rj.line, field=rj.field, reason=rj.reason)
            for rj in checked.rejects]  # fmt: skip
    summary = CheckedRows([], [], checked.keys, checked.fallbacks, checked.zip_restored)
    letters = checked.letters
    part_sha = ""
    index = None
    install_shared_bytes()  # (font subsets and compressed streams every part or file shares)
    if job.merged:
        if letters:
            buf = io.BytesIO()
            canv = new_canvas(job, buf)
            pages = draw(job, canv, letters)
            canv.save()
            index = getattr(canv._doc, "part_index", None)
            _let_go(canv)
            data = buf.getvalue()
            part_sha = _sha(data)
            write_part(job.parts_dir / f"part-{chunk.number:06d}.pdf", data)
            for it, n in zip(letters, pages, strict=True):
                rows.append(JournalRow(it.record, n) if isinstance(n, int) else _refused(it, n))
    else:
        from .outfiles import ChunkFiles

        files = ChunkFiles(job.out_dir)
        try:
            for it in letters:
                made = own_file(job, it)
                if isinstance(made, tuple):
                    rows.append(_refused(it, made))
                    continue
                data, n = made.pdf, made.pages
                name = out_file_name(it.record)
                try:
                    files.add(name, data)
                except HandoutError:
                    raise HandoutError(f"record {it.record}: unsafe output file name") from None
                rows.append(JournalRow(it.record, n, name, _sha(data)))
            files.commit()  # every file on the disk before the chunk is journalled
        finally:
            files.discard()
    rows.sort(key=lambda r: r.record)
    return ChunkDone(chunk.number, chunk.blank_before, rows, part_sha, summary, index)
