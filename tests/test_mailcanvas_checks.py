"""The faster forms of checks FormCanvas makes on every form's operators and text (a
mailing with personal text makes forms per letter): the same answers as the originals."""

from __future__ import annotations

import random

import pytest
from reportlab.pdfbase import pdfdoc

from handoutpress.mailcanvas import _OWN_RESOURCES, own_resources, pdfdoc_bytes


def test_own_resources_answers_as_the_pattern_does() -> None:
    rng = random.Random(15)
    letters = "gshcCSnNBI s\\()\n_1é/"
    for _ in range(50_000):
        code = "".join(rng.choice(letters) for _ in range(rng.randint(0, 14)))
        assert own_resources(code) == bool(_OWN_RESOURCES.search(code)), repr(code)
    for code in ("/GS1 gs", "q 0 0 1 cs", "(rush) Tj", "xgs", "gsx", "é cs", "écs", "_sh"):
        assert own_resources(code) == bool(_OWN_RESOURCES.search(code)), code


@pytest.mark.parametrize(
    "code",
    [
        "BT /F1+0 12 Tf (Jos\\002) Tj ET\n",
        "",
        "caf\u00e9 \u2022 \u2019",
        "".join(map(chr, range(128))),
    ],
)
def test_pdfdoc_bytes_encodes_as_reportlab(code: str) -> None:
    try:
        want = pdfdoc.pdfdocEnc(code)
    except UnicodeEncodeError:
        with pytest.raises(UnicodeEncodeError):
            pdfdoc_bytes(code)
        return
    assert pdfdoc_bytes(code) == want


def test_first_subset_codes_are_the_codes_of_the_first_subset_or_none() -> None:
    """``first_subset_codes`` (a table per font state, remade as codes are added) gives
    each character's code when all have one below 256, else None, as a lookup per
    character would, while ReportLab adds codes (never changes one)."""
    import random
    from types import SimpleNamespace

    from handoutpress.mailcanvas import first_subset_codes

    doc = object()
    state = SimpleNamespace(assignments={})
    font = SimpleNamespace(state={doc: state})
    rng = random.Random(5)
    alphabet = [chr(c) for c in [*range(32, 127), 0xE9, 0xF1, 0x3B1, 0x2014, 0xA0, 0x1F600]]

    def looked_up(text: str) -> bytes | None:
        if "\xa0" in text:  # (ReportLab's own: a no-break space is left to splitString)
            return None
        try:
            return bytes([state.assignments[ord(ch)] for ch in text])
        except (KeyError, ValueError):
            return None

    found = 0
    for _ in range(20000):
        if rng.random() < 0.05:  # a character given a code, in or past the first subset
            code = rng.choice([rng.randint(0, 255), rng.randint(256, 600)])
            state.assignments.setdefault(ord(rng.choice(alphabet)), code)
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        want = looked_up(text)
        assert first_subset_codes(font, doc, text) == want, text  # type: ignore[arg-type]
        found += want is not None
    assert 1000 < found < 19000  # (both answers were asked for)


def test_name_and_encoding_checks_answer_as_the_patterns_do() -> None:
    """``names_escaped`` (the XObject names' check) and ``pdfdoc_ascii`` (may a form's
    operators be encoded as ASCII) answer as the regular expressions they replace."""
    import re

    from handoutpress.mailcanvas import _NAME_ESCAPED, names_escaped
    from handoutpress.mailpdf import pdfdoc_ascii

    rng = random.Random(16)
    every = [chr(c) for c in range(0x82)] + ["é", "\u2014"]
    for _ in range(50_000):
        pool = every if rng.random() < 0.3 else "FormXob.r12-p1~0 ab"
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        assert names_escaped(text) == bool(_NAME_ESCAPED.search(text)), repr(text)
        want = text.isascii() and not re.search("[\x18-\x1f]", text)
        assert pdfdoc_ascii(text) == want, repr(text)
