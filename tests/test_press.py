"""Print targets and paper sizes, checked with outside tools.

office: nothing within 0.25 in (18 pt) of the paper edge (pdfplumber: characters, rectangles,
lines, curves, images). press: trim + 0.125 in bleed, TrimBox/BleedBox (pdfinfo -box), crop and
fold marks in the bleed, backgrounds into the bleed, CMYK only (no rg/RG in any content stream),
Ghostscript and qpdf accept it. A4 variants are layout files only. Metadata and viewer
preferences, and no --set value in the metadata.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from .conftest import assert_clean_error, run_cli
from .pdfcheck import page_sizes, pdfinfo, qpdf_check, tool, words

HANDOUTS = ("trigger-point-injections", "tpi-aftercare")


def handouts_for(layout: str) -> tuple[str, ...]:
    """The handouts built in ``layout``: the aftercare (``layouts: [sheet]``, with a pain log
    and a body map) does not fit a 12 pt tri-fold, so the tri-folds are the brochure's."""
    return HANDOUTS[:1] if layout.startswith("trifold") else HANDOUTS


LAYOUTS = ("trifold", "sheet", "trifold-a4", "sheet-a4", "letter", "large-print")
SAFE = 18.0  # 0.25 in
BLEED = 9.0  # 0.125 in
#: paper around the trim on press pages: the bleed, then 0.25 in crop marks starting 0.125 in
#: outside the trim (past the bleed)
MARGIN = 27.0
TRIM = {
    "trifold": (792.0, 612.0),
    "sheet": (612.0, 792.0),
    "trifold-a4": (841.89, 595.28),
    "sheet-a4": (595.28, 841.89),
    "letter": (612.0, 792.0),
    "large-print": (612.0, 792.0),
}
# brand primary (#0E5A6B) has cmyk [92, 45, 38, 28] in layouts/brands/palomar.yaml
PRIMARY_CMYK = (0.92, 0.45, 0.38, 0.28)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], Path]:
    """Every shipped handout in every layout, office and press: one build per layout and target."""
    out = tmp_path_factory.mktemp("press")
    files = {}
    for target in ("office", "press"):
        for layout in LAYOUTS:
            folder = out / target / layout
            res = run_cli(
                "build",
                *handouts_for(layout),
                "--layout",
                layout,
                "--target",
                target,
                "--out-dir",
                str(folder),
            )
            assert res.returncode == 0, res.stderr
            for handout in handouts_for(layout):
                suffix = "-press" if target == "press" else ""  # never the office file's name
                path = folder / f"{handout}-{layout}{suffix}.pdf"
                assert path.is_file(), res.stdout
                files[(target, layout, handout)] = path
    return files


# --------------------------------------------------------------------------- helpers


def boxes(pdf: Path) -> dict[str, tuple[float, ...]]:
    """Page 1's boxes as pdfinfo -box reports them."""
    info = pdfinfo(pdf, "-box")
    return {
        key: tuple(float(v) for v in info[key].split())
        for key in ("MediaBox", "CropBox", "BleedBox", "TrimBox")
    }


