"""Where the text of a handout breaks between columns, read back from its PDF (pdfplumber)
against the paragraphs the handout says (the composed Markdown): the flowing columns in
reading order, each a list of text lines; which paragraph a line break across columns
splits, and how many of its lines stay on each side; which headings end a column.

Used by ``tests/test_breaks.py``. The flowing columns: large print's page column, the
sheet's text column (not its side strip, whose boxes are drawn whole: a row's text left of
its first wide gap), the tri-fold's flap
and three inside panels (not the back panel or the cover, which do not flow)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber

from handoutpress.build import plan
from handoutpress.compose import Composed
from handoutpress.markdown import Block, ListBlock, Para, paragraphs, plain_text
from handoutpress.project import Project

from .pdfcheck import text_boxes

#: a word left of the text of a list item's first line: its bullet or its number
_LABEL = re.compile(r"^(?:\u2022|\d+\.)")


def squash(text: str) -> str:
    """``text`` without any space (no-break spaces too): lines joined compare as their
    paragraph does, however the paragraph was broken into lines."""
    return re.sub(r"\s+", "", text.replace("\u00a0", " "))


@dataclass
class Line:
    page: int
    column: int
    top: float
    size: float
    text: str

    @property
    def words(self) -> str:
        """The line's text without its list label, squashed."""
        return squash(_LABEL.sub("", self.text.strip(), count=1))


