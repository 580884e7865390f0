"""The row check of ``batch``: a chunk's CSV rows → the letters to draw (:class:`Letter`)
and the rows refused, with what the summary counts (:class:`CheckedRows`). Runs in the
worker that draws the chunk (:func:`.worker.run_chunk`), from the run's
:class:`~.job.Job`; the parent only reads the file."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from hashlib import blake2b
from typing import TYPE_CHECKING

from reportlab.pdfbase.pdfmetrics import getFont

from ..addressing import Addressee, state_code
from ..personal import FIELD_KEY, RECIPIENT_FIELDS, ROW
from ..recipients import Recipient, Reject, validate
from ..recipients.rows import (
    FORMAT_CHARS,
    field_columns,
    greeting_from_name,
    plain_chars,
    unprintable_reason,
)
from ..strings import strings_for
from .compositions import reads

if TYPE_CHECKING:
    from ..fonts import FontSet
    from ..recipients import CsvSource
    from .job import Job

#: a CSV row as read: (record, line, cells)
CsvRow = tuple[int, int, list[str]]
#: a recipient's values by template name (``patient.city``, ``row.visit_day``)
Values = tuple[tuple[str, str], ...]


@dataclass
class Letter:
    """One letter to draw (what a worker needs; pickled to the pool)."""

    record: int
    line: int
    #: the key of the recipient's language in :attr:`Job.sources`
    lang: str
    addressee: Addressee
    #: the personal values (``patient.*`` and ``visit.*`` style columns), when the
    #: language's letter has text of its own
    personal: Values | None = None
    #: every column by its template name (``row.visit_day``), idem
    row: Values = ()


@dataclass
class CheckedRows:
    """A chunk's rows checked: letters to draw, rows refused, what the summary counts."""

    letters: list[Letter] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    #: (record, name-and-address hash) of every good row, for the duplicate warning
    keys: list[tuple[int, int]] = field(default_factory=list)
    fallbacks: Counter[str] = field(default_factory=Counter)
    zip_restored: int = 0


def lang_key(job: Job, tag: str) -> tuple[str, str | None]:
    """The sources key for a recipient's language, and the tag when it falls back (no
    language: the handout as named, under its language's key, one renderer for both)."""
    if not tag:
        return job.default_lang, None
    if tag in job.sources:
        return tag, None
    primary = tag.split("-")[0]
    if primary in job.sources:
        return primary, None
    return job.default_lang, tag if tag != "?" else "unrecognised"


def letter_for(job: Job, r: Recipient, fallbacks: Counter[str]) -> Letter | Reject:
    a = r.addressee(job.geo)
    lang, fell_back = lang_key(job, r.language)
    if lang in job.drafts:
        return Reject(
            r.record,
            r.line,
            "language",
            f"asks for '{lang}', whose translation is a draft (review.status): approve "
            "the translation, or make this row with --proof",
        )
    if fell_back:
        fallbacks[fell_back] += 1
    greeting = _greeting(job, lang, a.greeting_name) if a.greeting_name else ""
    problems = job.geo.check(a, greeting)
    if problems:
        fld, reason = problems[0]
        return Reject(r.record, r.line, fld, reason)
    personal = None
    row: Values = ()
    if job.per_recipient(lang):
        refused = _column_problem(job, lang, r)
        if refused is not None:
            return refused
        values = r.template_values(job.src.headers)
        personal = tuple((k, v) for k, v in values.items() if v)
        row = r.extra
    return Letter(r.record, r.line, lang, a, personal, row)


def checked_columns(job: Job, lang: str) -> tuple[tuple[int, str], ...]:
    """(place in ``Recipient.extra``, the column as the CSV's header names it) of the
    columns whose values a letter in ``lang`` takes besides the name and address (those
    :func:`~..recipients.validate` checks): each column it prints as ``row.<column>``
    (every column when its templates use ``row`` another way: ``compositions.reads``), and
    each personal field given as a header (``visit.date``: compose refuses a value there
    whether or not the text prints it). A column nobody prints is not checked: a character
    no font has in an export's "Notes" column loses no letter."""
    got = job.checked_columns.get(lang)
    if got is None:
        wanted = reads(job.sources[lang].handout)
        src = job.src
        got = job.checked_columns[lang] = tuple(
            (j, src.headers[i].strip() or f"column {i + 1}")
            for j, (name, i) in enumerate(src.extra)
            if i < len(src.headers)
            and (wanted is None or (ROW, name) in wanted or FIELD_KEY.match(src.headers[i].strip()))
        )
    return got


