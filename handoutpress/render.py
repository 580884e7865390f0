"""Composed handout + layout → a :class:`RenderResult` (PDF bytes and what the layout found),
with overflow detection: the base every layout kind's renderer builds on.

ReportLab's platypus silently adds pages when text does not fit. Here the
document notes which section is being laid out and how much is drawn past the
layout's page limit, and turns that into one clear error:
``sheet: 'When to call us' overflows page 2 by 3 lines``. The renderers of the kinds are
in :mod:`handoutpress.layouts`, whose ``render()`` picks one by the layout's kind.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageTemplate, Paragraph
from reportlab.platypus.doctemplate import LayoutError

from . import metadata
from .compose import Composed, ComposedSection, public_heading
from .contact import contact_block
from .errors import ContentOverflow, HandoutError, Location, Problem
from .fonts import brand_fonts
from .footer import FooterText, footer_text
from .handoutdoc import HandoutDoc, frame
from .images import Logo, PlacedImage, load_logo
from .layoutonly import LayoutOnlyCanvas, remembering_wraps
from .lonewords import NoLoneWord
from .markdown import Inline
from .markup import inline_markup
from .models import Layout, TypeScale
from .parted_lists import parted_warnings
from .pdfx import PressCanvas, condition_for
from .pictures import PictureTooTall
from .press import cmyk_converter, cmyk_image, draw_marks, press_theme
from .project import BrandSource
from .render_types import PageSetup, RenderOptions, RenderResult
from .strings import strings_for
from .styles import Theme, make_theme
from .tagging import Node, StructTree, TaggedCanvas, artifact
from .values import in_language

#: the document and frames the layouts build on are :mod:`handoutpress.handoutdoc`'s, named
#: here with the renderer
__all__ = ["HandoutDoc", "LayoutRenderer", "RenderOptions", "RenderResult", "frame"]


class LayoutRenderer:
    """What every layout kind shares: theme, metadata, marks, overflow reporting."""

    #: the layout kind builds its structure tree (:mod:`~handoutpress.tagging`): office
    #: output is tagged
    TAGGED = False
    #: the structure tree of the build under way, filled in reading order by the layout
    tags: StructTree

    def __init__(
        self, composed: Composed, layout: Layout, brand: BrandSource, options: RenderOptions
    ) -> None:
        self.composed = composed
        self.layout = layout
        self.brand = composed.brand
        self.brand_source = brand
        self.brand_path = brand.path
        self.brand_dir = brand.path.parent
        self.options = options
        self.scale: TypeScale = layout.type
        self.theme: Theme = make_theme(self.brand, self.scale, brand_fonts(self.brand, brand.path))
        self.theme.language = composed.handout.language
        self.problems: list[Problem] = []
        #: what the layout noticed but draws anyway (RenderResult.warnings)
        self.warnings: list[str] = []
        #: raster logos drawn and their sizes (RenderResult.placed_images)
        self.placed: list[PlacedImage] = []
        #: what the last layout that fitted placed (a search lays out again after it, at sizes
        #: that may not fit: RenderResult reports what the kept layout drew)
        self.placed_fitted: tuple[PlacedImage, ...] = ()
        self.W = layout.paper.width
        self.H = layout.paper.height
        self.safe = layout.safe_margin
        #: office: the page is the paper. press: the page is the trim (W x H) plus the bleed
        #: on every side; drawing is in trim coordinates, backgrounds run to edge().
        self.press = layout.press if options.target == "press" else None
        if options.target == "press" and self.press is None:
            raise HandoutError(
                f"{layout.name}: --target press needs a 'press:' block (bleed and marks) "
                "in the layout file"
            )
        self.bleed = self.press.bleed if self.press else 0.0
        #: press: paper around the trim on each side: the bleed, and beyond it the crop marks
        #: (the page is larger than the BleedBox)
        self.margin = self.press.mark_offset + self.press.mark_length if self.press else 0.0
        #: press: the printing condition of the output intent (its profile converts colours)
        self.condition = condition_for(self.W, self.H)
        if self.press is not None:
            self.theme = press_theme(self.theme, self.condition.profile)
        self.theme.raster = self.raster_picture
        self.text = strings_for(composed.handout.language)
        self.tags = StructTree(composed.handout.language, composed.public_title)

    @property
    def tagged(self) -> bool:
        """Whether this build writes a tagged PDF (office output of a tagging layout)."""
        return self.TAGGED and self.options.tagged and self.press is None and not self.layout_only

    @property
    def layout_only(self) -> bool:
        """Whether this build only lays out (``check``): no file is written."""
        return self.options.layout_only

    # -- pieces for subclasses -------------------------------------------------------------
    def page_templates(self) -> list[PageTemplate]:
        raise NotImplementedError

    def story(self) -> list[Flowable]:
        raise NotImplementedError

    def check_filled(self, doc: HandoutDoc) -> None:
        """Subclasses may warn about empty panels."""

    #: a tagged file ends with blank pages up to a multiple of this (a letter's blank back)
    pad_to = 1

    def prepare_canvas(self, canv: Canvas) -> None:
        """Subclasses may set up the (tagged) canvas before anything is drawn."""

    def after_page(self, canv: Canvas, page: int) -> None:
        """Subclasses may draw over each finished page (trim coordinates)."""

    #: the staff copy's STAFF COPY mark: with the footer's marks where the footer has room
    #: for it (sheet, tri-fold, letter), else a stamp at the top of every page (large print,
    #: whose footer holds two marks: :meth:`draw_staff_mark`)
    STAFF_MARK_IN_FOOTER = False

    def draw_staff_mark(self, canv: Canvas, page: int) -> None:
        """STAFF COPY in white on the warning colour, centred at the top of every page of
        the staff copy, just inside the safe margin (over the band where there is one)."""
        th = self.theme
        text = self.text("staff_copy_short")
        size = max(th.scale.small, 9.0) + 1
        w = th.fonts.string_width(text, th.fonts.bold, size) + size * 1.6
        h = size * 1.7
        x, y = self.W / 2 - w / 2, self.H - self.safe - h
        with artifact(canv):  # repeated on every page, like the footer's marks
            canv.setFillColor(th.colours["warning"])
            canv.roundRect(x, y, w, h, 3, stroke=0, fill=1)
            canv.setFillColor(th.colours["white"])
            th.fonts.draw_string(
                canv, self.W / 2, y + h / 2 - size * 0.35, text, th.fonts.bold, size, "center"
            )

    def edge(self, side: str) -> float:
        """How far a background that should bleed may reach on ``side`` (trim coordinates).

        Office: the safe margin (desk printers cannot print to the paper's edge).
        Press: the bleed edge, past the trim. ``side`` is left, right, top or bottom.
        """
        out = self.bleed if self.press else -self.safe
        return {"left": -out, "bottom": -out, "right": self.W + out, "top": self.H + out}[side]

    def folds(self, page: int) -> list[float]:
        """x positions of the folds on ``page`` (trim coordinates); fold marks go there."""
        return []

    def logo(self, light: bool = False) -> Logo | None:
        name = (self.brand.logo_on_band or self.brand.logo) if light else self.brand.logo
        if not name:
            return None
        logo = load_logo(
            (self.brand_dir / name).resolve(), fonts=self.theme.fonts, folder=self.brand_dir
        )
        if self.press is not None and logo.drawing is None:  # a raster logo in CMYK for press
            logo = replace(logo, image=cmyk_image(logo.path, self.brand, self.condition.profile))
        return replace(logo, placed=self.placed)

    def pdf_metadata(self, subtitle: bool = True) -> metadata.PdfMetadata:
        """What this PDF says about itself, public values only: document information and
        viewer preferences (:func:`~handoutpress.metadata.for_handout`; ``subtitle``: the
        public subtitle as its subject). The one builder for ``build``, ``batch --merged``
        and ``--out-dir`` (file templates among them)."""
        return metadata.for_handout(
            self.composed, self.layout, self.text("patient_information"), subtitle
        )

    def pdfx_problems(self) -> list[Problem]:
        """What the brand brings that the PDF/X variant forbids (before anything is drawn):
        X-1a allows no transparency, so no PNG logo with an alpha channel."""
        if self.press is None or self.options.pdfx != "x1a":
            return []
        out = []
        for field in ("logo", "logo_on_band"):
            logo = self.logo(light=field == "logo_on_band")
            if field == "logo_on_band" and not self.brand.logo_on_band:
                continue
            if logo is not None and getattr(logo.image, "_alpha", None) is not None:
                out.append(
                    Problem(
                        self.brand_source.locate((field,)),
                        field,
                        "a PNG with transparency cannot go in PDF/X-1a (it allows none): "
                        "use an SVG or a PNG without transparency, or --pdfx x4",
                    )
                )
        return out

    def raster_picture(self, picture: Logo) -> Logo:
        """A raster picture of the content as this output draws it: CMYK for press, its
        placements noted (``check`` judges their resolution), as for raster logos."""
        if self.press is not None:
            image = cmyk_image(picture.path, self.brand, self.condition.profile)
            if self.options.pdfx == "x1a" and getattr(image, "_alpha", None) is not None:
                raise HandoutError(
                    [
                        Problem(
                            Location(picture.path),
                            "picture",
                            "a PNG with transparency cannot go in PDF/X-1a (it allows none): "
                            "use a PNG without transparency, or --pdfx x4",
                        )
                    ]
                )
            picture = replace(picture, image=image)
        return replace(picture, placed=self.placed)

    def logo_node(self, parent: Node | None = None) -> Node:
        """A ``Figure`` for the brand's logo, named in the handout's language."""
        alt = self.logo_alt()
        return (parent or self.tags.root).add("Figure", alt=alt)

    def logo_alt(self) -> str:
        """The logo's alt text in the handout's language: the brand's ``logo_alt`` when given,
        else the layout strings' "<brand> logo"."""
        given = in_language(self.brand.logo_alt, self.composed.handout.language)
        return given or self.text("logo_alt", brand=self.brand.name)

    def marks(self) -> list[tuple[str, str]]:
        """The warnings every page carries, short and long: SAMPLE brand, DRAFT content."""
        t = self.text
        out = []
        if self.brand.sample:
            out.append((t("sample_short"), t("sample_long", brand_file=self.brand_file_name())))
        if self.composed.draft:
            out.append((t("draft_short"), t("draft_long")))
        if self.composed.staff_copy and self.STAFF_MARK_IN_FOOTER:
            out.append((t("staff_copy_short"), t("staff_copy_long")))
        return out

    def footer_text(self) -> FooterText:
        """What this page footer says (contact, form and revision, marks)."""
        return footer_text(self.brand, self.text, self.composed.handout, self.marks())

    def brand_file_name(self) -> str:
        return self.brand_path.name

    def fixed(
        self,
        canv: Canvas,
        flowables: list[Flowable],
        x: float,
        top: float,
        width: float,
        max_height: float,
        what: str,
    ) -> float:
        """Draw ``flowables`` top-down in a fixed box; report overflow. Returns the bottom y."""
        y = top
        used = 0.0
        for f in flowables:
            _, h = f.wrap(width, max_height)
            before = f.getSpaceBefore() if used else 0
            after = f.getSpaceAfter()
            y -= before + h
            used += before + h
            f.drawOn(canv, x, y)
            y -= after
            used += after
        if used - (flowables[-1].getSpaceAfter() if flowables else 0) > max_height + 0.01:
            over = used - max_height
            self.problems.append(self.overflow_problem(what, over))
        return y

    def para(self, spans_or_text: str | Inline, style: str) -> Paragraph:
        """A title, subtitle or tagline (no word alone on its last line)."""
        if isinstance(spans_or_text, str):
            return NoLoneWord(spans_or_text, self.theme[style])
        return NoLoneWord(inline_markup(spans_or_text, self.theme.fonts), self.theme[style])

    def contact_block(self, gap: float, parent: Node | None = None) -> list[Flowable]:
        """The brand's contact details (:func:`~handoutpress.contact.contact_block`)."""
        return contact_block(
            self.theme, self.text, self.brand, self.composed.handout.language, gap, parent
        )

    # -- problems --------------------------------------------------------------------------
    def location(self, section: ComposedSection | None) -> tuple[Location, str]:
        doc = self.composed.source
        if section is None:
            return doc.locate(("sections",)), "sections"
        key = ("sections", section.index)
        return doc.locate_key((*key, "heading")), f"sections[{section.index}]"

    def lines(self, height: float) -> str:
        n = max(1, round(height / self.scale.body_leading + 0.49))
        return f"{n} line{'s' if n != 1 else ''} ({height:.0f} pt)"

    def brand_problem(self, key: tuple[str, ...], what: str, height: float) -> Problem:
        """Brand text that does not fit this layout, at its line in the brand file."""
        from .loading import dotted

        return Problem(
            self.brand_source.locate(key),
            dotted(key),
            f"{what} does not fit the {self.layout.name} layout by {self.lines(height)}; "
            "shorten it",
        )

    def overflow_problem(self, what: str, height: float) -> Problem:
        doc = self.composed.source
        return Problem(
            doc.locate(("title",)),
            self.layout.name,
            f"{what} does not fit by {self.lines(height)}; shorten it",
        )

    # -- the build -------------------------------------------------------------------------
    def render(self) -> RenderResult:
        pdf, doc = self.build_once()
        self.check_filled(doc)
        return self.result(pdf, doc)

    def result(self, pdf: bytes, doc: HandoutDoc) -> RenderResult:
        """What the last layout made (``doc``) and what the renderer noted on the way."""
        parted = parted_warnings(self.composed, self.layout.name, doc.parted_lists)
        return RenderResult(pdf, doc.page, (*self.warnings, *parted), self.placed_fitted)

    def fitted(self) -> None:
        """The layout just made fits: keep what it made that the result reports (the last
        layout that fits is the one a search keeps; later tries that overflow change nothing)."""
        self.placed_fitted = tuple(dict.fromkeys(self.placed))  # each placement once

    def build_once(self) -> tuple[bytes, HandoutDoc]:
        """Lay out and write the whole document once; raise ContentOverflow if it does not fit."""
        self.problems = []
        refused = self.pdfx_problems()
        if refused:
            raise HandoutError(refused)
        self.placed.clear()
        self.numbered = set()
        buf = io.BytesIO()
        c = self.composed
        info = self.pdf_metadata()
        doc = HandoutDoc(
            buf,
            self.layout.max_pages,
            **self.page_setup(),
            leftMargin=0,
            rightMargin=0,
            topMargin=0,
            bottomMargin=0,
            **info.doc_template_args(),
            invariant=1 if self.options.deterministic else 0,
            initialFontName=self.theme.fonts.regular,
            pageCompression=1,
            allowSplitting=1,
        )
        doc.addPageTemplates(self.page_templates())
        doc.finish_hooks.append(self.finish)
        doc.page_hooks.append(self.after_page)
        if c.staff_copy and not self.STAFF_MARK_IN_FOOTER:
            doc.page_hooks.append(self.draw_staff_mark)
        if self.press is not None:
            doc.origin = (self.margin, self.margin)
            doc.page_hooks.append(self.draw_press_marks)
        self.tags = StructTree(c.handout.language, c.public_title)
        canvasmaker: Callable[..., Canvas] = Canvas
        if self.options.layout_only:
            canvasmaker = LayoutOnlyCanvas
        elif self.press is not None:  # PDF/X-4 (handoutpress.pdfx)
            condition, version = self.condition, self.options.pdfx

            # (ReportLab's canvas keywords, of many types: ``lang`` among them, a str here)
            def canvasmaker(*args: object, **kw: Any) -> PressCanvas:
                return PressCanvas(*args, condition=condition, version=version, **kw)

        elif self.tagged:
            tree, pad_to = self.tags, self.pad_to

            def canvasmaker(*args: object, **kw: object) -> TaggedCanvas:
                canv = TaggedCanvas(*args, tree=tree, pad_to=pad_to, **kw)
                self.prepare_canvas(canv)
                return canv

        try:
            with remembering_wraps() if self.options.layout_only else contextlib.nullcontext():
                doc.build(self.story(), canvasmaker=canvasmaker)
        except LayoutError as exc:
            self.problems.append(self.too_tall_problem(doc, exc))
        self.report_overflow(doc)
        if self.problems:
            raise ContentOverflow(self.problems)
        untagged = getattr(doc.canv, "untagged", None)
        if untagged:  # a drawing call that a layout did not tag: a bug, not bad input
            page, text = untagged[0]
            raise RuntimeError(
                f"{self.layout.name}: drawn outside any tag or artifact on page {page}: "
                f"{text!r}; tag it (handoutpress.tagging)"
            )
        self.fitted()
        return (b"" if self.options.layout_only else buf.getvalue()), doc

    def too_tall_problem(self, doc: HandoutDoc, exc: LayoutError) -> Problem:
        """What platypus's LayoutError means to a writer: the picture or the section (at its
        heading) that is taller than a whole page or panel. ``build`` and ``batch`` both say it."""
        if isinstance(exc, PictureTooTall):
            where = "panel" if self.layout.kind == "trifold" else "page"
            return exc.problem(self.layout.name, where)
        loc, field = self.location(doc.current)
        title = public_heading(self.composed, doc.current)
        return Problem(
            loc,
            field,
            f"{self.layout.name}: {title} is too tall to fit on one "
            "page or panel; split it into shorter sections",
        )

    def report_overflow(self, doc: HandoutDoc) -> None:
        """Add a problem naming the section that ran past ``max_pages`` and by how much."""
        if doc.overflow_section is None and not doc.overflow_height:
            return
        loc, field = self.location(doc.overflow_section)
        title = public_heading(self.composed, doc.overflow_section)
        # Cutting this much anywhere before it makes everything fit: what spilled over,
        # less the space left at the foot of the last page (a box moves whole).
        height = max(sum(doc.overflow_height.values()) - doc.last_free, 1.0)
        self.problems.append(
            Problem(
                loc,
                field,
                f"{self.layout.name}: {title} overflows page {self.layout.max_pages} by "
                f"{self.lines(height)}",
            )
        )

    def page_setup(self) -> PageSetup:
        """Page size, boxes and colour space of the target."""
        if self.press is None:
            return {"pagesize": (self.W, self.H)}
        b, m = self.bleed, self.margin
        page = (self.W + 2 * m, self.H + 2 * m)
        return {
            "pagesize": page,
            "trimBox": (m, m, self.W + m, self.H + m),
            "bleedBox": (m - b, m - b, self.W + m + b, self.H + m + b),
            "enforceColorSpace": cmyk_converter(self.brand, self.condition.profile),
        }

    def draw_press_marks(self, canv: Canvas, page: int) -> None:
        if self.press is not None:
            draw_marks(canv, self.W, self.H, self.press, self.folds(page))

    #: each page's ``Page N of T`` form is ``<total_form>-N``, drawn once T is known
    total_form = "hp-page-total"

    def finish(self, doc: HandoutDoc) -> None:
        """Called once before the file is closed: page totals and the like."""
        canv = doc.canv
        fonts = self.theme.fonts
        font, size = fonts.regular, self.scale.small
        for page in sorted(self.numbered):  # (drawn as a page number: an artifact)
            # the line ends at the form's origin: its box reaches left (it clips to it)
            canv.beginForm(f"{self.total_form}-{page}", -self.W, -self.H, self.W, self.H)
            canv.setFont(font, size)
            canv.setFillColor(self.theme.colours["muted"])
            text = self.text("page_of", page=page, total=doc.page)
            fonts.draw_string(canv, 0, 0, text, font, size, "right")
            canv.endForm()
        self.numbered = set()

    numbered: set[int] = set()  #: the pages that show ``Page N of T``

    def page_number(self, canv: Canvas, x_right: float, y: float) -> None:
        """``Page N of T`` ending at ``x_right`` (the margin): a form made once T is known."""
        self.place_total(canv, x_right, y)

    def place_total(self, canv: Canvas, x: float, y: float) -> None:
        """Draw this page's ``Page N of T`` form with its right end at (x, y)."""
        page = canv.getPageNumber()
        self.numbered = self.numbered | {page}
        with artifact(canv):  # pagination
            canv.saveState()
            canv.translate(x, y)
            canv.doForm(f"{self.total_form}-{page}")
            canv.restoreState()
