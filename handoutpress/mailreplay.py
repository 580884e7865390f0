"""A personal letter laid out again only where it differs from one already laid out.

In a mailing whose text uses recipient fields, :class:`~handoutpress.mailmerge.MailMerge`
lays out only the personal sections per recipient and shares the rest, but platypus still
flowed the whole letter for every recipient: every shared paragraph placed again, every page
break worked out again, although in almost every letter the personal paragraph wraps to
the same lines as in the one before and everything after it lands where it did.

:class:`Replays` remembers a few of a mailing's layouts (:class:`Layout`: on each page,
what was drawn where, and the size of each personal flowable). A recipient whose personal
flowables are of the same kinds and, wrapped at the same widths, come to the same widths,
heights and line counts as a remembered layout's gets that layout: the same page templates'
decorations are drawn, each personal flowable where the remembered one was, and each shared
one where it was (the same forms); nothing is flowed. Platypus's layout depends on those
sizes and nothing else of the personal text, so that letter is what a full layout would make
of it, to the byte (tested against one). Any other recipient is laid out in full, and that
layout is remembered too (up to :attr:`Replays.MAX_LAYOUTS`).

A layout (recorded by :class:`~handoutpress.mailrecord.Recorder`) is remembered only when it
is plain enough to repeat: every personal flowable a
paragraph, a table, a spacer or a section mark (or a heading-with-text around them), drawn
whole, once; everything else drawn a shared flowable, a spacer or a section mark.
"""

from __future__ import annotations

import copy
import io
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from .mailrecord import (
    LEAF,
    Layout,
    Page,
    Placed,
    Recorder,
    Shape,
    content_key,
    line_count,
    width_only,
)
from .mailrepeat import Recording, Repeat, Repeats, Slot
from .mailstencil import MARK, PageRecord, Segment, Stencil
from .mailvariant import Row, Variants, layout_for
from .plainpara import Line, PlainDrawer, PlainText, lines_of, plain_text
from .render import HandoutDoc

if TYPE_CHECKING:
    from .layouts.letter import LetterRenderer
    from .mailcanvas import FormCanvas


#: what a flowable drew (operators, and the forms they use)
Drawn = tuple[list[str], list[str]]

#: page-total forms as made (name after the renderer's ``total_form``, box, operators,
#: forms used) and the renderer's attributes finish() set (any attribute: set again as it is)
_Totals = tuple[list[tuple[str, tuple[float, ...], list[str], list[str]]], dict[str, object]]
#: a placed flowable's key in what was drawn on a canvas: its id when the same in every
#: letter, else with the content of this letter's flowable (``Match.keys``)
_Mark = Union[int, tuple[int, tuple[object, ...]]]  # noqa: UP007 - a runtime alias on 3.10
_NOTHING = object()

#: plain paragraphs broken into lines and drawn without ReportLab's Paragraph (plainpara)
PLAIN = True
#: how many of a mailing's plain paragraphs are also wrapped by ReportLab, to compare
PLAIN_CHECKS = 3


