"""The C heap of a batch: memory freed after one chunk kept for the next.

A chunk of letters is written as one part: its document's bytes, the part read back and
its joined objects are a few large blocks (about 2.5 MB for 1,000 personal letters) made
and freed once a chunk. glibc gives the top of its heap back to the system once that
much is free there, and the next chunk's blocks fault their pages in again, zeroed: about
three page faults a personal letter (10,000 letters with every name different: 45,000
minor faults and 0.33 s of system time; with the heap kept from the first chunk 17,000
and 0.21 s, from the second, as batch keeps it, 20,300 and 0.14 s).
``M_TOP_PAD`` has glibc keep that much at the top of the heap when it grows or trims it;
pages never touched are never faulted in (peak RSS is the same). Elsewhere (another C
library, another system) nothing is changed. Asked from a process's second chunk on
(:func:`next_chunk`): a run of one chunk does not import ctypes.
"""

from __future__ import annotations

import sys

#: mallopt's parameter for the heap's top pad (glibc's malloc.h)
M_TOP_PAD = -2
#: the pad kept: more than a chunk's large blocks
TOP_PAD = 64 << 20

_kept = False
#: the chunks this process has begun (drawn, or joined with ``--jobs``)
_chunks = 0


def next_chunk() -> None:
    """A chunk begins in this process: from the second on, :func:`keep_freed_memory`."""
    global _chunks
    _chunks += 1
    if _chunks > 1:
        keep_freed_memory()


def keep_freed_memory() -> bool:
    """Ask glibc to keep :data:`TOP_PAD` bytes at the top of the heap (once a process);
    whether it did."""
    global _kept
    if _kept or not sys.platform.startswith("linux"):
        return _kept
    import ctypes  # (here: a batch of one chunk never loads it)

    try:
        mallopt = ctypes.CDLL(None).mallopt  # (the C library the process runs on)
    except (OSError, AttributeError):  # (not glibc: musl has no mallopt)
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    _kept = mallopt(M_TOP_PAD, TOP_PAD) == 1
    return _kept
