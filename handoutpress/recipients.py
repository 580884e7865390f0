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
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import HandoutError, Location, Problem
from .loading import load_yaml

if TYPE_CHECKING:
    from .fonts import FontSet

#: field → accepted header spellings (compared after :func:`normalise`), in order of preference
ALIASES: dict[str, tuple[str, ...]] = {
    "first_name": (
        "firstname", "first", "givenname", "fname", "patientfirstname", "forename", "firstnm",
    ),
    "last_name": (
        "lastname", "last", "surname", "familyname", "lname", "patientlastname", "lastnm",
    ),
    "name": (
        "name", "fullname", "patientname", "recipient", "recipientname", "patient", "addressee",
    ),
    "address1": (
        "address1", "address", "street", "streetaddress", "addressline1", "street1",
        "mailingaddress", "address1line", "addr1", "addr", "add1", "streetaddress1", "line1",
        "streetline1", "mailingaddress1",
    ),
    "address2": (
        "address2", "addressline2", "street2", "apt", "suite", "unit", "aptsuite", "addr2",
        "add2", "streetaddress2", "line2", "streetline2", "suiteapt", "aptunit", "apartment",
        "aptno", "mailingaddress2",
    ),
    "city": ("city", "town", "cityname", "citytown"),
    "state": (
        "state", "st", "stateprovince", "province", "statecode", "stateabbr", "stateprov",
    ),
    "zip": (
        "zip", "zipcode", "postalcode", "postcode", "zip5", "zippostalcode", "postal",
        "zippostal",
    ),
    "language": (
        "language", "preferredlanguage", "lang", "languagepreference", "primarylanguage",
        "spokenlanguage", "languagespoken", "preferredlang", "preflanguage",
    ),
    "imb": ("imb", "intelligentmailbarcode", "imbcode", "imbtracking"),
}  # fmt: skip
#: matched last: a "ZIP+4" column may hold the whole ZIP (12345-6789) or only the +4
LAST_ALIASES: dict[str, tuple[str, ...]] = {"zip": ("zip4", "zipplus4", "zipcodeplus4")}
#: header prefixes practice-management exports put before a field name ("Patient Zip",
#: "Mailing City"): matched only when no header names the field exactly; "mailing" first
PREFIXES = (("mailing", "mail"), ("patient", "pt", "home", "primary", "recipient", "residential"))
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
    "castellano": "es", "castilian": "es",
    # codes practice-management systems use besides BCP 47 (ISO 639-2, abbreviations)
    "sp": "es", "spa": "es", "esp": "es", "span": "es", "eng": "en", "vie": "vi", "vn": "vi",
    "chi": "zh", "zho": "zh", "kor": "ko", "rus": "ru", "ara": "ar", "fre": "fr", "fra": "fr",
    "por": "pt", "ger": "de", "deu": "de", "jpn": "ja", "tgl": "tl",
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
_LANG = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
_SPACES = re.compile(r"\s+")


def normalise(header: str) -> str:
    """A header for matching: letters and digits only, case-folded (``ZIP+4`` → ``zip4``)."""
    return re.sub(r"[\W_]+", "", header).casefold()


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

    def slug(self) -> str:
        """A safe ASCII file-name fragment (letters, digits, hyphens; never a path)."""

        text = unicodedata.normalize("NFKD", f"{self.last_name} {self.first_name} {self.name}")
        text = text.encode("ascii", "ignore").decode().casefold()
        return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:32] or "recipient"

    def duplicate_key(self) -> int:
        """A 64-bit hash of name and address (a few bytes per row to find duplicates)."""
        parts = (self.full_name, self.address1, self.address2, self.city, self.state, self.zip[:5])
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
    skip: int = 0
    """lines before the header (Excel's ``sep=;`` line)"""
    records: int = 0
    """data records after the header (blank ones too), counted when the file is opened"""


# --------------------------------------------------------------------------- opening


def _problem(path: Path, message: str, line: int | None = None, what: str = "") -> HandoutError:
    return HandoutError([Problem(Location(path, line), what, message)])


#: a field longer than this is a broken file (a quote never closed), not a value
FIELD_LIMIT = 1 << 20
csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
_SENTINEL = "\x1e\x1f-end-of-file-\x1f\x1e"


