"""`batch` audited from the outside with CSVs as clinics really export them.

Every CSV is made here, byte by byte: Excel "Unicode text" (UTF-16LE, tabs, CRLF),
Excel cp1252 with a ``sep=;`` line, UTF-16 without its BOM, practice-management
headers ("Patient First Name", "Addr1", "St", "ZIP+4"), Excel's dropped ZIP zeros,
markup and path fragments in names, decomposed Vietnamese, invisible and right-to-left
characters, emoji, a stray quote. What a clinic needs: every good row made with the
name printed exactly (read back from the envelope window with pdfplumber), every bad
row in rejects.csv with its record, line and field and never the patient's data,
records = made + rejected + blank, exit 3, no traceback, files 0600, nothing written
outside the output folder or over an input.

The shipped handouts are drafts and the brand a sample: these runs use --proof.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import stat
import unicodedata
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from . import shipped
from .conftest import assert_clean_error, run_cli
from .pdfcheck import pdfinfo, qpdf_check

INCH = 72.0
#: the layout's window rectangle (layouts/letter.yaml), with a point of tolerance
WINDOW = (0.5 * INCH - 1, 2.042 * INCH - 1, 4.0 * INCH + 1, (2.042 + 0.875) * INCH + 1)


def batch(*args: str, cwd: Path | None = None):
    kw = {"cwd": cwd} if cwd is not None else {}
    return run_cli("batch", "tpi-aftercare", "--proof", *args, **kw)  # type: ignore[arg-type]


def read_csv(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def tree(root: Path) -> set[Path]:
    return set(root.rglob("*"))


def page_text(pdf: Path, page: int) -> tuple[list[str], list[str]]:
    """(lines inside the envelope window, lines of the whole page) as a reader sees them."""
    with pdfplumber.open(str(pdf)) as doc:
        p = doc.pages[page - 1]
        window = (p.crop(WINDOW).extract_text() or "").splitlines()
        return window, (p.extract_text() or "").splitlines()


def greeting(lines: list[str]) -> str:
    (line,) = [x for x in lines if x.startswith(("Dear ", "Estimado/a "))]
    return line


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def assert_private_and_contained(out: Path, base: Path, before: set[Path]) -> None:
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    files = set(out.iterdir())
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    assert tree(base) - before - {out} - files == set()  # nothing beside or above it


# --------------------------------------------------------------------------- Excel "Unicode text"

HEADER = ["Patient First Name", "Patient Last Name", "Addr1", "Addr2", "Patient City", "St"]
HEADER += ["ZIP+4", "Preferred Language", "Phone", "Phone", "", ""]

# (cells: first, last, addr1, addr2, city, state, zip, language), outcome, what is printed:
# outcome "made" → (window lines, greeting); "blank"; or the field named in rejects.csv
ROWS: list[tuple[list[str], str, tuple[list[str], str] | None]] = [
    (["Thảo", "Nguyễn", "77 Elm St", "", "San Jose", "CA", "95112-1234", "vi"], "made",
     (["Thảo Nguyễn", "77 Elm St", "San Jose, CA 95112-1234"], "Dear Thảo,")),
    # decomposed (macOS) accents print as the same letters, one glyph each
    (["Tha\u0309o", "Nguye\u0302\u0303n", "78 Elm St", "Apt 2", "San Jose", "CA", "95112 1234",
      ""], "made", (["Thảo Nguyễn", "78 Elm St Apt 2", "San Jose, CA 95112-1234"], "Dear Thảo,")),
    (["José", "Muñoz", "1520 King's Rd", "", "Portland", "OR", "97205", "Spanish"], "made",
     (["José Muñoz", "1520 King's Rd", "Portland, OR 97205"], "Estimado/a José:")),
    (["María", "Peña", "2 Oak Ave", "", "Portland", "OR", "97205", "SP"], "made",
     (["María Peña", "2 Oak Ave", "Portland, OR 97205"], "Estimado/a María:")),
    (["Luis", "Ortega", "3 Oak Ave", "", "Portland", "OR", "97205", "es-MX"], "made",
     (["Luis Ortega", "3 Oak Ave", "Portland, OR 97205"], "Estimado/a Luis:")),
    (["Ana", "Ruiz", "4 Oak Ave", "", "Portland", "OR", "97205", "español"], "made",
     (["Ana Ruiz", "4 Oak Ave", "Portland, OR 97205"], "Estimado/a Ana:")),
    # markup and path fragments are text; Excel's "2134" for a MA ZIP gets its zero back
    (["<b>Bob</b> & <i>Al</i>", "../../etc/passwd", "1 Main St", "", "Boston", "MA", "2134", ""],
     "made", (["<b>Bob</b> & <i>Al</i> ../../etc/passwd", "1 Main St", "Boston, MA 02134"],
              "Dear <b>Bob</b> & <i>Al</i>,")),
    (["CON", "/dev/null\\..\\x", "5 Main St", "", "Hartford", "CT", "6103", ""], "made",
     (["CON /dev/null\\..\\x", "5 Main St", "Hartford, CT 06103"], "Dear CON,")),
    # invisible characters are dropped (not a direction control: test_direction_controls);
    # a line break inside an address joins with a space
    (["Zo\u200bë", "Brontë\u00ad", "10 Elm St\r\nUnit 4", "", "Salem", "OR", "97301", ""],
     "made", (["Zoë Brontë", "10 Elm St Unit 4", "Salem, OR 97301"], "Dear Zoë,")),
    ([""] * 8, "blank", None),
    (["Sam", "Lee", "", "", "Salem", "OR", "97301", ""], "address1", None),
    (["محمد", "علي", "9 Pine St", "", "Salem", "OR", "97301", ""], "first_name", None),
    (["Ana 😀", "Ruiz", "9 Pine St", "", "Salem", "OR", "97301", ""], "first_name", None),
    (["Tom", "Lee\x07", "9 Pine St", "", "Salem", "OR", "97301", ""], "last_name", None),
    (["Tom", "Lee", "9 Pine St", "", "Salem", "OR", "9730", ""], "zip", None),
    (["Tom", "Lee", "9 Pine St", "", "Salem", "ZZ", "97301", ""], "state", None),
    (["A" * 400, "Lee", "9 Pine St", "", "Salem", "OR", "97301", ""], "name", None),
    (["  ", " ", "", "", "", "", "", ""], "blank", None),
    (["Wei", "王", "9 Pine St", "", "Salem", "OR", "97301", ""], "last_name", None),
    (["José", "Muñoz", "1520 King's Rd", "", "Portland", "OR", "97205", "Spanish"], "made",
     (["José Muñoz", "1520 King's Rd", "Portland, OR 97205"], "Estimado/a José:")),
]  # fmt: skip
#: a stray quote opens a field that swallows the start of the next line: one record, rejected
STRAY = ['"Pat', "Kim", "9 Pine St", "", "Salem", "OR", "97301", "", "", "", "", ""]
STRAY_NEXT = ['Jo"', "Park", "10 Pine St", "", "Salem", "OR", "97301", "", "", "", "", ""]


def unicode_text(rows: list[list[str]]) -> bytes:
    """What Excel's "Unicode text" export writes: UTF-16LE with BOM, tabs, CRLF."""

    def cell(v: str) -> str:
        return f'"{v}"' if any(c in v for c in '\t\r\n"') else v

    lines = ["\t".join(HEADER)]
    for cells in rows:
        phone = "555-0100" if any(c.strip() for c in cells) else ""
        lines.append("\t".join(cell(c) for c in [*cells, phone, "", "", ""]))
    lines.append("\t".join(STRAY))  # written raw: the stray quote is the point
    lines.append("\t".join(STRAY_NEXT))
    return codecs.BOM_UTF16_LE + ("\r\n".join(lines) + "\r\n").encode("utf-16-le")


