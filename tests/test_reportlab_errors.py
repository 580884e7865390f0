"""An error our code raises while ReportLab lays out or draws (a page callback, a flowable)
comes out as raised: ReportLab's ``annotateException`` re-raises it as a new error of the
same class with its own words in front ("handle_pageBegin args=()", or a paragraph's text,
which may be a recipient's) and without its problems; ``HandoutDoc.build`` undoes that."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, PageTemplate, Paragraph

from handoutpress.errors import ContentOverflow, HandoutError, Location, Problem, raised_by_us
from handoutpress.handoutdoc import HandoutDoc, frame


def test_an_error_raised_in_a_page_callback_comes_out_as_raised() -> None:
    problem = Problem(Location(None), "visit.follow_up's label", "too long for its line")

    def on_page(canv: object, doc: HandoutDoc) -> None:
        if doc.page == 2:  # (page 2 begins through ReportLab's PageBegin action)
            raise ContentOverflow([problem])

    doc = HandoutDoc(io.BytesIO(), None, pagesize=LETTER)
    doc.addPageTemplates([PageTemplate("p", [frame("f", 72, 72, 400, 600)], onPage=on_page)])
    body = getSampleStyleSheet()["BodyText"]
    with pytest.raises(ContentOverflow) as exc:
        doc.build([Paragraph("one", body), PageBreak(), Paragraph("two", body)])
    assert str(exc.value) == str(problem)
    assert exc.value.problems == (problem,)
    assert "handle_" not in str(exc.value)


def test_only_an_error_re_raised_with_words_added_is_unwrapped() -> None:
    first = HandoutError([Problem(Location(None), "a", "first")])
    try:
        try:
            raise first
        except HandoutError:  # another error while handling it: not a re-raise of it
            raise HandoutError("something else") from None
    except HandoutError as second:
        assert raised_by_us(second) is second
