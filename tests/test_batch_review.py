"""A mailing never goes out with content past its review date, not even as a proof."""

from __future__ import annotations

from pathlib import Path

from . import shipped
from .conftest import ROOT, assert_clean_error, run_cli


def test_batch_refuses_expired_handout(tmp_path: Path) -> None:
    text = (ROOT / "handouts" / "tpi-aftercare.yaml").read_text()
    current = f"next_review: {shipped.content('tpi-aftercare')['review']['next_review']}"
    assert text.count(current) == 1
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if current in ln)
    handout = tmp_path / "old-aftercare.yaml"
    handout.write_text(text.replace(current, "next_review: 2025-01-01"))
    csv = tmp_path / "r.csv"
    csv.write_text(
        "first_name,last_name,address1,city,state,zip\nAna,Ruiz,1 Main St,Escondido,CA,92025\n"
    )
    merged = tmp_path / "out" / "m.pdf"
    res = run_cli(
        "batch", str(handout), "--recipients", str(csv), "--merged", str(merged), "--proof"
    )
    lines = assert_clean_error(res, 1)
    assert lines[-1].startswith(
        f"{handout}:{line}:16: review.next_review: review was due on 2025-01-01"
    )
    assert "Ana" not in res.stderr and "Ruiz" not in res.stderr
    assert not merged.exists()
    # the same handout with a current review date is made (as a proof)
    handout.write_text(text)
    res = run_cli(
        "batch", str(handout), "--recipients", str(csv), "--merged", str(merged), "--proof"
    )
    assert res.returncode == 0, res.stderr
    assert merged.is_file()
