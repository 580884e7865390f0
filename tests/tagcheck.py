"""Reading tagged PDFs back with engines nobody on the team wrote (for tests/test_tagged.py).

The checkers live in ``../shared/tools/pdfcheck/`` (written outside the project, each shown to
fail on files broken on purpose); this module only runs them and parses poppler's
``pdfinfo -struct-text``. A missing checker or engine fails the test, never skips it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.pdfcheck import tool

ROOT = Path(__file__).resolve().parent.parent
PDFCHECK = ROOT.parent / "shared" / "tools" / "pdfcheck"
#: where .ci/run installs pdf.js (pdfjs-dist 5) for compare_readers.py; PDFJS_DIST overrides
PDFJS_DEFAULT = Path.home() / ".cache" / "handoutpress-pdfjs" / "node_modules" / "pdfjs-dist"


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


def readers_disagree(pdf: Path) -> list[str]:
    """compare_readers.py's comparison, run in this process: poppler and pdfminer in
    document order, PDFium and pdf.js page by page, against its reference (a pikepdf walk
    of the tree, pdfminer's text per MCID, its own ``doc_order`` and ``per_page``); the
    engines whose roles, alt texts or text (white space removed) differ. Nothing left out:
    the script itself passes exactly when this is empty (``test_validate_ua_sh_passes``)."""
    os.environ.setdefault("PDFJS_DIST", pdfjs_dist())
    cr = _compare_readers()
    ref = cr.via_pikepdf(str(pdf))
    doc, pages = cr.doc_order(ref), cr.per_page(ref)
    out = []
    for name, read, base, alt in (
        ("poppler", cr.via_poppler, doc, False),
        ("pdfminer", cr.via_pdfminer, doc, True),
        ("PDFium", cr.via_pdfium, pages, True),
        ("pdf.js", cr.via_pdfjs, pages, True),
    ):
        want = cr.key(base, alt, text_only=not alt)
        got = cr.key(read(str(pdf)), alt, text_only=not alt)
        if want != got:
            first = next(
                (i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b), None
            )
            where = f"row {first}: {want[first]} vs {got[first]}" if first is not None else ""
            out.append(f"{name}: {len(got)} rows, reference {len(want)}; {where}"[:400])
    return out
