"""The named distances of each layout kind (``geometry:``) and the page margins (``margins:``).

One model per kind, chosen by the layout's ``kind``; a key the kind does not use is an
error with a suggestion (``geometry.window_lefft: unknown key (did you mean
'window_left'?)``), so a typo never falls back to a default silently. Every default is
here and nowhere else; a layout file normally gives every number itself. All lengths are
in points; the letter's are measured from the sheet's top-left corner. No ReportLab here.
"""

from __future__ import annotations

from pydantic import Field

from .values import INCH, Length, Model


class Geometry(Model):
    """What every kind's geometry shares: nothing but the strictness. Each field has a
    docstring (``tests/test_geometry.py`` reads them from this file; pydantic is not asked
    to: ``use_attribute_docstrings`` reads the source at import, about 30 ms a command)."""


# --------------------------------------------------------------------------- margins


class Margins(Geometry):
    """Page margins around the text column (sheet, large print, letter)."""

    top: Length = 0.5 * INCH
    """From the paper's top edge to the top of the page's content."""
    bottom: Length = 0.5 * INCH
    """From the paper's bottom edge to the bottom of the footer zone."""
    left: Length = 0.75 * INCH
    """From the paper's left edge to the text."""
    right: Length = 0.75 * INCH
    """From the paper's right edge to the text."""


class LargeMargins(Margins):
    """Large print: a little more room at the top of the page."""

    top: Length = 0.6 * INCH
    """From the paper's top edge to the logo or running head."""


# --------------------------------------------------------------------------- per kind


class TrifoldGeometry(Geometry):
    """``kind: trifold``: the panels' text boxes, foot strip and cover band."""

    top: Length = 0.4 * INCH
    """Panel text starts this far below the paper's top edge."""
    bottom: Length = 0.4 * INCH
    """The panel foot (and the text above it) ends this far above the paper's bottom edge."""
    foot: Length = 0.32 * INCH
    """Height of the strip at each panel's foot: form number, SAMPLE / DRAFT marks."""
    cover_band: Length = 5.2 * INCH
    """Greatest height of the coloured band (logo, title, subtitle) at the top of the cover;
    it grows into the room a cover picture would take, up to this."""
    edge_padding: Length = 0.3 * INCH
    """The outer panels' text keeps this far from the paper's edge (panel_padding is the
    distance from a fold): a little more than the safe margin, so that nothing drawn at
    the text's edge, a trailing space or a box's rule, comes closer than it."""
    cover_band_inset: Length = 0.15 * INCH
    """The band's logo and title keep this far inside its edges."""
    logo_height: Length = 0.5 * INCH
    """Height of the (small) logo in the cover band."""
    cover_image_height: Length = 1.6 * INCH
    """Tallest the cover picture (``cover.image``) may be drawn under the title."""
    field_row: Length = 0.3 * INCH
    """Height of one write-in line on the back panel (under its label)."""
    body_map: Length = 0.9 * INCH
    """Height of the body outline of a ``body-map`` field on the back panel."""


class ColumnGeometry(Geometry):
    """One column of text above a footer zone (sheet, large print)."""

    footer: Length = 0.62 * INCH
    """Footer zone at the bottom of every page: contact line, form number, page number, marks."""
    field_row: Length = 0.36 * INCH
    """Height of one row of write-in fields (room to write by hand)."""
    logo_height: Length = 0.62 * INCH
    """Height of the logo on page 1."""
    body_map: Length = 1.1 * INCH
    """Height of the body outline of a ``body-map`` field (front and back views)."""


class SheetGeometry(ColumnGeometry):
    """``kind: sheet``: the brand band, write-in fields and footer."""

    header: Length = 1.15 * INCH
    """Height of the brand band (title, subtitle, logo) at the top of page 1."""
    header_later: Length = 0.45 * INCH
    """Height of the slimmer band at the top of the pages after the first."""
    fields_gap: Length = 0.12 * INCH
    """Space between the band and the write-in fields."""
    body_gap: Length = 0.1 * INCH
    """Space between the write-in fields and the first section."""
    strip: Length = 2.45 * INCH
    """Page 1: width of the side strip (key points, tiered "when to call" box) right of the
    text column; the text column is the rest, less the gutter."""
    gutter: Length = 0.3 * INCH
    """Space between the text column and the side strip."""
    later_strip: Length = 2.8 * INCH
    """Page 2: width of the side strip holding the sections that stand alone (``panel:
    flap``), when there are any; the text column is the rest, less the gutter."""
    later_text: Length = 5.4 * INCH
    """Pages after the first: width of the one text column (45-75 characters a line)."""


