"""The tri-fold's type-size search (``TrifoldRenderer.render``): the body size it picks is the
one an exhaustive search picks (every step between ``type.body`` and ``type.max_body`` laid
out: the largest that fits), for the shipped brochures in both languages and for the edge
cases (content that fits at the largest size, content that never fits); and the back panel,
laid out in the layout's own sizes, is measured once per render, not once per size tried.
"""

from __future__ import annotations

import pytest

from handoutpress.boxes import tier_sections
from handoutpress.build import compose_for
from handoutpress.compose import Composed
from handoutpress.errors import ContentOverflow
from handoutpress.fonts import register
from handoutpress.layouts.trifold import TrifoldRenderer
from handoutpress.project import Project
from handoutpress.render import RenderOptions
from handoutpress.source_date import deterministic_today
from handoutpress.tagging import Node

from .conftest import copy_shipped

SHIPPED = "trigger-point-injections"
#: a brochure with one short section: it fits at the largest size (then is balanced)
SHORT = """sections:
  - heading: Only this
    body: |
      A short note. Call us if you need help.
"""
#: a plain section this long does not fit a panel at any size (nor split across panels)
HARD = " ".join(["Rest the sore muscle today and use gentle heat as your team showed you."] * 40)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = copy_shipped(tmp_path_factory.mktemp("fit"))
    text = (root / "handouts" / f"{SHIPPED}.yaml").read_text("utf-8")
    head = text.split("sections:\n")[0]
    (root / "handouts" / "fit-short.yaml").write_text(head + SHORT, "utf-8")
    more = "  - heading: Extra tips\n    body: |\n      " + HARD + "\n"
    never = text.replace("sections:\n", "sections:\n" + more, 1)
    (root / "handouts" / "fit-never.yaml").write_text(never, "utf-8")
    return Project(root)


OPTIONS = RenderOptions(target="office", deterministic=True, layout_only=True)


def _renderer(project: Project, handout: str, layout: str) -> TrifoldRenderer:
    source = project.load_handout(project.handouts_dir / f"{handout}.yaml")
    brand = project.brand_source(None)
    _, today = deterministic_today()
    composed: Composed = compose_for(source, None, brand, today, {}, OPTIONS, fonts=register())
    return TrifoldRenderer(composed, project.load_layout(layout), brand, OPTIONS)


def _searched(project: Project, handout: str, layout: str) -> float | None:
    """The body size ``render`` picks (None: it raised ContentOverflow)."""
    r = _renderer(project, handout, layout)
    try:
        r.render()
    except ContentOverflow:
        return None
    return r.scale.body


def _exhaustive(project: Project, handout: str, layout: str) -> float | None:
    """Every step laid out, as ``render`` starts (at type.body, sections allowed to break
    one level at a time while they do not fit): the largest step below which all fit."""
    r = _renderer(project, handout, layout)
    steps = r.type_steps()
    r.use_body(steps[0])
    r.fixed_theme = r.theme
    while True:
        try:
            r.build_once()
            break
        except ContentOverflow:
            if r.may_split == 2:
                return None
            r.may_split += 1
    best = steps[0]
    for size in steps[1:]:
        r.use_body(size)
        try:
            r.build_once()
        except ContentOverflow:
            break
        best = size
    return best


CASES = [
    (SHIPPED, "trifold"),
    (f"{SHIPPED}.es", "trifold"),
    (SHIPPED, "trifold-a4"),
    ("fit-short", "trifold"),
    ("fit-never", "trifold"),
]


@pytest.mark.parametrize(("handout", "layout"), CASES)
def test_search_picks_the_size_an_exhaustive_search_picks(
    project: Project, handout: str, layout: str
) -> None:
    picked = _searched(project, handout, layout)
    assert picked == _exhaustive(project, handout, layout)
    if handout == "fit-short":  # (the edge cases are what they are meant to be)
        assert picked == _renderer(project, handout, layout).type_steps()[-1]
    if handout == "fit-never":
        assert picked is None


@pytest.mark.parametrize(("handout", "layout"), CASES[:3])
def test_back_panel_measured_once_per_render(
    project: Project, handout: str, layout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    measured: list[tuple[bool, tuple[int, ...]]] = []
    back_parts = TrifoldRenderer.back_parts

    def counting(self: TrifoldRenderer, tiers: list, back: Node | None) -> list:
        if back is None:  # (measuring, not drawing)
            measured.append((self.fields_on_flap, tuple(id(s) for s in tiers)))
        return back_parts(self, tiers, back)

    monkeypatch.setattr(TrifoldRenderer, "back_parts", counting)
    r = _renderer(project, handout, layout)
    r.render()
    layouts = len(r.type_steps())  # (more than one build: the search ran)
    assert layouts > 1 and measured
    assert len(measured) == len(set(measured)), measured  # each question asked once


def test_remembered_answer_is_the_measured_one(project: Project) -> None:
    measured_afresh = TrifoldRenderer.back_fits.__wrapped__  # type: ignore[attr-defined]
    r = _renderer(project, SHIPPED, "trifold")
    r.render()
    for fields_on_flap in (False, True):
        r.fields_on_flap = fields_on_flap
        tiers = tier_sections(r.composed.sections)
        assert tiers
        for asked in (tiers, tiers[:1]):
            assert r.back_fits(asked) == measured_afresh(r, asked)