class Replays:
    """The layouts remembered for one language's personal letters, and the canvases
    already drawn on by a full layout (whose document settings a replay then needs not
    make again)."""

    #: how many layouts are remembered (a few line counts of the personal paragraph)
    MAX_LAYOUTS = 8
    #: how many sizes of personal flowables are remembered by their content
    MAX_SIZED = 4096

    def __init__(self) -> None:
        self.layouts: list[Layout] = []
        self.built_on: weakref.WeakSet[Canvas] = weakref.WeakSet()
        #: the document a replayed letter's page decorations and total are drawn with
        self._doc = HandoutDoc(io.BytesIO(), None)
        self._canvas: weakref.ref[Canvas] | None = None
        self._drawn: dict[_Mark, Drawn] = {}
        #: per (pages, pages numbered): the page-total forms finish() made on the canvas
        self._totals: dict[tuple[int, frozenset[int]], _Totals] = {}
        #: per layout (by id; layouts are kept): its pages' operators on the canvas
        self._stencils: dict[int, Stencil] = {}
        #: a personal flowable's size by its content, width and height (0: width only)
        self._sized: dict[tuple[object, float, float], tuple[float, float, int]] = {}
        #: the canvas's plain paragraphs drawn from their lines (plainpara)
        self._plain: PlainDrawer | None = None
        #: plain paragraphs' lines as ReportLab broke them too, before they are trusted
        self.plain_checks = 0
        self.plain_off = not PLAIN
        #: letters' forms kept by their composition, per canvas (mailrepeat)
        self.repeats = Repeats()
        #: letters kept to make others of their family from (mailvariant), per canvas
        self.variants = Variants()
        #: the plain paragraph _place drew last from its lines (a Slot, less its part)
        self._slot: tuple[int, int, PlainText, list[Line]] | None = None

    def wants(self) -> bool:
        return len(self.layouts) < self.MAX_LAYOUTS

    def remember(self, recorder: Recorder) -> None:
        layout = recorder.layout()
        if layout is not None and self.wants():
            self.layouts.append(layout)

    def match(self, leaves: list[Flowable], shapes: list[Shape], canv: Canvas) -> Match | None:
        """A remembered layout these personal flowables take exactly. A flowable with the
        content of the layout's own (a heading with no recipient field) takes its size
        unwrapped; the others are left wrapped as the layout wraps them."""
        keys = [content_key(f) for f in leaves]
        sizes: dict[tuple[int, float, float], tuple[float, float, int]] = {}
        last: dict[int, tuple[int, float, float]] = {}  # how each was wrapped last
        plains: dict[int, PlainText | None] = {}
        broken: dict[tuple[int, float, float], tuple[PlainText, list[Line]]] = {}
        for layout in self.layouts:
            if layout.shapes != shapes:
                continue
            same = {i for i, k in enumerate(keys) if k is not None and k == layout.keys[i]}
            wanted: list[tuple[int, float, float]] = []
            for i, (f, d) in enumerate(zip(leaves, layout.dims, strict=True)):
                if d is None or i in same:
                    continue
                aw, ah, w, h, lines = d
                key = (i, aw, 0.0 if width_only(f) else ah)
                wanted.append(key)
                got = sizes.get(key)
                if got is None:
                    got = self._plain_size(i, f, aw, plains, broken, canv)
                    sized = (keys[i], aw, key[2]) if keys[i] is not None else None
                    if got is None and sized is not None:
                        got = self._sized.get(sized)  # (the same content wrapped before)
                    if got is None:
                        fw, fh = _wrap(f, canv, aw, ah)
                        got = (fw, fh, line_count(f))
                        last[i] = key
                        if sized is not None:
                            if len(self._sized) >= self.MAX_SIZED:
                                self._sized.clear()
                            self._sized[sized] = got
                    sizes[key] = got
                if got != (w, h, lines):
                    break
            else:
                plain: dict[int, tuple[PlainText, list[Line]]] = {}
                unwrapped: set[int] = set()
                for i, aw, ah_key in wanted:
                    known = broken.get((i, aw, ah_key))
                    if known is not None:
                        plain[i] = known  # (drawn from its lines, or wrapped when drawn)
                    elif last.get(i) != (i, aw, ah_key):
                        unwrapped.add(i)  # (wrapped if drawn: not if drawn before)
                return Match(layout, frozenset(same), plain, keys, frozenset(unwrapped))
        return None

    def repeat(self, canv: FormCanvas, sections: object, prefix: str) -> Repeat | None:
        """The forms kept for a letter with these composed sections drawn on ``canv``, if
        the stencil and plain paragraphs they came from are still this canvas's."""
        if self._canvas is None or self._canvas() is not canv:
            return None
        got = self.repeats.get(canv, sections, prefix)
        if got is None:
            return None
        if (
            not got.stencil.verified
            or got.plain_off != self.plain_off
            or not any(s is got.stencil for s in self._stencils.values())
        ):
            self.repeats.drop(sections)
            return None
        return got

    def _plain_size(
        self, i: int, f: Flowable, aw: float, plains: dict[int, PlainText | None],
        broken: dict[tuple[int, float, float], tuple[PlainText, list[Line]]], canv: Canvas,
    ) -> tuple[float, float, int] | None:  # fmt: skip
        """A plain paragraph's size wrapped at ``aw`` from its own lines (plainpara), as
        ``_wrap`` gives it; None for any other flowable (or while the lines are checked
        against ReportLab's: the first letters of a mailing)."""
        if self.plain_off:
            return None
        if i not in plains:
            plains[i] = plain_text(f) if isinstance(f, Paragraph) else None
        plain = plains[i]
        if plain is None:
            return None
        maybe = lines_of(plain, aw)
        if maybe is None:
            return None
        broke: list[Line] = maybe
        if self.plain_checks < PLAIN_CHECKS:  # ReportLab's own lines, compared
            fw, fh = _wrap(f, canv, aw, 0.0)
            bl = f.blPara
            theirs = [(e, list(w)) for e, w in bl.lines] if bl.kind == 0 else None
            if theirs != broke or (fw, fh) != (aw, plain.height(broke)):
                self.plain_off = True
                return None
            self.plain_checks += 1
        broken[(i, aw, 0.0)] = (plain, broke)
        return aw, plain.height(broke), len(broke)

    def variant(self, canv: FormCanvas, prefix: str, row: Row) -> Repeat | None:
        """The row's letter drawn as ``<prefix>-…`` from a kept letter of its family
        (:mod:`handoutpress.mailvariant`), if that is known to be what replaying it would
        draw; that letter (its renderer and stamp are the row's), or None."""
        fam = self.variants.families.get(row.family)
        drawer = self._plain
        if fam is None or self.plain_off or self.plain_checks < PLAIN_CHECKS or drawer is None:
            return None
        if self._canvas is None or self._canvas() is not canv:
            return None
        made = self.variants.made.get((row.family, row.shown))  # (these values drawn before)
        if made is None:
            like = self.variants.any_for(row.family)
            found = layout_for(fam, row, like, self.layouts, self._sized) if like else None
            v = self.variants.kept.get((row.family, id(found.layout))) if found else None
            if found is None or v is None or not self._current(v.repeat, found.layout):
                return None
            ops: list[str] = []
            if not drawer.draw(v.place, found.plain, found.lines, ops) or MARK in ops[0]:
                return None  # (the lines' operators, as replaying it draws them: same state)
            made = (v, v.code_with(ops[0]))
            self.variants.remember(row, made)
        elif not self._current(made[0].repeat, made[0].layout):
            return None
        v, code = made
        v.repeat.emit(canv, prefix, (v.form, code))
        return v.repeat

    def _current(self, kept: Repeat, layout: Layout) -> bool:
        """Is ``kept`` drawn from the stencil a replay in ``layout`` now draws from?"""
        stencil = kept.stencil
        current = self._stencils.get(id(layout)) is stencil and stencil.verified
        return current and kept.plain_off == self.plain_off

    def replay(
        self, r: LetterRenderer, leaves: list[Flowable], canv: FormCanvas, prefix: str,
        match: Match, sections: object = None, row: Row | None = None,
    ) -> int:  # fmt: skip
        """Draw the merge's letter ``r`` (own flowables ``leaves``) as forms ``<prefix>-p1 …`` in
        the layout matched; return the pages (as :meth:`MailMerge.capture`: the same ends).
        ``sections``: the letter's composed sections, by which its forms are kept for the
        next letter with them (:mod:`handoutpress.mailrepeat`)."""
        layout = match.layout
        # what the full layout's document template sets on the canvas each time (the file's
        # metadata: the last letter's language, as laid out)
        r.pdf_metadata(subtitle=False).apply(canv)
        doc = self._doc
        doc.canv = canv
        drawn = self._drawn_on(canv)
        last = len(layout.pages)
        fixed = frozenset(p.leaf for pg in layout.pages for p in pg.placed if p.kind == LEAF)
        fixed &= match.same
        stencil = self._stencils.get(id(layout))
        fast = stencil is not None and stencil.verified and stencil.fixed_leaves <= match.same
        records: list[PageRecord] | None = None if fast else []
        rec = None
        wanted = fast and sections is not None and not r.options.proof
        repeated = wanted and self.repeats.wants(canv, sections, prefix)
        family = row is not None and (row.family, id(layout)) not in self.variants.kept
        if wanted and (repeated or (family and row is not None and self._family_ok(row))):
            assert stencil is not None
            rec = Recording(sections, stencil, self.plain_off, canv._doc.objectcounter)
        canv.start_capture(prefix)
        try:
            for n, page in enumerate(layout.pages, start=1):
                doc.page = n
                canv.begin_capture_page()
                if fast:  # the operators the letters before drew here, and this one's own
                    assert stencil is not None
                    segments, uses = stencil.pages[n - 1]
                    if rec is not None:
                        self._noted(rec, canv, r.total_form, (segments, uses), page, leaves,
                                    match, drawn)  # fmt: skip
                    else:
                        for seg in segments:
                            if isinstance(seg, int):
                                self._place(page.placed[seg], leaves, match, drawn, canv)
                            else:
                                canv._code.append(seg.replace(MARK, r.total_form))
                    canv._formsinuse.extend(u.replace(MARK, r.total_form) for u in uses)
                    if n == last:
                        r.numbered = set(stencil.numbered)
                else:
                    ops, objects = canv._code, _objects(canv)
                    page.on_page(r, canv, doc)
                    own = []
                    for i, p in enumerate(page.placed):
                        start = len(canv._code)
                        self._place(p, leaves, match, drawn, canv)
                        if p.kind == LEAF and p.leaf not in fixed:
                            own.append((i, start, len(canv._code)))
                    if records is not None and canv._code is ops and _objects(canv) == objects:
                        records.append(PageRecord(list(ops), list(canv._formsinuse), own))
                    else:
                        records = None  # (drew forms of its own: not the same next time)
                if n == last:
                    if records is not None and len(records) == last:
                        self._learn(layout, records, r, fixed)
                    totals_key = (doc.page, frozenset(r.numbered))
                    self._finish(r, canv, doc)
                    if rec is not None:
                        got = self._totals.get(totals_key)
                        rec.totals = got[0] if got is not None else None
                if rec is not None:
                    tf = r.total_form
                    rec.ok = rec.ok and {u.replace(MARK, tf) for u in rec.uses[-1]} == set(
                        canv._formsinuse
                    )
                canv.setPageRotation(0)
                canv.showPage()
        finally:
            pages = int(canv.end_capture())
            doc.canv = None
        if rec is not None and not r.problems:
            kept = self.repeats.keep(rec, r, canv, prefix, pages, bool(repeated))
            if kept is not None and row is not None and family and len(rec.slots) == 1:
                body = r.theme.fonts.body_set
                self.variants.learn(kept, rec.slots[0], row, leaves, match.layout, match.keys,
                                    match.same, body)  # fmt: skip
        return pages

    def _family_ok(self, row: Row) -> bool:
        return self.variants.families.get(row.family, True) is not None

    def _noted(
        self, rec: Recording, canv: FormCanvas, total_form: str,
        stencil_page: tuple[list[Segment], list[str]], page: Page,
        leaves: list[Flowable], match: Match, drawn: dict[_Mark, Drawn],
    ) -> None:  # fmt: skip
        """A page drawn from its stencil (as ``replay`` draws it), its parts noted in ``rec``:
        the stencil's runs and uses as they are (``MARK`` for the total's name), the letter's
        own flowables' operators and uses as drawn."""
        segments, uses = stencil_page
        parts: list[str | tuple[str, ...]] = []
        own_uses = list(uses)
        for seg in segments:
            if isinstance(seg, int):
                ops, start, fstart = canv._code, len(canv._code), len(canv._formsinuse)
                self._slot = None
                self._place(page.placed[seg], leaves, match, drawn, canv)
                if self._slot is not None:
                    rec.slots.append(Slot(len(rec.pages), len(parts), *self._slot))
                mine = canv._formsinuse[fstart:]
                rec.ok = rec.ok and canv._code is ops and not any(MARK in u for u in mine)
                parts.append(tuple(canv._code[start:]))
                own_uses.extend(mine)
            else:
                canv._code.append(seg.replace(MARK, total_form))
                parts.append(seg)
        rec.pages.append(parts)
        rec.uses.append(own_uses)

    def _learn(
        self, layout: Layout, records: list[PageRecord], r: LetterRenderer, fixed: frozenset[int]
    ) -> None:
        """A stencil of this letter's pages; the one from the letter before, once it would
        have drawn these pages (then the next letters in this layout are drawn from it)."""
        numbered = frozenset(r.numbered)
        known = self._stencils.get(id(layout))
        if known is not None and known.verified:
            return  # (this letter's own flowables differed from the stencil's: drawn in full)
        if known is not None and known.fits(records, r.total_form, numbered, fixed):
            known.verified = True
        else:
            self._stencils[id(layout)] = Stencil.of(records, r.total_form, numbered, fixed)

    def _place(
        self, p: Placed, leaves: list[Flowable], match: Match, drawn: dict[_Mark, Drawn],
        canv: FormCanvas,
    ) -> None:  # fmt: skip
        """Draw one placed flowable as the layout placed it (its operators again when it
        drew them before on this canvas and is the same in this letter)."""
        leaf = p.kind == LEAF
        same = not leaf or p.leaf in match.same
        content = None if same else match.keys[p.leaf]
        mark: _Mark | None = id(p) if same else (id(p), content) if content is not None else None
        code = drawn.get(mark) if mark is not None else None
        if code is not None:  # drawn before on this canvas: the same operators
            canv._code.extend(code[0])
            canv._formsinuse.extend(code[1])
            return
        f = leaves[p.leaf] if leaf else p.flowable
        assert f is not None
        plain = None if same else match.plain.get(p.leaf)
        drawer = self._plain
        if plain is not None and drawer is not None and drawer.draw(id(p), *plain, canv._code):
            self._slot = (p.leaf, id(p), *plain)
            return  # (drawn from its lines)
        if same or plain is not None or p.leaf in match.unwrapped:  # (else wrapped by match)
            _wrap(f, canv, p.avail_w, p.avail_h)
        ops, forms, objects = canv._code, len(canv._formsinuse), _objects(canv)
        before = len(ops)
        f.canv = canv
        try:
            f.drawOn(canv, p.x, p.y, _sW=p.sw)
        finally:
            f.__dict__.pop("canv", None)
        if mark is not None and canv._code is ops and _objects(canv) == objects:
            drawn[mark] = (ops[before:], canv._formsinuse[forms:])
        if plain is not None and drawer is not None and canv._code is ops:
            drawer.learn(id(p), *plain, f, ops[before:])
            self.plain_off = self.plain_off or drawer.disagreed

    def _finish(self, r: LetterRenderer, canv: FormCanvas, doc: HandoutDoc) -> None:
        """``r.finish(doc)``: the letter's page totals as forms of its own; once made on
        this canvas for the same pages, the same forms again from their operators (and the
        renderer's attributes finish() set, set again)."""
        key = (doc.page, frozenset(r.numbered))
        known = self._totals.get(key)
        if known is not None:
            forms, attrs = known
            for suffix, box, code, uses in forms:
                canv.beginForm(r.total_form + suffix, *box)
                canv._code.extend(code)
                canv._formsinuse.extend(uses)
                canv.endForm()
            for name, value in attrs.items():
                setattr(r, name, copy.copy(value))
            return
        made: list[tuple[str, tuple[float, ...], list[str], list[str]]] = []

        def end_form(**extra: object) -> None:
            name, *box = canv._formData
            made.append((name, tuple(box), list(canv._code), list(canv._formsinuse)))
            type(canv).endForm(canv, **extra)

        objects, before = _objects(canv), dict(vars(r))
        canv.__dict__["endForm"] = end_form  # (to see the forms' operators)
        try:
            r.finish(doc)
        finally:
            del canv.__dict__["endForm"]
        attrs = {k: v for k, v in vars(r).items() if before.get(k, _NOTHING) is not v}
        prefix = r.total_form
        if _objects(canv) == objects + len(made) and all(m[0].startswith(prefix) for m in made):
            forms = [(m[0][len(prefix) :], *m[1:]) for m in made]
            self._totals[key] = (forms, {k: copy.copy(v) for k, v in attrs.items()})

    def _drawn_on(self, canv: Canvas) -> dict[_Mark, Drawn]:
        """What each placed flowable the same in every letter drew on ``canv`` (its
        operators and the forms they use), once drawn there without making an object."""
        if self._canvas is None or self._canvas() is not canv:
            self._canvas = weakref.ref(canv)
            self._drawn = {}
            self._totals = {}
            self._stencils = {}
            self._plain = PlainDrawer(canv)
            self.variants.on_new_canvas()
        return self._drawn


@dataclass(frozen=True)
class Match:
    """A layout a letter takes, and its personal flowables with the layout's content."""

    layout: Layout
    same: frozenset[int]
    #: the recipient's plain paragraphs (by index), with the lines they break into there
    plain: dict[int, tuple[PlainText, list[Line]]] = field(default_factory=dict, compare=False)
    #: each personal flowable's content_key() (None: not known)
    keys: list[tuple[object, ...] | None] = field(default_factory=list, compare=False)
    #: personal flowables sized by their content, not wrapped yet (wrapped if drawn)
    unwrapped: frozenset[int] = frozenset()


def _objects(canv: Canvas) -> int:
    return len(canv._doc.idToObject)


def _wrap(f: Flowable, canv: Canvas, aw: float, ah: float) -> tuple[float, float]:
    """``f.wrap`` as a frame calls it (with the canvas on the flowable)."""
    f.canv = canv
    try:
        got = f.wrap(aw, ah)
    finally:
        f.__dict__.pop("canv", None)
    return float(got[0]), float(got[1])
