"""The batch's job state: fingerprint, lock, and the journal of finished chunks.

A run keeps its state in ``<folder>/.handouts-batch/<mailing>/`` (one per mailing,
:meth:`~.request.BatchRequest.state_name`): ``job.json`` (the fingerprint of
the inputs and options, and the letter date) and ``journal.csv``, written with the
``csv`` module, one line per row of a finished chunk and one per chunk::

    R,<chunk>,<record>,<pages>,<file>,<sha256>,<line>,<field>,<reason>
    C,<chunk>,<sha256 of the chunk's part, --merged>

A chunk counts only once its ``C`` line is on disk (after its files are), so a run
stopped anywhere is resumed with ``--resume`` from the chunks that were finished.

Earlier versions kept the state in ``.handouts-batch/`` itself (one per folder), in the same
files: :func:`adopt_legacy_state` moves such a state to its mailing's folder for a
``--resume`` of the same job (or says in one line that it cannot be resumed), and
:func:`clear_state` removes it when a run starts over.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import hashlib
import io
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..errors import HandoutError, Location, Problem

STATE_DIR = ".handouts-batch"
LOCK_NAME = ".handouts-batch.lock"
#: what a run kept in ``.handouts-batch/`` itself before each mailing had its own folder
#: there: the files a mailing's folder holds now, in the same formats
LEGACY_STATE = ("job.json", "journal.csv", "parts", "merged.partial.pdf")


@dataclass(frozen=True)
class JournalRow:
    """One CSV row of a finished chunk: a letter made, or a row refused while drawing it
    or checking it (``pages`` 0)."""

    record: int
    pages: int = 0
    #: ``--out-dir``: the letter's file name in the folder ("" with ``--merged``)
    file: str = ""
    #: ``--out-dir``: the SHA-256 of that file
    sha256: str = ""
    #: a refused row: the line where its record starts, the field and why
    line: int = 0
    field: str = ""
    reason: str = ""

    @property
    def made(self) -> bool:
        return self.pages > 0

    def fields(self) -> list[str | int]:
        return [self.record, self.pages, self.file, self.sha256, self.line, self.field, self.reason]

    @classmethod
    def parse(cls, cells: list[str]) -> JournalRow:
        record, pages, file, sha, line, field, reason = cells
        return cls(int(record), int(pages), file, sha, int(line), field, reason)


def _lines(rows: Iterable[JournalRow], lead: str = "") -> str:
    """``rows`` as CSV lines (each after ``lead``), as the ``csv`` module writes them: a
    merged letter's row (a record and its pages, nothing to quote) formatted directly."""
    out: list[str] = []
    for r in rows:
        if not (r.file or r.sha256 or r.line or r.field or r.reason):
            out.append(f"{lead}{r.record},{r.pages},,,0,,\n")
        else:
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(r.fields())
            out.append(lead + buf.getvalue())
    return "".join(out)


def rows_text(rows: Iterable[JournalRow]) -> str:
    """A chunk's rows as compact CSV text (what the parent keeps per chunk: a few bytes a
    letter, so memory stays flat in the number of rows)."""
    return _lines(rows)


def parse_rows(text: str) -> Iterator[JournalRow]:
    if '"' not in text:  # nothing quoted: every line is its cells split at the commas
        for line in text.split("\n")[:-1]:  # (the csv module quotes a cell with \r or \n)
            yield JournalRow.parse(line.split(","))
        return
    for cells in csv.reader(io.StringIO(text, newline="")):
        yield JournalRow.parse(cells)


#: a merged letter's journal row (:func:`_lines`) after its record and pages
_MADE_TAIL = ",,,0,,"


def made_or_rows(text: str) -> Iterator[JournalRow | tuple[int, int]]:
    """:func:`parse_rows`, but a letter made with nothing else in its row (a merged
    mailing's) as (record, pages), not a :class:`JournalRow` (for the manifest: a
    million of them took a second to make)."""
    if '"' in text:
        yield from parse_rows(text)
        return
    for line in text.split("\n")[:-1]:
        if line.endswith(_MADE_TAIL):
            record, _, pages = line[: -len(_MADE_TAIL)].partition(",")
            if record.isdigit() and pages.isdigit() and int(pages) > 0:
                yield int(record), int(pages)
                continue
        yield JournalRow.parse(line.split(","))


@dataclass(frozen=True)
class JournalledChunk:
    rows: list[JournalRow]
    #: ``--merged``: the SHA-256 of the chunk's part ("" when every row was refused)
    part_sha: str


