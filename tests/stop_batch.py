#!/usr/bin/env python3
"""Test support only: ``python tests/stop_batch.py batch …`` is ``generate.py batch …``
that sends itself a signal after N chunks are journalled, as
``HANDOUTS_TEST_SIGNAL_AFTER=N:SIG`` (INT, TERM, KILL) says. The product takes this as a
callback (:func:`handoutpress.batch.run`'s ``after_chunk``); only this script reads the
environment."""

from __future__ import annotations

import functools
import os
import signal

from handoutpress import batch
from handoutpress.cli import main


def _after(n: int, sig: int, journalled: int) -> None:
    if journalled == n:
        os.kill(os.getpid(), sig)


if __name__ == "__main__":
    count, name = os.environ["HANDOUTS_TEST_SIGNAL_AFTER"].split(":", 1)
    after = functools.partial(_after, int(count), int(getattr(signal, f"SIG{name.upper()}")))
    batch.run = functools.partial(batch.run, after_chunk=after)  # type: ignore[assignment]
    main()
