"""The ``batch`` run: preflight, lock and job state, the chunks through a pool, finish."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
import os
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from types import FrameType

from ..addressing import Window
from ..build import plan_mailing
from ..errors import BatchInterrupted, HandoutError, Location, Problem, UsageProblem
from ..fonts import brand_fonts
from ..output import atomic_write
from ..project import Project
from ..recipients import CsvSource, open_csv, read
from ..source_date import deterministic_today
from .finish import (
    FinishedChunk,
    Merging,
    write_manifest_and_rejects,
)
from .firstseen import FirstSeen
from .heap import next_chunk
from .job import Job, set_job
from .journal import (
    STATE_DIR,
    JournalledChunk,
    JournalRow,
    adopt_legacy_state,
    clean_temp,
    clear_state,
    fingerprint,
    journal,
    locked,
    private_dir,
    read_journal,
    rows_text,
)
from .preflight import (
    check_fits,
    draft_languages,
    nothing_to_mail,
    personal_sections,
    refusals,
    refuse_earlier_letters,
    refuse_overwriting_inputs,
    template_problems,
)
from .request import BatchRequest, BatchResult
from .rowcheck import CheckedRows, CsvRow, check_rows
from .worker import Chunk, ChunkDone, run_chunk, shared_renderer, worker_init

#: called with the number of chunks journalled so far, after each (tests stop a run there)
AfterChunk = Callable[[int], None]


def run(project: Project, req: BatchRequest, after_chunk: AfterChunk | None = None) -> BatchResult:
    """Make the mailing. Raises HandoutError (exit 1) before any output for bad input,
    BatchInterrupted (exit 130) on Ctrl-C / SIGTERM."""
    if (req.merged is None) == (req.out_dir is None):
        raise UsageProblem("batch: give exactly one of --merged FILE or --out-dir DIR")
    if req.jobs < 1:
        raise HandoutError("batch: --jobs must be 1 or more")
    mailing = plan_mailing(
        project, req.handout, brand=req.brand, layout=req.layout, proof=req.proof
    )
    layout, sources, brand_source = mailing.layout, mailing.sources, mailing.brand
    brand, brand_path = brand_source.brand, brand_source.path
    refused = refusals(req, sources, brand, brand_path)
    if refused:
        raise HandoutError(refused)
    src = open_csv(req.recipients, req.encoding, req.columns)
    if src.records == 0:
        raise nothing_to_mail(req.recipients, "no records under the header")
    geo = Window(layout, brand_fonts(brand, brand_path))
    personal = {lang: personal_sections(s) for lang, s in sources.items()}
    template_errors = template_problems(mailing, personal, src)
    if template_errors:
        raise HandoutError(template_errors)
    check_fits(mailing, personal, src)

    # -- output folder, lock, job state --------------------------------------------------
    refuse_overwriting_inputs(req)
    if req.merged is not None:
        folder = req.merged.resolve().parent
    else:
        assert req.out_dir is not None
        folder = req.out_dir.resolve()
    private_dir(folder)
    with locked(folder):
        state = folder / STATE_DIR / req.state_name()
        files = [req.recipients, brand_path, project.layout_path(req.layout)]
        files += sorted({s.doc.path for s in sources.values()})
        if req.columns:
            files.append(req.columns)
        fp = fingerprint(req.fingerprint_options(), files)
        job_file = state / "job.json"
        resumed: dict[int, JournalledChunk] = {}
        deterministic, today = deterministic_today()
        legacy = adopt_legacy_state(state, fp, req.resume)  # (kept by an earlier version)
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
            resumed = read_journal(state / "journal.csv")
        else:
            refuse_earlier_letters(req, folder, interrupted=job_file.is_file() or legacy)
            clear_state(state)
            private_dir(state.parent)
            private_dir(state)
            atomic_write(
                job_file,
                json.dumps({"fingerprint": fp, "today": today.isoformat()}).encode(),
                private=True,
            )
        parts = state / "parts"
        private_dir(parts)
        clean_temp(parts)
        clean_temp(folder)
        # PDF timestamps (and so the bytes) come from the job's date, not the clock
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip() if deterministic else ""
        timestamp = int(epoch) if epoch else _midnight(today)
        job = Job(
            plan=replace(mailing, today=today),
            personal=personal,
            timestamp=timestamp,
            pad_to=1 if layout.duplex == "Simplex" else 2,
            merged=req.merged is not None,
            out_dir=folder,
            parts_dir=parts,
            src=src,
            geo=geo,
            drafts=draft_languages(req, sources),
        )
        # each language's shared letter once, before the pool forks: every worker inherits
        # it ("" is the default language's key too: recipients with no language use that)
        for lang in sorted(k for k in sources if k):
            if personal[lang] is not None:
                shared_renderer(job, lang)
        set_job(job)
        old_term = signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            with _fewer_collections():
                return _execute(req, job, resumed, folder, state, after_chunk)
        except KeyboardInterrupt:  # while joining or writing the manifest
            raise BatchInterrupted(
                "interrupted while finishing the output; every letter is drawn. "
                "Run the same command with --resume to finish."
            ) from None
        except OSError as exc:  # a full disk, a quota, a folder gone read-only
            clean_temp(parts)
            clean_temp(folder)
            # never the file's name: an --out-dir letter is named after its recipient
            raise HandoutError(
                [
                    Problem(
                        Location(folder),
                        "",
                        f"cannot write the output: {exc.strerror or type(exc).__name__}; "
                        "nothing half-written is left: make room and run the same command "
                        "with --resume to finish",
                    )
                ]
            ) from None
        finally:
            signal.signal(signal.SIGTERM, old_term)
            set_job(None)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """While the letters are drawn: what was loaded and laid out before (modules, fonts, the
    shared letter) is set aside from the cyclic garbage collector (``gc.freeze``), which
    otherwise walks all of it again and again, and the collector runs once per chunk
    (:func:`.worker.run_chunk` begins with a collection, then sets aside what lives on),
    not every few thousand objects: a chunk makes many short-lived objects and few cycles,
    and its part document's objects, kept to the end of the chunk, were walked again at
    every collection (with a font loaded during the first chunk, a collection at a chunk's
    end took 10-20 ms; at the next one's start, with it set aside, 3-5 ms). The same
    bytes. The collector is as it was afterwards (a test process runs batches in turn)."""
    gc.freeze()  # (no collection first: it walked every object loaded, to free a few hundred)
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()


def _midnight(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(), dt.timezone.utc).timestamp())


def _chunk_size(merged: bool) -> int:
    env = os.environ.get("HANDOUTS_BATCH_CHUNK", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    # --out-dir: a chunk's files are flushed to the disk together (batch/outfiles.py)
    return 1000 if merged else 500


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


class _Counts:
    """What the summary counts as the chunks come back: duplicates (each chunk's
    name-and-address hashes go into one table in chunk order, as soon as the chunks before
    it are in), language fallbacks, restored ZIP codes."""

    def __init__(self, res: BatchResult, rows: int) -> None:
        self.res = res
        self.seen = FirstSeen(rows)
        self.next = 0
        #: chunks noted before one ahead of them (a chunk of an earlier run, on --resume)
        self.waiting: dict[int, list[tuple[int, int]]] = {}

    def note(self, chunk: int, checked: CheckedRows) -> None:
        self.waiting[chunk] = checked.keys
        self.res.fallbacks.update(checked.fallbacks)
        self.res.zip_restored += checked.zip_restored
        while self.next in self.waiting:
            self._add(self.waiting.pop(self.next))
            self.next += 1

    def _add(self, keys: list[tuple[int, int]]) -> None:
        """The first of equal name-and-address rows is the original."""
        res, first = self.res, self.seen.first
        for record, key in keys:
            original = first(key, record)
            if original is not None:
                res.duplicate_count += 1
                if len(res.duplicates) < 20:
                    res.duplicates.append((record, original))

    def duplicates(self) -> None:
        """The chunks still waiting (none, unless one was never noted)."""
        for chunk in sorted(self.waiting):
            self._add(self.waiting.pop(chunk))


def _verify(job: Job, chunk: int, done: JournalledChunk) -> bool:
    """A journalled chunk is trusted on --resume only if its files are still as written."""
    if job.merged:
        if not done.part_sha:  # every row of the chunk was refused: no part
            return True
        p = job.parts_dir / f"part-{chunk:06d}.pdf"
        return p.is_file() and _sha_file(p) == done.part_sha
    for row in done.rows:
        if not row.made:  # a refused row has no file
            continue
        p = job.out_dir / row.file
        if not p.is_file() or _sha_file(p) != row.sha256:
            return False
    return True


def _sha_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _finished(rows: list[JournalRow], has_part: bool, blanks: int) -> FinishedChunk:
    made = [r.pages for r in rows if r.made]
    return FinishedChunk.of(rows_text(rows), len(rows), has_part, blanks, len(made), sum(made))


def _execute(
    req: BatchRequest,
    job: Job,
    resumed: dict[int, JournalledChunk],
    folder: Path,
    state: Path,
    after_chunk: AfterChunk | None,
) -> BatchResult:
    res = BatchResult()
    src: CsvSource = job.src
    size = _chunk_size(job.merged)
    shard_k, shard_n = req.shard or (1, 1)
    total = src.records
    if shard_n > 1:
        total = len(range(shard_k - 1, total, shard_n))
    counts = _Counts(res, total)
    # chunks from an earlier run are reused only if their files are intact
    for chunk, done in list(resumed.items()):
        if not _verify(job, chunk, done):
            del resumed[chunk]
    # per chunk: its journal rows as text (a few bytes per letter: memory stays flat in N)
    results: dict[int, FinishedChunk] = {
        chunk: _finished(done.rows, bool(done.part_sha), 0) for chunk, done in resumed.items()
    }
    progress = _Progress(total, req.progress)
    progress.add(sum(len(done.rows) for done in resumed.values()))
    res.resumed_records = progress.done

    def chunks() -> Iterator[Chunk]:
        """The rows as read, in chunks: the workers check them (in parallel) and draw."""
        number = 0
        rows: list[CsvRow] = []
        blanks = 0
        for record, line, cells in read(src):
            if shard_n > 1 and (record - 1) % shard_n != shard_k - 1:
                continue
            res.records += 1
            if cells is None:
                res.blank += 1
                blanks += 1
                continue
            rows.append((record, line, cells))
            if len(rows) >= size:
                yield from emit(Chunk(number, rows, blanks))
                number, rows, blanks = number + 1, [], 0
        if rows:
            yield from emit(Chunk(number, rows, blanks))

    def emit(chunk: Chunk) -> Iterator[Chunk]:
        if chunk.number in resumed:  # drawn before the interruption: only counted again here
            counts.note(chunk.number, check_rows(job, chunk.rows))
            done = results[chunk.number]
            results[chunk.number] = _finished(
                list(done.journal_rows()), done.has_part, chunk.blank_before
            )
            progress.add(chunk.blank_before)
        else:
            if ahead is not None:  # (--jobs: the pool's feeder thread runs this)
                while not ahead.acquire(timeout=0.05):
                    if stopping.is_set():
                        return
            yield chunk

    # --jobs: at most 2 chunks a worker drawn ahead of the journal, so a run stopped after
    # chunk N has made the files of a few chunks more, not of every chunk the workers could
    # reach (and the CSV is not read ahead into memory)
    ahead = threading.Semaphore(2 * req.jobs) if req.jobs > 1 else None
    stopping = threading.Event()
    journal_path = state / "journal.csv"
    journalled = 0
    pool = None
    # --merged: parts are joined into the output's temporary copy as soon as they are in
    # order, while the next ones are drawn
    merging = Merging(req.merged.resolve(), job.parts_dir) if req.merged is not None else None
    try:
        if merging is not None:
            merging.feed(results)
        with journal_path.open("a", encoding="utf-8", newline="") as jfh:
            os.chmod(journal_path, 0o600)
            outputs: Iterator[ChunkDone]
            if req.jobs > 1:
                import multiprocessing  # (--jobs 1, the usual run: not imported)

                ctx = multiprocessing.get_context("fork")
                pool = ctx.Pool(req.jobs, initializer=worker_init)
                outputs = pool.imap(run_chunk, chunks(), chunksize=1)
            else:
                outputs = (run_chunk(c) for c in chunks())
            for out in outputs:
                if pool is not None:  # (this process joins what the workers draw)
                    next_chunk()
                journal(jfh, out.number, out.rows, out.part_sha)
                results[out.number] = _finished(out.rows, bool(out.part_sha), out.blank_before)
                counts.note(out.number, out.checked)
                if merging is not None:
                    if out.index is not None:
                        merging.indexes[out.number] = out.index
                    merging.feed(results)
                progress.add(len(out.rows) + out.blank_before)
                journalled += 1
                if ahead is not None:
                    ahead.release()
                if after_chunk is not None:
                    after_chunk(journalled)
            if pool is not None:
                pool.close()
                pool.join()
                pool = None
    except BaseException as exc:
        stopping.set()
        if merging is not None:
            merging.abort()
        if not isinstance(exc, KeyboardInterrupt):
            raise
        if pool is not None:
            pool.terminate()
            pool.join()
        progress.close()
        clean_temp(job.parts_dir)
        clean_temp(folder)
        finished = sum(r.rows + r.blanks for r in results.values())
        raise BatchInterrupted(
            f"interrupted: {finished} of {total} records done; nothing half-written is left. "
            "Run the same command with --resume to finish."
        ) from None
    finally:
        stopping.set()
        if pool is not None:
            pool.terminate()
    # blank rows after the last chunk
    progress.add(res.records - progress.done)
    progress.close()
    if res.blank == res.records and req.shard is None:
        # as a file with only its header: exit 0 and no PDF read as a mailing made (one
        # shard of a mailing may be all blank: the shards' summaries add up)
        if merging is not None:
            merging.abort()
        _remove_state(state)
        raise nothing_to_mail(req.recipients, f"every record ({res.records}) is blank")
    _finish(req, job, res, results, merging, counts, folder)
    _remove_state(state)
    return res


def _finish(
    req: BatchRequest,
    job: Job,
    res: BatchResult,
    results: dict[int, FinishedChunk],
    merging: Merging | None,
    counts: _Counts,
    folder: Path,
) -> None:
    """The merged file, manifest and rejects; the duplicate warnings."""
    order = sorted(results)

    def all_rows() -> Iterator[JournalRow | tuple[int, int]]:
        for chunk in order:
            yield from results[chunk].manifest_rows()

    counts.duplicates()
    res.manifest, res.rejects = req.record_files()
    res.made = sum(r.made for r in results.values())
    res.pages = sum(r.pages for r in results.values())
    merged: tuple[str, str] | None = None
    if merging is not None:
        target = merging.target
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
        merged = (target.name, merging.sha.hexdigest())
    else:
        res.output = folder
    res.rejected = write_manifest_and_rejects(res.manifest, res.rejects, all_rows(), merged)


def _remove_state(state: Path) -> None:
    """The finished mailing's job state, and ``.handouts-batch/`` once no other mailing in
    the folder has state there (an interrupted one waiting for its --resume)."""
    shutil.rmtree(state, ignore_errors=True)
    with contextlib.suppress(OSError):
        state.parent.rmdir()


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
