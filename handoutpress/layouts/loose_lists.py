"""Lists' last two items kept together, unless that makes a counted-page layout overflow.

The sheet and the letter keep a list's last two items on one page (:func:`keep_last_two`);
when that alone makes the text overflow, a lone last item is better than a handout refused,
so they lay out once more with the items free to part (:func:`loosen_lists`). A mailing's
plan may decide that beforehand (``loose_lists`` set on the renderer): then there is one
layout, loose from the start.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from ..block_flowables import loosen_lists
from ..errors import ContentOverflow
from ..render import HandoutDoc, LayoutRenderer


class LooseListsOnOverflow(LayoutRenderer):
    """A renderer whose build lays out once more with lists loose when kept ones overflow."""

    #: a list's last two items may part (set while a layout with them kept overflowed, or
    #: by a mailing's plan for every letter of a handout that needs it)
    loose_lists = False

    def loosened(self, story: list[Flowable]) -> list[Flowable]:
        """``story`` with lists' items free to part while :attr:`loose_lists` is set."""
        if self.loose_lists:
            loosen_lists(story)
        return story

    def build_once(self) -> tuple[bytes, HandoutDoc]:
        """Lay out once; when that overflows with lists kept, once more with them loose."""
        if self.loose_lists:  # (already loose: a second try would be the same layout)
            return super().build_once()
        try:
            return super().build_once()
        except ContentOverflow:
            self.loose_lists = True
            try:
                return super().build_once()
            finally:
                self.loose_lists = False
