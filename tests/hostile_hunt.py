"""Hunt for hostile values that escape the clean-error contract (not a test: a script).

Builds a copy of the shipped content with one hostile value at a time (in the title, a
section's body, a list item, a field's label, ``--set patient.name``, a batch CSV cell or
the brand's name) and says of each run: exit != 0 => located lines, no "internal error", no
traceback, nothing written, no patient value echoed; exit 0 => every PDF passes qpdf --check.
Session 6 ran it (the CHANGELOG's "Hostile content, session 6" lists what it found); run
``python -m tests.hostile_hunt [TARGETS [VALUES]]`` (comma-separated names) from the root.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.conftest import ROOT, copy_shipped, run_cli

SECRET = "Zq9Secret"


def nested_list(n):
    return "\n".join("  " * i + "* x" for i in range(n))


def nested_ol(n):
    return "\n".join("   " * i + "1. x" for i in range(n))


VALUES: dict[str, str] = {
    "quote5000": ">" * 5000 + " x",
    "quote-lines": "\n".join(">" * i + " x" for i in range(1, 300)),
    "list1000": nested_list(1000),
    "olist500": nested_ol(500),
    "brackets5000": "[" * 5000 + "x",
    "links": "[x](" * 3000,
    "images": "![x](" * 3000,
    "parens10000": "(" * 10000,
    "braces3000": "{" * 3000,
    "emph": "*_" * 5000 + "x",
    "backticks": "`" * 10000,
    "lt": "<" * 10000 + "b>",
    "amp": "&#" * 5000 + "x;",
    "word1mb": "a" * 1_000_000,
    "lines100k": "x\n" * 100_000,
    "control": "a\x00b\x01\x07\x1b[31mc\x7f\x85d\u2028e",
    "rtl": "\u202eevil\u202c \u2066x\u2069 \u200f",
    "surrogate": "a\ud800b",
    "loop1e9": "{% for i in range(10**9) %}x{% endfor %}",
    "loops-nested": "{% for i in range(10000) %}{% for j in range(10000) %}x"
    "{% endfor %}{% endfor %}",
    "pow999": "{{ 9**9**9 }}",
    "strmul": "{{ 'x' * 10**9 }}",
    "icon-deep": "{icon:" * 3000,
    "tabs-deep": "\t" * 10000 + "x",
    "zwj": "\u200d" * 100000,
    "combining": "a" + "\u0301" * 100000,
}


def yq(s: str) -> str:
    return json.dumps(s)  # a YAML double-quoted scalar


def run_target(proj: Path, target: str, value: str):
    hp = proj / "handouts" / "tpi-aftercare.yaml"
    text = hp.read_text()
    out = proj / "out"
    args = ["build", "tpi-aftercare", "--out-dir", str(out)]
    if target == "title":
        text = text.replace("title: After Your Trigger Point Injections", "title: " + yq(value))
    elif target == "body":
        old = text[text.index("      Very rarely") : text.index("  - heading: The medicine")]
        text = text.replace(old, "\n".join("      " + line for line in value.split("\n")) + "\n\n")
    elif target == "item":
        item = "".join(
            ("      - " if i == 0 else "        ") + line + "\n"
            for i, line in enumerate(value.split("\n"))
        )
        text = text.replace("      - Sudden trouble breathing.\n", item)
    elif target == "label":
        text = text.replace("label: Patient}", "label: " + yq(value) + "}")
    elif target == "set":
        args += ["--set", "patient.name=" + value]
    elif target == "brand":
        bp = proj / "layouts" / "brands" / "palomar.yaml"
        bp.write_text(bp.read_text().replace("name: Palomar Spine & Pain", "name: " + yq(value)))
    elif target == "csv":
        csv = proj / "r.csv"
        src = (ROOT / "docs" / "examples" / "follow-up-recipients.csv").read_text().splitlines()
        cell = '"' + value.replace('"', '""') + '"'
        src[2] = src[2].replace("Pat,", cell + ",", 1)
        csv.write_text("\n".join(src) + "\n", errors="surrogatepass")
        args = [
            "batch",
            "tpi-follow-up",
            "--recipients",
            str(csv),
            "--merged",
            str(out / "m.pdf"),
            "--proof",
        ]
    hp.write_text(text, errors="surrogatepass")
    t = time.time()
    try:
        res = run_cli(*args, cwd=proj, timeout=120)
    except subprocess.TimeoutExpired:
        return "TIMEOUT", time.time() - t
    return res, time.time() - t


def located(line: str) -> bool:
    """``path:line[:col]: …`` or ``--set NAME: …`` (an option's value)."""
    return bool(re.match(r"(\S+\.(yaml|csv):\d+(:\d+)?: |--set \S+: |\S+\.yaml: )", line))


def judge(target: str, name: str, res, proj: Path) -> str:
    out = proj / "out"
    err = res.stderr
    bad = []
    lines = [line for line in err.splitlines() if line.strip()]
    if "Traceback" in err:
        bad.append("traceback")
    if "internal error" in err:
        bad.append("INTERNAL")
    if any(len(line) > 400 for line in lines):
        bad.append("long line (value echoed?)")
    if target in ("set", "csv") and (SECRET in err or SECRET in res.stdout):
        bad.append("patient value echoed")
    files = sorted(p for p in out.rglob("*") if p.is_file()) if out.exists() else []
    pdfs = [p for p in files if p.suffix == ".pdf"]
    if res.returncode == 0 or (target == "csv" and res.returncode == 3):
        for p in pdfs:
            q = subprocess.run(["qpdf", "--check", str(p)], capture_output=True, text=True)
            if q.returncode != 0:
                bad.append(f"qpdf {p.name}: {q.stdout[-200:]}")
        if not pdfs:
            bad.append("no pdf")
    else:
        if target != "csv" and any(not located(line) for line in lines):
            bad.append("a line not located")
        if files:
            bad.append(f"wrote {[p.name for p in files]}")
    first = lines[0][:160] if lines else ""
    return f"exit {res.returncode} {'OK' if not bad else 'BAD ' + '; '.join(bad)} | {first}"


def main() -> None:
    targets = (
        sys.argv[1].split(",")
        if len(sys.argv) > 1
        else ["title", "body", "item", "label", "set", "csv", "brand"]
    )
    names = sys.argv[2].split(",") if len(sys.argv) > 2 else list(VALUES)
    base = copy_shipped(Path(tempfile.mkdtemp()) / "proj")
    for target in targets:
        for name in names:
            value = VALUES[name]
            if target in ("set", "csv"):
                value = SECRET + value
            proj = Path(tempfile.mkdtemp()) / "p"
            shutil.copytree(base, proj)
            try:
                res, took = run_target(proj, target, value)
                verdict = "TIMEOUT" if res == "TIMEOUT" else judge(target, name, res, proj)
            except Exception as exc:
                verdict, took = "HUNT-ERROR " + repr(exc)[:200], 0
            print(f"{target:6} {name:14} {took:5.1f}s {verdict}", flush=True)
            shutil.rmtree(proj.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
