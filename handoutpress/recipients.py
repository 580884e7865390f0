"""A practice-management CSV export → typed recipients, rejects and blank rows.

- Encoding: UTF-8 with or without BOM (UTF-16 by its BOM); ``--encoding cp1252`` for
  Excel. A byte that does not decode is an error naming the record and line, with a
  hint, before anything is rendered.
- Delimiter: ``,`` ``;`` or tab, from the header line.
- Columns are matched by name ignoring case, spaces, underscores, hyphens and dots,
  with common aliases (``ZIP Code``, ``Street``, ``Preferred Language`` …);
  ``--columns MAP.yaml`` maps anything else. Required columns are checked first.
- Each row becomes a :class:`Recipient` or a :class:`Reject` (record number, field,
  reason: never the value) or is blank. Record numbers count the data rows after the
  header (blank ones too); the line is where the record starts in the file (a quoted
  field may hold line breaks).

No patient data is logged or put into an error message here.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import HandoutError, Location, Problem
from .fonts import missing_glyphs
from .loading import load_yaml

#: field → accepted header spellings (compared after :func:`normalise`)
ALIASES: dict[str, tuple[str, ...]] = {
    "first_name": ("firstname", "first", "givenname", "fname", "patientfirstname", "forename"),
    "last_name": ("lastname", "last", "surname", "familyname", "lname", "patientlastname"),
    "name": ("name", "fullname", "patientname", "recipient", "recipientname"),
    "address1": (
        "address1",
        "address",
        "street",
        "streetaddress",
        "addressline1",
        "street1",
        "mailingaddress",
        "address1line",
    ),
    "address2": ("address2", "addressline2", "street2", "apt", "suite", "unit", "aptsuite"),
    "city": ("city", "town"),
    "state": ("state", "st", "stateprovince", "province", "statecode"),
    "zip": ("zip", "zipcode", "postalcode", "postcode", "zip5", "zippostalcode"),
    "language": ("language", "preferredlanguage", "lang", "languagepreference"),
    "imb": ("imb", "intelligentmailbarcode", "imbcode", "imbtracking"),
}
FIELDS = tuple(ALIASES)
REQUIRED = ("address1", "city", "state", "zip")

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
_LANG_NAMES = {
    "english": "en", "spanish": "es", "espanol": "es", "español": "es", "vietnamese": "vi",
    "tiengviet": "vi", "tiếngviệt": "vi", "chinese": "zh", "mandarin": "zh", "cantonese": "zh",
    "tagalog": "tl", "filipino": "tl", "korean": "ko", "russian": "ru", "arabic": "ar",
    "french": "fr", "portuguese": "pt", "german": "de", "japanese": "ja",
}  # fmt: skip
_ZIP = re.compile(r"^(\d{5})(?:-?(\d{4}))?$")
_LANG = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
_SPACES = re.compile(r"\s+")


def normalise(header: str) -> str:
    return re.sub(r"[\s_\-.]+", "", header.strip().lstrip("\ufeff")).casefold()


def identifier(header: str) -> str:
    """A header as a template variable name: ``Visit Date`` → ``visit_date``."""
    s = re.sub(r"[^0-9a-z]+", "_", header.strip().casefold()).strip("_")
    return f"c_{s}" if s[:1].isdigit() else (s or "column")


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

    @property
    def full_name(self) -> str:
        return self.name or " ".join(x for x in (self.first_name, self.last_name) if x)

    @property
    def greeting_name(self) -> str:
        return self.first_name or (self.name.split()[0] if self.name else "")

    @property
    def last_line(self) -> str:
        return f"{self.city}, {self.state} {self.zip}"

    def slug(self) -> str:
        """A safe ASCII file-name fragment (letters, digits, hyphens; never a path)."""
        import unicodedata

        text = unicodedata.normalize("NFKD", f"{self.last_name} {self.first_name} {self.name}")
        text = text.encode("ascii", "ignore").decode().casefold()
        return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:32] or "recipient"

    def duplicate_key(self) -> int:
        """A 64-bit hash of name and address (a few bytes per row to find duplicates)."""
        parts = (self.full_name, self.address1, self.address2, self.city, self.state, self.zip[:5])
        text = "\x1f".join(_SPACES.sub(" ", p).casefold() for p in parts)
        return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


@dataclass(frozen=True)
class Reject:
    record: int
    line: int
    field: str
    reason: str


@dataclass
class CsvSource:
    path: Path
    encoding: str
    delimiter: str
    headers: list[str]
    columns: dict[str, int]
    """field → column index"""
    extra: list[tuple[str, int]] = field(default_factory=list)
    """template name → column index, for every column"""


# --------------------------------------------------------------------------- opening


def _problem(path: Path, message: str, line: int | None = None, what: str = "") -> HandoutError:
    return HandoutError([Problem(Location(path, line), what, message)])


def _encoding(raw: bytes, given: str | None) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if given:
        try:
            codecs.lookup(given)
        except LookupError:
            raise HandoutError(
                [Problem(Location(None), "--encoding", f"unknown encoding '{given}'")]
            ) from None
        return given
    return "utf-8"


def _check_decodes(path: Path, encoding: str, given: bool) -> None:
    """Decode the whole file up front, in blocks; a bad byte names its record and line."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    offset = 0
    with path.open("rb") as fh:
        while True:
            block = fh.read(1 << 20)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                bad = offset + exc.start
                _raise_decode(path, encoding, given, bad, block[exc.start : exc.start + 1])
            if not block:
                return
            offset += len(block)


