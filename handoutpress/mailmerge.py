"""Mail merge: one letter drawn for thousands of recipients (``batch``), wrapping a
:class:`~handoutpress.layouts.letter.LetterRenderer`.

What every recipient shares is laid out once: :meth:`MailMerge.capture` turns the letter's
pages into one form XObject each on a :class:`~handoutpress.mailcanvas.FormCanvas`, and
:meth:`MailMerge.stamp` draws a recipient's letter as those forms plus only the personal
parts (address, barcode, greeting, the name in later sheets' running heads). When the
handout's text uses recipient fields, :meth:`MailMerge.prepare_reuse` lays the other
sections, the sign-off and the page decorations out once (:class:`Shared` flowables,
their sizes and splits remembered) and :meth:`MailMerge.for_recipient` makes a merge that
lays out only a recipient's own sections.
"""

from __future__ import annotations

import copy
import dataclasses
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether
from reportlab.platypus.doctemplate import LayoutError

from . import mailstamp
from .addressing import Addressee
from .compose import Composed
from .errors import ContentOverflow
from .handoutdoc import SectionMark
from .layouts.letter import LetterRenderer
from .mailcanvas import FormCanvas
from .mailrecord import Recorder, leaves_of, shape_of
from .mailrepeat import Repeat
from .mailreplay import Match, Replays
from .mailvariant import Row
from .render import HandoutDoc, LayoutRenderer
from .section_story import section_story
from .sharedflowables import ParagraphMemo, Part, copied_story, fresh, reusable
from .styles import Theme


class _LetterDoc(HandoutDoc):
    #: remembering this layout for other recipients' letters (personal text)
    recorder: Recorder | None = None

    def handle_pageBegin(self) -> None:
        canv = self.canv
        if isinstance(canv, FormCanvas):
            canv.begin_capture_page()
        if self.recorder is not None:
            self.recorder.begin_page(self)
        super().handle_pageBegin()


@dataclass
class _Reuse:
    """What a mailing with recipient fields in its text lays out once for all letters."""

    personal: frozenset[int]  # indices of the sections laid out per recipient
    shared: dict[int, list[Part]]  # section index → its flowables (Shared where reusable)
    closing: list[Part]
    prefix: str  # of form names
    #: page decoration form → where that page's total goes
    totals: dict[str, tuple[float, float]] = dataclasses.field(default_factory=dict)
    #: layouts of letters remembered, to repeat for a recipient whose text fits them
    replays: Replays = dataclasses.field(default_factory=Replays)
    #: the theme the personal sections are made in: their paragraphs with no recipient
    #: value parsed once (``ParagraphMemo``)
    theme: Theme | None = None
    #: the personal sections' flowables as made (never laid out: each letter lays out
    #: copies), by the sections' ids (kept with them)
    stories: dict[tuple[int, ...], tuple[tuple[object, ...], list[Flowable]]] = dataclasses.field(
        default_factory=dict
    )
    MAX_STORIES: ClassVar[int] = 1024


def _by_section(story: list[Flowable]) -> dict[int, list[Flowable]]:
    """A section story split at its SectionMarks: section index → its flowables."""
    out: dict[int, list[Flowable]] = {}
    current: list[Flowable] = []
    for f in story:
        if isinstance(f, SectionMark):
            current = out.setdefault(f.section.index, [])
        current.append(f)
    return out


#: a part of a letter's story as laid out once: shared by every letter, or copied for each


