"""What tagged output (PDF/UA-1, handoutpress.tagging) costs: render time and file size of each
office layout, tagged and untagged, in one process.

    .venv/bin/python bench/tagging_cost.py [--runs 15]

Each case is rendered once to warm up (fonts, logos, layout files), then ``--runs`` times
tagged and untagged, alternating; the medians of the process's CPU time (less disturbed by
other work on a shared machine than wall time) and their ratio are printed as a Markdown table
for bench/README.md. Run it when the machine is quiet-ish; never from a test.
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

CASES = [
    ("tri-fold", "trigger-point-injections", "trifold", False),
    ("sheet, 1 page", "tpi-aftercare", "sheet", False),
    ("sheet, 2 pages", "trigger-point-injections", "sheet", False),
    ("large print, 6 pages", "trigger-point-injections", None, True),
    ("letter", "tpi-aftercare", "letter", False),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1795737600")
    project = Project(ROOT)
    print("| layout | untagged ms CPU | tagged ms CPU | time | untagged KB | tagged KB | size |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, ref, layout, large in CASES:
        work = plan(project, [ref], layout=layout, large_print=large)
        job = work.jobs[0]
        off = dataclasses.replace(work, options=dataclasses.replace(work.options, tagged=False))
        times: dict[str, list[float]] = {"on": [], "off": []}
        sizes: dict[str, int] = {}
        for w in (work, off):
            w.render(job, {})
        for _ in range(args.runs):
            for key, w in (("on", work), ("off", off)):
                t = time.process_time()
                _, result = w.render(job, {})
                times[key].append((time.process_time() - t) * 1000)
                sizes[key] = len(result.pdf)
        on, off_ms = statistics.median(times["on"]), statistics.median(times["off"])
        print(
            f"| {label} | {off_ms:.1f} | {on:.1f} | {on / off_ms - 1:+.0%} "
            f"| {sizes['off'] / 1024:.1f} | {sizes['on'] / 1024:.1f} "
            f"| {sizes['on'] / sizes['off'] - 1:+.0%} |"
        )


if __name__ == "__main__":
    main()
