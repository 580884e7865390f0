"""Templates that would hang or exhaust memory fail fast with a line; ordinary ones still work.

The hostile expressions run in one child process with its address space capped, so a
regression shows as a failed test (MemoryError, a killed child or a timeout), never as a
test run that hangs or takes the machine's memory. Whole handouts with such templates are
in tests/cases/template-*.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from handoutpress.templating import (
    MAX_ITEMS,
    MAX_STEPS,
    Namespace,
    TemplateProblem,
    render_text,
)

from . import pdfcheck
from .conftest import ROOT, assert_clean_error, run_cli

LIMIT = "template limit: "

#: source → (template line, message); "…" ends a message checked by its start only
HOSTILE: dict[str, tuple[int | None, str]] = {
    # the audit's cases
    "{{ range(10**9) }}": (1, "range() of 1,000,000,000 items (at most 10,000)"),
    "a\n{{ 'x' * 10**10 }}": (2, "a text of 10,000,000,000 characters (at most 100,000)"),
    "{{ 'x' * 10**7 }}": (1, "a text of 10,000,000 characters (at most 100,000)"),
    "{{ 9 ** (9 ** 9) }}": (1, "a number of about 369,693,100 digits (at most 1,000)"),
    "a\nb\n{% for i in range(10**8) %}x{% endfor %}": (
        3,
        "range() of 100,000,000 items (at most 10,000)",
    ),
    # numbers
    "{{ 10**999 * 10**999 }}": (1, "a number of about 1,999 digits (at most 1,000)"),
    "{{ 10.0 ** 999 }}": (1, "a number too large to compute"),
    "{{ 10**400 / 3 }}": (1, "a number too large to compute"),
    "{{ range(10**30) }}": (1, "range() of more than 10^15 items (at most 10,000)"),
    # lists and growing values
    "{{ [0] * 10**9 }}": (1, "a list of 1,000,000,000 items and characters (at most 100,000)"),
    "{% set s = 'x' * 100000 %}{{ [s] * 100000 }}": (
        1,
        "a list of 10,000,100,000 items and characters (at most 100,000)",
    ),
    "{% set s = 'x' * 100000 %}\n{{ s ~ s }}": (
        2,
        "a text of 200,000 characters (at most 100,000)",
    ),
    "{% set s = 'x' * 100000 %}\n{{ s + s }}": (
        2,
        "a text of 200,000 characters (at most 100,000)",
    ),
    "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
    "{% endfor %}": (1, "a text of 131,072 characters (at most 100,000)"),
    "{% set s = 'x' * 30000 %}{% set l = [] %}{% for i in range(9) %}{{ l.append(s) }}"
    "{% endfor %}": (1, "a list of more than 100,000 items and characters"),
    "{% set l = [] %}{% for i in range(10000) %}{{ l.append('twelve chars') }}{% endfor %}": (
        1,
        "more than 1,000,000 characters made in all",
    ),
    "{% set l = ['x'] %}{% for i in range(64) %}{{ l.extend(l) }}{% endfor %}": (
        1,
        "a list of more than 100,000 items and characters",
    ),
    # operations whose result is a product of their operands
    "{% set s = 'x' * 100000 %}{{ s.replace('x', s) }}": (1, "'replace' could make about …"),
    "{% set s = 'x' * 100000 %}{{ s|replace('x', s) }}": (
        1,
        "the filter 'replace' could make about …",
    ),
    "{{ 'x'|center(10**9) }}": (1, "the filter 'center' could make about 2,000,000,002 characters"),
    "{{ 'x'.ljust(10**9) }}": (1, "'ljust' could make about 2,000,000,002 characters"),
    "{{ [1]|batch(10**9, 'x')|list }}": (1, "the filter 'batch' could make about …"),
    "{% set s = 'x' * 100000 %}{{ [s, s]|join(s) }}": (1, "the filter 'join' could make about …"),
    # format widths
    "{{ '%0999999999d' % 1 }}": (1, "a format field 999,999,999 wide (at most 100,000)"),
    "{{ '%*d' % (999999999, 1) }}": (1, "a format field 999,999,999 wide (at most 100,000)"),
    "{{ '{:>999999999}'.format(1) }}": (1, "a format field 999,999,999 wide (at most 100,000)"),
    "{{ '%0999999999d'|format(1) }}": (1, "a format field 999,999,999 wide (at most 100,000)"),
    "{{ '{:>{}}'.format(1, 999999999) }}": (1, "'format' could make about …"),
    # work in all
    "a\n{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}": (
        2,
        f"more than {MAX_STEPS:,} steps (loop turns, calls and operators)",
    ),
    "{% set s = 'x' * 99999 %}{% set t %}{% for i in range(10000) %}{{ s }}{% endfor %}"
    "{% endset %}": (1, "more than 1,000,000 characters made in all"),
    "{% for i in range(10000) %}twelve chars{% endfor %}": (
        None,
        f"the text comes out longer than {MAX_ITEMS:,} characters",
    ),
    "{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}": (1, "calls nested too deeply"),
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}": (
        1,
        f"more than {MAX_STEPS:,} steps (loop turns, calls and operators)",
    ),
}

#: refused with another kind of message (not a limit)
OTHER: dict[str, tuple[int | None, str]] = {
    "{% for x in [[1]] recursive %}{{ loop(x) }}{% endfor %}": (
        1,
        "template syntax: recursive loops are not allowed",
    ),
    "{{ lipsum(10**6) }}": (1, "undefined variable 'lipsum'"),
    "{{ 'x'|urlize }}": (1, "template syntax: No filter named 'urlize'."),
    "a\nb {{ ''.__class__.__mro__[1].__subclasses__() }}": (
        2,
        "unsafe template expression refused",
    ),
}

_CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from handoutpress.templating import TemplateProblem, render_text
out = {}
for source in json.loads(sys.stdin.read()):
    try:
        text = render_text(source, {})
        out[source] = ["rendered", len(text)]
    except TemplateProblem as exc:
        out[source] = [exc.line, exc.message]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def refused() -> dict[str, list]:
    res = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps([*HOSTILE, *OTHER]),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(res.stdout)


def _assert_message(got: list, line: int | None, message: str) -> None:
    assert got[0] == line, got
    if message.endswith("…"):
        assert got[1].startswith(message[:-1]), got
        assert re.search(r"about [\d,]+ characters$", got[1]), got
    else:
        assert got[1] == message


@pytest.mark.parametrize("source", list(HOSTILE))
def test_hostile_template_is_refused_with_its_line(source: str, refused: dict[str, list]) -> None:
    line, message = HOSTILE[source]
    _assert_message(refused[source], line, LIMIT + message)


@pytest.mark.parametrize("source", list(OTHER))
def test_other_refusals(source: str, refused: dict[str, list]) -> None:
    line, message = OTHER[source]
    _assert_message(refused[source], line, message)


CLINIC = Namespace(
    "clinic",
    {"phone": "555-0100", "address": ["1 Main St", "Suite 2", "Palomar, CA"], "name": "Palomar"},
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "{% for line in clinic.address %}{{ loop.index }}. {{ line }}\n{% endfor %}",
            "1. 1 Main St\n2. Suite 2\n3. Palomar\\, CA\n",
        ),
        ("{{ clinic.address | join(', ') }}", "1 Main St\\, Suite 2\\, Palomar\\, CA"),
        ("{{ clinic.phone.replace('-', ' ') }}", "555 0100"),
        ("{{ '%s: %s'|format(clinic.name, clinic.phone) }}", "Palomar\\: 555\\-0100"),
        ("{{ '{} at {}'.format(clinic.name, clinic.phone) }}", "Palomar at 555\\-0100"),
        ("{{ '%05.1f' % 3.14159 }} {{ 2 ** 10 }} {{ 7 * 6 }} {{ 7 // 2 }}", "003\\.1 1024 42 3"),
        ("{{ range(3) | list }} {{ range(10000) | length }}", "\\[0\\, 1\\, 2\\] 10000"),
        ("{% macro tel(n) %}call {{ n }}{% endmacro %}{{ tel(clinic.name) }}", "call Palomar"),
        ("{{ '-' * 5 }} {{ [1, 2] + [3] }}", "\\-\\-\\-\\-\\- \\[1\\, 2\\, 3\\]"),
        ("{{ (10 ** 999) | string | length }}", "1000"),
        ("{% set l = [1] %}{% set _ = l.append(l) %}{{ l | length }}", "2"),
    ],
)
def test_ordinary_templates_still_work(source: str, expected: str) -> None:
    assert render_text(source, {"clinic": CLINIC}) == expected


def test_limits_allow_their_own_bound() -> None:
    assert len(render_text(f"{{{{ 'x' * {MAX_ITEMS} }}}}", {})) == MAX_ITEMS
    assert render_text("{{ range(10000) | sum }}", {}) == str(sum(range(10000)))


def test_each_text_has_its_own_budget() -> None:
    # about 60,000 steps: allowed once, and again (the count does not carry over)
    source = "{% for i in range(10000) %}{% for j in range(5) %}{% endfor %}{% endfor %}ok"
    assert render_text(source, {}) == "ok"
    assert render_text(source, {}) == "ok"


def test_a_limit_is_a_template_problem_not_a_crash() -> None:
    with pytest.raises(TemplateProblem) as info:
        render_text("one\ntwo\n{{ range(10**9) }}", {})
    assert info.value.line == 3


# -- a --set value too long for its line on the sheet -----------------------------------------
TOO_LONG = re.compile(
    r"--set (?P<key>[a-z_.]+): too long for its line on the sheet "
    r"\(about \d+ characters fit\); shorten it"
)


def test_too_long_set_value_names_the_key(tmp_path: Path) -> None:
    pdf = tmp_path / "x.pdf"
    res = run_cli(
        "build",
        "tpi-aftercare",
        "--set",
        "patient.name=" + "Q" * 300,
        "--set",
        "provider.name=Dr Left Trapezius and the right trapezius and both rhomboid muscles",
        "-o",
        str(pdf),
    )
    lines = assert_clean_error(res)
    keys = [m.group("key") for line in lines if (m := TOO_LONG.fullmatch(line))]
    assert keys == ["patient.name", "provider.name"], lines
    assert len(lines) == 2, lines
    assert "QQQ" not in res.stderr and "trapezius" not in res.stderr  # patient data
    assert not pdf.exists()


def test_set_value_that_fits_builds(tmp_path: Path) -> None:
    pdf = tmp_path / "x.pdf"
    res = run_cli("build", "tpi-aftercare", "--set", "patient.name=Ana Lopez", "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    pdfcheck.qpdf_check(pdf)
    empty = tmp_path / "empty.pdf"
    assert run_cli("build", "tpi-aftercare", "-o", str(empty)).returncode == 0
    # the value takes no more room than the write-in line: the same pages as without it
    assert pdfcheck.page_sizes(pdf) == pdfcheck.page_sizes(empty)
    # the value is printed where the Patient write-in line is, on the same row as the label
    assert pdfcheck.write_in_lines(pdf, ("Patient",))["Patient"][2] == "Ana Lopez"


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("a\n{% for x in nope %}{{ x }}{% endfor %}", 2, "undefined variable 'nope'"),
        (
            "{% for x in clinic.adress %}{% endfor %}",
            1,
            "undefined variable 'clinic.adress' (did you mean 'clinic.address'?)",
        ),
        (
            "{% if clinic.adres %}x{% endif %}",
            1,
            "undefined variable 'clinic.adres' (did you mean 'clinic.address'?)",
        ),
        ("{{ nope + 1 }}", 1, "undefined variable 'nope'"),
        ("{{ nope | length }}", 1, "undefined variable 'nope'"),
    ],
)
def test_undefined_in_loops_and_operators_is_named(source: str, line: int, message: str) -> None:
    with pytest.raises(TemplateProblem) as info:
        render_text(source, {"clinic": CLINIC})
    assert (info.value.line, info.value.message) == (line, message)


@pytest.mark.parametrize("command", ["build", "preview"])
def test_set_value_longer_than_any_text_is_refused_before_layout(
    tmp_path: Path, command: str
) -> None:
    """A value over the limit of one text (10,000 characters) is refused before anything is
    loaded, with the limit's line naming the key and the length (never the value); a
    value of 1 MB took half a minute of layout before it was found too long for its line."""
    out = tmp_path / ("x.png" if command == "preview" else "x.pdf")
    res = run_cli(
        command,
        "tpi-aftercare",
        "--set",
        "patient.name=" + "Quixote-" * 2_500,
        "--set",
        "visit.date=2026-11-20",
        "-o",
        str(out),
        timeout=60,
    )
    assert assert_clean_error(res) == [
        "--set patient.name: too long: 20,000 characters (at most 10,000); a field is one "
        "line: shorten it"
    ]
    assert "Quixote" not in res.stderr
    assert not out.exists()
