"""`batch`: hostile CSVs in, every row accounted for, patient data kept private.

Every CSV here is made by the test. The shipped content is a draft and the shipped
brand a sample, so these runs use --proof (refusing them without it is tested too).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import stat
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from . import shipped
from .conftest import assert_clean_error, run_cli
from .pdfcheck import page_sizes, pdfinfo, qpdf_check, text, words

HEADER = ["First Name", "Last_Name", "Street", "Address 2", "City", "STATE", "ZIP Code"]
HEADER += ["Preferred Language", "IMb", "Notes"]

#: (row, expected outcome): "made", "blank" or the field named in rejects.csv
JOSE = ["José", "Muñoz", "1520 King's Rd", "Apt 2B", "Portland", "OR", "97205", "es", "", ""]
ROWS: list[tuple[list[str], str]] = [
    (JOSE, "made"),
    (["Thảo", "Nguyễn", "77 Elm St", "", "San Jose", "CA", "95112-1234", "vi", "", "a\nb"], "made"),
    (["<b>Bob</b> & <i>Al</i>", "../../etc/passwd", "1 Main St", "", "Boston", "ma", "02134",
      "", "00040123456200800001", ""], "made"),
    (["", "", "", "", "", "", "", "", "", ""], "blank"),
    (["Ann", "Smith", "", "", "Salem", "OR", "97301", "", "", ""], "address1"),
    (["Zoë", "Brontë", "5 Oak Ave", "", "Salem", "ZZ", "97301", "", "", ""], "state"),
    (["Tom", "Lee", "5 Oak Ave", "", "Salem", "OR", "2134", "", "", ""], "zip"),
    (["Ann", "Lee", "9 Pine St", "", "Salem", "OR", "97301", "", "1234", ""], "imb"),
    (["Wei", "王", "9 Pine St", "", "Salem", "OR", "97301", "", "", ""], "last_name"),
    (["", "Nobody", "9 Pine St", "", "Salem", "OR", "97301", "", "", ""], "first_name"),
    (list(JOSE), "made"),
    (["Pat & Lee", "O'Brien", "77 St. Mary's Way\nUnit 4", "", "Coeur d'Alene", "ID",
      "83814", "French", "0004012345620080000183814", ""], "made"),
]  # fmt: skip


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER, **kw: str) -> Path:
    encoding = kw.pop("encoding", "utf-8")
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, **kw).writerows([header, *rows])
    return path


def batch(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    kw = {"env": env} if env else {}
    if cwd is not None:
        kw["cwd"] = cwd  # type: ignore[assignment]
    return run_cli("batch", *args, **kw)  # type: ignore[arg-type]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def tree(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One out-dir run over the hostile CSV (UTF-8 with BOM, semicolons), shared by tests."""
    base = tmp_path_factory.mktemp("hostile")
    src = write_csv(
        base / "patients.csv", [r for r, _ in ROWS], delimiter=";", encoding="utf-8-sig"
    )
    before = tree(base)
    out = base / "letters"
    res = batch("tpi-aftercare", "--recipients", str(src), "--out-dir", str(out), "--proof")
    return {"base": base, "out": out, "res": res, "before": before}


def test_every_row_is_accounted_for_and_exit_is_3(hostile: dict[str, object]) -> None:
    res = hostile["res"]
    assert_clean_error(res, 3)  # type: ignore[arg-type]
    made = sum(1 for _, o in ROWS if o == "made")
    blank = sum(1 for _, o in ROWS if o == "blank")
    rejected = len(ROWS) - made - blank
    summary = f"{len(ROWS)} records: {made} made, {rejected} rejected, {blank} blank"
    assert summary in res.stdout.splitlines()  # type: ignore[attr-defined]
    out = hostile["out"]
    assert isinstance(out, Path)
    rejects = read_csv(out / "rejects.csv")
    expected = [(i, o) for i, (_, o) in enumerate(ROWS, start=1) if o not in ("made", "blank")]
    assert [(int(r["record"]), r["field"]) for r in rejects] == expected
    assert all(r["reason"] for r in rejects)
    manifest = read_csv(out / "manifest.csv")
    assert [int(r["record"]) for r in manifest] == [
        i for i, (_, o) in enumerate(ROWS, start=1) if o == "made"
    ]


