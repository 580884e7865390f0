"""YAML files are read by libyaml's parser under the strict composer when PyYAML has it, and
give exactly what PyYAML's own parser gives: the same data, locations and styles; a file
with anything wrong is read again by PyYAML's parser, so its messages are unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from handoutpress import loading
from handoutpress.errors import HandoutError

from .conftest import ROOT

YAML_FILES = sorted(
    p
    for folder in ("handouts", "layouts", "tests/cases", "tests/fixtures", "bench")
    for p in (ROOT / folder).rglob("*.yaml")
)
needs_libyaml = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")


def _slow(path: Path, monkeypatch: pytest.MonkeyPatch) -> loading.Document:
    with monkeypatch.context() as m:
        m.setattr(loading, "_fast_node", lambda text: None)
        return loading.load_yaml(path)


def _as_seen(doc: loading.Document) -> tuple[object, ...]:
    return doc.data, doc.locations, doc.styles, doc.key_locations, doc.lines


@needs_libyaml
def test_fast_and_python_parsers_read_every_file_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    read = refused = 0
    for path in YAML_FILES:
        try:
            slow = _slow(path, monkeypatch)
        except HandoutError as exc:
            with pytest.raises(HandoutError) as fast_exc:
                loading.load_yaml(path)
            assert [str(p) for p in fast_exc.value.problems] == [str(p) for p in exc.problems]
            refused += 1
            continue
        assert _as_seen(loading.load_yaml(path)) == _as_seen(slow), path
        read += 1
    assert read >= 40 and refused >= 8, (read, refused)


@needs_libyaml
def test_a_good_file_is_not_read_by_the_python_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: object) -> None:
        raise AssertionError("read by PyYAML's parser")

    monkeypatch.setattr(loading._StrictLoader, "get_single_node", refuse)
    doc = loading.load_yaml(ROOT / "handouts" / "tpi-aftercare.yaml")
    assert doc.data["sections"] and doc.locate(("sections", 0, "heading")).line


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x 1\nb: *x\n", "YAML anchors (&name) are not allowed"),
        ("a: !!str 1\n", "YAML tags (!!str) are not allowed"),
        ("a: 1\na: 2\n", "duplicate key (first given on line 1)"),
        ("a: [1\nb: 2\n", "YAML: "),
        ("", "file is empty"),
    ],
)
def test_refusals_read_as_before(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "h.yaml"
    path.write_text(text)
    with pytest.raises(HandoutError) as caught:
        loading.load_yaml(path)
    assert message in str(caught.value.problems[0])