def _column_problem(job: Job, lang: str, r: Recipient) -> Reject | None:
    """The row refused for the first value of :func:`checked_columns` that cannot be
    printed as written (a control character, U+FFFD, a character no font has, right-to-left
    text, beyond U+FFFF), as the name and address are: the column and why, never the value."""
    extra = r.extra
    for j, column in checked_columns(job, lang):
        value = extra[j][1] if j < len(extra) else ""
        if not value or (value.isascii() and value.isprintable()):
            continue
        why = unprintable_reason(value, job.src.encoding, job.geo.fonts)
        if why:
            return Reject(r.record, r.line, column, why)
    return None


def _greeting(job: Job, lang: str, name: str) -> str:
    """ "Dear …," for ``name`` in ``lang``, made once per name (first names repeat)."""
    key = (lang, name)
    greeting = job.greetings.get(key, "")
    if not greeting:
        words = job.words.get(lang)
        if words is None:
            words = job.words[lang] = strings_for(job.sources[lang].handout.language)
        greeting = words("dear", name=name)
        if len(job.greetings) > 4096:
            job.greetings.clear()
        job.greetings[key] = greeting
    return greeting


#: characters beyond ASCII a plain row may hold: what :func:`~..recipients.rows.clean`
#: leaves as they are (no format character, no whitespace but the space, no combining
#: mark or conjoining jamo, their own NFC: a string of them is NFC) and the body face
#: prints without any check refusing them (``rows.unprintable_reason``)
def _plain_beyond_ascii(fonts: FontSet) -> frozenset[str]:
    return frozenset(
        ch
        for ch in plain_chars(fonts)
        if not ch.isascii()
        and ch.isprintable()
        and not ch.isspace()
        and not FORMAT_CHARS.match(ch)
        and unicodedata.category(ch)[0] != "M"
        and not 0x1100 <= ord(ch) <= 0x11FF
        and not 0xA960 <= ord(ch) <= 0xA97F
        and not 0xD7B0 <= ord(ch) <= 0xD7FF
        and unicodedata.normalize("NFC", ch) == ch
    )


