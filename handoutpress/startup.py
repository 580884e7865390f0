"""What a command does not pay for at start-up unless it needs it.

Some libraries compile, when imported, regular expressions over large ranges of Unicode
that a command seldom or never uses (:data:`DEFERRED_PATTERNS`): ReportLab's URL pattern
(``uri_pat``: Django's validator, case-insensitive over most of Unicode; used only to split a
long web address across lines; 60-90 ms to compile), ReportLab's CJK pattern in
``textsplit`` (used by ``cjkwrap`` alone) and PyYAML's class of printable characters (most of
Unicode, 3 ms; its pure-Python reader's, which only words an error libyaml found).
:func:`defer_import_time_patterns` puts a stand-in for each into :mod:`re`'s cache before
those imports: ``re.compile`` returns the stand-in, and the stand-in compiles the pattern
the first time it is used. Anything the stand-in does not expect (another Python whose
cache works otherwise, another library version whose pattern differs, the module imported
already) leaves everything as it was: the pattern is compiled at import, as before.

pydantic looks for plugins in every installed package's entry points when it builds its
first validator; Handout Press uses none and turns the search off
(``PYDANTIC_DISABLE_PLUGINS=__all__`` unless the user set it). Its plugin loader still
imports :mod:`importlib.metadata` (with email, zipfile and csv: 15-25 ms) only to learn
that it has nothing to do: :func:`skip_disabled_pydantic_plugins` gives pydantic a loader
that answers "no plugins" at once, what the real one answers with the search turned off.

Python 3.11's :mod:`dataclasses` writes each method of a dataclass as source text and
compiles it (``exec``) when the class is made: ``__init__``, ``__repr__`` and ``__eq__``, and
for a frozen class ``__setattr__``, ``__delattr__`` and ``__hash__`` too. A command's imports
make about a hundred dataclasses (ours, pydantic's, annotated_types'), and compiling their
methods was a sixth of its import time, although most of them are never called (a frozen
class's ``__setattr__`` only refuses, its ``__repr__`` serves a debugger).
:func:`compile_dataclass_methods_when_called` has every method but ``__init__`` (always
called, and read by ``inspect.signature``) compiled, from the same text, the first time it is
called: until then the class holds a stand-in that compiles it, puts it in its place and
calls it. A ``__repr__`` (wrapped by ``dataclasses`` against recursion) keeps its stand-in,
which calls the compiled method.

ReportLab's paragraphs import Pyphen, for the hyphenation a style may ask for; Pyphen lists
its dictionaries when imported (through :mod:`importlib.resources`: 10-30 ms). Handout
Press hyphenates nothing, and counts syllables with it only in ``check``:
:func:`import_pyphen_when_used` makes ``import pyphen`` give a module that is run the first
time a name it lacks is read from it (a module ``__getattr__``; not
:class:`importlib.util.LazyLoader`, whose module runs at the import statement on 3.11).

ReportLab's utilities import Pillow's ``PIL.Image`` (with its tags, modes and C core: 5-8 ms)
for the raster images a page may draw; a letter with no picture and a logo-less brand
draws none: :func:`import_pil_image_when_used` makes it such a module too.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
import threading
import types
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from reportlab.graphics.shapes import Drawing

#: ReportLab 5.0-5.1's ``reportlab.platypus.paragraph.uri_pat`` (with ``re.I``)
URI_PATTERN = (
    "(^(?:[a-z0-9\\.\\-\\+]*)://)(?:\\S+(?::\\S*)?@)?(?:(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)"
    "(?:\\.(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}|\\[[0-9a-f:\\.]+\\]|([a-z\xa1-\uffff0-9]"
    "(?:[a-z\xa1-\uffff0-9-]{0,61}[a-z\xa1-\uffff0-9])?(?:\\.(?!-)[a-z\xa1-\uffff0-9-]{1,63}"
    "(?<!-))*\\.(?!-)(?:[a-z\xa1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?|localhost))"
    "(?::\\d{2,5})?(?:[/?#][^\\s]*)?\\Z"
)
#: ReportLab 5's ``reportlab.lib.textsplit.rx`` (with ``re.UNICODE``), used by ``cjkwrap``
CJK_PATTERN = "([\u2e80-\uffff])"
#: PyYAML 6's ``yaml.reader.Reader.NON_PRINTABLE`` (used by its pure-Python reader, which
#: reads a file only to word an error libyaml found; ``loading`` checks text without it)
YAML_NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


#: the Pythons whose ``dataclasses._create_fn`` :func:`compile_dataclass_methods_when_called`
#: knows (name, args, body, globals, locals, return_type: the text of one function)
_CREATE_FN_PYTHONS = ((3, 11), (3, 12))
#: the packages whose dataclasses get their methods compiled when first called: ours and the
#: libraries our imports make dataclasses in (any other code in the process, a test's or a
#: web server's, gets :mod:`dataclasses`' own methods, compiled with the class)
LAZY_DATACLASS_PACKAGES = frozenset({"handoutpress", "pydantic", "annotated_types", "markdown_it"})
#: the dataclass methods compiled when first called (all but ``__init__``)
LAZY_DATACLASS_METHODS = frozenset(
    {"__repr__", "__eq__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__setattr__",
     "__delattr__"}
)  # fmt: skip


def compile_dataclass_methods_when_called() -> None:
    """Dataclasses made from now on in :data:`LAZY_DATACLASS_PACKAGES` get their methods but
    ``__init__`` compiled when first called (see the module's docstring). On another Python,
    or done already: nothing."""
    create_fn = getattr(dataclasses, "_create_fn", None)
    if (
        sys.version_info[:2] not in _CREATE_FN_PYTHONS
        or create_fn is None
        or getattr(create_fn, "compiles_when_called", False)
    ):
        return

    def create_when_called(name: str, *args: object, **kw: object) -> Callable[..., object]:
        module = kw.get("globals")  # (the class's module's namespace; {} if not imported)
        package = module.get("__name__", "") if isinstance(module, dict) else ""
        if (
            name not in LAZY_DATACLASS_METHODS
            or package.partition(".")[0] not in LAZY_DATACLASS_PACKAGES
        ):
            return create_fn(name, *args, **kw)
        made: list[Callable[..., object]] = []

        def stand_in(*call_args: object, **call_kw: object) -> object:
            if not made:
                fn = create_fn(name, *args, **kw)
                fn.__qualname__ = stand_in.__qualname__  # (set by dataclasses to the class's)
                made.append(fn)
                if call_args:  # the class (or a base) that holds this stand-in gets the method
                    for cls in type(call_args[0]).__mro__:
                        if cls.__dict__.get(name) is stand_in:
                            setattr(cls, name, fn)
                            break
            return made[0](*call_args, **call_kw)

        stand_in.__name__ = name
        return stand_in

    create_when_called.compiles_when_called = True  # type: ignore[attr-defined]
    dataclasses._create_fn = create_when_called  # type: ignore[attr-defined]


def import_pyphen_when_used() -> None:
    """``import pyphen`` gives a module that runs Pyphen's code the first time a name it lacks
    is read from it (see the module's docstring): its ``__spec__``, ``__file__`` and
    ``__path__`` are there from the start, as the import statement reads them (so not
    :class:`importlib.util.LazyLoader`, whose module runs at the import statement). Imported
    already, or not installed: nothing."""
    if "pyphen" in sys.modules:
        return
    import importlib.util

    spec = importlib.util.find_spec("pyphen")
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    loader = spec.loader
    lock = threading.Lock()

    def complete(name: str) -> object:  # (a module's __getattr__)
        with lock:
            if module.__dict__.pop("__getattr__", None) is not None:
                loader.exec_module(module)
        return getattr(module, name)

    module.__dict__["__getattr__"] = complete
    sys.modules["pyphen"] = module


def import_pil_image_when_used() -> None:
    """``PIL.Image`` as a module run the first time a name it lacks is read from it, as
    :func:`import_pyphen_when_used` does for Pyphen (the ``PIL`` package itself, a few lines,
    is imported now; ``from PIL import Image`` finds the module as its attribute). Imported
    already, or not installed: nothing."""
    name = "PIL.Image"
    if name in sys.modules:
        return
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)  # (imports the PIL package)
    except ImportError:
        return
    if spec is None or spec.loader is None or name in sys.modules:
        return
    module = importlib.util.module_from_spec(spec)
    loader = spec.loader
    lock = threading.Lock()

    def complete(attr: str) -> object:  # (a module's __getattr__)
        with lock:
            if module.__dict__.pop("__getattr__", None) is not None:
                loader.exec_module(module)
        return getattr(module, attr)

    module.__dict__["__getattr__"] = complete
    sys.modules[name] = module
    sys.modules["PIL"].__dict__["Image"] = module  # (what the import system sets)


class LazyPattern:
    """A compiled pattern made on first use (``match``, ``search``, any attribute)."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            # (not re.compile: the cache would give this stand-in back)
            self._compiled = re._compiler.compile(self.pattern, self.flags)  # type: ignore[attr-defined]
        return self._compiled

    def __getattr__(self, name: str) -> Any:  # any of re.Pattern's attributes, by name
        return getattr(self.compiled(), name)


#: (module that compiles it when imported, pattern, flags): patterns compiled when first used
DEFERRED_PATTERNS: tuple[tuple[str, str, int], ...] = (
    ("reportlab.platypus.paragraph", URI_PATTERN, re.IGNORECASE.value),
    ("reportlab.lib.textsplit", CJK_PATTERN, re.UNICODE.value),
    ("yaml.reader", YAML_NON_PRINTABLE, 0),
)


def defer_import_time_patterns() -> None:
    """A stand-in in :mod:`re`'s cache for each of :data:`DEFERRED_PATTERNS` whose module is
    not imported yet (see the module's docstring)."""
    cache = getattr(re, "_cache", None)
    if (
        not isinstance(cache, dict)
        or not hasattr(re, "_compiler")
        or len(cache) >= getattr(re, "_MAXCACHE", 0) // 2  # they would soon be evicted
    ):
        return
    for module, pattern, flags in DEFERRED_PATTERNS:
        if module not in sys.modules:
            cache.setdefault((str, pattern, flags), LazyPattern(pattern, flags))


#: what pydantic's plugin loader reads to turn every plugin off (pydantic/plugin/_loader.py)
_ALL_PLUGINS_OFF = ("__all__", "1", "true")
_PYDANTIC_LOADER = "pydantic.plugin._loader"


def skip_disabled_pydantic_plugins() -> None:
    """Turn pydantic's plugins off unless the user chose otherwise, and then stand in for its
    plugin loader (no entry points read, no :mod:`importlib.metadata` imported). With any
    other ``PYDANTIC_DISABLE_PLUGINS`` (plugins wanted, or some of them), or pydantic's loader
    imported already, pydantic's own loader runs as it would."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] not in _ALL_PLUGINS_OFF:
        return
    if _PYDANTIC_LOADER in sys.modules:
        return
    loader = types.ModuleType(_PYDANTIC_LOADER, "pydantic's plugin loader with plugins off")

    def get_plugins() -> tuple[()]:
        return ()

    loader.get_plugins = get_plugins  # type: ignore[attr-defined]
    loader.PYDANTIC_ENTRY_POINT_GROUP = "pydantic"  # type: ignore[attr-defined]
    sys.modules[_PYDANTIC_LOADER] = loader


def svg_reader() -> Callable[[IO[bytes]], Drawing | None]:
    """svglib's ``svg2rlg``, imported without first running the ``svglib`` package's own
    ``__init__`` (its command-line tool: argparse, and :mod:`importlib.metadata` to read its
    version: 15-25 ms). The package module is made from its spec and completed, by running
    that ``__init__``, the first time anything asks it for a name it lacks
    (``svglib.__version__``, ``svglib.svg2pdf``). Imported already: used as it is."""
    if "svglib" not in sys.modules:
        import importlib.util

        spec = importlib.util.find_spec("svglib")
        if spec is not None and spec.loader is not None and spec.submodule_search_locations:
            package = importlib.util.module_from_spec(spec)
            loader = spec.loader

            def complete(name: str) -> object:  # (a module's __getattr__)
                del package.__dict__["__getattr__"]
                loader.exec_module(package)
                return getattr(package, name)

            package.__dict__["__getattr__"] = complete
            sys.modules["svglib"] = package
    from svglib.svglib import svg2rlg

    return svg2rlg
