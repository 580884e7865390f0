"""Output paths that are not regular files are refused, never replaced; a failed build of
several files leaves none of them (issue 9, harm 1)."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
from pathlib import Path

import pytest

from handoutpress import output
from handoutpress.build import BuildRequest, build
from handoutpress.errors import HandoutError
from handoutpress.project import Project

from .conftest import ROOT, assert_clean_error, run_cli
from .test_batch import HEADER, JOSE, write_csv

DEV_NULL = Path("/dev/null")


def _device_identity(path: Path) -> tuple[int, int]:
    st = os.lstat(path)
    return stat.S_IFMT(st.st_mode), st.st_rdev


@pytest.fixture
def targets(tmp_path: Path) -> dict[str, Path]:
    """A FIFO, a character device made here (a copy of /dev/null's numbers, when allowed) and
    symbolic links to both, in tmp_path."""
    fifo = tmp_path / "fifo.pdf"
    os.mkfifo(fifo)
    found = {"fifo": fifo, "folder": tmp_path / "folder.pdf"}
    found["folder"].mkdir()
    link = tmp_path / "link-to-fifo.pdf"
    link.symlink_to(fifo)
    found["link-to-fifo"] = link
    device = tmp_path / "null-device"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pass  # not root: the FIFO and /dev/null itself still cover devices
    else:
        found["device"] = device
        dlink = tmp_path / "link-to-device.pdf"
        dlink.symlink_to(device)
        found["link-to-device"] = dlink
    return found


def test_dev_null_is_refused_and_stays_a_device(tmp_path: Path) -> None:
    before = _device_identity(DEV_NULL)
    res = run_cli("build", "tpi-aftercare", "-o", str(DEV_NULL), timeout=60)
    assert assert_clean_error(res) == ["-o /dev/null: not a regular file"]
    assert _device_identity(DEV_NULL) == before
    assert stat.S_ISCHR(before[0])


@pytest.mark.parametrize("kind", ["fifo", "link-to-fifo", "device", "link-to-device"])
def test_build_refuses_every_path_that_is_not_a_regular_file(
    kind: str, targets: dict[str, Path]
) -> None:
    if kind not in targets:
        pytest.skip("making a device node needs root")
    path = targets[kind]
    before = {p.name: _device_identity(p) for p in path.parent.iterdir()}
    res = run_cli("build", "tpi-aftercare", "-o", str(path), timeout=60)  # a FIFO never blocks
    assert assert_clean_error(res) == [f"-o {path}: not a regular file"]
    assert {p.name: _device_identity(p) for p in path.parent.iterdir()} == before


def test_a_file_build_names_in_out_dir_is_refused_when_it_is_a_fifo(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    fifo = out / "tpi-aftercare-sheet.pdf"
    os.mkfifo(fifo)
    res = run_cli("build", "tpi-aftercare", "--out-dir", str(out), timeout=60)
    assert assert_clean_error(res) == [f"{fifo}: not a regular file"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in out.iterdir()) == ["tpi-aftercare-sheet.pdf"]


def test_preview_refuses_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "shot.png"
    os.mkfifo(fifo)
    res = run_cli("preview", "tpi-aftercare", "-o", str(fifo), timeout=60)
    assert assert_clean_error(res) == [f"-o {fifo}: not a regular file"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_batch_merged_refuses_dev_null_and_a_fifo(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "p.csv", [JOSE], header=HEADER)
    before = _device_identity(DEV_NULL)
    dev_listing = sorted(os.listdir("/dev"))
    res = run_cli(
        "batch", "tpi-aftercare", "--recipients", str(src), "--merged", "/dev/null", "--proof"
    )
    assert assert_clean_error(res) == ["--merged /dev/null: not a regular file"]
    assert _device_identity(DEV_NULL) == before
    assert sorted(os.listdir("/dev")) == dev_listing  # no lock or state folder made there
    fifo = tmp_path / "m.pdf"
    os.mkfifo(fifo)
    res = run_cli(
        "batch", "tpi-aftercare", "--recipients", str(src), "--merged", str(fifo), "--proof"
    )
    assert assert_clean_error(res) == [f"--merged {fifo}: not a regular file"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.pdf", "p.csv"]


# -- all or nothing ------------------------------------------------------------------------
# The disk filling up is simulated in-process: the second file's write fails with ENOSPC (a
# real full disk raises the same OSError from the same write call).


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_disk_full_during_the_second_layout_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    real_stage = output._stage
    calls: list[Path] = []

    def stage(path: Path, data: bytes, private: bool) -> Path:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_stage(path, data, private)

    monkeypatch.setattr(output, "_stage", stage)
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")
    req = BuildRequest(handouts=("trigger-point-injections",), out_dir=out)
    with pytest.raises(HandoutError) as caught:
        build(Project(), req)
    assert len(calls) == 2  # two layouts: trifold and sheet
    (problem,) = caught.value.problems
    assert str(problem).endswith(": cannot write the file: No space left on device")
    assert _listing(out) == {}  # neither the first layout nor a temporary file


def test_a_failed_rename_puts_back_the_older_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    older = {"a.pdf": b"old a", "b.pdf": b"old b"}
    for name, data in older.items():
        (out / name).write_bytes(data)
    real_replace = os.replace
    renamed: list[str] = []

    def replace(src: str | Path, dst: str | Path) -> None:
        if Path(dst).name == "b.pdf":
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        renamed.append(Path(dst).name)
        real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", replace)
    files = [output.Output(out / "a.pdf", b"new a"), output.Output(out / "b.pdf", b"new b")]
    with pytest.raises(HandoutError, match="cannot write the file: Input/output error"):
        output.write_files(files)
    assert renamed[0] == "a.pdf"  # the first was in place before the second failed
    assert _listing(out) == older  # and was taken back; no temporary file is left


def test_a_failed_rename_removes_a_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        if Path(dst).name == "b.pdf":
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", replace)
    files = [output.Output(tmp_path / "a.pdf", b"a"), output.Output(tmp_path / "b.pdf", b"b")]
    with pytest.raises(HandoutError):
        output.write_files(files)
    assert _listing(tmp_path) == {}


# -- real full and read-only folders (root only: a tmpfs mount, the immutable flag) ----------


@pytest.fixture
def small_disk(tmp_path: Path):
    """An 80 kB tmpfs: room for one of the two 48 kB PDFs of trigger-point-injections."""
    folder = tmp_path / "small"
    folder.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=80k", "tmpfs", str(folder)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root (the in-process ENOSPC test still runs)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_real_full_disk_leaves_no_file(small_disk: Path) -> None:
    res = run_cli("build", "trigger-point-injections", "--out-dir", str(small_disk), timeout=60)
    lines = assert_clean_error(res)
    assert lines == [
        f"{small_disk}/trigger-point-injections-sheet.pdf: cannot write the file: "
        "No space left on device"
    ]
    assert sorted(os.listdir(small_disk)) == []


@pytest.fixture
def locked_folder(tmp_path: Path):
    """A folder nobody may write into, root included (the immutable flag)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i needs root on a file system that has the flag")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_read_only_folder_is_one_line_for_every_command(
    locked_folder: Path, tmp_path: Path
) -> None:
    res = run_cli("build", "tpi-aftercare", "-o", str(locked_folder / "x.pdf"), timeout=60)
    assert assert_clean_error(res) == [
        f"-o {locked_folder}/x.pdf: cannot write the file: Operation not permitted"
    ]
    res = run_cli("preview", "tpi-aftercare", "-o", str(locked_folder / "x.png"), timeout=60)
    assert assert_clean_error(res) == [
        f"-o {locked_folder}/x.png: cannot write the file: Operation not permitted"
    ]
    src = write_csv(tmp_path / "p.csv", [JOSE], header=HEADER)
    for where in (["--merged", str(locked_folder / "m.pdf")], ["--out-dir", str(locked_folder)]):
        res = run_cli("batch", "tpi-aftercare", "--recipients", str(src), *where, "--proof")
        (line,) = assert_clean_error(res)
        assert "internal error" not in line
        assert line.startswith(f"error: {locked_folder}") and line.endswith("not permitted")
    assert os.listdir(locked_folder) == []


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["build", "tpi-aftercare", "--out-dir", ""], "'--out-dir'"),
        (["build", "tpi-aftercare", "--out-dir", "  "], "'--out-dir'"),
        (["build", "tpi-aftercare", "-o", ""], "'-o' / '--output'"),
        (["preview", "tpi-aftercare", "-o", ""], "'-o' / '--output'"),
    ],
)
def test_an_empty_output_is_refused_not_the_current_folder(
    args: list[str], option: str, tmp_path: Path
) -> None:
    res = run_cli(*args, cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})
    assert res.returncode == 2
    assert f"Error: Invalid value for {option}: is empty" in res.stderr
    assert list(tmp_path.iterdir()) == []


def test_batch_refuses_a_manifest_that_is_a_link_to_a_device_before_any_letter(
    tmp_path: Path,
) -> None:
    src = write_csv(tmp_path / "p.csv", [JOSE], header=HEADER)
    out = tmp_path / "letters"
    out.mkdir()
    (out / "manifest.csv").symlink_to(DEV_NULL)
    res = run_cli("batch", "tpi-aftercare", "--recipients", str(src), "--out-dir", str(out),
                  "--proof")  # fmt: skip
    assert assert_clean_error(res) == [f"{out}/manifest.csv: not a regular file"]
    assert os.listdir(out) == ["manifest.csv"]  # no letter, no state folder
    assert stat.S_ISCHR(os.stat(DEV_NULL).st_mode)
