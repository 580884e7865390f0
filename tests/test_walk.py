"""The two walks of CONTRIBUTING.md (a handout to its PDF, a CSV row to a drawn letter) go
down the layers: traced while ``build`` and ``batch`` run, every call from one module of
``handoutpress`` to another goes to a module it imports (directly or through others, imports
for the type checker included: ``tests/test_architecture.py``'s graph), except the ways a
lower module asks to be called back:

- a method of a base class the caller knows (a layout kind's ``story``, a ReportLab
  ``Flowable``'s ``wrap``, a ``Canvas``'s ``endForm``);
- a hook the caller's layer declares: a method of a ``Protocol`` (the letter's ``Merge`` and
  ``FileTemplateHooks``) or a field typed ``Callable`` (``Theme.paragraph``);
- what is handed down: a function or bound method passed in (the caller's code does not
  name it), a file's ``write``.

Calls made by ReportLab, pydantic or Jinja2 into our code (page callbacks, validators) are
the library's, not a step of ours. Each walk also meets the modules CONTRIBUTING.md names
in the order it names them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from pathlib import Path
from types import FrameType

import pytest

from .conftest import ROOT, run_cli
from .test_architecture import PACKAGE, graph
from .test_batch import HEADER, write_csv

IO_NAMES = frozenset({"write", "flush", "close", "tell", "read", "seek"})


@lru_cache(maxsize=1)
def _below() -> dict[str, set[str]]:
    g = graph(PACKAGE, inside_functions=True, type_checking=True)
    out: dict[str, set[str]] = {}
    for m in g:
        seen: set[str] = set()
        stack = list(g[m])
        while stack:
            x = stack.pop()
            if x not in seen:
                seen.add(x)
                stack.extend(g.get(x, {}))
        out[m] = seen
    return out


@cache
def _hooks(module: str) -> frozenset[str]:
    """Names the module declares to be called back: Protocol methods, Callable fields."""
    found: set[str] = set()
    mod = sys.modules.get(module)
    for value in vars(mod).values() if mod is not None else ():
        if not isinstance(value, type) or value.__module__ != module:
            continue
        if getattr(value, "_is_protocol", False):
            found |= {k for k in vars(value) if not k.startswith("__")}
        for name, annotation in vars(value).get("__annotations__", {}).items():
            if "Callable" in str(annotation):
                found.add(name)
    return frozenset(found)


class Walk:
    """The calls between modules of ``handoutpress`` while a command runs."""

    def __init__(self) -> None:
        self.below = dict(_below())
        self.climbs: dict[str, int] = {}
        #: the module called into, call by call (a module again only after another)
        self.trail: list[str] = []

    def allowed(self, caller: str, back: FrameType, frame: FrameType, name: str) -> bool:
        callee = frame.f_globals["__name__"]
        if callee in self.below.get(caller, ()):
            return True  # down
        if name not in back.f_code.co_names:
            return True  # a function handed down (a parameter, a local)
        level = {caller} | self.below.get(caller, set())
        me = frame.f_locals.get("self")
        if me is not None:
            for cls in type(me).__mro__:
                known = cls.__module__ in level or not cls.__module__.startswith("handoutpress")
                if known and name in vars(cls):
                    return True  # a base's method (ours below, or a library's)
        return name in IO_NAMES or any(name in _hooks(m) for m in level)

    def profile(self, frame: FrameType, event: str, arg: object) -> None:
        if event != "call":
            return
        callee = frame.f_globals.get("__name__", "")
        back = frame.f_back
        if not callee.startswith("handoutpress") or back is None:
            return
        caller = back.f_globals.get("__name__", "")
        name = frame.f_code.co_name
        if not caller.startswith("handoutpress") or caller == callee or name.startswith("<"):
            return
        if not self.trail or self.trail[-1] != callee:
            self.trail.append(callee)
        if not self.allowed(caller, back, frame, name):
            key = f"{caller}.{back.f_code.co_name} -> {callee}.{name}"
            self.climbs[key] = self.climbs.get(key, 0) + 1

    def met_in_order(self, steps: list[str]) -> list[str]:
        """The documented steps the walk met one after the other (a step found only after
        the one before it): all of them when it follows the documented walk."""
        met: list[str] = []
        at = 0
        for step in steps:
            try:
                at = self.trail.index(step, at) + 1
            except ValueError:
                break
            met.append(step)
        return met


@contextmanager
def walking() -> Iterator[Walk]:
    walk = Walk()
    old = sys.getprofile()
    sys.setprofile(walk.profile)
    try:
        yield walk
    finally:
        sys.setprofile(old)


def run(*args: str, cwd: Path = ROOT) -> Walk:
    with walking() as walk:
        res = run_cli(*args, cwd=cwd, process=False)
    assert res.returncode == 0, res.stderr
    return walk


#: CONTRIBUTING.md's walks, module by module
BUILD_STEPS = [
    "handoutpress.build",
    "handoutpress.project",
    "handoutpress.loading",
    "handoutpress.validation",
    "handoutpress.brand_files",
    "handoutpress.compose",
    "handoutpress.template_values",  # (templating, Jinja2, only for a text with its syntax)
    "handoutpress.markdown",
    "handoutpress.layouts",
    "handoutpress.styles",
    "handoutpress.section_story",
    "handoutpress.block_flowables",
    "handoutpress.output",
]
BATCH_STEPS = [
    "handoutpress.batch.runner",
    "handoutpress.build",
    "handoutpress.batch.preflight",
    "handoutpress.recipients.csvfile",
    "handoutpress.batch.journal",
    "handoutpress.batch.worker",
    "handoutpress.batch.rowcheck",
    "handoutpress.recipients.rows",
    "handoutpress.addressing",
    "handoutpress.compose",
    "handoutpress.mailmerge",
    "handoutpress.mailcanvas",
    "handoutpress.mailstamp",
    "handoutpress.batch.finish",
    "handoutpress.pdfjoin",
]

PERSONAL = """\
title: A note for you
language: en
form: PSP-TEST-WALK
revised: 2026-11-01
review: {status: draft, reviewed_by: "", next_review: 2027-11-01}
layouts: [letter]
sections:
  - heading: Your visit
    body: |
      Thank you, {{ patient.first_name }}, for visiting us. Call {{ clinic.phone }}.
  - heading: At home
    body: |
      Rest today and drink water.
