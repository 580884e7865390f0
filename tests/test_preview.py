"""``preview``: one page to PNG through pypdfium2, the right size, atomic, clear errors."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from PIL import Image

from .conftest import ROOT, assert_clean_error, run_cli

PRIMARY = (0x0E, 0x5A, 0x6B)  # layouts/brands/palomar.yaml colors.primary


def near(pixel: tuple[int, ...], colour: tuple[int, int, int], tol: int = 12) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(pixel[:3], colour, strict=True))


def test_trifold_cover_page_at_100_dpi(tmp_path):
    out = tmp_path / "cover.png"
    res = run_cli("preview", "trigger-point-injections", "-o", str(out), "--dpi", "100")
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == f"{out} (page 1 of 2, 1100 x 850 px)"
    with Image.open(out) as im:
        assert im.format == "PNG"
        assert im.size == (1100, 850)  # 11 x 8.5 in at 100 dpi
        rgb = im.convert("RGB")
        # the cover band (top right panel) is the brand colour; the paper edge stays white
        assert near(rgb.getpixel((1000, 80)), PRIMARY)
        assert rgb.getpixel((5, 5)) == (255, 255, 255)
        assert rgb.getpixel((1095, 5)) == (255, 255, 255)  # office: band stops at the margin
        # something is printed: plenty of non-white pixels
        colours = rgb.getcolors(maxcolors=1_000_000) or []
        white = sum(n for n, c in colours if c == (255, 255, 255))
        assert white < 0.9 * 1100 * 850
    assert stat.S_IMODE(out.stat().st_mode) != 0o600  # no personal values: not private


def test_page_two_of_the_a4_sheet_at_150_dpi(tmp_path):
    out = tmp_path / "p2.png"
    res = run_cli(
        "preview",
        "trigger-point-injections",
        "--layout",
        "sheet-a4",
        "--page",
        "2",
        "--dpi",
        "150",
        "-o",
        str(out),
    )
    assert res.returncode == 0, res.stderr
    with Image.open(out) as im:
        # 210 x 297 mm at 150 dpi, rounded to whole pixels (PDFium alone would round up)
        assert im.size == (1240, 1754)


def test_press_preview_shows_the_bleed(tmp_path):
    out = tmp_path / "press.png"
    res = run_cli("preview", "tpi-aftercare", "--target", "press", "--dpi", "72", "-o", str(out))
    assert res.returncode == 0, res.stderr
    with Image.open(out) as im:
        # 8.5 x 11 in + 0.375 in on every side: 0.125 in bleed, then the crop marks
        assert im.size == (666, 846)
        rgb = im.convert("RGB")
        # the header band runs into the bleed (18 pt from the page edge): its top corners are
        # the brand colour (converted to CMYK and back, so only roughly the same); beyond the
        # bleed the page is blank but for the crop marks
        corner = rgb.getpixel((20, 20))
        assert near(corner, PRIMARY, tol=60) and corner != (255, 255, 255)
        assert rgb.getpixel((2, 2)) == (255, 255, 255)
        assert rgb.getpixel((20, 805)) == (255, 255, 255)


def test_page_out_of_range_is_a_clean_error_and_keeps_the_old_file(tmp_path):
    out = tmp_path / "keep.png"
    out.write_bytes(b"old")
    res = run_cli("preview", "tpi-aftercare", "--page", "3", "-o", str(out))
    lines = assert_clean_error(res)
    assert lines == ["--page 3: out of range; sheet has 2 pages"]
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.png"]  # no temp file left


def test_page_zero_and_bad_dpi_are_usage_errors(tmp_path):
    out = tmp_path / "x.png"
    for args in (("--page", "0"), ("--dpi", "5000")):
        res = run_cli("preview", "tpi-aftercare", *args, "-o", str(out))
        assert res.returncode == 2, res.stderr
        assert "Traceback" not in res.stderr
    assert not out.exists()


def test_not_a_png_name_is_refused(tmp_path):
    res = run_cli("preview", "tpi-aftercare", "-o", str(tmp_path / "x.pdf"))
    lines = assert_clean_error(res)
    assert lines[0].endswith("-o: the preview is a PNG: name it *.png")
    assert not list(tmp_path.iterdir())


def test_personal_preview_is_private_and_shows_the_name(tmp_path):
    out = tmp_path / "ana.png"
    res = run_cli("preview", "tpi-aftercare", "--set", "patient.name=Ana Ruiz", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert "Ana" not in res.stdout + res.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    # the personal value changes the picture (it is drawn on the write-in line)
    plain = tmp_path / "plain.png"
    assert run_cli("preview", "tpi-aftercare", "-o", str(plain)).returncode == 0
    assert _pixels(out) != _pixels(plain)


def test_unknown_layout_names_the_layouts(tmp_path):
    res = run_cli("preview", "tpi-aftercare", "--layout", "sheet-a5", "-o", str(tmp_path / "x.png"))
    lines = assert_clean_error(res)
    assert len(lines) == 1 and "unknown layout 'sheet-a5'" in lines[0]


def _pixels(path: Path) -> bytes:
    with Image.open(path) as im:
        return im.convert("RGB").tobytes()


def test_same_input_same_png(tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    for out in (a, b):
        assert run_cli("preview", "tpi-aftercare", "--dpi", "40", "-o", str(out)).returncode == 0
    assert a.read_bytes() == b.read_bytes()
    assert os.path.getsize(a) > 1000


def test_large_print_preview_uses_the_large_print_layout(tmp_path):
    out = tmp_path / "large.png"
    res = run_cli("preview", "tpi-aftercare", "--large-print", "--dpi", "50", "-o", str(out))
    assert res.returncode == 0, res.stderr
    m = re.fullmatch(
        rf"{re.escape(str(out))} \(page 1 of (\d+), 425 x 550 px\)", res.stdout.strip()
    )
    assert m and int(m[1]) > 1, res.stdout  # 18 pt text reflows onto more than one page
    res = run_cli("preview", "tpi-aftercare", "--large-print", "--layout", "sheet", "-o", str(out))
    lines = assert_clean_error(res)
    assert len(lines) == 1 and "large print needs at least 18 pt" in lines[0]


def test_staff_copy_preview_is_the_staff_copy_page(tmp_path):
    """``--staff-copy`` (the option ``build`` takes) previews the staff copy: the page
    ``build --staff-copy`` makes, not the patient's."""
    from handoutpress.frontdesk import SingleRequest, render_png
    from handoutpress.project import Project

    staff, patient = tmp_path / "staff.png", tmp_path / "patient.png"
    args = ("preview", "tpi-aftercare", "--page", "2", "--dpi", "40")
    res = run_cli(*args, "--staff-copy", "-o", str(staff))
    assert res.returncode == 0, res.stderr
    assert run_cli(*args, "-o", str(patient)).returncode == 0
    assert _pixels(staff) != _pixels(patient)
    engine = render_png(Project(ROOT), SingleRequest("tpi-aftercare", staff_copy=True), 2, 40)
    assert staff.read_bytes() == engine
