"""Reading a recipients CSV: its encoding (UTF-8 with or without BOM, UTF-16 by its BOM
or without one, ``--encoding cp1252`` for Excel), its delimiter (``,`` ``;`` tab ``|``, or
Excel's ``sep=;`` line) and its records. A byte that does not decode, a quote never
closed or a field over 1 MiB is an error naming the record and line, before anything is
made. Record numbers count the data rows after the header (blank ones too); the line is
where the record starts (a quoted field may hold line breaks)."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import HandoutError, Location, Problem
from ..files import InputRefused, check_input
from .headers import match_columns


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


LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _raise_decode(path: Path, encoding: str, given: bool, bad: int, byte: bytes) -> None:
    with path.open("rb") as fh:
        head = fh.read(bad)
    try:
        prefix = head.decode(encoding, errors="replace")
    except (UnicodeError, ValueError):  # a codec that cannot replace: count lines anyway
        prefix = head.decode("latin-1")
    line = len(LINE_BREAK.findall(prefix)) + 1
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
    header_line = LINE_BREAK.split(text, maxsplit=1)[0]
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


def open_csv(path: Path, encoding: str | None = None, columns: Path | None = None) -> CsvSource:
    """Check the file and its header; raise one HandoutError naming every problem."""
    try:  # read as a stream, so any size; but a FIFO or /dev/zero would never end
        check_input(path, None)
    except InputRefused as exc:
        message = str(exc)
        raise _problem(
            path, "recipients file not found" if message == "file not found" else message
        ) from None
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
    mapping, extra = match_columns(path, headers, 1 + skip, columns)
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


def read(src: CsvSource) -> Iterator[tuple[int, int, list[str] | None]]:
    """Yield (record, line, cells) for each data row; cells is None for a blank row."""
    with src.path.open(encoding=src.encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=src.delimiter)
        for _ in range(1 + src.skip):
            next(reader, None)
        line = reader.line_num + 1
        for record, cells in enumerate(reader, start=1):
            if not "".join(cells).strip():  # (no cell with anything but white space)
                yield record, line, None
            else:
                yield record, line, cells
            line = reader.line_num + 1
