"""No recipient-derived value in any PDF metadata field (issue 9, harm 2).

A letter titled ``Visit summary {{ row.mrn }}`` (subtitle and text using patient and row
values too) is mailed with ``batch --merged`` and ``batch --out-dir``, and a sheet titled with
``{{ patient.name }}`` is built with ``--set``: every document-information entry and every
element and attribute of every XMP packet (all namespaces) is read back with pypdf, and the
whole file, uncompressed by qpdf, is searched for each value as text (PDFDocEncoding and
UTF-16) outside its content streams, which covers any metadata a writer might add
elsewhere.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pypdf
import pytest

from .conftest import ROOT, assert_clean_error, run_cli
from .pdfcheck import tool
from .test_batch import HEADER, write_csv

#: what each recipient row holds; every value is distinctive, so finding it anywhere is a leak
ROWS = [
    ["Quillon", "Vandermeer", "41 Ridge Rd", "", "Salem", "OR", "97301", "", "", "", "MRN738291"],
    ["Xanthe", "Okonkwo", "9 Birch Ln", "", "Eugene", "OR", "97401", "", "", "", "MRN550117"],
]
SECRETS = [value for row in ROWS for value in row if len(value) > 4]

LETTER = """\
title: Visit summary {{ row.mrn }}
subtitle: For {{ patient.first_name }} {{ patient.last_name }} ({{ row.mrn }})
language: en
form: PSP-TEST-META
revised: 2026-11-01
review: {status: draft, reviewed_by: "", next_review: 2027-11-01}
layouts: [letter]
sections:
  - heading: Your visit
    body: |
      Dear {{ patient.first_name }}, your record number is {{ row.mrn }}.
      Call {{ clinic.phone }} with questions.
"""

SHEET = """\
title: Aftercare for {{ patient.name }}
subtitle: Notes for {{ patient.name }} after the visit on {{ visit.date }}
language: en
form: PSP-TEST-META2
revised: 2026-11-01
review: {status: draft, reviewed_by: "", next_review: 2027-11-01}
layouts: [sheet]
fields:
  - {key: patient.name, label: Patient}
  - {key: visit.date, label: Date}
sections:
  - heading: At home
    body: |
      Rest today, {{ patient.name }}. Call {{ clinic.phone }} with questions.
