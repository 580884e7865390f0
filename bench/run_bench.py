#!/usr/bin/env python3
"""Mailing benchmark: the product's `batch --merged` beside the peers, in one run; and the
cold commands a person waits for (`check` of every handout, one personalised sheet) beside a
one-page ReportLab script (bench/one_page_reportlab.py), in the same run.

Same workload as ../shared/bench/peers: their seeded recipients (make_recipients.py),
their letter text (here as the handout bench/peer-letter.yaml, brand bench/riverside.yaml).
Every implementation runs under /usr/bin/time -v, rounds interleaved (rep → N → impl)
so that the noise of a shared machine falls on all of them. Prints and writes a table of
median wall time, letters/s, pages/s, CPU, peak RSS and the ratios the issue asks for.

Usage (from the project root):
    python bench/run_bench.py                      # N = 1000 10000, 3 reps, + 100000 once
    python bench/run_bench.py --ns 100 --reps 1 --big 0   # smoke run
    python bench/run_bench.py --write-readme       # also put the tables into bench/README.md
    python bench/run_bench.py --peers DIR          # the peers' folder (default: $PEERS, else
                                                   # ../shared/bench/peers beside the checkout)
    python bench/run_bench.py --cold-only          # only the cold-command rows (no peers needed)
    python bench/run_bench.py --cold-only --outdir-before TREE  # and TREE's cold commands
                                                   # beside: issue 15.4's speed-ups
    python bench/run_bench.py --outdir-ns "1000 5000"  # `--out-dir` (one PDF per recipient)
                                                   # beside `--merged` at these N (default)
    python bench/run_bench.py --outdir-before TREE # also TREE's `--out-dir` (a checkout of an
                                                   # earlier commit) at --outdir-ns, same run
    python bench/run_bench.py --outdir-before TREE --impls "product product-personal-unique \
        personal-unique-before"                    # issue 15.2: TREE's personal letters too,
                                                   # and each row's marginal CPU per letter

Needs: poppler-utils and GNU time (apt), typst (pip; skipped with a note if missing).
"""

from __future__ import annotations

import argparse
import csv
import functools
import importlib.metadata
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PEERS = Path(os.environ.get("PEERS", ROOT.parent / "shared" / "bench" / "peers"))
PEERS = DEFAULT_PEERS  # set from --peers in main()
PY = sys.executable

#: The cold commands, each a fresh process as a person runs it, and their reference: a
#: one-page ReportLab script. (row name, argv after python, issue 15.4's target in seconds)
COLD = (
    ("check, all handouts", [str(ROOT / "generate.py"), "check"], 0.6),
    (
        "personal sheet, cold",
        [
            str(ROOT / "generate.py"),
            "build",
            "tpi-aftercare",
            "--set",
            "patient.name=Ana Ruiz",
            "--set",
            "visit.date=Nov 27, 2026",
            "-o",
            "{out}",
        ],
        0.35,
    ),  # fmt: skip
    ("ReportLab one-page script", [str(ROOT / "bench" / "one_page_reportlab.py"), "{out}"], None),
)

IMPLS = {
    "product": ["batch", "--jobs", "1"],
    "product-jobs2": ["batch", "--jobs", "2"],
    "product-personal": ["batch", "--jobs", "1"],
    "product-personal-unique": ["batch", "--jobs", "1"],
    "product-outdir": ["batch", "--jobs", "1"],
    "product-follow-up": ["batch", "--jobs", "1"],
    "outdir-before": ["batch", "--jobs", "1"],
    "merged-before": ["batch", "--jobs", "1"],
    "personal-unique-before": ["batch", "--jobs", "1"],
    "rl_form": [],
    "rl_platypus": [],
    "typst": [],
}


#: The same letter with the recipient's first name in its first paragraph: that section is
#: laid out per recipient (like rl_platypus lays out every letter), the rest once.
PERSONAL_OLD = "Thank you for visiting our clinic"
PERSONAL_NEW = "Thank you, {{ patient.first_name }}, for visiting our clinic"


