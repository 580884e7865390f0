"""Mailing letter: US Letter portrait, tri-folded into a #10 window envelope.

Page 1: logo and return address, the date, the recipient's address inside the
envelope window zone (with a USPS Intelligent Mail barcode under it when there
is one), the handout's title as a subject line under the first fold, the
greeting, then the sections as the body and the sign-off. Later pages carry a
running head (clinic and date; with the recipient's name on each sheet's front).
Every page has a footer with contact details, form number, page number and the
SAMPLE / DRAFT / PROOF marks. All distances come from
``layouts/letter.yaml``.

Two ways to draw it:

- ``build --layout letter``: :meth:`LetterRenderer.render`, one document, with
  the addressee from ``--set patient.first_name=…`` (write-in lines and "Dear
  Patient," without).
- ``batch``: a :class:`~handoutpress.mailmerge.MailMerge` wraps the renderer: it lays
  the parts that are the same for every recipient out once into one form XObject per
  page and draws each recipient's letter as those forms plus only the personal parts
  (:meth:`LetterRenderer.draw_personal`: address, barcode, greeting, and the name in the
  running head of each later sheet's front; the back of a duplex sheet has nothing
  personal, so all recipients' backs share one content stream). The letter knows the
  merge only through its :class:`Merge` hooks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, PageTemplate, Paragraph, Spacer

from .. import geometry
from ..addressing import Addressee, Window, value_problems
from ..errors import ContentOverflow, Location, Problem
from ..fonts import FontSet
from ..footer import draw_rule
from ..mailcanvas import FormCanvas
from ..mailcanvas import _fix_timestamp as fix_timestamp
from ..models import Layout
from ..render import HandoutDoc, LayoutRenderer, RenderResult, frame
from ..styles import section_story
from ..tagging import Node, artifact, marked, tag
from ..values import in_language

INCH = 72.0


# --------------------------------------------------------------------------- text runs


def text_width(text: str, size: float, fonts: FontSet) -> float:
    if fonts.body_set.issuperset(text):
        return stringWidth(text, fonts.regular, size)
    return sum(
        stringWidth(chunk, fonts.fallback if fb else fonts.regular, size)
        for fb, chunk in fonts.runs(text)
    )


def fill(canv: Canvas, color: Any) -> None:
    if isinstance(canv, FormCanvas) and canv.fast_pages:
        canv.fast_fill(color)
    else:
        canv.setFillColor(color)


def draw_text(
    canv: Canvas, x: float, y: float, text: str, size: float, fonts: FontSet, align: str = "left"
) -> None:
    """Draw one line in the body face, characters it lacks in the fallback face."""
    fast = canv.fast_text if isinstance(canv, FormCanvas) and canv.fast_pages else None
    if fonts.body_set.issuperset(text):
        if align == "right":
            x -= stringWidth(text, fonts.regular, size)
        if fast is not None:
            fast(x, y, text, fonts.regular, size)
        else:
            canv.setFont(fonts.regular, size)
            canv.drawString(x, y, text)
        return
    parts = fonts.runs(text)
    if align == "right":
        x -= text_width(text, size, fonts)
    for fb, chunk in parts:
        face = fonts.fallback if fb else fonts.regular
        if fast is not None:
            fast(x, y, chunk, face, size)
        else:
            canv.setFont(face, size)
            canv.drawString(x, y, chunk)
        x += stringWidth(chunk, face, size)


def _child(parent: Node | None, role: str) -> Node | None:
    return parent.add(role) if parent is not None else None


def tag_text(flowable: Flowable, parent: Node) -> Flowable:
    """A paragraph tagged as a new ``P`` under ``parent`` (spacers as they are)."""
    return tag(flowable, parent.add("P")) if isinstance(flowable, Paragraph) else flowable


# --------------------------------------------------------------------------- geometry


class LetterGeometry(Window):
    """The envelope window (:class:`~handoutpress.addressing.Window`) and where the rest of
    the letter goes."""

    def __init__(self, layout: Layout, fonts: FontSet | None = None) -> None:
        super().__init__(layout, fonts)
        g = layout.geometry_as(geometry.LetterGeometry)
        self.date_top = g.date_top
        self.subject_top = g.subject_top
        self.greeting_gap = g.greeting_gap
        self.body_gap = g.body_gap
        self.running_head = g.running_head
        self.footer = g.footer
        self.logo_h = g.logo_height
        self.logo_w = g.logo_width


# --------------------------------------------------------------------------- the renderer


class Merge(Protocol):
    """What a mail merge (:class:`handoutpress.mailmerge.MailMerge`) decides for a letter it
    draws for many recipients."""

    capturing: bool

    def story(self) -> list[Flowable] | None:
        """The letter's story from parts laid out once for all (None: the usual one)."""
        ...

    def decorate(self, canv: Canvas, kind: str, paint: Callable[[], None]) -> None:
        """Draw a page's fixed parts (``paint``), perhaps as a form shared by letters."""
        ...

    def place_total(self, x: float, y: float) -> bool:
        """Note where a shared decoration's page total goes (True: not drawn here)."""
        ...


