"""A mailing's personal sections composed once per set of the values their templates read
(handoutpress.batch.compositions): which values a handout reads, found from its templates'
syntax (or not known, then every row is composed), and a mailing whose rows share first
names but not their other values made byte for byte as composing every row makes it, rows
refused for a value the text does not print refused as before."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from handoutpress import mailreplay
from handoutpress.batch.compositions import Compositions, reads
from handoutpress.fonts import register
from handoutpress.mailpdf import RawStream
from handoutpress.project import Project

from .conftest import ROOT
from .test_batch_replay import merged_batch, rows_csv


def _handout(project: Path, body: str) -> object:
    text = (ROOT / "bench" / "peer-letter.yaml").read_text(encoding="utf-8")
    old = "Thank you for visiting our clinic"
    path = project / "handouts" / "peer-letter.yaml"
    path.write_text(text.replace(old, body, 1), encoding="utf-8")
    return Project(project).load_handout(path).handout


@pytest.mark.parametrize(
    ("body", "wanted"),
    [
        ("Thank you, {{ patient.first_name }}, for", (("patient", "first_name"),)),
        ("Hi {{ row['visit_date'] }} {{ visit.date }}", (("row", "visit_date"), ("visit", "date"))),
        ("{% if row.note %}{{ row.note | upper }}{% endif %} {{ today }}", (("row", "note"),)),
        ("Thank you for visiting our clinic", ()),
    ],
)
def test_what_a_handouts_templates_read(project: Path, body: str, wanted: object) -> None:
    assert reads(_handout(project, body)) == wanted  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "body",
    [
        "{% for k in row %}{{ k }}{% endfor %}",  # every column
        "{{ patient | string }}",  # the whole namespace to a filter
        "{{ row[patient.first_name] }}",  # an item named by a value
        "{% set patient = row %}{{ patient.first_name }}",  # assigned
        "{{ patient.first_name ",  # does not parse
    ],
)
def test_a_namespace_read_any_other_way_is_not_known(project: Path, body: str) -> None:
    assert reads(_handout(project, body)) is None  # type: ignore[arg-type]


def test_a_composition_is_found_again_only_by_the_values_it_read(project: Path) -> None:
    handout = _handout(project, "Thank you, {{ patient.first_name }}, for")
    made = Compositions()
    ana = {"patient.first_name": "Ana", "patient.last_name": "Ruiz"}
    key = made.key("en", handout, ana, {"note": "x"})  # type: ignore[arg-type]
    other = {"patient.first_name": "Ana", "patient.last_name": "Gómez"}
    assert made.key("en", handout, other, {"note": "y"}) == key  # type: ignore[arg-type]
    bo = {"patient.first_name": "Bo", "patient.last_name": "Ruiz"}
    assert made.key("en", handout, bo, {}) != key  # type: ignore[arg-type]
    assert made.key("en", handout, {}, {}) != key  # type: ignore[arg-type]


def test_a_row_whose_own_values_compose_refuses_is_composed_again(project: Path) -> None:
    """(compose then refuses it with its message: a value with a line break, or one no font
    prints, even where the text does not print it)"""
    from handoutpress.compose import compose

    handout = _handout(project, "Thank you, {{ patient.first_name }}, for")
    made = Compositions()
    fonts = register()
    ana = {"patient.first_name": "Ana", "patient.last_name": "Ruiz"}
    key = made.key("en", handout, ana, {})  # type: ignore[arg-type]
    src = Project(project).load_handout(project / "handouts" / "peer-letter.yaml")
    brand = Project(project).brand_source(None).brand
    first = compose(src.id, src.doc, src.handout, brand, {}, fonts=fonts, mailing=True)
    made.put(key, first)
    got = made.get(key, ana, fonts)
    assert got is not None and got.values == tuple(ana.items())
    assert got == dataclasses.replace(first, values=tuple(ana.items())) and first.values == ()
    for bad in ("Ruiz\nRuiz", "\u05e9\u05dc\u05d5\u05dd"):
        refused = {"patient.first_name": "Ana", "patient.last_name": bad}
        assert made.key("en", handout, refused, {}) == key  # type: ignore[arg-type]
        assert made.get(key, refused, fonts) is None


def test_rows_with_the_same_first_name_are_what_composing_each_makes(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    firsts = ["Ana", "José", "Bo", "Ana", "Łucja", "Bo", "Pat & Lee", "Ana", "José", "Pat & Lee"]
    rows = [(f, f"Ruiz{i}", "") for i, f in enumerate(firsts * 3)]
    rows[13] = ("Ana", "שלום", "")  # right-to-left: refused, though the text prints no last name
    src = rows_csv(project.parent / "r.csv", rows)
    got: list[bool] = []
    real_get = Compositions.get

    def get(self: Compositions, *args: object) -> object:
        found = real_get(self, *args)  # type: ignore[arg-type]
        got.append(found is not None)
        return found

    monkeypatch.setattr(Compositions, "get", get)
    from handoutpress import mailmerge

    stories: list[int] = []
    real_story = mailmerge.section_story

    def section_story(*args: object, **kw: object) -> object:
        stories.append(1)
        return real_story(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(mailmerge, "section_story", section_story)

    kept = merged_batch(project, src, "kept", chunk=12)
    assert sum(got) >= 20  # (most rows: a first name composed before)
    assert len(stories) <= 18  # (their flowables copied: made once per name and part)
    monkeypatch.setattr(Compositions, "ENABLED", False)
    monkeypatch.setattr(mailreplay, "PLAIN", False)
    got.clear()
    each = merged_batch(project, src, "each", chunk=12)
    assert not any(got)
    assert (kept / "m.pdf").read_bytes() == (each / "m.pdf").read_bytes()
    for f in sorted(p.name for p in each.iterdir() if p.suffix == ".csv"):
        assert (kept / f).read_bytes() == (each / f).read_bytes(), f
    rejected = [p for p in each.iterdir() if "rejects" in p.name]
    assert rejected and "last_name" in rejected[0].read_text(encoding="utf-8")


def test_a_small_stream_compressed_once_is_the_same_bytes() -> None:
    import zlib

    data = b"q 1 0 0 1 10 10 cm BT /F1+0 9 Tf (Page 1 of 2) Tj ET Q"
    first, second = RawStream(data), RawStream(data)
    z = zlib.compressobj(6, zlib.DEFLATED, 10, 2)
    assert first.data == second.data == z.compress(data) + z.flush()
    assert zlib.decompress(second.data) == data


def test_a_story_is_copied_only_when_each_kind_lays_out_its_copy_alone() -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Spacer, Table

    from handoutpress.sharedflowables import copied_story

    fonts = register()
    style = ParagraphStyle("b", fontName=fonts.regular, fontSize=12, leading=15)
    made = [Paragraph("Thank you, Ana, for visiting our clinic today. " * 4, style), Spacer(1, 6)]
    before = [dict(vars(f)) for f in made]
    copies = copied_story(made)
    assert copies is not None and all(a is not b for a, b in zip(copies, made, strict=True))
    assert copies[0].wrap(300, 800) == Paragraph(made[0].text, style).wrap(300, 800)
    assert len(copies[0].split(300, 31)) == 2  # (laid out and split: the copy's own state)
    assert [dict(vars(f)) for f in made] == before  # the made ones never laid out
    assert copied_story([*made, Table([["a"]])]) is None


def test_the_shared_xobject_dictionary_is_formatted_as_reportlab_formats_it() -> None:
    import io
    import random

    from reportlab.pdfgen.canvas import Canvas

    from handoutpress.mailcanvas import XObjects

    rng = random.Random(5)
    for n in (0, 1, 5, 6, 7, 12, 13, 40):
        doc = Canvas(io.BytesIO())._doc
        names = sorted({f"R{rng.randrange(99)}-p{rng.randrange(9)}" for _ in range(n)})
        names += ["a name", "x#y"][: n % 3]  # (escaped by ReportLab: formatted by it)
        for name in names:
            doc.Reference(object.__new__(type("F", (), {})), f"FormXob.{name}")
        want = doc.xobjDict(names).format(doc)
        assert XObjects(names).format(doc) == want


@pytest.mark.parametrize(
    "value",
    ["Ana", "1520 King's Rd Apt 2B", "José", "Thảo", "Ana\x07", "Ana\tB", "Ana\nB", "שלום",
     "Ana \U0001f600", "Ana\u202e", "王小明", ""],
)  # fmt: skip
def test_compositions_take_the_values_compose_takes(value: str) -> None:
    """``Compositions.fine`` (its own check of plain ASCII values first, then
    ``value_problems``) takes a row's values when ``value_problems`` finds nothing, each
    asked for twice (the second time from what it noted)."""
    from handoutpress.personal_values import value_problems

    fonts = register()
    made = Compositions()
    expected = not value_problems({"patient.first_name": value}, fonts)
    assert made.fine({"patient.first_name": value}, fonts) is expected
    assert made.fine({"patient.last_name": value}, fonts) is expected
