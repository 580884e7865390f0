"""What the shipped handouts say, read from their YAML.

The shipped content is rewritten as a clinician reviews it; a test that needs a heading, a
line of body text or a section's position reads it here instead of pinning the words.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

HANDOUTS = Path(__file__).resolve().parent.parent / "handouts"


@cache
def _load(path: Path, stamp: float) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def content(handout: str, root: Path = HANDOUTS) -> dict[str, Any]:
    """The parsed YAML of ``handout`` (an id such as ``tpi-aftercare.es``) under ``root``."""
    path = root / f"{handout}.yaml"
    return _load(path, path.stat().st_mtime)


def sections(handout: str, root: Path = HANDOUTS) -> list[dict[str, Any]]:
    return list(content(handout, root)["sections"])


def section(
    handout: str, *, style: str | None = None, needle: str | None = None, root: Path = HANDOUTS
) -> dict[str, Any]:
    """The first section with ``style``, or whose body holds ``needle``."""
    return sections(handout, root)[index(handout, style=style, needle=needle, root=root)]


def index(
    handout: str, *, style: str | None = None, needle: str | None = None, root: Path = HANDOUTS
) -> int:
    """The index of the first section with ``style`` or whose body holds ``needle``."""
    for i, s in enumerate(sections(handout, root)):
        if style is not None and s.get("style") == style:
            return i
        if needle is not None and needle in s.get("body", ""):
            return i
    raise LookupError(f"{handout}: no section with style={style!r} needle={needle!r}")


def heading(handout: str, style: str, root: Path = HANDOUTS) -> str:
    """The heading of the first section with ``style`` (keypoints, urgent, warning, …)."""
    return str(section(handout, style=style, root=root)["heading"])


def list_items(body: str) -> list[str]:
    """The list items of a Markdown body, one string each (continuation lines joined, any
    ``{icon:…}`` and ``**`` dropped)."""
    items: list[str] = []
    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith(("- ", "* ")):
            items.append(stripped[2:])
        elif stripped and items and line.startswith("  ") and not stripped[0].isdigit():
            items[-1] += " " + stripped
        elif not stripped:
            continue
    out = []
    for item in items:
        if item.startswith("{icon:"):
            item = item.split("}", 1)[1].strip()
        out.append(item.replace("**", ""))
    return out


def first_line(
    handout: str, *, style: str | None = None, needle: str | None = None, root: Path = HANDOUTS
) -> str:
    """The first non-empty line of a section's body as written in the YAML (indented as
    in the file), to edit the file with ``str.replace``."""
    body = str(section(handout, style=style, needle=needle, root=root)["body"])
    line = next(ln for ln in body.splitlines() if ln.strip())
    return "      " + line


def one_line_item(handout: str, root: Path = HANDOUTS) -> str:
    """A list item of the first plain section (no style: in the sheet's main column, on page
    1) written on one line of the YAML, as in the file (indented), to append text to it."""
    for s in sections(handout, root):
        if s.get("style"):
            continue
        lines = str(s.get("body", "")).splitlines()
        for line, after in zip(lines, [*lines[1:], ""], strict=True):
            if line.startswith("- ") and (after.startswith("- ") or not after.strip()):
                return "      " + line
    raise LookupError(f"{handout}: no one-line list item in a plain section")


def tool_line(handout: str, kind: str, root: Path = HANDOUTS) -> str:
    """The first line of the body of the section holding a ``kind`` tool (``appointment``,
    ``pain-log``, …), as written in the YAML without its indent."""
    section = next(s for s in sections(handout, root) if (s.get("tool") or {}).get("kind") == kind)
    return str(section["body"]).splitlines()[0]


def plain_items(handout: str, style: str = "keypoints", root: Path = HANDOUTS) -> list[str]:
    """The list items of the first ``style`` section written on one line of the YAML with no
    markup (no bold, no icon), as in the file (indented), to edit them."""
    body = str(section(handout, style=style, root=root)["body"])
    lines = body.splitlines()
    return [
        "      " + line
        for line, after in zip(lines, [*lines[1:], ""], strict=True)
        if line.startswith("- ")
        and (after.startswith("- ") or not after.strip())
        and not any(mark in line for mark in ("**", "{icon:", "[", "*"))
    ]
