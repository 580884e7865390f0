"""A paragraph's own elements in a tagged PDF: links and words in another language, each
with its own marked content inside the paragraph's text object.

ReportLab draws a paragraph as one text object. Where a link (or a span in another
language, :data:`SPAN_LINK`) starts and ends on a line, its paragraph reports it
(``_linkRecord``, which :class:`~handoutpress.tagging.SpacedTextObject` implements) and a
mark goes into the text object; :meth:`InlineMarks._inline_code` turns the marks into marked
content: the paragraph's own words, the link's, the span's, one after another and never one
inside another (readers disagree on nested sequences), all inside the text object (a
sequence never crosses ``BT``/``ET``). The elements follow in reading order: ``P`` → ``Span``
(its words) / ``Link`` (its words, then its annotation as an OBJR) / ``Span`` with ``/Lang``.
Words beside an element are a ``Span`` each, so that every reader (compare_readers.py's
reading of poppler's tree among them) gives each text to its own element.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, Paragraph

from .tagtree import LinkAnnot, Node

#: where a paragraph's own element starts (``s``) or ends (``e``) in a text object
_MARK = re.compile("\x00([se])(\\d+)\x00")

#: A span in another language (``[texto]{lang=es}``) travels through ReportLab as a link to
#: this pseudo-address followed by the language tag: its words then carry it through line
#: breaking, and the paragraph reports where it starts and ends on each line, as it does for
#: a link. No annotation is ever made for it (:func:`_no_span_annotations`).
SPAN_LINK = "hp-lang:"


def _no_span_annotations() -> None:
    """ReportLab's paragraph makes no link annotation for a span (on any canvas)."""
    from reportlab.platypus import paragraph

    do_link = paragraph._doLink
    if getattr(do_link, "hp_spans", False):
        return

    def do_link_not_spans(
        tx: PDFTextObject, link: str, rect: tuple[float, float, float, float]
    ) -> None:
        if link and link.startswith(SPAN_LINK):
            return
        do_link(tx, link, rect)

    do_link_not_spans.hp_spans = True  # type: ignore[attr-defined]
    paragraph._doLink = do_link_not_spans


_no_span_annotations()


def inline_key(flowable: Flowable) -> tuple[tuple[int, str] | None] | None:
    """For a laid-out paragraph with links or spans: ``(key,)``, ReportLab's key of the one
    that is all of its text (a one-style paragraph), else ``(None,)``; None otherwise."""
    lines = getattr(flowable, "blPara", None) if isinstance(flowable, Paragraph) else None
    if lines is None:
        return None
    if lines.kind == 0:  # one style throughout: its link, if any, is the whole paragraph
        links = getattr(lines, "link", None)
        if not links:
            return None
        return (links[0],) if len(links) == 1 else (None,)
    for line in lines.lines:
        if any(getattr(word, "link", None) for word in getattr(line, "words", ())):
            return (None,)
    return None


