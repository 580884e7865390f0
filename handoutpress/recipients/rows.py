"""A CSV row → a :class:`Recipient` (the name, address and language as printed, every
column by its template name) or a :class:`Reject` naming the first field that is wrong
(record, line, field, reason: never the value). No patient data is logged here."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..addressing import STATE_REASON, Addressee, Window, parse_imb, state_code, zip_code
from ..models import FIELD_KEY
from ..personal import RECIPIENT_FIELDS
from ..scripts import BIDI_CONTROLS, REPLACEMENT, direction_refusal, is_beyond_bmp, is_rtl
from .csvfile import LINE_BREAK, CsvSource
from .headers import FIELDS, REQUIRED

if TYPE_CHECKING:
    from ..fonts import FontSet

_LANG_NAMES = {
    "english": "en", "spanish": "es", "espanol": "es", "español": "es", "vietnamese": "vi",
    "tiengviet": "vi", "tiếngviệt": "vi", "chinese": "zh", "mandarin": "zh", "cantonese": "zh",
    "tagalog": "tl", "filipino": "tl", "korean": "ko", "russian": "ru", "arabic": "ar",
    "french": "fr", "portuguese": "pt", "german": "de", "japanese": "ja",
    "castellano": "es", "castilian": "es",
    # codes practice-management systems use besides BCP 47 (ISO 639-2, abbreviations)
    "sp": "es", "spa": "es", "esp": "es", "span": "es", "eng": "en", "vie": "vi", "vn": "vi",
    "chi": "zh", "zho": "zh", "kor": "ko", "rus": "ru", "ara": "ar", "fre": "fr", "fra": "fr",
    "por": "pt", "ger": "de", "deu": "de", "jpn": "ja", "tgl": "tl",
}  # fmt: skip
_LANG = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Recipient:
    record: int
    line: int
    first_name: str
    last_name: str
    name: str
    address1: str
    address2: str
    city: str
    state: str
    zip: str
    language: str
    imb: tuple[str, str] | None
    #: every column by its template name (``row.visit_date``) and personal fields given as
    #: ``visit.date`` style headers
    extra: tuple[tuple[str, str], ...] = ()
    #: the ZIP had lost its leading zero(s) (Excel) and was restored, checked by the state
    zip_restored: bool = False

    @property
    def full_name(self) -> str:
        return self.name or " ".join(x for x in (self.first_name, self.last_name) if x)

    @property
    def greeting_name(self) -> str:
        """``first_name``, else from ``name`` (see :func:`greeting_from_name`)."""
        if self.first_name:
            return self.first_name
        return greeting_from_name(self.name)

    @property
    def last_line(self) -> str:
        return f"{self.city}, {self.state} {self.zip}"

    def addressee(self, window: Window) -> Addressee:
        """The letter's address block and greeting name (address2 beside address1 when it
        fits the window)."""
        street, street_field = window.street_lines(self.address1, self.address2)
        return Addressee(
            self.full_name, street, self.last_line, self.greeting_name, self.imb, street_field
        )

    def template_values(self, headers: list[str]) -> dict[str, str]:
        """What the handout's text may use: ``patient.*`` (name and address) and the
        columns whose header is a personal field (``visit.date``)."""
        values = {
            f"patient.{key}": self.full_name if key == "name" else getattr(self, key)
            for key in RECIPIENT_FIELDS
        }
        for (_name, value), header in zip(self.extra, headers, strict=False):
            if FIELD_KEY.match(header.strip()):
                values[header.strip()] = value
        return values

    def duplicate_key(self) -> int:
        """A 64-bit hash of name and address (a few bytes per row to find duplicates)."""
        parts = (self.full_name, self.address1, self.address2, self.city, self.state, self.zip[:5])
        if all(p.isprintable() and "  " not in p for p in parts):  # (as clean() leaves them)
            text = "\x1f".join(parts).casefold()  # the same: no other whitespace to make one
        else:
            text = "\x1f".join(_SPACES.sub(" ", p).casefold() for p in parts)
        return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


_HONORIFICS = frozenset(["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sr", "sra", "srta", "rev"])
_SUFFIXES = frozenset(
    ["jr", "sr", "ii", "iii", "iv", "v", "md", "do", "phd", "dds", "esq", "rn", "np", "pa"]
)


def greeting_from_name(name: str) -> str:
    """The name to greet in a one-column name, as exports write it ("Ruiz, Ana M")."""
    head, comma, tail = name.partition(",")
    if comma:
        words = tail.replace(",", " ").split()
        if words and words[0].rstrip(".").casefold() not in _SUFFIXES:
            return words[0]  # "Last, First Middle"
        name = head  # "John Smith, Jr."
    words = name.split()
    if not words:
        return ""
    if len(words) > 1 and words[0].rstrip(".").casefold() in _HONORIFICS:
        return f"{words[0]} {words[-1]}"  # "Mr. John Smith" → "Mr. Smith"
    return words[0]


@dataclass(frozen=True)
class Reject:
    record: int
    line: int
    field: str
    reason: str


#: invisible format characters (zero-width spaces and joiners, soft hyphen, BOM, the
#: deprecated format controls U+206A-U+206F): they print as nothing, a stray hyphen or a
#: box, so they are dropped. Not the direction controls (``scripts.BIDI_CONTROLS``): a value
#: with one is refused, as ``--set`` and the front desk refuse it (``direction_refusal``)
FORMAT_CHARS = re.compile(
    "[\u00ad\u034f\u180e\u200b-\u200d\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb]"
)


def clean(value: str) -> str:
    """One line, as printed: Unicode NFC (a decomposed "Nguyễn" from a Mac prints as
    one letter per accent), invisible format characters dropped (not the direction
    controls: :func:`validate` refuses them), and runs of whitespace
    (line breaks in a quoted field too) made one space."""
    if value.isascii():
        if value.isprintable() and "  " not in value and value == value.strip():
            return value  # the common case, fast
        return _SPACES.sub(" ", value).strip()
    value = FORMAT_CHARS.sub("", unicodedata.normalize("NFC", value))
    return _SPACES.sub(" ", value).strip()


def as_cleaned(cells: list[str], joined: str) -> bool:
    """Is every cell as :func:`clean` leaves it, and all printable ASCII (``joined``: the
    cells joined)? The common row: single spaces, none at either end of a cell."""
    if not (joined.isascii() and joined.isprintable() and "  " not in joined):
        return False
    bounded = "\x1f".join(cells)
    return (
        " \x1f" not in bounded
        and "\x1f " not in bounded
        and not bounded.startswith(" ")
        and not bounded.endswith(" ")
    )


def language_tag(value: str) -> str:
    """``es``, ``es-MX``, ``Spanish``, ``Español``, ``SP``, ``Spanish (Mexico)`` → a tag;
    ``?`` for a value that is not a language."""
    v = clean(value).casefold().replace("_", "-")
    if not v:
        return ""
    tag = _LANG_NAMES.get(v.replace(" ", ""), v)
    if _LANG.match(tag):
        return tag
    word = re.match(r"[^\W\d_]+", v)  # "spanish (mexico)", "english - us"
    if word and word.group() in _LANG_NAMES:
        return _LANG_NAMES[word.group()]
    return "?"


PRINTED = ("first_name", "last_name", "name", "address1", "address2", "city")
#: the other fields: read (the state, ZIP, barcode, language), a direction control refused
_UNPRINTED = ("state", "zip", "imb", "language")
#: fields that never hold a line break: one there means a quote was left open and the
#: field swallowed the start of the next row
ONE_LINE = ("first_name", "last_name", "name", "city", "state", "zip", "language", "imb")


#: per font set (kept with it, so its id is not reused): the characters of its body family
#: that pass every check of :func:`unprintable_reason`
_PLAIN: dict[int, tuple[FontSet, frozenset[str]]] = {}


def plain_chars(fonts: FontSet) -> frozenset[str]:
    """The characters of ``fonts``' body family that pass every check of
    :func:`unprintable_reason` (a value of only these prints as written), once per font set."""
    got = _PLAIN.get(id(fonts))
    if got is None or got[0] is not fonts:
        plain = frozenset(
            ch
            for ch in fonts.body_set
            if unicodedata.category(ch) != "Cc"
            and not is_beyond_bmp(ch)
            and not is_rtl(ch)
            and ch not in BIDI_CONTROLS
            and ch != REPLACEMENT
        )
        got = _PLAIN[id(fonts)] = (fonts, plain)
    return got[1]


def unprintable_reason(value: str, encoding: str, fonts: FontSet) -> str:
    """Why ``value`` cannot be printed as written (never quoting it), or ""."""
    if plain_chars(fonts).issuperset(value):  # accented names in the body face: fine
        return ""
    direction = direction_refusal(value)  # (the rule --set and the front desk follow)
    if direction is not None:
        return direction
    body = fonts.body_set

    def can_print(ch: str) -> bool:  # fonts.printable, the fallback loaded only if needed
        return ch in body or ch == " " or ch in fonts.printable

    for pos, ch in enumerate(value, start=1):
        if ch.isascii() and can_print(ch):
            continue
        if unicodedata.category(ch) == "Cc":
            hint = ""
            if 0x80 <= ord(ch) <= 0x9F and not encoding.lower().startswith(("cp", "windows")):
                hint = "; the file may be Windows-1252: try --encoding cp1252"
            return f"has a control character (character {pos}){hint}"
        if ch == REPLACEMENT:  # as --set and the front desk refuse it (scripts.py)
            return _lost(value)
        if is_beyond_bmp(ch):  # the rules content and --set follow too (scripts.py)
            return (
                f"has an emoji or another character beyond the basic plane (character {pos}); "
                "remove it from the export"
            )
        if is_rtl(ch):
            return (
                f"has right-to-left text (Arabic, Hebrew …, character {pos}), which the "
                "letter cannot print in reading order: send this one by hand"
            )
        if not can_print(ch):
            return f"has a character {fonts.cannot_print} can print (character {pos})"
    return ""


def _lost(value: str) -> str:
    """Why a value with U+FFFD is refused (as ``--set`` and the front desk refuse it)."""
    return (
        f"has the replacement character U+FFFD (character {value.index(REPLACEMENT) + 1}): "
        "a letter was lost when the file was exported; correct the row and export it again"
    )


def _swallowed(src: CsvSource, cells: list[str], line: int) -> tuple[str, str] | None:
    """(field, reason) when a quoted field holds line breaks that look like a quote left
    open: in a field that is always one line, or holding whole rows."""
    cols = src.columns
    by_index = {i: k for k, i in cols.items()}
    n = len(src.headers)
    for i, c in enumerate(cells):
        if "\n" not in c and "\r" not in c:
            continue
        end = line + len(LINE_BREAK.findall(c))
        name = by_index.get(i) or (src.headers[i] if i < n else f"column {i + 1}")
        rows_inside = n >= 3 and any(
            part.count(src.delimiter) >= n - 1 for part in LINE_BREAK.split(c)[1:]
        )
        if by_index.get(i) in ONE_LINE or rows_inside:
            return name, (
                f"has a line break (the record runs from line {line} to {end}): a quote "
                '(") is probably left open and this field swallowed the rows after it'
            )
    return None


_COLUMNS: dict[int, tuple[CsvSource, dict[str, int], tuple[tuple[str, int], ...]]] = {}


def field_columns(src: CsvSource) -> tuple[tuple[str, int], ...]:
    """(field, column index or -1) for every field, worked out once per file read."""
    got = _COLUMNS.get(id(src))
    if got is None or got[0] is not src or got[1] != src.columns:
        pairs = tuple((k, src.columns.get(k, -1)) for k in FIELDS)
        got = _COLUMNS[id(src)] = (src, dict(src.columns), pairs)
        if len(_COLUMNS) > 16:
            _COLUMNS.clear()
            _COLUMNS[id(src)] = got
    return got[2]


def validate(
    src: CsvSource, record: int, line: int, cells: list[str], fonts: FontSet
) -> Recipient | Reject:
    """One row → a Recipient, or a Reject naming the first field that is wrong.

    ``fonts``: the brand's (:func:`~handoutpress.fonts.brand_fonts`), which must print the
    names and address."""

    def reject(fieldname: str, reason: str) -> Reject:
        return Reject(record, line, fieldname, reason)

    n = len(src.headers)
    if len(cells) > n and any(c.strip() for c in cells[n:]):
        return reject("row", f"has {len(cells)} fields, the header has {n}")
    joined = "".join(cells)
    if "\n" in joined or "\r" in joined:
        swallowed = _swallowed(src, cells, line)
        if swallowed:
            return reject(*swallowed)
    cols = src.columns
    plain = as_cleaned(cells, joined)
    cleaned = cells if plain else [clean(c) for c in cells]
    ncells = len(cleaned)

    values = {k: cleaned[i] if 0 <= i < ncells else "" for k, i in field_columns(src)}
    if not values["first_name"] and not values["name"]:
        return reject(
            "first_name" if "first_name" in cols else "name", "missing (a name is needed)"
        )
    for k in REQUIRED:
        if not values[k]:
            return reject(k, "missing")
    for k in () if plain else PRINTED:
        v = values[k]
        if v and not (v.isascii() and v.isprintable()):
            why = unprintable_reason(v, src.encoding, fonts)
            if why:
                return reject(k, why)
    for k in () if plain else _UNPRINTED:  # (what picks the letter: refused as printed ones)
        controls = direction_refusal(values[k])
        if controls is not None:
            return reject(k, controls)
    st = state_code(values["state"])
    if not st:
        return reject("state", STATE_REASON)
    zipcode, restored = zip_code(values["zip"], st)
    if not zipcode:
        return reject("zip", restored)
    imb: tuple[str, str] | None = None
    if values["imb"]:
        parsed = parse_imb(values["imb"])
        if isinstance(parsed, str):
            return reject("imb", parsed)
        imb = parsed
    lang = language_tag(values["language"])
    extra = tuple((name, cleaned[i] if i < ncells else "") for name, i in src.extra)
    if not plain:
        for (_name, value), header in zip(extra, src.headers, strict=False):
            if REPLACEMENT in value and FIELD_KEY.match(header.strip()):  # (visit.date …)
                return reject(header.strip(), _lost(value))
    return Recipient(
        record=record,
        line=line,
        first_name=values["first_name"],
        last_name=values["last_name"],
        name=values["name"],
        address1=values["address1"],
        address2=values["address2"],
        city=values["city"],
        state=st,
        zip=zipcode,
        language=lang,
        imb=imb,
        extra=extra,
        zip_restored=bool(restored),
    )
