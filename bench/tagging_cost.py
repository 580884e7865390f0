"""What tagged output (PDF/UA-1, handoutpress.tagging) costs: render time and file size of every
shipped handout (and translation) in every office layout, tagged and untagged, in one process.

    .venv/bin/python bench/tagging_cost.py [--runs 11] [--layout sheet ...]

Each case is rendered once to warm up (fonts, logos, layout files), then ``--runs`` times
tagged and untagged, alternating; the medians of the process's CPU time (less disturbed by
other work on a shared machine than wall time) and their ratio (and that of the fastest
runs) are printed as a Markdown table for bench/README.md, then a summary per layout (median
and highest ratio). Run it when the machine is quiet-ish; never from a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handoutpress.build import plan  # noqa: E402
from handoutpress.project import Project  # noqa: E402

#: every shipped handout (each translation too) in every office layout
HANDOUTS = [
    "trigger-point-injections",
    "trigger-point-injections.es",
    "tpi-aftercare",
    "tpi-aftercare.es",
    "tpi-follow-up",
    "tpi-follow-up.es",
]
#: label -> (layout, large print)
LAYOUTS: dict[str, tuple[str | None, bool]] = {
    "tri-fold": ("trifold", False),
    "tri-fold A4": ("trifold-a4", False),
    "sheet": ("sheet", False),
    "sheet A4": ("sheet-a4", False),
    "letter": ("letter", False),
    "large print": (None, True),
}


@dataclasses.dataclass
class Cost:
    handout: str
    layout: str
    pages: int
    off_ms: float
    on_ms: float
    off_bytes: int
    on_bytes: int
    off_best: float
    on_best: float

    @property
    def time(self) -> float:
        return self.on_ms / self.off_ms - 1

    @property
    def best(self) -> float:
        """The ratio of the fastest runs (the least disturbed by other work)."""
        return self.on_best / self.off_best - 1

    @property
    def size(self) -> float:
        return self.on_bytes / self.off_bytes - 1


def measure(project: Project, ref: str, label: str, runs: int) -> Cost:
    layout, large = LAYOUTS[label]
    work = plan(project, [ref], layout=layout, large_print=large)
    (job,) = work.jobs
    off = dataclasses.replace(work, options=dataclasses.replace(work.options, tagged=False))
    times: dict[str, list[float]] = {"on": [], "off": []}
    sizes: dict[str, int] = {}
    pages = 0
    for w in (work, off):
        w.render(job, {})
    for _ in range(runs):
        for key, w in (("on", work), ("off", off)):
            t = time.process_time()
            _, result = w.render(job, {})
            times[key].append((time.process_time() - t) * 1000)
            sizes[key] = len(result.pdf)
            pages = result.pages
    return Cost(
        ref,
        label,
        pages,
        statistics.median(times["off"]),
        statistics.median(times["on"]),
        sizes["off"],
        sizes["on"],
        min(times["off"]),
        min(times["on"]),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--layout", action="append", choices=list(LAYOUTS), help="only these")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1795737600")
    project = Project(ROOT)
    costs = [
        measure(project, ref, label, args.runs)
        for label in args.layout or LAYOUTS
        for ref in HANDOUTS
    ]
    print("| handout | layout | pages | untagged ms CPU | tagged ms CPU | time | best-run time "
          "| untagged KB | tagged KB | size |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for c in costs:
        print(
            f"| {c.handout} | {c.layout} | {c.pages} | {c.off_ms:.1f} | {c.on_ms:.1f} "
            f"| {c.time:+.0%} | {c.best:+.0%} | {c.off_bytes / 1024:.1f} | {c.on_bytes / 1024:.1f} "
            f"| {c.size:+.0%} |"
        )
    print()
    print("| layout | files | median time | highest time | median best-run time "
          "| median size | highest size |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label in args.layout or LAYOUTS:
        mine = [c for c in costs if c.layout == label]
        t = sorted(c.time for c in mine)
        z = sorted(c.size for c in mine)
        best = statistics.median(c.best for c in mine)
        print(
            f"| {label} | {len(mine)} | {statistics.median(t):+.0%} | {t[-1]:+.0%} "
            f"| {best:+.0%} | {statistics.median(z):+.0%} | {z[-1]:+.0%} |"
        )
    every_t = [c.time for c in costs]
    every_z = [c.size for c in costs]
    every_b = statistics.median(c.best for c in costs)
    print(
        f"| all | {len(costs)} | {statistics.median(every_t):+.0%} | {max(every_t):+.0%} "
        f"| {every_b:+.0%} | {statistics.median(every_z):+.0%} | {max(every_z):+.0%} |"
    )


if __name__ == "__main__":
    main()
