"""A brand's texts are checked in the faces they print in: the brand's own fonts. A
right-to-left character that only the brand's font has (Syriac, which no bundled font
covers) was skipped as "no font has it" (the bundled fonts were asked), so neither ``check``
nor ``build`` refused it, and it printed in stored order, reversed. Now it is refused at its
line in the brand file, as it is when a bundled font has it."""

from __future__ import annotations

import shutil
from pathlib import Path

from .conftest import ROOT, assert_clean_error, run_cli

SYRIAC = "\u0710\u0712"  # in no bundled font; in the test font (drawn as "A")
#: the test font is every face (a character is the brand's when all its faces have it)
FACES = ("regular", "bold", "italic", "bold_italic")


def _syriac_font(dest: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(str(ROOT / "fonts" / "DejaVuSans.ttf"))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[*range(0x20, 0x7F), *range(0xA0, 0x100), 0x2013, 0x2014])
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 6, 16):
            record.string = "HPSyriacTest"
    for table in font["cmap"].tables:
        if table.isUnicode():
            for ch in SYRIAC:
                table.cmap[ord(ch)] = table.cmap[ord("A")]
    font.save(str(dest))


def test_rtl_text_only_the_brand_font_has_is_refused(project: Path) -> None:
    from handoutpress.fonts import register

    assert register().missing(SYRIAC) == list(SYRIAC)  # (else this tests nothing new)
    brands = project / "layouts" / "brands"
    (brands / "fonts").mkdir()
    _syriac_font(brands / "fonts" / "HPSyriacTest.ttf")
    text = (brands / "palomar.yaml").read_text(encoding="utf-8")
    street = '"100 Sample Street, Suite 200"'
    assert street in text
    text = text.replace(street, f'"100 {SYRIAC} Street"').replace(
        "\ncmyk:", "\nfonts:\n" + "".join(f"  {face}: fonts/HPSyriacTest.ttf\n" for face in FACES)
        + "cmyk:", 1,
    )  # fmt: skip
    (brands / "syriac.yaml").write_text(text, encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.strip().startswith("address:"))
    where = f"layouts/brands/syriac.yaml:{line}:"
    res = run_cli("check", "tpi-aftercare", "--brand", "syriac", cwd=project)
    assert res.returncode == 1
    said = [ln for ln in (res.stdout + res.stderr).splitlines() if ln.startswith(where)]
    assert len(said) == 1 and ": contact.address.0: " in said[0], res.stdout + res.stderr
    assert "right-to-left" in said[0] and "U+0710" in said[0], said
    out = project / "x.pdf"
    res = run_cli("build", "tpi-aftercare", "--brand", "syriac", "-o", str(out), cwd=project)
    (msg,) = assert_clean_error(res, 1)
    assert msg.startswith(where) and ": contact.address.0: " in msg
    assert not out.exists()
    shutil.rmtree(brands / "fonts")


def test_list_bullets_in_a_brand_face_without_one_come_from_the_fallback(
    project: Path, tmp_path: Path
) -> None:
    """A brand face without "•" (U+2022): the lists' bullets printed as empty boxes (the
    face's missing-glyph box), and no reader saw a bullet. They are set in DejaVu Sans."""
    import pdfplumber

    brands = project / "layouts" / "brands"
    (brands / "fonts").mkdir()
    _syriac_font(brands / "fonts" / "HPSyriacTest.ttf")  # (Latin-1 and dashes: no bullet)
    text = (brands / "palomar.yaml").read_text(encoding="utf-8")
    # the regular face only (the bold faces stay Atkinson's: the sheet still fits)
    text = text.replace("\ncmyk:", "\nfonts:\n  regular: fonts/HPSyriacTest.ttf\ncmyk:", 1)
    (brands / "nobullet.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "sheet.pdf"
    res = run_cli("build", "tpi-aftercare", "--brand", "nobullet", "-o", str(out), cwd=project)
    assert res.returncode == 0, res.stderr
    with pdfplumber.open(str(out)) as pdf:
        bullets = [c for c in pdf.pages[0].chars if c["text"] == "\u2022"]
        in_brand = [c for c in pdf.pages[0].chars if c["fontname"].endswith("+HPSyriacTest")]
    assert len(bullets) >= 10 and {c["fontname"].split("+")[-1] for c in bullets} == {"DejaVuSans"}
    assert len(in_brand) > 500  # the text itself is in the brand face


def test_body_map_region_bullets_in_a_brand_face_without_one_come_from_the_fallback(
    project: Path, tmp_path: Path
) -> None:
    """The body map's list of marked regions (``formfields.py``) took its "•" from the
    value's face: in a brand face without one it printed empty boxes. As the lists' bullets,
    it is set in DejaVu Sans; the region names stay in the brand face."""
    import pdfplumber

    brands = project / "layouts" / "brands"
    (brands / "fonts").mkdir()
    _syriac_font(brands / "fonts" / "HPSyriacTest.ttf")  # (Latin-1 and dashes: no bullet)
    text = (brands / "palomar.yaml").read_text(encoding="utf-8")
    text = text.replace("\ncmyk:", "\nfonts:\n  regular: fonts/HPSyriacTest.ttf\ncmyk:", 1)
    (brands / "nobullet.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "sheet.pdf"
    sites = "visit.sites=upper back left; Neck, right"
    res = run_cli(
        "build", "tpi-aftercare", "--brand", "nobullet", "--set", sites, "-o", str(out),
        cwd=project,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    with pdfplumber.open(str(out)) as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    # the region list: a bullet at the start of the line (the baseline) each name is on
    rows: dict[tuple[int, int], list[dict[str, object]]] = {}
    for c in chars:
        rows.setdefault((c["page_number"], round(c["matrix"][5])), []).append(c)
    region_rows = [
        sorted(r, key=lambda c: c["x0"])
        for r in rows.values()
        if "".join(str(c["text"]) for c in sorted(r, key=lambda c: c["x0"]))[1:].strip()
        in ("Upper back, left", "Neck, right")
    ]
    assert len(region_rows) == 2, sorted("".join(c["text"] for c in r) for r in rows.values())
    for row in region_rows:
        bullet, first = row[0], row[1]
        assert bullet["text"] == "\u2022"
        assert str(bullet["fontname"]).split("+")[-1] == "DejaVuSans"
        assert str(first["fontname"]).endswith("+HPSyriacTest")  # the name: the brand face
