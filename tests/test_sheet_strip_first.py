"""The sheet tries page 2's side strip first (one layout instead of two for a two-page sheet,
which halves a front-desk preview): the PDFs are byte for byte those of the order it had
before, text first and the strip only when the text took two pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handoutpress.build import plan
from handoutpress.errors import HandoutError
from handoutpress.layouts import sheet
from handoutpress.project import Project
from handoutpress.render import RenderResult
from tests import shipped
from tests.conftest import EPOCH


def _text_first(self: sheet.SheetRenderer) -> RenderResult:
    """The order the sheet had before: the text first, the strip when it took two pages."""
    return self.render_text_first(tuple(s for s in self.composed.sections if s.panel == "flap"))


CASES = [
    ("tpi-aftercare", "sheet", {}, False),
    ("tpi-aftercare", "sheet", {"patient.name": "Ana Ruiz"}, True),
    ("tpi-aftercare.es", "sheet-a4", {}, False),
    ("trigger-point-injections", "sheet", {}, False),
    ("trigger-point-injections.es", "sheet", {}, True),
]


def _result(
    project: Path, ref: str, layout: str, values: dict[str, str], staff: bool
) -> RenderResult:
    work = plan(Project(project), [ref], layout=layout, values=values, staff_copy=staff)
    (job,) = work.jobs
    return work.render(job, values)[1]


def _render(project: Path, ref: str, layout: str, values: dict[str, str], staff: bool) -> bytes:
    return _result(project, ref, layout, values, staff).pdf


@pytest.mark.parametrize(("ref", "layout", "values", "staff"), CASES)
def test_strip_first_gives_the_same_pdf(
    shipped_root: Path, monkeypatch: pytest.MonkeyPatch, ref, layout, values, staff
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    now = _render(shipped_root, ref, layout, values, staff)
    with monkeypatch.context() as m:
        m.setattr(sheet.SheetRenderer, "render", _text_first)
        before = _render(shipped_root, ref, layout, values, staff)
    assert now == before


def test_one_page_and_too_long_content_as_before(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sheet that fits one page with its stand-alone sections in the text, and one too
    long for any arrangement (the same error)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    handout = project / "handouts" / "tpi-aftercare.yaml"
    text = handout.read_text()
    start = text.index("  - heading: What is normal")
    end = text.index("  - heading: Your follow-up visit")
    handout.write_text(text[:start] + text[end:])  # short: one page
    assert _result(project, "tpi-aftercare", "sheet", {}, False).pages == 1
    now = _render(project, "tpi-aftercare", "sheet", {}, False)
    with monkeypatch.context() as m:
        m.setattr(sheet.SheetRenderer, "render", _text_first)
        before = _render(project, "tpi-aftercare", "sheet", {}, False)
    assert now == before
    anchor = "\n  - heading: Your follow-up visit"
    assert anchor in text
    lines = ["  - heading: Much more to read", "    body: |"] + ["      Ice it."] * 900
    too_long = "\n".join(lines)
    long = text.replace(anchor, "\n" + too_long + "\n" + anchor, 1)
    handout.write_text(long)
    errors = []
    for order in (None, _text_first):
        with monkeypatch.context() as m:
            if order is not None:
                m.setattr(sheet.SheetRenderer, "render", order)
            with pytest.raises(HandoutError) as exc:
                _render(project, "tpi-aftercare", "sheet", {}, False)
            errors.append(str(exc.value))
    assert errors[0] == errors[1] and "overflows" in errors[0]


def test_a_two_page_sheet_is_laid_out_once(
    shipped_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The aftercare (two pages, stand-alone sections in page 2's strip): one layout, where
    the text-first order made two."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    builds: list[tuple[object, ...]] = []
    real = sheet.SheetRenderer.build_once

    def counted(self: sheet.SheetRenderer):  # type: ignore[no-untyped-def]
        builds.append(self.side_later)
        return real(self)

    monkeypatch.setattr(sheet.SheetRenderer, "build_once", counted)
    assert _result(shipped_root, "tpi-aftercare", "sheet", {}, False).pages == 2
    assert len(builds) == 1 and builds[0]  # once, with the strip


def test_a_stand_alone_section_too_long_for_page_2s_strip_says_so(project: Path) -> None:
    """Text too long for two pages with its stand-alone sections, and one of them too long
    for page 2's side strip: the error says it does not fit page 2's strip (not "must be on
    page 1", which is the key points' and the tiered box's rule), at that section."""
    handout = project / "handouts" / "tpi-aftercare.yaml"
    text = handout.read_text()
    alone = next(s for s in shipped.sections("tpi-aftercare", project / "handouts")
                 if s.get("panel") == "flap" and s.get("audience") != "staff")  # fmt: skip
    anchor = f"  - heading: {alone['heading']}\n"
    start = text.index(anchor)
    body = text.index("    body: |\n", start) + len("    body: |\n")
    steps = "".join(
        f"      - Another care step, number {n}, for the days after.\n" for n in range(40)
    )
    text = text[:body] + steps + text[body:]
    normal = "\n  - heading: Much more to read\n    body: |\n" + "      Ice it.\n\n" * 120
    first = text.index("\n  - heading: ", text.index("sections:"))
    handout.write_text(text[:first] + normal.rstrip("\n") + text[first:])
    with pytest.raises(HandoutError) as exc:
        _render(project, "tpi-aftercare", "sheet", {}, False)
    lines = str(exc.value).splitlines()
    i = next(n for n, s in enumerate(shipped.sections("tpi-aftercare", project / "handouts"))
             if s["heading"] == alone["heading"])  # fmt: skip
    line = 1 + handout.read_text().splitlines().index(anchor.rstrip("\n"))
    said = [x for x in lines if f"sections[{i}]:" in x]
    heading = re.escape(alone["heading"])
    assert len(said) == 1 and re.fullmatch(
        rf".*tpi-aftercare\.yaml:{line}:5: sections\[{i}\]: sheet: '{heading}' does not fit "
        r"page 2's side strip by \d+ lines \(\d+ pt\) \(it stands alone there because the "
        r"text with it does not fit two pages\); shorten it or the text",
        said[0],
    ), lines
    assert not [x for x in lines if "must be on page 1" in x], lines