"""


def metadata_texts(pdf: Path) -> dict[str, str]:
    """Every document-information entry and every XMP text and attribute, by where it is."""
    reader = pypdf.PdfReader(pdf)
    found: dict[str, str] = {}
    info = reader.trailer.get("/Info")
    for key, value in (info.get_object() if info is not None else {}).items():
        found[f"Info{key}"] = str(value)
    holders = [("Root", reader.trailer["/Root"].get_object())]
    holders += [(f"page{i + 1}", page) for i, page in enumerate(reader.pages)]
    for where, holder in holders:
        stream = holder.get("/Metadata")
        if stream is None:
            continue
        root = ET.fromstring(stream.get_object().get_data())
        for n, element in enumerate(root.iter()):
            found[f"{where} XMP {element.tag} #{n}"] = element.text or ""
            for name, value in element.attrib.items():
                found[f"{where} XMP {element.tag}@{name} #{n}"] = value
    return found


def assert_no_secret_anywhere(pdf: Path, tmp_path: Path) -> dict[str, str]:
    fields = metadata_texts(pdf)
    for where, value in fields.items():
        for secret in SECRETS + ["Ana Ruiz-Secret", "2026-11-27"]:
            assert secret not in value, f"{pdf.name}: {where} holds {secret!r}"
    plain = tmp_path / f"{pdf.stem}.qdf.pdf"
    subprocess.run(
        [tool("qpdf"), "--qdf", "--object-streams=disable", str(pdf), str(plain)], check=True
    )
    # every object outside streams (page text is in content streams, as it should be; XMP
    # streams were read above)
    raw = re.sub(rb"\nstream\n.*?\nendstream", b"", plain.read_bytes(), flags=re.DOTALL)
    assert b"/Info" in raw
    for secret in SECRETS + ["Ana Ruiz-Secret"]:
        for encoded in (secret.encode("latin-1"), secret.encode("utf-16-be")):
            assert encoded not in raw, f"{pdf.name} holds {secret!r} as text"
    return fields


@pytest.fixture(scope="module")
def mailed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("meta")
    (base / "visit-summary.yaml").write_text(LETTER)
    write_csv(base / "p.csv", ROWS, header=[*HEADER, "MRN"])
    return base


def test_batch_merged_metadata_has_no_recipient_value(mailed: Path, tmp_path: Path) -> None:
    out = tmp_path / "merged.pdf"
    res = run_cli(
        "batch", str(mailed / "visit-summary.yaml"), "--recipients", str(mailed / "p.csv"),
        "--merged", str(out), "--proof",
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    fields = assert_no_secret_anywhere(out, tmp_path)
    assert fields["Info/Title"] == "Visit summary"
    assert fields["Info/Subject"] == "Patient information"


def test_batch_out_dir_metadata_has_no_recipient_value(mailed: Path, tmp_path: Path) -> None:
    out = tmp_path / "letters"
    res = run_cli(
        "batch", str(mailed / "visit-summary.yaml"), "--recipients", str(mailed / "p.csv"),
        "--out-dir", str(out), "--proof",
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == len(ROWS)
    for pdf in pdfs:
        assert assert_no_secret_anywhere(pdf, tmp_path)["Info/Title"] == "Visit summary"


def test_build_metadata_has_no_personal_value(tmp_path: Path) -> None:
    handout = tmp_path / "aftercare-for.yaml"
    handout.write_text(SHEET)
    out = tmp_path / "sheet.pdf"
    res = run_cli(
        "build", str(handout), "--set", "patient.name=Ana Ruiz-Secret",
        "--set", "visit.date=2026-11-27", "-o", str(out),
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    fields = assert_no_secret_anywhere(out, tmp_path)
    assert fields["Info/Title"] == "Aftercare for ______________"  # the write-in line
    xmp_titles = [v for k, v in fields.items() if "XMP" in k and v.startswith("Aftercare")]
    assert xmp_titles == ["Aftercare for ______________"]  # the tagged PDF's dc:title
    assert fields["Info/Subject"] == "Patient information"


def test_build_letter_metadata_has_no_personal_value(tmp_path: Path) -> None:
    handout = tmp_path / "letter.yaml"
    handout.write_text(LETTER.replace("{{ row.mrn }}", "{{ visit.mrn }}"))
    out = tmp_path / "letter.pdf"
    res = run_cli(
        "build", str(handout), "--layout", "letter", "--set", "patient.first_name=Quillon",
        "--set", "patient.last_name=Vandermeer", "--set", "visit.mrn=MRN738291",
        "--set", "patient.address1=41 Ridge Rd", "--set", "patient.city=Salem",
        "--set", "patient.state=OR", "--set", "patient.zip=97301", "-o", str(out),
        cwd=ROOT,
    )  # fmt: skip
    if res.returncode != 0:
        assert_clean_error(res)
        pytest.fail(res.stderr)
    assert assert_no_secret_anywhere(out, tmp_path)["Info/Title"] == "Visit summary"


# --------------------------------------------------------------------------- one builder

#: the document information every file of a handout shares (the subject is the public
#: subtitle in build, "patient information" in a mailing)
SHARED_INFO = ("/Title", "/Author", "/Creator", "/Producer", "/Keywords")


def info_and_preferences(pdf: Path) -> tuple[dict[str, str], dict[str, str]]:
    reader = pypdf.PdfReader(pdf)
    info = reader.trailer["/Info"].get_object()
    prefs = reader.trailer["/Root"].get_object().get("/ViewerPreferences")
    shared = {key: str(info[key]) for key in SHARED_INFO}
    return shared, {str(k): str(v) for k, v in (prefs.get_object() if prefs else {}).items()}


@pytest.mark.parametrize("duplex", ["DuplexFlipLongEdge", "Simplex"])
def test_build_merged_and_out_dir_say_the_same_about_themselves(
    project: Path, tmp_path: Path, duplex: str
) -> None:
    """One builder (``LayoutRenderer.pdf_metadata``): a letter built, mailed merged and mailed
    to a folder (each file from a template) carries the same document information and the
    same viewer preferences: print at 100 %, show the title, the layout's duplex (none said
    for one-sided)."""
    lay = project / "layouts" / "letter.yaml"
    text = lay.read_text(encoding="utf-8")
    assert "duplex: DuplexFlipLongEdge" in text
    lay.write_text(text.replace("duplex: DuplexFlipLongEdge", f"duplex: {duplex}"), "utf-8")
    write_csv(tmp_path / "p.csv", [row[:10] for row in ROWS])
    built, merged, folder = tmp_path / "built.pdf", tmp_path / "merged.pdf", tmp_path / "files"
    csv_file = str(tmp_path / "p.csv")
    mail = ("batch", "tpi-aftercare", "--recipients", csv_file, "--proof")
    runs = [
        ("build", "tpi-aftercare", "--layout", "letter", "-o", str(built)),
        (*mail, "--merged", str(merged)),
        (*mail, "--out-dir", str(folder)),
    ]
    for args in runs:
        res = run_cli(*args, cwd=project)
        assert res.returncode == 0, res.stderr
    files = [built, merged, *sorted(folder.glob("*.pdf"))]
    assert len(files) == 2 + len(ROWS)
    read = [info_and_preferences(pdf) for pdf in files]
    want = {"/PrintScaling": "/None", "/DisplayDocTitle": "True"}  # (pypdf: a boolean)
    if duplex != "Simplex":
        want["/Duplex"] = f"/{duplex}"
    for pdf, (info, prefs) in zip(files, read, strict=True):
        assert prefs == want, pdf.name
        assert info == read[0][0], pdf.name
    assert read[0][0]["/Keywords"] and read[0][0]["/Title"]
