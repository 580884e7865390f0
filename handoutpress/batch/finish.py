"""The end of a ``batch`` run: the merged file (joined part by part while the next chunks
are drawn), the manifest (record → file, pages, SHA-256), the rejects file (record,
line, field, reason; both named by :meth:`~.request.BatchRequest.record_files`) and the
duplicate warnings. Every file is written through a private temporary copy and renamed into
place only when complete."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import tempfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from ..output import atomic_write, replace
from ..pdfjoin import Joiner, PartIndex
from .journal import JournalRow, made_or_rows, parse_rows


@dataclass(frozen=True)
class FinishedChunk:
    """What the parent keeps of a journalled chunk."""

    #: its journal rows as CSV text (:func:`.journal.rows_text`), zlib-compressed (a
    #: merged mailing's rows are alike: a million of them are about 2 MB so, not 15)
    rows_z: bytes
    rows: int
    #: a ``--merged`` part was written (some row of the chunk was drawn)
    has_part: bool
    #: the blank rows read before it (done when it is)
    blanks: int = 0
    #: letters made and their pages
    made: int = 0
    pages: int = 0

    @classmethod
    def of(
        cls, rows_text: str, rows: int, has_part: bool, blanks: int, made: int, pages: int
    ) -> FinishedChunk:
        return cls(zlib.compress(rows_text.encode("utf-8"), 1), rows, has_part, blanks, made, pages)

    def journal_rows(self) -> Iterator[JournalRow]:
        return parse_rows(zlib.decompress(self.rows_z).decode("utf-8"))

    def manifest_rows(self) -> Iterator[JournalRow | tuple[int, int]]:
        """:meth:`journal_rows`, a merged letter's as (record, pages)
        (:func:`.journal.made_or_rows`)."""
        return made_or_rows(zlib.decompress(self.rows_z).decode("utf-8"))


@contextlib.contextmanager
def atomic_text(path: Path) -> Iterator[TextIO]:
    """Write ``path`` through a private temporary file; renamed into place only on success."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


class _HashingWriter:
    def __init__(self, fh: BinaryIO, h: hashlib._Hash) -> None:
        self.fh = fh
        self.h = h

    def write(self, b: bytes) -> int:
        self.h.update(b)
        return self.fh.write(b)


class Merging:
    """The merged file, written through a private temporary copy, joined part by part."""

    def __init__(self, target: Path, parts_dir: Path) -> None:
        self.target = target
        self.parts_dir = parts_dir
        # in the job's state folder (beside the parts, same file system as the target): a
        # run that is killed leaves nothing beside the output, and --resume starts it afresh
        self.tmp = parts_dir.parent / "merged.partial.pdf"
        fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self.fh = os.fdopen(fd, "wb")
        self.sha = hashlib.sha256()
        # the cross-reference entries wait in an unnamed file (nothing of it outlives the
        # process), not in memory: 20 bytes an object, 60 MB for a million letters; closed
        # by finish() or abort()
        self.xref = tempfile.TemporaryFile(dir=parts_dir.parent)  # noqa: SIM115
        self.joiner = Joiner(_HashingWriter(self.fh, self.sha), self.xref)  # type: ignore[arg-type]
        self.next = 0
        self.closed = False
        #: per chunk not joined yet: what its writer knows of its part (joined unparsed)
        self.indexes: dict[int, PartIndex] = {}

    def feed(self, done: Mapping[int, FinishedChunk]) -> None:
        """Add every finished part that comes next in order (a chunk whose every row was
        refused has none)."""
        while self.next in done:
            index = self.indexes.pop(self.next, None)
            if done[self.next].has_part:
                data = (self.parts_dir / f"part-{self.next:06d}.pdf").read_bytes()
                self.joiner.add(data, index=index)
            self.next += 1

    def finish(self) -> None:
        self.joiner.close()
        self.xref.close()
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        self.closed = True
        replace(self.tmp, self.target, "--merged")

    def abort(self) -> None:
        """Remove the partial file (also when closing it fails: a full disk)."""
        if not self.closed:
            self.closed = True
            with contextlib.suppress(OSError):
                self.fh.close()
            with contextlib.suppress(OSError):
                self.xref.close()
        with contextlib.suppress(OSError):
            self.tmp.unlink()


MANIFEST_HEADER = ["record", "file", "first_page", "last_page", "sha256"]


def write_manifest_and_rejects(
    manifest: Path,
    rejects: Path,
    rows: Iterator[JournalRow | tuple[int, int]],
    merged: tuple[str, str] | None,
) -> int:
    """``manifest.csv`` (record → file, pages, SHA-256) and ``rejects.csv`` (every row
    refused, by the check or by the layout: record, line, field, reason), in one pass over
    the journal rows; ``merged``: the merged file's name and SHA-256 (``--merged``).
    Returns how many rows were refused."""
    refused: list[JournalRow] = []
    with atomic_text(manifest) as mf:
        w = csv.writer(mf, lineterminator="\n")
        w.writerow(MANIFEST_HEADER)
        page = 1
        if merged is not None:  # the merged file's cells as the csv module writes them
            cells = io.StringIO()
            csv.writer(cells, lineterminator="").writerow(merged)
            name, sha = cells.getvalue().rsplit(",", 1)
            lines: list[str] = []
        for row in rows:  # chunks hold records in order
            if type(row) is tuple:  # a letter made (journal.made_or_rows)
                if merged is not None:
                    record, pages = row
                    lines.append(f"{record},{name},{page},{page + pages - 1},{sha}\n")
                    page += pages
                    if len(lines) >= 4096:
                        mf.write("".join(lines))
                        lines = []
                    continue
                row = JournalRow(*row)
            assert isinstance(row, JournalRow)
            if not row.made:
                refused.append(row)
            elif merged is not None:
                lines.append(f"{row.record},{name},{page},{page + row.pages - 1},{sha}\n")
                page += row.pages
                if len(lines) >= 4096:
                    mf.write("".join(lines))
                    lines = []
            else:
                w.writerow([row.record, row.file, 1, row.pages, row.sha256])
        if merged is not None:
            mf.write("".join(lines))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["record", "line", "field", "reason"])
    w.writerows([r.record, r.line, r.field, r.reason] for r in refused)
    atomic_write(rejects, buf.getvalue().encode("utf-8"), private=True)
    return len(refused)
