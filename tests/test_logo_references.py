"""SVG logos cannot reach outside the brand's folder, and library messages never leak
(issue 9, harm 3).

A brand folder is made in tmp_path with a logo that references, in every way SVG allows, a
"secret" picture and text outside the folder; each must be dropped with a one-line warning at
the brand file's ``logo:`` line, and nothing of the secret may reach the PDF.
"""

from __future__ import annotations

import base64
import shutil
import struct
import zlib
from pathlib import Path

import pypdf
import pytest

from .conftest import ROOT, run_cli
from .pdfcheck import text

SECRET_TEXT = "SECRETWORDOUTSIDE"


def png(width: int, height: int, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A small solid PNG, written by hand (no image library needed to make it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def brand_with_logo(tmp_path: Path, svg: str) -> Path:
    """``tmp_path/clinic/brand/acme.yaml`` (the shipped brand's details) with ``svg`` as its
    logo; outside the brand folder, ``tmp_path/clinic/secret.png`` and ``secret.svg``."""
    clinic = tmp_path / "clinic"
    folder = clinic / "brand"
    folder.mkdir(parents=True)
    (clinic / "secret.png").write_bytes(png(40, 40))
    (clinic / "secret.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
        f'<g id="x"><text x="0" y="30" font-size="20">{SECRET_TEXT}</text></g></svg>'
    )
    (folder / "inside.png").write_bytes(png(30, 10, (10, 90, 200)))
    source = (ROOT / "layouts" / "brands" / "palomar.yaml").read_text()
    source = source.replace("logo: palomar-logo.svg", "logo: logo.svg")
    source = "\n".join(line for line in source.splitlines() if not line.startswith("logo_on_band"))
    (folder / "acme.yaml").write_text(source + "\n")
    (folder / "logo.svg").write_text(svg)
    return folder / "acme.yaml"


def logo_line(brand: Path) -> int:
    return next(
        i for i, line in enumerate(brand.read_text().splitlines(), 1) if line.startswith("logo:")
    )


HOSTILE = f"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="300" height="100" viewBox="0 0 300 100">
  <style>@import url("../secret.css"); rect {{ fill: url(../secret.svg#paint); }}</style>
  <rect x="0" y="0" width="300" height="100" fill="#0E5A6B"/>
  <image x="0" y="0" width="40" height="40" href="../secret.png"/>
  <image x="0" y="0" width="40" height="40" xlink:href="{{secret_abs}}"/>
  <image x="0" y="0" width="40" height="40" xlink:href="file://{{secret_abs}}"/>
  <image x="0" y="0" width="40" height="40" href="http://127.0.0.1:9/secret.png"/>
  <image x="0" y="0" width="40" height="40"
         href="data:image/png;base64,{base64.b64encode(png(8, 8)).decode()}"/>
  <use href="../secret.svg#x"/>
  <use xlink:href="../secret.svg#x"/>
  <circle cx="10" cy="10" r="5" style="fill: url('https://example.com/x.svg#p')"/>
  <image x="100" y="10" width="30" height="10" href="inside.png"/>
</svg>
"""

EXPECTED_DROPS = [
    "SVG <style> '@import url(\"../secret.css\");' dropped: no CSS is imported",
    "SVG <style> reference '../secret.svg#paint' dropped: CSS url() may only name something "
    "inside the SVG (#name)",
    "SVG <image> reference '../secret.png' dropped: it is outside the brand's folder",
    "SVG <image> reference '{secret_abs}' dropped: absolute paths are never loaded",
    "SVG <image> reference 'file://{secret_abs}' dropped: file: URLs are never loaded",
    "SVG <image> reference 'http://127.0.0.1:9/secret.png' dropped: http: URLs are never loaded",
    "SVG <image> reference 'data:image/png;base64,{b64}' dropped: data: URLs are never loaded",
    "SVG <use> reference '../secret.svg#x' dropped: it is outside the brand's folder",
    "SVG <circle> reference 'https://example.com/x.svg#p' dropped: CSS url() may only name "
    "something inside the SVG (#name)",
]


@pytest.fixture
def hostile_brand(tmp_path: Path) -> tuple[Path, list[str]]:
    secret_abs = str(tmp_path / "clinic" / "secret.png")
    brand = brand_with_logo(tmp_path, HOSTILE.replace("{secret_abs}", secret_abs))
    b64 = base64.b64encode(png(8, 8)).decode()
    shown = [e.format(secret_abs=secret_abs, b64=b64) for e in EXPECTED_DROPS]
    where = f"{brand}:{logo_line(brand)}:7: logo: warning: "
    return brand, [where + s for s in shown]


def _expected_lines(expected: list[str]) -> list[str]:
    # long references are shortened to 57 characters and '...'
    out = []
    for line in expected:
        head, ref, tail = line.split("'", 2) if "reference '" in line else (line, None, None)
        if ref is not None and len(ref) > 60:
            line = f"{head}'{ref[:57]}...'{tail}"
        out.append(line)
    return out


def test_build_drops_every_outside_reference_with_one_line_each(
    hostile_brand: tuple[Path, list[str]], tmp_path: Path
) -> None:
    brand, expected = hostile_brand
    out = tmp_path / "sheet.pdf"
    res = run_cli("build", "tpi-aftercare", "--brand", str(brand), "-o", str(out))
    assert res.returncode == 0, res.stderr
    lines = res.stderr.splitlines()
    assert "Traceback" not in res.stderr
    # the drop lines first (in the file's order), one each; nothing from svglib or Pillow
    drops = [line for line in lines if "dropped" in line]
    assert drops == _expected_lines(expected)
    assert all(line.startswith(f"{brand}:") for line in lines), lines
    # the secret's text and picture are nowhere in the PDF; the picture inside the folder is
    assert SECRET_TEXT not in text(out)
    images = [
        (img.image.width, img.image.height)
        for page in pypdf.PdfReader(out).pages
        for img in page.images
    ]
    assert (30, 10) in images  # inside.png, embedded
    assert (40, 40) not in images and (8, 8) not in images


def test_check_reports_the_dropped_references(hostile_brand: tuple[Path, list[str]]) -> None:
    brand, expected = hostile_brand
    res = run_cli("check", "tpi-aftercare", "--brand", str(brand))
    drops = [line for line in res.stderr.splitlines() if "dropped" in line]
    assert drops == _expected_lines(expected)
    res = run_cli("check", "tpi-aftercare", "--brand", str(brand), "--strict")
    assert res.returncode == 1


def test_library_messages_become_located_warnings(tmp_path: Path) -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100">'
        '<rect width="300" height="100" fill="notacolour" transform="skewQ(3)"/></svg>'
    )
    brand = brand_with_logo(tmp_path, svg)
    res = run_cli("build", "tpi-aftercare", "--brand", str(brand), "-o", str(tmp_path / "x.pdf"))
    assert res.returncode == 0, res.stderr
    lines = res.stderr.splitlines()
    where = f"{brand}:{logo_line(brand)}:7: logo: warning: svglib: "
    assert lines, "svglib's complaints were expected as warnings"
    assert all(line.startswith(where) for line in lines), lines
    assert any("notacolour" in line for line in lines)


def test_svg_with_too_many_elements_is_refused_fast(tmp_path: Path) -> None:
    shapes = "".join(f'<rect x="{i % 300}" y="1" width="1" height="1"/>' for i in range(60_000))
    brand = brand_with_logo(
        tmp_path, f'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100">{shapes}</svg>'
    )
    res = run_cli(
        "build", "tpi-aftercare", "--brand", str(brand), "-o", str(tmp_path / "x.pdf"), timeout=30
    )
    assert res.returncode == 1
    assert res.stderr.splitlines() == [
        f"{brand}:{logo_line(brand)}:7: logo: SVG has too many elements (60,001): at most 20,000"
    ]


def test_svg_larger_than_the_cap_is_refused_before_reading(tmp_path: Path) -> None:
    brand = brand_with_logo(tmp_path, "<svg/>")
    logo = brand.parent / "logo.svg"
    with logo.open("wb") as fh:  # 23 MB: a sparse file, nothing is written
        fh.truncate(23_000_000)
    res = run_cli("check", "tpi-aftercare", "--brand", str(brand), timeout=30)
    assert res.returncode == 1
    assert (
        f"{brand}:{logo_line(brand)}:7: logo: file is larger than 10 MB" in res.stderr.splitlines()
    )


def test_shipped_logo_draws_the_same(tmp_path: Path) -> None:
    """The cleaned copy of a harmless logo is the logo: the shipped brand builds as before
    (the visual references cover how it looks)."""
    folder = tmp_path / "b"
    shutil.copytree(ROOT / "layouts" / "brands", folder)
    res = run_cli(
        "build",
        "tpi-aftercare",
        "--brand",
        str(folder / "palomar.yaml"),
        "-o",
        str(tmp_path / "a.pdf"),
    )
    assert res.returncode == 0 and res.stderr == "", res.stderr


def test_external_entities_and_xinclude_never_load(tmp_path: Path) -> None:
    secret = tmp_path / "clinic" / "secret.txt"
    svg = f"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY x SYSTEM "file://{secret}">]>
<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100">
<text x="10" y="50" font-size="20">A &x; B</text>
<g><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="../secret.txt" parse="text"/></g>
</svg>"""
    brand = brand_with_logo(tmp_path, svg)
    secret.write_text(SECRET_TEXT)
    out = tmp_path / "x.pdf"
    res = run_cli("build", "tpi-aftercare", "--brand", str(brand), "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert SECRET_TEXT not in text(out)
    assert res.stderr.splitlines() == [
        f"{brand}:{logo_line(brand)}:7: logo: warning: SVG <include> reference "
        "'../secret.txt' dropped: it is outside the brand's folder"
    ]
