"""A personal letter made from a kept letter of its family with only its paragraph's
operators written anew (handoutpress.mailvariant): a mailing whose first names all differ
is byte for byte what composing and replaying (or laying out) every letter makes — names
that keep the paragraph's lines and names that change them (page 2 then begins
elsewhere), a word wider than the line, accents, names the fallback face prints, ``&`` and
apostrophes, a row refused for its last name; and a text that prints the value any other
way than as it is makes no letter from another's."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from handoutpress import mailrepeat, mailreplay, mailvariant
from handoutpress.batch import compositions
from handoutpress.batch.compositions import Compositions, printed_only
from handoutpress.mailreplay import Replays

from .conftest import ROOT, run_cli
from .pdfcheck import qpdf_check, text

OLD = "Thank you for visiting our clinic"
SYLLABLES = ["al", "bo", "car", "da", "el", "fa", "gi", "ha", "jo", "ka", "li", "ma", "no",
             "pa", "ri", "so", "ta", "ul", "vi", "zo"]  # fmt: skip
SPECIAL = {
    5: "Maximiliana Concepción Esperanza Guadalupe",  # (a line more)
    9: "Pat & Lee",
    13: "O'Brien",
    17: "Thảo",  # (the fallback face)
    21: "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessen" * 2,
    25: "Zoë",
    29: "Ana María de los Ángeles Sofía Valentina",
    33: "Łucja",
    # punctuation between letters: made from the family's letters too (hyphens, apostrophes,
    # full stops), a longer one that takes a line more, and values that must fall back
    46: "Mary-Ann",
    49: "O'Connor",
    51: "Jean-Luc O’Neill",
    54: "St. John",
    58: "José-María",
    61: "Marie-Anne O'Sullivan Esperanza Guadalupe",  # (a line more)
    65: "D'Angelo",
    69: "A. Lincoln",
    73: "Ana--Maria",  # (two hyphens: composed)
    74: "Ana-",  # (ends with a hyphen: composed)
    78: "Mary 2nd",  # (a digit: composed)
}
#: the values above made from their family's letters (first-name case)
PUNCTUATED = [
    "Mary-Ann", "O'Connor", "Jean-Luc O’Neill", "St. John", "José-María", "D'Angelo", "A. Lincoln",
    "Marie-Anne O'Sullivan Esperanza Guadalupe",
]  # fmt: skip


def _names(n: int) -> list[str]:
    rng = random.Random(15)
    seen: set[str] = set()
    out = []
    while len(out) < n:
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 5))).title()
        if name not in seen:
            seen.add(name)
            out.append(name)
    # every fourth a long name: the paragraph takes a line more (another layout)
    out = [
        f"{name} Esperanza Guadalupe Concepción" if i % 4 == 3 else name
        for i, name in enumerate(out)
    ]
    out = [SPECIAL.get(i, name) for i, name in enumerate(out)]
    # and some names again (a few letters before, in the same part of 40)
    return [out[i - 3] if i % 5 == 2 and i % 40 > 3 else name for i, name in enumerate(out)]


def _letter(project: Path, new: str, heading: str | None = None) -> str:
    text_ = (ROOT / "bench" / "peer-letter.yaml").read_text(encoding="utf-8")
    assert OLD in text_
    text_ = text_.replace(OLD, new, 1)
    if heading is not None:
        text_ = text_.replace("heading: Thank you for your visit", f"heading: {heading}", 1)
    (project / "handouts" / "peer-letter.yaml").write_text(text_, encoding="utf-8")
    return "peer-letter"


def _csv(path: Path, names: list[str], lasts: dict[int, str] | None = None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["first_name", "last_name", "address1", "city", "state", "zip", "visit"])
        for i, first in enumerate(names):
            last = (lasts or {}).get(i, f"Ruiz{i}")
            visit = ["morning", "afternoon", "late evening"][i % 3]
            w.writerow([first, last, f"{i} Main St", "Fresno", "CA", "93701", visit])
    return path


def _batch(project: Path, handout: str, src: Path, name: str) -> Path:
    out = project.parent / name / "m.pdf"
    res = run_cli(
        "batch", handout, "--recipients", str(src),
        "--brand", str(ROOT / "bench" / "riverside.yaml"), "--jobs", "1", "--merged", str(out),
        cwd=project, env={"HANDOUTS_BATCH_CHUNK": "40"}, process=False,
    )  # fmt: skip
    assert res.returncode in (0, 3), res.stderr  # (3: a row rejected)
    return out


REMEMBERED: list[int] = []
#: the values of each letter made from another's
SHOWN: list[tuple[str, ...]] = []


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Per letter made from another's: how many layouts had a kept letter to make it from.
    Those whose values had not been drawn on the part before are counted in REMEMBERED."""
    made: list[int] = []
    real = Replays.variant
    real_remember = mailvariant.Variants.remember
    REMEMBERED.clear()
    SHOWN.clear()

    def remember(self: mailvariant.Variants, *args: object) -> None:
        REMEMBERED.append(1)
        real_remember(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(mailvariant.Variants, "remember", remember)

    def variant(self: Replays, *args: object) -> object:
        got = real(self, *args)  # type: ignore[arg-type]
        if got is not None:
            made.append(len({layout for _, layout in self.variants.kept}))
            SHOWN.append(args[2].shown)  # type: ignore[attr-defined]
        return got

    monkeypatch.setattr(Replays, "variant", variant)
    return made


@pytest.mark.parametrize(
    "new",
    [
        "Thank you, {{ patient.first_name }}, for visiting our clinic",
        # two values, one of them twice, one from the row's own columns
        "Thank you, {{ patient.first_name }}, for visiting our clinic this {{ row.visit }}"
        " ({{ patient.first_name }})",
    ],
    ids=["first-name", "two-values"],
)
def test_letters_made_from_their_familys_are_what_replaying_each_makes(
    project: Path, monkeypatch: pytest.MonkeyPatch, new: str
) -> None:
    handout = _letter(project, new)
    src = _csv(project.parent / "r.csv", _names(100), {40: "שלום"})  # (refused)
    made = _counting(monkeypatch)
    fast = _batch(project, handout, src, "fast")
    # 3 parts (40 letters each): from about the sixth letter of a part on, most are made
    # from a kept letter; the longer names' paragraph takes a line more: another layout
    assert len(made) >= 60
    assert max(made) >= 2
    assert 0 < len(REMEMBERED) < len(made) - 5  # (names again: their paragraph's operators too)
    if "row.visit" not in new:
        shown = {v[0] for v in SHOWN}
        assert set(PUNCTUATED) <= shown, set(PUNCTUATED) - shown
        assert not {"Ana--Maria", "Ana-", "Mary 2nd", "Pat & Lee"} & shown
    made.clear()
    monkeypatch.setattr(compositions, "VARIANTS", False)
    each = _batch(project, handout, src, "each")
    assert not made
    assert fast.read_bytes() == each.read_bytes()
    for f in ("m.manifest.csv", "m.rejects.csv"):
        assert (fast.parent / f).read_bytes() == (each.parent / f).read_bytes(), f
    assert "last_name" in (each.parent / "m.rejects.csv").read_text(encoding="utf-8")
    qpdf_check(fast)
    words = " ".join(text(fast).split())  # (a name may wrap)
    for i, first in enumerate(_names(100)):
        if i != 40 and len(first) < 60:
            assert f"Thank you, {first}, for" in words, first
    if "row.visit" in new:
        return  # (the first case's letters laid out in full below: once is enough)
    # and what laying every letter out in full makes (nothing replayed, kept or composed once)
    monkeypatch.setattr(Replays, "MAX_LAYOUTS", 0)
    monkeypatch.setattr(Compositions, "ENABLED", False)
    monkeypatch.setattr(mailreplay, "PLAIN", False)
    monkeypatch.setattr(mailrepeat, "ENABLED", False)
    full = _batch(project, handout, src, "full")
    assert fast.read_bytes() == full.read_bytes()


def test_a_value_also_in_the_heading_makes_no_letter_from_anothers(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name in the heading too: the heading differs from the kept letter's, so the
    family is not made (each letter composed and replayed, as before)."""
    handout = _letter(
        project,
        "Thank you, {{ patient.first_name }}, for visiting our clinic",
        heading="Thank you for your visit, {{ patient.first_name }}",
    )
    src = _csv(project.parent / "r.csv", _names(30))
    made = _counting(monkeypatch)
    fast = _batch(project, handout, src, "fast")
    assert not made
    monkeypatch.setattr(compositions, "VARIANTS", False)
    assert fast.read_bytes() == _batch(project, handout, src, "each").read_bytes()


@pytest.mark.parametrize(
    ("body", "plain"),
    [
        ("Thank you, {{ patient.first_name }}, for coming. Call {{ clinic.phone }}.", True),
        ("No template here", True),
        ("{{ patient.first_name | upper }}", False),  # (a filter)
        ("{% if patient.first_name %}Hi {{ patient.first_name }}{% endif %}", False),
        ("{% set n = patient.first_name %}{{ n }}", False),
        ("Hi {{ patient.first_name ~ '!' }}", False),
        ("&{{ patient.first_name }};", False),  # (an entity it could complete)
        ("<https://x.org/{{ patient.first_name }}>", False),  # (an automatic link)
        ("in 3 {{ row.unit }}", False),  # (a quantity: 3 days)
        ("{{ clinic.phone }} {{ patient.first_name }}", False),  # (right after a value)
        ("[{{ patient.first_name }}]\n\n[ana]: https://x.org", False),  # (a link reference)
        ("{{ patient.first_name.title() }}", False),  # (a call)
        ("{{ patient['first_name'] }} is here", True),
    ],
)
def test_printed_only(body: str, plain: bool) -> None:
    handout = SimpleNamespace(model_dump=lambda: {"sections": [{"body": body}]})
    assert printed_only(handout) is plain  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("first", "shown"),
    [
        ("Ana", "Ana"),
        ("  Mary   Ann ", "Mary Ann"),  # (as printed: spaces collapsed)
        ("Zoë", "Zoë"),
        ("Pat & Lee", None),
        ("O'Brien", "O'Brien"),
        ("Mary-Ann", "Mary-Ann"),
        ("St. John", "St. John"),
        ("Jean-Luc O’Neill", "Jean-Luc O’Neill"),
        ("Mary--Ann", None),
        ("'Ana", None),
        ("Ana-", None),
        ("Ana.", None),
        ("Ana .B", None),
        ("Ana_B", None),
        ("Ana/B", None),
        ("", None),
        ("Ana3", None),  # (a number: the quantity rule may bind it to the next word)
        ("Ana\u202e", None),
    ],
)
def test_which_values_make_a_letter_from_anothers(first: str, shown: str | None) -> None:
    from handoutpress.fonts import register

    body = "Thank you, {{ patient.first_name }}, for coming."
    handout = SimpleNamespace(
        model_dump=lambda: {"sections": [{"body": body}]}, fields=[], language="en"
    )
    made = Compositions()
    personal = {"patient.first_name": first, "patient.last_name": "Ruiz"}
    key = made.key("", handout, personal, {})  # type: ignore[arg-type]
    got = made.variant(key, handout, personal, register())  # type: ignore[arg-type]
    assert (got[2] if got is not None else None) == ((shown,) if shown else None)
    if got is not None:  # the same family for another first name
        other = {**personal, "patient.first_name": "Bo"}
        again = made.variant(
            made.key("", handout, other, {}),
            handout,
            other,
            register(),  # type: ignore[arg-type]
        )
        assert again is not None and again[0] == got[0] and again[1] == (("patient", "first_name"),)
