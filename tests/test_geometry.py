"""Layout geometry is typed per kind: a misspelt key is a located error, never a silent default."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handoutpress.errors import HandoutError
from handoutpress.geometry import (
    GEOMETRY,
    MARGINS,
    LetterGeometry,
    SheetGeometry,
    TrifoldGeometry,
)
from handoutpress.loading import load_yaml
from handoutpress.models import Layout, validate

from .conftest import ROOT, assert_clean_error, run_cli

SHIPPED = sorted((ROOT / "layouts").glob("*.yaml"))


def _misspell_first_geometry_key(text: str) -> tuple[str, str, int, int]:
    """The layout text with its first geometry key doubled in its last letter, the key, and
    where the misspelt key is (line, column)."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("geometry:"))
    for i in range(start + 1, len(lines)):
        m = re.match(r"^(\s+)([a-z_]+):", lines[i])
        if m:
            key = m.group(2)
            lines[i] = lines[i].replace(f"{key}:", f"{key}{key[-1]}:", 1)
            return "".join(lines), key, i + 1, len(m.group(1)) + 1
    raise AssertionError("no geometry key")


def test_every_shipped_layout_kind_is_shipped() -> None:
    kinds = {validate(Layout, load_yaml(p)).kind for p in SHIPPED}
    assert kinds == set(GEOMETRY)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_misspelt_geometry_key_in_each_shipped_layout_is_located(
    path: Path, tmp_path: Path
) -> None:
    text, key, line, col = _misspell_first_geometry_key(path.read_text())
    copy = tmp_path / path.name
    copy.write_text(text)
    with pytest.raises(HandoutError) as err:
        validate(Layout, load_yaml(copy))
    assert str(err.value.problems[0]) == (
        f"{copy}:{line}:{col}: geometry.{key}{key[-1]}: unknown key (did you mean '{key}'?)"
    )
    assert len(err.value.problems) == 1


def test_misspelt_window_left_fails_build_and_check(project: Path) -> None:
    """The issue's case: ``window_lefft`` in letter.yaml was built with the code's default."""
    path = project / "layouts" / "letter.yaml"
    text = path.read_text()
    assert "  window_left:" in text
    path.write_text(text.replace("  window_left:", "  window_lefft:"))
    line = text[: text.index("  window_left:")].count("\n") + 1
    want = [f"layouts/letter.yaml:{line}:3: geometry.window_lefft: unknown key "
            "(did you mean 'window_left'?)"]  # fmt: skip
    res = run_cli("check", cwd=project)  # every layout file, used or not
    assert [x for x in assert_clean_error(res, 1) if ": warning: " not in x][:1] == want
    res = run_cli("build", "tpi-aftercare", "--layout", "letter", "-o", "x.pdf", cwd=project)
    assert assert_clean_error(res, 1) == want
    assert not (project / "x.pdf").exists()


def test_geometry_of_another_kind_is_refused(tmp_path: Path) -> None:
    text = (ROOT / "layouts" / "trifold.yaml").read_text()
    text = text.replace("geometry:\n", "geometry:\n  window_top: 2in\n", 1)
    text += "margins:\n  top: 1in\n"
    path = tmp_path / "t.yaml"
    path.write_text(text)
    with pytest.raises(HandoutError) as err:
        validate(Layout, load_yaml(path))
    messages = [f"{p.field}: {p.message}" for p in err.value.problems]
    assert messages[0].startswith("geometry.window_top: unknown key (expected one of: top,")
    assert messages[1].startswith("margins: a trifold layout has no page margins")


def test_geometry_model_follows_kind_and_defaults_fill_gaps(tmp_path: Path) -> None:
    text = (ROOT / "layouts" / "sheet.yaml").read_text()
    text = re.sub(r"\n  header_later: [^\n]*", "", text)
    path = tmp_path / "s.yaml"
    path.write_text(text)
    layout = validate(Layout, load_yaml(path))
    assert isinstance(layout.geometry, SheetGeometry)
    assert layout.geometry.header == 72.0  # 1.0in, from the file
    assert layout.geometry.header_later == SheetGeometry().header_later  # the default
    with pytest.raises(TypeError):
        layout.geometry_as(TrifoldGeometry)
    letter = validate(Layout, load_yaml(ROOT / "layouts" / "letter.yaml"))
    assert letter.geometry_as(LetterGeometry).window_left == 36.0
    assert letter.margins.left == 54.0


