"""The join of a merged mailing's parts from what their writer knows of them (issue 15.3):
no part parsed again, the same bytes as joining the parts read from the disk."""

from __future__ import annotations

import dataclasses
import io
from array import array
from pathlib import Path

import pytest

from handoutpress import pdfjoin
from handoutpress.batch import finish

from .conftest import ROOT, run_cli
from .test_batch import write_csv
from .test_batch_outdir_shared import HEADER, ROWS


def _run(
    tmp_path: Path, rows: int, chunk: int, letter: Path = ROOT / "bench/peer-letter.yaml",
    table: list[list[str]] = ROWS,
) -> tuple[list[tuple[bytes, object]], bytes]:  # fmt: skip
    """(part bytes, the index batch joined it with) of every part, and the merged file."""
    joined: list[tuple[bytes, object]] = []
    add = pdfjoin.Joiner.add

    def watched(
        self: pdfjoin.Joiner, data: bytes, pages: object = None, index: object = None
    ) -> None:
        joined.append((data, index))
        add(self, data, index=index)  # type: ignore[arg-type]

    src = write_csv(tmp_path / "r.csv", (table * rows)[:rows], header=HEADER)
    out = tmp_path / "m.pdf"
    with pytest.MonkeyPatch.context() as m:
        m.setattr(pdfjoin.Joiner, "add", watched)
        res = run_cli(
            "batch", str(letter), "--recipients", str(src),
            "--brand", str(ROOT / "bench/riverside.yaml"), "--jobs", "1", "--merged", str(out),
            env={"HANDOUTS_BATCH_CHUNK": str(chunk)},
        )  # fmt: skip
    assert res.returncode == 0, res.stderr
    return joined, out.read_bytes()


def _join(parts: list[tuple[bytes, pdfjoin.PartIndex | None]]) -> bytes:
    buf = io.BytesIO()
    j = pdfjoin.Joiner(buf)
    for data, index in parts:
        j.add(data, index=index)
    j.close()
    return buf.getvalue()


def _counting_splits(parts: list[tuple[bytes, object]]) -> tuple[bytes, list[int]]:
    """The parts joined from their indexes, and the objects the joiner parsed."""
    split = pdfjoin._Part.split
    calls: list[int] = []

    def counted(self: pdfjoin._Part, num: int, off: int, end: int) -> tuple[int, bytes, bytes]:
        calls.append(num)
        return split(self, num, off, end)

    with pytest.MonkeyPatch.context() as m:
        m.setattr(pdfjoin._Part, "split", counted)
        return _join(parts), calls  # type: ignore[arg-type]


def test_parts_are_joined_from_their_index_without_parsing_them(tmp_path: Path) -> None:
    parts, merged = _run(tmp_path, 40, 20)
    assert len(parts) == 2
    assert all(isinstance(index, pdfjoin.PartIndex) for _, index in parts)
    fast, calls = _counting_splits(parts)
    assert fast == merged
    assert _join([(data, None) for data, _ in parts]) == merged  # the parts read back: the same
    # 20 letters a part: the 40 pages (and the first pages' streams) copied, not parsed
    # (the first of each kind is made both ways and compared)
    for _, index in parts:
        kinds = index.kinds  # type: ignore[attr-defined]
        assert kinds.count(pdfjoin.PLAIN) >= 1 and kinds.count(pdfjoin.PAGE) == 40
    objects = sum(len(index.kinds) for _, index in parts)  # type: ignore[attr-defined]
    assert len(calls) < objects - 2 * 38


