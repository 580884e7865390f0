"""The letter layout, built as a user would: `build HANDOUT --layout letter`.

PDFs are read back with poppler (text, size, metadata), qpdf (structure) and
pdfplumber (where every word sits: the address must show through a #10 window).
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from .conftest import ROOT, assert_clean_error, run_cli
from .pdfcheck import assert_fonts_embedded, page_sizes, pdfinfo, qpdf_check, words

INCH = 72.0
#: The safe window rectangle for a letter tri-folded into a #10 window envelope
#: (postalmethods.com guide 127, research/print-mail-health-literacy.md), from the top left.
WINDOW = (0.5 * INCH, 2.042 * INCH, (0.5 + 3.5) * INCH, (2.042 + 0.875) * INCH)

ADDRESS = [
    "--set",
    "patient.first_name=José",
    "--set",
    "patient.last_name=Nguyễn",
    "--set",
    "patient.address1=1520 King's Rd",
    "--set",
    "patient.address2=Apt 2B",
    "--set",
    "patient.city=Portland",
    "--set",
    "patient.state=OR",
    "--set",
    "patient.zip=97205",
]


def build(tmp_path: Path, handout: str, *extra: str) -> Path:
    out = tmp_path / f"{handout}.pdf"
    res = run_cli("build", handout, "--layout", "letter", "-o", str(out), *extra)
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    return out


def test_layout_file_keeps_the_window_numbers_with_their_source() -> None:
    text = (ROOT / "layouts" / "letter.yaml").read_text(encoding="utf-8")
    for line in ("window_left: 0.5in", "window_top: 2.042in", "window_width: 3.5in"):
        assert line in text
    assert "window_height: 0.875in" in text
    assert "postalmethods.com" in text and "answers.google.com" in text


@pytest.mark.parametrize("handout", ["tpi-aftercare", "trigger-point-injections"])
def test_both_handouts_build_as_letters_without_a_name(tmp_path: Path, handout: str) -> None:
    pdf = build(tmp_path, handout)
    qpdf_check(pdf)
    assert_fonts_embedded(pdf)
    sizes = page_sizes(pdf)
    assert len(sizes) >= 2  # the body continues on a second page
    assert all(s == (612.0, 792.0) for s in sizes)
    first = words(pdf, 1)
    assert "Dear Patient," in first
    assert "Palomar Spine & Pain" in first
    assert "Page 1 of" in first
    last = words(pdf, len(sizes))
    assert "Sincerely," in last and "The care team" in last
    assert f"Page {len(sizes)} of {len(sizes)}" in last


def test_named_letter_prints_address_and_greeting_exactly(tmp_path: Path) -> None:
    pdf = build(tmp_path, "trigger-point-injections", *ADDRESS)
    first = words(pdf, 1)
    assert "José Nguyễn" in first
    assert "1520 King's Rd Apt 2B" in first  # address2 joins address1 when it fits (Pub 28)
    assert "Portland, OR 97205" in first
    assert "Dear José," in first
    # duplex: the running head names the recipient on the front of each later sheet; the
    # back of a sheet (page 2) belongs to the addressed front and has nothing personal
    assert len(page_sizes(pdf)) >= 3
    assert "José Nguyễn" in words(pdf, 3)
    assert "José" not in words(pdf, 2) and "Nguy" not in words(pdf, 2)
    info = pdfinfo(pdf)
    for key in ("Title", "Subject", "Author", "Keywords"):
        assert "José" not in info.get(key, "") and "Nguy" not in info.get(key, "")


def test_address_block_lies_in_the_window_and_nothing_else_does(tmp_path: Path) -> None:
    pdf = build(
        tmp_path,
        "tpi-aftercare",
        *ADDRESS,
        "--set",
        "patient.imb=0004012345620080000197205",
    )
    x0, top, x1, bottom = WINDOW
    address_words = {"José", "Nguyễn", "1520", "King's", "Rd", "Apt", "2B", "Portland,"}
    address_words |= {"OR", "97205"}
    with pdfplumber.open(str(pdf)) as doc:
        page = doc.pages[0]
        found = page.extract_words()
        in_zone = [
            w for w in found if w["x1"] > x0 and w["x0"] < x1 and w["bottom"] > top - 18
            and w["top"] < bottom + 40
        ]  # fmt: skip
        assert {w["text"] for w in in_zone} == address_words
        for w in in_zone:
            assert x0 <= w["x0"] and w["x1"] <= x1, w
            assert top <= w["top"] and w["bottom"] <= bottom, w
        # the Intelligent Mail barcode: 65 bars under the address, inside the window
        bars = [r for r in page.rects if r["width"] < 2.5 and r["height"] < 12]
        assert len(bars) == 65
        for r in bars:
            assert x0 <= r["x0"] and r["x1"] <= x1
            assert top <= r["top"] and r["bottom"] <= bottom
        lowest_text = max(w["bottom"] for w in in_zone)
        assert min(r["top"] for r in bars) > lowest_text


def test_spanish_letter_greets_in_spanish(tmp_path: Path) -> None:
    pdf = build(tmp_path, "tpi-aftercare.es")
    assert "Estimado/a paciente:" in words(pdf, 1)
    assert "Atentamente," in words(pdf)


def test_too_long_address_line_is_a_clean_error(tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    res = run_cli(
        "build",
        "tpi-aftercare",
        "--layout",
        "letter",
        "-o",
        str(out),
        "--set",
        "patient.first_name=Ana",
        "--set",
        "patient.address1=" + "Very Long Street Name " * 5,
    )
    lines = assert_clean_error(res, 1)
    assert any("--set patient.address1" in line and "envelope window" in line for line in lines)
    assert "Very Long" not in res.stderr  # the value is never quoted
    assert not out.exists()


def test_bad_barcode_value_is_a_clean_error(tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    res = run_cli(
        "build", "tpi-aftercare", "--layout", "letter", "-o", str(out),
        "--set", "patient.first_name=Ana", "--set", "patient.imb=12345",
    )  # fmt: skip
    assert assert_clean_error(res, 1) == [
        "--set patient.imb: expected a 20-digit tracking code plus a 0, 5, 9 or 11-digit "
        "routing ZIP, got 5 digits"
    ]
    assert not out.exists()


def test_simplex_letter_names_the_recipient_on_every_later_page(
    tmp_path: Path, project: Path
) -> None:
    """Printed one-sided, every page is a sheet of its own: each carries the name."""
    lay = project / "layouts" / "letter.yaml"
    text = lay.read_text(encoding="utf-8")
    lay.write_text(text.replace("duplex: DuplexFlipLongEdge", "duplex: Simplex"), "utf-8")
    out = tmp_path / "simplex.pdf"
    args = ("build", "trigger-point-injections", "--layout", "letter", "-o", str(out))
    res = run_cli(*args, *ADDRESS, cwd=project)
    assert res.returncode == 0, res.stderr
    n = len(page_sizes(out))
    assert n >= 2
    for page in range(2, n + 1):
        assert "José Nguyễn" in words(out, page)


def test_list_shows_the_whole_description() -> None:
    """'#10' unquoted in YAML starts a comment: the description was cut after 'for a'."""
    res = run_cli("list")
    assert res.returncode == 0, res.stderr
    assert "Mailing letter for a #10 window envelope, US Letter portrait" in res.stdout


def _line_after(pdf: Path, heading: str) -> dict:
    """The text line (pdfplumber) right under the line ``heading`` (on any page)."""
    with pdfplumber.open(str(pdf)) as doc:
        lines = [line for page in doc.pages for line in page.extract_text_lines()]
    (at,) = [i for i, line in enumerate(lines) if line["text"] == heading]
    return lines[at + 1]


@pytest.mark.parametrize(
    ("handout", "heading"),
    [("tpi-aftercare", "Call us if you have"), ("tpi-aftercare.es", "Llámenos si tiene")],
)
def test_call_us_box_shows_the_clinic_phone_big_and_bold(
    tmp_path: Path, handout: str, heading: str
) -> None:
    """As in the sheet's tiered box: the brand's phone under the "Call us" heading, bold and
    16 pt or more (the letter drew the box without it)."""
    line = _line_after(build(tmp_path, handout), heading)
    assert line["text"] == "(760) 555-0142"  # layouts/brands/palomar.yaml contact.phone
    assert all("Bold" in c["fontname"] and c["size"] >= 16 for c in line["chars"])


@pytest.mark.parametrize("layout", [("--layout", "letter"), ("--large-print",)])
def test_call_us_box_whose_text_gives_the_phone_does_not_repeat_it(
    tmp_path: Path, layout: tuple[str, ...]
) -> None:
    """The follow-up letter's "Call us" text says "Call (760) 555-0142.": the box (the
    letter's, large print's tiered box) does not add the phone over it a second time."""
    pdf = tmp_path / "follow-up.pdf"
    res = run_cli("build", "tpi-follow-up", *layout, "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    line = _line_after(pdf, "Call us if you have")
    assert line["text"].startswith("Call (760) 555-0142.")  # its own words, once
