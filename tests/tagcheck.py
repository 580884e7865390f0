"""Reading tagged PDFs back with engines nobody on the team wrote (for tests/test_tagged.py).

The checkers live in ``../shared/tools/pdfcheck/`` (written outside the project, each shown to
fail on files broken on purpose); this module only runs them and parses poppler's
``pdfinfo -struct-text``. A missing checker or engine fails the test, never skips it.
"""

from __future__ import annotations

import atexit
import dataclasses
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from handoutpress.build import Plan
from handoutpress.compose import Composed
from handoutpress.markdown import Para, paragraphs, plain_text
from tests.conftest import EPOCH
from tests.pdfcheck import tool

ROOT = Path(__file__).resolve().parent.parent
PDFCHECK = ROOT.parent / "shared" / "tools" / "pdfcheck"
#: where .ci/run installs pdf.js (pdfjs-dist 5) for compare_readers.py; PDFJS_DIST overrides
PDFJS_DEFAULT = Path.home() / ".cache" / "handoutpress-pdfjs" / "node_modules" / "pdfjs-dist"


@contextmanager
def fixed_date() -> Iterator[None]:
    """SOURCE_DATE_EPOCH fixed while a module-scoped fixture renders (no ``monkeypatch``
    there), so its PDFs are those the references and the other modules make."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    try:
        yield
    finally:
        mp.undo()


def untagged_plan(work: Plan) -> Plan:
    """The same plan with tagging off: its pages are what the tagged ones must look like."""
    return dataclasses.replace(work, options=dataclasses.replace(work.options, tagged=False))


def pdfjs_dist() -> str:
    path = Path(os.environ.get("PDFJS_DIST") or PDFJS_DEFAULT)
    assert (path / "package.json").is_file(), f"pdf.js not installed at {path} (see .ci/run)"
    return str(path)


def run_checker(script: str, pdf: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``../shared/tools/pdfcheck/SCRIPT PDF ARGS`` with this Python (it has pikepdf,
    pdfminer, pdfplumber and pypdfium2)."""
    path = PDFCHECK / script
    assert path.is_file(), f"outside checker missing: {path}"
    env = {**os.environ, "PDFJS_DIST": pdfjs_dist()}
    return subprocess.run(
        [sys.executable, str(path), str(pdf), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@dataclass
class Elem:
    """One element of the structure tree as poppler reads it."""

    role: str
    kids: list[Elem] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def text(self, skip: frozenset[str] = frozenset({"Lbl"})) -> str:
        """All text under this element in tree order, elements whose role is in ``skip`` left
        out, white space runs made one space."""
        parts = list(self.texts)
        for kid in self.kids:
            if kid.role not in skip:
                parts.append(kid.text(skip))
        return " ".join(" ".join(parts).split())

    def find(self, role: str) -> list[Elem]:
        out = [self] if self.role == role else []
        for kid in self.kids:
            out.extend(kid.find(role))
        return out


_LINE = re.compile(r'^( *)(?:"(.*)"|(\w+)(?: \(\w+\))?.*)$')


def poppler_tree(pdf: Path) -> Elem:
    """The structure tree from ``pdfinfo -struct-text`` (indentation is nesting)."""
    out = subprocess.run(
        [tool("pdfinfo"), "-struct-text", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    top = Elem("(root)")
    stack: list[tuple[int, Elem]] = [(-1, top)]
    for line in out.splitlines():
        m = _LINE.match(line)
        if not m or not line.strip():
            continue
        indent = len(m.group(1))
        while stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1]
        if m.group(2) is not None:
            parent.texts.append(m.group(2))
        else:
            elem = Elem(m.group(3))
            parent.kids.append(elem)
            stack.append((indent, elem))
    assert len(top.kids) == 1 and top.kids[0].role == "Document", out[:300]
    return top.kids[0]


def _compare_readers() -> Any:
    """../shared/tools/pdfcheck/compare_readers.py as a module (its readers)."""
    if str(PDFCHECK) not in sys.path:
        sys.path.insert(0, str(PDFCHECK))
    import compare_readers  # type: ignore[import-not-found]

    return compare_readers


#: the node process of tests/pdfjs_reader.mjs this test process reads with (see via_pdfjs)
_PDFJS: list[subprocess.Popen[str]] = []
#: files one node process reads before a new one starts (each file's module stays loaded)
PDFJS_FILES_PER_PROCESS = 40
_pdfjs_files = 0


def _stop_pdfjs() -> None:
    while _PDFJS:
        proc = _PDFJS.pop()
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=60)


def via_pdfjs(pdf: Path) -> list[dict[str, Any]]:
    """What compare_readers.py's ``via_pdfjs`` gives (read_pdfjs.mjs's ``--json`` rows that
    hold content or alt text), read_pdfjs.mjs run unchanged by one node process per test
    process (tests/pdfjs_reader.mjs) instead of a node start and a pdf.js load per file
    (test_pdfjs_in_one_process_reads_as_the_script_does: the same rows)."""
    global _pdfjs_files
    if _PDFJS and (_PDFJS[0].poll() is not None or _pdfjs_files >= PDFJS_FILES_PER_PROCESS):
        _stop_pdfjs()
    if not _PDFJS:
        if not hasattr(_stop_pdfjs, "registered"):
            atexit.register(_stop_pdfjs)
            _stop_pdfjs.registered = True  # type: ignore[attr-defined]
        reader = Path(__file__).with_name("pdfjs_reader.mjs")
        _PDFJS.append(
            subprocess.Popen(
                [tool("node"), str(reader), str(PDFCHECK / "read_pdfjs.mjs")],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env={**os.environ, "PDFJS_DIST": pdfjs_dist()},
            )
        )
        _pdfjs_files = 0
    proc = _PDFJS[0]
    assert proc.stdin is not None and proc.stdout is not None
    path = str(Path(pdf).resolve())
    assert "\n" not in path, path
    proc.stdin.write(path + "\n")
    proc.stdin.flush()
    _pdfjs_files += 1
    line = proc.stdout.readline()
    assert line, f"pdf.js reader exited {proc.poll()} reading {pdf}"
    answer = json.loads(line)
    assert "error" not in answer, f"read_pdfjs.mjs failed on {pdf}: {answer['error']}"
    rows: list[dict[str, Any]] = json.loads(answer["stdout"])["lines"]
    return [ln for ln in rows if ln["ids"] or ln["alt"]]


@dataclass
class Readings:
    """One file as compare_readers.py reads it: its reference rows (a pikepdf walk of the
    tree, pdfminer's text per MCID) and each engine's rows."""

    reference: list[dict[str, Any]]
    engines: dict[str, list[dict[str, Any]]]


def read_tags(pdf: Path) -> Readings:
    """Every reader of compare_readers.py on ``pdf``, each once (pdfminer's characters read
    once for the reference and for pdfminer's own reading; pdf.js in this process's one
    node, :func:`via_pdfjs`)."""
    cr = _compare_readers()
    texts = cr._texts_by_mcid(str(pdf))
    read_texts = cr._texts_by_mcid
    cr._texts_by_mcid = lambda f: texts
    try:
        reference = cr.via_pikepdf(str(pdf))
        engines = {
            "poppler": cr.via_poppler(str(pdf)),
            "pdfminer": cr.via_pdfminer(str(pdf)),
            "PDFium": cr.via_pdfium(str(pdf)),
            "pdf.js": via_pdfjs(pdf),
        }
    finally:
        cr._texts_by_mcid = read_texts
    return Readings(reference, engines)


def disagreements(readings: Readings) -> list[str]:
    """compare_readers.py's comparison: poppler and pdfminer in document order, PDFium and
    pdf.js page by page, against its reference (with its own ``doc_order`` and
    ``per_page``); the engines whose roles, alt texts or text (white space removed) differ.
    Nothing left out: the script itself passes exactly when this is empty
    (``test_validate_ua_sh_passes``)."""
    cr = _compare_readers()
    ref = readings.reference
    doc, pages = cr.doc_order(ref), cr.per_page(ref)
    out = []
    for name, base, alt in (
        ("poppler", doc, False),
        ("pdfminer", doc, True),
        ("PDFium", pages, True),
        ("pdf.js", pages, True),
    ):
        want = cr.key(base, alt, text_only=not alt)
        got = cr.key(readings.engines[name], alt, text_only=not alt)
        if want != got:
            first = next(
                (i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b), None
            )
            where = f"row {first}: {want[first]} vs {got[first]}" if first is not None else ""
            out.append(f"{name}: {len(got)} rows, reference {len(want)}; {where}"[:400])
    return out


def readers_disagree(pdf: Path) -> list[str]:
    """:func:`disagreements` of ``pdf``'s :func:`read_tags`."""
    return disagreements(read_tags(pdf))


def ua_failures(pdf: Path) -> dict[str, list[str]]:
    """ua_check.py's failures (Matterhorn subset), run in this process; the script exits 1
    exactly when this is not empty. (Its TrueType cache is keyed by object number, which
    is right for the one file a run of the script reads: emptied before each file.)"""
    if str(PDFCHECK) not in sys.path:
        sys.path.insert(0, str(PDFCHECK))
    import ua_check  # type: ignore[import-not-found]

    ua_check._TT_CACHE.clear()
    failures: dict[str, list[str]] = ua_check.check(str(pdf)).failures
    return failures


def section_text(composed: Composed, i: int, across: bool = True) -> str:
    """Section ``i``'s words in reading order; a pain log's table a column a day
    (``across``) or a row a day."""
    section = composed.sections[i]
    tool = section.tool
    blocks, closing = section.blocks, ()
    last = blocks[-1] if blocks else None
    if (
        tool is not None
        and isinstance(last, Para)
        and any(s.text.strip() for s in last.spans)
        and all(s.italic for s in last.spans if s.text.strip())
    ):  # a closing note in italics is read after the tool, as printed under it
        blocks, closing = blocks[:-1], (last,)
    parts = [
        plain_text(section.heading),
        *(plain_text(p.spans) for p in paragraphs(blocks)),
    ]
    if tool is not None and tool.kind == "pain-log":
        low, high = tool.scale_words
        parts += ["0", low, "2 4 6 8 10", high]
        times = [plain_text(t) for t in tool.times]
        parts += [*tool.days, *times] if across else [tool.day_heading, *times, *tool.days]
    if tool is not None and tool.kind == "write-in" and tool.label:
        parts.append(tool.label)  # the words over the lines
    if tool is not None and tool.kind == "appointment":
        parts += [f"{plain_text(e.label)} {e.value or ''}" for e in tool.entries]
    parts += [plain_text(p.spans) for p in closing]
    return " ".join(" ".join(parts).split())