def _encoding(path: Path, raw: bytes, given: str | None) -> str:
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise _problem(
            path,
            "this is an Excel workbook, not a CSV: in Excel use File > Save As > "
            "'CSV UTF-8 (Comma delimited)' and pass that file",
            None,
            "recipients",
        )
    if given:
        try:
            info = codecs.lookup(given)
        except LookupError:
            info = None
        if info is None or not getattr(info, "_is_text_encoding", True):
            raise HandoutError(
                [
                    Problem(
                        Location(None),
                        "--encoding",
                        f"unknown text encoding '{given}' (e.g. utf-8, cp1252, utf-16)",
                    )
                ]
            ) from None
        if not _file_codec(given):
            raise HandoutError(
                [
                    Problem(
                        Location(None),
                        "--encoding",
                        f"'{given}' is not an encoding of text files (e.g. utf-8, cp1252, utf-16)",
                    )
                ]
            )
        return given
    sample = raw[:4096]
    if len(sample) >= 4 and b"\x00" in sample:
        # UTF-16 written without its byte-order mark: every other byte of ASCII text is 0
        odd = sample[1::2].count(0) / max(len(sample[1::2]), 1)
        even = sample[0::2].count(0) / max(len(sample[0::2]), 1)
        if odd > 0.6 and even < 0.1:
            return "utf-16-le"
        if even > 0.6 and odd < 0.1:
            return "utf-16-be"
    return "utf-8"


def _file_codec(name: str) -> bool:
    """Can a file be read in ``name``, block by block, a bad byte replaced (for the line it
    is on)? Not so for ``idna`` or ``punycode``: they encode domain names, not files."""
    try:
        codecs.getincrementaldecoder(name)(errors="strict")
        b"a".decode(name, errors="replace")
    except (UnicodeError, LookupError, TypeError, ValueError):
        return False
    return True