def test_rejects_give_lines_and_never_quote_patient_data(hostile: dict[str, object]) -> None:
    out = hostile["out"]
    assert isinstance(out, Path)
    rejects = read_csv(out / "rejects.csv")
    # record 2 holds a line break inside a quoted field: later lines shift by one
    by_record = {int(r["record"]): int(r["line"]) for r in rejects}
    assert by_record[5] == 7  # header line 1, record 2 spans lines 3-4, blank record 4 = line 6
    values = {v for row, _ in ROWS for v in row if len(v) > 2}
    text_out = (out / "rejects.csv").read_text(encoding="utf-8")
    res = hostile["res"]
    logs = res.stdout + res.stderr  # type: ignore[attr-defined]
    for v in values:
        if v in ("OR", "Salem"):  # reasons may say "US state", never the value itself
            continue
        assert v not in text_out, v
        assert v not in logs, v


def test_names_print_exactly_and_files_stay_inside_private(hostile: dict[str, object]) -> None:
    out = hostile["out"]
    base = hostile["base"]
    assert isinstance(out, Path) and isinstance(base, Path)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    files = sorted(out.iterdir())
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    # nothing was written outside the output folder, whatever the names said
    new = tree(base) - hostile["before"] - {out} - set(files)  # type: ignore[operator]
    assert new == set()
    manifest = read_csv(out / "manifest.csv")
    expect = {
        1: ["José Muñoz", "1520 King's Rd Apt 2B", "Portland, OR 97205", "Estimado/a José:"],
        2: ["Thảo Nguyễn", "San Jose, CA 95112-1234", "Dear Thảo,"],
        3: ["<b>Bob</b> & <i>Al</i> ../../etc/passwd", "Boston, MA 02134",
            "Dear <b>Bob</b> & <i>Al</i>,"],
        12: ["Pat & Lee O'Brien", "77 St. Mary's Way Unit 4", "Coeur d'Alene, ID 83814",
             "Dear Pat & Lee,"],
    }  # fmt: skip
    for row in manifest:
        pdf = out / row["file"]
        assert pdf.resolve().parent == out.resolve()
        assert re.fullmatch(r"\d{6}\.pdf", row["file"])
        assert hashlib.sha256(pdf.read_bytes()).hexdigest() == row["sha256"]
        qpdf_check(pdf)
        record = int(row["record"])
        first = words(pdf, 1)
        for phrase in expect.get(record, []):
            assert phrase in first, (record, phrase)
        assert "PROOF" in first
        info = pdfinfo(pdf)
        meta = " ".join(info.get(k, "") for k in ("Title", "Subject", "Author", "Keywords"))
        reader = pypdf.PdfReader(str(pdf))
        xmp = reader.xmp_metadata
        for name in ("José", "Muñoz", "Nguyễn", "Bob", "O'Brien", "passwd"):
            assert name not in meta
            assert xmp is None or name not in str(xmp)
        # markup in a name is text, never a link or an image
        for page in reader.pages:
            assert "/Annots" not in page


def test_language_column_picks_the_translation_or_warns(hostile: dict[str, object]) -> None:
    res = hostile["res"]
    err = res.stderr  # type: ignore[attr-defined]
    assert "language 'vi'" in err and "language 'fr'" in err
    assert "2 language fallback(s)" in res.stdout  # type: ignore[attr-defined]
    assert "record 11 has the same name and address as record 1" in err


