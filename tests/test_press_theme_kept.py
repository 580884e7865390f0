"""`--target press` keeps the press theme in every layout, whatever a renderer does to its
theme after the base class made it (the tri-fold's rebuild per body size lost it before last
session; large print recolours for contrast after it: its text went back to RGB black).

Read back two ways: the renderer's theme (body text the press's 100 % K, every style under
9 pt in one ink), and the colour operators of the press PDF (body text 0 0 0 1 k, no RGB).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from handoutpress import layouts
from handoutpress.build import plan
from handoutpress.press import BLACK, SINGLE_INK_BELOW
from handoutpress.project import Project
from handoutpress.render import LayoutRenderer

from .conftest import run_cli

#: (handout, layout, layout kind)
CASES = [
    ("tpi-aftercare", "sheet", "sheet"),
    ("tpi-aftercare", "large-print", "large"),
    ("tpi-aftercare", "letter", "letter"),
    ("trigger-point-injections", "trifold", "trifold"),
]
IDS = [c[1] for c in CASES]


def _inks(colour: object) -> int:
    cmyk = (colour.cyan, colour.magenta, colour.yellow, colour.black)  # type: ignore[attr-defined]
    return sum(1 for x in cmyk if x > 0)


@pytest.mark.parametrize(("handout", "layout", "kind"), CASES, ids=IDS)
def test_the_renderers_theme_is_the_press_theme(
    shipped_root: Path, monkeypatch: pytest.MonkeyPatch, handout: str, layout: str, kind: str
) -> None:
    cls = layouts.KINDS[kind]
    seen: list[LayoutRenderer] = []
    original = cls.render

    def spy(self: LayoutRenderer):  # type: ignore[no-untyped-def]
        seen.append(self)
        return original(self)

    monkeypatch.setattr(cls, "render", spy)
    p = plan(Project(shipped_root), [handout], layout=layout, target="press")
    p.render(p.jobs[0], {})
    theme = seen[-1].theme
    assert theme.colours["text"] == BLACK
    assert theme["body"].textColor == BLACK
    for name, style in theme.styles.items():
        if style.fontSize < SINGLE_INK_BELOW and hasattr(style.textColor, "cyan"):
            assert _inks(style.textColor) <= 1, (name, style.fontSize, style.textColor)


@pytest.mark.parametrize(("handout", "layout", "kind"), CASES, ids=IDS)
def test_the_press_pdf_prints_body_text_in_black_ink_only(
    shipped_root: Path, tmp_path: Path, handout: str, layout: str, kind: str
) -> None:
    res = run_cli(
        "build", handout, "--layout", layout, "--target", "press", "--out-dir", str(tmp_path),
        cwd=shipped_root,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    [pdf] = tmp_path.glob("*-press.pdf")
    flat = tmp_path / "flat.pdf"
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(pdf), str(flat)], check=True)
    data = flat.read_bytes()
    assert not re.search(rb"(?m) (rg|RG)$", data), "an RGB colour operator in the press file"
    with pdfplumber.open(str(pdf)) as doc:
        sizes: dict[float, int] = {}
        for page in doc.pages:
            for ch in page.chars:
                sizes[round(ch["size"], 1)] = sizes.get(round(ch["size"], 1), 0) + 1
        body = max(sizes, key=lambda s: sizes[s])  # the size most text is set in
        colours: dict[tuple[float, ...], int] = {}
        for page in doc.pages:
            for ch in page.chars:
                if round(ch["size"], 1) == body and ch["text"].strip():
                    c = tuple(round(x, 3) for x in ch["non_stroking_color"] or ())
                    colours[c] = colours.get(c, 0) + 1
    # body text: black ink only (text in a colour, e.g. a tier's, is the exception)
    assert max(colours, key=lambda c: colours[c]) == (0.0, 0.0, 0.0, 1.0), colours
