"""A brand's own typeface (``fonts:`` in the brand file): used everywhere text is set,
DejaVu Sans for the characters it lacks, and every unusable font file refused at its line.

The test fonts are made from the bundled DejaVu Sans with fontTools, under new names so
that ``pdffonts`` and pdfplumber tell them from the bundled faces: ``HPAscii`` (printable
ASCII only: every accent must come from the fallback) and the ``HPTestSans`` family
(ASCII and Latin-1, plus U+4E2D drawn as an "A": a character only the brand has).
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from . import pdfcheck
from .conftest import ROOT, assert_clean_error, run_cli

BRAND_DIR = ("layouts", "brands")
LATIN1 = [*range(0x20, 0x7F), *range(0xA0, 0x100)]
ONLY_BRAND = "\u4e2d"  # in the HPTestSans faces (as an "A"), in neither bundled family


def _make_font(src: str, dest: Path, ps_name: str, unicodes: list[int], extra: bool) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(str(ROOT / "fonts" / src))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 6, 16):
            record.string = ps_name
    if extra:
        for table in font["cmap"].tables:
            if table.isUnicode():
                table.cmap[ord(ONLY_BRAND)] = table.cmap[ord("A")]
    font.save(str(dest))


def _make_cff(dest: Path) -> None:
    """A real OpenType font with PostScript (CFF) outlines."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    def box() -> object:
        pen = T2CharStringPen(600, None)
        pen.moveTo((50, 0))
        pen.lineTo((550, 0))
        pen.lineTo((550, 700))
        pen.lineTo((50, 700))
        pen.closePath()
        return pen.getCharString()

    names = [".notdef", *(f"g{c:02X}" for c in range(0x20, 0x7F))]
    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({c: f"g{c:02X}" for c in range(0x20, 0x7F)})
    fb.setupCFF("HPTestCFF", {"FullName": "HP Test CFF"}, {n: box() for n in names}, {})
    fb.setupHorizontalMetrics({n: (600, 50) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "HP Test CFF", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    fb.save(str(dest))


@pytest.fixture(scope="module")
def test_fonts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from fontTools.ttLib import TTFont

    out = tmp_path_factory.mktemp("fonts")
    ascii_only = list(range(0x20, 0x7F))
    _make_font("DejaVuSans.ttf", out / "HPAscii.ttf", "HPAscii", ascii_only, extra=False)
    for src, name in (
        ("DejaVuSans.ttf", "HPTestSans"),
        ("DejaVuSans-Bold.ttf", "HPTestSans-Bold"),
        ("DejaVuSans-Oblique.ttf", "HPTestSans-Oblique"),
        ("DejaVuSans-BoldOblique.ttf", "HPTestSans-BoldOblique"),
    ):
        _make_font(src, out / f"{name}.ttf", name, LATIN1, extra=True)
    restricted = TTFont(str(out / "HPAscii.ttf"))
    restricted["OS/2"].fsType = 0x0002
    restricted.save(str(out / "Restricted.ttf"))
    _make_font("DejaVuSans.ttf", out / "Digits.ttf", "HPDigits", list(range(0x30, 0x3A)), False)
    _make_cff(out / "HPTestCFF.otf")
    (out / "NotAFont.ttf").write_text("this is not a font\n")
    return out


def _brand(project: Path, fonts: Path, block: str, name: str = "typeface", **changes: str) -> int:
    """Write ``layouts/brands/<name>.yaml``: the sample brand with ``block`` (the lines of a
    ``fonts:`` mapping) before its ``cmyk:``, the test fonts beside it in ``fonts/``.
    Returns the line number of ``fonts:``."""
    brands = project.joinpath(*BRAND_DIR)
    shutil.copytree(fonts, brands / "fonts", dirs_exist_ok=True)
    lines = (brands / "palomar.yaml").read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("cmyk:"))
    lines[at:at] = block.strip("\n").splitlines()
    text = "\n".join(lines) + "\n"
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    (brands / f"{name}.yaml").write_text(text, encoding="utf-8")
    return at + 1


def _font_names(pdf: Path) -> set[str]:
    pdfcheck.assert_fonts_embedded(pdf)
    return {row.name.split("+", 1)[-1] for row in pdfcheck.pdffonts(pdf)}


# --------------------------------------------------------------------------- every layout


LAYOUTS = {
    "trifold": ("--layout", "trifold"),
    "sheet": ("--layout", "sheet"),
    "letter": ("--layout", "letter"),
    "large-print": ("--large-print",),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_ascii_brand_face_every_accent_from_the_fallback(
    project: Path, test_fonts: Path, layout: str
) -> None:
    """Spanish in an ASCII-only brand face: the brand face sets the body, DejaVu Sans every
    accented letter, in paragraphs and in what the layouts draw themselves (footers, page
    numbers, marks); no glyph is asked of a face that lacks it."""
    _brand(project, test_fonts, "fonts:\n  regular: fonts/HPAscii.ttf")
    out = project / "out.pdf"
    # the aftercare is a sheet (its pain log and body map do not fold); the brochure folds
    handout = "trigger-point-injections.es" if layout == "trifold" else "tpi-aftercare.es"
    if layout == "trifold":  # the test brand face is wider: two sections less, so it fits
        es = project / "handouts" / "trigger-point-injections.es.yaml"
        text = es.read_text(encoding="utf-8")
        for heading in ("Qué esperar", "Beneficios y riesgos"):
            start = text.index(f"  - heading: {heading}\n")
            end = text.index("  - heading: ", start + 5)
            text = text[:start] + text[end:]
        es.write_text(text, encoding="utf-8")
    res = run_cli(
        "build", handout, "--brand", "typeface", *LAYOUTS[layout], "-o", str(out),
        cwd=project,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    pdfcheck.qpdf_check(out)
    names = _font_names(out)
    assert "HPAscii" in names and "DejaVuSans" in names
    assert "AtkinsonHyperlegible-Regular" not in names  # the brand's regular replaces it
    assert "AtkinsonHyperlegible-Bold" in names  # no bold face given: Atkinson's
    chars = pdfcheck.chars(out)
    in_brand = [c for c in chars if c.font.endswith("+HPAscii")]
    assert len(in_brand) > 200
    assert not [c.text for c in in_brand if ord(c.text) > 0x7E]
    accented = [c for c in chars if c.text in "áéíóúñ¿Á"]
    assert accented and all("DejaVuSans" in c.font for c in accented)
    words = pdfcheck.words(out)
    assert "<font" not in words and "&amp;" not in words
    if layout != "trifold":
        assert "Página 1 de" in words


#: the HPTestSans family as a brand's ``fonts:`` (every face has :data:`ONLY_BRAND`)
FAMILY = """
fonts:
  regular: fonts/HPTestSans.ttf
  bold: fonts/HPTestSans-Bold.ttf
  italic: fonts/HPTestSans-Oblique.ttf
  bold_italic: fonts/HPTestSans-BoldOblique.ttf
"""


def test_a_whole_family_replaces_atkinson(project: Path, test_fonts: Path) -> None:
    """All four faces given: no Atkinson at all. A name with characters the brand lacks
    still prints (Ł, ễ in DejaVu Sans); one that only the brand has is set in the brand."""
    _brand(project, test_fonts, FAMILY)
    out = project / "out.pdf"
    name = f"\u0141ukasz Nguy\u1ec5n {ONLY_BRAND}"
    res = run_cli(
        "build", "tpi-aftercare", "--brand", "typeface", "--large-print",
        "--set", f"patient.name={name}", "-o", str(out), cwd=project,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    names = _font_names(out)
    assert not [n for n in names if n.startswith("Atkinson")], names
    assert {"HPTestSans", "HPTestSans-Bold", "HPTestSans-Oblique"} <= names
    chars = pdfcheck.chars(out)
    by_text = {c.text: c.font.split("+", 1)[-1] for c in chars}
    assert by_text["\u0141"] == "DejaVuSans"
    assert by_text["\u1ec5"] == "DejaVuSans"
    assert by_text[ONLY_BRAND] == "HPTestSans"
    assert name in pdfcheck.words(out)


def test_check_counts_the_brand_faces(project: Path, test_fonts: Path) -> None:
    """A character only the brand's faces have passes ``check`` with them, and is an error
    without them; one neither has is an error naming both."""
    family = """
fonts:
  regular: fonts/HPTestSans.ttf
  bold: fonts/HPTestSans-Bold.ttf
  italic: fonts/HPTestSans-Oblique.ttf
  bold_italic: fonts/HPTestSans-BoldOblique.ttf
"""
    renamed = {"name: Palomar Spine & Pain": f"name: Palomar {ONLY_BRAND}"}
    _brand(project, test_fonts, family, **renamed)
    res = run_cli("check", "tpi-aftercare", "--brand", "typeface", cwd=project)
    assert "Traceback" not in res.stderr
    # (DejaVu Sans Bold is wider than Atkinson's: the sheet's title band may overflow)
    assert not [line for line in res.stderr.splitlines() if "can print" in line], res.stderr
    _brand(project, test_fonts, "", name="plain", **renamed)
    lines = assert_clean_error(run_cli("check", "tpi-aftercare", "--brand", "plain", cwd=project))
    assert (
        "layouts/brands/plain.yaml:4:7: name: has characters no bundled font can print (U+4E2D)"
    ) in lines
    _brand(project, test_fonts, family, **{"name: Palomar Spine & Pain": "name: Palomar \u6587"})
    lines = assert_clean_error(
        run_cli("check", "tpi-aftercare", "--brand", "typeface", cwd=project)
    )
    assert (
        "layouts/brands/typeface.yaml:4:7: name: has characters neither the brand's fonts nor "
        "the fallback font (DejaVu Sans) can print (U+6587)"
    ) in lines


# --------------------------------------------------------------------------- refused files

BAD = {
    "missing": (
        "fonts/Missing.ttf",
        "font file not found: layouts/brands/fonts/Missing.ttf",
    ),
    "folder": ("fonts", "is a folder, not a file"),
    "not a font": ("fonts/NotAFont.ttf", "not a TrueType font file (.ttf)"),
    "restricted": (
        "fonts/Restricted.ttf",
        "the font's licence forbids embedding it in a PDF (OS/2 fsType 0x0002: restricted "
        "licence); use a font that allows embedding",
    ),
    "cff": (
        "fonts/HPTestCFF.otf",
        "OpenType font with PostScript (CFF) outlines, which cannot be embedded; use a "
        "TrueType (.ttf) version of the font",
    ),
    "symbol": (
        "fonts/Digits.ttf",
        "the font has no A, B, C …: a text face needs the basic Latin letters and digits "
        "(is it a symbol font?)",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_unusable_font_is_one_line_at_its_face(project: Path, test_fonts: Path, case: str) -> None:
    path, message = BAD[case]
    line = _brand(project, test_fonts, f"fonts:\n  regular: fonts/HPAscii.ttf\n  bold: {path}")
    res = run_cli("build", "tpi-aftercare", "--brand", "typeface", "--out-dir", "out", cwd=project)
    lines = assert_clean_error(res)
    assert lines == [f"layouts/brands/typeface.yaml:{line + 2}:9: fonts.bold: {message}"]
    assert not (project / "out").exists()


def test_check_and_batch_refuse_it_too(project: Path, test_fonts: Path) -> None:
    line = _brand(project, test_fonts, "fonts:\n  regular: fonts/Restricted.ttf")
    expected = (
        f"layouts/brands/typeface.yaml:{line + 1}:12: fonts.regular: the font's licence "
        "forbids embedding it in a PDF (OS/2 fsType 0x0002: restricted licence); use a font "
        "that allows embedding"
    )
    lines = assert_clean_error(
        run_cli("check", "tpi-aftercare", "--brand", "typeface", cwd=project)
    )
    assert expected in lines
    (project / "r.csv").write_text(
        "first_name,last_name,address1,city,state,zip\nAna,Ruiz,1 Main St,Escondido,CA,92025\n"
    )
    res = run_cli(
        "batch", "tpi-aftercare", "--recipients", "r.csv", "--brand", "typeface", "--proof",
        "--merged", "mail/all.pdf", cwd=project,
    )  # fmt: skip
    assert assert_clean_error(res) == [expected]
    assert not (project / "mail").exists()


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("fonts:\n  bold: fonts/HPAscii.ttf", "{n1}:3: fonts.regular: required but missing"),
        (
            "fonts:\n  regular: fonts/HPAscii.ttf\n  semibold: fonts/HPAscii.ttf",
            "{n2}:3: fonts.semibold: unknown key (did you mean 'bold'?)",
        ),
        (
            "fonts: fonts/HPAscii.ttf",
            "{n0}:8: fonts: expected a mapping (key: value lines), got text",
        ),
    ],
)
def test_fonts_mapping_is_validated(
    project: Path, test_fonts: Path, block: str, expected: str
) -> None:
    line = _brand(project, test_fonts, block)
    res = run_cli("build", "tpi-aftercare", "--brand", "typeface", "--out-dir", "out", cwd=project)
    where = expected.format(n0=line, n1=line + 1, n2=line + 2)
    assert assert_clean_error(res) == [f"layouts/brands/typeface.yaml:{where}"]
    assert not (project / "out").exists()


# --------------------------------------------------------------------------- mailing


def test_batch_proof_with_a_brand_face(project: Path, test_fonts: Path) -> None:
    _brand(project, test_fonts, "fonts:\n  regular: fonts/HPAscii.ttf")
    (project / "r.csv").write_text(
        "first_name,last_name,address1,city,state,zip\n"
        "\u0141ukasz,Nguy\u1ec5n,1 Main St,Escondido,CA,92025\n"
        "Bob,Smith,2 Oak Ave,Escondido,CA,92026\n",
        encoding="utf-8",
    )
    res = run_cli(
        "batch", "tpi-aftercare", "--recipients", "r.csv", "--brand", "typeface", "--proof",
        "--merged", "mail/all.pdf", "--jobs", "2", cwd=project,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    pdf = project / "mail" / "all.pdf"
    pdfcheck.qpdf_check(pdf)
    names = _font_names(pdf)
    assert "HPAscii" in names and "AtkinsonHyperlegible-Regular" not in names
    chars = pdfcheck.chars(pdf)
    assert not [c.text for c in chars if c.font.endswith("+HPAscii") and ord(c.text) > 0x7E]
    assert {c.font.split("+", 1)[-1] for c in chars if c.text in "\u0141\u1ec5"} == {"DejaVuSans"}
    words = pdfcheck.words(pdf)
    assert "\u0141ukasz Nguy\u1ec5n" in words and "Dear \u0141ukasz," in words


@pytest.mark.parametrize(
    ("text", "output"),
    [("", "--merged"), ("{{ patient.first_name }}, ", "--out-dir")],
    ids=["shared-text", "recipient-text"],
)
def test_batch_composes_as_build_does(
    project: Path, test_fonts: Path, text: str, output: str
) -> None:
    """A character only the brand's face has, in the letter's text: ``build --layout letter``
    prints it in the brand face, and so does ``batch`` (it composes through the same code:
    the characters checked against the brand's fonts, not the bundled ones), in text every
    recipient shares (a merged file) and in a section with a recipient field (one file
    each)."""
    _brand(project, test_fonts, FAMILY)
    handout = project / "handouts" / "tpi-aftercare.yaml"
    source = handout.read_text(encoding="utf-8")
    line = "      - **Right away:** The spots may be numb for 1 to 2 hours.\n"
    assert line in source
    said = f"{text}the brand says {ONLY_BRAND}."
    handout.write_text(source.replace(line, f"{line}      - {said}\n"), encoding="utf-8")
    res = run_cli(
        "build", "tpi-aftercare", "--layout", "letter", "--brand", "typeface",
        "--set", "patient.first_name=Ana", "-o", "letter.pdf", cwd=project,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    (project / "r.csv").write_text(
        "first_name,last_name,address1,city,state,zip\nAna,Ruiz,1 Main St,Escondido,CA,92025\n"
    )
    made = "mail/all.pdf" if output == "--merged" else "mail"
    res = run_cli(
        "batch", "tpi-aftercare", "--recipients", "r.csv", "--brand", "typeface", "--proof",
        output, made, cwd=project,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    mailed = sorted((project / "mail").glob("*.pdf"))
    assert len(mailed) == 1, mailed
    for pdf in (project / "letter.pdf", mailed[0]):
        assert f"the brand says {ONLY_BRAND}." in pdfcheck.words(pdf).replace("Ana, t", "t")
        fonts_of = {c.font.split("+", 1)[-1] for c in pdfcheck.chars(pdf) if c.text == ONLY_BRAND}
        assert fonts_of == {"HPTestSans"}, (pdf, fonts_of)


# --------------------------------------------------------------------------- in process


def test_families_stay_apart_and_register_once(test_fonts: Path, tmp_path: Path) -> None:
    """A brand family never takes over the bundled one's <b>/<i> mapping (ReportLab keeps
    one reverse map of font names), and the same files give the same family."""
    from reportlab.lib.fonts import ps2tt, tt2ps
    from reportlab.pdfbase import pdfmetrics

    from handoutpress.fonts import FontSet, brand_fonts, register
    from handoutpress.models import Brand

    bundled = register()
    brand_file = tmp_path / "b.yaml"
    shutil.copy(test_fonts / "HPAscii.ttf", tmp_path / "face.ttf")
    brand = Brand.model_validate(
        {
            "name": "X",
            "colors": dict.fromkeys(
                ("primary", "accent", "text", "muted", "light", "warning", "warning_light"),
                "#000000",
            ),
            "contact": {
                "phone": "(760) 555-0142",
                "address": ["a"],
                "website": "w",
                "email": "e",
                "hours": "h",
            },
            "fonts": {"regular": "face.ttf"},
        }
    )
    fonts = brand_fonts(brand, brand_file)
    assert fonts.brand and fonts != bundled
    assert brand_fonts(brand, brand_file) is fonts
    assert brand_fonts(brand.model_copy(update={"fonts": None}), brand_file) == FontSet()
    family = ps2tt(fonts.regular)[0]
    assert tt2ps(family, 1, 0) == fonts.bold != bundled.bold
    assert tt2ps("HPBody", 1, 0) == bundled.bold
    assert ps2tt(bundled.bold) == ("hpbody", 1, 0)
    assert pickle.loads(pickle.dumps(fonts)) is fonts
    # another process (a batch worker) registers the brand's faces when the set arrives
    code = (
        "import pickle, sys\n"
        "from reportlab.pdfbase.pdfmetrics import stringWidth\n"
        "fonts = pickle.loads(sys.stdin.buffer.read())\n"
        "print(stringWidth('Hi', fonts.regular, 10), sorted(fonts.body_set)[:3])\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code],
        input=pickle.dumps(fonts),
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert res.returncode == 0, res.stderr.decode()
    width = pdfmetrics.stringWidth("Hi", fonts.regular, 10)
    assert res.stdout.decode().split(" ", 1)[0] == repr(width)
    assert fonts.missing("Jos\u00e9 \u4e2d") == ["\u4e2d"]
    assert fonts.markup("Jos\u00e9") == 'Jos<font face="HPFallback">\u00e9</font>'
    assert bundled.markup("Jos\u00e9") == "Jos\u00e9"


def test_batch_measures_the_address_in_the_brand_face(project: Path, test_fonts: Path) -> None:
    """A street line that fits the envelope window in Atkinson can overflow it in a wider
    brand face: batch must measure in the face it prints with."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from handoutpress.fonts import register
    from handoutpress.layouts.letter import LetterGeometry
    from handoutpress.project import Project

    _brand(project, test_fonts, "fonts:\n  regular: fonts/HPTestSans.ttf")
    geo = LetterGeometry(Project(project).load_layout("letter"))
    bundled = register()
    body = bundled.regular
    # the fallback (DejaVu Sans) is registered when first needed: fallback_face does that
    # (its name alone was unknown to ReportLab when no earlier test had needed the face)
    fallback = bundled.fallback_face(body)

    def fits(text: str, font: str) -> bool:
        return stringWidth(text, font, geo.addr_size) <= geo.addr_w

    street = "1 Main St"
    while fits(street + " Wm", body):  # HPTestSans has DejaVu Sans's (wider) widths
        street += " Wm"
    assert fits(street, body) and not fits(street, fallback)
    (project / "r.csv").write_text(
        f"first_name,last_name,address1,city,state,zip\nAna,Ruiz,{street},Escondido,CA,92025\n",
        encoding="utf-8",
    )
    args = ("batch", "tpi-aftercare", "--recipients", "r.csv", "--proof", "--merged")
    res = run_cli(*args, "a/all.pdf", cwd=project)
    assert res.returncode == 0, res.stderr  # Atkinson: it fits
    res = run_cli(*args, "b/all.pdf", "--brand", "typeface", cwd=project)
    assert res.returncode == 3, res.stderr
    rejects = (project / "b" / "all.rejects.csv").read_text(encoding="utf-8").splitlines()
    assert rejects[1].startswith("1,2,address1,") and "envelope window" in rejects[1]