"""

ROWS = [
    ["Ana", "Ruiz", "41 Ridge Rd", "", "Salem", "OR", "97301", "", "", ""],
    ["Bo", "Lee", "9 Birch Ln", "Apt 2", "Eugene", "OR", "97401", "", "", ""],
]


@pytest.mark.parametrize(
    "args",
    [
        ("tpi-aftercare",),
        ("trigger-point-injections", "--layout", "trifold"),
        ("tpi-aftercare", "--large-print"),
        ("tpi-aftercare", "--layout", "letter"),
    ],
    ids=["sheet", "trifold", "large-print", "letter"],
)
def test_a_handout_goes_down_to_its_pdf(tmp_path: Path, args: tuple[str, ...]) -> None:
    walk = run("build", *args, "-o", str(tmp_path / "x.pdf"))
    assert not walk.climbs, "calls back up:\n" + "\n".join(walk.climbs)
    assert walk.met_in_order(BUILD_STEPS) == BUILD_STEPS, walk.trail[:80]


@pytest.mark.parametrize("personal", [False, True], ids=["shared-text", "personal-text"])
@pytest.mark.parametrize("out", ["--merged", "--out-dir"])
def test_a_csv_row_goes_down_to_a_drawn_letter(tmp_path: Path, out: str, personal: bool) -> None:
    handout = "tpi-aftercare"
    if personal:
        (tmp_path / "note.yaml").write_text(PERSONAL, encoding="utf-8")
        handout = str(tmp_path / "note.yaml")
    csv_file = write_csv(tmp_path / "r.csv", ROWS, header=HEADER)
    target = tmp_path / ("m.pdf" if out == "--merged" else "letters")
    walk = run("batch", handout, "--recipients", str(csv_file), out, str(target), "--proof")
    assert not walk.climbs, "calls back up:\n" + "\n".join(walk.climbs)
    steps = BATCH_STEPS if out == "--merged" else [
        s for s in BATCH_STEPS
        if s not in ("handoutpress.mailmerge", "handoutpress.mailcanvas", "handoutpress.mailstamp",
                     "handoutpress.pdfjoin")
    ] + ["handoutpress.batch.outfiles"]  # fmt: skip
    if out == "--out-dir":
        steps.remove("handoutpress.batch.finish")
        steps.insert(steps.index("handoutpress.batch.outfiles"), "handoutpress.render")
    assert walk.met_in_order(steps) == steps, walk.trail[:80]


def test_the_walk_finds_a_call_back_up() -> None:
    """A lower module calling a higher one's function it names (as rowcheck once read the
    worker's Job) is a climb; a function handed down is not."""
    walk = Walk()
    walk.below = {"handoutpress.low": set(), "handoutpress.high": {"handoutpress.low"}}

    def frames(caller: str, callee: str, name: str, names: tuple[str, ...]) -> tuple:
        class Code:
            co_names = names
            co_name = "step"

        class Back:
            f_globals = {"__name__": caller}
            f_code = Code

        class Frame:
            f_globals = {"__name__": callee}
            f_back = Back
            f_locals: dict[str, object] = {}

            class f_code:  # noqa: N801
                co_name = name

        return Frame, Back

    up, back = frames("handoutpress.low", "handoutpress.high", "per_recipient", ("per_recipient",))
    walk.profile(up, "call", None)  # type: ignore[arg-type]
    assert walk.climbs == {"handoutpress.low.step -> handoutpress.high.per_recipient": 1}
    walk.climbs.clear()
    handed, _ = frames("handoutpress.low", "handoutpress.high", "draw", ("callback",))
    walk.profile(handed, "call", None)  # type: ignore[arg-type]
    down, _ = frames("handoutpress.high", "handoutpress.low", "lines", ("lines",))
    walk.profile(down, "call", None)  # type: ignore[arg-type]
    assert walk.climbs == {}
