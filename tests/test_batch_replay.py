"""`batch` with recipient fields in the text: a letter whose personal paragraph takes the
size of one laid out before is drawn in that layout (handoutpress.mailreplay) instead of
being laid out again; the file must be byte for byte what laying out every letter in full
makes, for rows whose paragraph keeps the remembered height and rows that change it."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest

from handoutpress import mailreplay
from handoutpress.batch.compositions import Compositions
from handoutpress.mailreplay import Replays

from .conftest import ROOT, run_cli
from .pdfcheck import qpdf_check, text

WORDS = "please bring this letter and your list of medicines to the next visit "
#: (first name, note): the note makes the personal paragraph 3 to about 14 lines long, so
#: later text moves and page 2 begins elsewhere; names and notes repeat, so sizes do
ROWS = [
    ("Ana", ""),
    ("José", ""),
    ("Pat & Lee", ""),
    ("Li", WORDS * 3),
    ("Bartholomew", ""),
    ("Zoë", WORDS * 3),
    ("Mary-Ann", WORDS * 12),
    ("O'Brien", ""),
    ("Ana", WORDS * 12),
    ("Søren", ""),
    ("Li", WORDS),
    ("Jo", WORDS),
]


def _letter(folder: Path, spanish: bool = False) -> str:
    """The peers' letter with the first name and a note in its first paragraph, as a
    handout of the project at ``folder``; with ``spanish``, a translation too (its own
    title and first paragraph). Returns its id."""
    text_ = (ROOT / "bench" / "peer-letter.yaml").read_text(encoding="utf-8")
    old = "Thank you for visiting our clinic"
    assert old in text_
    new = "Thank you, {{ patient.first_name }}, for visiting our clinic {{ row.note }}"
    (folder / "handouts" / "peer-letter.yaml").write_text(text_.replace(old, new, 1), "utf-8")
    if spanish:
        es = text_.replace(old, "Gracias, {{ patient.first_name }}, por su visita {{ row.note }}")
        es = es.replace("language: en", "language: es").replace(
            "title: After your trigger point injection", "title: Después de su inyección"
        )
        (folder / "handouts" / "peer-letter.es.yaml").write_text(es, encoding="utf-8")
    return "peer-letter"


def _recipients(tmp_path: Path, spanish: bool = False) -> Path:
    src = tmp_path / "r.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["first_name", "last_name", "address1", "city", "state", "zip", "note", "lang"])
        for i, (first, note) in enumerate(ROWS, start=1):
            lang = "es" if spanish and i % 3 else "en"
            w.writerow([first, f"Ruiz{i}", f"{i} Main St", "Fresno", "CA", "93701", note, lang])
    return src


def _batch(
    project: Path, name: str, *extra: str, spanish: bool = False
) -> subprocess.CompletedProcess[str]:
    out = project.parent / name
    return run_cli(
        "batch", _letter(project, spanish),
        "--recipients", str(_recipients(project.parent, spanish)),
        "--brand", str(ROOT / "bench" / "riverside.yaml"), "--jobs", "1",
        *extra, "--merged", str(out / "m.pdf"),
        cwd=project, env={"HANDOUTS_BATCH_CHUNK": "5"}, process=False,
    )  # fmt: skip


def rows_csv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A recipients CSV at ``path`` of ``(first name, last name, note)`` rows, each with its
    own street (for ``_letter``'s ``row.note``)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["first_name", "last_name", "address1", "city", "state", "zip", "note"])
        for i, (first, last, note) in enumerate(rows, start=1):
            w.writerow([first, last, f"{i} Main St", "Fresno", "CA", "93701", note])
    return path


def merged_batch(project: Path, src: Path, name: str, chunk: int) -> Path:
    """``_letter``'s mailing to ``src`` merged into ``<name>/m.pdf`` beside ``project``, in
    chunks of ``chunk`` letters (in-process); returns the folder. A row rejected is fine."""
    out = project.parent / name
    res = run_cli(
        "batch", _letter(project), "--recipients", str(src),
        "--brand", str(ROOT / "bench" / "riverside.yaml"), "--jobs", "1",
        "--merged", str(out / "m.pdf"),
        cwd=project, env={"HANDOUTS_BATCH_CHUNK": str(chunk)}, process=False,
    )  # fmt: skip
    assert res.returncode in (0, 3), res.stderr  # (3: a row rejected)
    return out


@pytest.mark.parametrize(("proof", "spanish"), [(False, False), (True, False), (False, True)])
def test_replayed_letters_are_byte_for_byte_the_full_layout(
    project: Path, monkeypatch: pytest.MonkeyPatch, proof: bool, spanish: bool
) -> None:
    """Also with two languages in one file (each with its own layouts; the file's
    metadata is the last letter's language, as when each is laid out)."""
    flags = ("--proof",) if proof else ()
    replayed: list[int] = []
    layouts: list[int] = []
    real_replay, real_remember = Replays.replay, Replays.remember

    def replay(self: Replays, *args: object, **kw: object) -> int:
        pages = real_replay(self, *args, **kw)  # type: ignore[arg-type]
        replayed.append(pages)
        return pages

    def remember(self: Replays, recorder: mailreplay.Recorder) -> None:
        real_remember(self, recorder)
        layouts.append(len(self.layouts))

    monkeypatch.setattr(Replays, "replay", replay)
    monkeypatch.setattr(Replays, "remember", remember)
    tmp_path = project.parent
    res = _batch(project, "reused", *flags, spanish=spanish)
    assert res.returncode == 0, res.stderr
    # 12 letters in 3 parts: each part's first letter (in each language) is laid out in
    # full; of the others, those with a paragraph of a size seen before are replayed
    assert len(replayed) >= (3 if spanish else 6)
    assert max(layouts) >= 3  # several sizes remembered: 3 lines, 4-5 lines, about 14

    monkeypatch.setattr(Replays, "MAX_LAYOUTS", 0)  # nothing remembered: all laid out
    replayed.clear()
    # each row composed, each paragraph wrapped and drawn by ReportLab
    monkeypatch.setattr(Compositions, "ENABLED", False)
    monkeypatch.setattr(mailreplay, "PLAIN", False)
    res = _batch(project, "full", *flags, spanish=spanish)
    assert res.returncode == 0, res.stderr
    assert not replayed

    reused = (tmp_path / "reused" / "m.pdf").read_bytes()
    full = (tmp_path / "full" / "m.pdf").read_bytes()
    assert reused == full
    qpdf_check(tmp_path / "reused" / "m.pdf")
    assert (tmp_path / "reused" / "m.manifest.csv").read_bytes() == (
        tmp_path / "full" / "m.manifest.csv"
    ).read_bytes()
    # and each letter says its own text (the replay draws the recipient's, not the layout's)
    words = text(tmp_path / "reused" / "m.pdf")
    for i, (first, _) in enumerate(ROWS, start=1):
        said = f"Gracias, {first}, por su" if spanish and i % 3 else f"Thank you, {first}, for"
        assert said in words


def test_a_paragraph_of_another_height_is_laid_out_not_replayed(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A recipient whose paragraph wraps to a height no remembered layout has is laid out
    in full (and remembered); one with a remembered height is replayed."""
    full: list[str] = []
    real = mailreplay.Replays.match

    def match(self: Replays, leaves: list[object], *args: object) -> object:
        got = real(self, leaves, *args)  # type: ignore[arg-type]
        if got is None:
            full.append(leaves[3].text)  # type: ignore[attr-defined]
        return got

    monkeypatch.setattr(Replays, "match", match)
    res = _batch(project, "m")
    assert res.returncode == 0, res.stderr
    # the first 14-line note (row 7) matches nothing remembered; row 9's, the same size, does
    assert any("Mary-Ann" in t for t in full)
    assert not any("Ana, for visiting our clinic please" in t for t in full)


def test_a_boxed_personal_section_with_a_list_is_replayed_byte_for_byte(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The recipient's name in a later section, boxed (a callout: a table), and in a list
    of the first: the letters replayed are the letters laid out."""
    text_ = (ROOT / "bench" / "peer-letter.yaml").read_text(encoding="utf-8")
    text_ = text_.replace(
        "      Please call us if the soreness",
        "      {{ patient.first_name }}, please call us if the soreness",
    ).replace(
        "  - heading: When to call us\n", "  - heading: When to call us\n    style: callout\n"
    )
    text_ = text_.replace(
        "      - Drink plenty of water and rest when you feel tired.\n",
        "      - Drink plenty of water and rest when you feel tired.\n"
        "      - Bring **{{ patient.first_name }}**'s list of medicines, {{ row.note }}\n",
    )
    assert text_.count("{{ patient.first_name }}") == 2
    (project / "handouts" / "peer-letter.yaml").write_text(text_, encoding="utf-8")
    replayed: list[int] = []
    real = Replays.replay

    def replay(self: Replays, *args: object, **kw: object) -> int:
        replayed.append(real(self, *args, **kw))  # type: ignore[arg-type]
        return replayed[-1]

    monkeypatch.setattr(Replays, "replay", replay)
    src = _recipients(project.parent)
    made = {}
    for name, most in (("reused", None), ("full", 0)):
        if most is not None:
            monkeypatch.setattr(Replays, "MAX_LAYOUTS", most)
        out = project.parent / name / "m.pdf"
        res = run_cli(
            "batch", "peer-letter", "--recipients", str(src), "--merged", str(out),
            "--brand", str(ROOT / "bench" / "riverside.yaml"), "--jobs", "1", "--proof",
            cwd=project, env={"HANDOUTS_BATCH_CHUNK": "6"}, process=False,
        )  # fmt: skip
        assert res.returncode == 0, res.stderr
        made[name] = out.read_bytes()
        if most is None:
            assert len(replayed) >= 5
    assert made["reused"] == made["full"]
    words = text(project.parent / "reused" / "m.pdf")
    for first, _ in ROWS:
        assert f"{first}, please call us" in words
