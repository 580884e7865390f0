"""The row check, journal and manifest of a mailing (issue 15.3): the fast paths give what
the general ones give (the ``csv`` module's text, :func:`clean`'s cells)."""

from __future__ import annotations

import csv
import io
import subprocess

from handoutpress.batch import journal
from handoutpress.batch.journal import JournalRow, parse_rows, rows_text

ROWS = [
    JournalRow(1, 2),
    JournalRow(2, 0, line=3, field="zip", reason='has "x", y'),
    JournalRow(3, 2, "000003.pdf", "ab" * 32),
    JournalRow(4, 0, line=9, field="name", reason="a, b\nc d"),
    JournalRow(5, 4),
]


def _by_csv(rows: list[JournalRow], *lead: object) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([*lead, *r.fields()] for r in rows)
    return buf.getvalue()


def test_rows_text_is_what_the_csv_module_writes() -> None:
    assert rows_text(ROWS) == _by_csv(ROWS)
    odd = [JournalRow(9, 0, line=2, field="city", reason="a\rb")]  # quoted by csv
    assert rows_text(odd) == _by_csv(odd) and list(parse_rows(rows_text(odd))) == odd
    plain = [JournalRow(i, 2) for i in range(1, 6)]
    assert rows_text(plain) == _by_csv(plain) == "".join(f"{i},2,,,0,,\n" for i in range(1, 6))


def test_rows_read_back_as_written() -> None:
    assert list(parse_rows(rows_text(ROWS))) == ROWS
    plain = [JournalRow(i, 2) for i in range(1, 6)]
    assert list(parse_rows(rows_text(plain))) == plain


def test_the_journal_file_is_what_the_csv_module_writes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "journal.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        journal.journal(fh, 7, ROWS, "f" * 64)
        journal.journal(fh, 8, [], "")
    expected = _by_csv(ROWS, "R", 7) + "C,7," + "f" * 64 + "\nC,8,\n"
    assert path.read_bytes().decode("utf-8") == expected
    done = journal.read_journal(path)
    assert done[7].rows == ROWS and done[7].part_sha == "f" * 64
    assert done[8].rows == [] and done[8].part_sha == ""


def test_the_merged_manifest_is_what_the_csv_module_writes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from handoutpress.batch.finish import MANIFEST_HEADER, write_manifest_and_rejects

    name = 'mail, "Dec".pdf'  # a name the csv module quotes
    rows = [JournalRow(i, 2) for i in range(1, 5000)] + [ROWS[1], JournalRow(5001, 4)]
    refused = write_manifest_and_rejects(
        tmp_path / "manifest.csv", tmp_path / "rejects.csv", iter(rows), (name, "e" * 64)
    )
    assert refused == 1
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(MANIFEST_HEADER)
    page = 1
    for r in rows:
        if r.made:
            w.writerow([r.record, name, page, page + r.pages - 1, "e" * 64])
            page += r.pages
    assert (tmp_path / "manifest.csv").read_bytes().decode("utf-8") == buf.getvalue()


def test_a_merged_letters_rows_read_for_the_manifest_as_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """made_or_rows gives a made merged letter as (record, pages), anything else as
    parse_rows does, and the manifest and rejects written from it are the same bytes."""
    from handoutpress.batch.finish import write_manifest_and_rejects
    from handoutpress.batch.journal import made_or_rows

    rows = [JournalRow(i, 2) for i in range(1, 9000)] + ROWS + [JournalRow(9001, 0, line=4)]
    for text in (rows_text(rows), rows_text(rows[:20]), rows_text([])):
        got = list(made_or_rows(text))
        assert [JournalRow(*r) if isinstance(r, tuple) else r for r in got] == list(
            parse_rows(text)
        )
        if '"' not in text:
            assert sum(isinstance(r, tuple) for r in got) == sum(
                1 for r in parse_rows(text) if r.made and not r.file
            )
    text = rows_text([JournalRow(i, 2) for i in range(1, 50)] + [ROWS[4], ROWS[1]])
    assert '"' in text and list(made_or_rows(text)) == list(parse_rows(text))
    for merged in (("mail.pdf", "e" * 64), None):
        made = {}
        for how in (made_or_rows, parse_rows):
            out = tmp_path / how.__name__ / str(merged is None)
            out.mkdir(parents=True)
            refused = write_manifest_and_rejects(
                out / "m.csv", out / "r.csv", how(rows_text(rows)), merged
            )
            made[how] = (refused, (out / "m.csv").read_bytes(), (out / "r.csv").read_bytes())
        assert made[made_or_rows] == made[parse_rows]


