"""``batch``: a recipients CSV → one personalised letter per row, nothing lost.

The run, in order:

1. Refuse draft content and sample brands unless ``--proof``; open the CSV and check
   its encoding and header (required columns) before anything is drawn.
2. Lock the output folder (a second run on it is refused), read the job state when
   ``--resume`` is given.
3. Stream the rows: each is made, rejected (``rejects.csv``: record, line, field,
   reason) or blank. Made rows go out in chunks: inline, or to a process pool
   (``--jobs``). For the ``letter`` kind, what every recipient shares is laid out once
   per chunk into form XObjects and each page is that form plus the personal parts;
   when the handout's text uses recipient fields, each letter is laid out on its own.
4. Each finished chunk is journalled (after its files are safely on disk), so a run
   stopped by Ctrl-C, ``kill`` or a crash can be finished with ``--resume`` and gives
   the same bytes as an uninterrupted run (the letter date and PDF timestamps come
   from the job, not the clock).
5. ``--merged``: the chunk PDFs are joined into one file (:mod:`.pdfjoin`);
   ``--out-dir``: one file per row. ``manifest.csv`` maps record → file, pages, SHA-256.

Patient data stays in the output files (mode 0600, folders 0700): errors, warnings
and the summary name rows by record number only; PDF metadata is the handout's.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import fcntl
import hashlib
import io
import json
import logging
import multiprocessing
import os
import shutil
import signal
import sys
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import metadata
from .build import check_brand, deterministic_today
from .compose import compose
from .errors import BatchInterrupted, HandoutError, Location, Problem
from .fonts import brand_fonts, register
from .governance import review_problems
from .layouts.letter import Addressee, LetterGeometry, LetterRenderer
from .mailcanvas import FormCanvas
from .models import FIELD_KEY
from .output import atomic_write, check_target, replace
from .project import HandoutSource, Project
from .recipients import CsvSource, Recipient, Reject, open_csv, read, validate
from .render import RenderOptions
from .strings import strings_for
from .templating import Namespace, environment

log = logging.getLogger(__name__)

STATE_DIR = ".handouts-batch"
LOCK_NAME = ".handouts-batch.lock"
PERSONAL_NAMES = frozenset({"patient", "visit", "provider", "row"})


@dataclass(frozen=True)
class BatchRequest:
    handout: str
    recipients: Path
    merged: Path | None = None
    out_dir: Path | None = None
    layout: str = "letter"
    brand: str | None = None
    jobs: int = 1
    resume: bool = False
    encoding: str | None = None
    columns: Path | None = None
    shard: tuple[int, int] | None = None
    proof: bool = False
    progress: bool = False


@dataclass
class BatchResult:
    records: int = 0
    made: int = 0
    rejected: int = 0
    blank: int = 0
    pages: int = 0
    duplicates: list[tuple[int, int]] = field(default_factory=list)
    duplicate_count: int = 0
    fallbacks: Counter[str] = field(default_factory=Counter)
    output: Path | None = None
    manifest: Path | None = None
    rejects: Path | None = None
    resumed_records: int = 0
    zip_restored: int = 0

    def summary(self) -> str:
        return (
            f"{self.records} records: {self.made} made, {self.rejected} rejected, "
            f"{self.blank} blank"
        )


# --------------------------------------------------------------------------- job setup


@dataclass
class _Item:
    """One letter to draw (what a worker needs; pickled to the pool)."""

    record: int
    line: int
    lang: str
    addressee: Any  # layouts.letter.Addressee
    slug: str
    personal: tuple[tuple[str, str], ...] | None = None
    row: tuple[tuple[str, str], ...] = ()


@dataclass
class _Task:
    """A chunk of CSV rows, as read: the worker checks them, then draws the good ones."""

    chunk: int
    rows: list[tuple[int, int, list[str]]]  # (record, line, cells)


@dataclass
class _Prepared:
    """A chunk's rows checked: letters to draw, rows refused, what the summary counts."""

    items: list[_Item]
    rejects: list[Reject]
    #: (record, name-and-address hash) of every good row, for the duplicate warning
    keys: list[tuple[int, int]]
    fallbacks: Counter[str]
    zip_restored: int


