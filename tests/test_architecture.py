"""The architecture rules a reviewer would otherwise check by hand (CONTRIBUTING.md): data
flows one way, so no module of ``handoutpress`` imports, directly or through others, a
module that imports it back; and one module has one job, so none is over ~500 lines.

The import graph is read from the source with :mod:`ast` (nothing is imported). An edge
goes from a module to each ``handoutpress`` module it names: ``from .x import y`` names
``x`` (and ``x.y`` when that is a module); ``from . import y`` names the package itself
(its ``__init__`` is read for ``y``) and ``y``. Importing a package's submodule runs the
package's ``__init__`` first, but that alone is no edge: a registry package (``layouts``)
imports its modules and they never read it back. Imports under ``if TYPE_CHECKING:`` are
for the type checker only and are left out of the first two tests; the third counts them too
(a module naming a higher module's type knows the layer above it; grimp, pydeps and
import-linter count them by default).
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "handoutpress"

#: "no module over ~500 lines" (the founders' standard, CONTRIBUTING.md)
MAX_LINES = 500

#: cycles made only by imports inside functions, known and not yet taken apart: each must
#: still exist (remove it here when it is gone), and no other may appear
KNOWN_CYCLES_INSIDE_FUNCTIONS: set[frozenset[str]] = set()


@dataclass(frozen=True)
class Edge:
    target: str
    line: int
    inside_function: bool


def modules(package: Path) -> dict[str, Path]:
    """Every module under ``package`` by its dotted name (a package by its own name)."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _type_checking_only(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def parse(path: Path) -> ast.Module:
    """``path``'s syntax tree (the checks below only read it: one parse of the same text)."""
    return _parse(path.read_text(encoding="utf-8"), str(path))


@functools.cache
def _parse(text: str, filename: str) -> ast.Module:
    return ast.parse(text, filename)


def imports(
    name: str, path: Path, known: dict[str, Path], *, type_checking: bool = False
) -> list[Edge]:
    """The modules of ``known`` that module ``name`` (file ``path``) imports (with
    ``type_checking``, also those imported for the type checker only)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    edges: list[Edge] = []

    def add(target: str, line: int, inside: bool) -> None:
        if target in known and target != name:
            edges.append(Edge(target, line, inside))

    def visit(node: ast.AST, inside: bool) -> None:
        if isinstance(node, ast.If) and _type_checking_only(node.test) and not type_checking:
            for child in node.orelse:
                visit(child, inside)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno, inside)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + [node.module or ""])
                base = base.rstrip(".")
            else:
                base = node.module or ""
            add(base, node.lineno, inside)
            for alias in node.names:
                add(f"{base}.{alias.name}", node.lineno, inside)
        inside_next = inside or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        for child in ast.iter_child_nodes(node):
            visit(child, inside_next)

    visit(parse(path), False)
    return edges


def graph(
    package: Path, *, inside_functions: bool, type_checking: bool = False
) -> dict[str, dict[str, Edge]]:
    known = modules(package)
    out: dict[str, dict[str, Edge]] = {}
    for name, path in known.items():
        edges: dict[str, Edge] = {}
        for edge in imports(name, path, known, type_checking=type_checking):
            if inside_functions or not edge.inside_function:
                edges.setdefault(edge.target, edge)
        out[name] = edges
    return out


def cycles(g: dict[str, dict[str, Edge]]) -> list[list[str]]:
    """One cycle (first module repeated at the end) per strongly connected group of modules
    that import each other, found with Tarjan's algorithm and a walk inside each group."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(g[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(group)

    for v in sorted(g):
        if v not in index:
            connect(v)
    out = []
    for group in groups:
        start = min(group)
        # the shortest way back to start, inside the group (breadth first)
        came: dict[str, str] = {}
        frontier = [start]
        while frontier and start not in came:
            nxt = []
            for v in frontier:
                for w in sorted(g[v]):
                    if w in group and w not in came:
                        came[w] = v
                        nxt.append(w)
            frontier = nxt
        path = [start]
        while path[-1] != start or len(path) == 1:
            path.append(came[path[-1]])
        out.append(path[::-1])
    return out


def describe(cycle: list[str], g: dict[str, dict[str, Edge]], package: Path) -> str:
    known = modules(package)
    steps = []
    for a, b in zip(cycle, cycle[1:], strict=False):
        where = known[a].relative_to(package.parent)
        steps.append(f"{where}:{g[a][b].line} imports {b}")
    return " -> ".join(cycle) + "\n    " + "\n    ".join(steps)