def read_journal(path: Path) -> dict[int, JournalledChunk]:
    """The chunks a stopped run finished (a torn last line is ignored)."""
    done: dict[int, JournalledChunk] = {}
    if not path.is_file():
        return done
    text = path.read_text(encoding="utf-8")
    text = text[: text.rfind("\n") + 1]  # a torn last write
    pending: dict[int, list[JournalRow]] = {}
    try:
        for cells in csv.reader(io.StringIO(text, newline="")):
            if len(cells) == 9 and cells[0] == "R":
                pending.setdefault(int(cells[1]), []).append(JournalRow.parse(cells[2:]))
            elif len(cells) == 3 and cells[0] == "C":
                chunk = int(cells[1])
                done[chunk] = JournalledChunk(pending.pop(chunk, []), cells[2])
    except (csv.Error, ValueError):
        pass  # a damaged line: the chunks before it stand, the rest is drawn again
    return done


def journal(fh: TextIO, chunk: int, rows: list[JournalRow], part_sha: str) -> None:
    """Add a finished chunk to the journal: written to the file before the call returns (a
    run that is stopped or killed after it finds it), not forced to the disk (no
    ``fsync``): after a crash of the machine a chunk whose line or part did not reach the
    disk is drawn again, as :func:`read_journal` ignores a torn line and the runner
    trusts a part only if its SHA-256 is the journalled one. The finished outputs are
    fsynced (``--out-dir`` files before their chunk is journalled)."""
    fh.write(_lines(rows, f"R,{chunk},") + f"C,{chunk},{part_sha}\n")
    fh.flush()


def write_part(path: Path, data: bytes) -> None:
    """A ``--merged`` chunk's part, private: written under a temporary name and renamed
    (a part is never seen half-written), not fsynced (it is job state, checked by its
    SHA-256 on ``--resume``: see :func:`journal`). An ``fsync`` per part cost the run more
    waiting for the disk than writing it (10 parts and 10 journal lines: 0.1 s of 10,000
    letters on a quiet disk)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def fingerprint(options: dict[str, object], files: list[Path]) -> str:
    """What ``--resume`` must find unchanged: the input files and the options."""
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode() + b"\0")
        h.update(hashlib.sha256(f.read_bytes()).digest())
    h.update(json.dumps(options, sort_keys=True).encode())
    return h.hexdigest()


def private_dir(path: Path) -> None:
    """Make ``path`` (0700) unless it is a folder already."""
    try:
        if path.is_dir():
            return
        path.mkdir(parents=True, mode=0o700)
    except OSError as exc:
        raise HandoutError(
            [Problem(Location(path), "", f"cannot create the folder: {exc.strerror}")]
        ) from None
    os.chmod(path, 0o700)


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the folder's batch lock (a second run on it is refused) while inside."""
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
    try:
        yield
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            path.unlink()


def clean_temp(folder: Path) -> None:
    """Remove our own temporary files (``.<name>.pdf.<random>.tmp`` …) from ``folder``."""
    if folder.is_dir():
        for p in folder.iterdir():
            if (
                p.name.startswith(".")
                and p.name.endswith(".tmp")
                and (".pdf." in p.name or ".csv." in p.name or ".json." in p.name)
            ):
                with contextlib.suppress(OSError):
                    p.unlink()


def adopt_legacy_state(state: Path, fp: str, resume: bool) -> bool:
    """The job state an earlier version kept in ``.handouts-batch/`` itself, for the mailing
    whose state is ``state``: with ``resume``, when its fingerprint is this run's (the same
    CSV, handout, brand, layout and options: the same mailing), it becomes this mailing's
    state and is resumed; when it is not, one line says it cannot be resumed and what to do.
    True when such a state is left there (an interrupted run: a run that starts over removes
    it, :func:`clear_state`)."""
    root = state.parent
    legacy = root / "job.json"
    if not legacy.is_file():
        return False
    if not resume or (state / "job.json").is_file():  # (this mailing's own state comes first)
        return True
    try:
        saved = json.loads(legacy.read_text(encoding="utf-8"))
        same = isinstance(saved, dict) and saved.get("fingerprint") == fp
    except (OSError, ValueError):
        same = False
    if not same:
        raise HandoutError(
            [
                Problem(
                    Location(root),
                    "--resume",
                    "the interrupted run's state was kept by an earlier version of Handout "
                    "Press for another mailing, or the CSV, handout, brand, layout or options "
                    "changed since: it cannot be resumed; run again without --resume to start "
                    "over (that removes it)",
                )
            ]
        )
    private_dir(state)
    for name in LEGACY_STATE:
        if os.path.lexists(root / name):
            os.replace(root / name, state / name)
    return False


def clear_state(state: Path) -> None:
    """Remove the mailing's job state (a run that starts over), and the state an earlier
    version kept in ``.handouts-batch/`` itself (one per folder: that version removed it
    too when a run started over), so that none is left behind once the run is done."""
    if state.exists():
        shutil.rmtree(state)
    root = state.parent
    for name in LEGACY_STATE:
        path = root / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif os.path.lexists(path):
            path.unlink()
    clean_temp(root)  # (its job.json's temporary copy)
