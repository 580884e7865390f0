"""A heading may print a patient's name (``{{ patient.name }}``). A message about that section
(it overflows, it is too tall, it continues across a fold, a page before it is left empty)
names it by its source, each template part shown as "…", never as printed for the patient:
errors and warnings are read at a desk and end up in logs."""

from __future__ import annotations

from pathlib import Path

from .conftest import run_cli

NAME = "Zebedee"
LINE = "      A trigger point is a tight, tender knot in a muscle that hurts when you press it.\n"


def _handout(project: Path, layout: str, lines: int) -> str:
    """trigger-point-injections' cover and fields, a section whose heading prints the
    patient's name with ``lines`` paragraphs of text, and one short section after it."""
    source = (project / "handouts" / "trigger-point-injections.yaml").read_text("utf-8")
    head = source.split("sections:\n")[0].replace(
        "layouts: [trifold, sheet]", f"layouts: [{layout}]"
    )
    body = (
        "sections:\n"
        "  - heading: Other choices\n    panel: flap\n    body: |\n"
        "      Heat, stretching and massage can help.\n\n"
        '  - heading: "Notes for {{ patient.name }}"\n    body: |\n'
        + "\n".join([LINE] * lines)
        + "\n  - heading: Is it right for me?\n    body: |\n"
        + "      It may help muscle pain in the neck.\n"
    )
    name = f"named{layout}{lines}"
    (project / "handouts" / f"{name}.yaml").write_text(head + body, "utf-8")
    return name


def _build(project: Path, layout: str, lines: int) -> tuple[str, int, str]:
    """Build the handout with the patient's name set: (its id, exit code, stderr)."""
    name = _handout(project, layout, lines)
    out = project / f"{name}.pdf"
    res = run_cli(
        "build",
        name,
        "--layout",
        layout,
        "--set",
        f"patient.name={NAME}",
        "-o",
        str(out),
        cwd=project,
    )
    return name, res.returncode, res.stderr


def test_a_section_that_overflows_is_named_without_the_patient(project: Path) -> None:
    _, code, err = _build(project, "sheet", 80)
    assert code != 0
    assert "'Notes for …' overflows page 2 by" in err, err
    assert NAME not in err


def test_a_section_across_a_fold_is_named_without_the_patient(project: Path) -> None:
    _, code, err = _build(project, "trifold", 14)
    assert code == 0, err
    assert "'Notes for …' continues across a fold" in err, err
    assert NAME not in err


def test_a_heading_without_a_template_is_named_as_printed(project: Path) -> None:
    name, code, _ = _build(project, "sheet", 80)
    assert code != 0
    source = project / "handouts" / f"{name}.yaml"
    source.write_text(source.read_text("utf-8").replace("{{ patient.name }}", "you"), "utf-8")
    res = run_cli("build", name, "--layout", "sheet", "-o", str(project / "x.pdf"), cwd=project)
    assert res.returncode != 0
    assert "'Notes for you' overflows page 2 by" in res.stderr, res.stderr
