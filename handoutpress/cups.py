"""Printing through CUPS: the PDF goes to ``lp`` with the layout's paper and duplex setting.

- ``media`` comes from the layout's paper (Letter, A4, Legal, else a custom size in points);
  without it a CUPS queue may use its own default paper (often A4).
- ``sides`` comes from the layout's duplex: the tri-fold is two-sided-short-edge (a landscape
  sheet turns over its short edge), a sheet two-sided-long-edge, a simplex layout one-sided.
- The job title is the handout's public title, never a personal value: CUPS logs job titles
  and shows them to everyone who can list the queue.
- The PDF is written to a private temporary folder (0700, file 0600) and removed as soon as
  ``lp`` has handed it to the scheduler. CUPS keeps its own copy of a job's file in its spool
  for as long as ``PreserveJobFiles`` in cupsd.conf says (one day by default).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import HandoutError
from .models import Layout, Paper
from .output import atomic_write

#: lp's -o sides= value for each layout duplex setting.
SIDES = {
    "Simplex": "one-sided",
    "DuplexFlipLongEdge": "two-sided-long-edge",
    "DuplexFlipShortEdge": "two-sided-short-edge",
}
#: Media names CUPS knows (short side x long side, in points).
MEDIA = {(612, 792): "Letter", (595, 842): "A4", (612, 1008): "Legal"}
#: How long lp and lpstat may take (they only talk to the local scheduler).
TIMEOUT = 60


def media_for(paper: Paper) -> str:
    short, long = sorted((round(paper.width), round(paper.height)))
    return MEDIA.get((short, long), f"Custom.{short}x{long}")


@dataclass(frozen=True)
class PrintJob:
    job_id: str
    printer: str
    media: str
    sides: str
    copies: int
    title: str


def _fail(message: str) -> HandoutError:
    return HandoutError(f"print: {message}")


def _env() -> dict[str, str]:
    # lp's messages are parsed below: ask for them untranslated
    return {**os.environ, "LC_ALL": "C", "LANG": "C"}


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT, env=_env())
    except subprocess.TimeoutExpired:
        raise _fail(
            f"{Path(args[0]).name} did not answer within {TIMEOUT} s; is CUPS running?"
        ) from None
    except OSError as exc:
        raise _fail(f"cannot run {Path(args[0]).name}: {exc.strerror}") from None


def _printers() -> list[str]:
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return []
    res = _run([lpstat, "-e"])
    return res.stdout.split() if res.returncode == 0 else []


def printers() -> tuple[list[str], str | None]:
    """The CUPS queues and the default one (``lpstat -e``, ``lpstat -d``); ``[]`` when CUPS
    is missing or not running (:func:`check_cups` says why)."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return [], None
    names = _printers()
    res = _run([lpstat, "-d"])
    m = re.search(r"system default destination:\s*(\S+)", res.stdout)
    default = os.environ.get("LPDEST") or os.environ.get("PRINTER") or (m.group(1) if m else None)
    return names, default if default in names else None


def _known(printers: list[str]) -> str:
    return f"printers: {', '.join(printers)}" if printers else "no printers are set up in CUPS"


def check_cups() -> str:
    """The path of ``lp``, once CUPS is known to be reachable; a one-line error otherwise."""
    lp = shutil.which("lp")
    if lp is None:
        raise _fail("the CUPS command 'lp' is not installed (Debian/Ubuntu: apt-get install cups)")
    lpstat = shutil.which("lpstat")
    if lpstat is not None:
        res = _run([lpstat, "-r"])
        if "scheduler is running" not in res.stdout:
            raise _fail(
                "the CUPS scheduler is not running (start it: sudo systemctl start cups, "
                "or /usr/sbin/cupsd as root)"
            )
    return lp


def send(
    pdf: bytes,
    layout: Layout,
    title: str,
    printer: str | None = None,
    copies: int = 1,
    sides: str | None = None,
) -> PrintJob:
    """Hand ``pdf`` to CUPS; return the job. Raises a one-line HandoutError on any failure.
    ``sides``: lp's value for a file of several layouts (a visit), else the layout's."""
    if copies < 1:
        raise _fail("--copies must be at least 1")
    lp = check_cups()
    media = media_for(layout.paper)
    sides = sides or SIDES[layout.duplex]
    args = [lp, "-t", title, "-n", str(copies), "-o", f"media={media}", "-o", f"sides={sides}"]
    if printer:
        args += ["-d", printer]
    with tempfile.TemporaryDirectory(prefix="handouts-print-") as folder:  # mode 0700
        path = Path(folder) / "handout.pdf"
        atomic_write(path, pdf, private=True)
        res = _run([*args, "--", str(path)])
    if res.returncode != 0:
        raise _lp_error(res.stderr or res.stdout, printer)
    m = re.search(r"request id is (\S+)", res.stdout)
    if m is None:
        raise _fail(f"lp gave no job id: {res.stdout.strip()[:200]}")
    job = m.group(1)
    return PrintJob(job, printer or job.rpartition("-")[0], media, sides, copies, title)


def _lp_error(output: str, printer: str | None) -> HandoutError:
    first = next((line.strip() for line in output.splitlines() if line.strip()), "")
    message = re.sub(r"^\S*lp:\s*(Error\s*-\s*)?", "", first)
    low = message.lower()
    if "environment variable names default destination" in low:
        return _fail(
            f"the default printer named by LPDEST or PRINTER does not exist; {_known(_printers())}"
        )
    if printer and ("does not exist" in low or "not found" in low):
        return _fail(f"no printer named '{printer}'; {_known(_printers())}")
    if "no default destination" in low:
        return _fail(
            "no --printer given and CUPS has no default printer "
            f"(set one: lpoptions -d NAME); {_known(_printers())}"
        )
    if "scheduler not responding" in low or "connection refused" in low:
        return _fail("the CUPS scheduler is not responding; is it running?")
    return _fail(f"lp failed: {message or 'no message'}")