def personal_letter(work: Path, tree: Path = ROOT) -> Path:
    text = (tree / "bench" / "peer-letter.yaml").read_text(encoding="utf-8")
    assert PERSONAL_OLD in text
    folder = work if tree == ROOT else work / "before"
    folder.mkdir(exist_ok=True)
    out = folder / "peer-letter.yaml"  # same id as the shipped one: same output otherwise
    out.write_text(text.replace(PERSONAL_OLD, PERSONAL_NEW, 1), encoding="utf-8")
    return out


#: syllables of the made-up first names of ``product-personal-unique`` (every one different)
_SYLLABLES = (
    "al", "an", "bel", "bo", "car", "da", "del", "el", "fa", "gi", "ha", "is", "jo", "ka",
    "la", "li", "ma", "mi", "na", "no", "ol", "pa", "ra", "ri", "sa", "so", "ta", "te",
    "ul", "va", "vi", "wen", "ya", "zo",
)  # fmt: skip


def unique_first_names(n: int) -> list[str]:
    """``n`` different first names of 2-4 syllables (seeded: the same list every run), as
    varied in width as real ones (a clinic's mailing has mostly different names)."""
    import random

    rng = random.Random(20261202)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).title()
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def unique_recipients(csv_path: Path, work: Path) -> Path:
    """``csv_path`` (the peers' rows) with every first name different: the first two rows
    kept (José Muñoz, Pat & Lee O'Brien: the peers' checks), the others made up."""
    out = work / f"{csv_path.stem}_unique.csv"
    if not out.exists():
        with csv_path.open(encoding="utf-8", newline="") as src:
            rows = list(csv.reader(src))
        names = iter(unique_first_names(len(rows)))
        kept = {r[0] for r in rows[1:3]}
        with out.open("w", encoding="utf-8", newline="") as dst:
            w = csv.writer(dst, lineterminator="\n")
            w.writerow(rows[0])
            for i, row in enumerate(rows[1:]):
                if i >= 2:
                    row[0] = next(n for n in names if n not in kept)
                w.writerow(row)
    return out


#: The shipped mailing letter (handouts/tpi-follow-up.yaml, issue 13.3) mailed to the same
#: recipients with a visit date column (its ``row.visit_date``); a draft, so a proof. Not
#: in the peers' comparison (they print bench/peer-letter.yaml's text): a row of its own.
FOLLOW_UP_DATE = "November 20, 2026"


def follow_up_recipients(csv_path: Path, work: Path) -> Path:
    """``csv_path`` with a ``Visit Date`` column, for the follow-up letter."""
    out = work / f"{csv_path.stem}_visit_date.csv"
    if not out.exists():
        with (
            csv_path.open(encoding="utf-8", newline="") as src,
            out.open("w", encoding="utf-8", newline="") as dst,
        ):
            rows = csv.reader(src)
            w = csv.writer(dst)
            w.writerow([*next(rows), "Visit Date"])
            w.writerows([*row, FOLLOW_UP_DATE] for row in rows)
    return out


#: ``--outdir-before``: the checkout whose ``--out-dir`` runs as ``outdir-before``
BEFORE: Path | None = None


