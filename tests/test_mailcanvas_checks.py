"""The faster forms of two checks FormCanvas.endForm makes on every form's operators (a
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
