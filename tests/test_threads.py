"""Renders in parallel threads, as ``serve`` runs them (one thread per request): the PDFs
are byte for byte those of the same renders one after another, and no render fails.

The engine shares drawings it caches per process (a brand's logo, the bundled icons)
between renders; ReportLab's renderer writes to a drawing while drawing it. A switch
interval of a microsecond makes the threads interleave inside every draw, so a shared
drawing drawn without its lock fails here every time (AttributeError: no ``_parent``).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from handoutpress.frontdesk import SingleRequest, render_single
from handoutpress.project import Project

REQUESTS = [
    # the brochure: the brand's SVG logo, icons; the sheet: icons, a personal value
    SingleRequest("trigger-point-injections", layout="trifold"),
    SingleRequest("tpi-aftercare", values={"patient.name": "Pat Lee"}),
    SingleRequest("tpi-aftercare", lang="es", large_print=True),
]


def test_parallel_renders_are_byte_identical_to_serial_ones(
    shipped_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")
    project = Project(shipped_root)
    serial = [render_single(project, r).pdf for r in REQUESTS]
    results: list[tuple[int, bytes]] = []
    errors: list[str] = []

    def desk(k: int) -> None:
        for i in range(3):
            n = (k + i) % len(REQUESTS)
            try:
                results.append((n, render_single(project, REQUESTS[n]).pdf))
            except Exception as exc:  # noqa: BLE001 - any failure is the finding
                errors.append(f"{type(exc).__name__}: {exc}")

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=desk, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
    assert len(results) == 12
    assert [n for n, pdf in results if pdf != serial[n]] == []