def all_page_boxes(pdf: Path) -> list[dict[str, tuple[float, ...]]]:
    pages = int(pdfinfo(pdf)["Pages"])
    res = subprocess.run(
        [tool("pdfinfo"), "-box", "-f", "1", "-l", str(pages), str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    )
    out: list[dict[str, tuple[float, ...]]] = [{} for _ in range(pages)]
    for m in re.finditer(r"Page\s+(\d+)\s+(\w+Box):\s+([\d.\s]+?)\n", res.stdout):
        out[int(m[1]) - 1][m[2]] = tuple(float(v) for v in m[3].split())
    return out


def colour_operators(pdf: Path) -> Counter[str]:
    """Every operator in every page content stream and (nested) form XObject, counted."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(str(pdf))
    ops: Counter[str] = Counter()
    seen: set[int] = set()

    def walk(owner) -> None:  # type: ignore[no-untyped-def]
        resources = owner.get("/Resources")
        if resources is None:
            return
        xobjects = resources.get_object().get("/XObject")
        for ref in (xobjects.get_object() if xobjects else {}).values():
            xobj = ref.get_object()
            if id(xobj) in seen or xobj.get("/Subtype") != "/Form":
                continue
            seen.add(id(xobj))
            ops.update(op.decode() for _, op in ContentStream(xobj, reader).operations)
            walk(xobj)

    for page in reader.pages:
        ops.update(op.decode() for _, op in ContentStream(page.get_contents(), reader).operations)
        walk(page)
    return ops


def qdf_text(pdf: Path, tmp: Path) -> bytes:
    """The file decompressed by qpdf (every stream readable, no object streams)."""
    out = tmp / (pdf.stem + ".qdf.pdf")
    subprocess.run(
        [tool("qpdf"), "--qdf", "--object-streams=disable", str(pdf), str(out)], check=True
    )
    return out.read_bytes()


def drawn_objects(pdf: Path):  # type: ignore[no-untyped-def]
    """(page number, kind, x0, top, x1, bottom, page width, page height) for everything drawn."""
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        for n, page in enumerate(doc.pages, start=1):
            for kind in ("chars", "rects", "lines", "curves", "images"):
                for o in getattr(page, kind):
                    half = (o.get("linewidth") or 0) / 2 if o.get("stroke") else 0.0
                    yield (
                        n,
                        kind,
                        o["x0"] - half,
                        o["top"] - half,
                        o["x1"] + half,
                        o["bottom"] + half,
                        float(page.width),
                        float(page.height),
                        o.get("text", ""),
                    )


# --------------------------------------------------------------------------- office


@pytest.mark.parametrize("layout", LAYOUTS)
def test_office_keeps_everything_inside_the_safe_margin(built, layout):
    for handout in handouts_for(layout):
        pdf = built[("office", layout, handout)]
        seen = Counter()
        too_close = []
        for page, kind, x0, top, x1, bottom, w, h, text in drawn_objects(pdf):
            if kind == "chars" and not text.strip():
                continue  # a space has no ink (each wrapped line ends in one: tagged PDF)
            seen[kind] += 1
            if kind == "chars" and not text.strip():
                continue  # a space puts no ink on paper (tagged text ends each line in one)
            gap = min(x0, top, w - x1, h - bottom)
            if gap < SAFE - 0.01:
                too_close.append((page, kind, text, round(gap, 2)))
        assert not too_close, f"{pdf.name}: drawn within 18 pt of the edge: {too_close[:10]}"
        # the check looked at real drawings, not an empty list
        assert seen["chars"] > 500 and seen["rects"] + seen["curves"] > 3, (pdf.name, seen)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_office_has_no_bleed_and_rgb_is_fine(built, layout):
    pdf = built[("office", layout, "trigger-point-injections")]
    w, h = TRIM[layout]
    for page in all_page_boxes(pdf):
        for key in ("MediaBox", "TrimBox", "BleedBox"):
            assert page[key] == pytest.approx((0, 0, w, h), abs=0.01), (key, page)
    qpdf_check(pdf)


# --------------------------------------------------------------------------- press


@pytest.mark.parametrize("layout", LAYOUTS)
def test_press_page_is_trim_plus_bleed_with_boxes(built, layout):
    w, h = TRIM[layout]
    for handout in handouts_for(layout):
        pdf = built[("press", layout, handout)]
        pages = all_page_boxes(pdf)
        assert len(pages) >= 1
        for page in pages:
            assert page["MediaBox"] == pytest.approx((0, 0, w + 54, h + 54), abs=0.01)
            assert page["BleedBox"] == pytest.approx((18, 18, w + 36, h + 36), abs=0.01)
            assert page["TrimBox"] == pytest.approx((27, 27, w + 27, h + 27), abs=0.01)


def test_press_trifold_boxes_exactly_as_the_issue_says(built):
    b = boxes(built[("press", "trifold", "trigger-point-injections")])
    # the page is larger than the BleedBox: the crop marks start 0.125 in outside the trim
    assert b["MediaBox"] == (0.0, 0.0, 846.0, 666.0)
    assert b["TrimBox"] == (27.0, 27.0, 819.0, 639.0)
    assert b["BleedBox"] == (18.0, 18.0, 828.0, 648.0)
    s = boxes(built[("press", "sheet", "tpi-aftercare")])
    assert s["MediaBox"] == (0.0, 0.0, 666.0, 846.0)
    assert s["TrimBox"] == (27.0, 27.0, 639.0, 819.0)
    assert s["BleedBox"] == (18.0, 18.0, 648.0, 828.0)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_press_has_no_rgb_colour_operators(built, layout, tmp_path):
    for handout in handouts_for(layout):
        pdf = built[("press", layout, handout)]
        ops = colour_operators(pdf)
        assert ops["k"] > 20 and ops["K"] >= 1, ops  # CMYK fills and strokes are there
        assert ops["rg"] == 0 and ops["RG"] == 0, f"{pdf.name}: RGB operators {ops}"
        assert ops["sc"] + ops["scn"] + ops["SC"] + ops["SCN"] == 0, ops
    # an independent look: the whole file decompressed by qpdf has no RGB operator either
    raw = qdf_text(built[("press", layout, "trigger-point-injections")], tmp_path)
    assert not re.search(rb"[\d.]+ [\d.]+ [\d.]+ (rg|RG)\s", raw)
    assert b"DeviceRGB" not in raw
    # while the office file does use RGB (so the check above can fail)
    office = qdf_text(built[("office", layout, "trigger-point-injections")], tmp_path)
    assert re.search(rb"[\d.]+ [\d.]+ [\d.]+ rg\s", office)


def test_press_uses_the_brand_cmyk_values(built, tmp_path):
    raw = qdf_text(built[("press", "trifold", "trigger-point-injections")], tmp_path)
    assert b".92 .45 .38 .28 k" in raw  # primary: the band and headings
    assert b".15 .95 .85 .2 k" in raw  # warning: the SAMPLE / DRAFT marks
    assert b"1 1 1 1 K" in raw  # registration colour for the marks


@pytest.mark.parametrize("layout", LAYOUTS)
def test_press_renders_in_ghostscript_and_passes_qpdf(built, layout):
    for handout in handouts_for(layout):
        pdf = built[("press", layout, handout)]
        qpdf_check(pdf)
        res = subprocess.run(
            [tool("gs"), "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dNODISPLAY"]
            + ["-dPDFSTOPONERROR", str(pdf)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert res.returncode == 0 and "Error" not in res.stdout + res.stderr, res.stderr


def test_press_text_is_the_office_text(built):
    for layout in ("trifold", "sheet"):
        for handout in handouts_for(layout):
            office = words(built[("office", layout, handout)])
            press = words(built[("press", layout, handout)])
            assert press == office and len(press) > 500


def _marks(pdf: Path, page_no: int) -> list[tuple[float, float, float, float]]:
    """Hairline strokes (crop / fold marks) on a page, as (x0, top, x1, bottom)."""
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        page = doc.pages[page_no - 1]
        return [
            (ln["x0"], ln["top"], ln["x1"], ln["bottom"])
            for ln in page.lines
            if ln.get("linewidth") == pytest.approx(0.25)
        ]


def test_press_crop_and_fold_marks_sit_outside_the_trim(built):
    pdf = built[("press", "trifold", "trigger-point-injections")]
    for page_no, folds in ((1, (261.0, 526.5)), (2, (265.5, 531.0))):
        marks = _marks(pdf, page_no)
        # every mark starts at least 0.125 in outside the trim (27..819 x 27..639): outside
        # the BleedBox (18..828 x 18..648)
        for x0, top, x1, bottom in marks:
            outside = x1 <= 18.01 or x0 >= 827.99 or bottom <= 18.01 or top >= 647.99
            assert outside, (page_no, x0, top, x1, bottom)
        # crop marks: at each corner one on the horizontal trim line, one on the vertical
        for cx in (27.0, 819.0):
            for cy in (27.0, 639.0):
                horizontal = [
                    m
                    for m in marks
                    if m[1] == m[3] == pytest.approx(cy)
                    and (m[2] <= 18.01 if cx == 27 else m[0] >= 827.99)
                ]
                vertical = [
                    m
                    for m in marks
                    if m[0] == m[2] == pytest.approx(cx)
                    and (m[3] <= 18.01 if cy == 27 else m[1] >= 647.99)
                ]
                assert len(horizontal) == 1 and len(vertical) == 1, (page_no, cx, cy, marks)
        # fold marks top and bottom at each fold of this side
        for fold in folds:
            at = [m for m in marks if m[0] == m[2] == pytest.approx(fold + MARGIN)]
            assert len(at) == 2, (page_no, fold, marks)
            assert {m[1] < 18 for m in at} == {True, False}


def test_press_sheet_has_crop_marks_but_no_fold_marks(built):
    marks = _marks(built[("press", "sheet", "tpi-aftercare")], 1)
    assert len(marks) == 8
    verticals = {round(m[0], 2) for m in marks if m[0] == m[2]}
    assert verticals == {27.0, 639.0}


def _cmyk_rects(pdf: Path, page_no: int, colour: tuple[float, ...]) -> list[dict]:
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        page = doc.pages[page_no - 1]
        return [
            r
            for r in page.rects
            if r.get("fill") and tuple(r["non_stroking_color"] or ()) == pytest.approx(colour)
        ]


def test_press_backgrounds_run_into_the_bleed(built):
    # tri-fold cover band: up to the top and right edges of the bleed
    cover = _cmyk_rects(built[("press", "trifold", "trigger-point-injections")], 1, PRIMARY_CMYK)
    band = max(cover, key=lambda r: r["width"] * r["height"])
    assert band["x1"] == pytest.approx(828.0) and band["top"] == pytest.approx(18.0)
    # it starts 1/16 in before the cover's fold (a fold a little off shows no white edge)
    assert band["x0"] == pytest.approx(27 + 261 + 265.5 - 4.5)
    # sheet header band: left, top and right edges of the bleed
    sheet = _cmyk_rects(built[("press", "sheet", "tpi-aftercare")], 1, PRIMARY_CMYK)
    band = max(sheet, key=lambda r: r["width"] * r["height"])
    assert (band["x0"], band["top"], band["x1"]) == pytest.approx((18.0, 18.0, 648.0))
    # office: the same bands stop at the safe margin
    office = _cmyk_rects(built[("office", "sheet", "tpi-aftercare")], 1, (0, 0, 0, 0))
    assert not office  # office colours are RGB, so no CMYK rectangle at all


def test_press_layout_without_press_block_is_a_clean_error(project):
    path = project / "layouts" / "sheet.yaml"
    text = path.read_text()
    start = text.index("press:")
    end = text.index("margins:")
    path.write_text(text[:start] + text[end:])
    res = run_cli("build", "tpi-aftercare", "--target", "press", "-o", "x.pdf", cwd=project)
    lines = assert_clean_error(res)
    assert lines == [
        "layouts/sheet.yaml: press: missing: --target press needs the bleed and marks "
        "(see layouts/trifold.yaml)"
    ]
    assert not (project / "x.pdf").exists()


def test_marks_starting_inside_the_bleed_are_refused_with_the_line(project):
    path = project / "layouts" / "sheet.yaml"
    text = path.read_text().replace("mark_offset: 0.125in", "mark_offset: 3pt")
    path.write_text(text)
    res = run_cli("build", "tpi-aftercare", "--target", "press", "-o", "x.pdf", cwd=project)
    lines = assert_clean_error(res)
    line_no = text[: text.index("  bleed:")].count("\n") + 1  # the press mapping starts here
    assert len(lines) == 1 and lines[0].startswith(f"layouts/sheet.yaml:{line_no}:"), lines
    assert "must be at least the bleed and 0.125 in (9 pt)" in lines[0]


# --------------------------------------------------------------------------- A4 and metadata


def test_a4_layouts_are_a4(built):
    for layout, size in (("trifold-a4", (842, 595)), ("sheet-a4", (595, 842))):
        for handout in handouts_for(layout):
            sizes = page_sizes(built[("office", layout, handout)])
            assert sizes and all((round(w), round(h)) == size for w, h in sizes), sizes
    assert int(pdfinfo(built[("office", "sheet-a4", "tpi-aftercare")])["Pages"]) == 2
    assert int(pdfinfo(built[("office", "trifold-a4", "trigger-point-injections")])["Pages"]) == 2


def test_list_shows_the_a4_layouts():
    res = run_cli("list")
    assert res.returncode == 0, res.stderr
    assert re.search(r"^\s+trifold-a4\s+Tri-fold brochure, A4 landscape", res.stdout, re.M)
    assert re.search(r"^\s+sheet-a4\s+Information sheet, A4 portrait", res.stdout, re.M)


SECRET = "Zebulon Quixote-Marsh"


@pytest.mark.parametrize("target", ["office", "press"])
def test_metadata_and_viewer_preferences(tmp_path, target):
    from pypdf import PdfReader

    out = tmp_path / "t.pdf"
    res = run_cli(
        "build",
        "trigger-point-injections",
        "--layout",
        "trifold",
        "--target",
        target,
        "--set",
        f"patient.name={SECRET}",
        "-o",
        str(out),
    )
    assert res.returncode == 0, res.stderr
    info = pdfinfo(out)
    assert info["Title"] == "Trigger Point Injections"
    assert info["Subject"] == "Patient information"  # generic when personal values are filled in
    assert info["Creator"].startswith("Handout Press ")
    assert info["Author"] == "Palomar Spine & Pain"
    reader = PdfReader(str(out))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    prefs = root["/ViewerPreferences"]
    assert prefs["/Duplex"] == "/DuplexFlipShortEdge"
    assert prefs["/PrintScaling"] == "/None"
    assert prefs["/DisplayDocTitle"]
    # the personal values are on the page, and nowhere in the metadata: Info, XMP, catalog
    assert SECRET in words(out)
    meta_xmp = subprocess.run(
        [tool("pdfinfo"), "-meta", str(out)], capture_output=True, text=True, check=True
    ).stdout
    catalog = {k: str(v) for k, v in root.items() if k != "/Pages"}
    for value in (SECRET, "Zyzzyva"):
        for key, meta in (reader.metadata or {}).items():
            assert value not in str(meta), key
        assert value not in str(info) and value not in meta_xmp
        xmp = reader.xmp_metadata
        assert xmp is None or value.encode() not in xmp.stream.get_data()
        assert value not in str(catalog)


def test_sheet_viewer_preferences_flip_on_long_edge(built):
    from pypdf import PdfReader

    root = PdfReader(str(built[("office", "sheet", "tpi-aftercare")])).trailer["/Root"]
    assert root["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipLongEdge"
    assert root["/ViewerPreferences"]["/PrintScaling"] == "/None"
    info = pdfinfo(built[("office", "sheet", "tpi-aftercare")])
    assert info["Subject"] == "How to care for yourself at home"


def test_png_logo_goes_to_press_in_cmyk_with_its_transparency(project, tmp_path):
    from PIL import Image, ImageDraw

    brands = project / "layouts" / "brands"
    for name, fill in (("logo.png", (14, 90, 107, 255)), ("logo-white.png", (255, 255, 255, 255))):
        im = Image.new("RGBA", (600, 200), (0, 0, 0, 0))  # transparent background
        draw = ImageDraw.Draw(im)
        draw.ellipse((10, 10, 190, 190), fill=fill)
        draw.rectangle((220, 60, 590, 140), fill=(200, 120, 30, 255))
        im.save(brands / name)
    brand = (brands / "palomar.yaml").read_text()
    brand = brand.replace("logo: palomar-logo.svg", "logo: logo.png")
    brand = brand.replace("logo_on_band: palomar-logo-white.svg", "logo_on_band: logo-white.png")
    (brands / "png.yaml").write_text(brand)
    raws = {}
    for target in ("office", "press"):
        out = project / f"{target}.pdf"
        res = run_cli(
            "build",
            "tpi-aftercare",
            "--brand",
            "png",
            "--target",
            target,
            "-o",
            str(out),
            cwd=project,
        )
        assert res.returncode == 0, res.stderr
        raws[target] = qdf_text(out, tmp_path)
    assert b"/DeviceRGB" in raws["office"]  # the check below can fail
    assert b"/DeviceRGB" not in raws["press"]
    assert b"/DeviceCMYK" in raws["press"] and b"/SMask" in raws["press"]
    assert colour_operators(project / "press.pdf")["rg"] == 0


def _delta_e(cmyk: tuple[float, ...], rgb: tuple[int, int, int], profile: str) -> float:
    """CIE76 ΔE between an sRGB colour and a CMYK colour printed on ``profile``'s press."""
    import io

    from PIL import Image, ImageCms

    from handoutpress.pdfx import profile_bytes

    lab = ImageCms.createProfile("LAB")
    press = ImageCms.ImageCmsProfile(io.BytesIO(profile_bytes(profile)))
    to_lab = ImageCms.buildTransform(press, lab, "CMYK", "LAB", renderingIntent=1)
    srgb_lab = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), lab, "RGB", "LAB")
    printed = ImageCms.applyTransform(
        Image.new("CMYK", (1, 1), tuple(round(v * 255) for v in cmyk)), to_lab
    ).getpixel((0, 0))
    screen = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), srgb_lab).getpixel((0, 0))

    def lab_of(px: tuple[int, int, int]) -> tuple[float, float, float]:
        return px[0] * 100 / 255, px[1] - 128, px[2] - 128  # Pillow's LAB: a, b offset 128

    a, b = lab_of(printed), lab_of(screen)
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5


