"""Addressing a letter, in one place: the :class:`Addressee` (built once, from a CSV
recipient or from ``--set patient.*`` values), the envelope :class:`Window` (where the
address goes and whether it fits), the state and ZIP rules and the Intelligent Mail
barcode. No patient data is logged or put into a message here: reasons never quote the
value."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.pdfbase.pdfmetrics import stringWidth

from . import geometry
from .fonts import FontSet, register
from .models import Layout
from .values import INCH

if TYPE_CHECKING:
    from reportlab.graphics.barcode.usps4s import USPS_4State

_STATE_CODES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY "
    "AS GU MP PR VI UM FM MH PW AA AE AP"
)
STATES = frozenset(_STATE_CODES.split(" "))
_STATE_NAMES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "districtofcolumbia": "DC",
    "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL",
    "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI",
    "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT",
    "nebraska": "NE", "nevada": "NV", "newhampshire": "NH", "newjersey": "NJ",
    "newmexico": "NM", "newyork": "NY", "northcarolina": "NC", "northdakota": "ND",
    "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
    "rhodeisland": "RI", "southcarolina": "SC", "southdakota": "SD", "tennessee": "TN",
    "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA",
    "westvirginia": "WV", "wisconsin": "WI", "wyoming": "WY", "puertorico": "PR",
}  # fmt: skip
_ZIP = re.compile(r"^(\d{5})(?:[-\s]?(\d{4}))?$")
_SHORT_ZIP = re.compile(r"^(\d{3,4})(?:[-\s]?(\d{4}))?$")
#: the 3-digit ZIP prefixes that begin with 0, by state (USPS): a 3 or 4-digit ZIP whose
#: padded prefix belongs to the row's state lost its leading zeros in Excel
_ZERO_ZIPS: dict[str, tuple[tuple[int, int], ...]] = {
    "NY": ((5, 5), (63, 63)), "PR": ((6, 7), (9, 9)), "VI": ((8, 8),),
    "MA": ((10, 27), (55, 55)), "RI": ((28, 29),), "NH": ((30, 38),), "ME": ((39, 49),),
    "VT": ((50, 54), (56, 59)), "CT": ((60, 69),), "NJ": ((70, 89),), "AE": ((90, 98),),
}  # fmt: skip


def state_code(value: str) -> str:
    """``CA``, ``ca``, ``California``, ``N.Y.`` → the USPS code; "" when it is none."""
    st = value.upper()
    if st in STATES:
        return st
    return _STATE_NAMES.get(re.sub(r"[\s.]", "", value).casefold(), "")


STATE_REASON = "not a US state or territory code (e.g. CA, NY, PR)"


def zip_code(value: str, state: str) -> tuple[str, str]:
    """(ZIP as printed, "restored" or "") or ("", the reason it is refused).

    Excel turns 02134 into 2134 (and 00601 into 601): when the ZIP is 3 or 4 digits
    (or 7-8 with the +4) and putting the zeros back gives a ZIP prefix of the row's state
    (MA 010-027, CT 060-069, NJ 070-089, PR 006-009 …), the zeros are put back; the
    summary counts these rows.
    """
    m = _ZIP.match(value)
    if m:
        return m.group(1) + (f"-{m.group(2)}" if m.group(2) else ""), ""
    short = _SHORT_ZIP.match(value)
    digits = value.replace("-", "").replace(" ", "")
    if short is None and digits.isdigit() and len(digits) in (7, 8):
        short = re.match(r"^(\d{3,4})(\d{4})$", digits)
    if short is not None:
        five = short.group(1).zfill(5)
        prefix = int(five[:3])
        if any(lo <= prefix <= hi for lo, hi in _ZERO_ZIPS.get(state, ())):
            plus4 = f"-{short.group(2)}" if short.group(2) else ""
            return five + plus4, "restored"
        return "", (
            f"expected 5 or 9 digits, got {len(short.group(1))}"
            f"{' before the +4' if short.group(2) else ''} (with the leading zeros Excel "
            f"drops, it is still not a ZIP code of {state})"
        )
    if re.fullmatch(r"\d+\.0+", value):
        return "", "expected 5 or 9 digits, got a decimal number (format the column as text)"
    return "", "expected 5 or 9 digits (or ZIP+4 as 12345-6789)"


def parse_imb(value: str) -> tuple[str, str] | str:
    """``imb`` → (tracking, routing), or the reason it is refused."""
    raw = re.sub(r"[\s-]", "", value)
    if not raw.isdigit():
        return "expected digits only (20-digit tracking code, then the routing ZIP)"
    if len(raw) in (20, 25, 29, 31):  # the routing ZIP is printed as given (0 digits: none)
        routing = raw[20:]
    else:
        return (
            f"expected a 20-digit tracking code plus a 0, 5, 9 or 11-digit routing ZIP, "
            f"got {len(raw)} digits"
        )
    tracking = raw[:20]
    if tracking[1] not in "01234":
        return "the barcode identifier's second digit must be 0-4"
    return tracking, routing


# --------------------------------------------------------------------------- the addressee


@dataclass(frozen=True)
class Addressee:
    """The personal parts of one letter (never in metadata, logs or errors)."""

    name: str = ""
    """The name line of the address (first and last name)."""
    street: tuple[str, ...] = ()
    """Delivery address line(s): address1, and address2 when it does not fit beside it."""
    last_line: str = ""
    """City, state and ZIP."""
    greeting_name: str = ""
    """First name for "Dear …," (empty: "Dear Patient,")."""
    imb: tuple[str, str] | None = None
    """Intelligent Mail barcode: 20-digit tracking code, routing ZIP (0/5/9/11 digits)."""
    street_field: tuple[str, ...] = ("address1", "address2")
    """The field each street line came from (for error messages)."""

    @property
    def lines(self) -> list[str]:
        return [x for x in (self.name, *self.street, self.last_line) if x]

    @property
    def blank(self) -> bool:
        return not self.lines

    @classmethod
    def from_values(cls, values: Mapping[str, str], window: Window) -> Addressee:
        """``--set patient.first_name=… patient.address1=…`` → an addressee (``build``);
        an IMb that :func:`parse_imb` refuses is left out (:func:`value_problems`)."""

        def get(key: str) -> str:
            return " ".join(str(values.get(f"patient.{key}", "")).split())

        first, last = get("first_name"), get("last_name")
        name = get("name") or " ".join(x for x in (first, last) if x)
        city, state, zipc = get("city"), get("state").upper(), get("zip")
        last_line = " ".join(x for x in (f"{city}," if city else "", state, zipc) if x)
        a1, a2 = get("address1"), get("address2")
        if a1:
            street, street_field = window.street_lines(a1, a2)
        else:
            street, street_field = ((a2,) if a2 else ()), ("address2",)
        parsed = parse_imb(get("imb")) if get("imb") else None
        imb = parsed if isinstance(parsed, tuple) else None
        greeting = first or (name.split()[0] if name else "")
        return cls(name, street, last_line.strip(" ,"), greeting, imb, street_field)


def value_problems(values: Mapping[str, str]) -> list[tuple[str, str]]:
    """(field, reason) for ``--set patient.*`` values that cannot be mailed as given."""
    imb = values.get("patient.imb", "")
    if imb.strip():
        parsed = parse_imb(imb)
        if isinstance(parsed, str):
            return [("imb", parsed)]
    return []


# --------------------------------------------------------------------------- the window


class Window:
    """The envelope window of a letter layout (``layouts/letter.yaml``): where the address
    goes, and whether an addressee fits, checked before any page is drawn."""

    def __init__(self, layout: Layout, fonts: FontSet | None = None) -> None:
        """``fonts``: the brand's, to measure the address lines (the bundled when not given)."""
        g = layout.geometry_as(geometry.LetterGeometry)
        self.W, self.H = layout.paper.width, layout.paper.height
        m = layout.margins
        self.ml = m.left
        self.mr = m.right
        self.mt = m.top
        self.mb = m.bottom
        self.text_w = self.W - self.ml - self.mr
        self.win_x = g.window_left
        self.win_top = g.window_top
        self.win_w = g.window_width
        self.win_h = g.window_height
        self.inset_x = g.address_inset_left
        self.inset_y = g.address_inset_top
        self.addr_size = g.address_size
        self.addr_leading = g.address_leading
        self.addr_leading_min = g.address_leading_min
        self.imb_gap = g.imb_gap
        self.body_size = layout.type.body
        self.fonts = fonts or register()
        # the window zone in PDF coordinates (y up)
        self.win_y1 = self.H - self.win_top
        self.win_y0 = self.win_y1 - self.win_h
        self.addr_x = self.win_x + self.inset_x
        self.addr_w = self.win_x + self.win_w - self.addr_x
        self._imb_size: tuple[float, float] | None = None
        #: widths of lines measured lately, by (text, size)
        self._widths: dict[tuple[str, float], float] = {}
        #: address_leading's answers, by (lines, barcode)
        self._leadings: dict[tuple[int, bool], float | None] = {}

    def width(self, text: str, size: float) -> float:
        """One line in the body face (what the fonts lack in the fallback face)."""
        key = (text, size)
        got = self._widths.get(key)
        if got is not None:  # city lines and greetings repeat in a mailing
            return got
        fonts = self.fonts
        if fonts.body_set.issuperset(text):  # the common case, fast
            got = float(stringWidth(text, fonts.regular, size))
        else:
            got = fonts.string_width(text, fonts.regular, size)
        if len(self._widths) >= 4096:
            self._widths.clear()
        self._widths[key] = got
        return got

    def imb(self, tracking: str, routing: str) -> USPS_4State:
        # (imported when a row has a barcode: reportlab.graphics.barcode registers every
        # kind of barcode it has when first imported, about 30 ms)
        from reportlab.graphics.barcode.usps4s import USPS_4State

        return USPS_4State(value=tracking, routing=routing, widthSize=0.5, heightSize=0)

    def imb_size(self) -> tuple[float, float]:
        if self._imb_size is None:
            bc = self.imb("00040123456200800001", "")
            self._imb_size = (bc.width, bc.height)
        return self._imb_size

    def address_leading(self, n_lines: int, with_imb: bool) -> float | None:
        """The leading that fits ``n_lines`` (and a barcode) in the window, or None."""
        key = (n_lines, with_imb)
        if key in self._leadings:  # (the same few shapes in every row of a mailing)
            return self._leadings[key]
        got = self._leadings[key] = self._address_leading(n_lines, with_imb)
        return got

    def _address_leading(self, n_lines: int, with_imb: bool) -> float | None:
        avail = self.win_h - self.inset_y
        descent = self.addr_size * 0.25
        extra = (self.imb_gap + self.imb_size()[1]) if with_imb else 0.0
        for leading in (self.addr_leading, self.addr_leading_min):
            need = self.addr_size + (n_lines - 1) * leading + descent + extra
            if need <= avail + 0.01:
                return leading
        return None

    def street_lines(self, address1: str, address2: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """address2 goes on the address1 line when it fits there (USPS Pub 28), else under it."""
        if not address2:
            return (address1,), ("address1",)
        joined = f"{address1} {address2}"
        if self.width(joined, self.addr_size) <= self.addr_w:
            return (joined,), ("address1",)
        return (address1, address2), ("address1", "address2")

    def check(self, a: Addressee, greeting: str) -> list[tuple[str, str]]:
        """Problems with placing ``a``: (field, reason). Reasons never quote the value."""
        out: list[tuple[str, str]] = []
        street = zip(a.street_field, a.street, strict=False)
        fields = [("name", a.name), *street, ("city", a.last_line)]
        for field, line in fields:
            if line and self.width(line, self.addr_size) > self.addr_w:
                what = "city, state and ZIP" if field == "city" else field
                out.append(
                    (
                        field,
                        f"{what} is too long for the envelope window "
                        f"({self.addr_w / INCH:.2f} in at {self.addr_size:g} pt)",
                    )
                )
        if self.address_leading(len(a.lines), a.imb is not None) is None:
            field = "imb" if a.imb is not None else "address2"
            out.append(
                (
                    field,
                    f"{len(a.lines)} address lines"
                    f"{' and a barcode' if a.imb is not None else ''} "
                    "do not fit the envelope window",
                )
            )
        if self.width(greeting, self.body_size) > self.text_w:
            out.append(("first_name", "too long for the greeting line"))
        return out
