"""Brand texts given per language (opening hours, signature, the logo's alt text) print in the
handout's language in every layout that shows them."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import pdfcheck
from .conftest import assert_clean_error, run_cli

EN_HOURS = "Monday–Friday, 8 am – 5 pm"
ES_HOURS = "Lunes a viernes, de 8 a. m. a 5 p. m."


@pytest.mark.parametrize(
    "args, hours, other",
    [
        (("trigger-point-injections", "--layout", "trifold"), EN_HOURS, ES_HOURS),
        (("trigger-point-injections", "--lang", "es", "--layout", "trifold"), ES_HOURS, EN_HOURS),
        (("tpi-aftercare", "--lang", "es", "--large-print"), ES_HOURS, EN_HOURS),
        (("tpi-aftercare", "--large-print"), EN_HOURS, ES_HOURS),
    ],
)
def test_hours_in_the_handouts_language(
    tmp_path: Path, args: tuple[str, ...], hours: str, other: str
) -> None:
    pdf = tmp_path / "out.pdf"
    res = run_cli("build", *args, "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    text = pdfcheck.words(pdf)
    assert hours in text
    assert other not in text


def test_letter_signature_in_spanish(tmp_path: Path) -> None:
    pdf = tmp_path / "es.pdf"
    res = run_cli("build", "tpi-aftercare", "--lang", "es", "--layout", "letter", "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    text = pdfcheck.words(pdf)
    assert "Atentamente, El equipo de atención Palomar Spine & Pain" in text
    assert "The care team" not in text


def test_template_hours_follow_the_language(project: Path) -> None:
    es = project / "handouts" / "tpi-aftercare.es.yaml"
    text = es.read_text()
    body = text.index("body: |\n") + len("body: |\n")  # a paragraph first in the first section
    es.write_text(text[:body] + "      Horario: {{ clinic.hours }}.\n\n" + text[body:])
    pdf = project / "x.pdf"
    res = run_cli("build", "tpi-aftercare", "--lang", "es", "-o", str(pdf), cwd=project)
    assert res.returncode == 0, res.stderr
    assert f"Horario: {ES_HOURS}." in pdfcheck.words(pdf)


def test_bad_language_tag_is_located(project: Path) -> None:
    brand = project / "layouts" / "brands" / "palomar.yaml"
    brand.write_text(brand.read_text().replace('    es: "Lunes', '    spanish_1: "Lunes'))
    res = run_cli("build", "tpi-aftercare", "-o", str(project / "x.pdf"), cwd=project)
    lines = assert_clean_error(res)
    assert lines == [
        "layouts/brands/palomar.yaml:32:5: contact.hours: 'spanish_1' is not a language tag "
        "such as en or es"
    ]


@pytest.mark.parametrize("given", [True, False])
def test_logo_alt_text_from_the_brand_or_the_strings(project: Path, given: bool) -> None:
    brand = project / "layouts" / "brands" / "palomar.yaml"
    if not given:
        text = brand.read_text()
        brand.write_text(text[: text.index("logo_alt:")])
    pdf = project / "x.pdf"
    res = run_cli("build", "tpi-aftercare", "--lang", "es", "-o", str(pdf), cwd=project)
    assert res.returncode == 0, res.stderr
    logo = (
        "Logotipo de Palomar Spine & Pain: una montaña bajo un sol naciente"
        if given
        else "Logotipo de Palomar Spine & Pain"  # layouts/strings/es.yaml
    )
    assert pdfcheck.figure_alts(pdf)[0] == logo