def _field_docstrings(source: str) -> dict[str, dict[str, str]]:
    """class name → field → the string right after the field's annotation."""
    import ast

    out: dict[str, dict[str, str]] = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef):
            continue
        docs = out.setdefault(node.name, {})
        body = node.body
        for stmt, after in zip(body, [*body[1:], None], strict=True):
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                doc = ""
                if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
                    doc = str(after.value.value)
                docs[stmt.target.id] = doc
    return out


def test_every_geometry_and_margin_field_has_a_docstring() -> None:
    import handoutpress.geometry as module

    docs = _field_docstrings(Path(module.__file__).read_text(encoding="utf-8"))
    models = {*GEOMETRY.values(), *MARGINS.values()}
    missing = []
    for model in models:
        for name in model.model_fields:
            owner = next(c for c in model.__mro__ if name in c.__dict__.get("__annotations__", {}))
            if not docs.get(owner.__name__, {}).get(name, "").strip():
                missing.append(f"{model.__name__}.{name}")
    assert not missing
    assert sum(len(m.model_fields) for m in models) > 30


# --------------------------------------------------------------------------- every key

BRANDS = sorted((ROOT / "layouts" / "brands").glob("*.yaml"))


def _keys(text: str) -> list[tuple[int, int, str]]:
    """(line, column, key) of every mapping key written one per line."""
    out = []
    for i, line in enumerate(text.splitlines()):
        m = re.match(r"^(\s*)([A-Za-z_][A-Za-z_0-9]*):", line)
        if m:
            out.append((i + 1, len(m.group(1)) + 1, m.group(2)))
    return out


@pytest.mark.parametrize("path", SHIPPED + BRANDS, ids=lambda p: p.stem)
def test_every_key_of_every_shipped_layout_and_brand_misspelt_is_located(
    path: Path, tmp_path: Path
) -> None:
    """Each key in turn, at every level (paper, type, press, geometry, margins; a brand's
    colours, press colours, contact, fonts), misspelt: one error at that key's line and
    column saying it is unknown. A language's key in a per-language text (``en:``) is a
    language tag, not a key of ours: left out."""
    from handoutpress.models import Brand

    model = Brand if path in BRANDS else Layout
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    tried = 0
    for line, col, key in _keys(text):
        if model is Brand and re.fullmatch(r"[a-z]{2}", key):
            continue
        copy = list(lines)
        copy[line - 1] = copy[line - 1].replace(f"{key}:", f"{key}{key[-1]}:", 1)
        bad = tmp_path / path.name
        bad.write_text("".join(copy), encoding="utf-8")
        with pytest.raises(HandoutError) as err:
            validate(model, load_yaml(bad))
        said = [str(p) for p in err.value.problems]
        want = f"{bad}:{line}:{col}: "
        assert any(s.startswith(want) and "unknown key" in s for s in said), (key, said)
        tried += 1
    assert tried >= 20


STRINGS = sorted((ROOT / "layouts" / "strings").glob("*.yaml"))


def test_the_layouts_texts_are_the_reference_files_keys() -> None:
    from handoutpress.strings import KEYS

    for path in STRINGS:
        keys = {key for _, _, key in _keys(path.read_text(encoding="utf-8"))}
        assert keys == KEYS, f"{path.name}: a text the layouts draw is in strings.KEYS and here"


@pytest.mark.parametrize("path", STRINGS, ids=lambda p: p.stem)
def test_every_key_of_the_layouts_texts_misspelt_is_located(path: Path, tmp_path: Path) -> None:
    """A key misspelt in ``layouts/strings/en.yaml`` (the reference) was a KeyError when a
    layout drew it ("internal error") and ``check`` said OK; in a translation it was
    already refused. Each key in turn: a located "unknown key" error from ``strings_for``."""
    from handoutpress.strings import strings_for

    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for n, (line, col, key) in enumerate(_keys(text)):
        folder = tmp_path / str(n)  # (strings are cached per folder)
        folder.mkdir()
        for other in STRINGS:
            (folder / other.name).write_text(other.read_text(encoding="utf-8"), encoding="utf-8")
        copy = list(lines)
        copy[line - 1] = copy[line - 1].replace(f"{key}:", f"{key}{key[-1]}:", 1)
        bad = folder / path.name
        bad.write_text("".join(copy), encoding="utf-8")
        with pytest.raises(HandoutError) as err:
            strings_for(path.stem, folder)
        said = [str(p) for p in err.value.problems]
        want = f"{bad}:{line}:{col}: {key}{key[-1]}: unknown key"
        assert any(s.startswith(want) for s in said), (key, said)
