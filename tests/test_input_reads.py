"""Inputs that would hang or fill memory are refused in one line before anything is read
(issue 9, harm 4): a handout, a brand's font or logo, ``--recipients`` and ``--columns`` that is
a FIFO, ``/dev/zero``, ``/dev/urandom`` or a folder, and files over each kind's size cap.

Every run has a short timeout: a read that blocks on a FIFO or never ends on /dev/zero fails the
test instead of hanging it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from handoutpress.files import InputRefused, read_input

from .conftest import ROOT, assert_clean_error, run_cli
from .test_batch import HEADER, JOSE, write_csv

TIMEOUT = 30


def _special(tmp_path: Path, kind: str, name: str) -> Path:
    """A FIFO, a folder or a link to /dev/zero or /dev/urandom, named ``name``."""
    path = tmp_path / name
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(f"/dev/{kind}")
    return path


KINDS = ["fifo", "zero", "urandom", "folder"]
MESSAGE = {
    "fifo": "not a regular file",
    "zero": "not a regular file",
    "urandom": "not a regular file",
    "folder": "is a folder, not a file",
}


@pytest.mark.parametrize("kind", KINDS)
def test_handout_that_is_not_a_file(kind: str, tmp_path: Path) -> None:
    handout = _special(tmp_path, kind, "h.yaml")
    res = run_cli("build", str(handout), "-o", str(tmp_path / "x.pdf"), timeout=TIMEOUT)
    assert assert_clean_error(res) == [f"{handout}: {MESSAGE[kind]}"]


def test_a_fifo_in_handouts_names_itself(project: Path) -> None:
    os.mkfifo(project / "handouts" / "broken.yaml")
    res = run_cli("check", cwd=project, timeout=TIMEOUT)
    assert "handouts/broken.yaml: not a regular file" in res.stderr.splitlines()


def _brand(tmp_path: Path, extra: str = "", logo: str = "palomar-logo.svg") -> Path:
    folder = tmp_path / "brand"
    folder.mkdir(exist_ok=True)
    source = (ROOT / "layouts" / "brands" / "palomar.yaml").read_text()
    source = source.replace("logo: palomar-logo.svg", f"logo: {logo}")
    source = "\n".join(line for line in source.splitlines() if not line.startswith("logo_on_band"))
    (folder / "palomar-logo.svg").write_bytes(
        (ROOT / "layouts" / "brands" / "palomar-logo.svg").read_bytes()
    )
    path = folder / "acme.yaml"
    path.write_text(source + "\n" + extra)
    return path


def _line_of(path: Path, start: str) -> int:
    lines = path.read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.lstrip().startswith(start))


@pytest.mark.parametrize("kind", KINDS)
def test_brand_font_that_is_not_a_file(kind: str, tmp_path: Path) -> None:
    brand = _brand(tmp_path, "fonts:\n  regular: face.ttf\n")
    _special(brand.parent, kind, "face.ttf")
    res = run_cli("check", "tpi-aftercare", "--brand", str(brand), timeout=TIMEOUT)
    line = _line_of(brand, "regular:")
    assert f"{brand}:{line}:12: fonts.regular: {MESSAGE[kind]}" in assert_clean_error(res)


def test_brand_font_over_the_cap(tmp_path: Path) -> None:
    brand = _brand(tmp_path, "fonts:\n  regular: big.ttf\n")
    with (brand.parent / "big.ttf").open("wb") as fh:
        fh.truncate(31_000_000)  # sparse: nothing is written
    res = run_cli("check", "tpi-aftercare", "--brand", str(brand), timeout=TIMEOUT)
    line = _line_of(brand, "regular:")
    expected = f"{brand}:{line}:12: fonts.regular: file is larger than 30 MB"
    assert expected in assert_clean_error(res)


@pytest.mark.parametrize("kind", KINDS)
def test_logo_that_is_not_a_file(kind: str, tmp_path: Path) -> None:
    brand = _brand(tmp_path, logo="logo.svg")
    _special(brand.parent, kind, "logo.svg")
    res = run_cli("build", "tpi-aftercare", "--brand", str(brand), "-o", str(tmp_path / "x.pdf"),
                  timeout=TIMEOUT)  # fmt: skip
    line = _line_of(brand, "logo:")
    assert assert_clean_error(res) == [f"{brand}:{line}:7: logo: {MESSAGE[kind]}"]


def test_png_logo_over_the_cap(tmp_path: Path) -> None:
    brand = _brand(tmp_path, logo="logo.png")
    with (brand.parent / "logo.png").open("wb") as fh:
        fh.truncate(11_000_000)
    res = run_cli("check", "tpi-aftercare", "--brand", str(brand), timeout=TIMEOUT)
    line = _line_of(brand, "logo:")
    assert f"{brand}:{line}:7: logo: file is larger than 10 MB" in assert_clean_error(res)


@pytest.mark.parametrize("kind", KINDS)
def test_recipients_and_columns_that_are_not_files(kind: str, tmp_path: Path) -> None:
    csv_path = _special(tmp_path, kind, "p.csv")
    res = run_cli(
        "batch", "tpi-aftercare", "--recipients", str(csv_path), "--merged",
        str(tmp_path / "m.pdf"), "--proof", timeout=TIMEOUT,
    )  # fmt: skip
    lines = assert_clean_error(res, 1 if kind != "folder" else 2)
    if kind != "folder":  # (Click refuses a folder itself: a usage error)
        assert lines == [f"{csv_path}: {MESSAGE[kind]}"]
    good = write_csv(tmp_path / "good.csv", [JOSE], header=HEADER)
    columns = _special(tmp_path, kind, "map.yaml")
    res = run_cli(
        "batch", "tpi-aftercare", "--recipients", str(good), "--columns", str(columns),
        "--merged", str(tmp_path / "m.pdf"), "--proof", timeout=TIMEOUT,
    )  # fmt: skip
    lines = assert_clean_error(res, 1 if kind != "folder" else 2)
    if kind != "folder":
        assert lines == [f"{columns}: {MESSAGE[kind]}"]
    assert not (tmp_path / "m.pdf").exists()


def test_read_input_stops_at_the_cap_of_a_growing_file(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 1000)
    assert read_input(path, 1000) == b"x" * 1000
    with pytest.raises(InputRefused, match="file is larger than 0 kB"):
        read_input(path, 999)


def test_one_bad_file_in_handouts_names_itself_and_spares_the_others(project: Path) -> None:
    (project / "handouts" / "deep.yaml").write_text("title: " + "[" * 2000 + "]" * 2000 + "\n")
    (project / "handouts" / "bell.yaml").write_bytes(b"title: ring\x07\n")
    os.mkfifo(project / "handouts" / "pipe.yaml")
    res = run_cli("list", cwd=project, timeout=TIMEOUT)
    assert res.returncode == 0, res.stderr
    listed = {line.split()[0]: line for line in res.stdout.splitlines() if line.startswith("  ")}
    for name in ("deep", "bell", "pipe"):
        assert "(invalid: 1 problem(s))" in listed[name]
    assert "After Your Trigger Point Injections" in listed["tpi-aftercare"]
    res = run_cli("check", cwd=project, timeout=TIMEOUT)
    errors = [line for line in res.stderr.splitlines() if ": warning: " not in line]
    assert errors[-1].startswith("check failed: ")  # (counts depend on the shipped content)
    assert errors[:-1] == [
        "handouts/bell.yaml:1:12: YAML: control character U+0007 (BEL) is not allowed in "
        "content files; delete it (it is often pasted in from another program)",
        "handouts/deep.yaml:1:107: YAML lists or mappings nested more than 100 levels deep",
        "handouts/pipe.yaml: not a regular file",
    ]
    res = run_cli("build", "tpi-aftercare", "--out-dir", str(project / "out"), cwd=project)
    assert res.returncode == 0, res.stderr
    assert (project / "out" / "tpi-aftercare-sheet.pdf").is_file()
