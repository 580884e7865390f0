"""Letter-fold (C-fold) tri-fold brochure.

Page 1 (outside), left to right: fold-in flap, back panel, front cover.
Page 2 (inside): three panels, mirrored so the inside right panel sits behind the flap.

Fold order (how a patient opens it): the cover opens onto the flap beside inside-left; the
flap opens onto the inside spread. So the flap holds a section that stands alone (named
with ``panel: flap``, else the last plain section when it fits), with write-in lines for
notes under it; the key points open inside-left; the other sections flow inside left →
middle → right, each kept whole in one panel (one taller than a panel is split and marked
continued at both ends). The back panel holds the tiered safety box, the contact details
and the personal fields (the box goes to the end of the inside when the back cannot hold
it). Body type is the largest size between ``type.body`` and ``type.max_body`` that fits.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    FrameBreak,
    KeepTogether,
    PageTemplate,
    Spacer,
)

from ..block_flowables import loosen_lists
from ..boxes import WholeSection, keypoints_box, tier_sections, tiered_box
from ..compose import ComposedSection, public_heading
from ..errors import ContentOverflow
from ..geometry import TrifoldGeometry
from ..handoutdoc import SectionMark
from ..markdown import Para
from ..markup import inline_markup
from ..models import TypeScale
from ..notes_lines import IfRoom, NotesLines
from ..parted_lists import PartedList, parted_warnings
from ..press import press_theme
from ..render import HandoutDoc, RenderResult, frame
from ..section_story import closing_note, section_story
from ..staff_order import staff_then_disclaimer
from ..styles import make_theme
from ..tagging import Node, artifact
from .trifold_back import TrifoldBack
from .trifold_parts import notes_before_note

#: body sizes are tried in steps of this many points between type.body and type.max_body
TYPE_STEP = 0.5


class TrifoldRenderer(TrifoldBack):
    TAGGED = True
    STAFF_MARK_IN_FOOTER = True

    def _geometry(self) -> None:
        g = self.geo = self.layout.geometry_as(TrifoldGeometry)
        self.pad = self.layout.panel_padding
        self.top = g.top
        self.bottom = g.bottom
        w = self.layout.panels
        self.outside = [(0.0, w[0]), (w[0], w[1]), (w[0] + w[1], w[2])]
        self.inside = [(0.0, w[2]), (w[2], w[1]), (w[2] + w[1], w[0])]
        self.foot = g.foot
        if self.composed.staff_copy:  # a third mark line: the foot grows, never off the paper
            lines = max(len(self.foot_lines(self.text_box(p)[1])) for p in self.outside)
            self.foot = max(g.foot, lines * self.theme["mark"].leading)
        self.text_h = self.H - self.top - self.bottom - self.foot
        self.text_y = self.bottom + self.foot
        #: height of the inside panels' text (shorter when short content is balanced)
        self.flow_h = self.flow_height or self.text_h
        self.flow_y = self.text_y + self.text_h - self.flow_h

    flow_height: float | None = None
    keys_open_inside = False
    #: 1: sections may break between blocks (not only when taller than a panel), 2: inside
    #: them too; raised one step at a time while the content does not fit otherwise
    may_split = 0
    #: lines for notes left with no room are left out (:class:`IfRoom`), not moved on (to a
    #: page 3 of their own: an overflow); tried when the text fits no other way
    drop_notes = False
    #: a list's last two items (and a lead-in and its first item) free to part
    #: (:func:`loosen_lists`): tried last, a lone last item rather than a brochure refused,
    #: as the sheet and the letter do (layouts/loose_lists.py)
    loose_lists = False
    #: a heading at a panel's foot keeps two lines under it (:class:`WholeSection`): set for
    #: a second search when the first one's layout ends a panel with one over one line
    keep_headings = False
    stranded: list[str] = []
    stranded_fitted: tuple[str, ...] = ()
    wholes: list[tuple[ComposedSection, WholeSection]] = []
    #: the sections of the last layout that fitted (report_splits warns about those)
    wholes_fitted: tuple[tuple[ComposedSection, WholeSection], ...] = ()
    FLOW = ((1, "flap"), (2, "inside-1"), (2, "inside-2"), (2, "inside-3"))
    #: the panel after each, as a warning names it (page 2: the inside)
    NEXT_PANEL = {
        "flap": "page 2's left panel",
        "inside-1": "page 2's middle panel",
        "inside-2": "page 2's right panel",
    }

    # -- type size and balance ----------------------------------------------------------------
    def type_steps(self) -> list[float]:
        """Body sizes to try, smallest first: type.body, then up by TYPE_STEP to max_body."""
        t = self.layout.type
        top = t.max_body or t.body
        n = max(0, int(round((top - t.body) / TYPE_STEP)))
        return [t.body + i * TYPE_STEP for i in range(n + 1)]

    def use_body(self, size: float) -> None:
        """Scale body and headings to ``size`` (leading in proportion) and remake the theme."""
        t = self.layout.type
        f = size / t.body
        self.scale = TypeScale.model_validate(
            {
                **t.model_dump(),
                "body": size,
                "body_leading": t.body_leading * f,
                "heading": t.heading * f,
                "heading_leading": t.heading_leading * f,
            }
        )
        self.theme = make_theme(self.brand, self.scale, self.theme.fonts)
        if self.press is not None:  # (as LayoutRenderer does: 100 % K body text, …)
            self.theme = press_theme(self.theme, self.condition.profile)

    def render(self) -> RenderResult:
        """The layout :meth:`search` finds; when it ends a panel with a heading over one line
        of its section, the one it finds keeping two lines under every heading (or the
        section whole in the next panel: :attr:`keep_headings`), unless none fits."""
        pdf, doc = self.search()
        if self.stranded_fitted:  # (any other brochure is laid out as before, byte for byte)
            self.keep_headings, self.flow_height = True, None
            self.may_split, self.drop_notes, self.loose_lists = 0, False, False
            with suppress(ContentOverflow):  # (else the first one's, the heading as it was)
                pdf, doc = self.search()
        self.check_filled(doc)
        self.report_splits()
        return self.result(pdf, doc)

    def search(self) -> tuple[bytes, HandoutDoc]:
        """Lay out at the layout's body size (an overflow there is the error); then at the
        largest body size up to max_body that still fits (bisection over the steps); if short
        content still leaves an inside panel empty, balance it over the inside panels by
        bisecting a common panel height (each try is a full layout, tens of milliseconds)."""
        steps = self.type_steps()
        self.use_body(steps[0])
        #: the cover and the back panel keep the layout's own sizes (their room is fixed);
        #: the flowing panels grow
        self.fixed_theme = self.theme
        while True:
            try:
                pdf, doc = self.build_once()
                break
            except ContentOverflow:  # kept whole, the sections do not fit: let them break
                if self.may_split == 2:
                    if self.loose_lists:
                        raise
                    if self.drop_notes:
                        self.loose_lists = True  # last: lists' items free to part
                    self.drop_notes = True  # no lines for notes where they have no room
                    continue
                self.may_split += 1
        best = 0
        low, high = 1, len(steps) - 1
        while low <= high:
            mid = (low + high) // 2
            self.use_body(steps[mid])
            try:
                pdf_mid, doc_mid = self.build_once()
            except ContentOverflow:
                high = mid - 1
                continue
            best, pdf, doc = mid, pdf_mid, doc_mid
            low = mid + 1
        self.use_body(steps[best])
        if all(panel in doc.filled for panel in self.FLOW):
            return pdf, doc
        low_h, high_h = self.text_h * 0.15, self.text_h
        for _ in range(9):
            self.flow_height = (low_h + high_h) / 2
            try:
                pdf, doc = self.build_once()
                high_h = self.flow_height
            except ContentOverflow:
                low_h = self.flow_height
        if self.flow_height != high_h:
            self.flow_height = high_h
            pdf, doc = self.build_once()
        return pdf, doc

    def fitted(self) -> None:
        super().fitted()
        self.wholes_fitted = tuple(self.wholes)
        self.stranded_fitted = tuple(self.stranded)

    def report_splits(self) -> None:
        """Warn about each section the layout kept broke across a fold, and each list it
        parted there (not one a larger size tried after it, which overflowed, broke)."""
        for section, whole in self.wholes_fitted:
            parted = [
                PartedList(section, lead_in, f"atop {self.NEXT_PANEL.get(panel, 'the next panel')}")
                for lead_in, panel in whole.parted or ()
            ]
            self.warnings += parted_warnings(self.composed, self.layout.name, parted)
            if whole.was_split:
                self.warnings.append(
                    f"{self.composed.id}: {self.layout.name}: "
                    f"{public_heading(self.composed, section)} continues "
                    "across a fold; shorten the text so that each section fits in one panel"
                )

    def folds(self, page: int) -> list[float]:
        panels = self.outside if page % 2 else self.inside
        return [x for x, _ in panels[1:]]

    def rule_y(self) -> float:
        """The coloured rule over each panel's text: 8 pt above it, inside the safe margin."""
        return min(self.H - self.top + 8, self.H - self.safe - 4)

    def text_box(self, panel: tuple[float, float]) -> tuple[float, float]:
        """(x, width) of a panel's text: ``panel_padding`` from a fold, ``edge_padding`` from
        the paper's edge (a line's trailing space and a box's rule stay off the safe margin)."""
        x, w = panel
        left = self.geo.edge_padding if x <= 0.5 else self.pad
        right = self.geo.edge_padding if x + w >= self.W - 0.5 else self.pad
        return x + left, w - left - right

    def page_templates(self) -> list[PageTemplate]:
        self._geometry()
        fx, fw = self.text_box(self.outside[0])
        outside = PageTemplate(
            id="outside",
            frames=[frame("flap", fx, self.text_y, fw, self.text_h)],
            onPage=self.draw_outside,
            autoNextPageTemplate="inside",
        )
        frames = []
        for i, panel in enumerate(self.inside, start=1):
            x, w = self.text_box(panel)
            frames.append(frame(f"inside-{i}", x, self.flow_y, w, self.flow_h))
        inside = PageTemplate(
            id="inside", frames=frames, onPage=self.draw_inside, autoNextPageTemplate="inside"
        )
        return [outside, inside]

    # -- the story --------------------------------------------------------------------------
    def flap_sections(self) -> list[ComposedSection]:
        """The sections the handout puts on the flap; else the last plain section, when it
        fits the flap and at least two other plain sections are left for the inside."""
        named = [s for s in self.composed.sections if s.panel == "flap"]
        if named:
            return named
        plain = [s for s in self.composed.sections if s.style == "normal"]
        if len(plain) < 3:
            return []
        last = plain[-1]
        _, w = self.text_box(self.outside[0])
        probe = self.whole(last, w)
        self.wholes.remove((last, probe))
        if probe.wrap(w, self.text_h)[1] > self.text_h * 0.8:
            return []
        return [last]

    def whole(
        self,
        section: ComposedSection,
        width: float,
        parent: Node | None = None,
        notes: NotesLines | None = None,
        moved: Para | None = None,
    ) -> WholeSection:
        """``section`` kept in one panel; ``notes``: the lines ending the panel, put above
        the section's :func:`closing_note` if it has one (the caller draws them otherwise),
        or above ``moved``, an earlier section's closing note that ends the panel instead
        (tagged after this section, not in it)."""
        own = closing_note(section.blocks) if notes is not None and parent and not moved else None
        note = moved or own
        shown = replace(section, blocks=section.blocks[:-1]) if own is not None else section
        parts = section_story(replace(self.composed, sections=(shown,)), self.theme, width,
                              parent=parent)[1:]  # fmt: skip
        if self.loose_lists:
            loosen_lists(parts)
        if note is not None and notes is not None and parent is not None:
            parts.append(notes_before_note(notes, note, self.theme, parent, own is not None))
        heading, t = inline_markup(section.heading, self.theme.fonts), self.text
        whole = WholeSection(parts, self.theme, heading, t("continues"), t("continued"),
                             self.may_split, self.keep_headings, self.stranded, [])  # fmt: skip
        self.wholes.append((section, whole))
        return whole

    def story(self) -> list[Flowable]:
        self.wholes, self.stranded = [], []
        width = min(self.text_box(p)[1] for p in self.inside)  # boxes fit any inside panel
        _, flap_w = self.text_box(self.outside[0])
        sections = self.composed.sections
        flap = self.flap_sections()
        tiers = tier_sections(sections)
        keys = [s for s in sections if s.style == "keypoints"]
        # reading order: the cover, the back panel (what the closed brochure shows), the
        # flap, then the inside left to right
        root = self.tags.root
        self.cover_tag = root.add("Div")
        self.back_tag = root.add("Div")
        # the tiered box on the back; when it does not fit there beside the personal fields,
        # the fields go to the flap (they stand alone); else the box ends the inside
        self.fields_on_flap = False
        self.tiers_on_back = bool(tiers) and self.back_fits(tiers)
        if tiers and not self.tiers_on_back and self.composed.fields:
            self.fields_on_flap = True
            self.tiers_on_back = self.back_fits(tiers)
            self.fields_on_flap = self.tiers_on_back
        story: list[Flowable] = []
        if self.fields_on_flap:
            block = self.personal_fields()
            block.tags = root.add("Table")
            story += [block, Spacer(0, 10)]
        # lines for notes under the flap's text, their label read as the sheet's is (a P),
        # above the last section's closing note when it has one
        notes = NotesLines(self.text("notes"), self.theme)
        # the staff copy, its staff sections last on the flap: the patient's disclaimer
        # (*This handout does not replace advice …*) still ends the flap, after them and
        # the lines for notes, as in the patient's copy
        shown, moved = staff_then_disclaimer(flap)
        for s, drawn in zip(flap, shown, strict=True):
            ends = s is flap[-1]
            story += [
                SectionMark(s),
                self.whole(drawn, flap_w, root, notes if ends else None, moved if ends else None),
            ]
        if notes.node is None:
            notes.node = root.add("P")
            story.append(IfRoom(notes) if self.drop_notes else notes)
        story.append(FrameBreak())
        #: the key points open inside-left, as wide as its text, under the panel's rule in
        #: the accent colour (not a box rule of their own 1 pt under the panel's: two rules
        #: read as one smudged line, and the box was narrower than the text beside it)
        self.keys_open_inside = bool(keys)
        keys_w = self.text_box(self.inside[0])[1]
        for s in keys:
            story += [SectionMark(s), keypoints_box(s, self.theme, keys_w, root, rule=False)]
        # room left under the last inside panel's text: lines for notes, not blank paper
        # (above the last section's closing note when the inside ends with one)
        more = NotesLines(self.text("more_notes"), self.theme, min_lines=4)
        inside = [s for s in sections if s not in flap and s not in tiers and s not in keys]
        boxed_last = bool(tiers) and not self.tiers_on_back
        for s in inside:
            last = more if s is inside[-1] and not boxed_last else None
            story += [SectionMark(s), self.whole(s, width, root, last)]
        if boxed_last:
            box = tiered_box(tiers, self.theme, width, self.brand.contact.phone, root)
            story += [SectionMark(tiers[0]), KeepTogether([box])]  # never split
        if more.node is None:
            more.node = root.add("P")
            story.append(IfRoom(more) if self.drop_notes else more)
        return story

    def check_filled(self, doc: HandoutDoc) -> None:
        for page, fid in self.FLOW:
            if (page, fid) not in doc.filled:
                self.warnings.append(
                    f"{self.composed.id}: trifold: panel {fid} is empty; add content or use "
                    "the sheet layout"
                )

    # -- fixed parts ------------------------------------------------------------------------
    def draw_rules(
        self, canv: Canvas, panels: list[tuple[float, float]], accent_first: bool = False
    ) -> None:
        """The coloured rule over each panel's text (``accent_first``: the first panel's in
        the accent colour and 4 pt thick, the key points' rule)."""
        with artifact(canv):
            self._draw_rules(canv, panels, accent_first)

    def _draw_rules(
        self, canv: Canvas, panels: list[tuple[float, float]], accent_first: bool
    ) -> None:
        colours = self.theme.colours
        for n, panel in enumerate(panels):
            x, w = self.text_box(panel)
            accent = accent_first and n == 0
            canv.setFillColor(colours["accent" if accent else "primary"])
            canv.rect(x, self.rule_y() - (1 if accent else 0), w, 4 if accent else 3, 0, 1)

    def draw_inside(self, canv: Canvas, doc: HandoutDoc) -> None:
        canv.saveState()
        self.draw_rules(canv, self.inside, accent_first=self.keys_open_inside)
        self.draw_feet(canv, self.inside)
        canv.restoreState()

    def draw_outside(self, canv: Canvas, doc: HandoutDoc) -> None:
        canv.saveState()
        flowing, self.theme = self.theme, self.fixed_theme or self.theme
        try:
            self.draw_cover(canv)
            self.draw_back(canv)
        finally:
            self.theme = flowing
        self.draw_rules(canv, self.outside[:2])
        self.draw_feet(canv, self.outside, read=1)  # (the back panel's)
        canv.restoreState()
