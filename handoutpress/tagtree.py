"""The structure tree of a tagged PDF, as a layout builds it in reading order: a
:class:`Node` per structure element, the marked content and link annotations it holds, and
:func:`tag` to give a flowable the element its drawing is (see :mod:`handoutpress.tagging`)."""

from __future__ import annotations

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
