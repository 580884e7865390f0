"""The page footer of the sheet, the letter and large print is placed by one helper
(:func:`handoutpress.footer.footer_places`): its rule, the form line, "Page N of T" and the
marks sit where the helper says, read back from the built PDFs with pdfplumber."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from handoutpress.footer import RULE_WIDTH, FooterPlaces, footer_places
from handoutpress.layouts import large
from handoutpress.project import Project

from .conftest import ROOT, run_cli

#: layout → how far the sheet lifts the strings beside its paragraph rows (the letter draws
#: plain runs at the row)
LAYOUTS = {"sheet": 2.0, "sheet-a4": 2.0, "letter": 0.0}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("footer")
    files = {}
    for name in LAYOUTS:
        pdf = out / f"{name}.pdf"
        res = run_cli("build", "tpi-aftercare", "--layout", name, "-o", str(pdf), cwd=ROOT)
        assert res.returncode == 0, res.stderr
        files[name] = pdf
    return files


def places(name: str) -> FooterPlaces:
    layout = Project(ROOT).load_layout(name)
    m, w = layout.margins, layout.paper.width
    footer = getattr(layout.geometry, "footer")  # noqa: B009 (sheet and letter geometry)
    return footer_places(
        left=m.left, right=w - m.right, text_width=w - m.left - m.right, page_width=w,
        bottom=m.bottom, zone=footer, size=layout.type.small, safe=layout.safe_margin,
        lift=LAYOUTS[name],
    )  # fmt: skip


def baselines(pdf: Path, starts: str) -> list[tuple[float, float, float]]:
    """(baseline y from the page's foot, x0, x1 of the rest of the line) of each line on
    page 1 with ``starts`` in it (spaces aside: pdfplumber gives no space characters)."""
    starts = starts.replace(" ", "")
    with pdfplumber.open(str(pdf)) as doc:
        page = doc.pages[0]
        out = []
        for line in page.extract_text_lines(return_chars=True):
            for i in range(len(line["chars"])):
                text = "".join(c["text"] for c in line["chars"][i : i + len(starts)])
                if text == starts:
                    first = line["chars"][i]
                    out.append((first["matrix"][5], first["x0"], line["chars"][-1]["x1"]))
                    break
        return out


@pytest.mark.parametrize("name", LAYOUTS)
def test_footer_parts_sit_where_the_helper_places_them(built: dict[str, Path], name: str) -> None:
    at = places(name)
    pdf = built[name]
    number = baselines(pdf, "Page 1 of")
    assert len(number) == 1, number
    y, _, x1 = number[0]
    assert y == pytest.approx(at.number_y, abs=0.05)
    assert (
        at.right - 12 < x1 <= at.right + 0.5
    )  # at the right margin (the total has 2 digits' room)
    form = [b for b in baselines(pdf, "Revised") if b[0] < at.rule_y]
    assert form and form[0][0] == pytest.approx(at.form_y, abs=0.05), form
    marks = [b for b in baselines(pdf, "SAMPLE") if b[0] < at.rule_y]
    assert marks, "the shipped brand is a sample: its footer carries SAMPLE"
    assert marks[0][0] == pytest.approx(max(at.marks_y, at.lowest), abs=0.05)
    assert (marks[0][1] + marks[0][2]) / 2 == pytest.approx(at.centre, abs=1.0)
    with pdfplumber.open(str(pdf)) as doc:
        page = doc.pages[0]
        rules = [
            ln
            for ln in page.lines
            if abs((page.height - ln["top"]) - at.rule_y) < 0.05
            and ln["linewidth"] == pytest.approx(RULE_WIDTH)
        ]
    assert rules, f"no footer rule at y={at.rule_y:.2f}"
    assert rules[0]["x0"] == pytest.approx(at.left, abs=0.05)
    assert rules[0]["x1"] == pytest.approx(at.right, abs=0.05)


def test_sheet_and_letter_footers_share_one_placement() -> None:
    """The same rule-to-row distances on both (the sheet's strings lifted by its lift)."""
    sheet, letter = places("sheet"), places("letter")
    for at, lift in ((sheet, LAYOUTS["sheet"]), (letter, LAYOUTS["letter"])):
        assert at.rule_y - at.lines_y[0] == pytest.approx(at.lead)
        assert at.form_y - at.lines_y[0] == pytest.approx(lift)
        assert at.lines_y[0] - at.lines_y[1] == pytest.approx(at.lead)
        assert at.form_y - at.number_y == pytest.approx(at.lead)
        assert at.number_y - at.marks_y == pytest.approx(at.lead + 2)


def test_large_print_footer_sits_where_the_helper_places_it(tmp_path: Path) -> None:
    """Large print's footer, stacked: on every page the rule, "Page N of T" at the right
    margin on the first line of the box, the short marks and then the form line in that box
    from the left margin, one footer line apart."""
    pdf = tmp_path / "large.pdf"
    res = run_cli("build", "tpi-aftercare", "--large-print", "-o", str(pdf), cwd=ROOT)
    assert res.returncode == 0, res.stderr
    layout = Project(ROOT).load_layout("large-print")
    m, w, size = layout.margins, layout.paper.width, layout.type.small
    at = footer_places(
        left=m.left, right=w - m.right, text_width=w - m.left - m.right, page_width=w,
        bottom=m.bottom, zone=layout.geometry.footer, size=size, safe=layout.safe_margin,
        rule_drop=large.RULE_DROP, stacked=True,
    )  # fmt: skip
    assert at.number_y == pytest.approx(at.stack_top - size)
    with pdfplumber.open(str(pdf)) as doc:
        assert len(doc.pages) > 1
        for n, page in enumerate(doc.pages, start=1):
            rules = [ln for ln in page.lines if abs((page.height - ln["top"]) - at.rule_y) < 0.05]
            assert len(rules) == 1, (n, rules)
            assert rules[0]["linewidth"] == pytest.approx(large.RULE_WIDTH)
            assert (rules[0]["x0"], rules[0]["x1"]) == pytest.approx((at.left, at.right), abs=0.05)
            footer = []  # (baseline, x0, x1, text) of each word under the rule
            for line in page.extract_text_lines(return_chars=True):
                y = line["chars"][0]["matrix"][5]
                if y < at.rule_y:
                    footer += [
                        (w["chars"][0]["matrix"][5], w["x0"], w["x1"], w["text"])
                        for w in page.extract_words(return_chars=True)
                        if abs(w["chars"][0]["matrix"][5] - y) < 0.05
                    ]
            number = [f for f in footer if f[3] == "Page"]
            assert len(number) == 1 and number[0][0] == pytest.approx(at.number_y, abs=0.05)
            last = max((f for f in footer if f[0] == number[0][0]), key=lambda f: f[2])
            assert at.right - 12 < last[2] <= at.right + 0.5  # "Page N of T" ends at the margin
            starts = sorted({round(f[0], 2) for f in footer if f[1] == pytest.approx(at.left)})
            words = {f[3] for f in footer}
            assert {"SAMPLE", "DRAFT", "Revised"} <= words, words
            assert starts[-1] == pytest.approx(at.number_y, abs=0.05)  # the first line
            steps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
            assert steps == pytest.approx([size * 1.2] * (len(starts) - 1), abs=0.05)
            form = [f for f in footer if f[3] == "Revised"]
            assert form[0][0] == pytest.approx(starts[0], abs=0.05)  # the form line is last
