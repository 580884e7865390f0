"""Run ../shared/tools/pdfcheck/validate_ua.sh on every tagged file the shipped content makes
(a person's check, not a test: about 2 s of CPU a file, 45 files).

    .venv/bin/python tests/validate_shipped_tagged.py [OUT_DIR]

Builds with the command line into OUT_DIR (default: a new temporary folder), with
SOURCE_DATE_EPOCH fixed: every shipped handout and translation in every office layout
(tri-fold and sheet, Letter and A4, letter) and in large print; a personal sheet and personal
large print (``--set``); the staff copies; two ``batch --out-dir`` letters (``--proof``: the
sample brand); and a front-desk visit file of three handouts. Prints one line a file (``ok`` or
``FAILED`` and the checker's complaint) and exits 1 if any file fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.tagcheck import PDFCHECK, pdfjs_dist  # noqa: E402

LAYOUTS = ["trifold", "trifold-a4", "sheet", "sheet-a4", "letter"]
CSV = (
    "First Name,Last Name,Street,City,State,ZIP,Language\n"
    "Ana,Ruiz,1 Main St,Escondido,CA,92025,\n"
    "José,Muñoz,2 Elm St,Escondido,CA,92025,es\n"
)


def cli(*args: str) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1780000000"}
    res = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    if res.returncode != 0:
        sys.exit(f"generate.py {' '.join(args)}: {res.stderr.strip()}")


def build_all(out: Path) -> list[Path]:
    ids = sorted(p.stem for p in (ROOT / "handouts").glob("*.yaml"))
    for layout in LAYOUTS:
        cli("build", *ids, "--layout", layout, "--out-dir", str(out / "office"))
    cli("build", *ids, "--large-print", "--out-dir", str(out / "large"))
    cli("build", *ids, "--staff-copy", "--out-dir", str(out / "staff"))
    personal = ["--set", "patient.name=Ana Ruiz", "--set", "visit.date=2026-11-27"]
    cli("build", "tpi-aftercare", *personal, "-o", str(out / "personal-sheet.pdf"))
    cli("build", "tpi-aftercare.es", "--large-print", *personal, "-o", str(out / "p-large.pdf"))
    (out / "r.csv").write_text(CSV, encoding="utf-8")
    cli("batch", "tpi-aftercare", "--recipients", str(out / "r.csv"), "--out-dir",
        str(out / "batch"), "--proof")  # fmt: skip
    visit(out)
    return sorted(out.rglob("*.pdf"))


def visit(out: Path) -> None:
    """A front-desk visit file (handoutpress.visitpdf): a sheet, a Spanish tri-fold and large
    print, each on new sheets of paper."""
    import pikepdf

    from handoutpress.visitpdf import Page, join_tagged

    parts = [
        out / "office" / "tpi-aftercare-sheet.pdf",
        out / "office" / "trigger-point-injections.es-trifold.pdf",
        out / "large" / "tpi-aftercare-large-print.pdf",
    ]
    pages: list[Page] = []
    for i, part in enumerate(parts):
        with pikepdf.open(part) as pdf:
            pages += [Page(i, k) for k in range(len(pdf.pages))]
    joined = join_tagged([p.read_bytes() for p in parts], pages, "Visit handouts")
    (out / "visit.pdf").write_bytes(joined)


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="ua-"))
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PDFJS_DIST": pdfjs_dist(), "PYTHON": sys.executable}
    failed = 0
    files = build_all(out)
    for pdf in files:
        res = subprocess.run(
            ["sh", str(PDFCHECK / "validate_ua.sh"), str(pdf)],
            capture_output=True,
            text=True,
            env=env,
        )
        bad = [ln.strip() for ln in res.stdout.splitlines() if "FAIL" in ln or "DIFFERS" in ln]
        failed += res.returncode != 0
        verdict = "ok" if res.returncode == 0 else f"FAILED {'; '.join(bad)[:200]}"
        print(f"{pdf.relative_to(out)}: {verdict}")
    print(f"{len(files) - failed} of {len(files)} files pass validate_ua.sh ({out})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