def _is_utf8(path: Path) -> bool | None:
    """True: valid UTF-8 with non-ASCII text; False: not UTF-8; None: plain ASCII."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    ascii_only = True
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            ascii_only = ascii_only and block.isascii()
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return None if ascii_only else True


def _check_decodes(path: Path, encoding: str, given: bool) -> None:
    """Decode the whole file up front, in blocks; a bad byte names its record and line."""
    # the byte-order mark is skipped here, not by the codec: positions stay file offsets
    codec, offset = ("utf-8", len(codecs.BOM_UTF8)) if encoding == "utf-8-sig" else (encoding, 0)
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    with path.open("rb") as fh:
        fh.seek(offset)
        while True:
            block = fh.read(1 << 20)
            # bytes of a character split between blocks, kept by the decoder: an error's
            # position counts from the first of them
            held = decoder.getstate()[0]
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                data = held + block
                bad = offset - len(held) + exc.start
                _raise_decode(path, encoding, given, bad, data[exc.start : exc.start + 1])
            except UnicodeError as exc:  # e.g. utf-16 with no byte-order mark
                raise _problem(
                    path,
                    f"the file cannot be read as {encoding} ({exc}); "
                    "try --encoding utf-16-le, utf-8 or cp1252",
                    None,
                    "encoding",
                ) from None
            if not block:
                break
            offset += len(block)
    single_byte = not encoding.replace("_", "-").lower().startswith(("utf", "u8", "u16", "u32"))
    if given and single_byte and _is_utf8(path):
        raise _problem(
            path,
            f"the file is UTF-8, not {encoding}: reading it as {encoding} would print "
            "accented letters wrongly (José as JosÃ©); drop --encoding",
            None,
            "encoding",
        )


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _raise_decode(path: Path, encoding: str, given: bool, bad: int, byte: bytes) -> None:
    with path.open("rb") as fh:
        head = fh.read(bad)
    try:
        prefix = head.decode(encoding, errors="replace")
    except (UnicodeError, ValueError):  # a codec that cannot replace: count lines anyway
        prefix = head.decode("latin-1")
    line = len(_LINE_BREAK.findall(prefix)) + 1
    if prefix.endswith("\r") and byte == b"\n":
        line -= 1
    try:
        delim, skip = _delimiter(prefix)
        rows = list(csv.reader(io.StringIO(prefix, newline=""), delimiter=delim))
        at_boundary = not prefix or (prefix.endswith(("\n", "\r")) and prefix.count('"') % 2 == 0)
        record = (len(rows) if at_boundary else len(rows) - 1) - skip
    except csv.Error:
        record = -1
    enc = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8"}.get(encoding, encoding)
    if record > 0:
        where = f"record {record} (line {line})"
    elif record == 0:
        where = f"the header (line {line})"
    else:
        where = f"line {line}"
    hint = (
        "; if the file came from Excel, try --encoding cp1252"
        if encoding.startswith("utf-8") and not given
        else ""
    )
    raise _problem(
        path, f"{where}: byte 0x{byte.hex().upper()} is not valid {enc}{hint}", line, "encoding"
    )


def _delimiter(text: str) -> tuple[str, int]:
    """(delimiter, lines to skip before the header) from the first line of ``text``.

    Excel may write ``sep=;`` as the first line; otherwise the most frequent of
    ``,`` ``;`` tab ``|`` outside quotes in the header line wins (``,`` on a tie).
    """
    header_line = _LINE_BREAK.split(text, maxsplit=1)[0]
    m = re.fullmatch(r'"?sep=(.)"?', header_line.strip(), flags=re.IGNORECASE)
    if m and m.group(1) in ",;\t|":
        return m.group(1), 1
    counts = {d: 0 for d in ",;\t|"}
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return (best if counts[best] else ","), 0


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


def _strip_prefix(norm: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if norm.startswith(prefix) and len(norm) > len(prefix):
            return norm[len(prefix) :]
    return ""


def _prefixed(
    by_norm: dict[str, list[int]], aliases: tuple[str, ...], prefixes: tuple[str, ...]
) -> list[int]:
    """Columns that are one of ``aliases`` after one of ``prefixes`` ("Patient City")."""
    return sorted(
        idxs[0] for norm, idxs in by_norm.items() if _strip_prefix(norm, prefixes) in aliases
    )


def _match_aliases(
    headers: list[str],
    by_norm: dict[str, list[int]],
    mapping: dict[str, int],
    path: Path,
    line: int,
) -> tuple[list[Problem], set[str]]:
    """Fill ``mapping`` for fields not given by ``--columns``: an exact alias, else a
    "Mailing …" header, else another prefix ("Patient Zip"), else the last resorts
    (``ZIP+4``). Two columns that could both be the field at the first rank that has one
    are an error, and so are an exact header and a "Mailing …" one ("Address" and
    "Mailing Address": which one does the letter go to?)."""
    problems: list[Problem] = []
    ambiguous: set[str] = set()
    for key, aliases in ALIASES.items():
        if key in mapping:
            continue
        exact = next((by_norm[a][0] for a in aliases if a in by_norm), None)
        mailing = _prefixed(by_norm, aliases, PREFIXES[0])
        if exact is not None:
            found = [exact, *(i for i in mailing if i != exact)]
        else:
            found = mailing or _prefixed(by_norm, aliases, PREFIXES[1])
        if not found:
            last = next((by_norm[a][0] for a in LAST_ALIASES.get(key, ()) if a in by_norm), None)
            if last is not None:
                mapping[key] = last
        elif len(found) == 1:
            mapping[key] = found[0]
        else:
            shown = " and ".join(f"'{headers[i]}'" for i in found[:3])
            problems.append(
                Problem(
                    Location(path, line),
                    "header",
                    f"{shown} could both be {key}: say which with --columns MAP.yaml "
                    f"({key}: <column>)",
                )
            )
            ambiguous.add(key)
    return problems, ambiguous


def open_csv(path: Path, encoding: str | None = None, columns: Path | None = None) -> CsvSource:
    """Check the file and its header; raise one HandoutError naming every problem."""
    if not path.is_file():
        raise _problem(path, "recipients file not found")
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    enc = _encoding(path, head, encoding)
    _check_decodes(path, enc, encoding is not None)
    with path.open(encoding=enc, newline="") as fh:
        delim, skip = _delimiter(fh.read(1 << 16))
        fh.seek(0)
        reader = csv.reader(fh, delimiter=delim)
        for _ in range(skip):
            next(reader, None)
        try:
            headers = next(reader, None)
        except csv.Error as exc:
            raise _problem(
                path,
                f'the header (line {1 + skip}): {exc}; a quote (") may be left open here: '
                "fix the file and run again",
                1 + skip,
                "csv",
            ) from None
    if not headers or not any(h.strip() for h in headers):
        raise _problem(path, "the file is empty (expected a header row)", 1 + skip, "header")
    headers = [h.strip().lstrip("\ufeff").strip() for h in headers]
    by_norm: dict[str, list[int]] = {}
    for i, h in enumerate(headers):
        n = normalise(h)
        if n:
            by_norm.setdefault(n, []).append(i)
    problems = []
    mapping: dict[str, int] = {}
    if columns is not None:
        given, doc = _load_map(columns)
        for key, header in given.items():
            idx = next((i for i, h in enumerate(headers) if h == header.strip()), None)
            if idx is None:
                idx = next(iter(by_norm.get(normalise(header), [])), None)
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
    found, ambiguous = _match_aliases(headers, by_norm, mapping, path, 1 + skip)
    problems += found
    # a column we read that appears twice (by name, ignoring case and spacing) is ambiguous;
    # a repeated column nobody reads ("Phone", "Phone") is not a problem
    for key, idx in mapping.items():
        same = by_norm.get(normalise(headers[idx]), [])
        if len(same) > 1:
            cols = " and ".join(str(i + 1) for i in same[:3])
            problems.append(
                Problem(
                    Location(path, 1 + skip),
                    "header",
                    f"column '{headers[idx]}' ({key}) appears more than once (columns {cols}): "
                    "rename or remove the one that is not the recipient's",
                )
            )
    missing = [k for k in REQUIRED if k not in mapping and k not in ambiguous]
    if not {"first_name", "name"} & (mapping.keys() | ambiguous):
        missing.insert(0, "first_name (or name)")
    if missing:
        shown = ", ".join(
            f"{m} ({', '.join(ALIASES[m.split()[0]][:3])})" if m in ALIASES else m for m in missing
        )
        problems.append(
            Problem(
                Location(path, 1 + skip),
                "header",
                f"missing required column(s): {shown}; found: {', '.join(headers)}; "
                "map them with --columns MAP.yaml",
            )
        )
    if problems:
        raise HandoutError(problems)
    extra: list[tuple[str, int]] = []
    taken: set[str] = set()
    for i, h in enumerate(headers):
        name = base = identifier(h)
        k = 2
        while name in taken:  # "Phone", "Phone" → row.phone, row.phone_2
            name, k = f"{base}_{k}", k + 1
        taken.add(name)
        extra.append((name, i))
    src = CsvSource(path, enc, delim, headers, mapping, extra, skip)
    src.records = _count(src)
    return src


def _count(src: CsvSource) -> int:
    """Read every record once before anything is made: a quote never closed (which would
    swallow every later row into one field) or an absurdly long field stops the run here,
    naming the record and the line where it starts."""
    with src.path.open(encoding=src.encoding, newline="") as fh:
        lines = itertools.chain(fh, [_SENTINEL + "\n"])
        reader = csv.reader(lines, delimiter=src.delimiter)
        for _ in range(1 + src.skip):
            next(reader, None)
        records = 0
        start = start_of_last = reader.line_num + 1
        last: list[str] | None = None
        try:
            for cells in reader:
                records += 1
                last = cells
                start_of_last = start
                start = reader.line_num + 1
        except csv.Error as exc:
            raise _problem(
                src.path,
                f'record {records + 1} (line {start}): {exc}; a quote (") may be left open '
                "here: fix the file and run again",
                start,
                "csv",
            ) from None
    if last != [_SENTINEL]:
        raise _problem(
            src.path,
            f"record {records} (line {start_of_last}): a quoted field starts here and is "
            'never closed, so every later row would be lost: fix the stray quote (") and '
            "run again",
            start_of_last,
            "csv",
        )
    return records - 1


# --------------------------------------------------------------------------- rows


#: invisible format characters (zero-width spaces and joiners, bidi controls, soft
#: hyphen, BOM): they print as nothing, a stray hyphen or a box, so they are dropped
_FORMAT = re.compile(
    "[\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb]"
)


def clean(value: str) -> str:
    """One line, as printed: Unicode NFC (a decomposed "Nguyễn" from a Mac prints as
    one letter per accent), invisible format characters dropped, and runs of whitespace
    (line breaks in a quoted field too) made one space."""
    if value.isascii():
        if value.isprintable() and "  " not in value and value == value.strip():
            return value  # the common case, fast
        return _SPACES.sub(" ", value).strip()
    value = _FORMAT.sub("", unicodedata.normalize("NFC", value))
    return _SPACES.sub(" ", value).strip()


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


PRINTED = ("first_name", "last_name", "name", "address1", "address2", "city")
#: fields that never hold a line break: one there means a quote was left open and the
#: field swallowed the start of the next row
ONE_LINE = ("first_name", "last_name", "name", "city", "state", "zip", "language", "imb")


def _unprintable(value: str, encoding: str, fonts: FontSet) -> str:
    """Why ``value`` cannot be printed as written (never quoting it), or ""."""
    printable = fonts.printable
    for pos, ch in enumerate(value, start=1):
        if ch in printable and ch.isascii():
            continue
        if unicodedata.category(ch) == "Cc":
            hint = ""
            if 0x80 <= ord(ch) <= 0x9F and not encoding.lower().startswith(("cp", "windows")):
                hint = "; the file may be Windows-1252: try --encoding cp1252"
            return f"has a control character (character {pos}){hint}"
        if ord(ch) > 0xFFFF:
            return (
                f"has an emoji or another character beyond the basic plane (character {pos}); "
                "remove it from the export"
            )
        if unicodedata.bidirectional(ch) in ("R", "AL"):
            return (
                f"has right-to-left text (Arabic, Hebrew …, character {pos}), which the "
                "letter cannot print in reading order: send this one by hand"
            )
        if ch not in printable:
            return f"has a character {fonts.cannot_print} can print (character {pos})"
    return ""


def read(src: CsvSource) -> Iterator[tuple[int, int, list[str] | None]]:
    """Yield (record, line, cells) for each data row; cells is None for a blank row."""
    with src.path.open(encoding=src.encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=src.delimiter)
        for _ in range(1 + src.skip):
            next(reader, None)
        line = reader.line_num + 1
        for record, cells in enumerate(reader, start=1):
            if not cells or not any(c.strip() for c in cells):
                yield record, line, None
            else:
                yield record, line, cells
            line = reader.line_num + 1


def _swallowed(src: CsvSource, cells: list[str], line: int) -> tuple[str, str] | None:
    """(field, reason) when a quoted field holds line breaks that look like a quote left
    open: in a field that is always one line, or holding whole rows."""
    cols = src.columns
    by_index = {i: k for k, i in cols.items()}
    n = len(src.headers)
    for i, c in enumerate(cells):
        if "\n" not in c and "\r" not in c:
            continue
        end = line + len(_LINE_BREAK.findall(c))
        name = by_index.get(i) or (src.headers[i] if i < n else f"column {i + 1}")
        rows_inside = n >= 3 and any(
            part.count(src.delimiter) >= n - 1 for part in _LINE_BREAK.split(c)[1:]
        )
        if by_index.get(i) in ONE_LINE or rows_inside:
            return name, (
                f"has a line break (the record runs from line {line} to {end}): a quote "
                '(") is probably left open and this field swallowed the rows after it'
            )
    return None


def validate(
    src: CsvSource, record: int, line: int, cells: list[str], fonts: FontSet | None = None
) -> Recipient | Reject:
    """One row → a Recipient, or a Reject naming the first field that is wrong.

    ``fonts``: the brand's (:func:`~handoutpress.fonts.brand_fonts`), which must print the
    names and address; the bundled fonts when not given (their union with the fallback is
    never more than a brand's: a row they pass prints with any brand)."""

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
    cleaned = [clean(c) for c in cells]
    ncells = len(cleaned)

    def get(key: str) -> str:
        i = cols.get(key)
        return cleaned[i] if i is not None and i < ncells else ""

    values = {k: get(k) for k in FIELDS}
    if not values["first_name"] and not values["name"]:
        return reject(
            "first_name" if "first_name" in cols else "name", "missing (a name is needed)"
        )
    for k in REQUIRED:
        if not values[k]:
            return reject(k, "missing")
    for k in PRINTED:
        v = values[k]
        if v and not (v.isascii() and v.isprintable()):
            if fonts is None:
                from .fonts import register

                fonts = register()
            why = _unprintable(v, src.encoding, fonts)
            if why:
                return reject(k, why)
    st = values["state"].upper()
    if st not in STATES:
        st = _STATE_NAMES.get(re.sub(r"[\s.]", "", values["state"]).casefold(), "")
        if not st:
            return reject("state", "not a US state or territory code (e.g. CA, NY, PR)")
    zipcode, restored = _zip(values["zip"], st)
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


def _zip(value: str, state: str) -> tuple[str, str]:
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