class LargeGeometry(ColumnGeometry):
    """``kind: large``: large print, one column reflowed onto as many pages as needed."""

    footer: Length = 0.95 * INCH
    """Footer zone at the bottom of every page: short SAMPLE / DRAFT marks, form number,
    page number."""
    field_row: Length = 0.62 * INCH
    """Height of one write-in line (room to write by hand in large letters)."""
    logo_height: Length = 0.8 * INCH
    """Height of the (dark) logo above the title on page 1."""
    running_head: Length = 0.45 * INCH
    """Pages 2 and on: room for the title and "(continued)" at the top."""
    body_map: Length = 2.2 * INCH
    """Height of the body outline of a ``body-map`` field, larger like the text."""
    cover_image_height: Length = 2.5 * INCH
    """Tallest the cover picture (``cover.image``) may be drawn under the title."""
    max_empty: float = Field(0.7, gt=0, lt=1)
    """No page before the last may be emptier than this share of its text area: a box or
    the contact details that would move whole to the next page split here instead (issue
    12: "the large-print pages without a 70 % empty page"); what still cannot fill a page
    (a section kept with a tool) is a warning naming the page."""


class LetterGeometry(Geometry):
    """``kind: letter``: letterhead, the #10 envelope window, subject line, running head."""

    logo_height: Length = 0.55 * INCH
    """Height of the logo in the letterhead."""
    logo_width: Length = 2.0 * INCH
    """Widest the letterhead logo may be."""
    window_left: Length = 0.5 * INCH
    """Left edge of the envelope window's safe address zone, from the sheet's left edge."""
    window_top: Length = 2.042 * INCH
    """Top edge of the address zone, from the sheet's top edge."""
    window_width: Length = 3.5 * INCH
    """Width of the address zone (nothing but the address is printed in it)."""
    window_height: Length = 0.875 * INCH
    """Height of the address zone."""
    address_inset_left: Length = 0.1 * INCH
    """The address text starts this far inside the zone's left edge."""
    address_inset_top: Length = 0.03 * INCH
    """The address text starts this far below the zone's top edge."""
    address_size: Length = 10.0
    """Type size of the address (USPS: at least 8 pt; 10-12 pt recommended)."""
    address_leading: Length = 11.0
    """Line spacing of the address."""
    address_leading_min: Length = 10.0
    """Tighter line spacing, used only when five lines or a barcode must fit the window."""
    imb_gap: Length = 1.0
    """Space between the last address line and the Intelligent Mail barcode."""
    date_top: Length = 1.55 * INCH
    """Baseline of the date (right-aligned), from the sheet's top edge."""
    subject_top: Length = 3.85 * INCH
    """Top of the subject line (the handout's title), from the sheet's top edge; below the
    first fold, so it never shows through the window."""
    greeting_gap: Length = 0.12 * INCH
    """Space between the subject line and "Dear …,"."""
    body_gap: Length = 0.1 * INCH
    """Space between the greeting and the body."""
    running_head: Length = 0.55 * INCH
    """Pages 2 and on: room at the top for the clinic, the date and the recipient's name."""
    footer: Length = 0.62 * INCH
    """Footer zone at the bottom of every page: contact line, form number, page number, marks."""


#: The geometry model of each layout kind.
GEOMETRY: dict[str, type[Geometry]] = {
    "trifold": TrifoldGeometry,
    "sheet": SheetGeometry,
    "large": LargeGeometry,
    "letter": LetterGeometry,
}

#: The margins model of each kind that has page margins (a tri-fold has panels instead).
MARGINS: dict[str, type[Margins]] = {
    "sheet": Margins,
    "large": LargeMargins,
    "letter": Margins,
}