def command(impl: str, csv_path: Path, out: Path, work: Path) -> list[str]:
    if impl == "outdir-before":  # the earlier checkout's generate.py, letter and brand (run
        assert BEFORE is not None  # in its folder: its own layouts)
        return [
            PY, str(BEFORE / "generate.py"), "batch", str(BEFORE / "bench" / "peer-letter.yaml"),
            "--recipients", str(csv_path), "--out-dir", str(out.parent / "files"),
            "--brand", str(BEFORE / "bench" / "riverside.yaml"), "--jobs", "1",
        ]  # fmt: skip
    if impl == "merged-before":  # the earlier checkout's `--merged` (`product` there)
        assert BEFORE is not None
        return [
            PY, str(BEFORE / "generate.py"), "batch", str(BEFORE / "bench" / "peer-letter.yaml"),
            "--recipients", str(csv_path), "--merged", str(out),
            "--brand", str(BEFORE / "bench" / "riverside.yaml"), "--jobs", "1",
        ]  # fmt: skip
    if impl == "personal-unique-before":  # the earlier checkout's product-personal-unique
        assert BEFORE is not None
        return [
            PY, str(BEFORE / "generate.py"), "batch", str(personal_letter(work, BEFORE)),
            "--recipients", str(unique_recipients(csv_path, work)), "--merged", str(out),
            "--brand", str(BEFORE / "bench" / "riverside.yaml"), "--jobs", "1",
        ]  # fmt: skip
    if impl == "product-follow-up":
        return [
            PY, str(ROOT / "generate.py"), "batch", str(ROOT / "handouts" / "tpi-follow-up.yaml"),
            "--recipients", str(follow_up_recipients(csv_path, work)), "--merged", str(out),
            "--brand", str(ROOT / "bench" / "riverside.yaml"), "--jobs", "1", "--proof",
        ]  # fmt: skip
    if impl.startswith("product"):
        jobs = "2" if impl.endswith("jobs2") else "1"
        handout = ROOT / "bench" / "peer-letter.yaml"
        if impl.startswith("product-personal"):
            handout = personal_letter(work)
        if impl == "product-personal-unique":
            csv_path = unique_recipients(csv_path, work)
        target = ["--out-dir", str(out.parent / "files")]
        if impl != "product-outdir":
            target = ["--merged", str(out)]
        return [
            PY, str(ROOT / "generate.py"), "batch", str(handout),
            "--recipients", str(csv_path), *target,
            "--brand", str(ROOT / "bench" / "riverside.yaml"), "--jobs", jobs,
        ]  # fmt: skip
    script = {"rl_form": "rl_form.py", "rl_platypus": "rl_platypus.py", "typst": "typst_bench.py"}
    return [PY, str(PEERS / script[impl]), str(csv_path), str(out)]


def timed(
    cmd: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None
) -> dict[str, float]:
    tf = log.with_suffix(".time")
    t0 = time.perf_counter()
    with log.open("w") as fh:
        rc = subprocess.run(
            ["/usr/bin/time", "-v", "-o", str(tf), *cmd], cwd=cwd, stdout=fh, stderr=fh, env=env
        ).returncode
    wall = time.perf_counter() - t0
    t = tf.read_text()

    def g(pat: str) -> float:
        m = re.search(pat, t)
        return float(m.group(1)) if m else float("nan")

    return {
        "rc": rc,
        "wall": wall,
        "cpu": g(r"User time \(seconds\): (\S+)") + g(r"System time \(seconds\): (\S+)"),
        "rss_mb": g(r"Maximum resident set size \(kbytes\): (\d+)") / 1024,
    }


def pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else -1


def page_text(pdf: Path, page: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
    ).stdout
    return " ".join(out.replace("\u2019", "'").split())


def check_files(folder: Path, rows: list[dict[str, str]]) -> tuple[int, str]:
    """``--out-dir``: one file per row, the first and last recipients printed as in the CSV."""
    files = sorted(folder.glob("*.pdf"))
    problems = [] if len(files) == len(rows) else [f"files={len(files)}"]
    for idx in (0, len(rows) - 1):
        r, t = rows[idx], page_text(files[idx], 1) if idx < len(files) else ""
        if f"{r['first_name']} {r['last_name']}" not in t or f"Dear {r['first_name']}," not in t:
            problems.append(f"file {idx + 1} missing its recipient")
    n = sum(pages(f) for f in (files[0], files[-1])) * len(files) // 2 if files else 0
    return n, "OK" if not problems else "FAIL: " + "; ".join(problems)


