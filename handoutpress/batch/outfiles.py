"""``batch --out-dir``: a chunk's files written the way :func:`~handoutpress.output.atomic_write`
writes one, with the waits for the disk shared by the chunk.

Each file is first written, 0600, to a file with no name in the output folder (Linux
``O_TMPFILE``; where there is none, to a temporary name ``.<name>.<pid>.tmp``, which
:func:`~handoutpress.batch.journal.clean_temp` removes after an interruption). When every
file of the chunk is written they are flushed to the disk together (Linux ``syncfs`` on
their file system, once; elsewhere ``fsync`` of each); then each is linked under its own
name (when a file has that name already, under a temporary one renamed over it), and the
folder itself is flushed, once; only then is the chunk
journalled. So a file is never seen half-written under its name, a journalled chunk's files
are on the disk (their renames too, which one ``fsync`` per file did not promise), and a
process killed in the middle of a chunk leaves nothing behind (a file with no name goes
with it). On this project's shared machine one ``fsync`` after each 38 KB file cost 4-6 ms
of waiting; one ``syncfs`` for a chunk about 0.1 ms a file.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import tempfile
from pathlib import Path

from ..errors import HandoutError
from ..output import check_target, current_umask, replace

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_FLAGS |= getattr(os, "O_CLOEXEC", 0)
_UNNAMED = getattr(os, "O_TMPFILE", 0)


class ChunkFiles:
    """The files of one chunk: :meth:`add` each, then :meth:`commit` (or :meth:`discard`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._resolved = folder.resolve()
        #: (temporary name or None for a file with no name, descriptor or -1, target)
        self._staged: list[tuple[Path | None, int, Path]] = []
        self._unnamed = bool(_UNNAMED) and sys.platform.startswith("linux")
        #: files are created 0600 less the umask: set exactly when the umask removes some
        self._chmod = bool(current_umask() & 0o600)

    def add(self, name: str, data: bytes) -> None:
        """Write ``data`` for ``folder/name`` (refused: a name that would leave the folder,
        a target that is not a regular file)."""
        if (self._resolved / name).parent != self._resolved or name.startswith("."):
            raise HandoutError("unsafe output file name")  # (never the name: patient data)
        target = self.folder / name
        check_target(target)
        fd, tmp = self._open(name)
        self._staged.append((tmp, fd, target))
        if self._chmod:  # (an update of the inode more: only when the umask takes 0600 away)
            os.fchmod(fd, 0o600)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]

    def _open(self, name: str) -> tuple[int, Path | None]:
        if self._unnamed:
            try:
                return os.open(self.folder, _UNNAMED | os.O_WRONLY | os.O_CLOEXEC, 0o600), None
            except OSError:  # a file system without unnamed files
                self._unnamed = False
        tmp = self._temp_name(name)
        try:
            return os.open(tmp, _FLAGS, 0o600), tmp
        except FileExistsError:  # left by a process with our pid: a fresh random name
            fd, made = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
            return fd, Path(made)

    def _temp_name(self, name: str) -> Path:
        return self.folder / f".{name}.{os.getpid()}.tmp"

    def commit(self) -> None:
        """Flush every file, rename each into place, flush the folder."""
        staged = self._staged
        synced = bool(staged) and sync_file_system(staged[0][1])
        if not synced:
            for _, fd, _ in staged:
                os.fsync(fd)
        folder_fd = os.open(self.folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            for i, (tmp, fd, target) in enumerate(staged):
                if tmp is None:  # the file gets a name
                    link = f"/proc/self/fd/{fd}"
                    try:  # its own, when no file has it: nothing to rename, nor to leave
                        os.link(link, target.name, dst_dir_fd=folder_fd)
                    except FileExistsError:
                        pass
                    else:
                        os.close(fd)
                        staged[i] = (None, -1, target)
                        continue
                    tmp = self._temp_name(target.name)  # a temporary one, renamed over
                    try:
                        os.link(link, tmp.name, dst_dir_fd=folder_fd)
                    except FileExistsError:  # left by a process that had our pid
                        os.unlink(tmp)
                        os.link(link, tmp.name, dst_dir_fd=folder_fd)
                    staged[i] = (tmp, fd, target)
                os.close(fd)
                staged[i] = (tmp, -1, target)
                replace(tmp, target)
                staged[i] = (None, -1, target)  # in place: nothing to undo
            staged.clear()
            with contextlib.suppress(OSError):  # (some file systems cannot)
                os.fsync(folder_fd)
        finally:
            os.close(folder_fd)

    def discard(self) -> None:
        """Remove what is not renamed into place yet (after an error or an interruption)."""
        for tmp, fd, _ in self._staged:
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        self._staged = []


_LIBC: ctypes.CDLL | None = None


def sync_file_system(fd: int) -> bool:
    """Flush everything written to the file system that holds ``fd`` (Linux ``syncfs``:
    one wait for the whole chunk); False where there is no such call (then each file is
    flushed on its own)."""
    global _LIBC
    if not sys.platform.startswith("linux"):
        return False
    try:
        if _LIBC is None:
            _LIBC = ctypes.CDLL(None, use_errno=True)
        return int(_LIBC.syncfs(fd)) == 0
    except (OSError, AttributeError):
        return False
