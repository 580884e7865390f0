"""A replayed letter's pages as the operators the letter before it drew there.

:mod:`handoutpress.mailreplay` draws a personal letter in a remembered layout: per page the
page template's decoration, then each flowable where the layout had it. On one canvas, all
of that is the same operators for every letter in that layout but for the recipient's own
flowables (their paragraph) and the name of the letter's page-total forms. A
:class:`Stencil` keeps a page's operators as runs that are the same (each joined into one
string, the page-total form's name left as a mark) and the places of the flowables drawn per
letter; a letter in that layout is then its page forms from the runs, with only its own
flowables drawn.

A stencil is made from one replayed letter's pages (:class:`PageRecord`) and used only once
the next letter's pages, drawn in full, came out as the stencil says they would
(:meth:`Stencil.fits`): the same operators, forms and numbered pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: stands for the letter's page-total form name (``renderer.total_form``) in the runs
MARK = "\x00"

#: a run of operators the same in every letter (joined by newlines, as a form's content
#: is), or the index of a placed flowable drawn for each letter
Segment = str | int


@dataclass
class PageRecord:
    """What one replayed page drew: its operators, the forms they use, and where in them
    each flowable drawn for this letter alone is (its index among the page's placed
    flowables, and its first and end operator)."""

    ops: list[str]
    uses: list[str]
    own: list[tuple[int, int, int]] = field(default_factory=list)


@dataclass
class Stencil:
    """One layout's pages on one canvas: each page's segments and the forms it uses (with
    :data:`MARK` for the page-total form's name), the pages that show a page total, and the
    personal flowables drawn into the runs (the same in every letter: a heading)."""

    pages: list[tuple[list[Segment], list[str]]]
    numbered: frozenset[int]
    fixed_leaves: frozenset[int]
    verified: bool = False

    @classmethod
    def of(
        cls, records: list[PageRecord], total_form: str, numbered: frozenset[int],
        fixed_leaves: frozenset[int],
    ) -> Stencil:  # fmt: skip
        pages: list[tuple[list[Segment], list[str]]] = []
        for rec in records:
            segments: list[Segment] = []
            at = 0
            for index, start, end in rec.own:
                _run(segments, rec.ops[at:start], total_form)
                segments.append(index)
                at = end
            _run(segments, rec.ops[at:], total_form)
            pages.append((segments, [u.replace(total_form, MARK) for u in rec.uses]))
        return cls(pages, numbered, fixed_leaves)

    def fits(
        self, records: list[PageRecord], total_form: str, numbered: frozenset[int],
        fixed_leaves: frozenset[int],
    ) -> bool:  # fmt: skip
        """Would this stencil have drawn those pages (another letter's, drawn in full)?"""
        if (numbered, fixed_leaves) != (self.numbered, self.fixed_leaves):
            return False
        if len(records) != len(self.pages):
            return False
        for rec, (segments, uses) in zip(records, self.pages, strict=True):
            own = {index: rec.ops[start:end] for index, start, end in rec.own}
            if sorted(own) != sorted(s for s in segments if isinstance(s, int)):
                return False
            made: list[str] = []
            for s in segments:
                made.extend(own[s] if isinstance(s, int) else [s.replace(MARK, total_form)])
            if "\n".join(made) != "\n".join(rec.ops):
                return False
            if {u.replace(MARK, total_form) for u in uses} != set(rec.uses):
                return False
        return True


def _run(segments: list[Segment], ops: list[str], total_form: str) -> None:
    if ops:  # (an empty run would add an empty line to the form)
        segments.append("\n".join(ops).replace(total_form, MARK))
