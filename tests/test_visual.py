"""Pages as a reader sees them: 40 dpi renders compared with tests/reference/*.png.

After a deliberate change to how pages look: ``python tests/make_references.py``, look at
the new PNGs, commit them with the change (CONTRIBUTING.md). Tolerances: tests/visual.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw

from . import visual
from .conftest import run_cli

CASES = {case.name: case for case in visual.CASES}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("visual")
    built: dict[tuple[str, ...], Path] = {}
    for case in visual.CASES:
        if case.build not in built:
            pdf = out / f"{case.name}.pdf"
            res = run_cli("build", *case.build, "-o", str(pdf))
            assert res.returncode == 0, res.stderr
            built[case.build] = pdf
    return {case.name: built[case.build] for case in visual.CASES}


@pytest.mark.parametrize("name", sorted(CASES))
def test_page_matches_its_reference(pdfs: dict[str, Path], name: str, tmp_path: Path) -> None:
    reference = visual.REFERENCES / f"{name}.png"
    if not reference.is_file():
        pytest.fail(f"no reference {reference}; make it with `{visual.REGENERATE} {name}`")
    actual = visual.rasterise(pdfs[name], CASES[name].page)
    expected = visual.load_reference(reference)
    result = visual.compare(actual, expected)
    if not result.ok:
        actual.save(tmp_path / f"{name}-actual.png")
        visual.diff_picture(actual, expected, result).save(tmp_path / f"{name}-diff.png")
        pytest.fail(
            f"{name} (page {CASES[name].page}) looks different from {reference.name}: "
            f"{result.describe()}.\nActual page and diff (reference faded, differences red, "
            f"actual on the right) in {tmp_path}.\nIf the change is intended: "
            f"`{visual.REGENERATE} {name}` and commit the PNG.",
            pytrace=False,
        )


# -- the comparison itself: it passes what should pass and fails what should fail ------------


@pytest.fixture(scope="module")
def trifold() -> Image.Image:
    return visual.load_reference(visual.REFERENCES / "trifold-en-outside.png")


def test_compare_passes_an_identical_page(trifold: Image.Image) -> None:
    result = visual.compare(trifold.copy(), trifold)
    assert result.ok and result.differing == 0


def test_compare_tolerates_other_glyph_rasterisation(pdfs: dict[str, Path]) -> None:
    # rendered at 3x and scaled down: every glyph edge anti-aliased differently
    for name in ("aftercare-en", "trifold-es-inside"):
        pdf, page = pdfs[name], CASES[name].page
        exact = visual.rasterise(pdf, page)
        other = visual.rasterise(pdf, page, dpi=3 * visual.DPI).resize(exact.size, Image.LANCZOS)
        assert ImageChops.difference(exact, other).getbbox() is not None  # not the same pixels
        result = visual.compare(other, exact)
        assert result.ok, (name, result.describe())


def test_compare_fails_a_panel_moved_by_one_millimetre(trifold: Image.Image) -> None:
    # the back panel (middle third of the outside) 2 px = 3.6 pt lower
    w, h = trifold.size
    box = (w // 3, 0, 2 * w // 3, h)
    moved = trifold.copy()
    moved.paste(ImageChops.offset(trifold.crop(box), 0, 2), box)
    result = visual.compare(moved, trifold)
    assert not result.ok, result.describe()
    assert result.fraction > 3 * visual.MAX_FRACTION


def test_compare_fails_a_whole_page_shifted(trifold: Image.Image) -> None:
    shifted = ImageChops.offset(trifold, 3, 0)
    assert not visual.compare(shifted, trifold).ok


def test_compare_fails_a_missing_line_of_text() -> None:
    sheet = visual.load_reference(visual.REFERENCES / "aftercare-en.png")
    w, h = sheet.size
    pixels = sheet.load()
    # a row with ink across the middle third: erase the 8 px high line around it
    middle = range(w // 3, 2 * w // 3)
    y = next(y for y in range(h // 2, h) if sum(pixels[x, y] < 128 for x in middle) > 20)
    erased = sheet.copy()
    ImageDraw.Draw(erased).rectangle((w // 3, y - 3, 2 * w // 3, y + 4), fill=255)
    result = visual.compare(erased, sheet)
    assert not result.ok, result.describe()


def test_compare_fails_another_page_size(trifold: Image.Image) -> None:
    result = visual.compare(trifold.crop((0, 0, trifold.width, trifold.height - 10)), trifold)
    assert not result.ok
    assert "page size" in result.describe()


def test_references_are_small() -> None:
    files = sorted(visual.REFERENCES.glob("*.png"))
    assert {f.stem for f in files} == set(CASES)  # none missing, none left over
    for f in files:
        assert f.stat().st_size < 40_000, f
        with Image.open(f) as im:
            assert im.size in ((340, 440), (440, 340)), (f.name, im.size)  # Letter at 40 dpi