class MailMerge:
    """A letter drawn for many recipients (the hooks of
    :class:`~handoutpress.layouts.letter.Merge`)."""

    def __init__(self, renderer: LetterRenderer | None) -> None:
        self._renderer = renderer
        if renderer is not None:
            renderer.merge = self
        #: drawing forms: the personal parts are left out (stamped per recipient)
        self.capturing = False
        #: with personal text: what every recipient's letter shares (prepare_reuse)
        self.reused: _Reuse | None = None
        #: while a shared page decoration is drawn: where its page total goes (not drawn
        #: there: each letter has its own total)
        self._total_at: list[tuple[float, float]] | None = None
        #: with personal text: the personal sections' flowables (own_story)
        self._own: list[Flowable] | None = None
        #: one recipient's letter (for_recipient), stamped once: its stamp is not kept
        self.once = False
        self._leaves: list[Flowable] | None = None
        #: for_recipient's: the shared merge and the recipient's composition (the letter's
        #: renderer made from them when first needed: not for a repeated letter)
        self._pending: tuple[MailMerge, Composed | None] | None = None
        #: this letter's forms made from a letter before it (mailrepeat)
        self._repeat: Repeat | None = None
        #: a letter that may be made from another of its family's (mailvariant)
        self.variant: Row | None = None

    @property
    def renderer(self) -> LetterRenderer:
        r = self._renderer
        if r is None:
            assert self._pending is not None
            shared, composed = self._pending
            assert composed is not None, "composed when its letter is drawn (capture)"
            base = shared.renderer
            assert self.reused is not None
            mixed = [
                mine if s.index in self.reused.personal else s
                for s, mine in zip(base.composed.sections, composed.sections, strict=True)
            ]
            r = self._renderer = copy.copy(base)
            r.composed = dataclasses.replace(composed, sections=tuple(mixed))
            r.problems = []
            r.merge = self
        return r

    @renderer.setter
    def renderer(self, r: LetterRenderer) -> None:
        self._renderer = r

    # -- with recipient fields in the text: lay out only what differs --------------------
    def prepare_reuse(self, personal: frozenset[int], prefix: str) -> None:
        """Lay out once what every recipient's letter shares: the sections whose text has
        no recipient field (the renderer's ``composed`` has them; the ``personal`` ones
        are empty), the sign-off and the page decorations. :meth:`for_recipient` then
        makes a merge that lays out only the personal sections per letter."""
        r = self.renderer
        r._setup()
        r._theme_extras()
        groups = _by_section(
            section_story(r.composed, r.theme, r.geo.text_w, split_after_heading=True)
        )
        n = 0
        shared: dict[int, list[Part]] = {}
        for index, items in groups.items():
            if index in personal:
                continue
            out = []
            for f in items:
                out.append(reusable(f, f"{prefix}s{n}"))
                n += 1
            shared[index] = out
        closing = [reusable(f, f"{prefix}c{i}") for i, f in enumerate(r.closing())]
        self.reused = _Reuse(personal, shared, closing, prefix)
        memo = ParagraphMemo(r.theme.fonts)
        self.reused.theme = dataclasses.replace(r.theme, paragraph=memo.paragraph)

    def for_recipient(self, composed: Composed | None, variant: Row | None = None) -> MailMerge:
        """One recipient's letter (``composed`` has only the personal sections) sharing
        this one's theme, logo, geometry and laid-out parts. ``variant``: the letter may
        be made from another of its family's (``composed`` None: composed when it is not)."""
        assert self.reused is not None
        merge = MailMerge(None)
        merge._pending = (self, composed)
        merge.reused = self.reused
        merge.once = True
        if variant is not None:
            variant.leaves = lambda c: self.for_recipient(c).own_leaves()
            merge.variant = variant
        return merge

    def release(self) -> None:
        """A recipient's letter drawn: let it go now (its renderer and this merge point at
        each other, which only the cyclic collector frees; a batch runs it once a chunk, and
        a chunk's thousand letters kept till then cost it more than drawing them)."""
        if self._renderer is not None:
            self._renderer.merge = None
        self._own = self._leaves = None
        self._repeat = self.variant = None

    # -- the hooks the letter calls ---------------------------------------------------------
    def own_story(self) -> list[Flowable]:
        """The personal sections' flowables, made once per letter (copies of those made
        for a letter before with the same composed sections: ``batch.compositions`` gives
        rows with the same values the same ones)."""
        if self._own is None:
            reused = self.reused
            assert reused is not None
            r = self.renderer
            mine = tuple(s for s in r.composed.sections if s.index in reused.personal)
            key = tuple(id(s) for s in mine)
            kept = reused.stories.get(key)
            if kept is not None and all(a is b for a, b in zip(kept[0], mine, strict=True)):
                self._own = copied_story(kept[1])
            if self._own is None:
                made = section_story(
                    dataclasses.replace(r.composed, sections=mine),
                    reused.theme or r.theme,
                    r.geo.text_w,
                    split_after_heading=True,
                )
                self._own = copied_story(made)
                if self._own is None:
                    self._own = made  # (not copied safely: made for each letter)
                else:
                    if len(reused.stories) >= _Reuse.MAX_STORIES:
                        reused.stories.clear()
                    reused.stories[key] = (mine, made)
        return self._own

    def own_leaves(self) -> list[Flowable]:
        """:meth:`own_story`'s flowables, each container followed by its children."""
        if self._leaves is None:
            self._leaves = leaves_of(self.own_story())
        return self._leaves

    def story(self) -> list[Flowable] | None:
        reuse = self.reused
        if reuse is None:
            return None
        r = self.renderer
        own = _by_section(self.own_story())
        story: list[Flowable] = []
        for s in r.composed.sections:
            if s.index in reuse.personal:
                story.extend(own.get(s.index, []))
            else:
                story.extend(fresh(reuse.shared.get(s.index, [])))
        story.append(KeepTogether(fresh(reuse.closing)))
        return story

    def decorate(self, canv: Canvas, kind: str, paint: Callable[[], None]) -> None:
        """A page's fixed parts; with reused parts (personal text) as a form per page
        number, drawn once per file, and the letter's own page total after."""
        reuse = self.reused
        if reuse is None or not isinstance(canv, FormCanvas):
            paint()
            return
        page = canv.getPageNumber()
        name = f"{reuse.prefix}{kind}{page}"
        known = reuse.totals.get(name)
        if known is None or not canv.hasForm(name):
            self._total_at = []
            canv.beginForm(name)
            paint()  # place_total notes where the total goes instead of drawing it
            canv.endForm()
            known = reuse.totals[name] = self._total_at[0]
            self._total_at = None
        canv.doForm(name)
        LayoutRenderer.place_total(self.renderer, canv, *known)

    def place_total(self, x: float, y: float) -> bool:
        if self._total_at is None:
            return False
        self._total_at.append((x, y))  # decorate() draws it outside the shared form
        return True

    # -- the same parts once, then per recipient -------------------------------------------
    def capture(self, canv: FormCanvas, prefix: str) -> int:
        """Lay out everything that is the same for every recipient into forms
        ``<prefix>-p1 … -pN`` on ``canv``; return N. Raises ContentOverflow like build.

        With personal text, a letter whose personal flowables take the sizes of a letter
        laid out before on this canvas's mailing is drawn in that layout instead
        (:mod:`handoutpress.mailreplay`: the same bytes); any other is laid out in full,
        and remembered."""
        replays = self.reused.replays if self.reused is not None else None
        row = self.variant
        if row is not None and self._pending is not None and self._pending[1] is None:
            assert replays is not None
            self._repeat = replays.variant(canv, prefix, row)
            if self._repeat is not None:  # (its family's letter's forms, its paragraph's own)
                self.renderer = self._repeat.renderer
                return self._repeat.pages
            self._pending = (self._pending[0], row.own())
        mine = self._pending[1] if self._pending is not None else None
        sections = mine.sections if mine is not None else None
        if replays is not None and sections is not None:
            self._repeat = replays.repeat(canv, sections, prefix)
            if self._repeat is not None:  # (drawn before: its forms again, nothing laid out)
                return self._repeat.emit(canv, prefix)
        r = self.renderer
        r._setup()
        r._theme_extras()
        self.capturing = True
        r.total_form = f"{prefix}-total"
        r.problems = []
        layout = self._replayable(canv) if replays is not None else None
        if replays is not None and layout is not None:
            pages = replays.replay(r, self.own_leaves(), canv, prefix, layout, sections, row)
        else:
            pages = self._lay_out(canv, prefix, replays)
        if r.problems:
            # batch rejects this letter: its text must not stay in the file unused
            canv.blank_forms([f"{prefix}-p{i}" for i in range(1, pages + 1)])
            # the pages drawn before the error call their "Page N of T" forms, which only
            # finish() makes: the file needs them to exist (empty), or saving it fails
            canv.empty_forms([f"{r.total_form}-{page}" for page in sorted(r.numbered)])
            r.numbered = set()
            raise ContentOverflow(r.problems)
        if r.options.proof and not canv.hasForm(f"{prefix}-proof"):
            canv.beginForm(f"{prefix}-proof")
            r.draw_proof(canv)
            canv.endForm()
        return pages

    def _replayable(self, canv: FormCanvas) -> Match | None:
        """A remembered layout this letter takes exactly, if a full layout has drawn on
        ``canv`` (it made the document's settings) and the letter has nothing to refuse."""
        assert self.reused is not None
        replays = self.reused.replays
        if not replays.layouts or canv not in replays.built_on:
            return None
        if self.renderer.unshown_fields():
            return None  # refused by the full layout, with its message
        leaves = self.own_leaves()
        match = replays.match(leaves, [shape_of(f) for f in leaves], canv)
        if match is None:  # wrapped for the layouts tried: the full layout gets new ones
            self._own = self._leaves = None
        return match

    def _lay_out(self, canv: FormCanvas, prefix: str, replays: Replays | None) -> int:
        """The letter laid out in full (platypus); with personal text, remembered."""
        r = self.renderer
        doc = _LetterDoc(
            io.BytesIO(),
            r.layout.max_pages,
            pagesize=(r.W, r.H),
            leftMargin=0,
            rightMargin=0,
            topMargin=0,
            bottomMargin=0,
            **r.pdf_metadata(subtitle=False).doc_template_args(),
            initialFontName=r.theme.fonts.regular,
            pageCompression=1,
            allowSplitting=1,
        )
        doc.addPageTemplates(r.page_templates())
        doc.finish_hooks.append(r.finish)
        story = r.story()
        recorder = None
        if replays is not None and replays.wants():
            leaves = self.own_leaves()  # (their shapes before platypus changes any)
            recorder = Recorder(r, leaves, [shape_of(f) for f in leaves])
            recorder.watch(doc)
            doc.recorder = recorder
        canv.start_capture(prefix)
        try:
            doc.build(story, canvasmaker=lambda *a, **k: canv)
        except LayoutError as exc:  # the same words as build's
            r.problems.append(r.too_tall_problem(doc, exc))
        finally:
            pages = canv.end_capture()
            if replays is not None:
                replays.built_on.add(canv)
        r.report_overflow(doc)
        if recorder is not None and not r.problems:
            replays.remember(recorder)  # type: ignore[union-attr]
        return pages

    def stamp(self, canv: Canvas, prefix: str, pages: int, a: Addressee, pad_to: int = 1) -> int:
        """Draw one recipient's letter from the captured forms; return the pages drawn."""
        repeat = self._repeat
        if repeat is not None:  # (a letter made from one before: that letter's renderer)
            drawn = repeat.stamp_letter(canv, prefix, pages, a, pad_to)
            if drawn:
                return drawn
            self.renderer = repeat.renderer
        r = self.renderer
        proof = f"{prefix}-proof" if r.options.proof else None
        if self.once:  # (a kept stamp would keep the letter: release())
            ok = mailstamp.ENABLED and isinstance(canv, FormCanvas)
            fast = mailstamp.LetterStamp(r, canv, prefix, proof) if ok else None
        else:
            fast = mailstamp.letter_stamp(r, canv, prefix, proof)
        if fast is not None:  # the common case, written from what every letter shares
            drawn = fast.stamp(pages, a, pad_to)
            if drawn:
                return drawn
        # a merged mailing is untagged: no structure node per address line (they were kept
        # in the shared letter's tree, about 340 bytes a letter, 787 MB at a million)
        address_tag, r.address_tag = r.address_tag, None
        try:
            for page in range(1, pages + 1):
                form = f"{prefix}-p{page}"
                if mailstamp.write_page(r, canv, form, page, a, proof):  # the same, as bytes
                    continue
                canv.doForm(form)
                r.draw_personal(canv, page, a)
                if r.options.proof:
                    canv.doForm(f"{prefix}-proof")
                canv.showPage()
        finally:
            r.address_tag = address_tag
        drawn = pages
        while drawn % pad_to:
            if not mailstamp.write_blank(canv):
                canv.showPage()  # a blank back, so the next letter starts on a new sheet
            drawn += 1
        return drawn
