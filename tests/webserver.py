"""A real ``handouts serve`` for tests: the command line in a subprocess, on 127.0.0.1 only,
port 0 (a free port), its stdout and stderr kept in files so tests can show that no patient
value reached them, its data folder (tally, staff logins) in a temporary folder."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .conftest import EPOCH, ROOT

FIRST_LINE = re.compile(r"Serving on (https?://127\.0\.0\.1:(\d+)/) \(Ctrl-C to stop\)")


@dataclass
class LiveServer:
    url: str
    port: int
    stdout: Path
    stderr: Path
    data_dir: Path
    process: subprocess.Popen[bytes]

    def output(self) -> str:
        """Everything the server has printed so far (stdout and stderr)."""
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(errors="replace")


@contextmanager
def live_server(
    folder: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> Iterator[LiveServer]:
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "data"
    out, err = folder / "stdout.txt", folder / "stderr.txt"
    full_env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": EPOCH,
        "PYTHONPATH": str(ROOT),
        "HANDOUTS_DATA_DIR": str(data),
        **(env or {}),
    }
    with out.open("wb") as o, err.open("wb") as e:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "generate.py"), "serve", "--port", "0", *args],
            cwd=ROOT,
            env=full_env,
            stdout=o,
            stderr=e,
            # Ctrl-C works as at a terminal, even when the tests run in the background
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            first = out.read_text(errors="replace").splitlines()[:1]
            if first:
                m = FIRST_LINE.fullmatch(first[0])
                assert m, f"first line: {first[0]!r}"
                break
            if proc.poll() is not None:
                raise AssertionError(f"serve exited {proc.returncode}: {err.read_text()}")
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.05)
        yield LiveServer(m.group(1), int(m.group(2)), out, err, data, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
