"""The README's mailing example, run as written: the shipped follow-up letter (issue 13.3)
with the example CSV, which has a visit date column and one row without a street."""

from __future__ import annotations

import csv
import re
import shlex
from pathlib import Path

from . import pdfcheck, shipped
from .conftest import ROOT, run_cli


def readme_commands() -> list[list[str]]:
    """The commands of the code block under README's *Mailings* heading."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Mailings\n", 1)[1]
    block = section.split("```\n", 2)[1]
    joined = re.sub(r"\\\n\s*", " ", block)
    return [shlex.split(line, comments=True)[2:] for line in joined.splitlines() if line.strip()]


def why_sent(handout: str) -> str:
    """The first sentence of the section that says why the letter was sent (the one using
    the CSV's visit date), with ``{}`` where the date goes."""
    body = " ".join(shipped.section(handout, needle="row.visit_date")["body"].split())
    sentence = re.split(r"(?<=\.) ", body)[0]
    return sentence.replace("{{ row.visit_date }}", "{}")


def test_the_readme_mailing_runs_and_personalises_each_letter(tmp_path: Path) -> None:
    batch, one = readme_commands()
    assert batch[:2] == ["batch", "tpi-follow-up"] and one[:2] == ["build", "tpi-follow-up"]
    out = tmp_path / "out"
    res = run_cli(*[a.replace("out/", f"{out}/") for a in batch])
    assert res.returncode == 3, res.stderr  # row 4 has no street
    assert res.stdout.splitlines()[0] == "4 records: 3 made, 1 rejected, 0 blank"
    with (out / "mailing.rejects.csv").open(encoding="utf-8", newline="") as fh:
        assert [(r["record"], r["field"]) for r in csv.DictReader(fh)] == [("4", "address1")]
    text = pdfcheck.words(out / "mailing.pdf")
    # each letter says why it was sent, with the row's visit date, in the row's language
    why_en, why_es = (why_sent(h) for h in ("tpi-follow-up", "tpi-follow-up.es"))
    assert why_es.format("20 de noviembre de 2026") in text
    assert why_en.format("November 20, 2026") in text
    assert why_en.format("November 21, 2026") in text
    assert "Dear Pat," in text and "Dear Thảo," in text and "Ana:" in text
    # the tiers, 911 first, are on the first page of every letter
    with (out / "mailing.manifest.csv").open(encoding="utf-8", newline="") as fh:
        firsts = [int(r["first_page"]) for r in csv.DictReader(fh)]
    assert len(firsts) == 3
    tiers = [
        (shipped.heading(h, "urgent"), shipped.heading(h, "warning"))
        for h in ("tpi-follow-up", "tpi-follow-up.es")
    ]
    for first in firsts:
        page = pdfcheck.words(out / "mailing.pdf", first)
        assert any(u in page and w in page and page.index(u) < page.index(w) for u, w in tiers)

    res = run_cli(*[a.replace("out/", f"{out}/") for a in one])
    assert res.returncode == 0, res.stderr
    letter = pdfcheck.words(out / "one-letter.pdf")
    assert "Dear Ana," in letter and "on November 20, 2026." in letter
