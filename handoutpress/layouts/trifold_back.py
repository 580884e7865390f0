"""The tri-fold's back panel: the tiered safety box (when it fits there), the contact
details, the personal fields and the long SAMPLE / DRAFT marks, over the form number:
:class:`TrifoldBack`, the part of the tri-fold's renderer
(:class:`~handoutpress.layouts.trifold.TrifoldRenderer` is one) that lays it out and draws
it."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer

from ..boxes import tier_sections, tiered_box
from ..compose import ComposedSection
from ..footer import mark_markup
from ..formfields import FieldsBlock
from ..layout_fields import fields_block
from ..lonewords import NoLoneWord
from ..styles import Theme
from ..tagging import Node, tag
from .trifold_feet import TrifoldFeet
from .trifold_parts import remembered_back_fit


class TrifoldBack(TrifoldFeet):
    """The back panel, laid out from what the tri-fold's renderer sets up (its panels, the
    top margin, the back's ``Div`` in the structure tree) in the layout's own sizes
    (:attr:`fixed_theme`, whatever body size the search tries)."""

    #: the top margin over every panel's text
    top: float
    #: the back panel's ``Div`` in the structure tree
    back_tag: Node

    def _geometry(self) -> None:
        """The panels and margins (the tri-fold's renderer works them out)."""
        raise NotImplementedError

    def back_marks(self) -> list[str]:
        """The long marks the back panel always carries (SAMPLE, DRAFT). The staff copy's
        is not among them: the panel's layout (the tiered box, the personal fields) is the
        patient copy's, and the staff mark goes in the room left (:meth:`draw_back`)."""
        staff = self.text("staff_copy_long") if self.composed.staff_copy else None
        return [long for _, long in self.marks() if long != staff]

    def back_parts(self, tiers: list[ComposedSection], back: Node | None) -> list[Flowable]:
        """The back panel's text: the tiered box, the contact details, the personal fields
        and the long SAMPLE / DRAFT notes; tagged under ``back`` when given (not when only
        measuring)."""
        c = self.composed
        th = self.theme
        markup = th.fonts.markup
        _, w = self.text_box(self.outside[1])

        def tagged(f: Flowable, role: str) -> Flowable:
            return tag(f, back.add(role)) if back is not None else f

        parts: list[Flowable] = []
        if tiers:  # the box shows the phone: the rest of the contact details under it
            parts.append(tiered_box(tiers, th, w, self.brand.contact.phone, back))
            for f in self.contact_block(gap=6)[2:]:
                parts.append(tagged(f, "P") if isinstance(f, Paragraph) else f)
        else:
            parts += self.contact_block(gap=6, parent=back)
        if c.fields and not self.fields_on_flap:
            parts.append(Spacer(0, 6))
            block = self.personal_fields()
            if back is not None:
                block.tags = back.add("Table")  # a row per field, label TH, value TD
            parts.append(block)
        for long in self.back_marks():
            parts.append(Spacer(0, 4))
            parts.append(tagged(NoLoneWord(markup(long, bold=True), th["mark"]), "P"))
        return parts

    def personal_fields(self) -> FieldsBlock:
        """The personal fields, stacked (label over line) in the panel's width."""
        return fields_block(
            self,
            columns=2,
            wide_columns=1,
            stacked=True,
            value_style="contact",
            row=self.geo.field_row,
        )

    #: the personal fields head the flap (the back panel holds the tiered box without them)
    fields_on_flap = False

    def back_room(self) -> tuple[float, float]:
        """(top, height) of the back panel's text, above its form number (the logo is on
        the cover: the back's room goes to the safety box and the contact details)."""
        small_h = self.theme["small"].leading
        top = self.H - self.top
        return top, top - self.text_y - small_h - 8

    @remembered_back_fit  # (in the layout's own sizes: the same at each body size tried)
    def back_fits(self, tiers: list[ComposedSection]) -> bool:
        self._geometry()
        _, w = self.text_box(self.outside[1])
        flowing, self.theme = self.theme, self.fixed_theme or self.theme
        try:
            room, used = self.back_room()[1], self.stack_height(self.back_parts(tiers, None), w)
        finally:
            self.theme = flowing
        return used <= room + 0.01

    def stack_height(self, parts: list[Flowable], width: float) -> float:
        """The height of ``parts`` stacked top-down in ``width``, as :meth:`fixed` draws them."""
        used = 0.0
        for i, f in enumerate(parts):
            _, h = f.wrap(width, self.H)
            used += h + f.getSpaceAfter() + (f.getSpaceBefore() if i else 0)
        return used - (parts[-1].getSpaceAfter() if parts else 0.0)  # (nothing under the last)

    fixed_theme: Theme | None = None

    def draw_back(self, canv: Canvas) -> None:
        c = self.composed
        th = self.theme
        x, w = self.text_box(self.outside[1])
        tiers = tier_sections(c.sections) if self.tiers_on_back else []
        parts = self.back_parts(tiers, self.back_tag)
        revised = self.text("revised", date=self.text.month_year(c.handout.revised))
        form = Paragraph(th.fonts.markup(f"{c.handout.form} \u00b7 {revised}"), th["small"])
        small = [tag(form, self.back_tag.add("P"))]
        small_h = sum(f.wrap(w, self.H)[1] for f in small)
        self.fixed(canv, small, x, self.text_y + small_h, w, small_h, "the back panel footer")
        top, room = self.back_room()
        self.foot_staff = None
        if c.staff_copy:  # under the rest where it fits (every panel's foot says it too)
            for key in ("staff_copy_long", "staff_copy_short"):
                says = mark_markup(self.text(key), self.text, th.fonts, self.tagged)
                staff = Paragraph(says, th["mark"])
                if self.stack_height([*parts, Spacer(0, 4), staff], w) <= room + 0.01:
                    parts += [Spacer(0, 4), tag(staff, self.back_tag.add("P"))]
                    break
            else:  # no room for either: the back's foot, where it is printed, is read
                self.foot_staff = self.back_tag.add("P")
        self.fixed(canv, parts, x, top, w, room, "the back panel")

    tiers_on_back = True
