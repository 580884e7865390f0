"""Writing files safely: temp file + fsync + rename, never a half-written PDF.

Every output goes through here (``build``, ``preview``, ``batch``):

- a path that exists and is not a regular file (``/dev/null``, a FIFO, a device, a folder, a
  symbolic link) is refused, never replaced: renaming over it would turn ``/dev/null`` into a PDF;
- several files are written all or nothing (:func:`write_files`): each is staged beside its
  target first, and only when every one is complete are they renamed into place; a rename that
  fails puts back what the earlier ones replaced.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import HandoutError, Location, Problem, display_path


@dataclass(frozen=True)
class Output:
    """One file to write."""

    path: Path
    data: bytes
    #: the option that named the path (``-o``, ``--merged``), for messages; '' for a file we named
    option: str = ""


def target_problem(path: Path, option: str = "") -> Problem | None:
    """Why ``path`` must not be written, or None: it exists and is not a regular file."""
    try:
        mode = os.lstat(path).st_mode
    except NotADirectoryError as exc:  # a parent is a file
        return _write_problem(Output(path, b"", option), exc)
    except OSError:  # not there, a name too long, a folder we may not look into: the write
        return None  # itself reports what is wrong
    if stat.S_ISREG(mode):
        return None
    return _problem(path, option, "not a regular file")


def check_target(path: Path, option: str = "") -> None:
    """Raise a one-line HandoutError if ``path`` exists and is not a regular file."""
    found = target_problem(path, option)
    if found is not None:
        raise HandoutError([found])


def _problem(path: Path, option: str, message: str) -> Problem:
    if option:
        return Problem(Location(None), f"{option} {path}", message)
    return Problem(Location(path), "", message)


def atomic_write(path: Path, data: bytes, private: bool = False) -> None:
    """Write ``data`` to ``path`` atomically; an older file is replaced only on success.

    ``private`` files (holding patient data) are created readable by the owner only. A path
    that is not a regular file is refused (HandoutError).
    """
    check_target(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _stage(path, data, private)
    try:
        replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def replace(tmp: Path, path: Path, option: str = "") -> None:
    """Rename a finished temporary file over ``path``, checking ``path`` once more first."""
    check_target(path, option)
    os.replace(tmp, path)


def write_files(outputs: Sequence[Output], private: bool = False) -> None:
    """Write every output, or none: a problem is one line per file (HandoutError).

    ``private`` (patient data): files are 0600 and folders made for them 0700.
    """
    problems = [p for o in outputs if (p := target_problem(o.path, o.option)) is not None]
    if problems:
        raise HandoutError(problems)
    staged: list[tuple[Output, Path]] = []
    current = outputs[0] if outputs else None
    try:
        for current in outputs:
            _make_folders(current.path.parent, private)
            staged.append((current, _stage(current.path, current.data, private)))
        _commit(staged)
    except OSError as exc:
        assert current is not None
        raise HandoutError([_write_problem(current, exc)]) from None
    finally:
        for _, tmp in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _make_folders(folder: Path, private: bool) -> None:
    if private:
        missing = [d for d in (folder, *folder.parents) if not d.exists()]
        for made in reversed(missing):  # mkdir(parents=True) gives parents 0755
            made.mkdir(mode=0o700)
    else:
        folder.mkdir(parents=True, exist_ok=True)


def _stage(path: Path, data: bytes, private: bool) -> Path:
    """``data`` in a complete, fsynced temporary file beside ``path``."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600 if private else 0o644 & ~current_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return Path(name)


def _commit(staged: Sequence[tuple[Output, Path]]) -> None:
    """Rename each staged file into place; if one fails, undo the earlier ones (an older file
    they replaced comes back from a hard link kept until the end)."""
    done: list[tuple[Path, bool, Path | None]] = []  # target, existed, backup of the old file
    try:
        for out, tmp in staged:
            check_target(out.path, out.option)
            existed = out.path.exists()
            backup: Path | None = None
            if existed and len(staged) > 1:
                backup = out.path.with_name(f".{out.path.name}.{os.getpid()}.old")
                with contextlib.suppress(FileNotFoundError):
                    backup.unlink()
                try:
                    os.link(out.path, backup)
                except OSError:  # no hard links here: the new file cannot be undone
                    backup = None
            try:
                os.replace(tmp, out.path)
            except BaseException:
                if backup is not None:
                    backup.unlink()
                raise
            done.append((out.path, existed, backup))
    except BaseException:
        for target, existed, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                elif not existed:
                    target.unlink()
        raise
    for _, _, backup in done:
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink()


def _write_problem(out: Output, exc: OSError) -> Problem:
    message = f"cannot write the file: {exc.strerror or exc}"
    existing = next((p for p in out.path.parents if _exists(p)), None)
    if existing is not None and not existing.is_dir():
        message = f"cannot write the file: {display_path(existing)} is a file, not a folder"
    return _problem(out.path, out.option, message)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name too long
        return False


def current_umask() -> int:
    """The process's file mode creation mask (read by setting it and back: ``os`` has no
    getter)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