def test_no_import_cycle_among_module_level_imports() -> None:
    g = graph(PACKAGE, inside_functions=False)
    found = cycles(g)
    assert not found, "import cycles:\n" + "\n".join(describe(c, g, PACKAGE) for c in found)


def test_no_new_import_cycle_through_imports_inside_functions() -> None:
    g = graph(PACKAGE, inside_functions=True)
    found = {frozenset(c): c for c in cycles(g)}
    new = [c for key, c in found.items() if key not in KNOWN_CYCLES_INSIDE_FUNCTIONS]
    assert not new, "import cycles:\n" + "\n".join(describe(c, g, PACKAGE) for c in new)
    gone = KNOWN_CYCLES_INSIDE_FUNCTIONS - set(found)
    assert not gone, f"no longer a cycle, take it out of KNOWN_CYCLES_INSIDE_FUNCTIONS: {gone}"


def test_no_import_cycle_even_for_the_type_checker() -> None:
    """A module that names a higher one's type (``if TYPE_CHECKING:``) knows the layer above
    it: the layers are one way for the type checker too (what grimp and pydeps report)."""
    g = graph(PACKAGE, inside_functions=True, type_checking=True)
    found = cycles(g)
    assert not found, "import cycles:\n" + "\n".join(describe(c, g, PACKAGE) for c in found)


TYPE_ONLY = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / "pkg" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "pkg"


@pytest.mark.parametrize(
    ("files", "want"),
    [
        # the cycle of last session: a submodule reading its package, whose __init__ imports it
        (
            {"__init__.py": "from .runner import run\n", "runner.py": "from . import worker\n"}
            | {"worker.py": "x = 1\n"},
            [["pkg", "pkg.runner", "pkg"]],
        ),
        # views <-> app, one of the two imports inside a function
        (
            {"__init__.py": "", "app.py": "def make():\n    from . import views\n"}
            | {"views.py": "from .app import make\n"},
            [["pkg.app", "pkg.views", "pkg.app"]],
        ),
        # three modules round, absolute and relative
        (
            {"__init__.py": "", "a.py": "import pkg.b\n", "b.py": "from .c import x\n"}
            | {"c.py": "from pkg.a import y\n"},
            [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]],
        ),
        # not cycles: a registry package, a type-only import, a package's own submodules
        (
            {"__init__.py": "from .kind import K\n", "kind.py": "from .base import B\n"}
            | {"base.py": TYPE_ONLY + "    import pkg.kind\n"},
            [],
        ),
    ],
)
def test_the_cycle_finder_finds_cycles(
    tmp_path: Path, files: dict[str, str], want: list[list[str]]
) -> None:
    package = _write(tmp_path, files)
    g = graph(package, inside_functions=True)
    assert cycles(g) == want
    if want:
        assert f"{package.name}/" in describe(cycles(g)[0], g, package)


def test_the_cycle_finder_finds_a_cycle_for_the_type_checker(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {"__init__.py": "", "worker.py": "from .rowcheck import check\n"}
        | {"rowcheck.py": TYPE_ONLY + "    from .worker import Job\n"},
    )
    assert cycles(graph(package, inside_functions=True)) == []
    typed = graph(package, inside_functions=True, type_checking=True)
    assert cycles(typed) == [["pkg.rowcheck", "pkg.worker", "pkg.rowcheck"]]


def test_no_module_is_over_500_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in sorted(PACKAGE.rglob("*.py"))
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split by job (one module, one job; at most {MAX_LINES} lines): {long}"


# --------------------------------------------------------------------------- one way in

#: the engine's own steps, which every command reaches only through the engine API
#: (:mod:`handoutpress.build`: ``plan()``/``plan_mailing()``, ``compose_for``): the module
#: that defines each, and the modules allowed to call (or subclass) it; others may name it
#: as a type
ENGINE_ONLY = {
    # composing a handout: build, batch and check compose through build.compose_for
    "compose": ("handoutpress.compose", {"handoutpress.build"}),
    # a letter renderer: made by MailingPlan.letter (batch) or layouts.render (build, by
    # its registry's name), and wrapped by the mail merge and the file templates
    "LetterRenderer": ("handoutpress.layouts.letter", {"handoutpress.build"}),
}


