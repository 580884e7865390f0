"""Tagged PDF (PDF/UA-1): a structure tree in reading order, marked content written while
ReportLab draws, and the objects that tie them together, written when the file is saved.

How a layout uses it:

1. When its story is built, the layout makes the tree in *reading order*: a :class:`Node`
   per structure element (``Document`` → ``Sect`` → ``H1``/``H2``/``P``/``L``…), and gives
   each flowable that draws one leaf its node with :func:`tag` (a list item's paragraph
   gets the ``LBody`` and the ``Lbl`` for its bullet). Parts drawn in fixed places on a
   page (a tri-fold's cover) get a node placed in the tree at that point too; the drawing
   code adds children to it, in reading order, when it draws.
2. While ReportLab draws, a tagged flowable's drawing is wrapped in ``/H2 <</MCID n>> BDC
   … EMC`` (:class:`TaggedCanvas` does it for any flowable with a node, wherever it is
   drawn: a frame, a table cell, a layout's fixed box). Decoration drawn on purpose is
   wrapped in :func:`artifact`. Anything else drawn outside a tag becomes an artifact too
   (the safety net), and text or an image drawn that way is noted in
   :attr:`TaggedCanvas.untagged`,
   which the renderer turns into an error: a new drawing call cannot silently leave text
   out of the tree.
3. At save, the StructTreeRoot, the ParentTree (one array per page, one key per link
   annotation), ``/MarkInfo``, ``/StructParents`` and ``/Tabs /S`` on each page are added as
   ordinary ReportLab objects: the file stays deterministic.

Every wrapped line of a paragraph ends in a real space (:class:`SpacedTextObject`), so text
read back does not run "muscle.You" together across a line break. A space has no ink: the
pages look exactly like untagged ones.

ReportLab has no hook for any of this: :func:`install` wraps ``Flowable.drawOn`` and
``Paragraph.split`` (a paragraph's continuation keeps its node), and the canvas relies on
``Canvas._code`` and ``PDFTextObject._textOut``. Hence the minor-version pin in
``pyproject.toml``; ``tests/test_tagged.py`` reads the tags back with outside engines.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from reportlab.pdfbase.pdfdoc import (
    Annotation,
    PDFDictionary,
    PDFName,
    PDFObjectReference,
    PDFPage,
)
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, Paragraph

from .inline_tags import SPAN_LINK, InlineMarks, inline_key
from .structwrite import write_structure
from .tagtree import (
    ARTIFACT,
    ROLES,
    LinkAnnot,
    Marked,
    Node,
    StructTree,
    apart_at_page_breaks,
    split_by_page,
    tag,
    tag_artifact,
)

#: the structure tree's names, here for the layouts that tag what they draw
__all__ = [
    "SPAN_LINK",
    "ARTIFACT",
    "ROLES",
    "LinkAnnot",
    "Marked",
    "Node",
    "StructTree",
    "TaggedCanvas",
    "artifact",
    "install",
    "marked",
    "tag",
    "tag_artifact",
]


def artifact(canv: Canvas) -> AbstractContextManager[None]:
    """``with artifact(canv):`` around decoration (bands, rules, page numbers…). Does nothing
    on an untagged canvas, so layouts call it unconditionally."""
    if isinstance(canv, TaggedCanvas):
        return canv.artifact()
    return nullcontext()


def marked(canv: Canvas, node: Node | None) -> AbstractContextManager[None]:
    """``with marked(canv, node):`` around drawing that is ``node``'s content (a logo).
    Does nothing on an untagged canvas (or with no node: the safety net then notices)."""
    if isinstance(canv, TaggedCanvas) and node is not None:
        return canv.marked(node)
    return nullcontext()


# --------------------------------------------------------------------------- the canvas


class _Code(list[str]):
    """A page's content stream (``Canvas._code``): every operator appended passes the
    canvas's safety net first."""

    def __init__(self, canv: TaggedCanvas) -> None:
        super().__init__()
        self.canv = canv

    def append(self, code: str) -> None:
        canv = self.canv
        if canv._inline is not None and code.startswith("BT") and canv._formData is None:
            canv._close_implicit()
            list.append(self, canv._inline_code(code))
            return
        if canv._formData is not None or (
            (canv._open is not None or canv._artifacts) and canv._switch is None
        ):
            list.append(self, code)  # inside a form, a tag or an artifact: nothing to do
            return
        canv._before(code)
        list.append(self, code)
        canv._after(code)


