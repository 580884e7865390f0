"""Reading input files that cannot hang or fill memory: one helper for every input.

A handout, a brand's font or logo, ``--recipients`` or ``--columns`` that is a FIFO, a device
(``/dev/zero``, ``/dev/urandom``), a folder or far larger than such a file ever is would block
forever or be read into memory whole. :func:`read_input` opens without blocking, requires a
regular file and reads at most ``limit`` bytes; :func:`check_input` does the same checks for a
file another library reads itself (a CSV read in a stream).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: size caps, by what the file is (each far above any real one)
MAX_YAML_BYTES = 1_000_000  # a handout, brand, layout or --columns map is a few kB
MAX_FONT_BYTES = 30_000_000  # a CJK font is about 20 MB
MAX_LOGO_BYTES = 10_000_000  # an SVG or PNG logo is well under 1 MB


class InputRefused(Exception):
    """The file cannot be read safely; ``str()`` is the message for the user."""


def size_text(n: int) -> str:
    """``1000 kB``, ``10 MB``: a limit as the messages show it."""
    return f"{n // 1_000_000} MB" if n >= 10_000_000 else f"{n // 1000} kB"


def why_not_a_file(path: Path, what: str = "") -> str:
    """Why ``path`` cannot be read as a file, for one who found ``path.is_file()`` false:
    ``handout file not found`` (with ``what`` = 'handout'), ``is a folder, not a file``,
    ``not a regular file`` (a FIFO, a device)."""
    if not path.exists():
        return f"{what} file not found" if what else "file not found"
    if path.is_dir():
        return "is a folder, not a file"
    return "not a regular file"


def _refuse_kind(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise InputRefused("is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise InputRefused("not a regular file")


def _open(path: Path) -> int:
    try:
        # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one
        return os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputRefused("file not found") from None
    except IsADirectoryError:
        raise InputRefused("is a folder, not a file") from None
    except OSError as exc:
        raise InputRefused(f"cannot read: {exc.strerror or exc}") from None


def check_input(path: Path, limit: int | None) -> int:
    """Raise InputRefused unless ``path`` is a regular file of at most ``limit`` bytes (any
    size with None: a file read as a stream); return its size."""
    fd = _open(path)
    try:
        st = os.fstat(fd)
    finally:
        os.close(fd)
    _refuse_kind(st.st_mode)
    if limit is not None and st.st_size > limit:
        raise InputRefused(f"file is larger than {size_text(limit)}")
    return st.st_size


def read_input(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes (InputRefused if not)."""
    fd = _open(path)
    try:
        st = os.fstat(fd)
        _refuse_kind(st.st_mode)
        if st.st_size > limit:
            raise InputRefused(f"file is larger than {size_text(limit)}")
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        got = 0
        while got <= limit:  # a file that grows while it is read is cut off at the limit
            chunk = os.read(fd, min(1 << 20, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError as exc:
        raise InputRefused(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if got > limit:
        raise InputRefused(f"file is larger than {size_text(limit)}")
    return b"".join(chunks)