def check(impl: str, pdf: Path, rows: list[dict[str, str]]) -> tuple[int, str]:
    """Page count and the first and last recipients printed as in the CSV."""
    if impl in ("product-outdir", "outdir-before"):  # (the last rep's files)
        last = max(pdf.parent.glob("rep*/files"), key=lambda f: int(f.parent.name[3:]))
        return check_files(last, rows)
    n = pages(pdf)
    product = impl.startswith("product") or impl in ("merged-before", "personal-unique-before")
    per = 2 if product else 1  # the product's letter is 2 pages at 12 pt
    problems = []
    if n != per * len(rows):
        problems.append(f"pages={n}")
    for idx, page in ((0, 1), (len(rows) - 1, per * (len(rows) - 1) + 1)):
        r = rows[idx]
        t = page_text(pdf, page)
        for s in (f"{r['first_name']} {r['last_name']}", f"{r['city']}, {r['state']} {r['zip']}",
                  f"Dear {r['first_name']},"):  # fmt: skip
            if s not in t:
                problems.append(f"p{page} missing {s!r}")
        personal = impl.startswith("product-personal") or impl == "personal-unique-before"
        if personal and f"Thank you, {r['first_name']}, for" not in t:
            problems.append(f"p{page} missing the personal sentence")
        if impl == "product-follow-up" and f"on {FOLLOW_UP_DATE}." not in t:
            problems.append(f"p{page} missing the visit date")
    return n, "OK" if not problems else "FAIL: " + "; ".join(problems)