def _raise_decode(path: Path, encoding: str, given: bool, bad: int, byte: bytes) -> None:
    with path.open("rb") as fh:
        prefix = fh.read(bad).decode(encoding, errors="replace")
    line = prefix.count("\n") + 1
    rows = list(csv.reader(io.StringIO(prefix)))
    at_boundary = not prefix or (prefix.endswith("\n") and prefix.count('"') % 2 == 0)
    record = len(rows) if at_boundary else len(rows) - 1
    enc = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8"}.get(encoding, encoding)
    where = f"record {record} (line {line})" if record > 0 else f"the header (line {line})"
    hint = (
        "; if the file came from Excel, try --encoding cp1252"
        if encoding.startswith("utf-8") and not given
        else ""
    )
    raise _problem(
        path, f"{where}: byte 0x{byte.hex().upper()} is not valid {enc}{hint}", line, "encoding"
    )


def _delimiter(header_line: str) -> str:
    counts = {d: 0 for d in ",;\t"}
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _load_map(path: Path) -> tuple[dict[str, str], object]:
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise HandoutError([Problem(doc.locate(()), "", "expected lines of field: CSV column")])
    problems = []
    out: dict[str, str] = {}
    for key, value in doc.data.items():
        if key not in FIELDS:
            close = difflib.get_close_matches(str(key), FIELDS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (fields: {', '.join(FIELDS)})"
            problems.append(Problem(doc.locate_key((key,)), str(key), "unknown field" + hint))
        elif not isinstance(value, str) or not value.strip():
            problems.append(Problem(doc.locate((key,)), str(key), "expected a CSV column name"))
        else:
            out[key] = value
    if problems:
        raise HandoutError(problems)
    return out, doc


def open_csv(path: Path, encoding: str | None = None, columns: Path | None = None) -> CsvSource:
    """Check the file and its header; raise one HandoutError naming every problem."""
    if not path.is_file():
        raise _problem(path, "recipients file not found")
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    enc = _encoding(head, encoding)
    _check_decodes(path, enc, encoding is not None)
    with path.open(encoding=enc, newline="") as fh:
        first_line = fh.readline()
        fh.seek(0)
        delim = _delimiter(first_line)
        reader = csv.reader(fh, delimiter=delim)
        headers = next(reader, None)
    if not headers or not any(h.strip() for h in headers):
        raise _problem(path, "the file is empty (expected a header row)", 1, "header")
    headers = [h.strip().lstrip("\ufeff") for h in headers]
    by_norm: dict[str, int] = {}
    problems = []
    for i, h in enumerate(headers):
        n = normalise(h)
        if n and n in by_norm:
            problems.append(Problem(Location(path, 1), "header", f"column '{h}' appears twice"))
        by_norm.setdefault(n, i)
    mapping: dict[str, int] = {}
    if columns is not None:
        given, doc = _load_map(columns)
        for key, header in given.items():
            idx = next((i for i, h in enumerate(headers) if h == header.strip()), None)
            if idx is None:
                idx = by_norm.get(normalise(header))
            if idx is None:
                close = difflib.get_close_matches(header, headers, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                problems.append(
                    Problem(
                        doc.locate((key,)),  # type: ignore[attr-defined]
                        key,
                        f"no column '{header}' in {path.name}{hint}",
                    )
                )
            else:
                mapping[key] = idx
    for key, aliases in ALIASES.items():
        if key in mapping:
            continue
        for alias in aliases:
            if alias in by_norm:
                mapping[key] = by_norm[alias]
                break
    missing = [k for k in REQUIRED if k not in mapping]
    if "first_name" not in mapping and "name" not in mapping:
        missing.insert(0, "first_name (or name)")
    if missing:
        shown = ", ".join(
            f"{m} ({', '.join(ALIASES[m.split()[0]][:3])})" if m in ALIASES else m for m in missing
        )
        problems.append(
            Problem(
                Location(path, 1),
                "header",
                f"missing required column(s): {shown}; found: {', '.join(headers)}; "
                "map them with --columns MAP.yaml",
            )
        )
    if problems:
        raise HandoutError(problems)
    extra = [(identifier(h), i) for i, h in enumerate(headers)]
    return CsvSource(path, enc, delim, headers, mapping, extra)


# --------------------------------------------------------------------------- rows


def clean(value: str) -> str:
    """One line: runs of whitespace (line breaks in a quoted field too) become one space."""
    return _SPACES.sub(" ", value).strip()


def language_tag(value: str) -> str:
    v = clean(value).casefold().replace("_", "-")
    if not v:
        return ""
    v = _LANG_NAMES.get(v.replace(" ", ""), v)
    return v if _LANG.match(v) else "?"


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


@lru_cache(maxsize=1)
def _printable() -> frozenset[str]:
    """Every character a bundled font can print (a fast first check before the slow one)."""
    from .fonts import _coverage

    body, fallback = _coverage()
    return frozenset(chr(c) for c in body | fallback) | {" "}


PRINTED = ("first_name", "last_name", "name", "address1", "address2", "city")


def read(src: CsvSource) -> Iterator[tuple[int, int, list[str] | None]]:
    """Yield (record, line, cells) for each data row; cells is None for a blank row."""
    with src.path.open(encoding=src.encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=src.delimiter)
        next(reader, None)
        line = reader.line_num + 1
        for record, cells in enumerate(reader, start=1):
            if not cells or not any(c.strip() for c in cells):
                yield record, line, None
            else:
                yield record, line, cells
            line = reader.line_num + 1


def validate(src: CsvSource, record: int, line: int, cells: list[str]) -> Recipient | Reject:
    """One row → a Recipient, or a Reject naming the first field that is wrong."""

    def reject(fieldname: str, reason: str) -> Reject:
        return Reject(record, line, fieldname, reason)

    n = len(src.headers)
    if len(cells) > n and any(c.strip() for c in cells[n:]):
        return reject("row", f"has {len(cells)} fields, the header has {n}")
    cols = src.columns

    def get(key: str) -> str:
        i = cols.get(key)
        return clean(cells[i]) if i is not None and i < len(cells) else ""

    values = {k: get(k) for k in FIELDS}
    if not values["first_name"] and not values["name"]:
        return reject(
            "first_name" if "first_name" in cols else "name", "missing (a name is needed)"
        )
    for k in REQUIRED:
        if not values[k]:
            return reject(k, "missing")
    printable = _printable()
    for k in PRINTED:
        v = values[k]
        if v and not printable.issuperset(v):
            bad = missing_glyphs(v)
            if bad:
                pos = v.index(bad[0]) + 1
                return reject(k, f"has a character no bundled font can print (character {pos})")
    st = values["state"].upper()
    if st not in STATES:
        st = _STATE_NAMES.get(re.sub(r"[\s.]", "", values["state"]).casefold(), "")
        if not st:
            return reject("state", "not a US state or territory code (e.g. CA, NY, PR)")
    m = _ZIP.match(values["zip"])
    if not m:
        hint = (
            " (Excel drops leading zeros: format the column as text)"
            if values["zip"].isdigit() and len(values["zip"]) in (3, 4, 8)
            else ""
        )
        return reject("zip", f"expected 5 or 9 digits{hint}")
    zipcode = m.group(1) + (f"-{m.group(2)}" if m.group(2) else "")
    imb: tuple[str, str] | None = None
    if values["imb"]:
        parsed = parse_imb(values["imb"])
        if isinstance(parsed, str):
            return reject("imb", parsed)
        imb = parsed
    lang = language_tag(values["language"])
    extra = tuple((name, clean(cells[i]) if i < len(cells) else "") for name, i in src.extra)
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
    )
