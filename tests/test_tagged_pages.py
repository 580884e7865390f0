"""Tagged PDFs of several pages: what is read where (handoutpress.tagtree.split_by_page,
apart_at_page_breaks; TaggedCanvas.running and footer.draw_tagged_once).

- A footer drawn on every page is content once, on the *last* page, where its element
  (the end of the reading order) is read; the same footer on the pages before is an
  artifact.
- An element's own content lies on one page: a paragraph continued on the next page keeps
  the next page's lines in a ``Span`` of it (readers that take an element's MCIDs to be on
  its ``/Pg``, pdfminer, read it right).
- Two sibling elements of one role either side of a page break do not read as one
  element in compare_readers.py's document order: the second one's content is a ``Span``.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from reportlab.pdfgen.canvas import Canvas

from handoutpress.build import plan
from handoutpress.footer import draw_tagged_once
from handoutpress.project import Project
from handoutpress.tagging import Marked, Node, StructTree, TaggedCanvas, marked
from handoutpress.tagtree import apart_at_page_breaks, split_by_page
from tests.conftest import ROOT
from tests.tagcheck import fixed_date, poppler_tree, readers_disagree, run_checker, ua_failures

# --------------------------------------------------------------------------- the tree


def test_a_paragraph_continued_on_the_next_page_keeps_its_lines_there_in_a_span() -> None:
    root = Node("Document")
    p = root.add("P")
    first, second, third = Marked(0, 4), Marked(1, 0), Marked(1, 1)
    p.kids += [first, second, third]
    owners: list[list[Node]] = [[root] * 4 + [p], [p, p]]
    split_by_page(root, owners)
    assert p.kids[0] == first and len(p.kids) == 2
    span = p.kids[1]
    assert isinstance(span, Node) and span.role == "Span" and span.parent is p
    assert span.kids == [second, third]  # one span for the page's run
    assert owners[1] == [span, span] and owners[0][4] is p


def test_an_element_on_one_page_is_left_as_it_is() -> None:
    root = Node("Document")
    p = root.add("P")
    link = p.add("Link")
    p.kids = [Marked(0, 0), link, Marked(0, 2)]
    kids = list(p.kids)
    split_by_page(root, [[p, link, p]])
    assert p.kids == kids


def test_a_run_on_a_later_page_each_side_of_a_link_is_a_span_each_in_reading_order() -> None:
    root = Node("Document")
    p = root.add("P")
    link = Node("Link", p)
    p.kids = [Marked(0, 0), Marked(1, 0), link, Marked(1, 2)]
    split_by_page(root, [[p], [p, link, p]])
    roles = [k.role if isinstance(k, Node) else "mc" for k in p.kids]
    assert roles == ["mc", "Span", "Link", "Span"]


def _two_sections() -> tuple[Node, Node, Node, Node]:
    root = Node("Document")
    sect = root.add("Sect")
    a, b = sect.add("P"), sect.add("P")
    a.kids.append(Marked(0, 0))
    b.kids.append(Marked(1, 0))
    return root, sect, a, b


def test_sibling_paragraphs_either_side_of_a_page_break_are_kept_apart() -> None:
    root, _, a, b = _two_sections()
    owners: list[list[Node]] = [[a], [b]]
    apart_at_page_breaks(root, owners)
    assert a.kids == [Marked(0, 0)]
    (span,) = b.kids
    assert isinstance(span, Node) and span.role == "Span" and span.kids == [Marked(1, 0)]
    assert owners[1] == [span]


def test_elements_of_other_roles_or_on_one_page_are_not_touched() -> None:
    root, sect, a, b = _two_sections()
    h2 = Node("H2", sect)
    sect.kids = [a, h2, b]
    h2.kids.append(Marked(1, 1))
    b.kids = [Marked(1, 2)]
    apart_at_page_breaks(root, [[a], [h2, h2, b]])  # P | H2 P: the break is between P and H2
    assert b.kids == [Marked(1, 2)] and h2.kids == [Marked(1, 1)]
    root, _, a, b = _two_sections()
    b.kids = [Marked(0, 1)]  # both on page 1
    apart_at_page_breaks(root, [[a, b]])
    assert b.kids == [Marked(0, 1)]


# --------------------------------------------------------------------------- running parts


def _canvas(tmp_path: Path) -> TaggedCanvas:
    return TaggedCanvas(str(tmp_path / "t.pdf"), tree=StructTree("en", "Test"), invariant=1)


def _footer(canv: Canvas, parent: Node | None) -> None:
    canv.setFont("Helvetica", 8)
    with marked(canv, parent.add("P") if parent is not None else None):
        canv.drawString(10, 10, "Form TEST-1")


def test_a_footer_is_content_on_the_last_page_and_an_artifact_before(tmp_path: Path) -> None:
    canv = _canvas(tmp_path)
    body = canv.tree.root.add("P")
    footer = canv.tree.root.add("Div")
    for page in range(3):
        canv.setFont("Helvetica", 10)
        with marked(canv, body):
            canv.drawString(10, 100, f"Body text {page + 1}.")
        draw_tagged_once(canv, footer, _footer)
        canv.showPage()
    assert canv.untagged == []
    canv.save()
    with pdfplumber.open(tmp_path / "t.pdf") as pdf:
        for number, page in enumerate(pdf.pages, 1):
            form = [c for c in page.chars if c["text"] == "F"]
            assert len(form) == 1
            if number < 3:
                assert form[0]["mcid"] is None and form[0]["tag"] == "Artifact"
            else:
                assert form[0]["mcid"] is not None and form[0]["tag"] == "P"
    with pikepdf.open(tmp_path / "t.pdf") as pdf:
        div = pdf.Root.StructTreeRoot.K.K[-1]
        assert div.S == "/Div"
        (p,) = div.K if isinstance(div.K, pikepdf.Array) else [div.K]
        assert p.S == "/P" and p.Pg.objgen == pdf.pages[2].obj.objgen
    res = run_checker("ua_check.py", tmp_path / "t.pdf")  # (Helvetica: fonts fail here)
    assert "pass  01-005" in res.stdout and "pass  tree" in res.stdout, res.stdout


def test_a_link_in_a_footer_is_refused(tmp_path: Path) -> None:
    canv = _canvas(tmp_path)

    def with_link(c: Canvas, parent: Node | None) -> None:
        _footer(c, parent)
        c.linkURL("https://example.com", (0, 0, 20, 20))

    with pytest.raises(RuntimeError, match="a link in a part drawn on every page"):
        draw_tagged_once(canv, canv.tree.root.add("Div"), with_link)


# --------------------------------------------------------------------------- a real layout


@pytest.fixture(scope="module")
def letter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with fixed_date():
        work = plan(Project(ROOT), ["tpi-aftercare"], layout="letter")
        _, result = work.render(work.jobs[0], {})
    out = tmp_path_factory.mktemp("pages") / "letter.pdf"
    out.write_bytes(result.pdf)
    return out


def test_the_letters_footer_is_read_after_the_sign_off_on_the_last_page(letter: Path) -> None:
    with pdfplumber.open(letter) as pdf:
        assert len(pdf.pages) >= 2
        for number, page in enumerate(pdf.pages, 1):
            # the form line (PSP-TPI-02 · Revised …): a tagged P on the last page only
            form = [
                w for w in page.extract_words(extra_attrs=["mcid"]) if "PSP-TPI-02" in w["text"]
            ]
            assert len(form) == 1, f"page {number}: {form}"
            assert (form[0]["mcid"] is not None) == (number == len(pdf.pages)), number


@pytest.fixture(scope="module")
def staff_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with fixed_date():
        work = plan(Project(ROOT), ["tpi-aftercare"], layout="sheet", staff_copy=True)
        _, result = work.render(work.jobs[0], {})
    out = tmp_path_factory.mktemp("staff") / "staff.pdf"
    out.write_bytes(result.pdf)
    return out


def test_the_staff_copy_is_tagged_and_read_alike(staff_copy: Path) -> None:
    """The staff copy (its staff sections, STAFF COPY on every page) passes ua_check.py and
    compare_readers.py's comparison; its staff section is a section of its own."""
    assert ua_failures(staff_copy) == {}
    assert readers_disagree(staff_copy) == []
    heads = [s.kids[0].text() for s in poppler_tree(staff_copy).find("Sect")]
    assert any(h.endswith("Check understanding") for h in heads), heads


def test_a_paragraph_that_starts_a_page_and_runs_on_reads_as_rows_of_its_own() -> None:
    """A paragraph at the top of page 2 (after a sibling paragraph on page 1) that runs on to
    page 3: no two consecutive rows of one role path on different pages are left (each
    becomes one row of compare_readers.py's document order, as each reader reads it)."""
    root, sect, a, b = _two_sections()
    b.kids.append(Marked(2, 0))
    owners: list[list[Node]] = [[a], [b], [b]]
    split_by_page(root, owners)
    apart_at_page_breaks(root, owners)
    rows: list[tuple[int, str]] = []

    def walk(node: Node, path: str) -> None:
        here = f"{path}/{node.role}"
        rows.extend((p, here) for p in sorted({k.page for k in node.kids if isinstance(k, Marked)}))
        for kid in node.kids:
            if isinstance(kid, Node):
                walk(kid, here)

    walk(root, "")
    assert [page for page, _ in rows] == [0, 1, 2]
    assert all(x[1] != y[1] for x, y in zip(rows, rows[1:], strict=False))
    assert owners[1][0] is not b and owners[2][0] is not b  # each in a Span of b's