class PlainLane:
    """The common row in one pass (issue 15.3): every cell one line of printable text as
    :func:`~..recipients.rows.clean` leaves it (no special character), a US state code
    and a five-digit ZIP, no barcode, no language asked for; :meth:`letter` gives its
    :class:`Letter` and duplicate key as :func:`~..recipients.validate` and
    :func:`letter_for` would (for a letter with text of its own, its personal values and
    columns as ``Recipient.template_values`` and ``Recipient.extra`` give them), or None
    for any other row (then it takes the full check: the same letters, rejects and
    messages, ``tests/test_batch_rowcheck.py`` compares)."""

    def __init__(self, job: Job, src: CsvSource) -> None:
        self.job = job
        self.src = src
        self.columns = dict(src.columns)
        self.n = len(src.headers)
        at = dict(field_columns(src))
        self.i_first, self.i_last, self.i_name = at["first_name"], at["last_name"], at["name"]
        self.i_a1, self.i_a2, self.i_city = at["address1"], at["address2"], at["city"]
        self.i_state, self.i_zip, self.i_imb = at["state"], at["zip"], at["imb"]
        self.i_lang = at["language"]
        self.lang = job.default_lang
        #: the letter has text of its own: each row's personal values and columns too
        self.personal = job.per_recipient(self.lang)
        #: the columns by template name (``Recipient.extra``: cell ``i`` of each) and, of
        #: those whose header is a personal field (``visit.date``), its place there
        self.extra = list(src.extra)
        self.fields = [
            (j, header.strip())
            for j, (_col, header) in enumerate(zip(src.extra, src.headers, strict=False))
            if FIELD_KEY.match(header.strip())
        ]
        geo = self.geo = job.geo
        fonts = geo.fonts
        #: printable ASCII and :func:`_plain_beyond_ascii`
        self.plain = frozenset(map(chr, range(32, 127))) | _plain_beyond_ascii(fonts)
        self.addr_size, self.addr_w = geo.addr_size, geo.addr_w
        #: (code, state) of the values seen in the state column
        self.states: dict[str, str] = {}
        #: widths of names and city lines at the address size (they repeat in a mailing)
        self.widths: dict[str, float] = {}
        #: greetings by name ("": too wide for the greeting line)
        self.greetings: dict[str, str] = {}
        #: Window.address_leading without a barcode, by the number of lines
        self.leadings = [geo.address_leading(n, False) for n in range(5)]
        #: a street line of at most this many characters fits the window whatever they are
        #: (the widest character a plain row may have, times as many: ``Window.width`` is
        #: the sum of their advance widths); -1: measure every line
        self.sure_fits = -1
        font = getFont(fonts.regular)
        face = font.face
        #: a street line's width (Window.width, which measures a line of plain characters
        #: in the body face so, without its memo: street lines do not repeat)
        self.measure: Callable[[str, float], float] = geo.width
        if fonts.body_set.issuperset(self.plain):  # (Window.width: the body face's widths)
            self.measure = font.stringWidth
            widest = max(face.charWidths.get(ord(ch), face.defaultWidth) for ch in self.plain)
            if widest > 0:
                self.sure_fits = int(self.addr_w / (0.001 * self.addr_size * widest) * 0.999)

    @staticmethod
    def usable(job: Job) -> bool:
        lang = job.default_lang
        if job.per_recipient(lang) and RECIPIENT_FIELDS != _RECIPIENT_FIELDS:
            return False  # (:meth:`letter` puts in the personal values by these names)
        return lang not in job.drafts

    def letter(self, record: int, line: int, cells: list[str]) -> tuple[Letter, int] | None:
        """The row's letter and duplicate key, or None: check it the full way."""
        if len(cells) != self.n:
            return None
        joined = "".join(cells)
        if "  " in joined or not joined.isprintable():  # (a control character, a tab …)
            return None
        if not joined.isascii() and not self.plain.issuperset(joined):
            return None
        # a cell that begins or ends with a space (no cell holds a tab: not printable)
        tabbed = "\t".join(cells)
        if tabbed[:1] == " " or tabbed[-1:] == " " or " \t" in tabbed or "\t " in tabbed:
            return None
        c = [*cells, ""]  # (a field with no column: index -1, "")
        first, last, name = c[self.i_first], c[self.i_last], c[self.i_name]
        a1, a2, city = c[self.i_a1], c[self.i_a2], c[self.i_city]
        state_value, zipcode = c[self.i_state], c[self.i_zip]
        if not (first or name) or not (a1 and city and state_value and zipcode):
            return None
        if c[self.i_imb] or c[self.i_lang]:
            return None
        st = self.states.get(state_value)
        if st is None:
            st = state_code(state_value)
            if len(self.states) < 4096:
                self.states[state_value] = st
        if not st or not (len(zipcode) == 5 and zipcode.isascii() and zipcode.isdigit()):
            return None
        geo = self.geo
        full = name or (f"{first} {last}" if first and last else first or last)
        street, street_field = geo.street_lines(a1, a2) if a2 else ((a1,), _ADDRESS1)
        last_line = f"{city}, {st} {zipcode}"
        greet = first or greeting_from_name(name)
        # the window's check (Window.check): any problem, and the full check says which
        size, limit = self.addr_size, self.addr_w
        widths = self.widths
        for text in (full, last_line):
            if text:
                w = widths.get(text)
                if w is None:
                    w = geo.width(text, size)
                    if len(widths) < 8192:
                        widths[text] = w
                if w > limit:
                    return None
        for text in street:  # (unique: measured only when it may not fit)
            if len(text) > self.sure_fits and self.measure(text, size) > limit:
                return None
        if self.leadings[len(street) + 1 + (1 if full else 0)] is None:
            return None
        if greet:
            greeting = self.greetings.get(greet)
            if greeting is None:
                greeting = _greeting(self.job, self.lang, greet)
                fits = geo.width(greeting, geo.body_size) <= geo.text_w
                if len(self.greetings) >= 4096:
                    self.greetings.clear()
                self.greetings[greet] = greeting = greeting if fits else ""
            if not greeting:
                return None
        elif geo.width("", geo.body_size) > geo.text_w:  # (never: as Window.check asks)
            return None
        a = _addressee(full, street, last_line, greet, street_field)
        # Recipient.duplicate_key: every part printable with single spaces here
        text = "\x1f".join((full, a1, a2, city, st, zipcode)).casefold()
        key = int.from_bytes(blake2b(text.encode(), digest_size=8).digest(), "big")
        if not self.personal:
            return Letter(record, line, self.lang, a), key
        # letter_for's values (Recipient.template_values: its keys in its order)
        extra = tuple((name, c[i]) for name, i in self.extra)
        values = {
            "patient.first_name": first, "patient.last_name": last, "patient.name": full,
            "patient.address1": a1, "patient.address2": a2, "patient.city": city,
            "patient.state": st, "patient.zip": zipcode,
        }  # fmt: skip
        for j, header in self.fields:
            values[header] = extra[j][1]
        personal = tuple((k, v) for k, v in values.items() if v)
        return Letter(record, line, self.lang, a, personal, extra), key


