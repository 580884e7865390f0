"""A placeholder is filled wherever it is typed, or it is a clear error:

- ``{{ visit.date }}`` of a date field in running text prints the date as the field's own
  line does, in the handout's language ("November 20, 2026", "20 de noviembre de 2026"), in
  ``build`` and in both kinds of ``batch`` (it printed the ``2026-11-20`` typed);
- ``cover.alt`` is filled like every other text (its alt text read "{{ visit.date }}"), and a
  picture's alt text reads as its words (a value's Markdown escapes, ``2026\\-11\\-20``,
  were in it);
- a QR code's address, which no value is filled into, and a link's address, where patient
  details must never go, refuse a placeholder at its line (the QR code held
  ``{{visit.date}}`` as typed; a link whose value had a space printed as typed, brackets and
  all).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from . import pdfcheck
from .conftest import assert_clean_error, run_cli

SAID = {
    "tpi-aftercare": ("      - Soreness for 1 to 3 days is normal. Ice helps.\n", "Shots on"),
    "tpi-aftercare.es": ("  - heading: 3 cosas que debe saber\n", "Inyecciones el"),
}
DATES = {"tpi-aftercare": "November 20, 2026", "tpi-aftercare.es": "20 de noviembre de 2026"}


def _say_the_date(project: Path, handout: str) -> None:
    """A line in the handout's first section that uses the date field in running text."""
    path = project / "handouts" / f"{handout}.yaml"
    text = path.read_text(encoding="utf-8")
    after, words = SAID[handout]
    assert after in text
    if after.startswith("  - heading"):  # the Spanish file: after its first list item
        start = text.index(after)
        at = text.index("      - ", start)
        line = f"      - {words} {{{{ visit.date }}}}.\n"
        text = text[:at] + line + text[at:]
    else:
        text = text.replace(after, f"{after}      - {words} {{{{ visit.date }}}}.\n", 1)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("handout", sorted(SAID))
def test_a_date_field_in_text_prints_as_its_line_does(
    project: Path, tmp_path: Path, handout: str
) -> None:
    _say_the_date(project, handout)
    out = tmp_path / "sheet.pdf"
    res = run_cli("build", handout, "--set", "visit.date=2026-11-20", "-o", str(out), cwd=project)
    assert res.returncode == 0, res.stderr
    words = pdfcheck.words(out)
    assert f"{SAID[handout][1]} {DATES[handout]}." in words
    assert "2026-11-20" not in words


@pytest.mark.parametrize("output", ["--merged", "--out-dir"])
def test_batch_fills_a_date_column_as_the_date_field_prints(
    project: Path, tmp_path: Path, output: str
) -> None:
    _say_the_date(project, "tpi-aftercare")
    src = tmp_path / "r.csv"
    src.write_text(
        "first_name,last_name,address1,city,state,zip,visit.date\n"
        "Ana,Ruiz,1 Main St,Escondido,CA,92025,2026-11-20\n",
        encoding="utf-8",
    )
    target = tmp_path / "mail" / ("m.pdf" if output == "--merged" else "letters")
    res = run_cli(
        "batch", "tpi-aftercare", "--recipients", str(src), "--proof", output, str(target),
        cwd=project,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    pdf = target if output == "--merged" else target / "000001.pdf"
    words = pdfcheck.words(pdf)
    assert "Shots on November 20, 2026." in words and "2026-11-20" not in words


def test_alt_texts_are_filled_and_read_as_words(project: Path, tmp_path: Path) -> None:
    path = project / "handouts" / "trigger-point-injections.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  alt: >-\n")
    end = text.index("  points:\n", start)
    text = text[:start] + '  alt: "Knots in the shoulders, {{ patient.name }}"\n' + text[end:]
    text = text.replace(
        "fields:\n  - {key: patient.name, label: Patient}\n",
        "fields:\n  - {key: patient.name, label: Patient}\n"
        "  - {key: visit.date, label: Date of injection, kind: date}\n",
    )
    path.write_text(text, encoding="utf-8")
    aftercare = project / "handouts" / "tpi-aftercare.yaml"
    source = aftercare.read_text(encoding="utf-8")
    line = "      - Soreness for 1 to 3 days is normal. Ice helps.\n"
    assert line in source
    picture = "\n      ![An ice pack for {{ patient.name }}](images/ice-shoulder.svg)\n"
    aftercare.write_text(source.replace(line, line + picture, 1), encoding="utf-8")
    name = "Ana-Lee O'Brien"
    for handout, layout in (("trigger-point-injections", "trifold"), ("tpi-aftercare", "sheet")):
        out = tmp_path / f"{layout}.pdf"
        res = run_cli(
            "build", handout, "--layout", layout, "--set", f"patient.name={name}",
            "-o", str(out), cwd=project,
        )  # fmt: skip
        assert res.returncode == 0, res.stderr
        alts = pdfcheck.figure_alts(out)
        assert not [a for a in alts if "{" in a or "\\" in a], alts
        want = (
            f"Knots in the shoulders, {name}" if layout == "trifold" else f"An ice pack for {name}"
        )
        assert want in alts, alts


def test_a_placeholder_in_an_address_is_refused_at_its_line(project: Path, tmp_path: Path) -> None:
    path = project / "handouts" / "tpi-aftercare.yaml"
    text = path.read_text(encoding="utf-8")
    line = "      - Soreness for 1 to 3 days is normal. Ice helps.\n"
    link = "[Your visit](https://example.com/visits/{{ visit.date }})"
    path.write_text(text.replace(line, f"      - See {link}.\n{line}", 1), encoding="utf-8")
    out = tmp_path / "x.pdf"
    res = run_cli("build", "tpi-aftercare", "--set", "visit.date=2026-11-20", "-o", str(out),
                  cwd=project)  # fmt: skip
    (msg,) = assert_clean_error(res, 1)
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, ln in enumerate(lines, 1) if "visits/{{" in ln)
    col = lines[at - 1].index("{{ visit.date }}") + 1
    assert msg == (
        f"handouts/tpi-aftercare.yaml:{at}:{col}: sections[0].body: a link's address cannot use "
        "a personal field ({{ visit.date }}): patient details never go into an address; link "
        "to the page itself"
    )
    assert not out.exists()
    # a QR code's address: nothing is filled into it
    path.write_text(text, encoding="utf-8")
    brochure = project / "handouts" / "trigger-point-injections.yaml"
    source = brochure.read_text(encoding="utf-8")
    heading = "  - heading: Questions to ask us\n"
    assert heading in source
    qr = '    qr: {url: "https://example.com/v/{{visit.date}}", label: Watch a video}\n'
    brochure.write_text(source.replace(heading, heading + qr, 1), encoding="utf-8")
    res = run_cli("build", "trigger-point-injections", "-o", str(out), cwd=project)
    (msg,) = assert_clean_error(res, 1)
    assert msg.startswith("handouts/trigger-point-injections.yaml:")
    assert ".qr.url: is printed and encoded as written: it cannot use {{ … }}" in msg
    assert not out.exists()