def test_cp1252_needs_the_option_and_then_works(tmp_path: Path) -> None:
    rows = [["José", "Muñoz", "1 Main St", "", "Española", "NM", "87532", "", "", ""]]
    src = write_csv(tmp_path / "excel.csv", rows, encoding="cp1252")
    out = tmp_path / "out"
    res = batch("tpi-aftercare", "--recipients", str(src), "--out-dir", str(out), "--proof")
    lines = assert_clean_error(res, 1)
    assert lines == [
        f"{src}: encoding: record 1 (line 2): byte 0xE9 is not valid UTF-8; if the file came "
        "from Excel, try --encoding cp1252"
    ] or any("record 1 (line 2)" in x and "--encoding cp1252" in x for x in lines)
    assert not out.exists()
    res = batch(
        "tpi-aftercare", "--recipients", str(src), "--out-dir", str(out), "--proof",
        "--encoding", "cp1252",
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    (pdf,) = out.glob("*.pdf")
    assert "José Muñoz" in words(pdf, 1) and "Española, NM 87532" in words(pdf, 1)


def test_missing_columns_are_named_before_anything_is_written(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "r.csv", [["Ana", "1 Main"]], header=["Name", "Where"])
    out = tmp_path / "out.pdf"
    res = batch("tpi-aftercare", "--recipients", str(src), "--merged", str(out), "--proof")
    (line,) = assert_clean_error(res, 1)
    assert "missing required column(s): address1" in line
    assert "city" in line and "state" in line and "zip" in line and "--columns" in line
    assert list(tmp_path.iterdir()) == [src]


def test_columns_map_names_unusual_headers(tmp_path: Path) -> None:
    src = write_csv(
        tmp_path / "r.csv",
        [["Ana", "Ruiz", "1 Main St", "Fresno", "CA", "93701"]],
        header=["Given", "Family", "Where", "Town", "Region", "Postcode"],
    )
    cols = tmp_path / "map.yaml"
    cols.write_text("first_name: Given\nlast_name: Family\naddress1: Where\nstate: Region\n")
    out = tmp_path / "out"
    res = batch(
        "tpi-aftercare", "--recipients", str(src), "--out-dir", str(out), "--proof",
        "--columns", str(cols),
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    (pdf,) = out.glob("*.pdf")
    assert "Ana Ruiz 1 Main St Fresno, CA 93701" in words(pdf, 1)
    cols.write_text("frist_name: Given\n")
    res = batch(
        "tpi-aftercare", "--recipients", str(src), "--out-dir", str(out), "--proof",
        "--columns", str(cols),
    )  # fmt: skip
    (line,) = assert_clean_error(res, 1)
    assert line.endswith("frist_name: unknown field (did you mean 'first_name'?)")


def test_draft_content_and_sample_brand_are_refused_without_proof(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "r.csv", [ROWS[0][0]])
    out = tmp_path / "m.pdf"
    res = batch("tpi-aftercare", "--recipients", str(src), "--merged", str(out))
    lines = assert_clean_error(res, 1)
    assert any("review.status: batch refuses draft content" in x for x in lines)
    assert any("sample: batch refuses a sample brand" in x for x in lines)
    assert not out.exists()


def merged_run(tmp_path: Path, n: int, name: str, *extra: str, env=None):
    src = tmp_path / "r.csv"
    if not src.exists():
        rows = [
            [f"Pat{i}", f"Lee{i}", f"{i} Main St", "", "Salem", "OR", "97301", "", "", ""]
            for i in range(1, n + 1)
        ]
        write_csv(src, rows)
    out = tmp_path / name / "mailing.pdf"
    res = batch(
        "tpi-aftercare", "--recipients", str(src), "--merged", str(out), "--proof", *extra,
        env=env,
    )  # fmt: skip
    return res, out


def test_merged_each_letter_starts_a_sheet_and_sits_in_the_window(tmp_path: Path) -> None:
    res, out = merged_run(tmp_path, 5, "a")
    assert res.returncode == 0, res.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    qpdf_check(out)
    manifest = read_csv(out.with_suffix(".manifest.csv"))
    assert len(manifest) == 5
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    pages = len(page_sizes(out))
    assert manifest[-1]["last_page"] == str(pages)
    x0, top, x1, bottom = 36.0, 2.042 * 72, 36.0 + 3.5 * 72, (2.042 + 0.875) * 72
    with pdfplumber.open(str(out)) as doc:
        for i, row in enumerate(manifest, start=1):
            first, last = int(row["first_page"]), int(row["last_page"])
            assert row["sha256"] == digest and row["file"] == "mailing.pdf"
            assert first % 2 == 1 and (last - first + 1) % 2 == 0  # duplex: whole sheets
            page = doc.pages[first - 1]
            name = [w for w in page.extract_words() if w["text"] in (f"Pat{i}", f"Lee{i}")]
            assert len(name) == 2
            for w in name:
                assert x0 <= w["x0"] and w["x1"] <= x1 and top <= w["top"] <= bottom
            for p in range(first + 1, last + 1):  # later fronts name the recipient; backs not
                later = text(out, p)
                if (p - first) % 2:
                    assert f"Pat{i}" not in later and f"Lee{i}" not in later
                elif doc.pages[p - 1].extract_words():
                    assert f"Pat{i} Lee{i}" in later
    for p in range(1, pages + 1):
        page_text = text(out, p)
        # every printed page says PROOF; a blank back that pads an odd page count stays blank
        assert "PROOF" in page_text or not page_text.strip(), p
    assert "Pat" not in pdfinfo(out).get("Title", "")


def test_jobs_and_chunks_give_the_same_bytes(tmp_path: Path) -> None:
    res1, out1 = merged_run(tmp_path, 12, "one")
    res2, out2 = merged_run(tmp_path, 12, "two", "--jobs", "2", env={"HANDOUTS_BATCH_CHUNK": "5"})
    assert res1.returncode == 0 and res2.returncode == 0, res2.stderr
    # chunking changes how the file is assembled, not what each page shows
    assert len(page_sizes(out1)) == len(page_sizes(out2))
    assert text(out1) == text(out2)
    res3, out3 = merged_run(tmp_path, 12, "three", "--jobs", "2")
    assert out3.read_bytes() == out1.read_bytes()
    manifest1 = (out1.with_suffix(".manifest.csv")).read_bytes()
    assert (out3.with_suffix(".manifest.csv")).read_bytes() == manifest1


def test_shards_split_the_records(tmp_path: Path) -> None:
    res1, out1 = merged_run(tmp_path, 5, "s1", "--shard", "1/2")
    res2, out2 = merged_run(tmp_path, 5, "s2", "--shard", "2/2")
    assert res1.returncode == 0 and res2.returncode == 0
    assert "3 records: 3 made" in res1.stdout and "2 records: 2 made" in res2.stdout
    r1 = [r["record"] for r in read_csv(out1.with_suffix(".manifest.csv"))]
    r2 = [r["record"] for r in read_csv(out2.with_suffix(".manifest.csv"))]
    assert r1 == ["1", "3", "5"] and r2 == ["2", "4"]
    res = batch("tpi-aftercare", "--recipients", "x.csv", "--merged", "m.pdf", "--shard", "3/2")
    assert res.returncode == 2 and "--shard" in res.stderr


def test_a_second_run_on_the_same_output_is_refused(tmp_path: Path) -> None:
    import fcntl
    import os

    folder = tmp_path / "held"
    folder.mkdir()
    fd = os.open(folder / ".handouts-batch.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        res, out = merged_run(tmp_path, 2, "held")
        (line,) = assert_clean_error(res, 1)
        assert "another batch is writing to this folder" in line
        assert not out.exists()
    finally:
        os.close(fd)


def test_personal_text_is_laid_out_per_recipient(project: Path, tmp_path: Path) -> None:
    h = project / "handouts" / "tpi-aftercare.yaml"
    old = shipped.tool_line("tpi-aftercare", "appointment")  # the follow-up section
    source = h.read_text(encoding="utf-8")
    assert source.count(old) == 1
    personal = "{{ patient.first_name }}, keep your follow-up on {{ row.visit_day }}."
    h.write_text(source.replace(old, personal), encoding="utf-8")
    src = write_csv(
        tmp_path / "r.csv",
        [["Ana", "Ruiz", "1 Main St", "Fresno", "CA", "93701", "May 4"],
         ["Bo", "Li", "2 Main St", "Fresno", "CA", "93701", "June 9"]],
        header=["first_name", "last_name", "address1", "city", "state", "zip", "Visit Day"],
    )  # fmt: skip
    out = tmp_path / "m.pdf"
    res = batch(
        "tpi-aftercare", "--recipients", str(src), "--merged", str(out), "--proof", cwd=project
    )
    assert res.returncode == 0, res.stderr
    all_text = " ".join(text(out).split())
    assert "Ana, keep your follow-up on May 4." in all_text
    assert "Bo, keep your follow-up on June 9." in all_text
    first_letter = " ".join(text(out, 1).split()) + " ".join(text(out, 2).split())
    assert "June 9" not in first_letter


def test_imb_is_validated_and_drawn(tmp_path: Path) -> None:
    imbs = ["0004012345620080000193701", "0504012345620080000193701", "00040123456200800001-12"]
    rows = [
        [first, "Lee", f"{i} Main St", "", "Fresno", "CA", "93701", "", imb, ""]
        for i, (first, imb) in enumerate(zip(["Ana", "Bo", "Cy"], imbs, strict=True), start=1)
    ]
    src = write_csv(tmp_path / "r.csv", rows)
    out = tmp_path / "out"
    res = batch("tpi-aftercare", "--recipients", str(src), "--out-dir", str(out), "--proof")
    assert_clean_error(res, 3)
    rejects = read_csv(out / "rejects.csv")
    assert [(r["record"], r["field"]) for r in rejects] == [("2", "imb"), ("3", "imb")]
    assert "second digit must be 0-4" in rejects[0]["reason"]
    assert "got 22 digits" in rejects[1]["reason"]
    (pdf,) = out.glob("*.pdf")
    with pdfplumber.open(str(pdf)) as doc:
        bars = [r for r in doc.pages[0].rects if r["width"] < 2.5 and r["height"] < 12]
    assert len(bars) == 65


def test_no_traceback_on_a_file_that_is_not_a_csv(tmp_path: Path) -> None:
    src = tmp_path / "r.csv"
    src.write_bytes(b"")
    res = batch("tpi-aftercare", "--recipients", str(src), "--out-dir", str(tmp_path / "o"),
                "--proof")  # fmt: skip
    (line,) = assert_clean_error(res, 1)
    assert "the file is empty" in line
    src.write_bytes(io.BytesIO(b"\xff\xfe" + "a,b\n".encode("utf-16-le")).getvalue())
    res = batch("tpi-aftercare", "--recipients", str(src), "--out-dir", str(tmp_path / "o"),
                "--proof")  # fmt: skip
    (line,) = assert_clean_error(res, 1)
    assert "missing required column(s)" in line


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    from .conftest import EPOCH, ROOT

    src = write_csv(tmp_path / "r.csv", [list(JOSE), [""] * len(JOSE)])  # a blank row too
    res = batch("tpi-aftercare", "--recipients", str(src), "--merged", str(tmp_path / "a.pdf"),
                "--proof")  # fmt: skip
    assert res.returncode == 0 and "records [" not in res.stderr and "#" not in res.stderr
    master, slave = pty.openpty()
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), "batch", "tpi-aftercare", "--recipients",
         str(src), "--merged", str(tmp_path / "b.pdf"), "--proof"],
        stdout=subprocess.PIPE, stderr=slave, env=env, timeout=120,
    )  # fmt: skip
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert proc.returncode == 0
    # the bar ends full: the blank row counts as done (it used to stop at 1/2)
    assert b"2/2 records" in shown and b"#" * 30 in shown
    assert b"2/2 records" not in proc.stdout