@pytest.fixture(scope="module")
def excel(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("excel")
    src = base / "Patients.txt"
    src.write_bytes(unicode_text([cells for cells, _, _ in ROWS]))
    before = tree(base)
    out = base / "letters"
    res = batch("--recipients", str(src), "--out-dir", str(out))
    return {"base": base, "src": src, "out": out, "res": res, "before": before}


def expected() -> tuple[list[int], list[tuple[int, str]], int, int]:
    made = [i for i, (_, o, _) in enumerate(ROWS, start=1) if o == "made"]
    rejected = [(i, o) for i, (_, o, _) in enumerate(ROWS, start=1) if o not in ("made", "blank")]
    rejected.append((len(ROWS) + 1, "first_name"))  # the stray quote: two lines, one record
    blank = sum(1 for _, o, _ in ROWS if o == "blank")
    return made, rejected, blank, len(ROWS) + 1


def test_excel_unicode_text_every_record_accounted_for(excel: dict[str, object]) -> None:
    res = excel["res"]
    out = excel["out"]
    assert isinstance(out, Path)
    err = assert_clean_error(res, 3)  # type: ignore[arg-type]
    made, rejected, blank, records = expected()
    assert records == len(made) + len(rejected) + blank
    stdout = res.stdout.splitlines()  # type: ignore[attr-defined]
    assert f"{records} records: {len(made)} made, {len(rejected)} rejected, {blank} blank" in stdout
    assert any("2 ZIP code(s) given back the leading zero(s)" in x for x in stdout)
    assert "warning: record 20 has the same name and address as record 3" in err
    assert any("language 'vi'" in x for x in err)  # no Vietnamese translation: counted
    assert err[-1] == f"{len(rejected)} row(s) rejected: see {out / 'rejects.csv'}"
    rejects = read_csv(out / "rejects.csv")
    assert [(int(r["record"]), r["field"]) for r in rejects] == rejected
    manifest = read_csv(out / "manifest.csv")
    assert [int(r["record"]) for r in manifest] == made


def test_rejects_name_record_line_and_field_never_the_patient(excel: dict[str, object]) -> None:
    out = excel["out"]
    res = excel["res"]
    assert isinstance(out, Path)
    rejects = {int(r["record"]): r for r in read_csv(out / "rejects.csv")}
    # header is line 1; record 9 spans lines 10-11 (a quoted line break), blank record 10 is
    # line 12, so record 11 starts on line 13
    assert rejects[11]["line"] == "13" and rejects[11]["reason"] == "missing"
    assert "right-to-left" in rejects[12]["reason"]
    assert "emoji" in rejects[13]["reason"] and "character 5" in rejects[13]["reason"]
    assert "control character (character 4)" in rejects[14]["reason"]
    assert "leading zeros" in rejects[15]["reason"] and "OR" in rejects[15]["reason"]
    assert "envelope window" in rejects[17]["reason"]
    assert "no bundled font" in rejects[19]["reason"]
    stray = rejects[len(ROWS) + 1]
    assert "line break" in stray["reason"] and "quote" in stray["reason"]
    assert f"from line {stray['line']} to {int(stray['line']) + 1}" in stray["reason"]
    text = (out / "rejects.csv").read_text(encoding="utf-8")
    logs = res.stdout + res.stderr  # type: ignore[attr-defined]
    values = {v for cells, _, _ in ROWS for v in cells if len(v.strip()) > 3}
    values |= {"Pat", "Kim", "Jo", "Park", "Lee", "Tom", "Sam", "Wei", "王", "محمد"}
    for v in values:
        assert v not in text, v
        assert v not in logs, v


def test_good_rows_print_exactly_in_the_window(excel: dict[str, object]) -> None:
    out = excel["out"]
    assert isinstance(out, Path)
    for row in read_csv(out / "manifest.csv"):
        record = int(row["record"])
        pdf = out / row["file"]
        assert row["file"] == f"{record:06d}.pdf", row["file"]
        assert pdf.resolve().parent == out.resolve()
        assert hashlib.sha256(pdf.read_bytes()).hexdigest() == row["sha256"]
        qpdf_check(pdf)
        window, page = page_text(pdf, 1)
        printed = ROWS[record - 1][2]
        assert printed is not None
        assert window == [nfc(x) for x in printed[0]], record
        assert all(unicodedata.is_normalized("NFC", x) for x in window)
        assert greeting(page) == printed[1], record
        assert "PROOF" in " ".join(page)
        # nothing personal in metadata; markup and paths in names are text, not links
        reader = pypdf.PdfReader(str(pdf))
        info = pdfinfo(pdf)
        meta = " ".join(info.get(k, "") for k in ("Title", "Subject", "Author", "Keywords"))
        for name in ("José", "Nguyễn", "Bob", "passwd", "CON", "Zoë"):
            assert name not in meta
            assert reader.xmp_metadata is None or name not in str(reader.xmp_metadata)
        assert all("/Annots" not in p for p in reader.pages)


def test_output_is_private_and_contained(excel: dict[str, object]) -> None:
    base, out, before = excel["base"], excel["out"], excel["before"]
    assert isinstance(base, Path) and isinstance(out, Path) and isinstance(before, set)
    assert_private_and_contained(out, base, before)
    assert not (out / ".handouts-batch").exists() and not list(out.glob(".*.tmp"))


def test_file_names_carry_no_patient_data(excel: dict[str, object]) -> None:
    """Names we choose are record numbers: no name, street or city from the CSV reaches one."""
    out = excel["out"]
    assert isinstance(out, Path)
    made, _, _, _ = expected()
    names = sorted(p.name for p in out.iterdir() if p.suffix == ".pdf")
    assert names == [f"{record:06d}.pdf" for record in made]
    words = {
        w.casefold() for cells, _, _ in ROWS for c in cells for w in re.findall(r"[^\W\d_]{3,}", c)
    }
    chosen = [p.name.casefold() for p in out.rglob("*")]
    assert words and not [(w, n) for w in words for n in chosen if w in n]


# --------------------------------------------------------------------------- Excel cp1252

CP1252_ROWS = [
    ["José", "O’Brien", "1 Main St", "", "Española", "NM", "87532"],
    ["Françoise", "Dubœuf", "2 Rue St", "Apt 3", "New Orleans", "LA", "70116"],
    ["Renée", "Zoë-Ñúñez", "3 Oak Ave", "", "Hartford", "CT", "6105"],
]


def cp1252_export(path: Path, encoding: str = "cp1252") -> Path:
    """Excel (European locale): a ``sep=;`` line, semicolons, CRLF, Windows-1252."""
    lines = ["sep=;", "First Name;Last Name;Address 1;Address 2;City;State;Zip Code"]
    lines += [";".join(r) for r in CP1252_ROWS]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def test_cp1252_error_names_record_and_suggests_the_option(tmp_path: Path) -> None:
    src = cp1252_export(tmp_path / "export.csv")
    out = tmp_path / "mail" / "mailing.pdf"
    (line,) = assert_clean_error(batch("--recipients", str(src), "--merged", str(out)), 1)
    assert line.startswith(f"{src}:3: encoding: record 1 (line 3): byte 0xE9 is not valid UTF-8")
    assert line.endswith("try --encoding cp1252")
    assert not (tmp_path / "mail").exists()
    res = batch("--recipients", str(src), "--merged", str(out), "--encoding", "cp1252")
    assert res.returncode == 0, res.stderr
    assert "3 records: 3 made, 0 rejected, 0 blank" in res.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    qpdf_check(out)
    manifest = read_csv(out.with_suffix(".manifest.csv"))
    expect = [
        ["José O’Brien", "1 Main St", "Española, NM 87532"],
        ["Françoise Dubœuf", "2 Rue St Apt 3", "New Orleans, LA 70116"],
        ["Renée Zoë-Ñúñez", "3 Oak Ave", "Hartford, CT 06105"],
    ]
    for row, lines in zip(manifest, expect, strict=True):
        window, page = page_text(out, int(row["first_page"]))
        assert window == lines
        assert greeting(page) == f"Dear {lines[0].split()[0]},"


def test_a_wrong_encoding_option_is_refused_not_printed_as_mojibake(tmp_path: Path) -> None:
    src = cp1252_export(tmp_path / "export.csv", encoding="utf-8")
    res = batch("--recipients", str(src), "--out-dir", str(tmp_path / "o"), "--encoding", "cp1252")
    (line,) = assert_clean_error(res, 1)
    assert str(src) in line and "is UTF-8, not cp1252" in line and "drop --encoding" in line
    assert not (tmp_path / "o").exists()


# --------------------------------------------------------------------------- broken files

H = "First Name,Last Name,Address,City,State,ZIP\r\n"
GOOD = "Ana,Ruiz,1 Main St,Fresno,CA,93701\r\n"


BROKEN: list[tuple[str, bytes, list[str], list[str]]] = [
    ("empty", b"", [], ["the file is empty (expected a header row)"]),
    ("workbook", b"PK\x03\x04\x14\x00" + bytes(200), [], ["Excel workbook", "CSV UTF-8"]),
    (
        "unclosed",
        (H + GOOD + 'Bo,"Li,2 Main St,Fresno,CA,93701\r\n' + GOOD).encode(),
        [],
        [":3: csv: record 2 (line 3): a quoted field starts here and is never closed"],
    ),
    (
        "huge-field",
        (H + "Ana," + "x" * (1 << 21) + ",1 Main,Fresno,CA,93701\r\n").encode(),
        [],
        ["record 1 (line 2): field larger than field limit", "quote"],
    ),
    (
        "mac-cr",
        # Excel for Mac's "CSV (Macintosh)": Mac Roman, CR line ends
        (H.strip() + "\rJos\u00e9,Ruiz,1 Main,Fresno,CA,93701\r").encode("mac_roman"),
        [],
        [":2: encoding: record 1 (line 2): byte 0x8E is not valid UTF-8", "--encoding"],
    ),
    ("not-text", (H + GOOD).encode(), ["--encoding", "base64"], ["unknown text encoding"]),
    (
        "huge-header-field",
        ("first_name," + "x" * (1 << 21) + ",address1,city,state,zip\r\n" + GOOD).encode(),
        [],
        [":1: csv: the header (line 1): field larger than field limit", "quote"],
    ),
    (
        "idna",
        (H + "Jos\u00e9,Ruiz,1 Main,Fresno,CA,93701\r\n").encode("cp1252"),
        ["--encoding", "idna"],
        ["--encoding: 'idna' is not an encoding of text files"],
    ),
    (
        "bom-then-cp1252",
        # a UTF-8 BOM, then Excel's cp1252 é: the byte named is the é, not 3 bytes before it
        codecs.BOM_UTF8 + (H + "Jos\u00e9,Ruiz,1 Main,Fresno,CA,93701\r\n").encode("cp1252"),
        [],
        [":2: encoding: record 1 (line 2): byte 0xE9 is not valid UTF-8"],
    ),
    (
        "split-character",
        # a good two-byte character across the first 1 MiB block, a bad byte after it
        (H + "Ana,Ruiz," + "a" * ((1 << 20) - len(H) - 10) + "\u00e9,Fresno,CA,93701\r\n").encode()
        + b"Jos\xe9,Ruiz,1 Main,Fresno,CA,93701\r\n",
        [],
        [":3: encoding: record 2 (line 3): byte 0xE9 is not valid UTF-8"],
    ),
    ("no-bom", (H + GOOD).encode(), ["--encoding", "utf-16"], ["cannot be read as utf-16"]),
    (
        "same-field-twice",
        b"First Name,FirstName,Last Name,Address,City,State,ZIP\r\n",
        [],
        ["column 'First Name' (first_name) appears more than once (columns 1 and 2)"],
    ),
    (
        "two-addresses",
        b"Name,Patient Address,Home Address,City,State,Zip\r\n",
        [],
        ["'Patient Address' and 'Home Address' could both be address1", "--columns"],
    ),
    (
        "home-or-mailing",
        b"Name,Address,City,State,Zip,Mailing Address\r\n",
        [],
        ["'Address' and 'Mailing Address' could both be address1", "--columns"],
    ),
]


@pytest.mark.parametrize(("name", "data", "options", "expect"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_file_is_one_line_naming_file_and_fix(
    tmp_path: Path, name: str, data: bytes, options: list[str], expect: list[str]
) -> None:
    src = tmp_path / f"{name}.csv"
    src.write_bytes(data)
    out = tmp_path / "out"
    (line,) = assert_clean_error(batch("--recipients", str(src), "--out-dir", str(out), *options))
    assert str(src) in line or "--encoding" in line
    for part in expect:
        assert part in line
    assert not out.exists()  # nothing written


def test_utf16_without_bom_and_header_only(tmp_path: Path) -> None:
    src = tmp_path / "nobom.txt"
    text = "First Name\tLast Name\tAddress\tCity\tState\tZIP\r\n"
    text += "Thảo\tNguyễn\t77 Elm St\tSan Jose\tCA\t95112\r\n"
    src.write_bytes(text.encode("utf-16-le"))  # no byte-order mark
    out = tmp_path / "o"
    res = batch("--recipients", str(src), "--out-dir", str(out))
    assert res.returncode == 0, res.stderr
    (pdf,) = out.glob("*.pdf")
    assert page_text(pdf, 1)[0] == ["Thảo Nguyễn", "77 Elm St", "San Jose, CA 95112"]
    src = tmp_path / "header.csv"
    src.write_bytes(H.encode() + b",,,,,\r\n")
    res = batch("--recipients", str(src), "--out-dir", str(tmp_path / "h"))
    # as a file with only its header (exit 0 with no letter read as a mailing made)
    assert assert_clean_error(res) == [f"{src}: every record (1) is blank: nothing to mail"]


# --------------------------------------------------------------------------- outputs


def test_outputs_never_replace_inputs(tmp_path: Path) -> None:
    src = tmp_path / "patients.csv"
    src.write_bytes((H + GOOD).encode())
    data = src.read_bytes()
    (line,) = assert_clean_error(batch("--recipients", str(src), "--merged", str(src)))
    assert line == (
        f"{src}: is an input of this run and the output would replace it: "
        "choose another --merged file or --out-dir"
    )
    rejects = tmp_path / "rejects.csv"
    rejects.write_bytes(data)
    (line,) = assert_clean_error(batch("--recipients", str(rejects), "--out-dir", str(tmp_path)))
    assert line.startswith(f"{rejects}: is an input of this run")
    notes = tmp_path / "notes.txt"
    notes.write_text("keep me\n")
    (line,) = assert_clean_error(batch("--recipients", str(src), "--merged", str(notes)))
    assert "exists and is not a PDF" in line
    assert src.read_bytes() == data and rejects.read_bytes() == data
    assert notes.read_text() == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "notes.txt",
        "patients.csv",
        "rejects.csv",
    ]
    res = batch("--recipients", str(src), "--out-dir", "")  # --out-dir "$UNSET"
    assert res.returncode == 2 and "--out-dir" in res.stderr and "Traceback" not in res.stderr
    (line,) = assert_clean_error(
        batch("--recipients", str(src), "--out-dir", str(tmp_path / ("x" * 300)))
    )
    assert "cannot create the folder: File name too long" in line


def test_columns_map_shards_and_one_column_names(tmp_path: Path) -> None:
    src = tmp_path / "export.csv"
    src.write_text(
        "Name,Patient Address,Home Address,City,State,Zip\n"
        '"Ruiz, Ana",PO Box 1,1 Main St,Fresno,CA,93701\n'
        '"Nguyễn, Thảo",PO Box 2,2 Main St,Fresno,CA,93701\n'
        "Mr. John Smith,PO Box 3,3 Main St,Fresno,CA,93701\n"
        '"Dr. Ana Ruiz, MD",PO Box 4,4 Main St,Fresno,CA,93701\n'
        ",,,,,\n"
        "Bo Li,PO Box 6,6 Main St,Fresno,CA,\n",
        encoding="utf-8",
    )
    cols = tmp_path / "map.yaml"
    cols.write_text('address1: "Home Address"\n', encoding="utf-8")
    got: dict[int, tuple[list[str], str]] = {}
    for shard, summary in (("1/2", "3 records: 2 made, 0 rejected, 1 blank"),
                           ("2/2", "3 records: 2 made, 1 rejected, 0 blank")):  # fmt: skip
        out = tmp_path / shard.replace("/", "of")
        res = batch("--recipients", str(src), "--out-dir", str(out), "--columns", str(cols),
                    "--shard", shard)  # fmt: skip
        assert res.returncode == (3 if shard == "2/2" else 0), res.stderr
        assert summary in res.stdout
        for row in read_csv(out / "manifest.csv"):
            window, page = page_text(out / row["file"], 1)
            got[int(row["record"])] = (window, greeting(page))
        if shard == "2/2":
            assert [(r["record"], r["field"]) for r in read_csv(out / "rejects.csv")] == [
                ("6", "zip")
            ]
    assert got == {
        1: (["Ruiz, Ana", "1 Main St", "Fresno, CA 93701"], "Dear Ana,"),
        2: (["Nguyễn, Thảo", "2 Main St", "Fresno, CA 93701"], "Dear Thảo,"),
        3: (["Mr. John Smith", "3 Main St", "Fresno, CA 93701"], "Dear Mr. Smith,"),
        4: (["Dr. Ana Ruiz, MD", "4 Main St", "Fresno, CA 93701"], "Dear Dr. Ruiz,"),
    }


def test_markup_in_a_name_used_by_the_letter_text_stays_text(project: Path, tmp_path: Path) -> None:
    h = project / "handouts" / "tpi-aftercare.yaml"
    old = shipped.tool_line("tpi-aftercare", "appointment")  # the follow-up section
    source = h.read_text(encoding="utf-8")
    assert source.count(old) == 1
    personal = "{{ patient.first_name }}, keep your follow-up visit."
    h.write_text(source.replace(old, personal), encoding="utf-8")
    first = "**Al** [x](javascript:alert(1)) {{ 7*7 }} <img src=x>"
    src = tmp_path / "r.csv"
    src.write_text(
        f'first_name,last_name,address1,city,state,zip\n"{first}",Lee,1 Main St,Fresno,CA,93701\n',
        encoding="utf-8",
    )
    out = tmp_path / "m.pdf"
    res = batch("--recipients", str(src), "--merged", str(out), cwd=project)
    assert res.returncode == 0, res.stderr
    reader = pypdf.PdfReader(str(out))
    body = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert f"{first}, keep your follow-up visit." in body  # never evaluated as a template
    assert all("/Annots" not in p for p in reader.pages)
