"""The mailing letter, like the sheet, keeps a list's last two items together (the last
item never alone at the top of a page) unless that makes the letter run past its last
page: then it is laid out once more with the items free to part. It had no such fallback:
a letter that fitted with the pair parted was refused ("overflows page 6 by 2 lines"), by
``build`` and by ``batch`` (which checks each letter before any row, as it lays it out).
A letter with a recipient field in its text is checked before any row with the pair kept;
a row whose letter then does not fit is laid out once more with the pair free to part (it
was refused, "does not fit the layout", where ``build`` with its values made it)."""

from __future__ import annotations

from pathlib import Path

import pypdf

from .conftest import run_cli

ITEM = "which is long enough to wrap onto two lines of this letter's text here"
FIRST, SECOND = "First of the last two items", "Second of the last two items"


def _letter(project: Path, before: int, total: int, name: str = "") -> tuple[int, list[str]]:
    """A letter of ``total`` one-line paragraphs, ``before`` of them ahead of a list whose
    last two items wrap to two lines each: (exit status, each page's text). ``name``: the
    last paragraph ends with it (a recipient field, say), still one line."""
    source = (project / "handouts" / "tpi-follow-up.yaml").read_text("utf-8")
    lines = ["".join(f"      Line {i}: a knot in a muscle.\n\n" for i in range(n))
             for n in (before, total - before)]  # fmt: skip
    if name:
        lines[1] = lines[1][: -len(".\n\n")] + f", {name}.\n\n"
    body = (
        f"sections:\n  - heading: Part one\n    body: |\n{lines[0]}"
        f"      - {FIRST}, {ITEM}.\n      - {SECOND}, {ITEM}.\n\n"
        f"  - heading: Part two\n    body: |\n{lines[1]}"
    )
    (project / "handouts" / "lv.yaml").write_text(source.split("sections:\n")[0] + body)
    out = project / "lv.pdf"
    values = ["--set", "patient.first_name=Al"] if name else []
    res = run_cli("build", "lv", "--layout", "letter", *values, "-o", str(out), cwd=project)
    if res.returncode:
        assert "overflows page 6" in res.stderr, res.stderr
        return res.returncode, []
    return 0, [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(out).pages]


def test_a_full_letter_parts_a_lists_last_two_items_rather_than_fail(project: Path) -> None:
    fits, fails = 120, 200  # one-line paragraphs in all: the most six pages hold
    while fails - fits > 1:
        mid = (fits + fails) // 2
        fits, fails = (mid, fails) if _letter(project, 10, mid)[0] == 0 else (fits, mid)
    parted = []
    for before in range(0, 45):  # the list at each place down pages 1 and 2
        status, pages = _letter(project, before, fits - 1)
        if status == 0 and not any(FIRST in p and SECOND in p for p in pages):
            parted.append(before)
            break
    assert parted, "no letter was made with the pair parted"
    rows = project / "r.csv"
    rows.write_text("first_name,address1,city,state,zip\nAna,1 Main St,Fresno,CA,93701\n")
    for out in ("--merged", str(project / "m" / "m.pdf")), ("--out-dir", str(project / "o")):
        res = run_cli("batch", "lv", "--recipients", str(rows), *out, "--proof", cwd=project)
        assert res.returncode == 0, res.stderr
        assert "1 records: 1 made, 0 rejected, 0 blank" in res.stdout
    # the recipient's first name in the text (the section with the list stays shared): build
    # with the name makes it with the pair parted, and so does each way of batch
    status, pages = _letter(project, parted[0], fits - 1, "{{ patient.first_name }}")
    assert status == 0 and not any(FIRST in p and SECOND in p for p in pages)
    assert any("a knot in a muscle, Al." in p for p in pages)
    rows.write_text(
        "first_name,address1,city,state,zip\nAl,1 Main St,Fresno,CA,93701\n"
        "Bo,2 Main St,Fresno,CA,93701\n"
    )
    for out in ("--merged", str(project / "p" / "m.pdf")), ("--out-dir", str(project / "q")):
        res = run_cli("batch", "lv", "--recipients", str(rows), *out, "--proof", cwd=project)
        assert res.returncode == 0, res.stderr
        assert "2 records: 2 made, 0 rejected, 0 blank" in res.stdout
    merged = [
        " ".join(p.extract_text().split()) for p in pypdf.PdfReader(project / "p" / "m.pdf").pages
    ]
    assert any("a knot in a muscle, Bo." in p for p in merged)
    assert not any(FIRST in p and SECOND in p for p in merged)  # (parted in both letters)


def test_the_loose_fallback_tries_once_more_only_when_lists_were_kept(monkeypatch) -> None:
    """One shared fallback (sheet and letter): an overflow with lists kept is laid out once
    more loose, and the flag is reset after; a renderer a mailing's plan set loose from the
    start is laid out once (a second try would be the same layout) and stays loose."""
    import pytest

    from handoutpress.errors import ContentOverflow
    from handoutpress.layouts.letter import LetterRenderer
    from handoutpress.layouts.loose_lists import LooseListsOnOverflow
    from handoutpress.layouts.sheet import SheetRenderer
    from handoutpress.render import LayoutRenderer

    assert issubclass(SheetRenderer, LooseListsOnOverflow)
    assert issubclass(LetterRenderer, LooseListsOnOverflow)
    tries: list[bool] = []

    def layout(self):  # the real layout: overflows unless lists are loose
        tries.append(self.loose_lists)
        if not self.loose_lists:
            raise ContentOverflow("overflows page 2 by 1 line")
        return b"%PDF", None

    monkeypatch.setattr(LayoutRenderer, "build_once", layout)
    renderer = LooseListsOnOverflow.__new__(LooseListsOnOverflow)
    assert renderer.build_once() == (b"%PDF", None)
    assert tries == [False, True] and renderer.loose_lists is False
    tries.clear()
    renderer.loose_lists = True  # as batch preflight sets it

    def overflow(self):  # too long even with lists loose
        tries.append(self.loose_lists)
        raise ContentOverflow("overflows page 2 by 1 line")

    monkeypatch.setattr(LayoutRenderer, "build_once", overflow)
    with pytest.raises(ContentOverflow):
        renderer.build_once()
    assert tries == [True] and renderer.loose_lists is True