def test_a_row_taken_as_cleaned_is_what_clean_leaves() -> None:
    """validate() skips clean() for rows of printable ASCII with single spaces inside cells."""
    import random

    from handoutpress.recipients.rows import as_cleaned, clean

    rng = random.Random(15)
    alphabet = ["a", "B", " ", "  ", "\t", "\n", "é", "'", "-", "\u200b", "\xa0", "1"]
    taken = 0
    for _ in range(20_000):
        cells = ["".join(rng.choices(alphabet, k=rng.randint(0, 5))) for _ in range(4)]
        if as_cleaned(cells, "".join(cells)):
            taken += 1
            assert all(clean(c) == c and c.isascii() and c.isprintable() for c in cells)
        else:
            assert any(clean(c) != c or not (c.isascii() and c.isprintable()) for c in cells)
    assert taken > 100


def test_a_letter_without_recipient_fields_is_laid_out_once_to_check_it_fits(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    """preflight.check_fits: no section with recipient fields, so the letter it lays out is
    all of it (it was laid out a second time without its sections); a letter with such a
    section still has the sections laid out with the fields empty."""
    import pytest

    from handoutpress.batch import preflight
    from handoutpress.mailmerge import MailMerge

    from .conftest import ROOT, run_cli
    from .test_batch import write_csv
    from .test_batch_outdir_shared import HEADER
    from .test_batch_outdir_shared import ROWS as PEOPLE

    captures: list[int] = []
    capture = MailMerge.capture
    check_fits = preflight.check_fits

    def counted(self: MailMerge, canv: object, prefix: str) -> int:
        if prefix == "check":
            captures[-1] += 1
        return capture(self, canv, prefix)  # type: ignore[arg-type]

    def watched(*args: object) -> None:
        captures.append(0)
        check_fits(*args)  # type: ignore[arg-type]

    src = write_csv(tmp_path / "r.csv", PEOPLE, header=HEADER)
    plain = ROOT / "bench" / "peer-letter.yaml"
    personal = tmp_path / "peer-letter.yaml"
    personal.write_text(
        plain.read_text(encoding="utf-8").replace(
            "Thank you for visiting our clinic",
            "Thank you, {{ patient.first_name }}, for visiting our clinic",
            1,
        ),
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as m:
        m.setattr(MailMerge, "capture", counted)
        m.setattr("handoutpress.batch.runner.check_fits", watched)
        for i, handout in enumerate((plain, personal)):
            res = run_cli(
                "batch", str(handout), "--recipients", str(src),
                "--brand", str(ROOT / "bench/riverside.yaml"), "--jobs", "1",
                "--merged", str(tmp_path / f"m{i}.pdf"),
            )  # fmt: skip
            assert res.returncode == 0, res.stderr
    assert captures == [1, 2]


_BATCH = """
import sys
from reportlab.pdfbase import pdfmetrics
from handoutpress.cli import main
sys.argv = ["generate.py", "batch", "bench/peer-letter.yaml", "--recipients", "{csv}",
            "--brand", "bench/riverside.yaml", "--jobs", "1", "--merged", "{out}"]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
print(sorted(n for n in pdfmetrics.getRegisteredFontNames() if n.startswith("HPFallback")))
"""


def test_a_merged_letter_loads_only_the_fallback_face_its_lines_use(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An address line with a character the body face lacks ("ễ") is checked and drawn in
    the fallback's regular face: the other three (0.6-0.7 MB each to parse) stay unloaded."""
    from .test_batch import write_csv
    from .test_batch_outdir_shared import HEADER
    from .test_startup import _python

    rows = [["Thảo", "Nguyễn", "77 Elm St", "Salem", "OR", "97301"]]
    src = write_csv(tmp_path / "r.csv", rows, header=HEADER)
    out = tmp_path / "m.pdf"
    printed = _python(_BATCH.format(csv=src, out=out))
    assert printed.splitlines()[-1] == "['HPFallback']"
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True)
    assert "DejaVuSans" in fonts.stdout  # the name is set in it
    assert (
        "Nguyễn"
        in subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
