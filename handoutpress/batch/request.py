"""What a ``batch`` run is asked to do, and what it did (the CLI prints the result's
:meth:`BatchResult.warnings` and :meth:`BatchResult.summary_lines`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


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

    def record_files(self) -> tuple[Path, Path]:
        """The manifest and the rejects file, beside the output: named after the merged
        file (``mailing.pdf``: ``mailing.manifest.csv``, ``mailing.rejects.csv``), so that
        two mailings in one folder keep their own; in the ``--out-dir`` folder, which holds
        one run's letters, ``manifest.csv`` and ``rejects.csv``."""
        if self.merged is not None:
            merged = self.merged.resolve()
            stem = merged.stem if merged.suffix.lower() == ".pdf" else merged.name
            return (
                merged.with_name(f"{stem}.manifest.csv"),
                merged.with_name(f"{stem}.rejects.csv"),
            )
        folder = (self.out_dir or Path(".")).resolve()
        return folder / "manifest.csv", folder / "rejects.csv"

    def state_name(self) -> str:
        """The name of this mailing's job state in the folder's ``.handouts-batch/``: per
        merged file (``merged-mailing.pdf``), so that a second mailing into the folder of
        an interrupted one leaves that one's progress for its ``--resume``; ``letters`` for
        the ``--out-dir`` folder, which holds one run's letters."""
        if self.merged is not None:
            return f"merged-{self.merged.resolve().name}"
        return "letters"

    def fingerprint_options(self) -> dict[str, object]:
        """The options a ``--resume`` must find unchanged."""
        return {
            "merged": self.merged.name if self.merged else None,
            "out_dir": bool(self.out_dir),
            "layout": self.layout,
            "brand": self.brand,
            "encoding": self.encoding,
            "shard": self.shard,
            "proof": self.proof,
        }


@dataclass
class BatchResult:
    records: int = 0
    made: int = 0
    rejected: int = 0
    blank: int = 0
    pages: int = 0
    #: (record, the earlier record with the same name and address), the first 20
    duplicates: list[tuple[int, int]] = field(default_factory=list)
    duplicate_count: int = 0
    #: language asked for that has no translation → rows that got the default language
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

    def warnings(self) -> list[str]:
        """The warning lines (stderr): duplicates and language fallbacks, by record only."""
        out = [
            f"warning: record {later} has the same name and address as record {first}"
            for later, first in self.duplicates
        ]
        if self.duplicate_count > len(self.duplicates):
            out.append(f"warning: {self.duplicate_count - len(self.duplicates)} more duplicates")
        out += [
            f"warning: {n} record(s) asked for language '{tag}', which has no "
            "translation: they got the default language"
            for tag, n in sorted(self.fallbacks.items())
        ]
        return out

    def summary_lines(self) -> list[str]:
        """What the run made (stdout): counts, what was noted, the files written."""
        out = [self.summary()]
        extras = []
        if self.duplicate_count:
            extras.append(f"{self.duplicate_count} duplicate(s) warned")
        if self.fallbacks:
            extras.append(f"{sum(self.fallbacks.values())} language fallback(s)")
        if self.resumed_records:
            extras.append(f"{self.resumed_records} reused from the interrupted run")
        if self.zip_restored:
            extras.append(
                f"{self.zip_restored} ZIP code(s) given back the leading zero(s) Excel drops "
                "(checked against the state)"
            )
        if extras:
            out.append("; ".join(extras))
        if self.output is not None:
            out.append(f"{self.output} ({self.pages} pages)")
        out.append(f"{self.manifest}")
        out.append(f"{self.rejects}")
        return out