@dataclass
class _Job:
    """Everything a worker needs, set before the pool forks."""

    project_root: Path
    layout: Any
    brand: Any
    brand_path: Path
    #: per language key (``""``: the handout as named, also under its own language)
    sources: dict[str, HandoutSource]
    #: per language key: the sections laid out per recipient (None: the whole letter)
    personal: dict[str, frozenset[int] | None]
    today: dt.date
    proof: bool
    pad_to: int
    merged: bool
    out_dir: Path
    parts_dir: Path
    src: Any = None  # recipients.CsvSource
    geo: Any = None  # layouts.letter.LetterGeometry
    renderers: dict[str, Any] = field(default_factory=dict)

    @property
    def default_lang(self) -> str:
        """The key of the handout as named (its language's primary subtag)."""
        return self.sources[""].handout.language.split("-")[0].lower()

    def per_recipient(self, lang: str) -> bool:
        """Does a letter in ``lang`` have text of its own (laid out for each recipient)?"""
        own = self.personal[lang]
        return own is None or bool(own)

    words: dict[str, Any] = field(default_factory=dict)


_JOB: _Job | None = None


def _personal_sections(source: HandoutSource) -> frozenset[int] | None:
    """The sections whose text uses a recipient field (laid out per recipient; the others
    once for all), or None when the title does (then the whole letter is per recipient)."""
    env = environment()
    from jinja2 import meta

    def personal(text: str) -> bool:
        if "{" not in text:
            return False
        try:
            names = meta.find_undeclared_variables(env.parse(text))
        except Exception:  # noqa: BLE001 - a syntax error is reported by compose
            return True  # compose reports it, per recipient
        return bool(names & PERSONAL_NAMES)

    h = source.handout
    if personal(h.title) or personal(h.subtitle):
        return None
    return frozenset(i for i, s in enumerate(h.sections) if personal(s.heading) or personal(s.body))


def _language_sources(project: Project, ref: str) -> tuple[HandoutSource, dict[str, HandoutSource]]:
    path = project.resolve_handout(ref)
    default = project.load_handout(path)
    out = {"": default}
    primary = default.handout.language.split("-")[0].lower()
    out[primary] = default
    if default.language_suffix is None:
        for lang, p in sorted(project.translations(default.id).items()):
            out[lang.lower()] = project.load_handout(p)
    return default, out


def _refusals(
    req: BatchRequest, sources: dict[str, HandoutSource], brand: Any, brand_path: Path
) -> list[Problem]:

    # Content past its review date is never mailed, not even as a proof.
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
    seen = set()
    for s in sources.values():
        if s.doc.path in seen:
            continue
        seen.add(s.doc.path)
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


# --------------------------------------------------------------------------- the worker side


def _worker_init() -> None:

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # pool.terminate() just ends a worker
    register()


def _renderer(job: _Job, lang: str) -> Any:
    """The language's letter with what every recipient shares, made once per process (before
    the pool forks, so every worker inherits it): the whole letter, or, when sections use
    recipient fields, the others laid out for reuse (``prepare_reuse``)."""
    r = job.renderers.get(lang)
    if r is not None:
        return r

    source = job.sources[lang]
    own = job.personal[lang]
    assert own is not None, "a recipient field in the title: no shared letter"
    every = frozenset(range(len(source.handout.sections)))
    composed = compose(
        source.id, source.doc, source.handout, job.brand, {}, job.today,
        sections=every - own if own else None,
    )  # fmt: skip
    r = LetterRenderer(composed, job.layout, job.brand_path, RenderOptions(deterministic=True))
    r.proof = job.proof
    # with text of its own, each letter is laid out from the shared parts' remembered
    # sizes and splits; so is every --out-dir file (forms live in one file)
    if own or not job.merged:
        r.prepare_reuse(own, f"R{len(job.renderers)}")
    job.renderers[lang] = r
    return r


def _recipient_renderer(job: _Job, item: _Item) -> Any:
    """The letter of a recipient whose language has text of its own."""
    source = job.sources[item.lang]
    personal = dict(item.personal or ())
    extra = {"row": Namespace("row", dict(item.row))}
    own = job.personal[item.lang]
    if own is not None:  # only the sections with recipient fields; the rest is shared
        composed = compose(
            source.id, source.doc, source.handout, job.brand, personal, job.today,
            extra=extra, sections=own,
        )  # fmt: skip
        return _renderer(job, item.lang).for_recipient(composed)

    composed = compose(
        source.id, source.doc, source.handout, job.brand, personal, job.today, extra=extra
    )
    r = LetterRenderer(composed, job.layout, job.brand_path, RenderOptions(deterministic=True))
    r.proof = job.proof
    return r


def _new_canvas(job: _Job, buf: io.BytesIO) -> Any:
    from reportlab import rl_config

    rl_config.useA85 = 0  # binary streams: smaller and faster than ASCII85
    fonts = register()
    lay = job.layout
    canv = FormCanvas(
        buf,
        pagesize=(lay.paper.width, lay.paper.height),
        pageCompression=1,
        initialFontName=fonts.regular,
        lang=job.sources[""].handout.language,
    )
    return canv