def engine_step_uses(path: Path, package: str, step: str, home: str) -> list[int]:
    """The lines where the module at ``path`` (in ``package``) calls or subclasses ``step``
    imported from module ``home`` (under any local name)."""
    tree = parse(path)
    local: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + [base]).rstrip(".")
            if base == home:
                local.update(a.asname or a.name for a in node.names if a.name == step)

    def named(expr: ast.expr) -> bool:
        return isinstance(expr, ast.Name) and expr.id in local

    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and named(node.func):
            lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if named(node.func.value):  # LetterRenderer.draw_personal(r, …): its code
                lines.append(node.lineno)
        elif isinstance(node, ast.ClassDef) and any(named(b) for b in node.bases):
            lines.append(node.lineno)
    return sorted(lines)


def engine_steps_used_outside(package: Path) -> list[str]:
    out = []
    for name, path in modules(package).items():
        pkg = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for step, (home, allowed) in ENGINE_ONLY.items():
            if name == home or name in allowed:
                continue
            for line in engine_step_uses(path, pkg, step, home):
                out.append(f"{path.relative_to(package.parent)}:{line} uses {step}")
    return out


def test_commands_reach_the_engine_steps_only_through_the_engine_api() -> None:
    """check composes as build and batch compose (build.compose_for); batch's letters come
    from the mailing plan's renderer (MailingPlan.letter), wrapped, not subclassed."""
    found = engine_steps_used_outside(PACKAGE)
    assert not found, "go through handoutpress.build:\n" + "\n".join(found)


def test_the_engine_step_finder_finds_a_call_and_a_subclass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _write(
        tmp_path,
        {"__init__.py": "", "compose.py": "def compose(): ...\nclass R: ...\n"}
        | {"check.py": "from .compose import compose as c\n\nx = c()\n"}
        | {"build.py": "from .compose import compose\n\nx = compose()\n"}
        | {"typed.py": "from .compose import R\n\ndef f(r: R) -> None: ...\n"}
        | {"sub.py": "from . import compose\nfrom .compose import R\n\nclass S(R): ...\n"},
    )
    steps = {"compose": ("pkg.compose", {"pkg.build"}), "R": ("pkg.compose", set())}
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "ENGINE_ONLY", steps)
    assert engine_steps_used_outside(package) == [
        "pkg/check.py:3 uses compose",
        "pkg/sub.py:4 uses R",
    ]


# --------------------------------------------------------------------------- the CLI, thin


def option_definitions(package: Path) -> dict[str, list[str]]:
    """Each command-line option's name → where a ``click.option(...)`` call defines it."""
    out: dict[str, list[str]] = {}
    for path in sorted(package.rglob("*.py")):
        tree = parse(path)
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "option"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "click"
            ):
                continue
            for arg in node.args:
                if isinstance(arg, ast.Constant) and str(arg.value).startswith("--"):
                    where = f"{path.relative_to(package.parent)}:{node.lineno}"
                    out.setdefault(str(arg.value), []).append(where)
    return out


def test_each_command_line_option_is_defined_once() -> None:
    """An option several commands take (``--brand``, ``--set``, ``--out-dir``, ``-o``, …) is
    one definition in ``options.py`` (a constant or a factory taking the command's help),
    never a second ``click.option`` that could drift from the first."""
    found = option_definitions(PACKAGE)
    assert len(found) > 20  # (the finder sees the options)
    twice = {name: where for name, where in found.items() if len(where) > 1}
    assert not twice, f"define it once in handoutpress/options.py: {twice}"


def test_the_option_finder_finds_a_second_definition(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {"__init__.py": "", "a.py": 'import click\nx = click.option("--brand", help="a")\n'}
        | {"b.py": 'import click\ny = click.option("-b", "--brand")\nz = click.option("--lang")\n'},
    )
    assert option_definitions(package) == {
        "--brand": ["pkg/a.py:2", "pkg/b.py:2"],
        "--lang": ["pkg/b.py:3"],
    }


#: each ``Any`` left in ``handoutpress`` where the type is genuinely not known, by module:
#: (how many, why). A new one fails the test below; one typed away must leave this list too.
ALLOWED_ANY: dict[str, tuple[int, str]] = {
    "handoutpress/loading.py": (1, "libyaml's CParser, found at run time and used as a base class"),
    "handoutpress/render.py": (
        1,
        "ReportLab's canvas keywords handed to PressCanvas (about 15, of many types; `lang` "
        "among them, which PressCanvas takes as a str)",
    ),
    "handoutpress/startup.py": (1, "LazyPattern.__getattr__: any of re.Pattern's attributes"),
    "handoutpress/strings.py": (
        1,
        "strings.Texts: the strings YAML's values (text, or the month names), only the "
        "months' shape checked at load",
    ),
    "handoutpress/templating.py": (
        3,
        "Jinja's operands in call_binop (narrowed by a stored test mypy cannot follow) and "
        "the value of Jinja's wrap_str_format (a str's format method, by Jinja's check)",
    ),
}


