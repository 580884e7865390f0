"""What a merged mailing (``batch --merged``, one process) loads at start-up and keeps to the
end of a chunk (issue 15.3: its fixed cost beside ReportLab's form-reuse peer). Speed itself
is measured in bench/run_bench.py."""

from __future__ import annotations

import subprocess
import sys

from .conftest import EPOCH, ROOT

_MERGED = """
import gc, sys
from handoutpress.cli import main
from handoutpress.batch import worker
collected = []
real_collect = gc.collect
def collect(*args):
    collected.append(real_collect(*args))
    return collected[-1]
worker.gc = type(sys)("gc")
worker.gc.__dict__.update({{n: getattr(gc, n) for n in dir(gc) if not n.startswith("__")}})
worker.gc.collect = collect
sys.argv = ["generate.py", *{args!r}]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
# (ctypes is not among them: batch.heap loads it from a run's second chunk on, not at start)
never = ("reportlab.graphics", "lxml", "svglib", "handoutpress.svgclean", "multiprocessing",
         "handoutpress.batch.filetemplate", "handoutpress.batch.outfiles",
         "handoutpress.batch.template_pdf")
print(sorted(m for m in sys.modules if m.startswith(never)))
image = sys.modules.get("PIL.Image")
print(image is None or "__getattr__" in vars(image))  # PIL.Image's code never run
print(collected[1:])
"""


def _run(code: str) -> list[str]:
    res = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            "PYTHONPATH": str(ROOT),
            "SOURCE_DATE_EPOCH": EPOCH,
            "PATH": "/usr/bin:/bin",
            "HANDOUTS_BATCH_CHUNK": "20",
        },
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    return res.stdout.splitlines()


def test_a_merged_mailing_loads_no_picture_pool_or_out_dir_module(tmp_path) -> None:
    """The benchmark's letter (no logo, no picture, no code) as one process: no drawing
    renderer, SVG cleaner or lxml, no Pillow image code, no process pool, and none of
    ``--out-dir``'s modules; and each chunk's part is let go when written, so the
    collection before the next chunk finds nothing of it left (it freed thousands of
    objects a chunk, walked to free them)."""
    csv = tmp_path / "r.csv"
    streets = ("Oak St", "Elm Ave", "Pine Rd", "Ash Ct", "Fir Ln")
    rows = [f"Ana{i},Ruiz,{i + 1} {streets[i % 5]},Springfield,IL,62701" for i in range(45)]
    csv.write_text(
        "first_name,last_name,street,city,state,zip\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    args = [
        "batch", str(ROOT / "bench" / "peer-letter.yaml"), "--recipients", str(csv),
        "--brand", str(ROOT / "bench" / "riverside.yaml"), "--jobs", "1",
        "--merged", str(tmp_path / "m.pdf"),
    ]  # fmt: skip
    modules, image_not_run, collected = _run(_MERGED.format(args=args))[-3:]
    assert modules == "[]"
    assert image_not_run == "True"
    # chunks 2 and 3 begin with a collection (the first chunk's follows the start-up's):
    # what a part leaves in cycles is its canvas and document, not its pages and streams
    freed = eval(collected)  # noqa: S307 - a list of ints this test printed
    assert len(freed) == 2
    assert all(n < 100 for n in freed), freed  # (without: 324 for 20 letters)
    assert (tmp_path / "m.pdf").stat().st_size > 0


def test_pillow_image_runs_when_first_used() -> None:
    """``PIL.Image`` made a module run on first use (handoutpress.startup) works as the real
    one once used: ReportLab's image reader opens a PNG with it."""
    code = """
import io, sys
import handoutpress
from PIL import Image
print("__getattr__" in vars(Image))
from reportlab.lib.utils import ImageReader
buf = io.BytesIO()
Image.new("RGB", (3, 2), "red").save(buf, "PNG")
print(ImageReader(io.BytesIO(buf.getvalue())).getSize(), sys.modules["PIL.Image"] is Image)
print("__getattr__" in vars(Image), Image.Image.__module__)
"""
    assert _run(code) == ["True", "(3, 2) True", "False PIL.Image"]


def test_the_printable_check_agrees_with_pyyamls_class() -> None:
    """loading._printable (a set of the text's characters) says what its pattern (PyYAML's
    class of printable characters, compiled only for a text it refuses) finds, at every
    edge of the class."""
    import re

    from handoutpress import loading

    pattern = re.compile(loading._UNPRINTABLE.pattern)
    edges = [0, 8, 9, 10, 11, 12, 13, 14, 0x1F, 0x20, 0x7E, 0x7F, 0x84, 0x85, 0x86, 0x9F, 0xA0,
             0xD7FF, 0xD800, 0xDFFF, 0xE000, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x10FFFF]  # fmt: skip
    for code in [*edges, *range(0, 0x300)]:
        ch = chr(code)
        for text in (ch, f"ab {ch} cd", f"é{ch}"):
            assert loading._printable(text) == (pattern.search(text) is None), hex(code)


def test_the_row_checks_addressee_is_the_classes_own() -> None:
    """rowcheck._addressee (fields set in the instance's dict) makes what Addressee(...)
    makes: equal, the same hash, the same fields in the same order, still frozen."""
    import dataclasses

    import pytest

    from handoutpress.addressing import Addressee
    from handoutpress.batch import rowcheck

    assert rowcheck._FAST_ADDRESSEE  # (Addressee's fields are the ones it sets)
    for street, fields in ((("1 A St",), ("address1",)), (("1 A St", "Apt 2"), ("a1", "a2"))):
        made = rowcheck._addressee("Ana Ruiz", street, "Salem, OR 97301", "Ana", fields)
        own = Addressee("Ana Ruiz", street, "Salem, OR 97301", "Ana", None, fields)
        assert made == own and hash(made) == hash(own)
        assert list(vars(made).items()) == list(vars(own).items())
        assert dataclasses.asdict(made) == dataclasses.asdict(own)
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.name = "x"  # type: ignore[misc]