class InlineMarks:
    """The part of :class:`~handoutpress.tagging.TaggedCanvas` that tags a paragraph's own
    elements (a mixin: it uses the canvas's MCIDs and pages)."""

    def _bdc(self, node: Node) -> str:
        """The operator opening ``node``'s next marked content (the canvas's)."""
        raise NotImplementedError

    def _init_inline(self) -> None:
        # a paragraph drawn with elements of its own inside (links, spans in a language):
        self._inline: Node | None = None  # its element (P, LBody, H2…)
        self._inline_label: Node | None = None  # its bullet's Lbl, for the first text object
        self._inline_whole: Node | None = None  # the Link or Span that is all of its text
        #: element -> the Span holding its own words since its last link or span: words
        #: beside an element are a Span each (compare_readers.py's poppler reading gives
        #: words after a kid to the kid)
        self._inline_runs: dict[int, Node] = {}
        self._inline_nodes: dict[tuple[int, str], Node] = {}  # ReportLab's link key -> element
        self._inline_marks: list[Node] = []  # mark number -> element
        self._inline_links: list[tuple[str, Node]] = []  # links started, awaiting annotations
        self._inline_annots: list[tuple[Node, LinkAnnot]] = []  # OBJRs, after the link's text
        self._attached: set[int] = set()

    @contextmanager
    def _inline_paragraph(
        self, node: Node, label: Node | None, inline: tuple[tuple[int, str] | None]
    ) -> Iterator[None]:
        """Drawing inside is the paragraph ``node`` with elements of its own (``label``: its
        bullet's ``Lbl``; ``inline``: see :func:`inline_key`)."""
        self._inline, self._inline_label = node, label
        (whole,) = inline
        self._inline_whole = self._inline_node(whole) if whole is not None else None
        try:
            yield
        finally:
            self._flush_annots()
            self._inline = self._inline_label = self._inline_whole = None
            self._inline_runs.clear()
            self._inline_nodes.clear()
            self._inline_marks.clear()
            self._inline_links.clear()

    def _inline_annotation(self, target: str, annot: LinkAnnot) -> Node:
        """The Link element of a link annotation made while an inline paragraph draws; its
        OBJR goes in after the link's words."""
        link = self._annotated_link(target)
        self._inline_annots.append((link, annot))
        return link

    def _inline_node(self, key: tuple[int, str]) -> Node:
        node = self._inline_nodes.get(key)
        if node is None:
            href = key[1]
            if href.startswith(SPAN_LINK):
                node = Node("Span", self._inline, lang=href[len(SPAN_LINK) :])
            else:
                node = Node("Link", self._inline)
            self._inline_nodes[key] = node
        return node

    def _inline_mark(self, key: tuple[int, str], what: str) -> str | None:
        """The mark for where ReportLab's link ``key`` starts or ends (None: not inline)."""
        if self._inline is None:
            return None
        node = self._inline_node(key)
        if what == "start" and node.role == "Link":
            self._inline_links.append((key[1], node))
        self._inline_marks.append(node)
        return f"\x00{what[0]}{len(self._inline_marks) - 1}\x00"

    def _annotated_link(self, target: str) -> Node:
        """The Link element of an annotation: the first link started on the line with its
        address (ReportLab annotates a line's links in the order they start), else the link
        that is the whole paragraph, else a new one."""
        for i, (href, node) in enumerate(self._inline_links):
            if href == target or not target:
                del self._inline_links[i]
                return node
        whole = self._inline_whole
        if whole is not None and whole.role == "Link":
            return whole
        assert self._inline is not None
        return self._inline.add("Link")

    def _attach(self, node: Node, parent: Node) -> None:
        if id(node) not in self._attached:
            self._attached.add(id(node))
            node.parent = parent
            parent.kids.append(node)

    def _mc(self, node: Node) -> str:
        return f" {self._bdc(node)} "

    def _inline_code(self, code: str) -> str:
        """A text object of an inline paragraph with its marked content inside it: the
        paragraph's, closed where a link or span starts and reopened (a new MCID) where it
        ends, never one sequence inside another (readers disagree on nested ones)."""
        para = self._inline
        assert para is not None
        start, end = code.index("BT") + 2, code.rindex("ET")
        if self._inline_label is not None:  # the bullet, drawn first as its own text object
            label, self._inline_label = self._inline_label, None
            return code[:start] + self._mc(label) + code[start:end] + " EMC " + code[end:]
        stack = [para]
        if self._inline_whole is not None:
            self._attach(self._inline_whole, para)
            stack.append(self._inline_whole)
        pieces = _MARK.split(code[start:end])
        # the elements that get an element inside them here: their own words go in spans
        holders = {id(para)}
        nested = list(stack)
        for i in range(1, len(pieces), 3):
            node = self._inline_marks[int(pieces[i + 1])]
            if pieces[i] == "s":
                holders.add(id(nested[-1]))
                nested.append(node)
            elif node in nested[1:]:
                del nested[len(nested) - 1 - nested[::-1].index(node)]
        out = [code[:start]]
        shown: Node | None = None

        def show(segment: str) -> None:
            nonlocal shown
            if "Tj" in segment or "TJ" in segment:
                target = stack[-1]
                if id(target) in holders:  # words beside an element: a Span of them
                    run = self._inline_runs.get(id(target))
                    if run is None:
                        run = self._inline_runs[id(target)] = Node("Span", target)
                        self._attach(run, target)
                    target = run
                if target is not shown:
                    if shown is not None:
                        out.append(" EMC ")
                    shown = target
                    out.append(self._mc(shown))
            out.append(segment)

        show(pieces[0])
        for i in range(1, len(pieces), 3):
            node = self._inline_marks[int(pieces[i + 1])]
            if pieces[i] == "s":
                self._inline_runs.pop(id(stack[-1]), None)  # words after it: a new span
                self._attach(node, stack[-1])
                stack.append(node)
            elif node in stack[1:]:
                del stack[len(stack) - 1 - stack[::-1].index(node)]
            show(pieces[i + 2])
        if shown is not None:
            out.append(" EMC ")
        out.append(code[end:])
        self._flush_annots()
        return "".join(out)

    def _flush_annots(self) -> None:
        for link, annot in self._inline_annots:
            link.kids.append(annot)
        self._inline_annots.clear()