@dataclass
class Flow:
    """A handout laid out in one layout: its PDF, its flowing columns and its paragraphs."""

    layout: str
    pdf: bytes
    columns: list[list[Line]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    body_size: float = 0.0
    #: each list's last item (its first paragraph, squashed), for a list of two or more
    last_items: list[str] = field(default_factory=list)
    #: each paragraph that leads into a list (ends in a colon, right before it), squashed
    lead_ins: list[str] = field(default_factory=list)
    #: what the render warned of (as ``build`` prints it after "warning: ")
    warnings: list[str] = field(default_factory=list)

    def is_heading(self, line: Line) -> bool:
        return line.size > self.body_size + 1


def lay_out(handout: str | Path, layout: str, large_print: bool = False) -> Flow:
    """Build ``handout`` (an id or a path) in ``layout`` in this process, as ``build``
    does; its flowing columns and its paragraphs."""
    project = Project()
    the_plan = plan(
        project, [str(handout)], layout=None if large_print else layout, large_print=large_print
    )
    (job,) = the_plan.jobs
    composed, result = the_plan.render(job, {})
    flow = Flow(job.layout.name, result.pdf, warnings=list(result.warnings))
    flow.paragraphs = _paragraphs(composed)
    for section in composed.sections:
        _list_ends(section.blocks, flow)
    flow.columns, flow.body_size = _columns(result.pdf, job.layout.name, job.layout.kind)
    return flow


def _paragraphs(composed: Composed) -> list[str]:
    out = []
    for section in composed.sections:
        for para in paragraphs(section.blocks):
            text = squash(plain_text(para.spans))
            if text:
                out.append(text)
    return out


def _list_ends(blocks: tuple[Block, ...], flow: Flow) -> None:
    """Note each list's last item and lead-in in ``blocks`` (lists in list items too)."""
    prev: Block | None = None
    for block in blocks:
        if isinstance(block, ListBlock):
            last = block.items[-1] if block.items else ()
            if len(block.items) > 1 and last and isinstance(last[0], Para):
                flow.last_items.append(squash(plain_text(last[0].spans)))
            if isinstance(prev, Para) and plain_text(prev.spans).rstrip().endswith(":"):
                flow.lead_ins.append(squash(plain_text(prev.spans)))
            for item in block.items:
                _list_ends(item, flow)
        prev = block


def _columns(pdf: bytes, layout: str, kind: str) -> tuple[list[list[Line]], float]:
    """The flowing columns' lines in reading order, and the body size (the commonest)."""
    from collections import Counter

    sizes: Counter[float] = Counter()
    found: dict[tuple[int, int], dict[int, list[dict]]] = {}  # type: ignore[type-arg]
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            n = page.page_number
            boxes = _flowing_boxes(layout, kind, n, page.width)
            for c in page.chars:
                if not c["text"].strip() or _is_white(c.get("non_stroking_color")):
                    continue
                middle = (c["x0"] + c["x1"]) / 2
                column = next((i for i, (x, w) in boxes if x - 2 <= middle <= x + w + 2), None)
                if column is None:
                    continue
                found.setdefault((n, column), {}).setdefault(round(c["top"]), []).append(c)
                sizes[round(c["size"], 1)] += 1
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    columns = []
    for (n, column), rows in sorted(found.items()):
        lines = []
        for top in sorted(rows):
            chars = sorted(rows[top], key=lambda c: c["x0"])
            if kind == "sheet":
                chars = _text_column(chars)
            size = max(c["size"] for c in chars)
            if size < body - 0.5:  # footers, marks, labels, "Continued in the next panel"
                continue
            text = ""
            for prev, c in zip([None, *chars], chars, strict=False):
                if prev is not None and c["x0"] - prev["x1"] > 1.5:
                    text += " "
                text += c["text"]
            lines.append(Line(n, column, float(top), size, text))
        if lines:
            columns.append(lines)
    return columns, body


def _is_white(colour: object) -> bool:
    if isinstance(colour, (tuple, list)):
        return len(colour) in (1, 3) and all(v > 0.97 for v in colour)
    return False


def _flowing_boxes(
    layout: str, kind: str, page: int, width: float
) -> list[tuple[int, tuple[float, float]]]:
    """(column number, (x, width)) of the columns text flows through on ``page``."""
    boxes = text_boxes(layout, page)
    if kind == "trifold":
        if page == 1:
            return [(0, boxes[0])]  # the flap (the back panel and the cover do not flow)
        return [(i, box) for i, box in enumerate(boxes)]
    return [(0, boxes[0])]


#: a gap this wide inside a row of a sheet parts the text column from its side strip
STRIP_GAP = 12.0


def _text_column(chars: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    """A sheet row's characters left of its first wide gap (the side strip beside the text
    column starts after one; a row of the text column alone has none)."""
    kept: list[dict] = []  # type: ignore[type-arg]
    for c in sorted(chars, key=lambda c: c["x0"]):
        if kept and c["x0"] - kept[-1]["x1"] > STRIP_GAP:
            break
        kept.append(c)
    return kept


@dataclass(frozen=True)
class Split:
    """A paragraph broken between two columns: its lines before and after the break."""

    paragraph: str
    before: int
    after: int
    where: str


def splits(flow: Flow) -> list[Split]:
    """Every paragraph the flow breaks between one column and the next."""
    out = []
    for prev, nxt in zip(flow.columns, flow.columns[1:], strict=False):
        body_prev = [ln for ln in prev if not flow.is_heading(ln)]
        body_next = [ln for ln in nxt if not flow.is_heading(ln)]
        if not body_prev or not body_next or flow.is_heading(prev[-1]):
            continue
        if flow.is_heading(nxt[0]) and not _opens_continued(flow, nxt):
            continue  # the next column starts a section: nothing runs over
        last, first = body_prev[-1], body_next[0]
        joined = last.words + first.words
        for para in flow.paragraphs:
            at = para.find(joined)
            if at < 0 or not last.words:
                continue
            before = _count_back(body_prev, para)
            after = _count_on(body_next, para)
            where = f"page {last.page} column {last.column} → page {first.page}"
            out.append(Split(para, before, after, where))
            break
    return out


def _continued(line: Line) -> bool:
    return "continued" in line.text or "continuación" in line.text


def _opens_continued(flow: Flow, column: list[Line]) -> bool:
    """``column`` opens with a section's heading marked continued: on its first line, or on
    a later one of the heading when it wraps ("Part 0 of the plan" / "(continued)")."""
    for line in column:
        if not flow.is_heading(line):
            return False
        if _continued(line):
            return True
    return False


def _count_back(lines: list[Line], para: str) -> int:
    """How many of ``lines``' last lines are ``para``'s (up to its start)."""
    tail = ""
    count = 0
    for line in reversed(lines):
        candidate = line.words + tail
        if candidate not in para:
            break
        tail, count = candidate, count + 1
        if para.startswith(tail):
            break
    return count


def _count_on(lines: list[Line], para: str) -> int:
    """How many of ``lines``' first lines are ``para``'s (up to its end)."""
    head = ""
    count = 0
    for line in lines:
        candidate = head + line.words
        if candidate not in para:
            break
        head, count = candidate, count + 1
        if para.endswith(head):
            break
    return count


def stranded_headings(flow: Flow) -> list[str]:
    """Headings with fewer than two lines under them at the foot of a column, whose
    section goes on in the next column (a section of one line may end a column), or goes
    on under its heading marked continued in the same column."""
    out = []
    for i, column in enumerate(flow.columns):
        following = flow.columns[i + 1] if i + 1 < len(flow.columns) else []
        for j, line in enumerate(column):
            if not flow.is_heading(line):
                continue
            under = column[j + 1 :]
            here = _goes_on_here(flow, under)
            if any(flow.is_heading(u) for u in under) and not here:
                continue  # another heading follows in this column: this section ended here
            if not here and (len(under) >= 2 or not following):
                continue
            if here or not flow.is_heading(following[0]) or _opens_continued(flow, following):
                out.append(f"'{line.text}' on page {line.page} column {line.column}")
    return out


def _goes_on_here(flow: Flow, under: list[Line]) -> bool:
    """``under``, the lines under a heading's last line, are one line of its text, then the
    heading again marked continued: the section broke there ("Continued in the next panel")
    and went on in the same column (a tri-fold's section split at a panel's top, its second
    part split again where it was put)."""
    k = next((i for i, u in enumerate(under) if flow.is_heading(u)), None)
    return k == 1 and _opens_continued(flow, under[k:])


def lone_list_items(flow: Flow) -> list[str]:
    """A list's last item alone at the top of a column (the items before it end the column
    before), and a lead-in ("Risks are not common:") ending a column whose list starts the
    next."""
    out = []
    for prev, nxt in zip(flow.columns, flow.columns[1:], strict=False):
        body = [ln for ln in nxt if not flow.is_heading(ln)]
        if not prev or not body or (flow.is_heading(nxt[0]) and not _opens_continued(flow, nxt)):
            continue  # the next column starts a section
        first, last = body[0], prev[-1]
        if not _LABEL.match(first.text.strip()) or not first.words:
            continue  # the column does not start with a list item
        if any(item.startswith(first.words) for item in flow.last_items):
            out.append(f"last item {first.text!r} alone atop page {first.page} col {first.column}")
        if last.words and any(lead.endswith(last.words) for lead in flow.lead_ins):
            out.append(f"lead-in {last.text!r} ends page {last.page} col {last.column}")
    return out


def lists_at_breaks(flow: Flow) -> list[str]:
    """Each column that opens with a list item or a list's lead-in (under its section's
    continued heading, in a tri-fold): a break fell inside a list, or right before it
    (where :func:`lone_list_items` looks; a test of it that found none measured nothing)."""
    out = []
    for column in flow.columns[1:]:
        body = [ln for ln in column if not flow.is_heading(ln)]
        if not body or (flow.is_heading(column[0]) and not _opens_continued(flow, column)):
            continue  # the column starts a section
        first = body[0]
        lead_in = any(lead.startswith(first.words) for lead in flow.lead_ins if first.words)
        if _LABEL.match(first.text.strip()) or lead_in:
            out.append(f"{first.text!r} atop page {first.page} col {first.column}")
    return out