def test_a_personal_letters_own_forms_are_joined_from_the_index(tmp_path: Path) -> None:
    """A letter with a recipient's name in its text has forms of its own (its pages and
    page totals): copied with the shared resources' number changed, not parsed."""
    text = (ROOT / "bench/peer-letter.yaml").read_text(encoding="utf-8")
    old = "Thank you for visiting our clinic"
    assert old in text
    letter = tmp_path / "peer-letter.yaml"
    letter.write_text(
        text.replace(old, "Thank you, {{ patient.first_name }}, for visiting our clinic", 1),
        encoding="utf-8",
    )
    names = ["Ana", "Bo", "Cyd", "Dee", "Eli", "Fay", "Gus", "Hal", "Ida", "Jo"]
    table = [[n, *ROWS[0][1:]] for n in names]
    parts, merged = _run(tmp_path, 40, 20, letter, table)
    assert len(parts) == 2
    forms = 0
    for _, index in parts:
        assert isinstance(index, pdfjoin.PartIndex)
        forms += index.kinds.count(pdfjoin.FORM)
    assert forms >= 2 * 20 * 2  # (each letter's two pages, at least)
    fast, calls = _counting_splits(parts)
    assert fast == merged
    assert _join([(data, None) for data, _ in parts]) == merged  # the long way: the same
    others = sum(index.kinds.count(pdfjoin.OTHER) for _, index in parts)  # type: ignore[attr-defined]
    # (the first object of each kind made both ways, the others parsed as before)
    assert len(calls) <= others + 3 * len(parts)
    # a form whose shared resources are not the first form's: the first made both ways
    # differs, so the part's forms are joined the long way (the same bytes)
    data, index = parts[0]
    assert isinstance(index, pdfjoin.PartIndex)
    first = index.kinds.index(pdfjoin.FORM)
    at = index.offsets[first]
    ref = pdfjoin._RESOURCES.search(data, at).group(0)  # type: ignore[union-attr]
    wrong = ref.replace(b"/Resources ", b"/Resources 9")[: len(ref)]  # (same length)
    bad = data[:at] + data[at:].replace(ref, wrong, 1)
    assert _join([(bad, index)]) == _join([(bad, None)])


def test_an_index_that_does_not_fit_its_part_is_refused_or_not_trusted(tmp_path: Path) -> None:
    parts, merged = _run(tmp_path, 10, 10)
    data, index = parts[0]
    assert isinstance(index, pdfjoin.PartIndex)
    # page contents numbered wrong: the first page made both ways differs, so the pages
    # are joined the long way (the same bytes)
    wrong = dataclasses.replace(index, contents=array("Q", [n + 1 for n in index.contents]))
    assert _join([(data, wrong)]) == merged
    # an index of another part: refused
    other = dataclasses.replace(index, xref=index.xref + 1)
    with pytest.raises(pdfjoin.JoinError):
        _join([(data, other)])


def test_merging_joins_a_resumed_part_without_an_index(tmp_path: Path) -> None:
    """A part made before an interruption has no index in this process: read from disk."""
    parts, merged = _run(tmp_path, 10, 5)
    assert len(parts) == 2
    state = tmp_path / "state"
    (state / "parts").mkdir(parents=True)
    for i, (data, _) in enumerate(parts):
        (state / "parts" / f"part-{i:06d}.pdf").write_bytes(data)
    m = finish.Merging(tmp_path / "again.pdf", state / "parts")
    m.indexes[1] = parts[1][1]  # type: ignore[assignment]
    done = {i: finish.FinishedChunk.of("", 5, True, 0, 5, 10) for i in range(2)}
    m.feed(done)
    m.finish()
    assert (tmp_path / "again.pdf").read_bytes() == merged
    assert not m.indexes


def test_references_renumbered_as_re_sub_does() -> None:
    import random

    from handoutpress.pdfjoin import _REF, _renumbered

    rng = random.Random(153)
    texts = [b"", b"no references", b"12 0 R", b"/A 10 0 R/B 1 0 R", b"x 3 0 Rx 4 0 R5 0 R"]
    for _ in range(200):  # a page tree's kids, broken every 10 as ReportLab writes them
        refs = [b"%d 0 R" % rng.randint(1, 99999) for _ in range(rng.randint(0, 40))]
        texts.append(b"<<\n/Count %d /Kids [ " % len(refs) + b" \n  ".join(refs) + b" ]\n>>")
    for text in texts:
        for base in (0, 3, 123456):
            want = _REF.sub(lambda m, b=base: b"%d 0 R" % (int(m.group(1)) + b), text)
            assert _renumbered(text, base) == want
