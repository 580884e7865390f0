"""Text the PDF cannot carry faithfully: refused, never printed wrong.

- Right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko …): ReportLab sets characters in
  the order they are stored, so "עברית" would print reversed ("תירבע"), and Arabic unjoined.
  Until the layouts shape and reorder text (bidi), such text is an error everywhere: content,
  ``--set`` values and mailing rows.
- Invisible direction controls (Unicode's Bidi_Control: U+061C, U+200E, U+200F, U+202A to
  U+202E, U+2066 to U+2069): a PDF viewer, a screen reader or a copy may reorder the text
  around them, and the fonts draw them as boxes or not at all. A personal value with one is
  refused, never dropped, by one rule (:func:`direction_refusal`) wherever it comes from:
  ``--set``, the front desk and a mailing's CSV cell (a reversed or reordered name on a mailed
  letter is a regret; dropping them would change what was typed unseen). In the handout's
  and the brand's own text (:func:`unsupported_text`) those that make text run right-to-left
  are said as right-to-left text; the others as direction controls.
- Characters beyond U+FFFF (emoji, historic scripts): ReportLab's ToUnicode map cuts their
  code to 16 bits, so the text layer (copy, search, screen readers) reads another character.
- The replacement character U+FFFD in a personal value: a letter was lost before the text
  reached us (a copy, an export read in the wrong encoding); printing U+FFFD in a patient's
  name is wrong, and dropping it would misspell the name unseen, so the value is refused.
- Invisible characters a personal value picks up from a copy or an export (:data:`INVISIBLE`:
  the soft hyphen, zero-width space and joiners, word joiner, BOM): they print as nothing, a
  stray hyphen or a box and split the name for search and copy in the text layer, so they
  are dropped (:func:`without_invisible`), as ``batch`` drops them from every CSV cell.

The reasons never quote the text (it may be a patient's): they name the characters' codes.
"""

from __future__ import annotations

import re
import unicodedata

_RTL = ("R", "AL", "RLE", "RLO", "RLI")  # letters, and the controls that make text run so
#: Unicode's Bidi_Control characters: the Arabic letter mark, the left-to-right and
#: right-to-left marks, the embeddings and overrides with their end, the isolates with theirs
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
#: at most this many characters are named in one message
_SHOWN = 5
#: invisible characters dropped from a personal value (``--set``, the front desk's fields):
#: soft hyphen, combining grapheme joiner, Mongolian vowel separator, zero-width space,
#: non-joiner and joiner, word joiner and the invisible operators, BOM (zero-width no-break
#: space). ``batch`` drops these from every cell too (not the direction controls, which a
#: value is refused for everywhere: :func:`direction_refusal`).
INVISIBLE = re.compile("[\u00ad\u034f\u180e\u200b-\u200d\u2060-\u2064\ufeff]")
REPLACEMENT = "\ufffd"


def is_rtl(ch: str) -> bool:
    """A right-to-left letter (Unicode bidi class R or AL), or a control that makes the
    text after it right-to-left (U+202B, U+202E, U+2067: ``evil`` shown as ``live``)."""
    return unicodedata.bidirectional(ch) in _RTL


def is_beyond_bmp(ch: str) -> bool:
    """A character above U+FFFF (an emoji, for one)."""
    return ord(ch) > 0xFFFF


def rtl_chars(text: str) -> list[str]:
    """The right-to-left letters of ``text``, in order, once each."""
    if text.isascii():
        return []
    return list(dict.fromkeys(ch for ch in text if is_rtl(ch)))


def bidi_controls(text: str) -> list[str]:
    """The invisible direction controls of ``text`` (:data:`BIDI_CONTROLS`), in order, once
    each."""
    if text.isascii():
        return []
    return list(dict.fromkeys(ch for ch in text if ch in BIDI_CONTROLS))


def beyond_bmp(text: str) -> list[str]:
    """The characters of ``text`` above U+FFFF, in order, once each."""
    if text.isascii():
        return []
    return list(dict.fromkeys(ch for ch in text if is_beyond_bmp(ch)))


def _codes(chars: list[str]) -> str:
    shown = ", ".join(f"U+{ord(c):04X}" for c in chars[:_SHOWN])
    return shown + (", …" if len(chars) > _SHOWN else "")


def without_invisible(value: str) -> str:
    """``value`` without the invisible characters of :data:`INVISIBLE`."""
    return value if value.isascii() else INVISIBLE.sub("", value)


def lost_character(value: str) -> str | None:
    """Why a personal value with the replacement character U+FFFD is refused (its place in
    the value, never the value), or None."""
    if value.isascii():
        return None
    pos = value.find(REPLACEMENT)
    if pos < 0:
        return None
    return (
        f"has the replacement character U+FFFD (character {pos + 1}): a letter was lost when "
        "the text was copied or exported; type it again"
    )


def direction_refusal(text: str) -> str | None:
    """Why a personal value with invisible direction controls (:data:`BIDI_CONTROLS`) is
    refused, naming them; None when it has none. The one rule for a value typed with
    ``--set`` or at the front desk (``personal_values.value_problems``) and a mailing's CSV
    cell (``recipients.rows``): refused, never dropped."""
    controls = bidi_controls(text)
    if not controls:
        return None
    return (
        f"has invisible direction controls ({_codes(controls)}), which change the order "
        "the text is read in (or print as boxes): remove them"
    )


def unsupported_text(text: str) -> str | None:
    """Why ``text`` cannot be printed as written, naming the characters; None if it can."""
    rtl = rtl_chars(text)
    if rtl:
        return (
            f"has right-to-left text ({_codes(rtl)}), which would print reversed: "
            "Handout Press sets left-to-right scripts only"
        )
    controls = direction_refusal(text)
    if controls is not None:
        return controls
    high = beyond_bmp(text)
    if high:
        return (
            f"has characters beyond U+FFFF ({_codes(high)}, e.g. an emoji), which the PDF's "
            "text layer would read as other characters: remove them"
        )
    return None
