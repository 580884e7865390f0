"""A chunk's `--out-dir` files (handoutpress/batch/outfiles.py): all or nothing per file, private,
on the disk before the chunk is journalled, nothing left behind by a process killed mid-chunk."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from handoutpress.batch import outfiles
from handoutpress.batch.outfiles import ChunkFiles
from handoutpress.errors import HandoutError


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("unnamed", [True, False], ids=["unnamed-files", "temporary-names"])
def test_commit_puts_every_file_in_place_private(
    tmp_path: Path, unnamed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = ChunkFiles(tmp_path)
    monkeypatch.setattr(files, "_unnamed", unnamed and files._unnamed)
    (tmp_path / "b.pdf").write_bytes(b"old")  # replaced
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        files.add(name, name.encode() * 1000)
    staged = [n for n in listing(tmp_path) if n != "b.pdf"]
    if files._unnamed:
        assert staged == []  # files with no name yet
    else:
        assert len(staged) == 3 and all(n.startswith(".") and n.endswith(".tmp") for n in staged)
    assert (tmp_path / "b.pdf").read_bytes() == b"old"  # nothing in place before commit
    files.commit()
    files.discard()  # after commit: nothing to remove
    assert listing(tmp_path) == ["a.pdf", "b.pdf", "c.pdf"]
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        p = tmp_path / name
        assert p.read_bytes() == name.encode() * 1000
        assert stat.S_IMODE(p.stat().st_mode) == 0o600


def test_a_new_file_never_has_a_temporary_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file with no name is linked under its own name when none has it, so a process
    killed between naming and renaming leaves no ``.tmp`` (a file that has the name already
    is renamed over, through a temporary name)."""
    files = ChunkFiles(tmp_path)
    if not files._unnamed:
        pytest.skip("no unnamed files (O_TMPFILE) on this file system")
    names: list[str] = []
    real = os.link

    def link(src: str, dst: str, **kw: int) -> None:
        names.append(dst)
        real(src, dst, **kw)

    monkeypatch.setattr(os, "link", link)
    (tmp_path / "b.pdf").write_bytes(b"old")
    for name in ("a.pdf", "b.pdf"):
        files.add(name, name.encode())
    files.commit()
    assert names[0] == "a.pdf"  # straight under its name
    assert names[1:] == ["b.pdf", f".b.pdf.{os.getpid()}.tmp"]  # taken: through a temporary
    assert listing(tmp_path) == ["a.pdf", "b.pdf"]
    assert (tmp_path / "b.pdf").read_bytes() == b"b.pdf"


def test_nothing_is_in_place_before_commit_and_discard_leaves_nothing(tmp_path: Path) -> None:
    for unnamed in (True, False):
        files = ChunkFiles(tmp_path)
        files._unnamed = unnamed and files._unnamed
        files.add("a.pdf", b"data")
        assert not (tmp_path / "a.pdf").exists()
        files.discard()
        assert listing(tmp_path) == []


def test_without_syncfs_each_file_is_flushed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flushed: list[int] = []
    real = os.fsync
    monkeypatch.setattr(outfiles, "sync_file_system", lambda fd: False)
    monkeypatch.setattr(os, "fsync", lambda fd: (flushed.append(fd), real(fd))[1])
    files = ChunkFiles(tmp_path)
    for name in ("a.pdf", "b.pdf"):
        files.add(name, b"x")
    files.commit()
    assert len(flushed) == 3  # both files, then the folder


def test_with_syncfs_the_chunk_is_flushed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = outfiles.sync_file_system
    monkeypatch.setattr(outfiles, "sync_file_system", lambda fd: (calls.append(fd), real(fd))[1])
    files = ChunkFiles(tmp_path)
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        files.add(name, b"x")
    files.commit()
    assert len(calls) == 1
    if sys.platform.startswith("linux"):
        assert real(os.open(tmp_path, os.O_RDONLY)) is True


def test_a_target_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.pdf"
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a.pdf").symlink_to(outside)
    files = ChunkFiles(folder)
    with pytest.raises(HandoutError):
        files.add("a.pdf", b"x")
    files.discard()
    assert not outside.exists()
    assert listing(folder) == ["a.pdf"]


@pytest.mark.parametrize("name", ["../a.pdf", "sub/a.pdf", ".hidden.pdf"])
def test_a_name_that_leaves_the_folder_is_refused(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "sub").mkdir()
    with pytest.raises(HandoutError) as got:
        ChunkFiles(folder).add(name, b"x")
    assert name not in str(got.value)  # file names hold patient names: never in a message
    assert listing(folder) == ["sub"]
    assert listing(tmp_path) == ["out"]


def test_a_process_killed_mid_chunk_leaves_nothing_behind(tmp_path: Path) -> None:
    """SIGKILL (no handler runs): files with no name go with the process."""
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from handoutpress.batch.outfiles import ChunkFiles
        files = ChunkFiles(Path({str(tmp_path)!r}))
        assert files._unnamed
        for i in range(20):
            files.add(f"{{i:06d}}-x.pdf", b"%PDF-1.4" * 4000)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    if not ChunkFiles(tmp_path)._unnamed:
        pytest.skip("no unnamed files (O_TMPFILE) here")
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert res.returncode == -9, res.stderr
    assert listing(tmp_path) == []


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o277])
def test_files_are_0600_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        files = ChunkFiles(tmp_path)
        assert files._chmod == bool(umask & 0o600)  # set exactly only when it must be
        files.add("a.pdf", b"x")
        files.commit()
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.pdf").stat().st_mode) == 0o600