def marginal_lines(
    summary: dict[tuple[str, int], dict[str, float] | None], ns: list[int]
) -> list[str]:
    """Issue 15.2's measure: each letter's marginal CPU, (CPU(N2) − CPU(N1)) / (N2 − N1)
    between the smallest and largest N, and personal / plain by it (with
    ``personal-unique-before``: the earlier checkout's beside this one's)."""
    if len(ns) < 2:
        return []
    lo, hi = min(ns), max(ns)

    def marginal(impl: str) -> float | None:
        a, b = summary.get((impl, lo)), summary.get((impl, hi))
        return (b["cpu"] - a["cpu"]) / (hi - lo) if a and b else None

    plain = marginal("product")
    impls = ("product", "product-personal", "product-personal-unique", "personal-unique-before")
    got = [(impl, m) for impl in impls if (m := marginal(impl)) is not None]
    if not plain or len(got) < 2:
        return []
    title = f"Marginal CPU per letter, (CPU({hi:,}) − CPU({lo:,})) / {hi - lo:,} (issue 15.2):"
    lines = ["", title, "", "| implementation | µs a letter | / plain |", "|---|---:|---:|"]
    lines += [f"| {impl} | {m * 1e6:.0f} | {m / plain:.2f}x |" for impl, m in got]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--ns", default="1000 10000", help="recipient counts run by every impl")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument(
        "--outdir-ns", default="1000 5000", help="N run as --out-dir and --merged ('': none)"
    )
    ap.add_argument("--big", type=int, default=100000, help="product-only N (0: skip)")
    ap.add_argument("--big-reps", type=int, default=1, help="runs at the product-only N")
    ap.add_argument(  # --out-dir runs at --outdir-ns only
        "--impls", default=" ".join(i for i in IMPLS if i != "product-outdir")
    )
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--write-readme", action="store_true")
    ap.add_argument(
        "--peers",
        type=Path,
        default=DEFAULT_PEERS,
        help="the peers' folder (make_recipients.py, rl_form.py, …); default: $PEERS, else "
        "../shared/bench/peers beside the checkout",
    )
    ap.add_argument(
        "--outdir-before",
        type=Path,
        default=None,
        help="a checkout of an earlier commit: its `batch --out-dir` (outdir-before) and, "
        "with merged-before or personal-unique-before in --impls, its `--merged` run (plain, "
        "or personal with every first name different) beside this one's",
    )
    ap.add_argument("--cold-reps", type=int, default=11, help="runs of each cold command")
    ap.add_argument(
        "--cold-only",
        action="store_true",
        help="only the cold-command rows (with --outdir-before, TREE's cold commands beside)",
    )
    ap.add_argument("--no-cold", action="store_true", help="no cold-command rows")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="hp-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    global PEERS, BEFORE
    PEERS = args.peers.resolve()
    BEFORE = args.outdir_before.resolve() if args.outdir_before else None
    cold = None if args.no_cold else cold_rows(work, args.cold_reps)
    if args.cold_only:
        assert cold is not None, "--cold-only with --no-cold: nothing to run"
        finish(work, "", cold, args.write_readme)
        return
    if not (PEERS / "make_recipients.py").is_file():
        sys.exit(f"--peers {args.peers}: no make_recipients.py there (the peers' folder)")
    print(compile_bytecode(), file=sys.stderr)  # (the batch rows too: as an installed package)
    ns = [int(x) for x in args.ns.split()]
    impls = args.impls.split()
    try:
        import typst  # noqa: F401
    except ImportError:
        print("typst is not installed (pip install typst): skipping it", file=sys.stderr)
        impls = [i for i in impls if i != "typst"]

    outdir_ns = [int(x) for x in args.outdir_ns.split()]
    all_ns = sorted(set(ns + outdir_ns + ([args.big] if args.big else [])))
    csvs = {}
    for n in all_ns:
        p = work / f"recipients_{n}.csv"
        with p.open("w", encoding="utf-8", newline="") as fh:
            subprocess.run([PY, str(PEERS / "make_recipients.py"), str(n)], stdout=fh, check=True)
        csvs[n] = p

    raw = []
    plan = [(rep, n, impl) for rep in range(1, args.reps + 1) for n in ns for impl in impls]
    for rep in range(1, args.reps + 1):  # --out-dir beside --merged, interleaved the same way
        for n in outdir_ns:
            plan += [(rep, n, "product-outdir")] + ([(rep, n, "product")] if n not in ns else [])
            plan += [(rep, n, "outdir-before")] if BEFORE is not None else []
    plan.sort(key=lambda p: p[0])  # rep → N → impl
    if args.big:
        for rep in range(1, args.big_reps + 1):
            plan += [(rep, args.big, "product"), (rep, args.big, "product-jobs2")]
    outdirs = ("product-outdir", "outdir-before")
    for rep, n, impl in plan:
        out = work / f"out_{impl}_{n}" / "mailing.pdf"
        if impl in outdirs:  # each rep's files in a folder of their own, removed after the
            # last rep: on this machine's ext4, 5,000 files made right after 5,000 were
            # deleted cost 2.4-3.1 s of kernel time in open() against 0.8 s in a fresh
            # folder (the deletion's cost, paid by whatever writes next; bench/README.md)
            out = out.parent / f"rep{rep}" / "mailing.pdf"
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.exists():
            out.unlink()
        shutil.rmtree(out.parent / "files", ignore_errors=True)
        cmd = command(impl, csvs[n], out, work)
        cwd = BEFORE if impl.endswith("-before") and BEFORE is not None else ROOT
        r = timed(cmd, cwd, work / f"log_{impl}_{n}_{rep}.txt")
        r.update(impl=impl, n=n, rep=rep)
        raw.append(r)
        print(f"{impl:14} N={n:<7} rep {rep}: {r['wall']:.2f} s, {r['cpu']:.2f} s CPU, "
              f"{r['rss_mb']:.0f} MB, rc={r['rc']}, load {os.getloadavg()[0]:.2f}",
              flush=True)  # fmt: skip

    with (work / "raw.csv").open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["impl", "n", "rep", "rc", "wall", "cpu", "rss_mb"])
        w.writeheader()
        w.writerows(raw)

    rows_cache: dict[tuple[int, bool], list[dict[str, str]]] = {}
    summary = {}
    for impl in dict.fromkeys(r["impl"] for r in raw):
        for n in sorted({r["n"] for r in raw if r["impl"] == impl}):
            rs = [r for r in raw if r["impl"] == impl and r["n"] == n and r["rc"] == 0]
            if not rs:
                summary[(impl, n)] = None
                continue
            unique = impl in ("product-personal-unique", "personal-unique-before")
            if (n, unique) not in rows_cache:
                src = unique_recipients(csvs[n], work) if unique else csvs[n]
                with src.open(encoding="utf-8", newline="") as fh:
                    rows_cache[(n, unique)] = list(csv.DictReader(fh))
            pdf = work / f"out_{impl}_{n}" / "mailing.pdf"
            npages, verdict = check(impl, pdf, rows_cache[(n, unique)])
            wall = statistics.median(r["wall"] for r in rs)
            summary[(impl, n)] = {
                "runs": len(rs),
                "wall": wall,
                "letters_s": n / wall,
                "pages_s": npages / wall,
                "cpu": statistics.median(r["cpu"] for r in rs),
                "rss": max(r["rss_mb"] for r in rs),
                "pages": npages,
                "check": verdict,
            }
    for folder in work.glob("out_*/rep*"):  # all but the last rep's files (the check's)
        if folder.name != f"rep{args.reps}":
            shutil.rmtree(folder, ignore_errors=True)

    lines = [
        "| implementation | N | runs | median wall s | letters/s | pages/s | median CPU s "
        "| peak RSS MB | pages | check |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for (impl, n), s in sorted(
        summary.items(),
        key=lambda kv: (kv[0][1], list(IMPLS).index(kv[0][0])),
    ):
        if s is None:
            lines.append(f"| {impl} | {n} | 0 | failed | | | | | | |")
            continue
        lines.append(
            f"| {impl} | {n} | {s['runs']} | {s['wall']:.2f} | {s['letters_s']:,.0f} | "
            f"{s['pages_s']:,.0f} | {s['cpu']:.2f} | {s['rss']:.0f} | {s['pages']:,} | "
            f"{s['check']} |"
        )
    ratio_lines = [
        "",
        "| N | product / rl_form (pages/s) | product / rl_form (letters/s) "
        "| product / Typst (pages/s) | jobs 2 / rl_form (pages/s) "
        "| jobs 2 / rl_form (letters/s) | personal / rl_platypus (letters/s) "
        "| out-dir / merged (letters/s) | personal / plain (CPU) "
        "| personal, names all different / plain (CPU) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sorted(set(ns + outdir_ns)):
        p1, p2 = summary.get(("product", n)), summary.get(("product-jobs2", n))
        rf, ty = summary.get(("rl_form", n)), summary.get(("typst", n))
        pp, rp = summary.get(("product-personal", n)), summary.get(("rl_platypus", n))
        od = summary.get(("product-outdir", n))
        pu = summary.get(("product-personal-unique", n))

        def ratio(a, b, key):  # type: ignore[no-untyped-def]
            return f"{a[key] / b[key]:.2f}x" if a and b else "-"

        ratio_lines.append(
            f"| {n} | {ratio(p1, rf, 'pages_s')} | {ratio(p1, rf, 'letters_s')} | "
            f"{ratio(p1, ty, 'pages_s')} | {ratio(p2, rf, 'pages_s')} | "
            f"{ratio(p2, rf, 'letters_s')} | {ratio(pp, rp, 'letters_s')} | "
            f"{ratio(od, p1, 'letters_s')} | {ratio(pp, p1, 'cpu')} | {ratio(pu, p1, 'cpu')} |"
        )
    if BEFORE is not None and any(("merged-before", n) in summary for n in ns):
        ratio_lines += [
            "",
            f"`--merged` of this checkout (`product`) against `merged-before` ({BEFORE.name}):",
            "",
            "| N | product / merged-before (letters/s) | merged-before / product (CPU) |",
            "|---:|---:|---:|",
        ]
        for n in ns:
            now, old = summary.get(("product", n)), summary.get(("merged-before", n))
            if now and old:
                ratio_lines.append(
                    f"| {n} | {now['letters_s'] / old['letters_s']:.2f}x | "
                    f"{old['cpu'] / now['cpu']:.2f}x |"
                )
    ratio_lines += marginal_lines(summary, ns)
    if BEFORE is not None and outdir_ns:  # `--out-dir` before and after, side by side
        ratio_lines += [
            "",
            f"`--out-dir` of this checkout against `outdir-before` ({BEFORE.name}):",
            "",
            "| N | files/s now | files/s before | now / before (files/s) "
            "| CPU s now | CPU s before | before / now (CPU) |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for n in outdir_ns:
            now, old = summary.get(("product-outdir", n)), summary.get(("outdir-before", n))
            if now and old:
                ratio_lines.append(
                    f"| {n} | {now['letters_s']:,.0f} | {old['letters_s']:,.0f} | "
                    f"{now['letters_s'] / old['letters_s']:.2f}x | {now['cpu']:.2f} | "
                    f"{old['cpu']:.2f} | {old['cpu'] / now['cpu']:.2f}x |"
                )
    table = "\n".join(lines + ratio_lines)
    versions = f"python {sys.version.split()[0]}"
    for dist in ("reportlab", "rl_accel", "typst"):
        try:
            versions += f" | {dist} {importlib.metadata.version(dist)}"
        except importlib.metadata.PackageNotFoundError:
            versions += f" | {dist} not installed"
    header = (
        f"Run of {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} on {os.cpu_count()} cores; "
        f"{versions}; load average before: {os.getloadavg()[0]:.2f}"
    )
    finish(work, header + "\n\n" + table, cold, args.write_readme)


def run_header() -> str:
    versions = f"python {sys.version.split()[0]}"
    for dist in ("reportlab", "rl_accel", "pydantic", "textstat"):
        try:
            versions += f" | {dist} {importlib.metadata.version(dist)}"
        except importlib.metadata.PackageNotFoundError:
            versions += f" | {dist} not installed"
    return (
        f"Run of {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} on {os.cpu_count()} cores; "
        f"{versions}; load average before: {os.getloadavg()[0]:.2f}"
    )


def compile_bytecode() -> str:
    """Compile the checkout's modules to bytecode (``__pycache__``) before the cold rows, as
    an installed package is (pip compiles what it installs) and as a checkout's first run
    leaves them. Where ``PYTHONDONTWRITEBYTECODE`` is set (this session's machines), nothing
    writes them otherwise, and every cold command compiled the engine's ~90 modules from
    source again: 0.06-0.1 s of each run that no user's second run pays. Says which."""
    if os.environ.get("PYTHONDONTWRITEBYTECODE") and not os.environ.get("HP_BENCH_NO_COMPILE"):
        for tree in (ROOT, *([BEFORE] if BEFORE is not None else [])):
            subprocess.run([PY, "-m", "compileall", "-q", str(tree / "handoutpress")], check=True)
        return "handoutpress compiled to bytecode first (PYTHONDONTWRITEBYTECODE is set)"
    if os.environ.get("HP_BENCH_NO_COMPILE"):
        return "bytecode as found (HP_BENCH_NO_COMPILE)"
    return "bytecode written by the first run"


@functools.cache
def before_label() -> str:
    """The ``--outdir-before`` checkout as the tables name it: its commit, else its folder."""
    assert BEFORE is not None
    head = subprocess.run(
        ["git", "-C", str(BEFORE), "rev-parse", "--short=7", "HEAD"], capture_output=True, text=True
    )
    return head.stdout.strip() if head.returncode == 0 else BEFORE.name


def cold_commands() -> list[tuple[str, list[str], float | None, Path]]:
    """The cold commands to run: (row name, argv after python, issue 15.4's target, folder to
    run in). With ``--outdir-before TREE``, TREE's own ``check`` and personal sheet too (its
    generate.py, in its folder: its own handouts), so that 15.4's "halved" is a ratio of two
    runs on the same machine in the same minutes."""
    rows = [(name, argv, target, ROOT) for name, argv, target in COLD]
    if BEFORE is not None:
        for name, argv, _ in COLD[:-1]:
            before = [str(BEFORE / "generate.py"), *argv[1:]]
            rows.insert(-1, (f"{name} ({before_label()})", before, None, BEFORE))
        name, files = same_handouts()
        rows.insert(-1, (name, [str(ROOT / "generate.py"), "check", *files], None, ROOT))
    return rows


@functools.cache
def same_handouts() -> tuple[str, list[str]]:
    """The row of this checkout's ``check`` of only the handout files the ``--outdir-before``
    checkout shipped (those this one still has), and those files: the same handouts as that
    checkout's ``check`` where handouts were added since (fef6051 shipped 4 of today's 6)."""
    assert BEFORE is not None
    names = sorted(h.name for h in BEFORE.glob("handouts/*.yaml"))
    files = [str(ROOT / "handouts" / n) for n in names if (ROOT / "handouts" / n).is_file()]
    return f"check, the {len(files)} handouts {before_label()} shipped", files


#: Issue 15.4's own before → after, measured at fef6051 on its machine: check 1.47 s → 0.6 s,
#: the personal sheet 0.48 s → 0.35 s; as speed-ups, the ratio each before row should show.
COLD_SPEEDUP = {"check, all handouts": 1.47 / 0.6, "personal sheet, cold": 0.48 / 0.35}


def cold_rows(work: Path, reps: int) -> str:
    """Each cold command ``reps`` times, interleaved (rep → command) so that a shared machine's
    noise falls on all of them; median wall and CPU, the ratio to the ReportLab script, and
    (with ``--outdir-before``) each command's speed-up over the earlier checkout's."""
    header = run_header() + "; " + compile_bytecode()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795737600"}
    commands = cold_commands()
    runs: dict[str, list[dict[str, float]]] = {name: [] for name, _, _, _ in commands}
    for rep in range(1, reps + 1):
        for row, (name, argv, _, cwd) in enumerate(commands):
            out = work / "cold.pdf"
            cmd = [PY, *(a.replace("{out}", str(out)) for a in argv)]
            log = work / f"log_cold_{row}_{len(runs[name])}.txt"
            r = timed(cmd, cwd, log, env=env)
            if r["rc"] != 0:
                sys.exit(f"{name}: exit {r['rc']} (log: {log})")
            runs[name].append(r)
        print(f"cold rep {rep}: " + ", ".join(f"{n} {runs[n][-1]['wall']:.2f} s" for n in runs),
              flush=True)  # fmt: skip
    ref_name = COLD[-1][0]
    ref_wall = statistics.median(r["wall"] for r in runs[ref_name])
    ref_cpu = statistics.median(r["cpu"] for r in runs[ref_name])
    lines = [
        header,
        "",
        "| cold command (fresh process) | runs | median wall s | median CPU s | wall / ReportLab "
        "one page | CPU / ReportLab one page | target (issue 15.4) |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, _, target, _ in commands:
        wall = statistics.median(r["wall"] for r in runs[name])
        cpu = statistics.median(r["cpu"] for r in runs[name])
        aim = f"≤ {target:.2f} s" if target else "(reference)" if name == ref_name else ""
        lines.append(
            f"| {name} | {len(runs[name])} | {wall:.3f} | {cpu:.3f} | {wall / ref_wall:.1f}x "
            f"| {cpu / ref_cpu:.1f}x | {aim} |"
        )
    if BEFORE is not None:
        lines += [
            "",
            f"Speed-up over {before_label()} (its median / this checkout's; the issue's own "
            "before → after as the aim):",
            "",
            "| this checkout | against | wall | CPU | the issue's aim |",
            "|---|---|---:|---:|---:|",
        ]
        pairs = [(name, name, aim) for name, aim in COLD_SPEEDUP.items()]
        check = "check, all handouts"
        pairs.insert(1, (same_handouts()[0], check, COLD_SPEEDUP[check]))
        for name, before, aim in pairs:
            against = f"{before} ({before_label()})"
            now, old = runs[name], runs[against]
            ratio = {
                k: statistics.median(r[k] for r in old) / statistics.median(r[k] for r in now)
                for k in ("wall", "cpu")
            }
            wall, cpu = ratio["wall"], ratio["cpu"]
            lines.append(f"| {name} | {against} | {wall:.2f}x | {cpu:.2f}x | ≥ {aim:.2f}x |")
    return "\n".join(lines)


def finish(work: Path, mailing: str, cold: str | None, write_readme: bool) -> None:
    for text in (mailing, cold):
        if text:
            print()
            print(text)
    (work / "results.md").write_text("\n\n".join(t for t in (mailing, cold) if t) + "\n")
    print(f"\nraw results: {work}")
    if not write_readme:
        return
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text(encoding="utf-8")
    for marker, block in (("results", mailing), ("cold", cold)):
        if not block:
            continue
        start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
        assert start in text and end in text, f"bench/README.md has no {start} … {end}"
        new = f"{start}\n{block}\n{end}"
        pattern = re.escape(start) + r".*?" + re.escape(end)
        text = re.sub(pattern, lambda _, b=new: b, text, flags=re.S)
    readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
