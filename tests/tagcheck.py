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


def reference_rows(pdf: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The reference reading of the tree (pikepdf walk, pdfminer text per MCID, as in
    compare_readers.py): (one row per leaf element, its pages' text joined; one row per leaf
    element and page, page by page).

    compare_readers.py's own document-order rows join *adjacent* rows of the same role path on
    different pages, which also joins two sibling paragraphs when a page break falls between
    them (a multi-page sheet or large print); here rows are joined per element.
    """
    import pikepdf

    cr = _compare_readers()
    texts = cr._texts_by_mcid(str(pdf))
    doc_rows: list[dict[str, Any]] = []
    with pikepdf.open(pdf) as p:
        pageno = {page.obj.objgen: i + 1 for i, page in enumerate(p.pages)}

        def walk(elem: Any, path: list[str], pg: Any) -> None:
            here = [*path, str(elem.S)[1:]]
            pg = elem.get("/Pg", pg)
            kids = elem.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
            parts: dict[int, list[str]] = {}
            for k in kids:
                if isinstance(k, int):
                    n = pageno[pg.objgen]
                    parts.setdefault(n, []).append(texts.get((n, int(k)), ""))
                elif isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR":
                    n = pageno[k.get("/Pg", pg).objgen]
                    parts.setdefault(n, []).append(texts.get((n, int(k.MCID)), ""))
            alt = str(elem.Alt) if "/Alt" in elem else None
            if parts:
                doc_rows.append(
                    {
                        "path": "/".join(here),
                        "alt": alt,
                        "text": "".join("".join(v) for v in parts.values()),
                        "pages": {n: "".join(v) for n, v in parts.items()},
                    }
                )
            for k in kids:
                if isinstance(k, pikepdf.Dictionary) and "/S" in k:
                    walk(k, here, pg)

        top = p.Root.StructTreeRoot.K
        for k in list(top) if isinstance(top, pikepdf.Array) else [top]:
            walk(k, [], None)
    page_rows = [
        {"page": n, "path": r["path"], "alt": r["alt"], "text": t}
        for r in doc_rows
        for n, t in r["pages"].items()
    ]
    return doc_rows, cr.per_page(page_rows)


def readers_disagree(pdf: Path) -> list[str]:
    """poppler, pdfminer (document order), PDFium and pdf.js (page by page) against the
    reference: the engines whose roles, alt texts or text (white space removed) differ."""
    os.environ.setdefault("PDFJS_DIST", pdfjs_dist())
    cr = _compare_readers()
    doc, pages = reference_rows(pdf)
    out = []
    for name, read, base, alt in (
        ("poppler", cr.via_poppler, doc, False),
        ("pdfminer", cr.via_pdfminer, doc, True),
        ("PDFium", cr.via_pdfium, pages, True),
        ("pdf.js", cr.via_pdfjs, pages, True),
    ):
        want = cr.key(base, alt, text_only=not alt)
        got = cr.key(read(str(pdf)), alt, text_only=not alt)
        if name == "pdfminer" and len(want) == len(got):
            # pdfplumber 0.11 reads an element continued on the next page with the first
            # page's MCIDs (research: tagged-pdf-and-pdfx.md): leave those rows out
            split = {i for i, r in enumerate(base) if len(r["pages"]) > 1}
            want = [w for i, w in enumerate(want) if i not in split]
            got = [g for i, g in enumerate(got) if i not in split]
        if want != got:
            first = next(
                (i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b), None
            )
            where = f"row {first}: {want[first]} vs {got[first]}" if first is not None else ""
            out.append(f"{name}: {len(got)} rows, reference {len(want)}; {where}"[:400])
    return out
