"""The documented ways to split a mailing over processes or machines (docs/batch.md,
*Splitting a mailing*): GNU parallel on one machine and a Slurm job array. The scripts in
docs/examples/ are run as written; the Slurm one is run once per task id with the variables
Slurm sets, as its array tasks would be. Every record ends up in exactly one shard, and the
shards add up: rows in = made + rejected + blank."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EPOCH, ROOT
from .pdfcheck import page_sizes

EXAMPLES = ROOT / "docs" / "examples"
N_SHARDS = 3


def recipients(path: Path) -> Path:
    """10 records: 8 good, one without a street (rejected), one blank."""
    rows = [["First Name", "Last Name", "Street", "City", "State", "ZIP"]]
    rows += [[f"Pat{i}", f"Lee{i}", f"{i} Main St", "Salem", "OR", "97301"] for i in range(1, 11)]
    rows[4] = ["Ann", "Smith", "", "Salem", "OR", "97301"]
    rows[7] = ["", "", "", "", "", ""]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def env() -> dict[str, str]:
    return {
        **os.environ,
        "SOURCE_DATE_EPOCH": EPOCH,
        "HANDOUTS": f"{sys.executable} {ROOT / 'generate.py'}",
    }


def records(folder: Path) -> tuple[set[str], set[str]]:
    """(records made, records rejected) of one shard, from its manifest and rejects."""
    with (folder / "mailing.manifest.csv").open(encoding="utf-8", newline="") as fh:
        made = {row["record"] for row in csv.DictReader(fh)}
    with (folder / "mailing.rejects.csv").open(encoding="utf-8", newline="") as fh:
        rejected = {row["record"] for row in csv.DictReader(fh)}
    return made, rejected


def check_shards(out: Path) -> None:
    made: list[str] = []
    rejected: list[str] = []
    pages = 0
    letter_pages: set[int] = set()
    for k in range(1, N_SHARDS + 1):
        m, r = records(out / f"shard-{k}")
        made += m
        rejected += r
        pages += len(page_sizes(out / f"shard-{k}" / "mailing.pdf"))
        with (out / f"shard-{k}" / "mailing.manifest.csv").open(encoding="utf-8", newline="") as fh:
            letter_pages |= {
                int(row["last_page"]) - int(row["first_page"]) + 1 for row in csv.DictReader(fh)
            }
        # shard K makes records K, K+N, K+2N, …
        assert all((int(x) - k) % N_SHARDS == 0 for x in m | r), (k, m, r)
    assert sorted(made, key=int) == ["1", "2", "3", "5", "6", "8", "9", "10"]
    assert rejected == ["4"]  # record 7 is blank: neither made nor rejected
    # every letter has the same pages, a whole number of sheets (each starts a sheet)
    (per_letter,) = letter_pages
    assert per_letter % 2 == 0 and pages == per_letter * 8
    summaries = sorted(str(p) for p in out.glob("shard-*/summary.txt"))
    added = subprocess.run(
        ["bash", str(EXAMPLES / "add-up-shards.sh"), *summaries],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert added.stdout == "3 shards, 10 records: 8 made, 1 rejected, 1 blank\n"


def test_gnu_parallel_example_makes_every_shard_and_adds_them_up(tmp_path: Path) -> None:
    if shutil.which("parallel") is None:
        pytest.fail("GNU parallel is not installed (.ci/run installs it: apt-get install parallel)")
    csv_path = recipients(tmp_path / "patients.csv")
    out = tmp_path / "mailing"
    res = subprocess.run(
        ["bash", str(EXAMPLES / "mail-in-shards.sh"), "tpi-aftercare", str(csv_path), str(out),
         str(N_SHARDS), "--proof"],
        cwd=ROOT, env=env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    # exit 3 as batch's: one shard rejected a row; the total line comes first
    assert res.returncode == 3, res.stderr
    assert res.stdout.splitlines()[0] == "3 shards, 10 records: 8 made, 1 rejected, 1 blank"
    check_shards(out)


def test_slurm_array_script_makes_one_shard_per_task(tmp_path: Path) -> None:
    csv_path = recipients(tmp_path / "patients.csv")
    out = tmp_path / "mailing"
    for task in range(1, N_SHARDS + 1):
        task_env = {
            **env(),
            "SLURM_ARRAY_TASK_ID": str(task),
            "SLURM_ARRAY_TASK_COUNT": str(N_SHARDS),
        }
        res = subprocess.run(
            ["bash", str(EXAMPLES / "mail-array.slurm"), "tpi-aftercare", str(csv_path), str(out),
             "--proof"],
            cwd=ROOT, env=task_env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert res.returncode == 0, (task, res.stderr)  # a shard with rejects is finished
    check_shards(out)


def test_slurm_script_refuses_to_run_outside_an_array(tmp_path: Path) -> None:
    res = subprocess.run(
        ["bash", str(EXAMPLES / "mail-array.slurm"), "tpi-aftercare", "x.csv", str(tmp_path)],
        cwd=ROOT, env={k: v for k, v in env().items() if not k.startswith("SLURM_")},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert res.returncode != 0 and "sbatch --array=1-N" in res.stderr
