"""A personal letter replayed in a layout the letters before it on the same part took is
drawn from their operators (handoutpress.mailstencil): only its own paragraph is drawn. The
file must be byte for byte what laying out every letter in full makes, with rows whose
paragraph keeps the remembered lines and rows that change them (page 2 beginning
elsewhere), and the stencil must only be used once a second letter confirmed it. The
recipient's paragraph is plain text: drawn from its own lines (handoutpress.plainpara) once
two letters drawn by ReportLab confirmed the operators around them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from handoutpress import mailreplay
from handoutpress.batch.compositions import Compositions
from handoutpress.mailreplay import Replays
from handoutpress.mailstencil import PageRecord, Stencil
from handoutpress.plainpara import PlainDrawer

from .conftest import ROOT, run_cli
from .pdfcheck import qpdf_check, text
from .test_batch_replay import WORDS, _letter

#: mostly short names (the paragraph keeps its 3 lines), some notes that make it longer;
#: characters beyond Latin-1 (the face's second subset) and ones PDF strings escape
NAMES = ["Ana", "José", "Pat & Lee", "Bo", "Zoë", "Li", "Mary", "Søren", "Ed", "Kim", "Łucja"]
NAMES += ["Jo (Jay)", "Ty\\Lo", "Wiremu-Bartholomew", "Ōta"]


def _rows(n: int) -> list[tuple[str, str]]:
    return [(NAMES[i % len(NAMES)], WORDS * 4 if i % 7 == 5 else "") for i in range(n)]


def _batch(project: Path, name: str, rows: list[tuple[str, str]]) -> Path:
    src = project.parent / "r.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["first_name", "last_name", "address1", "city", "state", "zip", "note"])
        for i, (first, note) in enumerate(rows, start=1):
            w.writerow([first, f"Ruiz{i}", f"{i} Main St", "Fresno", "CA", "93701", note])
    out = project.parent / name / "m.pdf"
    res = run_cli(
        "batch", _letter(project), "--recipients", str(src),
        "--brand", str(ROOT / "bench" / "riverside.yaml"), "--jobs", "1", "--merged", str(out),
        cwd=project, env={"HANDOUTS_BATCH_CHUNK": "15"}, process=False,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    return out


def test_letters_drawn_from_the_stencil_are_the_full_layout(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast: list[bool] = []
    real_learn, real_place = Replays._learn, Replays._place
    placed: list[int] = []

    def learn(self: Replays, *args: object) -> None:
        fast.append(False)  # a replayed letter drawn in full (recorded)
        real_learn(self, *args)  # type: ignore[arg-type]

    def place(self: Replays, *args: object) -> None:
        placed.append(1)
        real_place(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Replays, "_learn", learn)
    monkeypatch.setattr(Replays, "_place", place)
    replays: list[int] = []
    real_replay = Replays.replay

    def replay(self: Replays, *args: object, **kw: object) -> int:
        replays.append(1)
        return real_replay(self, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Replays, "replay", replay)
    from_lines: list[bool] = []
    real_draw = PlainDrawer.draw

    def draw(self: PlainDrawer, *args: object) -> bool:
        from_lines.append(real_draw(self, *args))  # type: ignore[arg-type]
        return from_lines[-1]

    monkeypatch.setattr(PlainDrawer, "draw", draw)
    rows = _rows(60)
    reused = _batch(project, "reused", rows)
    # 4 parts of 15: per part and layout, the first replay makes a stencil and the second
    # confirms it; the others are drawn from it (only their paragraph placed)
    drawn_in_full = len(fast)
    assert len(replays) - drawn_in_full >= 12
    # a letter drawn in full places each of its 25 or so flowables; one from the stencil
    # only its paragraph (without stencils: about 25 times the replays)
    assert len(placed) <= 30 * drawn_in_full + 2 * (len(replays) - drawn_in_full)
    assert len(placed) < 12 * len(replays)
    assert sum(from_lines) >= 20  # (the paragraph drawn from its lines, not by ReportLab)

    monkeypatch.setattr(Replays, "MAX_LAYOUTS", 0)  # nothing remembered: all laid out
    # each row composed, each paragraph wrapped and drawn by ReportLab
    monkeypatch.setattr(Compositions, "ENABLED", False)
    monkeypatch.setattr(mailreplay, "PLAIN", False)
    full = _batch(project, "full", rows)
    assert reused.read_bytes() == full.read_bytes()
    qpdf_check(reused)
    words = text(reused)
    for i, (first, _) in enumerate(rows, start=1):
        assert f"Thank you, {first}, for" in words
        assert f"Ruiz{i}" in words


def test_a_stencil_fits_only_pages_drawn_as_it_says() -> None:
    page = PageRecord(["q", "/FormXob.r1-total-1 Do", "Q", "BT (Ana) Tj ET", "x"], ["r1-total-1"])
    page.own = [(3, 3, 4)]
    s = Stencil.of([page], "r1-total", frozenset({1}), frozenset())
    other = PageRecord(["q", "/FormXob.r2-total-1 Do", "Q", "BT (Bo) Tj ET", "x"], ["r2-total-1"])
    other.own = [(3, 3, 4)]
    assert s.fits([other], "r2-total", frozenset({1}), frozenset())
    assert not s.fits([other], "r2-total", frozenset({1, 2}), frozenset())
    assert not s.fits([other], "r3-total", frozenset({1}), frozenset())
    moved = PageRecord(["q", "/FormXob.r2-total-1 Do", "Q", "y", "BT (Bo) Tj ET"], ["r2-total-1"])
    moved.own = [(3, 4, 5)]
    assert not s.fits([moved], "r2-total", frozenset({1}), frozenset())


def test_each_recipients_letter_is_freed_once_drawn(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunk's letters are let go as each is drawn, not left to the cyclic collector
    (which batch runs once a chunk: walking a thousand kept letters cost more than drawing
    them): no drawn recipient's merge is alive when the chunk is done, though the collector
    is off. (Its renderer may stay a while in mailstamp's memo of address positions, which
    keeps the last 64.)"""
    import gc
    import weakref

    from handoutpress.batch import worker
    from handoutpress.mailmerge import MailMerge

    made: list[weakref.ref[MailMerge]] = []
    real_for, real_draw = MailMerge.for_recipient, worker.draw
    alive_after: list[int] = []

    def for_recipient(self: MailMerge, *args: object) -> MailMerge:
        merge = real_for(self, *args)  # type: ignore[arg-type]
        made.append(weakref.ref(merge))
        return merge

    def draw(*args: object) -> object:
        assert not gc.isenabled()  # (batch leaves the collector off while a chunk is drawn)
        got = real_draw(*args)  # type: ignore[arg-type]
        alive_after.append(sum(ref() is not None for ref in made))
        made.clear()
        return got

    monkeypatch.setattr(MailMerge, "for_recipient", for_recipient)
    monkeypatch.setattr(worker, "draw", draw)
    _batch(project, "freed", _rows(20))
    assert alive_after == [0, 0]  # (20 rows in chunks of 15)