@pytest.mark.parametrize("profile", ["TR006.icc", "FOGRA39.icc"])
def test_brand_colours_print_close_to_the_screen(profile):
    """Converted through the output profile, the shipped brands' colours land within a few
    ΔE of their screen colour, closer than the device formula used before (ΔE 10-14)."""
    from handoutpress.press import rgb_to_cmyk

    def formula(r: float, g: float, b: float) -> tuple[float, ...]:
        k = 1 - max(r, g, b)
        return (*((1 - v - k) / (1 - k) for v in (r, g, b)), k)

    for hex_value in ("#0E5A6B", "#A95C14", "#A4262C", "#1A4D8F"):
        rgb = tuple(int(hex_value[i : i + 2], 16) for i in (1, 3, 5))
        r, g, b = (v / 255 for v in rgb)
        icc = _delta_e(rgb_to_cmyk(r, g, b, profile), rgb, profile)
        naive = _delta_e(formula(r, g, b), rgb, profile)
        assert icc < 8 and icc < naive, (hex_value, icc, naive)


def test_colour_conversion_rules():
    from reportlab.lib.colors import CMYKColor, CMYKColorSep, HexColor

    from handoutpress.models import Brand
    from handoutpress.press import cmyk_converter, rgb_to_cmyk

    assert rgb_to_cmyk(0, 0, 0) == (0, 0, 0, 1)  # black text: black ink only, no rich black
    assert rgb_to_cmyk(0.5, 0.5, 0.5) == (0, 0, 0, 0.5)
    assert rgb_to_cmyk(1, 1, 1) == (0, 0, 0, 0)
    red = rgb_to_cmyk(1, 0, 0)  # through the TR 006 profile (littleCMS): magenta + yellow
    assert red[1] > 0.9 and red[2] > 0.9 and red[0] < 0.05 and red[3] < 0.05, red
    brand = Brand.model_validate(
        {
            "name": "X",
            "colors": {
                "primary": "#0E5A6B",
                "accent": "#A95C14",
                "light": "#E6F2F4",
                "warning": "#A4262C",
                "warning_light": "#FBEAEA",
            },
            "cmyk": {"primary": [92, 45, 38, 28]},
            "contact": {"phone": "(760) 555-0142", "address": ["a"]},
        }
    )
    convert = cmyk_converter(brand)
    primary = convert(HexColor("#0E5A6B"))
    assert isinstance(primary, CMYKColor)
    assert (primary.cyan, primary.magenta, primary.yellow, primary.black) == pytest.approx(
        (0.92, 0.45, 0.38, 0.28)
    )
    accent = convert("#A95C14")  # no cmyk value given: converted through the profile
    assert (accent.cyan, accent.magenta, accent.yellow, accent.black) == rgb_to_cmyk(
        0xA9 / 255, 0x5C / 255, 0x14 / 255
    )
    spot = convert(CMYKColorSep(0.1, 0.2, 0.3, 0.4, spotName="Brand"))
    assert type(spot) is CMYKColor  # no separations in press output
    assert convert((0.2, 0.2, 0.2)).black == pytest.approx(0.8)


def test_press_build_has_its_own_file_name(tmp_path: Path) -> None:
    """An office and a press build into one folder: two files, the office one untouched."""
    res = run_cli("build", "tpi-aftercare", "--out-dir", str(tmp_path))
    assert res.returncode == 0, res.stderr
    office = tmp_path / "tpi-aftercare-sheet.pdf"
    before = office.read_bytes()
    res = run_cli("build", "tpi-aftercare", "--target", "press", "--out-dir", str(tmp_path))
    assert res.returncode == 0, res.stderr
    press = tmp_path / "tpi-aftercare-sheet-press.pdf"
    assert res.stdout.splitlines() == [str(press)]
    assert office.read_bytes() == before
    boxes_of = pdfinfo(press, "-box")
    assert boxes_of["TrimBox"] != boxes_of["MediaBox"]  # the press file: bleed around the trim
    assert page_sizes(press) != page_sizes(office)
    res = run_cli("build", "tpi-aftercare", "--large-print", "--target", "press", "--out-dir",
                  str(tmp_path))  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "tpi-aftercare-large-print-press.pdf").is_file()
