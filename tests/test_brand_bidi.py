"""A brand text that would print wrong is refused when the brand is loaded, by ``build``,
``batch`` and the front desk (``serve``) alike, with the line ``check`` gives: invisible
direction controls (U+2066/U+2069 isolates, U+202A embeddings, U+202E overrides) that
change the order a viewer or a screen reader reads the clinic's name or hours in, and
characters no font has (which printed as boxes: only ``check`` said so)."""

from __future__ import annotations

from pathlib import Path

import pytest

from handoutpress.scripts import bidi_controls, unsupported_text

from .conftest import ROOT, assert_clean_error, run_cli

CONTROLS = "has invisible direction controls ({}), which change the order the text is read in " \
    "(or print as boxes): remove them"  # fmt: skip
RTL = "has right-to-left text ({}), which would print reversed: Handout Press sets " \
    "left-to-right scripts only"  # fmt: skip

#: (key as said, the line of palomar.yaml, what it becomes, the characters named)
CASES = [
    (
        "name",
        "name: Palomar Spine & Pain",
        "name: Palomar \u2066Spine\u2069 & Pain",
        CONTROLS.format("U+2066, U+2069"),
    ),
    (
        "contact.hours.en",
        '    en: "Monday–Friday, 8 am – 5 pm"',
        '    en: "Monday–Friday, \u202a8 am – 5 pm\u202c"',
        CONTROLS.format("U+202A, U+202C"),
    ),
    (
        "signature.name.en",
        '    en: "The care team"',
        '    en: "The \u202ecare team"',
        RTL.format("U+202E"),
    ),
    (
        "contact.address.1",
        '"Escondido, CA 92025"',
        '"Escondido, CA \u200e92025"',
        CONTROLS.format("U+200E"),
    ),
    ("name", "name: Palomar Spine & Pain", "name: Palomar 診療所", None),
]


def _brand(tmp_path: Path, old: str, new: str, sample: bool = True) -> Path:
    source = (ROOT / "layouts" / "brands" / "palomar.yaml").read_text(encoding="utf-8")
    assert source.count(old) == 1, old
    source = source.replace(old, new)
    for logo in ("palomar-logo.svg", "palomar-logo-white.svg"):
        source = source.replace(f": {logo}", f": {ROOT / 'layouts' / 'brands' / logo}")
    if not sample:
        source = source.replace("sample: true", "sample: false")
    path = tmp_path / "brands" / "x.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(source, encoding="utf-8")
    return path


def _expected(path: Path, new: str, field: str, message: str | None) -> str:
    text = new.split(": ", 1)[-1].strip('"') if ": " in new else new.strip('"')
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            col = line.index(text) + 1
            if message is None:
                message = "has characters no bundled font can print (U+8A3A, U+7642, U+6240)"
            quote = 1 if line[col - 2] == '"' else 0
            return f"{path}:{n}:{col - quote}: {field}: {message}"
    raise AssertionError(text)


@pytest.mark.parametrize(("field", "old", "new", "message"), CASES)
def test_build_and_check_refuse_the_brand_at_its_line(
    tmp_path: Path, field: str, old: str, new: str, message: str | None
) -> None:
    brand = _brand(tmp_path, old, new)
    expected = _expected(brand, new, field, message)
    out = tmp_path / "out"
    res = run_cli("build", "tpi-aftercare", "--brand", str(brand), "--out-dir", str(out))
    assert assert_clean_error(res) == [expected]
    assert not out.exists()
    res = run_cli("check", "tpi-aftercare", "--brand", str(brand))
    assert res.returncode == 1
    said = [line for line in res.stderr.splitlines() if line.startswith(str(brand))]
    assert said == [expected]  # once, and the same line


def test_batch_refuses_the_brand_before_any_row(tmp_path: Path) -> None:
    field, old, new, message = CASES[0]
    brand = _brand(tmp_path, old, new, sample=False)
    src = tmp_path / "r.csv"
    src.write_text("first_name,last_name,address1,city,state,zip\nAna,Ruiz,1 Oak,Eugene,OR,97401\n")
    for out in (["--merged", str(tmp_path / "m" / "m.pdf")], ["--out-dir", str(tmp_path / "d")]):
        res = run_cli(
            "batch", "tpi-aftercare", "--recipients", str(src), *out, "--brand", str(brand),
            "--proof",
        )  # fmt: skip
        assert assert_clean_error(res) == [_expected(brand, new, field, message)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brands", "r.csv"]  # nothing written


def test_serve_refuses_the_brand_before_it_listens(tmp_path: Path) -> None:
    field, old, new, message = CASES[0]
    brand = _brand(tmp_path, old, new)
    res = run_cli("serve", "--port", "0", "--brand", str(brand), timeout=30)
    assert assert_clean_error(res) == [_expected(brand, new, field, message)]
    assert "Serving on" not in res.stdout


def test_direction_controls_are_named() -> None:
    assert bidi_controls("a\u2066b\u2069c\u2066") == ["\u2066", "\u2069"]
    assert bidi_controls("Palomar Spine & Pain") == []
    for ch in "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert unsupported_text(f"Ana {ch}Ruiz") is not None, f"U+{ord(ch):04X}"
    assert unsupported_text("Ana \u2068Ruiz\u2069") == CONTROLS.format("U+2068, U+2069")
