"""Large print: one column of 18 pt text, reflowed onto as many pages as it needs.

What ``build --large-print`` makes of any handout (layout ``layouts/large-print.yaml``,
kind ``large``). Everything that the sheet draws in fixed places is part of the flow
here, so nothing can be too long for its slot: the logo, the title (any length), the
subtitle, the personal fields (values or write-in lines), the sections, and at the end
the clinic's contact details and the long SAMPLE / DRAFT notes. Callout and warning
boxes split across pages row by row instead of having to fit on one page.

High contrast: every text is near black on white or on a light tint (no light text on a
coloured band); brand colours are kept for rules and box borders only.

Each page has a footer with the short SAMPLE / DRAFT marks, the form number and
revision date, and "Page N of T"; pages after the first carry the title at the top.
"""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..boxes import keypoints_box, tier_sections, tiered_box
from ..compose import Composed, ComposedSection, public_heading
from ..footer import FooterPlaces, draw_rule, draw_tagged_once, footer_places
from ..geometry import LargeGeometry
from ..handoutdoc import SectionMark
from ..heading_with_text import HeadingWithText
from ..layout_fields import fields_block
from ..lonewords import NoLoneWord
from ..models import Layout
from ..pictures import picture_flowable
from ..press import press_theme
from ..project import BrandSource
from ..render import HandoutDoc, RenderOptions
from ..section_story import TableCommand, body_flowables, heading_flowable
from ..staff_order import end_with_note, staff_then_disclaimer
from ..tagging import Node, artifact, tag, tag_artifact
from .high_contrast import INK_SOFT, high_contrast
from .large_flowables import EndMatter, FillPage, LogoBlock, RuleBelowText
from .sheet import ColumnRenderer

#: A QR code's side in large print (larger than elsewhere, like the text)
QR_SIDE = 1.1 * 72
#: the rule over the footer: this far below the top of the footer zone, this wide (bolder
#: than the sheet's, like the type)
RULE_DROP = 6.0
RULE_WIDTH = 1.5


