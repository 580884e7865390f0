"""The anonymous tally of handouts given out: handout, language, layout, large print, day,
how many, and whether printed or downloaded. Never a patient value, a name or a time of day.

A local SQLite file (``usage.sqlite3`` in the data folder); ``handouts usage`` reads it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS tally (
    handout TEXT NOT NULL,
    language TEXT NOT NULL,
    layout TEXT NOT NULL,
    large_print INTEGER NOT NULL,
    action TEXT NOT NULL,
    day TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (handout, language, layout, large_print, action, day)
)
"""


@dataclass(frozen=True)
class Row:
    day: str
    handout: str
    language: str
    layout: str
    large_print: bool
    action: str
    count: int


class Tally:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        con = sqlite3.connect(self.path, timeout=10)
        con.execute(SCHEMA)
        return con

    def add(
        self,
        handout: str,
        language: str,
        layout: str,
        large_print: bool,
        action: str,
        day: dt.date,
        count: int = 1,
    ) -> None:
        with self._lock, self._connect() as con:
            con.execute(
                "INSERT INTO tally VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (handout, language, "
                "layout, large_print, action, day) DO UPDATE SET count = count + excluded.count",
                (handout, language, layout, int(large_print), action, day.isoformat(), count),
            )
        con.close()

    def rows(self, since: dt.date | None = None) -> list[Row]:
        if not self.path.exists():
            return []
        with self._lock:
            con = self._connect()
            try:
                found = con.execute(
                    "SELECT day, handout, language, layout, large_print, action, count FROM tally "
                    "WHERE day >= ? ORDER BY day, handout, language, layout, large_print, action",
                    ((since or dt.date.min).isoformat(),),
                ).fetchall()
            finally:
                con.close()
        return [Row(d, h, lang, lay, bool(lp), a, n) for d, h, lang, lay, lp, a, n in found]


def as_csv(rows: list[Row]) -> str:
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(["day", "handout", "language", "layout", "large_print", "action", "count"])
    for r in rows:
        out.writerow(
            [
                r.day,
                r.handout,
                r.language,
                r.layout,
                "yes" if r.large_print else "no",
                r.action,
                r.count,
            ]
        )
    return buf.getvalue()


def as_table(rows: list[Row]) -> list[str]:
    if not rows:
        return ["No handouts printed or downloaded from the front desk yet."]
    lines = [
        f"{'day':<10}  {'handout':<32} {'lang':<5} {'layout':<12} {'large':<5} "
        f"{'action':<10} {'count':>5}"
    ]
    for r in rows:
        lines.append(
            f"{r.day:<10}  {r.handout:<32} {r.language:<5} {r.layout:<12} "
            f"{'yes' if r.large_print else 'no':<5} {r.action:<10} {r.count:>5}"
        )
    total = sum(r.count for r in rows)
    lines.append(f"{total} handout(s) in all")
    return lines