_ADDRESS1 = ("address1",)
#: the ``patient.*`` values :meth:`PlainLane.letter` puts in, in this order
_RECIPIENT_FIELDS = ("first_name", "last_name", "name", "address1", "address2", "city", "state",
                     "zip")  # fmt: skip


_new = object.__new__
#: the fields :func:`_addressee` sets, Addressee's own (else it calls the class)
_FIELDS = ("name", "street", "last_line", "greeting_name", "imb", "street_field")
_FAST_ADDRESSEE = tuple(f.name for f in fields(Addressee)) == _FIELDS


def _addressee(
    name: str, street: tuple[str, ...], last_line: str, greeting: str, street_field: tuple[str, ...]
) -> Addressee:
    """``Addressee(name, street, last_line, greeting, None, street_field)``: the same
    instance, its fields set as the frozen dataclass's ``__init__`` sets them (in its
    ``__dict__``, in order), without a call of ``object.__setattr__`` for each (a third of
    the time of the row's check)."""
    if not _FAST_ADDRESSEE:
        return Addressee(name, street, last_line, greeting, None, street_field)
    a = _new(Addressee)
    d = a.__dict__
    d["name"] = name
    d["street"] = street
    d["last_line"] = last_line
    d["greeting_name"] = greeting
    d["imb"] = None
    d["street_field"] = street_field
    return a


_LANES: dict[int, tuple[Job, PlainLane | None]] = {}


def plain_lane(job: Job) -> PlainLane | None:
    """The job's :class:`PlainLane` (None: every row takes the full check)."""
    got = _LANES.get(id(job))
    if got is None or got[0] is not job or (got[1] is not None and got[1].src is not job.src):
        lane = PlainLane(job, job.src) if PlainLane.usable(job) else None
        _LANES.clear()
        got = _LANES[id(job)] = (job, lane)
    lane = got[1]
    if lane is not None and lane.columns != job.src.columns:
        lane = None
    return lane


#: set False to check every row the full way (tests compare both)
PLAIN_LANE = True


def check_rows(job: Job, rows: list[CsvRow]) -> CheckedRows:
    """Check a chunk's rows (in the worker: the parent only reads the file)."""
    out = CheckedRows()
    lane = plain_lane(job) if PLAIN_LANE else None
    for record, line, cells in rows:
        if lane is not None:
            fast = lane.letter(record, line, cells)
            if fast is not None:
                out.keys.append((record, fast[1]))
                out.letters.append(fast[0])
                continue
        valid = validate(job.src, record, line, cells, job.geo.fonts)
        got = valid if isinstance(valid, Reject) else letter_for(job, valid, out.fallbacks)
        if isinstance(got, Reject):
            out.rejects.append(got)
            continue
        assert isinstance(valid, Recipient)
        out.keys.append((record, valid.duplicate_key()))
        out.zip_restored += valid.zip_restored
        out.letters.append(got)
    return out