class SpacedTextObject(PDFTextObject):
    """A text object whose lines (those ending in ``T*``) end in a real space character."""

    _last = " "

    def _textOut(self, text: str, TStar: int = 0) -> None:  # noqa: N803 (ReportLab's name)
        if text:
            self._last = text[-1]
        if TStar and not self._last.isspace():
            text += " "
            self._last = " "
        super()._textOut(text, TStar)

    def _linkRecord(self, key: tuple[int, str], what: str) -> None:  # noqa: N802 (ReportLab's)
        """ReportLab's paragraph calls this where a link (or a span, see :data:`SPAN_LINK`)
        starts on a line (just after its first text) and where it ends: a mark goes into
        the text object there, which :mod:`handoutpress.inline_tags` turns into marked
        content of its own."""
        canv = self._canvas
        mark = canv._inline_mark(key, what) if isinstance(canv, TaggedCanvas) else None
        if mark is None:
            return
        if what == "start":
            self._code.insert(len(self._code) - 1, mark)
        else:
            self._code.append(mark)


class TaggedCanvas(InlineMarks, Canvas):
    """A canvas that writes marked content as it draws and the structure objects at save."""

    def __init__(self, *args: object, tree: StructTree, pad_to: int = 1, **kw: object) -> None:
        install()
        self.tree = tree
        #: at save, blank pages are added up to a multiple of this
        self.pad_to = pad_to
        self._open: Node | None = None  # the element whose marked content is open
        self._switch: Node | None = None  # after the next text object: this element
        self._artifacts = 0  # open explicit artifacts
        self._implicit = False  # an artifact opened by the safety net is open
        self._mcids: list[Node] = []  # this page: MCID -> element
        self._pages: list[tuple[PDFObjectReference, list[Node]]] = []
        self._links: list[tuple[LinkAnnot, Node]] = []
        self._page_objects: list[PDFPage] = []
        #: a part drawn on every page (the footer) being drawn, and each one's drawings
        self._running: _Running | None = None
        self._runs: dict[int, tuple[Node, list[_Running]]] = {}
        self._init_inline()
        #: (page number, start of the text) of text (or an image) drawn outside any tag or
        #: artifact
        self.untagged: list[tuple[int, str]] = []
        super().__init__(*args, **kw)

    # -- ReportLab internals -------------------------------------------------------------
    def _restartAccumulators(self) -> None:
        super()._restartAccumulators()
        code: list[str] = self._code  # type: ignore[has-type]
        if not self._codeStack and not isinstance(code, _Code):
            self._code = _Code(self)

    def beginText(self, x: float = 0, y: float = 0, direction: str | None = None) -> PDFTextObject:
        return SpacedTextObject(self, x, y, direction=direction)

    def _raw(self, code: str) -> None:
        list.append(self._code, code)

    def _in_form(self) -> bool:
        code: list[str] = self._code
        return self._formData is not None or not isinstance(code, _Code)

    def _before(self, code: str) -> None:
        if self._in_form():
            return
        if code in ("q", "Q") or not code.strip():
            # never let an artifact of the safety net straddle a save/restore
            self._close_implicit()
            return
        if self._open is None and not self._artifacts and not self._implicit:
            self._raw("/Artifact BMC")
            self._implicit = True
        if not self._implicit:
            return
        if code.startswith("BT") and ("Tj" in code or "TJ" in code):
            self.untagged.append((self._pageNumber, _shown_text(code)))
        elif code.endswith(" Do"):  # an image (or form): a Figure, or decoration on purpose
            self.untagged.append((self._pageNumber, f"an image or form, {code}"))

    def _after(self, code: str) -> None:
        if self._switch is not None and code.startswith("BT") and not self._in_form():
            node, self._switch = self._switch, None
            self._end()
            self._begin(node)

    def _close_implicit(self) -> None:
        if self._implicit:
            self._raw("EMC")
            self._implicit = False

    def _begin(self, node: Node) -> None:
        self._close_implicit()
        self._raw(self._bdc(node))
        self._open = node

    def _bdc(self, node: Node) -> str:
        """The operator opening ``node``'s next marked-content sequence on this page (in a
        part drawn on every page: a stand-in, settled at save)."""
        run = self._running
        if run is not None:
            return run.stand_in(node, len(self._pages))
        mcid = len(self._mcids)
        self._mcids.append(node)
        node.kids.append(Marked(len(self._pages), mcid))
        return f"/{node.role} <</MCID {mcid}>> BDC"

    def _end(self) -> None:
        self._raw("EMC")
        self._open = None

    # -- for layouts ---------------------------------------------------------------------
    @contextmanager
    def marked(
        self,
        node: Node,
        label: Node | None = None,
        inline: tuple[tuple[int, str] | None] | None = None,
    ) -> Iterator[None]:
        """Drawing inside is ``node``'s content (``label``'s up to the first text object).

        ``inline``: a paragraph with links or spans in another language: its marked content
        is opened inside each text object, where its elements' own content is closed off
        (``(key,)``: ReportLab's key of the link or span that is the whole paragraph).
        Inside an artifact, or inside another element's content, it stays what it is in.
        """
        if self._artifacts or self._open is not None or self._in_form():
            yield
            return
        if inline is not None:
            with self._inline_paragraph(node, label, inline):
                yield
            return
        self._begin(label or node)
        self._switch = node if label is not None else None
        try:
            yield
        finally:
            self._switch = None
            if self._open is not None:
                self._end()

    @contextmanager
    def artifact(self) -> Iterator[None]:
        if self._open is not None or self._in_form():
            yield  # (inside content: a box's own background drawn by its cell, say)
            return
        self._close_implicit()
        if not self._artifacts:
            self._raw("/Artifact BMC")
        self._artifacts += 1
        try:
            yield
        finally:
            self._artifacts -= 1
            if not self._artifacts:
                self._close_implicit()
                self._raw("EMC")

    @contextmanager
    def running(self, node: Node) -> Iterator[Node]:
        """Drawing repeated on every page (a footer): ``node``'s content where it is drawn
        *last*, an artifact on the pages before. ``node`` sits at the end of the reading
        order, which is the end of the last page: the element's content is then on the
        page where a reader reaches it (and read once, not once per page). Yields the
        element to add this drawing's children to; the last drawing's become ``node``'s
        at save."""
        if self._running is not None:
            raise RuntimeError("tagging: a part drawn on every page inside another")
        self._close_implicit()
        run = _Running(Node(node.role))
        self._runs.setdefault(id(node), (node, []))[1].append(run)
        self._running = run
        try:
            yield run.node
        finally:
            self._running = None

    def _settle_running(self) -> None:
        """Each part drawn on every page: its last drawing ``node``'s content, the ones
        before artifacts (the stand-ins in the page streams replaced)."""
        for node, runs in self._runs.values():
            *before, last = runs
            for run in before:
                run.settle(self._page_objects, None)
            last.settle(self._page_objects, self._pages)
            for kid in last.node.kids:
                if isinstance(kid, Node):
                    kid.parent = node
                node.kids.append(kid)
        self._runs = {}

    def _addAnnotation(
        self, annotation: Annotation, name: str | None = None, addtopage: int = 1
    ) -> None:
        if self._running is not None:
            raise RuntimeError("tagging: a link in a part drawn on every page")
        super()._addAnnotation(annotation, name, addtopage)
        holder = self._open or self._inline
        if holder is None or not addtopage or not isinstance(annotation, PDFDictionary):
            return
        uri = annotation.dict.get("A")
        target = uri.dict.get("URI") if isinstance(uri, PDFDictionary) else None
        if target is not None and "Contents" not in annotation.dict:
            annotation["Contents"] = target
        annot = LinkAnnot(len(self._pages), annotation, self._annotationrefs[-1])
        if self._inline is not None:
            # a link of a paragraph drawn inline: its Link element holds its text (marked
            # content of its own) and, after it, this annotation
            link = self._inline_annotation(str(getattr(target, "s", target or "")), annot)
        else:
            # inside another element's content: the Link element that content is in (a QR
            # code's Figure), else a new Link element holding the annotation
            link = _link_of(holder) or holder.add("Link")
            link.kids.append(annot)
        self._links.append((annot, link))

    def showPage(self) -> None:
        self._close_implicit()
        if self._open is not None or self._artifacts:
            raise RuntimeError("tagging: marked content left open at the end of a page")
        ref = self._doc.thisPageRef()
        index = len(self._pages)
        self._pages.append((ref, self._mcids))
        self._mcids = []
        super().showPage()
        page = self._doc.Pages.pages[-1]
        page.__NoDefault__ = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
        page.StructParents = index
        self._page_objects.append(page)
        if page.Annots:
            page.Tabs = PDFName("S")

    def save(self) -> None:
        if len(self._code):
            self.showPage()
        while len(self._pages) % self.pad_to:
            self.showPage()  # a blank back
        self._settle_running()
        owners = [page_owners for _, page_owners in self._pages]
        split_by_page(self.tree.root, owners)
        apart_at_page_breaks(self.tree.root, owners)
        write_structure(self._doc, self.tree, self._pages, self._links)
        super().save()