#: a string that could be a quoted type (``"list[Any] | None"``), not prose
_TYPE_TEXT = re.compile(r"[\w\[\]., |]+")


def any_uses(package: Path) -> dict[str, list[int]]:
    """The lines where each module of ``package`` names ``typing.Any`` (``Any`` or
    ``typing.Any``, in code or in a quoted annotation), by path from the package's parent."""
    out: dict[str, list[int]] = {}
    for path in sorted(package.rglob("*.py")):
        lines: list[int] = []
        for node in ast.walk(parse(path)):
            if (isinstance(node, ast.Name) and node.id == "Any") or (
                isinstance(node, ast.Attribute) and node.attr == "Any"
            ):
                lines.append(node.lineno)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                quoted = node.value  # a quoted annotation: ``"list[Any]"``
                if _TYPE_TEXT.fullmatch(quoted) and re.search(r"\bAny\b", quoted):
                    lines.append(node.lineno)
        if lines:
            out[str(path.relative_to(package.parent))] = sorted(lines)
    return out


def test_no_any_where_the_type_is_known() -> None:
    """``Any`` only where the type is genuinely unknown (:data:`ALLOWED_ANY`, also in
    CONTRIBUTING.md); elsewhere the real type, ``object`` for a value only passed on, a
    Protocol, a TypeVar or a ``Callable``."""
    found = {path: len(lines) for path, lines in any_uses(PACKAGE).items()}
    allowed = {path: n for path, (n, _) in ALLOWED_ANY.items()}
    new = {p: any_uses(PACKAGE)[p] for p, n in found.items() if n > allowed.get(p, 0)}
    assert not new, f"a type instead of Any (or a reason in ALLOWED_ANY): {new}"
    gone = {p: n for p, n in allowed.items() if found.get(p, 0) < n}
    assert not gone, (
        f"fewer Any than ALLOWED_ANY says: lower it there and in CONTRIBUTING.md: {gone}"
    )


def test_the_any_finder_finds_each_use(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {"__init__.py": "", "typed.py": "def f(x: object) -> str:\n    return 'Anything'\n"}
        | {
            "loose.py": "import typing\nfrom typing import Any\n\n"
            "def f(x: Any) -> typing.Any:\n    y: 'list[Any]' = []\n    return y\n"
        },
    )
    assert any_uses(package) == {"pkg/loose.py": [4, 4, 5]}


#: private names (``_x``) one module of the package imports from another, kept until each
#: has a public name (the module that reads another's internals knows its layout)
ALLOWED_PRIVATE = {
    ("markdown_memo.py", "markdown", "_blocks"), ("markdown_memo.py", "markdown", "_merge"),
    ("markdown_memo.py", "markdown", "_parser"), ("markdown_memo.py", "markdown", "_spans"),
    ("markdown_depth.py", "markdown", "_parser"), ("visitpdf.py", "pdfjoin", "_Part"),
    ("visitpdf.py", "pdfjoin", "_tag"), ("batch/filetemplate.py", "tagging", "_Code"),
}  # fmt: skip


def private_imports(package: Path) -> set[tuple[str, str, str]]:
    """(importing file, module, name) of each ``from <package module> import _name``."""
    found = set()
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            inside = node.level > 0 or (node.module or "").startswith(package.name)
            for alias in node.names if inside else ():
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    rel = path.relative_to(package).as_posix()
                    found.add((rel, (node.module or "").rsplit(".", 1)[-1], alias.name))
    return found


def test_no_module_imports_another_ones_private_names() -> None:
    found = private_imports(PACKAGE)
    assert not found - ALLOWED_PRIVATE, f"give these a public name: {found - ALLOWED_PRIVATE}"
    assert not ALLOWED_PRIVATE - found, (
        f"gone: drop from ALLOWED_PRIVATE: {ALLOWED_PRIVATE - found}"
    )


def test_the_private_import_finder_finds_each_one(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {"__init__.py": "", "a.py": "_x = 1\ny = 2\n"}
        | {"b.py": "from .a import _x, y\nfrom os import _exit\nfrom pkg.a import _x as z\n"},
    )
    assert private_imports(package) == {("b.py", "a", "_x")}
