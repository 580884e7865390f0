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
from dataclasses import replace
from typing import Protocol

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, PageTemplate, Paragraph, Spacer

from ..addressing import Addressee, value_problems
from ..errors import ContentOverflow, Location, Problem
from ..render import HandoutDoc, RenderResult, frame
from ..section_story import section_story
from ..source_date import fix_timestamp
from ..staff_order import end_with_note, staff_then_disclaimer
from ..tagging import Node, artifact, marked, tag
from ..values import in_language
from .letter_address import draw_address
from .letter_chrome import LetterChrome, LetterGeometry
from .loose_lists import LooseListsOnOverflow
from .textruns import draw_text, fill

__all__ = ["FileTemplateHooks", "LetterGeometry", "LetterRenderer", "Merge"]


def tag_text(flowable: Flowable, parent: Node) -> Flowable:
    """A paragraph tagged as a new ``P`` under ``parent`` (spacers as they are)."""
    return tag(flowable, parent.add("P")) if isinstance(flowable, Paragraph) else flowable


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


class FileTemplateHooks(Protocol):
    """What a byte template of one recipient's own file
    (:class:`handoutpress.batch.filetemplate.FileTemplate`) notes while it has the letter
    drawn once: the canvas, each page's personal parts, the state before the file is
    written."""

    def canvas_ready(self, canv: Canvas) -> None:
        """The tagged canvas, before anything is drawn on it."""
        ...

    def personal_parts(self, canv: Canvas, page: int, draw: Callable[[], None]) -> None:
        """Draw page ``page``'s personal parts (``draw``), noting where they are."""
        ...

    def finished(self, canv: Canvas) -> None:
        """Every page and page total drawn; the file is written next."""
        ...


class LetterRenderer(LetterChrome, LooseListsOnOverflow):
    TAGGED = True
    STAFF_MARK_IN_FOOTER = True
    #: page 1's places in the structure for the personal parts (the chrome's are in
    #: :class:`LetterChrome`; story() makes them all, in reading order)
    address_tag: Node | None = None
    greeting_tag: Node | None = None
    #: a mail merge (batch, :mod:`handoutpress.mailmerge`) drawing this letter for many
    #: recipients: its hooks decide the story and the page decorations
    merge: Merge | None = None
    #: a byte template (``batch --out-dir``, :mod:`handoutpress.batch.filetemplate`) having
    #: this letter drawn once: its hooks note the canvas and the personal parts
    file_template: FileTemplateHooks | None = None

    @property
    def capturing(self) -> bool:
        """Drawing forms for a mail merge: the personal parts are left out (stamped per
        recipient)."""
        return self.merge is not None and self.merge.capturing

    def footer_problems(self) -> tuple[Problem, ...]:
        """What of the brand's details does not fit the footer, without laying the letter
        out (``check`` of a handout that lists no letter: a brand too long for it)."""
        self._setup()
        return self.footer_lines().problems

    def _setup(self) -> None:
        if hasattr(self, "geo"):
            return
        self.geo = LetterGeometry(self.layout, self.theme.fonts)
        g = self.geo
        self.first_top = (
            self.H - g.subject_top - g.greeting_gap - self.scale.body_leading - g.body_gap
        )
        self.body_bottom = g.mb + g.footer + self.footer_lines().grow
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
        # the staff copy: the patient's disclaimer after the staff sections that end it
        sections, note = staff_then_disclaimer(self.composed.sections)
        body = replace(self.composed, sections=sections) if note else self.composed
        story = section_story(
            body, self.theme, self.geo.text_w, split_after_heading=True, parent=root
        )
        end_with_note(story, note, self.theme, root)
        closing = root.add("Div")
        story.append(KeepTogether([tag_text(f, closing) for f in self.closing()]))
        self.footer_tag = root.add("Div")
        return self.loosened(story)

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

    def draw_first(self, canv: Canvas, doc: HandoutDoc) -> None:
        def paint() -> None:
            canv.saveState()
            self.draw_letterhead(canv)
            self.draw_subject(canv)
            self.draw_footer(canv, self.footer_tag)
            canv.restoreState()

        self.decorate(canv, "first", paint)
        if not self.capturing:
            self.personal_parts(canv, 1)

    def decorate(self, canv: Canvas, kind: str, paint: Callable[[], None]) -> None:
        """Draw a page's fixed parts (a mail merge may draw them as a shared form)."""
        if self.merge is None:
            paint()
        else:
            self.merge.decorate(canv, kind, paint)

    def draw_later(self, canv: Canvas, doc: HandoutDoc) -> None:
        self.decorate(canv, "later", lambda: self.paint_later(canv))
        if not self.capturing:
            self.personal_parts(canv, canv.getPageNumber())

    def personal_parts(self, canv: Canvas, page: int) -> None:
        """The addressee's parts of page ``page`` (a file template notes where they are)."""
        if self.file_template is None:
            self.draw_personal(canv, page, self.addressee)
        else:
            a = self.addressee
            self.file_template.personal_parts(canv, page, lambda: self.draw_personal(canv, page, a))

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
        draw_address(canv, g, th, a, self.address_tag)
        gy = self.H - g.subject_top - g.greeting_gap - th.scale.body_leading + 2
        with marked(canv, self.greeting_tag):
            draw_text(canv, g.ml, gy, self.greeting(a), th.scale.body, fonts)

    def place_total(self, canv: Canvas, x: float, y: float) -> None:
        if self.merge is None or not self.merge.place_total(x, y):
            super().place_total(canv, x, y)

    # -- batch --out-dir: one recipient's own, tagged file ---------------------------------
    def render_file(
        self, a: Addressee, pad_to: int = 1, timestamp: int | None = None
    ) -> RenderResult:
        """One recipient's letter laid out and drawn on its own, as ``build`` makes it
        (tagged: shared forms cannot carry a file's marked content); blank pages up to a
        multiple of ``pad_to``; ``timestamp``: the file's dates (seconds since 1970).
        Raises ContentOverflow."""
        self._setup()
        self._theme_extras()
        self.addressee = a
        self.pad_to = pad_to
        self.timestamp = timestamp
        try:
            pdf, doc = self.build_once()
        finally:
            self.pad_to, self.timestamp = 1, None
        return replace(self.result(pdf, doc), pages=doc.page + (-doc.page % pad_to))

    timestamp: int | None = None

    def prepare_canvas(self, canv: Canvas) -> None:
        if self.timestamp is not None:
            fix_timestamp(canv._doc, self.timestamp)
        if self.file_template is not None:
            self.file_template.canvas_ready(canv)

    def finish(self, doc: HandoutDoc) -> None:
        super().finish(doc)
        if self.file_template is not None:
            self.file_template.finished(doc.canv)

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
