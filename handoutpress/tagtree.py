"""The structure tree of a tagged PDF, as a layout builds it in reading order: a
:class:`Node` per structure element, the marked content and link annotations it holds, and
:func:`tag` to give a flowable the element its drawing is (see :mod:`handoutpress.tagging`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFObjectReference
from reportlab.platypus import Flowable

#: Structure types used here (ISO 32000-1 standard types, so no RoleMap is needed).
ROLES = frozenset(
    {"Document", "Sect", "Div", "H1", "H2", "H3", "P", "L", "LI", "Lbl", "LBody"}
    | {"Figure", "Table", "TR", "TH", "TD", "Link", "Span"}
)


@dataclass(eq=False)
class Node:
    """One structure element. ``kids`` in reading order: elements, marked content, links."""

    role: str
    parent: Node | None = None
    alt: str | None = None
    lang: str | None = None
    kids: list[Node | Marked | LinkAnnot] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"not a structure type used here: {self.role}")

    def add(self, role: str, alt: str | None = None, lang: str | None = None) -> Node:
        """A new last child (reading order is the order of these calls)."""
        node = Node(role, self, alt, lang)
        self.kids.append(node)
        return node

    def has_content(self) -> bool:
        return any(not isinstance(k, Node) or k.has_content() for k in self.kids)


@dataclass(frozen=True)
class Marked:
    """A marked-content sequence: page index (0-based) and its MCID on that page."""

    page: int
    mcid: int


@dataclass(eq=False)
class LinkAnnot:
    """A link annotation drawn inside an element's content (an OBJR kid of a ``Link``)."""

    page: int
    annotation: PDFDictionary
    ref: PDFObjectReference


class StructTree:
    """The document's structure tree: a ``Document`` root, filled in reading order."""

    def __init__(self, lang: str, title: str) -> None:
        self.lang = lang
        self.title = title
        self.root = Node("Document")


def split_by_page(node: Node, owners: list[list[Node]]) -> None:
    """An element whose own marked content runs onto another page (a paragraph continued
    on the next page) keeps its first page's; each run of it on a later page becomes a
    ``Span`` of the element, read in the same place (``owners``: each page's elements by
    MCID, updated). An element's direct content then lies on one page, its ``/Pg``, as
    readers that take an element's MCIDs to be on its ``/Pg`` read it (pdfminer; PDF
    allows an ``MCR`` per page, but a ``Span`` means the same to a screen reader)."""
    first = next((k.page for k in node.kids if isinstance(k, (Marked, LinkAnnot))), None)
    kids: list[Node | Marked | LinkAnnot] = []
    span: Node | None = None  # the Span the last kid went into (a run on a later page)
    for kid in node.kids:
        if isinstance(kid, Node):
            split_by_page(kid, owners)
        if isinstance(kid, Marked) and kid.page != first:
            last = span.kids[-1] if span is not None else None
            if span is None or not isinstance(last, Marked) or last.page != kid.page:
                span = Node("Span", node)
                kids.append(span)
            span.kids.append(kid)
            owners[kid.page][kid.mcid] = span
            continue
        span = None
        kids.append(kid)
    node.kids = kids


def apart_at_page_breaks(root: Node, owners: list[list[Node]]) -> None:
    """Where the first element read on a page has the same role path as the last one read
    on the page before (two sibling paragraphs either side of a page break), its content
    goes in ``Span`` s of it, which a screen reader reads just the same.

    Why: ``compare_readers.py`` (``../shared/tools/pdfcheck``) joins consecutive elements
    of one role path on different pages into one, as for one element continued on the next
    page; after :func:`split_by_page` no element is (a continuation is a ``Span``), so such
    a join would only ever join two elements. Call after :func:`split_by_page`."""
    last: tuple[tuple[str, ...], int, Node] | None = None  # (role path, page, element)
    for node, path in _elements(root, ()):
        pages = [k.page for k in node.kids if isinstance(k, Marked)]
        if not pages:
            continue
        page = pages[0]
        if last is not None and last[0] == path and last[1] != page and last[2] is not node:
            _content_in_spans(node, owners)
            path = (*path, "Span")
        last = (path, page, node)


def _elements(node: Node, path: tuple[str, ...]) -> Iterator[tuple[Node, tuple[str, ...]]]:
    """Every element under ``node`` (itself first) with its role path, in tree order."""
    here = (*path, node.role)
    yield node, here
    for kid in node.kids:
        if isinstance(kid, Node):
            yield from _elements(kid, here)


def _content_in_spans(node: Node, owners: list[list[Node]]) -> None:
    """Each run of ``node``'s own marked content in a ``Span`` of its own, in place."""
    kids: list[Node | Marked | LinkAnnot] = []
    span: Node | None = None
    for kid in node.kids:
        if not isinstance(kid, Marked):
            span = None
            kids.append(kid)
            continue
        if span is None:
            span = Node("Span", node)
            kids.append(span)
        span.kids.append(kid)
        owners[kid.page][kid.mcid] = span
    node.kids = kids


def tag(flowable: Flowable, node: Node, label: Node | None = None) -> Flowable:
    """Mark ``flowable``'s drawing as ``node``'s content; ``label``: a list item's ``Lbl``
    (the bullet ReportLab draws first, as its own text object)."""
    flowable.hp_tag = node
    flowable.hp_label = label
    return flowable


def tag_artifact(flowable: Flowable) -> Flowable:
    """Draw ``flowable`` as an artifact (a title repeated on later pages, say)."""
    flowable.hp_tag = ARTIFACT
    return flowable


#: A flowable's node meaning "decoration, not content".
ARTIFACT = Node("Div")