def _set_metadata(canv: Any, r: Any) -> None:
    """Document metadata: the handout's, never a recipient's."""
    metadata.for_handout(r.composed, r.text("patient_information"), subtitle=False).apply(canv)
    canv.setViewerPreference("PrintScaling", "None")
    if r.layout.duplex != "Simplex":
        canv.setViewerPreference("Duplex", r.layout.duplex)
    canv.setViewerPreference("DisplayDocTitle", "true")


def _draw(job: _Job, canv: Any, items: list[_Item]) -> list[int | str]:
    """Draw ``items`` onto ``canv``; return the pages of each, or why it was not made."""
    captured: dict[str, tuple[Any, str, int]] = {}
    pages: list[int | str] = []
    first = True
    for it in items:
        if job.per_recipient(it.lang):
            try:
                r = _recipient_renderer(job, it)
                prefix = f"r{it.record}"
                n = r.capture(canv, prefix)
            except HandoutError as exc:
                # this recipient's own text does not fit (or fails): a reject, by field only
                p = exc.problems[0] if exc.problems else None
                what = p.field if p is not None else "text"
                what = what.replace(",", ";")
                pages.append(f"{what}: the letter made from this row does not fit the layout")
                continue
        else:
            if it.lang not in captured:
                r = _renderer(job, it.lang)
                prefix = f"L{len(captured)}"
                captured[it.lang] = (r, prefix, r.capture(canv, prefix))
            r, prefix, n = captured[it.lang]
        if first:
            _set_metadata(canv, r)
            first = False
        pages.append(r.stamp(canv, prefix, n, it.addressee, job.pad_to))
    return pages


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _lang_key(job: _Job, tag: str) -> tuple[str, str | None]:
    """The sources key for a recipient's language, and the tag when it falls back (no
    language: the handout as named, under its language's key, one renderer for both)."""
    if not tag:
        return job.default_lang, None
    if tag in job.sources:
        return tag, None
    primary = tag.split("-")[0]
    if primary in job.sources:
        return primary, None
    return job.default_lang, tag if tag != "?" else "unrecognised"


def _item_for(job: _Job, r: Recipient, fallbacks: Counter[str]) -> _Item | Reject:
    geo, src = job.geo, job.src
    street, street_field = geo.street_lines(r.address1, r.address2)
    a = Addressee(r.full_name, street, r.last_line, r.greeting_name, r.imb, street_field)
    lang, fell_back = _lang_key(job, r.language)
    if fell_back:
        fallbacks[fell_back] += 1
    words = job.words.get(lang)
    if words is None:
        words = job.words[lang] = strings_for(job.sources[lang].handout.language)
    greeting = words("dear", name=a.greeting_name) if a.greeting_name else ""
    problems = geo.check(a, greeting)
    if problems:
        fld, reason = problems[0]
        return Reject(r.record, r.line, fld, reason)
    personal = None
    row: tuple[tuple[str, str], ...] = ()
    if job.per_recipient(lang):
        values = {
            "patient.first_name": r.first_name,
            "patient.last_name": r.last_name,
            "patient.name": r.full_name,
            "patient.address1": r.address1,
            "patient.address2": r.address2,
            "patient.city": r.city,
            "patient.state": r.state,
            "patient.zip": r.zip,
        }
        for (_name, value), header in zip(r.extra, src.headers, strict=False):
            if FIELD_KEY.match(header.strip()):
                values[header.strip()] = value
        personal = tuple((k, v) for k, v in values.items() if v)
        row = r.extra
    slug = "" if job.merged else r.slug()  # file names only for --out-dir
    return _Item(r.record, r.line, lang, a, slug, personal, row)


def _prepare(job: _Job, rows: list[tuple[int, int, list[str]]]) -> _Prepared:
    """Check a chunk's rows (in the worker: the parent only reads the file)."""
    out = _Prepared([], [], [], Counter(), 0)
    for record, line, cells in rows:
        valid = validate(job.src, record, line, cells, job.geo.fonts)
        got = valid if isinstance(valid, Reject) else _item_for(job, valid, out.fallbacks)
        if isinstance(got, Reject):
            out.rejects.append(got)
            continue
        assert isinstance(valid, Recipient)
        out.keys.append((record, valid.duplicate_key()))
        out.zip_restored += valid.zip_restored
        out.items.append(got)
    return out


_TaskResult = tuple[int, list[tuple[int, str, int, str]], str, _Prepared]


