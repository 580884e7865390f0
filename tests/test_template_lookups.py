"""A text whose only template syntax is ``{{ name.key }}`` is rendered without Jinja2
(:func:`handoutpress.template_values.render_lookups`), to exactly what the sandbox renders;
anything else is left to the sandbox (None), which renders it or says what is wrong."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from handoutpress.template_text import render_text
from handoutpress.template_values import (
    MAX_TEXT,
    WRITE_IN,
    Namespace,
    TemplateProblem,
    WriteIn,
    render_lookups,
)
from handoutpress.templating import render_text as sandboxed

from .conftest import ROOT


class _Row(Namespace):
    """As compose's ``row`` without a CSV: a write-in for any column not given."""

    def __missing__(self, key: str) -> WriteIn:
        return WriteIn()


CONTEXT: dict[str, object] = {
    "clinic": Namespace("clinic", {"phone": "(555) 010-0199", "hours": "Mon-Fri 8-5"}),
    "patient": Namespace("patient", {"name": "Pat & Lee <O'Brien> *Bob*", "blank": WriteIn()}),
    "row": _Row("row", {"visit_date": "  March\n 3,   2027 "}),
    "visit": Namespace("visit", {"count": 3, "items": "x", "when": ["a"]}),
    "plain": {"key": "value_with_underscores"},
    "text": "not a dict",
}

LOOKED_UP = [
    "Call {{ clinic.phone }} today.",
    "{{clinic.phone}}",
    "{{   clinic.hours   }} and {{ clinic.phone }}{{ clinic.phone }}",
    "Name: {{ patient.name }}",
    "Blank: {{ patient.blank }}",
    "On {{ row.visit_date }} and {{ row.not_given }}.",
    "{{ plain.key }}",
    "ends with a newline {{ clinic.phone }}\n",
    "a } and }} and { alone {{ clinic.phone }}}",
    "Ünïcode text — {{ clinic.phone }} — 電話",
    "line one\nline two {{ clinic.phone }}\n\nline four",
]

LEFT_TO_JINJA = [
    "{{{ clinic.phone }}",  # (a dict literal to Jinja2)
    "{{ clinic.phone | upper }}",
    "{{- clinic.phone }}",
    "{{ clinic.phone -}}",
    "{{\tclinic.phone }}",
    "{{ clinic.items }}",  # a dict method: the sandbox reads the attribute first
    "{{ clinic.hp_name }}",  # Namespace's own attribute
    "{{ visit.count }}",  # not text
    "{{ visit.when }}",
    "{{ clinic.missing }}",  # the sandbox's error
    "{{ nobody.phone }}",
    "{{ text.upper }}",
    "{{ range.x }}",  # a Jinja2 global, not a given value
    "{{ clinic.phone }}{% if true %}x{% endif %}",
    "{# note #}{{ clinic.phone }}",
    "windows\r\n{{ clinic.phone }}",
    "{{ clinic.phone.x }}",
    "{{ clinic }}",
    "{{ clinic['phone'] }}",
    "{{ clinic.phone }",
]


@pytest.mark.parametrize("source", LOOKED_UP)
def test_looked_up_as_the_sandbox_renders(source: str) -> None:
    got = render_lookups(source, CONTEXT)
    assert got is not None
    assert got == sandboxed(source, CONTEXT)
    assert render_text(source, CONTEXT) == got


@pytest.mark.parametrize("source", LEFT_TO_JINJA)
def test_anything_else_is_left_to_the_sandbox(source: str) -> None:
    assert render_lookups(source, CONTEXT) is None
    try:
        expected: str | TemplateProblem = sandboxed(source, CONTEXT)
    except TemplateProblem as exc:
        expected = exc
    try:
        got: str | TemplateProblem = render_text(source, CONTEXT)
    except TemplateProblem as exc:
        got = exc
    if isinstance(expected, TemplateProblem):
        assert isinstance(got, TemplateProblem) and got.message == expected.message
    else:
        assert got == expected


def test_the_write_in_and_escaping_are_the_sandboxes() -> None:
    assert render_lookups("{{ patient.blank }}", CONTEXT) == WRITE_IN.replace("_", "\\_")
    assert render_lookups("{{ patient.name }}", CONTEXT) == (
        "Pat \\& Lee \\<O\\'Brien\\> \\*Bob\\*"
    )


def test_long_texts_are_left_to_the_sandbox() -> None:
    long = "x" * MAX_TEXT
    assert render_lookups(long + "{{ clinic.phone }}", CONTEXT) is None
    values = {"v": Namespace("v", {"long": "y" * (MAX_TEXT + 1)})}
    assert render_lookups("{{ v.long }}", values) is None
    with pytest.raises(TemplateProblem, match="too long"):
        render_text("{{ v.long }}", values)


def test_the_shipped_handouts_compose_without_jinja() -> None:
    """Every template in the shipped handouts is a lookup: composing them (as ``check`` and a
    sheet's build do) imports no Jinja2 (20 modules; 80 M instructions of a ``check``)."""
    code = textwrap.dedent(
        """
        import sys
        from handoutpress.check import check
        from handoutpress.check_report import CheckRequest
        from handoutpress.project import Project
        report = check(Project(), CheckRequest(handouts=(), brand=None, lang=None))
        assert report.handouts and not any(h.findings for h in report.handouts if any(
            f.problem.message.startswith("template") for f in h.findings))
        print("jinja2" in sys.modules)
        """
    )
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["False"]