def test_a_csv_with_no_records_is_an_error_before_any_output(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "r.csv", [])
    out = tmp_path / "out" / "m.pdf"
    res = batch("tpi-aftercare", "--recipients", str(src), "--merged", str(out), "--proof")
    (line,) = assert_clean_error(res, 1)
    assert line == f"{src}: no records under the header: nothing to mail"
    assert not out.parent.exists()


def test_a_new_run_into_a_folder_of_earlier_letters_is_refused(tmp_path: Path) -> None:
    """Old letters left beside new ones would be printed and mailed with them."""
    rows = [[f"Pat{i}", f"Lee{i}", f"{i} Main St", "", "Salem", "OR", "97301", "", "", ""]
            for i in range(1, 4)]  # fmt: skip
    three = write_csv(tmp_path / "three.csv", rows)
    one = write_csv(tmp_path / "one.csv", rows[:1])
    out = tmp_path / "letters"
    res = batch("tpi-aftercare", "--recipients", str(three), "--out-dir", str(out), "--proof")
    assert res.returncode == 0, res.stderr
    before = sorted(p.name for p in out.iterdir())
    res = batch("tpi-aftercare", "--recipients", str(one), "--out-dir", str(out), "--proof")
    (line,) = assert_clean_error(res, 1)
    assert line.startswith(f"{out}: --out-dir: already holds 3 letter(s) of an earlier run")
    assert "use an empty folder" in line
    assert sorted(p.name for p in out.iterdir()) == before