def _run_task(task: _Task) -> _TaskResult:
    """Check and draw one chunk. Returns (chunk, journal rows, part sha, the checked rows
    without the letters). A journal row is (record, file, pages, sha) for a letter made,
    (record, "field: reason", 0, line) for a row refused."""
    job = _JOB
    assert job is not None
    prep = _prepare(job, task.rows)
    refused = [
        (rj.record, _esc(f"{rj.field}: {rj.reason}"), 0, str(rj.line)) for rj in prep.rejects
    ]
    summary = _Prepared([], [], prep.keys, prep.fallbacks, prep.zip_restored)
    items = prep.items
    if job.merged:
        part_sha = ""
        rows: list[tuple[int, str, int, str]] = []
        if items:
            buf = io.BytesIO()
            canv = _new_canvas(job, buf)
            pages = _draw(job, canv, items)
            canv.save()
            data = buf.getvalue()
            part_sha = _sha(data)
            atomic_write(job.parts_dir / f"part-{task.chunk:06d}.pdf", data, private=True)
            rows = [
                (it.record, "", n, "") if isinstance(n, int) else (it.record, n, 0, str(it.line))
                for it, n in zip(items, pages, strict=True)
            ]
        return task.chunk, sorted(rows + refused), part_sha, summary
    rows = []
    for it in items:
        buf = io.BytesIO()
        canv = _new_canvas(job, buf)
        (n,) = _draw(job, canv, [it])
        if not isinstance(n, int):
            rows.append((it.record, n, 0, str(it.line)))  # rejected: (record, reason, 0, line)
            continue
        canv.save()
        data = buf.getvalue()
        name = f"{it.record:06d}-{it.slug}.pdf"
        target = job.out_dir / name
        if target.resolve().parent != job.out_dir.resolve():  # never outside the folder
            raise HandoutError(f"record {it.record}: unsafe output file name")
        atomic_write(target, data, private=True)
        rows.append((it.record, name, n, _sha(data)))
    return task.chunk, sorted(rows + refused), "", summary


def _esc(text: str) -> str:
    """A reason as one field of the journal's comma-separated lines."""
    return text.replace("%", "%25").replace(",", "%2C").replace("\n", "%0A")


def _unesc(text: str) -> str:
    return text.replace("%0A", "\n").replace("%2C", ",").replace("%25", "%")


# --------------------------------------------------------------------------- the parent side


class _Progress:
    def __init__(self, total: int, enabled: bool) -> None:
        self.total = max(total, 1)
        self.enabled = enabled
        self.done = 0

    def add(self, n: int) -> None:
        self.done += n
        if self.enabled:
            width = 30
            filled = int(width * min(self.done, self.total) / self.total)
            bar = "#" * filled + "-" * (width - filled)
            sys.stderr.write(f"\r  [{bar}] {self.done:,}/{self.total:,} records")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _count_records(src: CsvSource) -> int:
    return src.records  # counted by open_csv while it checked the file


def _fingerprint(req: BatchRequest, files: list[Path]) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode() + b"\0")
        h.update(hashlib.sha256(f.read_bytes()).digest())
    opts = {
        "merged": req.merged.name if req.merged else None,
        "out_dir": bool(req.out_dir),
        "layout": req.layout,
        "brand": req.brand,
        "encoding": req.encoding,
        "shard": req.shard,
        "proof": req.proof,
    }
    h.update(json.dumps(opts, sort_keys=True).encode())
    return h.hexdigest()


def _private_dir(path: Path) -> None:
    try:
        if path.is_dir():
            return
        path.mkdir(parents=True, mode=0o700)
    except OSError as exc:
        raise HandoutError(
            [Problem(Location(path), "", f"cannot create the folder: {exc.strerror}")]
        ) from None
    os.chmod(path, 0o700)


def _refuse_earlier_letters(req: BatchRequest, folder: Path, interrupted: bool) -> None:
    """A new ``--out-dir`` run into a folder that holds letters of an earlier run would
    leave them beside the new ones (a mail house printing the folder sends them all)."""
    if req.out_dir is None:
        return
    old = sorted(folder.glob("[0-9][0-9][0-9][0-9][0-9][0-9]-*.pdf"))
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


def _refuse_overwriting_inputs(req: BatchRequest) -> None:
    """``--merged patients.csv`` or ``--recipients out/rejects.csv --out-dir out`` would
    replace the clinic's export with our output: refused before anything is written, as is
    a ``--merged`` target that exists and is not a PDF, nor a regular file (``/dev/null``)."""
    if req.merged is not None:
        check_target(req.merged, "--merged")
    out_dir = req.out_dir if req.out_dir is not None else Path(".")
    folder = req.merged.resolve().parent if req.merged is not None else out_dir.resolve()
    inputs = {req.recipients.resolve()}
    if req.columns is not None:
        inputs.add(req.columns.resolve())
    outputs = [folder / "manifest.csv", folder / "rejects.csv"]
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