class LargePrintRenderer(ColumnRenderer):
    TAGGED = True

    def __init__(
        self, composed: Composed, layout: Layout, brand: BrandSource, options: RenderOptions
    ) -> None:
        super().__init__(composed, layout, brand, options)
        self.theme = high_contrast(self.theme)
        if self.press is not None:  # its near-black RGB over the press colours: again, on top
            self.theme = press_theme(self.theme, self.condition.profile)
        th = self.theme
        th.styles["field_label"] = ParagraphStyle(
            "field_label", parent=th["body"], fontName=th.fonts.bold, spaceAfter=0
        )
        th.styles["field_value"] = ParagraphStyle("field_value", parent=th["body"], spaceAfter=0)
        th.styles["footer"] = ParagraphStyle(
            "footer", parent=th["small"], textColor=INK_SOFT, leading=th.scale.small * 1.2
        )
        th.styles["footer_mark"] = ParagraphStyle(
            "footer_mark",
            parent=th["footer"],
            fontName=th.fonts.bold,
            textColor=th["mark"].textColor,
        )
        th.styles["end_mark"] = ParagraphStyle(
            "end_mark",
            parent=th["body"],
            fontName=th.fonts.bold,
            textColor=th["mark"].textColor,
            spaceBefore=th.scale.body_leading * 0.5,
        )
        self._geometry()

    def _geometry(self) -> None:
        super()._geometry()
        self.geo = self.layout.geometry_as(LargeGeometry)
        self.head = self.geo.running_head
        self.top = self.H - self.mt

    # -- pages -------------------------------------------------------------------------------
    def page_templates(self) -> list[PageTemplate]:
        return self.first_and_later(self.top, self.top - self.head)

    def draw_first(self, canv: Canvas, doc: HandoutDoc) -> None:
        canv.saveState()
        self.draw_footer(canv, self.footer_tag)
        canv.restoreState()

    def after_page(self, canv: Canvas, page: int) -> None:
        """Note how much of the page's text area is left empty, and what comes next."""
        super().after_page(canv, page)
        doc = getattr(canv, "_doctemplate", None)
        frame = getattr(doc, "frame", None)
        if isinstance(doc, HandoutDoc) and frame is not None:
            free = max(0.0, frame._y - frame._y1 - frame._bottomPadding)
            self.page_free[page] = (free / frame._height, doc.current)

    #: page → (share of its text area left empty, the section laid out when it ended)
    page_free: dict[int, tuple[float, ComposedSection | None]] = {}

    def build_once(self) -> tuple[bytes, HandoutDoc]:
        self.page_free = {}
        return super().build_once()

    def check_filled(self, doc: HandoutDoc) -> None:
        """A page before the last that is emptier than ``max_empty`` is a warning naming the
        section that could not start on it (a section kept with its tool: it moved whole)."""
        for page, (empty, section) in sorted(self.page_free.items()):
            if page >= doc.page or empty <= self.geo.max_empty:
                continue
            after = (
                f"{public_heading(self.composed, section)} did not fit under it"
                if section
                else "nothing follows"
            )
            self.warnings.append(
                f"{self.composed.id}: {self.layout.name}: page {page} is {empty:.0%} empty "
                f"({after}); shorten that section or the text before it"
            )

    def keep(self, flowables: list[Flowable]) -> KeepTogether:
        """Kept on one page, unless moving them whole would leave this page emptier than
        ``max_empty``: then they start here and split (a box by its rows)."""
        return FillPage(flowables, self.geo.max_empty)

    def draw_later(self, canv: Canvas, doc: HandoutDoc) -> None:
        canv.saveState()
        with artifact(canv):  # the title again
            self.draw_running_head(canv)
        self.draw_footer(canv, self.footer_tag)
        canv.restoreState()

    def draw_running_head(self, canv: Canvas) -> None:
        th = self.theme
        markup = th.fonts.markup
        style = th["footer"]
        words = self.composed.shown_title.split()
        more = markup(self.text("continued"))
        while True:
            title = " ".join(words) + ("" if len(words) == len(self.composed.shown_title.split())
                                       else " …")  # fmt: skip
            p = Paragraph(f"<b>{markup(title, bold=True)}</b> {more}", style)
            _, h = p.wrap(self.text_w, self.head)
            if h <= style.leading * 1.01 or len(words) <= 1:
                break
            words = words[:-1]
        y = self.top - style.leading
        p.drawOn(canv, self.ml, y)
        canv.setStrokeColor(th.colours["primary"])
        canv.setLineWidth(1.5)
        canv.line(self.ml, y - 5, self.W - self.mr, y - 5)

    def footer_places(self) -> FooterPlaces:
        """Where the footer's parts go: stacked (the marks and the form line in a box on the
        left, the page number on the right), under a rule a little closer to the zone's top
        than the sheet's."""
        return footer_places(
            left=self.ml, right=self.W - self.mr, text_width=self.text_w, page_width=self.W,
            bottom=self.mb, zone=self.footer, size=self.theme.scale.small, safe=self.safe,
            rule_drop=RULE_DROP, stacked=True,
        )  # fmt: skip

    def draw_footer(self, canv: Canvas, parent: Node | None = None) -> None:
        """The footer, on every page: ``parent``'s content on the last page, an artifact on
        the pages before (:func:`~handoutpress.footer.draw_tagged_once`)."""
        draw_tagged_once(canv, parent, self._footer)

    def _footer(self, canv: Canvas, parent: Node | None) -> None:
        th = self.theme
        markup = th.fonts.markup
        says = self.footer_text()
        at = self.footer_places()
        draw_rule(canv, th.colours["primary"], at.left, at.right, at.rule_y, RULE_WIDTH)
        parts: list[Flowable] = [
            Paragraph(markup(short, bold=True), th["footer_mark"]) for short, _ in says.marks
        ]
        parts.append(Paragraph(markup(says.form_revised), th["footer"]))
        for part in parts:
            if parent is not None:
                tag(part, parent.add("P"))
        number_w = canv.stringWidth("Page 00 of 00", th.fonts.regular, th.scale.small) + 12
        box_w = self.text_w - number_w  # left of the page number, down to the bottom margin
        self.fixed(canv, parts, at.left, at.stack_top, box_w, at.stack_top - self.mb, "the footer")
        self.page_number(canv, at.right, at.number_y)

    # -- the flow ----------------------------------------------------------------------------
    def story(self) -> list[Flowable]:
        c = self.composed
        th = self.theme
        root = self.tags.root
        out: list[Flowable] = []
        logo = self.logo()
        if logo is not None:
            lh = self.geo.logo_height
            out.append(tag(LogoBlock(logo, self.text_w * 0.6, lh), self.logo_node()))
            out.append(Spacer(0, th.scale.body_leading * 0.5))
        out.append(tag(self.para(c.title, "title"), root.add("H1")))
        if c.subtitle:
            out.append(tag(self.para(c.subtitle, "subtitle"), root.add("P")))
        if c.tagline:
            out.append(tag(self.para(c.tagline, "tagline"), root.add("P")))
        if c.cover_picture is not None:
            picture = picture_flowable(
                c.cover_picture, th.fonts, self.geo.cover_image_height, th.raster
            )
            if picture.decorative:
                out.append(tag_artifact(picture))
            else:
                out.append(tag(picture, root.add("Figure", alt=picture.alt)))
        keys_next = not c.fields and any(s.style == "keypoints" for s in c.sections)
        if not keys_next:  # (else the key points' accent rule ends the title: one rule)
            primary = th.colours["primary"]
            out.append(
                HRFlowable(
                    width="100%",
                    thickness=4,
                    lineCap="butt",
                    color=primary,
                    spaceBefore=2,
                    spaceAfter=8,
                )
            )
        if c.fields:
            block = fields_block(self, label_style="field_label", value_style="field_value")
            table = root.add("Table")  # a row per field, label TH, value TD
            for part in block.parts():
                part.tags = table
                out.append(part)
            out.append(Spacer(0, th.scale.body_leading * 0.6))
        out.extend(self.sections())
        contact = root.add("Div")
        details = self.contact_end(contact)
        # the long SAMPLE / DRAFT notes after the contact details, never alone on the last
        # page (EndMatter)
        marks = [
            tag(NoLoneWord(th.fonts.markup(long, bold=True), th["end_mark"]), contact.add("P"))
            for _, long in self.marks()
        ]
        if marks:
            tail = max(i for i, f in enumerate(details) if isinstance(f, Spacer)) + 1
            out.append(EndMatter(details, marks, tail, self.geo.max_empty))
        else:
            out.append(self.keep(details))
        #: the footer (on every page; content where drawn last, at the end of the last page)
        self.footer_tag = root.add("Div")
        return out

    def sections(self) -> list[Flowable]:
        """The sections; a heading never ends a page: it goes with the first lines under it.

        (ReportLab's keep-with-next would move a heading and its whole first paragraph to
        the next page, leaving a third of a page empty at this type size.)
        """
        th = self.theme
        story: list[Flowable] = []
        # the staff copy: the patient's disclaimer after the staff sections that end it
        sections, note = staff_then_disclaimer(self.composed.sections)
        keys = [s for s in sections if s.style == "keypoints"]
        tiers = tier_sections(sections)
        first_tier = tiers[0] if tiers else None
        for section in keys:  # the few things to know come first
            box = keypoints_box(section, th, self.text_w, self.tags.root)
            story += [SectionMark(section), box]
        for section in sections:
            if section in keys or (section in tiers and section is not first_tier):
                continue
            story.append(SectionMark(section))
            if section is first_tier:  # every tier in one box, 911 first, at the first's place
                phone = self.brand.contact.phone
                box = tiered_box(tiers, th, self.text_w, phone, self.tags.root, band=False)
                story.append(KeepTogether([box]))  # read in one piece, even after a gap
                continue
            sect = self.tags.root.add("Sect")
            h2 = sect.add("H2")
            body = body_flowables(section, th, qr_side=QR_SIDE, parent=sect)
            if section.style == "normal":
                head = heading_flowable(section, th, "heading")
                story.append(HeadingWithText(tag(head, h2), body))
                continue
            warning = section.style == "warning"
            head = heading_flowable(
                section, th, "heading_warning" if warning else "heading_callout"
            )
            tag(head, h2)
            box = self.box(
                [head, *body],
                th.colours["warning_light" if warning else "light"],
                th.colours["warning" if warning else "primary"],
                bar=warning,
            )
            # whole on one page when it fits on one (a warning read in one piece, always; a
            # callout unless that leaves this page more than max_empty empty); else split
            story.append(KeepTogether([box]) if warning else self.keep([box]))
        end_with_note(story, note, th, self.tags.root)
        return story

    def box(self, inner: list[Flowable], background: Color, border: Color, bar: bool) -> Table:
        """A tinted box that can split across pages (if taller than one): a row per paragraph.

        The heading shares the first row with the first paragraph, so it never ends a page.
        """
        pad = 10
        cells: list[list[Flowable]] = [inner[:2]]
        for f in inner[2:]:  # (a flowable kept with the next shares its row: a list's last two)
            if cells[-1][-1].getKeepWithNext():
                cells[-1].append(f)
            else:
                cells.append([f])
        rows = [[cell] for cell in cells]
        t = Table(rows, colWidths=[self.text_w], splitByRow=1)
        last = len(rows) - 1
        cmds: list[TableCommand] = [
            ("BACKGROUND", (0, 0), (-1, -1), background),
            ("LEFTPADDING", (0, 0), (-1, -1), pad + (6 if bar else 0)),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, 0), pad),
            # (as much room under the last line as over the heading: an item's icon hangs
            # a little below its line and touched the border with 2 pt)
            ("BOTTOMPADDING", (0, last), (-1, last), pad),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOX", (0, 0), (-1, -1), 1.5, border),
            ("FONT", (0, 0), (-1, -1), self.theme.fonts.regular),
        ]
        for i, cell in enumerate(cells[:-1]):
            # a cell drops its last paragraph's space after: keep the gap between paragraphs
            cmds.append(("BOTTOMPADDING", (0, i), (-1, i), cell[-1].getSpaceAfter()))
        if bar:
            cmds.append(("LINEBEFORE", (0, 0), (0, -1), 7, border))
        t.setStyle(TableStyle(cmds))
        t.spaceBefore = 8
        t.spaceAfter = 12
        return t

    def contact_end(self, parent: Node | None = None) -> list[Flowable]:
        """A rule, then the contact details (as on the tri-fold's back panel)."""
        rule = RuleBelowText(
            width="100%",
            thickness=1.5,
            color=self.theme.colours["primary"],
            spaceBefore=6,
            spaceAfter=4,
        )
        return [rule, *self.contact_block(gap=6, parent=parent)]