class LetterRenderer(LayoutRenderer):
    TAGGED = True
    STAFF_MARK_IN_FOOTER = True
    #: the structure's places for what page 1 draws in fixed places (story() makes them,
    #: in reading order): letterhead, date, address, subject, greeting; sign-off; footer
    head_tag: Node | None = None
    date_tag: Node | None = None
    address_tag: Node | None = None
    subject_tag: Node | None = None
    greeting_tag: Node | None = None
    footer_tag: Node | None = None
    #: a mail merge (batch, :mod:`handoutpress.mailmerge`) drawing this letter for many
    #: recipients: its hooks decide the story and the page decorations
    merge: Merge | None = None

    @property
    def capturing(self) -> bool:
        """Drawing forms for a mail merge: the personal parts are left out (stamped per
        recipient)."""
        return self.merge is not None and self.merge.capturing

    def _setup(self) -> None:
        if hasattr(self, "geo"):
            return
        self.geo = LetterGeometry(self.layout, self.theme.fonts)
        g = self.geo
        self.first_top = (
            self.H - g.subject_top - g.greeting_gap - self.scale.body_leading - g.body_gap
        )
        self.body_bottom = g.mb + g.footer
        self.later_top = self.H - g.mt - g.running_head
        self.addressee = Addressee.from_values(dict(self.composed.values), g)
        today = self.composed.today
        self.date_text = self.text.long_date(today) if today is not None else ""

    # -- platypus ---------------------------------------------------------------------------
    def page_templates(self) -> list[PageTemplate]:
        self._setup()
        g = self.geo
        bottom = self.body_bottom
        first = PageTemplate(
            id="first",
            frames=[frame("body", g.ml, self.body_bottom, g.text_w, self.first_top - bottom)],
            onPage=self.draw_first,
            autoNextPageTemplate="later",
        )
        later = PageTemplate(
            id="later",
            frames=[frame("body", g.ml, bottom, g.text_w, self.later_top - bottom)],
            onPage=self.draw_later,
            autoNextPageTemplate="later",
        )
        return [first, later]

    def story(self) -> list[Flowable]:
        self._setup()
        self.problems.extend(self.unshown_fields())
        root = self.tags.root
        self.head_tag = root.add("Div")
        self.date_tag = root.add("P")
        self.address_tag = root.add("Div")
        self.subject_tag = root.add("H1")
        self.greeting_tag = root.add("P")
        merged = self.merge.story() if self.merge is not None else None
        if merged is not None:  # (batch: drawn on an untagged canvas)
            return merged
        story = section_story(
            self.composed, self.theme, self.geo.text_w, split_after_heading=True, parent=root
        )
        closing = root.add("Div")
        story.append(KeepTogether([tag_text(f, closing) for f in self.closing()]))
        self.footer_tag = root.add("Div")
        return story

    def unshown_fields(self) -> list[Problem]:
        """A letter prints no field lines; a marked body map or ticked boxes would be lost
        without a word: an error each (a value used in the text, ``{{ visit.medicine }}``,
        prints there as usual)."""
        out = []
        for i, entry in enumerate(self.composed.field_entries):
            if entry.kind == "body-map" and entry.regions:
                what, key = "a body map", "kind"
            elif entry.kind == "choices" and entry.ticked:
                what, key = "tick boxes", "choices"
            else:
                continue
            out.append(
                Problem(
                    self.composed.source.locate(("fields", i, key)),
                    f"fields[{i}]",
                    f"{self.layout.name}: a letter cannot show {what}; use the sheet layout to "
                    "print what was marked",
                )
            )
        return out

    def closing(self) -> list[Flowable]:
        """The sign-off: a closing line, room to sign, the signer's name and title."""
        sig = self.brand.signature
        body = self.theme["body"]
        markup = self.theme.fonts.markup
        closing: list[Flowable] = [
            Spacer(1, body.leading * 0.5),
            Paragraph(markup(self.text("sign_off")), body),
            Spacer(1, body.leading * 1.6),  # room to sign
        ]
        language = self.composed.handout.language
        name = in_language(sig.name, language) if sig else self.brand.name
        closing.append(Paragraph(f"<b>{markup(name, bold=True)}</b>", self.theme["contact"]))
        title = in_language(sig.title, language) if sig else ""
        if title:
            closing.append(Paragraph(markup(title), self.theme["contact"]))
        return closing

    def marks(self) -> list[tuple[str, str]]:
        out = super().marks()
        if self.options.proof:  # the operator's mark: PROOF in every language
            proof = self.text("proof")
            proof = proof if "PROOF" in proof else f"PROOF / {proof}"
            out.append((proof, proof))
        return out

    # -- fixed, same for every recipient --------------------------------------------------
    def draw_letterhead(self, canv: Canvas) -> None:
        g, th = self.geo, self.theme
        top = self.H - g.mt
        logo = self.logo()
        x = g.ml
        head = self.head_tag
        if logo is not None:
            with marked(canv, self.logo_node(head)):
                w, _ = logo.draw(canv, g.ml, top - g.logo_h, g.logo_w, g.logo_h)
            x = g.ml + w + 0.2 * INCH
        # return address: name and street, small, right of the logo
        size = th.scale.small
        lead = size * 1.3
        lines = [self.brand.name, *self.brand.contact.address]
        canv.setFillColor(th.colours["text"])
        y = top - size
        canv.setFont(th.fonts.bold, size)
        with marked(canv, _child(head, "P")):
            th.fonts.draw_string(canv, x, y, self.brand.name, th.fonts.bold, size)
        for line in lines[1:]:
            y -= lead
            with marked(canv, _child(head, "P")):
                draw_text(canv, x, y, line, size, th.fonts)
        # rule under the letterhead
        canv.setStrokeColor(th.colours["accent"])
        canv.setLineWidth(1.2)
        rule_y = top - max(g.logo_h, len(lines) * lead) - 0.12 * INCH
        canv.line(g.ml, rule_y, self.W - g.mr, rule_y)
        # contact on the right
        c = self.brand.contact
        right = [x for x in (c.phone, c.website) if x]
        canv.setFillColor(th.colours["muted"])
        y = top - size
        for line in right:
            with marked(canv, _child(head, "P")):
                draw_text(canv, self.W - g.mr, y, line, size, th.fonts, align="right")
            y -= lead

    def draw_subject(self, canv: Canvas) -> None:
        g, th = self.geo, self.theme
        if self.date_text:
            canv.setFillColor(th.colours["text"])
            with marked(canv, self.date_tag):
                draw_text(
                    canv,
                    self.W - g.mr,
                    self.H - g.date_top,
                    self.date_text,
                    th.scale.body,
                    th.fonts,
                    align="right",
                )
        p = self.para(self.composed.title, "letter_subject")
        if self.subject_tag is not None:
            tag(p, self.subject_tag)
        _, h = p.wrap(g.text_w, 3 * INCH)
        if h > self.theme["letter_subject"].leading * 1.01:
            self.problems.append(self.overflow_problem("the title (one line on a letter)", h))
        p.drawOn(canv, g.ml, self.H - g.subject_top - h + self.theme["letter_subject"].fontSize)

    def draw_footer(self, canv: Canvas, parent: Node | None = None) -> None:
        """The footer: ``parent``'s content (page 1), else an artifact (the same again)."""
        if parent is None:
            with artifact(canv):
                self._footer(canv, None)
        else:
            self._footer(canv, parent)

    def _footer(self, canv: Canvas, parent: Node | None) -> None:
        g, th = self.geo, self.theme
        says = self.footer_text()
        y_top = g.mb + g.footer - 8
        draw_rule(canv, th.colours["primary"], g.ml, self.W - g.mr, y_top, 0.8)
        size = th.scale.small
        lead = size * 1.3
        y = y_top - lead
        canv.setFillColor(th.colours["text"])
        for i, line in enumerate((says.contact_line, says.address_line)):
            if text_width(line, size, th.fonts) > g.text_w * 0.72:
                key = ("contact", "address") if i else ("contact",)
                self.problems.append(self.brand_problem(key, "the footer contact line", lead))
            with marked(canv, _child(parent, "P")):
                draw_text(canv, g.ml, y - i * lead, line, size, th.fonts)
        canv.setFillColor(th.colours["muted"])
        with marked(canv, _child(parent, "P")):
            draw_text(canv, self.W - g.mr, y, says.form_revised, size, th.fonts, "right")
        self.page_number(canv, self.W - g.mr, y - lead)
        marks = [short for short, _ in says.marks]
        if marks:
            canv.setFillColor(th["mark"].textColor)  # (press: one ink)
            ms = th["mark"]
            line = "  \u00b7  ".join(marks)
            bold = th.fonts.bold
            canv.setFont(bold, ms.fontSize)
            y_mark = max(y - 2 * lead - 2, self.safe + 3)
            with marked(canv, _child(parent, "P")):
                th.fonts.draw_string(canv, self.W / 2, y_mark, line, bold, ms.fontSize, "center")

    def draw_proof(self, canv: Canvas) -> None:
        """A large diagonal PROOF across the body, in outline, over everything.

        Outline text rather than a see-through fill: ReportLab 5.1 drops the ExtGState
        of an alpha set inside a form (viewers report 'ExtGState unknown')."""
        th = self.theme
        word = "PROOF"  # for the mailing operator, whatever the letter's language
        canv.saveState()
        canv.setStrokeColor(Color(0.86, 0.3, 0.3))
        canv.setLineWidth(1.5)
        canv.translate(self.W / 2, self.H * 0.42)
        canv.rotate(35)
        size = 120.0
        while size > 40 and stringWidth(word, th.fonts.bold, size) > self.W * 0.9:
            size -= 10
        canv.setFont(th.fonts.bold, size)
        canv.drawCentredString(0, -size / 3, word, mode=1)
        canv.restoreState()

    def draw_first(self, canv: Canvas, doc: HandoutDoc) -> None:
        def paint() -> None:
            canv.saveState()
            self.draw_letterhead(canv)
            self.draw_subject(canv)
            self.draw_footer(canv, self.footer_tag)
            canv.restoreState()

        self.decorate(canv, "first", paint)
        if not self.capturing:
            self.draw_personal(canv, 1, self.addressee)

    def decorate(self, canv: Canvas, kind: str, paint: Callable[[], None]) -> None:
        """Draw a page's fixed parts (a mail merge may draw them as a shared form)."""
        if self.merge is None:
            paint()
        else:
            self.merge.decorate(canv, kind, paint)

    def draw_later(self, canv: Canvas, doc: HandoutDoc) -> None:
        self.decorate(canv, "later", lambda: self.paint_later(canv))
        if not self.capturing:
            self.draw_personal(canv, canv.getPageNumber(), self.addressee)

    def paint_later(self, canv: Canvas) -> None:
        g, th = self.geo, self.theme
        canv.saveState()
        size = th.scale.small
        y = self.H - g.mt - size
        canv.setFillColor(th.colours["muted"])
        line = " \u00b7 ".join(x for x in (self.brand.name, self.date_text) if x)
        with artifact(canv):  # a running head
            draw_text(canv, g.ml, y, line, size, th.fonts)
        canv.setStrokeColor(th.colours["accent"])
        canv.setLineWidth(0.8)
        canv.line(g.ml, y - 6, self.W - g.mr, y - 6)
        self.draw_footer(canv)
        canv.restoreState()

    # -- personal, per recipient ------------------------------------------------------------
    def greeting(self, a: Addressee) -> str:
        if a.greeting_name:
            return self.text("dear", name=a.greeting_name)
        return self.text("dear_patient")

    def starts_sheet(self, page: int) -> bool:
        return self.layout.duplex == "Simplex" or page % 2 == 1

    def draw_personal(self, canv: Canvas, page: int, a: Addressee) -> None:
        g, th = self.geo, self.theme
        fonts = th.fonts
        fill(canv, th.colours["text"])
        if page > 1:
            # the name goes on each sheet's front: the back of a duplex sheet (its page 2,
            # 4, …) belongs to the front that is addressed, so it stays the same for every
            # recipient and a mailing shares one content stream for all of them
            if a.name and self.starts_sheet(page):
                size = th.scale.small
                with artifact(canv):  # the name again, on each sheet
                    draw_text(
                        canv, self.W - g.mr, self.H - g.mt - size, a.name, size, fonts, "right"
                    )
            return
        x = g.addr_x
        y = g.win_y1 - g.inset_y - g.addr_size
        lines = a.lines
        if not lines:  # write-in lines to address it by hand
            canv.setStrokeColor(th.colours["muted"])
            canv.setLineWidth(0.5)
            for i in range(3):
                ly = y - i * (g.addr_leading + 6) - 2
                canv.line(x, ly, x + g.addr_w - 0.1 * INCH, ly)
        else:
            leading = g.address_leading(len(lines), a.imb is not None) or g.addr_leading_min
            for i, line in enumerate(lines):
                with marked(canv, _child(self.address_tag, "P")):
                    draw_text(canv, x, y - i * leading, line, g.addr_size, fonts)
            if a.imb is not None:  # (for the post office's machines: an artifact)
                bc = g.imb(*a.imb)
                by = y - (len(lines) - 1) * leading - g.addr_size * 0.25 - g.imb_gap - bc.height
                # the barcode's own clear zone starts at the window's left edge
                canv.setFillColor(Color(0, 0, 0))
                bc.drawOn(canv, g.win_x, by)
                fill(canv, th.colours["text"])
        gy = self.H - g.subject_top - g.greeting_gap - th.scale.body_leading + 2
        with marked(canv, self.greeting_tag):
            draw_text(canv, g.ml, gy, self.greeting(a), th.scale.body, fonts)

    def place_total(self, canv: Canvas, x: float, y: float) -> None:
        if self.merge is None or not self.merge.place_total(x, y):
            super().place_total(canv, x, y)

    # -- batch --out-dir: one recipient's own, tagged file ---------------------------------
    def render_file(
        self, a: Addressee, pad_to: int = 1, timestamp: int | None = None
    ) -> tuple[bytes, int]:
        """One recipient's letter laid out and drawn on its own, as ``build`` makes it
        (tagged: shared forms cannot carry a file's marked content); blank pages up to a
        multiple of ``pad_to``; ``timestamp``: the file's dates (seconds since 1970).
        Returns the PDF and its pages; raises ContentOverflow."""
        self._setup()
        self._theme_extras()
        self.addressee = a
        self.pad_to = pad_to
        self.timestamp = timestamp
        try:
            pdf, doc = self.build_once()
        finally:
            self.pad_to, self.timestamp = 1, None
        return pdf, doc.page + (-doc.page % pad_to)

    timestamp: int | None = None

    def prepare_canvas(self, canv: Canvas) -> None:
        if self.timestamp is not None:
            fix_timestamp(canv._doc, self.timestamp)

    def after_page(self, canv: Canvas, page: int) -> None:
        """PROOF over a page drawn on its own (batch draws it as a form over each page)."""
        if self.options.proof and not self.capturing:
            with artifact(canv):
                self.draw_proof(canv)

    # -- build: one letter ------------------------------------------------------------------
    def render(self) -> RenderResult:
        self._setup()
        self._theme_extras()
        found = value_problems(dict(self.composed.values)) or self.geo.check(
            self.addressee, self.greeting(self.addressee)
        )
        problems = [
            Problem(Location(None), f"--set patient.{field}", reason) for field, reason in found
        ]
        if problems:
            raise ContentOverflow(problems)
        return super().render()

    def _theme_extras(self) -> None:
        from reportlab.lib.styles import ParagraphStyle

        if "letter_subject" not in self.theme.styles:
            self.theme.styles["letter_subject"] = ParagraphStyle(
                "letter_subject",
                parent=self.theme["heading"],
                fontSize=self.scale.title,
                leading=self.scale.title * 1.2,
                spaceBefore=0,
                spaceAfter=0,
            )
