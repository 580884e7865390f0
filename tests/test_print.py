"""``print`` against a real CUPS scheduler with the cups-pdf virtual printer.

The fixture starts ``cupsd`` when no scheduler is running (as root; it stops what it started),
adds a cups-pdf queue, and every test finds the printed PDF that cups-pdf wrote, by job number.
Needs the Debian packages cups, printer-driver-cups-pdf and cups-ipp-utils (ipptool). Without
them the tests fail when CI is set (CI=true) and are skipped, with the reason, elsewhere.

The error cases (no lp, CUPS down) need no scheduler and always run.
"""

from __future__ import annotations

import fcntl
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import assert_clean_error, run_cli
from .pdfcheck import page_sizes, pdfinfo, text

QUEUE = "HandoutPressTest"
PPD = "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
SECRET = "Zebulon Quixote-Marsh"
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def unavailable(reason: str) -> None:
    message = f"CUPS print test cannot run: {reason}"
    if IN_CI:
        pytest.fail(message + " (CI=true: install cups printer-driver-cups-pdf cups-ipp-utils)")
    pytest.skip(message)


def _quiet(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    return subprocess.run(args, capture_output=True, text=True, timeout=60, env=env)


def scheduler_running() -> bool:
    return "scheduler is running" in _quiet("lpstat", "-r").stdout


def cups_pdf_folder() -> Path:
    """Where cups-pdf writes jobs of this user: ``Out`` in /etc/cups/cups-pdf.conf."""
    home = pwd.getpwuid(os.getuid()).pw_dir
    out = "${HOME}/PDF"
    conf = Path("/etc/cups/cups-pdf.conf")
    if conf.is_file():
        for line in conf.read_text(errors="replace").splitlines():
            m = re.match(r"^\s*Out\s+(\S.*?)\s*$", line)
            if m:
                out = m.group(1)
    return Path(out.replace("${HOME}", home))


#: Get-Job-Attributes as the job's owner (CUPS hides job-name from others) with every attribute.
GET_JOB = """{
    NAME "Get-Job-Attributes"
    OPERATION Get-Job-Attributes
    GROUP operation-attributes-tag
    ATTR charset attributes-charset utf-8
    ATTR naturalLanguage attributes-natural-language en
    ATTR uri job-uri $uri
    ATTR name requesting-user-name $user
    ATTR keyword requested-attributes job-description,job-template
    STATUS successful-ok
}
"""


@dataclass
class Cups:
    queue: str
    folder: Path
    get_job: Path


#: held while a module's tests use the scheduler: test modules run in parallel (pytest-xdist,
#: .ci/run) and each module's ``cups`` fixture adds the queue, may start cupsd, and removes
#: both at its end, which would pull them from under another module's tests
CUPS_LOCK = Path(tempfile.gettempdir()) / "handoutpress-tests-cups.lock"


@pytest.fixture(scope="module")
def cups(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cups]:
    with CUPS_LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        yield from _cups(tmp_path_factory)


def _cups(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cups]:
    for command in ("lp", "lpstat", "lpadmin", "ipptool"):
        if shutil.which(command) is None:
            unavailable(f"'{command}' is not installed")
    if not Path("/usr/lib/cups/backend/cups-pdf").exists():
        unavailable("the cups-pdf backend is not installed (printer-driver-cups-pdf)")
    started: subprocess.Popen[bytes] | None = None
    if not scheduler_running():
        if os.geteuid() != 0:
            unavailable("cupsd is not running, and only root may start it")
        started = subprocess.Popen(
            ["/usr/sbin/cupsd", "-f"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 15
        while not scheduler_running():
            if started.poll() is not None or time.monotonic() > deadline:
                unavailable(f"/usr/sbin/cupsd -f did not start (exit {started.poll()})")
            time.sleep(0.1)
    res = _quiet(
        "lpadmin", "-p", QUEUE, "-E", "-v", "cups-pdf:/", "-m", PPD, "-o", "PageSize=Letter"
    )
    if res.returncode != 0:
        unavailable(f"lpadmin could not add the cups-pdf queue: {res.stderr.strip()}")
    try:
        get_job = tmp_path_factory.mktemp("ipp") / "get-job.test"
        get_job.write_text(GET_JOB)
        yield Cups(QUEUE, cups_pdf_folder(), get_job)
    finally:
        _quiet("lpadmin", "-x", QUEUE)
        if started is not None:
            started.terminate()
            started.wait(timeout=15)


def job_number(stdout: str) -> int:
    m = re.search(rf"\b{QUEUE}-(\d+)\b", stdout)
    assert m, stdout
    return int(m.group(1))


def wait_for_output(cups: Cups, job: int) -> Path:
    """Wait for the job to complete; return the PDF cups-pdf wrote for it."""
    deadline = time.monotonic() + 90
    while True:
        state = job_attributes(cups, job).get("job-state")
        if state == "completed":
            break
        assert state not in ("aborted", "canceled", "stopped"), f"job {job} {state}"
        assert time.monotonic() < deadline, f"job {job} still {state} after 90 s"
        time.sleep(0.2)
    for _ in range(50):  # the file is there once the job completed; allow the rename
        found = [p for p in cups.folder.glob(f"*job_{job}.pdf")]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no cups-pdf output for job {job} in {cups.folder}")


def job_attributes(cups: Cups, job: int) -> dict[str, str]:
    """What the scheduler recorded for the job (ipptool Get-Job-Attributes)."""
    res = _quiet("ipptool", "-t", "-v", f"ipp://localhost/jobs/{job}", str(cups.get_job))
    assert "[PASS]" in res.stdout, res.stdout + res.stderr
    out = {}
    for m in re.finditer(r"^\s+([a-z-]+) \(([^)]+)\) = (.*)$", res.stdout, re.M):
        out.setdefault(m[1], m[3].strip())
    return out


def temp_print_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("handouts-print-*")}


# --------------------------------------------------------------------------- real prints


def test_trifold_prints_duplex_short_edge_on_letter(cups, tmp_path):
    before = temp_print_folders()
    res = run_cli(
        "print",
        "trigger-point-injections",
        "--printer",
        cups.queue,
        "--set",
        f"patient.name={SECRET}",
    )
    assert res.returncode == 0, res.stderr
    assert SECRET not in res.stdout + res.stderr
    assert re.fullmatch(
        rf"{QUEUE}-\d+: 'Trigger Point Injections' sent to {QUEUE} "
        r"\(2 pages, Letter, two-sided-short-edge, 1 copy\)",
        res.stdout.strip(),
    ), res.stdout
    job = job_number(res.stdout)
    printed = wait_for_output(cups, job)
    try:
        # what CUPS was asked for
        attrs = job_attributes(cups, job)
        assert attrs["job-name"] == "Trigger Point Injections"
        assert attrs["sides"] == "two-sided-short-edge"
        assert attrs["media"] == "Letter"
        assert attrs["copies"] == "1"
        # what came out of the printer: two Letter pages (landscape content rotated onto them)
        assert int(pdfinfo(printed)["Pages"]) == 2
        assert [tuple(round(v) for v in size) for size in page_sizes(printed)] == [(612, 792)] * 2
        # the printed copy lost its ToUnicode maps: only ASCII text is asserted
        printed_text = " ".join(text(printed).split())
        assert "Call 911 right away" in printed_text and "Caring for yourself" in printed_text
        # the patient's name is printed, but is neither the job's title nor the file's
        assert "Zebulon" in printed_text
        assert SECRET not in printed.name and SECRET not in pdfinfo(printed).get("Title", "")
        assert all(SECRET not in value for value in attrs.values())
    finally:
        printed.unlink()
    # the temporary PDF (0600, in a 0700 folder) is gone
    assert temp_print_folders() == before


def test_a4_sheet_prints_long_edge_on_a4_with_copies(cups):
    res = run_cli(
        "print", "tpi-aftercare", "--layout", "sheet-a4", "--copies", "2", "--printer", cups.queue
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().endswith("(2 pages, A4, two-sided-long-edge, 2 copies)")
    job = job_number(res.stdout)
    printed = wait_for_output(cups, job)
    try:
        attrs = job_attributes(cups, job)
        assert attrs["job-name"] == "After Your Trigger Point Injections"
        assert (attrs["sides"], attrs["media"], attrs["copies"]) == (
            "two-sided-long-edge",
            "A4",
            "2",
        )
        sizes = page_sizes(printed)
        assert sizes and all((round(w), round(h)) == (595, 842) for w, h in sizes), sizes
    finally:
        printed.unlink()


def test_default_printer_is_used_when_none_is_given(cups):
    res = run_cli("print", "tpi-aftercare", env={"LPDEST": cups.queue})
    assert res.returncode == 0, res.stderr
    assert f"sent to {cups.queue} " in res.stdout
    printed = wait_for_output(cups, job_number(res.stdout))
    try:
        # the aftercare is one sheet, both sides
        assert [tuple(round(v) for v in s) for s in page_sizes(printed)] == [(612, 792)] * 2
    finally:
        printed.unlink()


def test_unknown_printer_is_one_clean_line(cups):
    res = run_cli("print", "tpi-aftercare", "--printer", "NoSuchPrinter")
    lines = assert_clean_error(res)
    assert len(lines) == 1
    assert lines[0].startswith("print: no printer named 'NoSuchPrinter'; printers: ")
    assert cups.queue in lines[0]


def test_no_printer_and_no_default_is_one_clean_line(cups):
    if _quiet("lpstat", "-d").stdout.strip().startswith("system default destination:"):
        pytest.skip("this machine has a default printer")
    if os.environ.get("LPDEST") or os.environ.get("PRINTER"):
        pytest.skip("LPDEST or PRINTER names a default printer here")
    # HOME without ~/.cups/lpoptions: no personal default printer either
    res = run_cli("print", "tpi-aftercare", env={"HOME": str(Path(tempfile.gettempdir()))})
    lines = assert_clean_error(res)
    assert len(lines) == 1
    assert lines[0].startswith("print: no --printer given and CUPS has no default printer")


# --------------------------------------------------------------------------- no scheduler needed


def test_cups_down_is_one_clean_line(tmp_path):
    if shutil.which("lp") is None:
        unavailable("'lp' is not installed")
    # a scheduler socket where none listens: what lp sees when cupsd is stopped
    env = {"CUPS_SERVER": str(tmp_path / "no-cupsd.sock")}
    res = run_cli("print", "tpi-aftercare", "--printer", QUEUE, env=env)
    lines = assert_clean_error(res)
    assert lines == [
        "print: the CUPS scheduler is not running (start it: sudo systemctl start cups, "
        "or /usr/sbin/cupsd as root)"
    ]


def test_missing_lp_is_one_clean_line(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    res = run_cli("print", "tpi-aftercare", env={"PATH": str(empty)})
    lines = assert_clean_error(res)
    assert lines == [
        "print: the CUPS command 'lp' is not installed (Debian/Ubuntu: apt-get install cups)"
    ]


def test_bad_copies_is_a_usage_error():
    res = run_cli("print", "tpi-aftercare", "--copies", "0")
    assert res.returncode == 2 and "Traceback" not in res.stderr


def test_staff_copy_prints_the_staff_copy(cups):
    """``print --staff-copy``: the staff copy (the option ``build`` takes), STAFF COPY on
    its pages and the sections for staff in it; without it, neither."""
    from . import shipped

    prompt = next(s for s in shipped.sections("tpi-aftercare") if s.get("audience") == "staff")
    printed_words = {}
    for flag in ((), ("--staff-copy",)):
        res = run_cli("print", "tpi-aftercare", *flag, "--printer", cups.queue)
        assert res.returncode == 0, res.stderr
        printed = wait_for_output(cups, job_number(res.stdout))
        try:
            printed_words[flag] = " ".join(text(printed).split())
        finally:
            printed.unlink()
    heading = " ".join(prompt["heading"].split())
    assert "STAFF COPY" in printed_words[("--staff-copy",)]
    assert heading in printed_words[("--staff-copy",)]
    assert "STAFF COPY" not in printed_words[()] and heading not in printed_words[()]