class _Running:
    """One drawing of a part drawn on every page: the element its children go under, and
    the stand-ins for its marked content's operators in the page streams."""

    def __init__(self, node: Node) -> None:
        self.node = node
        #: (element, its placeholder in the element's kids, the stand-in in the stream)
        self.marks: list[tuple[Node, Marked, str]] = []

    def stand_in(self, node: Node, page: int) -> str:
        # a placeholder MCID (negative: never a real one) keeps the kids' order
        placeholder = Marked(page, -1 - len(self.marks))
        node.kids.append(placeholder)
        token = f"\x00hp-running {id(self)} {len(self.marks)}\x00"
        self.marks.append((node, placeholder, token))
        return token

    def settle(
        self, pages: list[PDFPage], mcids: list[tuple[PDFObjectReference, list[Node]]] | None
    ) -> None:
        """Make the stand-ins marked content (with ``mcids``, the pages' MCID lists), else
        artifacts."""
        for node, placeholder, token in self.marks:
            page = pages[placeholder.page]
            if mcids is None:
                code = "/Artifact BMC"
            else:
                owners = mcids[placeholder.page][1]
                mcid = len(owners)
                owners.append(node)
                node.kids[node.kids.index(placeholder)] = Marked(placeholder.page, mcid)
                code = f"/{node.role} <</MCID {mcid}>> BDC"
            assert token in page.stream
            page.stream = page.stream.replace(token, code)


