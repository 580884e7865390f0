"""A tagged PDF's structure objects, written at save: the StructTreeRoot, an element
dictionary per :class:`~handoutpress.tagtree.Node` with content, the ParentTree (one array
per page, one key per link annotation), ``/MarkInfo``, ``/Lang`` and the XMP packet, as
ordinary ReportLab objects so the file stays deterministic."""

from __future__ import annotations

from typing import TypeAlias

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFStream,
    PDFString,
)

from .metadata import xmp
from .tagtree import LinkAnnot, Marked, Node, StructTree

#: a structure element's kid: an MCID on the element's page, another element, or a reference on
#: another page: ("MCR", page, MCID) to marked content, ("OBJR", page, annotation) to an object
Kid: TypeAlias = (
    "int | PDFObjectReference | tuple[str, PDFObjectReference, int | PDFObjectReference]"
)


class _Elem(PDFObject):
    """A structure element's dictionary, formatted directly: a file has hundreds, and
    ReportLab's PDFDictionary / PDFName machinery would cost more than drawing the page."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self.parent: PDFObjectReference | None = None
        self.page: PDFObjectReference | None = None
        #: ints (MCIDs on ``page``), references (elements) or ("MCR"/"OBJR", ref, ref | int)
        self.kids: list[Kid] = []

    def format(self, document: PDFDocument) -> bytes:
        ids = document.idToObjectNumberAndVersion

        def ref(r: PDFObjectReference) -> str:
            return "{} {} R".format(*ids[r.name])

        node = self.node
        assert self.parent is not None
        # no /Type (optional for a structure element, ISO 32000-1 Table 323) and no spaces
        # a delimiter makes needless: these objects are most of what tagging adds to a file
        # (ReportLab writes no object streams), about 100 bytes each
        head = f"<</S/{node.role}/P {ref(self.parent)}"
        if self.page is not None:
            head += f"/Pg {ref(self.page)}"
        kids = []
        for k in self.kids:
            if isinstance(k, int):
                kids.append(str(k))
            elif isinstance(k, PDFObjectReference):
                kids.append(ref(k))
            elif k[0] == "MCR":
                kids.append(f"<</Type/MCR/Pg {ref(k[1])}/MCID {k[2]}>>")
            else:
                kids.append(f"<</Type/OBJR/Obj {ref(k[2])}/Pg {ref(k[1])}>>")
        one = len(self.kids) == 1 and isinstance(self.kids[0], (int, PDFObjectReference))
        head += f"/K {kids[0]}" if one else f"/K[{' '.join(kids)}]"
        out = [head.encode("latin-1")]
        if node.alt is not None:
            out.append(b"/Alt" + PDFString(node.alt).format(document))
        if node.lang is not None:
            out.append(b"/Lang" + PDFString(node.lang).format(document))
        out.append(b">>")
        return b"".join(out)


class _ParentTree(PDFObject):
    """The ParentTree's number tree (one flat /Nums array), formatted directly."""

    def __init__(self, nums: list[tuple[int, PDFObjectReference | list[PDFObjectReference]]]):
        self.nums = nums

    def format(self, document: PDFDocument) -> bytes:
        ids = document.idToObjectNumberAndVersion
        out = []
        for key, value in self.nums:
            if isinstance(value, list):
                refs = " ".join("{} {} R".format(*ids[r.name]) for r in value)
                out.append(f"{key} [{refs}]")
            else:
                out.append("{} {} {} R".format(key, *ids[value.name]))
        return f"<< /Nums [{' '.join(out)}] >>".encode("latin-1")


def write_structure(
    doc: PDFDocument,
    tree: StructTree,
    page_mcids: list[tuple[PDFObjectReference, list[Node]]],
    links: list[tuple[LinkAnnot, Node]],
) -> None:
    """StructTreeRoot, ParentTree, MarkInfo and each element as PDF objects in ``doc``:
    ``page_mcids``, each page's reference and its marked content's elements by MCID;
    ``links``, each link annotation and its ``Link`` element."""
    pages = [ref for ref, _ in page_mcids]
    refs: dict[int, PDFObjectReference] = {}
    elems: list[_Elem] = []

    def collect(node: Node) -> None:
        if not node.has_content():
            return
        elem = _Elem(node)
        refs[id(node)] = doc.Reference(elem)
        elems.append(elem)
        for kid in node.kids:
            if isinstance(kid, Node):
                collect(kid)

    collect(tree.root)
    root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    root_ref = doc.Reference(root)
    for elem in elems:
        node = elem.node
        elem.parent = refs[id(node.parent)] if node.parent is not None else root_ref
        first = _first_page(node)
        if first is not None:
            elem.page = pages[first]
        for kid in node.kids:
            if isinstance(kid, Node):
                if id(kid) in refs:
                    elem.kids.append(refs[id(kid)])
            elif isinstance(kid, Marked):
                if kid.page == first:
                    elem.kids.append(kid.mcid)
                else:
                    elem.kids.append(("MCR", pages[kid.page], kid.mcid))
            else:
                elem.kids.append(("OBJR", pages[kid.page], kid.ref))
    nums: list[tuple[int, PDFObjectReference | list[PDFObjectReference]]] = []
    for index, (_, mcids) in enumerate(page_mcids):
        nums.append((index, [refs[id(n)] for n in mcids]))
    key = len(page_mcids)
    for annot, link in links:
        annot.annotation["StructParent"] = key
        nums.append((key, refs[id(link)]))
        key += 1
    # the Document element itself (not a one-element array): the form readers expect
    root["K"] = refs[id(tree.root)] if id(tree.root) in refs else PDFArray([])
    root["ParentTree"] = doc.Reference(_ParentTree(nums))
    root["ParentTreeNextKey"] = key
    catalog = doc.Catalog
    catalog.StructTreeRoot = root
    catalog.MarkInfo = PDFDictionary({"Marked": "true"})
    catalog.Lang = PDFString(tree.lang)
    catalog.Metadata = PDFStream(
        PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
        xmp(tree.title, tree.lang).encode("utf-8"),
        filters=[],  # uncompressed, as XMP readers expect
    )


def _first_page(node: Node) -> int | None:
    for kid in node.kids:
        if isinstance(kid, (Marked, LinkAnnot)):
            return kid.page
    return None
