"""Look at PDFs as a reader would, with tools nobody on the team wrote.

qpdf and poppler (pdfinfo, pdffonts, pdftotext) are outside validators; pdfplumber
gives every character's position. A missing tool fails the test loudly.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed (apt-get install qpdf poppler-utils); .ci/run installs it"
        )
    return path


#: (program, arguments, SHA-256 of the file) -> what it printed: poppler's tools read the same
#: bytes once per test process (a module's shared PDF is asked for its size by many tests)
_READ: dict[tuple[str, tuple[str, ...], str], str] = {}


def poppler(name: str, pdf: Path, *args: str, after: tuple[str, ...] = ()) -> str:
    """What poppler's ``name`` (pdfinfo, pdftotext, pdffonts) prints for ``ARGS PDF AFTER``;
    it must succeed. Run once for the same bytes and arguments."""
    key = (name, (*args, "PDF", *after), hashlib.sha256(Path(pdf).read_bytes()).hexdigest())
    if key not in _READ:
        res = subprocess.run(
            [tool(name), *args, str(pdf), *after], capture_output=True, text=True, check=True
        )
        _READ[key] = res.stdout
    return _READ[key]


def qpdf_check(pdf: Path) -> None:
    res = subprocess.run([tool("qpdf"), "--check", str(pdf)], capture_output=True, text=True)
    assert res.returncode == 0, f"qpdf --check failed on {pdf}:\n{res.stdout}\n{res.stderr}"


@dataclass(frozen=True)
class FontRow:
    name: str
    type: str
    embedded: bool
    subset: bool
    unicode: bool


def pdffonts(pdf: Path) -> list[FontRow]:
    rows = []
    for line in poppler("pdffonts", pdf).splitlines()[2:]:
        m = re.match(r"^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line)
        assert m, f"unexpected pdffonts line: {line!r}"
        rows.append(FontRow(m[1], m[2], m[4] == "yes", m[5] == "yes", m[6] == "yes"))
    return rows


def assert_fonts_embedded(pdf: Path) -> None:
    rows = pdffonts(pdf)
    assert rows, f"{pdf}: no fonts at all?"
    bad = [r.name for r in rows if not (r.embedded and r.subset)]
    assert not bad, f"{pdf}: fonts not embedded and subset: {bad}"


def pdfinfo(pdf: Path, *extra: str) -> dict[str, str]:
    out = {}
    for line in poppler("pdfinfo", pdf, *extra).splitlines():
        key, _, value = line.partition(":")
        # the first: a PDF/X file's "PDF subtype" part repeats Title for the standard's name
        out.setdefault(key.strip(), value.strip())
    return out


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = pdfinfo(pdf)
    pages = int(info["Pages"])
    listing = poppler("pdfinfo", pdf, "-f", "1", "-l", str(pages))
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", listing)
    return [(float(w), float(h)) for w, h in sizes]


def text(pdf: Path, page: int | None = None, layout: bool = False) -> str:
    args: list[str] = []
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    if layout:
        args.append("-layout")
    return poppler("pdftotext", pdf, *args, after=("-",))


def words(pdf: Path, page: int | None = None) -> str:
    """Text with whitespace folded: for phrase searches across line breaks."""
    return " ".join(text(pdf, page).split())


def figure_alts(pdf: Path) -> list[str]:
    """The ``/Alt`` of every ``Figure`` in the structure tree, in tree order ("" for a Figure
    without one), read with pikepdf."""
    import pikepdf

    out: list[str] = []
    with pikepdf.open(pdf) as doc:

        def walk(node: pikepdf.Object) -> None:
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid)
            elif isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    out.append(str(node.get("/Alt", "")))
                if "/K" in node:
                    walk(node["/K"])

        walk(doc.Root.StructTreeRoot)
    return out


@dataclass(frozen=True)
class Char:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str


def chars(pdf: Path) -> list[Char]:
    import pdfplumber

    out = []
    with pdfplumber.open(str(pdf)) as doc:
        for n, page in enumerate(doc.pages, start=1):
            for c in page.chars:
                out.append(
                    Char(
                        n,
                        c["text"],
                        c["x0"],
                        c["x1"],
                        c["top"],
                        c["bottom"],
                        c["size"],
                        c["fontname"],
                    )
                )
    return out


def text_rows(pdf: Path, keep: Callable[[Char], bool]) -> dict[int, list[tuple[float, float, str]]]:
    """(top, size, text without spaces) of each text line made of the characters ``keep``
    accepts, by page, top to bottom."""
    rows: dict[int, dict[int, list[Char]]] = {}
    for c in chars(pdf):
        if c.text.strip() and keep(c):
            rows.setdefault(c.page, {}).setdefault(round(c.top), []).append(c)
    return {
        page: sorted(
            (
                min(c.top for c in line),
                max(c.size for c in line),
                "".join(c.text for c in sorted(line, key=lambda c: c.x0)),
            )
            for line in lines.values()
        )
        for page, lines in rows.items()
    }


#: the text fields of the shipped aftercare sheet (handouts/tpi-aftercare.yaml), each a label
#: and a write-in line (its date, choices and body-map fields are drawn otherwise)
AFTERCARE_FIELDS = ("Patient", "Date of injection", "Provider")


def write_in_lines(
    pdf: Path, labels: tuple[str, ...] = AFTERCARE_FIELDS
) -> dict[str, tuple[float, float, str]]:
    """label → (length in points, gap from the label's end, text on it) of the horizontal
    rule that starts right after the label, on the label's baseline (page 1)."""
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        page = doc.pages[0]
        words = page.extract_words()
        rules = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.5]
    found: dict[str, tuple[float, float, str]] = {}
    for label in labels:
        parts = label.split()
        for i in range(len(words) - len(parts) + 1):
            run = words[i : i + len(parts)]
            if [w["text"] for w in run] != parts or len({round(w["top"]) for w in run}) != 1:
                continue
            end, bottom = run[-1]["x1"], run[-1]["bottom"]
            after = [ln for ln in rules if abs(ln["top"] - bottom) < 3 and ln["x0"] >= end - 1]
            if not after:
                continue
            rule = min(after, key=lambda ln: ln["x0"])
            on_it = " ".join(
                w["text"]
                for w in words
                if rule["x0"] <= w["x0"] < rule["x1"] and abs(w["bottom"] - bottom) < 3
            )
            found[label] = (rule["x1"] - rule["x0"], rule["x0"] - end, on_it)
            break
    return found


def text_boxes(layout: str, page: int) -> list[tuple[float, float]]:
    """(left edge, width) of each text column of page ``page`` of ``layout``, in points,
    from its YAML: a sheet's, large print's or letter's column between the margins; each
    tri-fold panel's text box (``panel_padding`` from a fold, ``geometry.edge_padding``
    from the paper's edge; page 1 left to right flap, back, cover; page 2 mirrored)."""
    from handoutpress.project import Project

    lay = Project().load_layout(layout)
    width = lay.paper.width
    if lay.kind != "trifold":
        left, right = lay.margins.left, lay.margins.right
        return [(left, width - left - right)]
    from handoutpress.geometry import TrifoldGeometry

    panels = list(lay.panels) if page % 2 else list(reversed(lay.panels))
    edge = lay.geometry_as(TrifoldGeometry).edge_padding
    boxes = []
    x = 0.0
    for w in panels:
        left = edge if x <= 0.5 else lay.panel_padding
        right = edge if x + w >= width - 0.5 else lay.panel_padding
        boxes.append((x + left, w - left - right))
        x += w
    return boxes