def _link_of(node: Node | None) -> Node | None:
    """``node`` or its nearest ancestor that is a ``Link``."""
    while node is not None and node.role != "Link":
        node = node.parent
    return node


def _shown_text(code: str) -> str:
    """The first few characters shown by a text object (for the untagged-text report)."""

    shown = "".join(re.findall(r"\((.*?)(?<!\\)\)", code))
    return shown[:40]


# --------------------------------------------------------------------------- the hooks

_installed = False
_INSTALLING = threading.Lock()


def install() -> None:
    """Wrap ``Flowable.drawOn`` and ``Paragraph.split`` (once per process, whichever thread
    renders first). On a canvas that is not a :class:`TaggedCanvas` both behave exactly as
    ReportLab's own."""
    global _installed
    with _INSTALLING:
        if not _installed:
            _install()
            _installed = True


def _install() -> None:
    draw_on = Flowable.drawOn
    split = Paragraph.split

    def tagged_draw_on(self: Flowable, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        node = getattr(self, "hp_tag", None)
        if node is None or not isinstance(canvas, TaggedCanvas):
            return draw_on(self, canvas, x, y, _sW)
        if node is ARTIFACT:
            with canvas.artifact():
                return draw_on(self, canvas, x, y, _sW)
        label = getattr(self, "hp_label", None) if getattr(self, "bulletText", None) else None
        with canvas.marked(node, label, inline_key(self)):
            return draw_on(self, canvas, x, y, _sW)

    def tagged_split(self: Paragraph, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts: list[Flowable] = split(self, availWidth, availHeight)
        node = getattr(self, "hp_tag", None)
        if node is not None:
            for i, part in enumerate(parts):
                if part is not self:
                    part.hp_tag = node
                    part.hp_label = getattr(self, "hp_label", None) if i == 0 else None
        return parts

    Flowable.drawOn = tagged_draw_on
    Paragraph.split = tagged_split