def _lock(folder: Path) -> Any:
    path = folder / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise HandoutError(
            [
                Problem(
                    Location(path),
                    "",
                    "another batch is writing to this folder; wait for it to finish "
                    "(the lock is released when that process ends)",
                )
            ]
        ) from None
    return fd, path


def _clean_temp(folder: Path) -> None:
    if folder.is_dir():
        for p in folder.iterdir():
            # only our own temporary files: .<name>.pdf.<random>.tmp, .<name>.csv.<random>.tmp
            if (
                p.name.startswith(".")
                and p.name.endswith(".tmp")
                and (".pdf." in p.name or ".csv." in p.name or ".json." in p.name)
            ):
                with contextlib.suppress(OSError):
                    p.unlink()


def _read_journal(path: Path) -> dict[int, tuple[list[tuple[int, str, int, str]], str]]:
    done: dict[int, tuple[list[tuple[int, str, int, str]], str]] = {}
    if not path.is_file():
        return done
    pending: dict[int, list[tuple[int, str, int, str]]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for line in fh:
            if not line.endswith("\n"):
                break  # torn last write
            parts = line.rstrip("\n").split(",")
            if parts[0] == "R" and len(parts) == 6:
                chunk = int(parts[1])
                pending.setdefault(chunk, []).append(
                    (int(parts[2]), parts[3], int(parts[4]), parts[5])
                )
            elif parts[0] == "C" and len(parts) == 3:
                chunk = int(parts[1])
                done[chunk] = (pending.pop(chunk, []), parts[2])
    return done


def _journal(fh: Any, chunk: int, rows: list[tuple[int, str, int, str]], part_sha: str) -> None:
    lines = [f"R,{chunk},{rec},{name},{n},{sha}\n" for rec, name, n, sha in rows]
    lines.append(f"C,{chunk},{part_sha}\n")
    fh.write("".join(lines))
    fh.flush()
    os.fsync(fh.fileno())


def _verify(job: _Job, chunk: int, rows: list[tuple[int, str, int, str]], part_sha: str) -> bool:
    """A journalled chunk is trusted on --resume only if its files are still as written."""
    if job.merged:
        if not part_sha:  # every row of the chunk was refused: no part
            return True
        p = job.parts_dir / f"part-{chunk:06d}.pdf"
        return p.is_file() and _sha(p.read_bytes()) == part_sha
    for _, name, _, sha in rows:
        p = job.out_dir / name
        if not p.is_file() or _sha(p.read_bytes()) != sha:
            return False
    return True


def _signal_hook() -> tuple[int, int] | None:
    """Tests: ``HANDOUTS_TEST_SIGNAL_AFTER=3:KILL`` sends the signal after 3 chunks."""
    spec = os.environ.get("HANDOUTS_TEST_SIGNAL_AFTER", "")
    if ":" not in spec:
        return None
    n, name = spec.split(":", 1)
    return int(n), int(getattr(signal, f"SIG{name.upper()}"))


def run(project: Project, req: BatchRequest) -> BatchResult:
    """Make the mailing. Raises HandoutError (exit 1) before any output for bad input,
    BatchInterrupted (exit 130) on Ctrl-C / SIGTERM."""
    global _JOB
    if (req.merged is None) == (req.out_dir is None):
        raise HandoutError("batch: give exactly one of --merged FILE or --out-dir DIR")
    if req.jobs < 1:
        raise HandoutError("batch: --jobs must be 1 or more")
    layout = project.load_layout(req.layout)
    if layout.kind != "letter":
        raise HandoutError(
            [
                Problem(
                    Location(project.layout_path(req.layout)),
                    "kind",
                    f"batch makes letters: layout '{layout.name}' is a {layout.kind}; "
                    "use --layout letter (or another layout of kind letter)",
                )
            ]
        )
    default, sources = _language_sources(project, req.handout)
    brand, brand_path = project.load_brand(req.brand)
    check_brand(brand, brand_path)
    refused = _refusals(req, sources, brand, brand_path)
    if refused:
        raise HandoutError(refused)
    src = open_csv(req.recipients, req.encoding, req.columns)
    if src.records == 0:
        raise HandoutError(
            [Problem(Location(req.recipients), "", "no records under the header: nothing to mail")]
        )

    geo = LetterGeometry(layout, brand_fonts(brand, brand_path))
    personal = {lang: _personal_sections(s) for lang, s in sources.items()}
    _check_fits(sources, personal, brand, brand_path, layout, req.proof)

    # -- output folder, lock, job state --------------------------------------------------
    _refuse_overwriting_inputs(req)
    if req.merged is not None:
        folder = req.merged.resolve().parent
        _private_dir(folder)
    else:
        assert req.out_dir is not None
        folder = req.out_dir.resolve()
        _private_dir(folder)
    lock_fd, lock_path = _lock(folder)
    try:
        state = folder / STATE_DIR
        files = [req.recipients, brand_path, project.layout_path(req.layout)]
        files += sorted({s.doc.path for s in sources.values()})
        if req.columns:
            files.append(req.columns)
        fp = _fingerprint(req, files)
        job_file = state / "job.json"
        resumed: dict[int, tuple[list[tuple[int, str, int, str]], str]] = {}
        _, today = deterministic_today()
        if req.resume and job_file.is_file():
            saved = json.loads(job_file.read_text(encoding="utf-8"))
            if saved.get("fingerprint") != fp:
                raise HandoutError(
                    [
                        Problem(
                            Location(state),
                            "--resume",
                            "the CSV, handout, brand, layout or options changed since the "
                            "interrupted run; run again without --resume to start over",
                        )
                    ]
                )
            today = dt.date.fromisoformat(saved["today"])
            resumed = _read_journal(state / "journal.csv")
        else:
            _refuse_earlier_letters(req, folder, interrupted=job_file.is_file())
            if state.exists():
                shutil.rmtree(state)
            _private_dir(state)
            atomic_write(
                job_file,
                json.dumps({"fingerprint": fp, "today": today.isoformat()}).encode(),
                private=True,
            )
        parts = state / "parts"
        _private_dir(parts)
        _clean_temp(parts)
        _clean_temp(folder)

        job = _Job(
            project_root=project.root,
            layout=layout,
            brand=brand,
            brand_path=brand_path,
            sources=sources,
            personal=personal,
            today=today,
            proof=req.proof,
            pad_to=1 if layout.duplex == "Simplex" else 2,
            merged=req.merged is not None,
            out_dir=folder,
            parts_dir=parts,
            src=src,
            geo=geo,
        )
        # each language's shared letter once, before the pool forks: every worker inherits
        # it ("" is the default language's key too: recipients with no language use that)
        for lang in sorted(k for k in sources if k):
            if personal[lang] is not None:
                _renderer(job, lang)
        # PDF timestamps (and so the bytes) come from the job's date, not the clock
        epoch = os.environ.get("SOURCE_DATE_EPOCH") or str(
            int(dt.datetime.combine(today, dt.time(), dt.timezone.utc).timestamp())
        )
        saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = epoch
        _JOB = job
        old_term = signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            return _execute(req, job, src, resumed, folder, state)
        except KeyboardInterrupt:  # while joining or writing the manifest
            raise BatchInterrupted(
                "interrupted while finishing the output; every letter is drawn. "
                "Run the same command with --resume to finish."
            ) from None
        finally:
            signal.signal(signal.SIGTERM, old_term)
            if saved_epoch is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = saved_epoch
    finally:
        os.close(lock_fd)
        with contextlib.suppress(OSError):
            lock_path.unlink()


def _check_fits(
    sources: dict[str, HandoutSource],
    personal: dict[str, frozenset[int] | None],
    brand: Any,
    brand_path: Path,
    layout: Any,
    proof: bool,
) -> None:
    """Lay each language's letter out once before any output: overflow is exit 1, here.
    With recipient fields in the text, without the sections that use them: what does not
    fit without them (a footer line, the title, the rest of the text) fits no recipient's
    letter either, and would otherwise reject every row. A recipient field in the title:
    nothing to check before the rows."""

    _, today = deterministic_today()
    problems: list[Problem] = []
    for lang, source in {id(s): (k, s) for k, s in sources.items()}.values():
        own = personal[lang]
        if own is None:
            continue
        every = frozenset(range(len(source.handout.sections)))
        try:
            composed = compose(
                source.id, source.doc, source.handout, brand, {}, today, sections=every - own
            )
            r = LetterRenderer(composed, layout, brand_path, RenderOptions(deterministic=True))
            r.proof = proof
            r.capture(FormCanvas(io.BytesIO()), "check")
        except HandoutError as exc:
            problems.extend(exc.problems or [Problem(Location(source.doc.path), "", exc.message)])
    if problems:  # every page draws the footer: say each problem once
        raise HandoutError(list(dict.fromkeys(problems)))


def _chunk_size(merged: bool) -> int:
    env = os.environ.get("HANDOUTS_BATCH_CHUNK", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    return 1000 if merged else 50


def _execute(
    req: BatchRequest,
    job: _Job,
    src: CsvSource,
    resumed: dict[int, tuple[list[tuple[int, str, int, str]], str]],
    folder: Path,
    state: Path,
) -> BatchResult:
    res = BatchResult()
    size = _chunk_size(job.merged)
    shard_k, shard_n = req.shard or (1, 1)
    total = _count_records(src)
    if shard_n > 1:
        total = len(range(shard_k - 1, total, shard_n))

    keys: dict[int, Any] = {}  # chunk → its rows' (record, hash) pairs, as two arrays

    def note(chunk: int, prep: _Prepared) -> None:
        """What the summary counts of a chunk's checked rows (the letters are journalled)."""
        records = array("q", (rec for rec, _ in prep.keys))
        hashes = array("Q", (h for _, h in prep.keys))
        keys[chunk] = (records, hashes)
        res.fallbacks.update(prep.fallbacks)
        res.zip_restored += prep.zip_restored

    def tasks() -> Iterator[_Task]:
        """The rows as read, in chunks: the workers check them (in parallel) and draw."""
        chunk = 0
        rows: list[tuple[int, int, list[str]]] = []
        for record, line, cells in read(src):
            if shard_n > 1 and (record - 1) % shard_n != shard_k - 1:
                continue
            res.records += 1
            if cells is None:
                res.blank += 1
                continue
            rows.append((record, line, cells))
            if len(rows) >= size:
                yield from emit(chunk, rows)
                chunk += 1
                rows = []
        if rows:
            yield from emit(chunk, rows)

    def emit(chunk: int, rows: list[tuple[int, int, list[str]]]) -> Iterator[_Task]:
        if chunk in resumed:  # drawn before the interruption: only counted again here
            note(chunk, _prepare(job, rows))
        else:
            yield _Task(chunk, rows)

    # chunks from an earlier run are reused only if their files are intact
    for chunk, (rows, sha) in list(resumed.items()):
        if not _verify(job, chunk, rows, sha):
            del resumed[chunk]
    progress = _Progress(total, req.progress)
    blanks_shown = 0
    progress.add(sum(len(rows) for rows, _ in resumed.values()))
    res.resumed_records = progress.done
    journal_path = state / "journal.csv"
    # per chunk: its journal rows as text (a few bytes per letter: memory stays flat in N)
    results: dict[int, tuple[str, int, bool]] = {
        chunk: (_rows_text(rows), len(rows), bool(sha)) for chunk, (rows, sha) in resumed.items()
    }
    hook = _signal_hook()
    journalled = 0
    pool = None
    # --merged: parts are joined into the output's temporary copy as soon as they are in
    # order, while the next ones are drawn
    merging = _Merging(req.merged.resolve(), job.parts_dir) if req.merged is not None else None
    try:
        if merging is not None:
            merging.feed(results)
        with journal_path.open("a", encoding="utf-8", newline="") as jfh:
            os.chmod(journal_path, 0o600)
            if req.jobs > 1:
                ctx = multiprocessing.get_context("fork")
                pool = ctx.Pool(req.jobs, initializer=_worker_init)
                outputs: Iterator[Any] = pool.imap(_run_task, tasks(), chunksize=1)
            else:
                outputs = (_run_task(t) for t in tasks())
            for chunk, rows, sha, prep in outputs:
                _journal(jfh, chunk, rows, sha)
                results[chunk] = (_rows_text(rows), len(rows), bool(sha))
                note(chunk, prep)
                if merging is not None:
                    merging.feed(results)
                blanks = res.blank  # counted as the rows are read (blank rows make no letter)
                progress.add(len(rows) + blanks - blanks_shown)
                blanks_shown = blanks
                journalled += 1
                if hook and journalled == hook[0]:
                    os.kill(os.getpid(), hook[1])
            if pool is not None:
                pool.close()
                pool.join()
                pool = None
    except BaseException as exc:
        if merging is not None:
            merging.abort()
        if not isinstance(exc, KeyboardInterrupt):
            raise
        if pool is not None:
            pool.terminate()
            pool.join()
        progress.close()
        _clean_temp(job.parts_dir)
        _clean_temp(folder)
        done = sum(n for _, n, _ in results.values())
        raise BatchInterrupted(
            f"interrupted: {done} of {total} records done; nothing half-written is left. "
            "Run the same command with --resume to finish."
        ) from None
    finally:
        if pool is not None:
            pool.terminate()
    progress.add(res.blank - blanks_shown)
    progress.close()

    # -- finish: the merged file, manifest, rejects ----------------------------------------
    order = sorted(results)

    def all_rows() -> Iterator[tuple[int, str, int, str]]:
        for chunk in order:
            yield from _parse_rows(results[chunk][0])

    rejects: list[Reject] = []
    for rec, reason, n, line in all_rows():  # rows refused, by the check or by the layout
        if not n:
            fld, _, why = _unesc(reason).partition(": ")
            rejects.append(Reject(rec, int(line), fld, why))
    seen: dict[int, int] = {}
    for chunk in sorted(keys):  # the first of equal name-and-address rows is the original
        for record, key in zip(*keys[chunk], strict=True):
            if key in seen:
                res.duplicate_count += 1
                if len(res.duplicates) < 20:
                    res.duplicates.append((record, seen[key]))
            else:
                seen[key] = record
    res.manifest = folder / "manifest.csv"
    header = ["record", "file", "first_page", "last_page", "sha256"]
    if job.merged:
        assert req.merged is not None
        assert merging is not None
        target = merging.target
        res.pages = sum(n for _, _, n, _ in all_rows())
        res.made = sum(1 for _, _, n, _ in all_rows() if n)
        try:
            merging.feed(results)
            if res.made:
                merging.finish()
                res.output = target
            else:
                merging.abort()
        except BaseException:
            merging.abort()
            raise
        digest = merging.sha.hexdigest()
        with _atomic_stream(res.manifest, text=True) as mf:
            w = csv.writer(mf, lineterminator="\n")
            w.writerow(header)
            page = 1
            for rec, _, n, _ in all_rows():
                if n:
                    w.writerow([rec, target.name, page, page + n - 1, digest])
                    page += n
    else:
        res.output = folder
        with _atomic_stream(res.manifest, text=True) as mf:
            w = csv.writer(mf, lineterminator="\n")
            w.writerow(header)
            for rec, name, n, sha in all_rows():  # chunks hold records in order
                if n:
                    w.writerow([rec, name, 1, n, sha])
                    res.pages += n
                    res.made += 1
    res.rejected = len(rejects)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["record", "line", "field", "reason"])
    for rj in rejects:
        w.writerow([rj.record, rj.line, rj.field, rj.reason])
    res.rejects = folder / "rejects.csv"
    atomic_write(res.rejects, buf.getvalue().encode("utf-8"), private=True)
    shutil.rmtree(state, ignore_errors=True)
    return res


def _rows_text(rows: list[tuple[int, str, int, str]]) -> str:
    return "".join(f"{rec},{name},{n},{sha}\n" for rec, name, n, sha in rows)


def _parse_rows(text: str) -> Iterator[tuple[int, str, int, str]]:
    for line in text.splitlines():
        rec, name, n, sha = line.split(",")
        yield int(rec), name, int(n), sha


@contextlib.contextmanager
def _atomic_stream(path: Path, text: bool = False) -> Iterator[Any]:
    """Write ``path`` through a private temporary file; renamed into place only on success."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        fh: Any = os.fdopen(fd, "w", encoding="utf-8") if text else os.fdopen(fd, "wb")
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


class _Merging:
    """The merged file, written through a private temporary copy, joined part by part."""

    def __init__(self, target: Path, parts_dir: Path) -> None:
        from .pdfjoin import Joiner

        self.target = target
        self.parts_dir = parts_dir
        # in the job's state folder (beside the parts, same file system as the target): a
        # run that is killed leaves nothing beside the output, and --resume starts it afresh
        self.tmp = parts_dir.parent / "merged.partial.pdf"
        fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self.fh = os.fdopen(fd, "wb")
        self.sha = hashlib.sha256()
        self.joiner = Joiner(_HashingWriter(self.fh, self.sha))  # type: ignore[arg-type]
        self.next = 0
        self.closed = False

    def feed(self, done: Any) -> None:
        """Add every finished part that comes next in order (a chunk whose every row was
        refused has none)."""
        while self.next in done:
            if done[self.next][2]:
                self.joiner.add((self.parts_dir / f"part-{self.next:06d}.pdf").read_bytes())
            self.next += 1

    def finish(self) -> None:
        self.joiner.close()
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        self.closed = True
        replace(self.tmp, self.target, "--merged")

    def abort(self) -> None:
        if not self.closed:
            self.fh.close()
            self.closed = True
        with contextlib.suppress(OSError):
            self.tmp.unlink()


class _HashingWriter:
    def __init__(self, fh: Any, h: Any) -> None:
        self.fh = fh
        self.h = h

    def write(self, b: bytes) -> int:
        self.h.update(b)
        return self.fh.write(b)


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
