"""Typographic rules the engine applies so authors never type them: no line break inside a
number range or a quantity.

``1 to 3 days``, ``15 to 20 minutes``, ``100.4 °F``, ``7:30 am`` and ``de 1 a 3 días`` are
read as one unit; a line that ends in "1 to" and a next line that starts "3 days" makes the
reader stop. The spaces inside them become no-break spaces (U+00A0), which ReportLab never
breaks at. No ReportLab here: plain text in, plain text out.
"""

from __future__ import annotations

import re
from functools import lru_cache

NBSP = "\u00a0"

_NUMBER = r"\d+(?:[.,:]\d+)?"
#: words joining the two ends of a range (English and Spanish)
_RANGE_WORDS = r"to|or|and|a|o|y|-|–|—"
#: units and counted things that stay with their number (English and Spanish)
_UNITS = (
    r"°\s?[FC]|°|%|"
    r"a\.?m\.?|p\.?m\.?|"
    r"seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|times?|"
    r"segundos?|minutos?|horas?|días?|semanas?|meses|mes|años?|veces|vez|"
    r"mg|mcg|ml|mL|g|kg|lbs?|pounds?|libras?|kilos?|in|inch(?:es)?|cm|mm|"
    r"pulgadas?|pills?|tablets?|pastillas?|tabletas?|cups?|tazas?|drops?|gotas?|"
    r"shots?|inyecciones|inyección|visits?|visitas?"
)
_RANGE = re.compile(rf"(?<![\w.,:])({_NUMBER})[ \t]+({_RANGE_WORDS})[ \t]+(?={_NUMBER}(?![\w]))")
_QUANTITY = re.compile(rf"(?<![\w.,:])({_NUMBER})[ \t]+(?=(?:{_UNITS})(?![\w]))")


@lru_cache(maxsize=4096)
def bind_quantities(text: str) -> str:
    """``text`` with no-break spaces inside number ranges and between a number and its unit
    (remembered: every layout, page and copy a ``check`` lays out asks again for the same texts).

    >>> bind_quantities("within 1 to 3 days, 100.4 °F") == (
    ...     "within 1\u00a0to\u00a03\u00a0days, 100.4\u00a0°F")
    True
    """
    text = _RANGE.sub(lambda m: f"{m.group(1)}{NBSP}{m.group(2)}{NBSP}", text)
    return _QUANTITY.sub(lambda m: f"{m.group(1)}{NBSP}", text)
