"""Spanish translations: built like the English ones, /Lang es, accents intact, Spanish labels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handoutpress.loading import load_yaml
from handoutpress.project import Project

from . import pdfcheck, shipped
from .conftest import ROOT, assert_clean_error, run_cli

IDS = ("trigger-point-injections", "tpi-aftercare")
PAGES = {
    "trigger-point-injections.es-trifold.pdf": 2,
    "trigger-point-injections.es-sheet.pdf": 2,
    "tpi-aftercare.es-sheet.pdf": 2,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("es")
    res = run_cli("build", *IDS, "--lang", "es", "--out-dir", str(out))
    assert res.returncode == 0, res.stderr
    assert sorted(Path(p).name for p in res.stdout.split()) == sorted(PAGES)
    return out


def test_page_counts_sizes_and_validity(built: Path) -> None:
    for name, pages in PAGES.items():
        pdf = built / name
        sizes = pdfcheck.page_sizes(pdf)
        assert len(sizes) == pages, name
        assert set(sizes) == ({(792.0, 612.0)} if "trifold" in name else {(612.0, 792.0)})
        pdfcheck.qpdf_check(pdf)
        pdfcheck.assert_fonts_embedded(pdf)


def test_pdf_language_is_spanish(built: Path) -> None:
    from pypdf import PdfReader

    for name in PAGES:
        reader = PdfReader(str(built / name))
        assert reader.trailer["/Root"]["/Lang"] == "es", name
        assert reader.metadata is not None and reader.metadata.title in (
            "Inyecciones en puntos gatillo",
            "Después de sus inyecciones",
        )


def test_english_pdf_language_is_english(tmp_path: Path) -> None:
    from pypdf import PdfReader

    res = run_cli("build", "tpi-aftercare", "-o", str(tmp_path / "en.pdf"))
    assert res.returncode == 0, res.stderr
    assert PdfReader(str(tmp_path / "en.pdf")).trailer["/Root"]["/Lang"] == "en"


def _written(handout: str) -> list[str]:
    """What a reader must find of ``handout``'s Spanish text, from its YAML: the title, the
    subtitle, the field labels, every heading a patient sees and every item of the tiers."""
    source = shipped.content(handout)
    out = [source["title"], source.get("subtitle") or source["cover"]["tagline"]]
    out += [f["label"] for f in source.get("fields", [])]
    for section in source["sections"]:
        if section.get("audience") == "staff":
            continue
        out.append(section["heading"])
        if section.get("style") in ("urgent", "warning"):
            out += shipped.list_items(section["body"])
    return out


def test_accents_and_spanish_labels_survive(built: Path) -> None:
    sheet = pdfcheck.words(built / "tpi-aftercare.es-sheet.pdf")
    revised = shipped.content("tpi-aftercare.es")["revised"]
    month = load_yaml(ROOT / "layouts" / "strings" / "es.yaml").data["months"][revised.month - 1]
    phrases = _written("tpi-aftercare.es")
    assert sum(1 for p in phrases if re.search(r"[áéíóúñ¿¡]", p)) >= 8  # accents to lose
    for phrase in (
        *phrases,
        # the layout's fixed texts, from layouts/strings/es.yaml
        "Fuera de horario (760) 555-0199",
        f"PSP-TPI-02-ES · Revisado en {month} de {revised.year}",
        "Página 1 de 2",
        "MUESTRA — ponga los datos de su clínica en",
        "BORRADOR — un profesional clínico todavía no ha aprobado este contenido.",
    ):
        assert phrase in sheet, phrase
    for english in ("Page 1", "Revised", "After hours", "SAMPLE", "DRAFT", "Patient"):
        assert english not in sheet, english
    brochure = pdfcheck.words(built / "trigger-point-injections.es-trifold.pdf")
    phrases = _written("trigger-point-injections.es")
    assert sum(1 for p in phrases if re.search(r"[áéíóúñ¿¡]", p)) >= 8
    for phrase in (
        *phrases,
        shipped.content("trigger-point-injections.es")["cover"]["tagline"],
        *shipped.content("trigger-point-injections.es")["cover"]["points"],
        "Fuera de horario: (760) 555-0199",
    ):
        assert phrase in brochure, phrase


@pytest.mark.parametrize("name", sorted(PAGES))
def test_draft_and_sample_marks_on_every_page(built: Path, name: str) -> None:
    pdf = built / name
    for page in range(1, PAGES[name] + 1):
        words = pdfcheck.words(pdf, page)
        assert "BORRADOR" in words and "MUESTRA" in words, page


def test_strings_file_has_every_english_key() -> None:
    en = load_yaml(ROOT / "layouts" / "strings" / "en.yaml").data
    es = load_yaml(ROOT / "layouts" / "strings" / "es.yaml").data
    assert set(es) == set(en)
    for key, text in en.items():
        if isinstance(text, str):
            assert set(re.findall(r"\{\w+\}", es[key])) == set(re.findall(r"\{\w+\}", text)), key
    assert len(es["months"]) == 12


@pytest.mark.parametrize("handout", IDS)
def test_translation_keeps_the_structure_of_the_original(handout: str) -> None:
    project = Project(ROOT)
    en = project.load_handout(project.resolve_handout(handout)).handout
    es = project.load_handout(project.resolve_handout(handout, "es")).handout
    assert es.language == "es" and es.review.status == "draft"
    assert es.layouts == en.layouts
    assert [f.key for f in es.fields] == [f.key for f in en.fields]
    assert [s.style for s in es.sections] == [s.style for s in en.sections]
    assert es.revised == en.revised and es.reading_level_max == en.reading_level_max

    def variables(h) -> list[str]:  # the same contact details, from the brand
        return [v for s in h.sections for v in re.findall(r"\{\{\s*([\w.]+)\s*\}\}", s.body)]

    assert variables(es) == variables(en)
    numbers = [re.findall(r"\b\d+\b", s.body) for s in en.sections]
    assert [re.findall(r"\b\d+\b", s.body) for s in es.sections] == numbers  # 15 to 20, 911…


def test_check_reports_spanish_reading_level() -> None:
    res = run_cli("check", *IDS, "--lang", "es")
    assert res.returncode == 0, res.stderr
    assert res.stdout.count("reading level: Fernández Huerta (FH), maximum grade 8") == 2
    rows = re.findall(r"^\s+(\d+\.\d)\s+(\d+)\s\s(.+)$", res.stdout, re.MULTILINE)
    # each section and the whole handout, both handouts
    assert len(rows) == sum(len(shipped.sections(f"{h}.es")) + 1 for h in IDS)
    for grade, score, label in rows:
        assert float(grade) <= 8 and int(score) >= 60, (label, grade, score)
    assert "¿Qué es un punto gatillo?" in res.stdout
    assert "layouts: sheet fits (2 pages)" in res.stdout  # the Spanish aftercare


def test_list_shows_translations_under_their_original() -> None:
    res = run_cli("list")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    for handout in IDS:
        (i,) = [n for n, line in enumerate(lines) if line.split()[:1] == [handout]]
        assert re.match(rf"^    {re.escape(handout)}\.es\s+es\s+draft\s+\[", lines[i + 1])


def test_translation_by_list_name_and_unknown_language(tmp_path: Path) -> None:
    res = run_cli("build", "tpi-aftercare.es", "--out-dir", str(tmp_path))
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "tpi-aftercare.es-sheet.pdf").is_file()
    lines = assert_clean_error(run_cli("build", "tpi-aftercare", "--lang", "vi"), 1)
    assert lines == [
        "handout 'tpi-aftercare' has no 'vi' translation (handouts/tpi-aftercare.vi.yaml); "
        "translations: es"
    ]
    res = run_cli("build", "tpi-aftercare", "--lang", "es-MX", "--out-dir", str(tmp_path))
    assert res.returncode == 0 and res.stdout.split() == [
        str(tmp_path / "tpi-aftercare.es-sheet.pdf")
    ]


@pytest.mark.parametrize(
    "layout",
    [("--layout", "sheet"), ("--layout", "trifold"), ("--large-print",), ("--layout", "letter")],
    ids=["sheet", "trifold", "large-print", "letter"],
)
def test_spanish_staff_copy_says_in_english_on_every_page_that_it_is_the_staff_copy_in_spanish(
    tmp_path: Path, layout: tuple[str, ...]
) -> None:
    """The teach-back prompts of the Spanish staff copy stay in Spanish (they are asked of a
    Spanish-speaking patient); its STAFF COPY mark says so in English too, for staff who do
    not read Spanish."""
    pdf = tmp_path / "staff.pdf"
    res = run_cli("build", "tpi-aftercare.es", *layout, "--staff-copy", "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    pages = int(pdfcheck.pdfinfo(pdf)["Pages"])
    for page in range(1, pages + 1):
        words = pdfcheck.words(pdf, page)
        assert "COPIA DEL PERSONAL · STAFF COPY (Spanish)" in words, page
    assert "Para el personal:" in pdfcheck.words(pdf)  # the prompts: in Spanish
