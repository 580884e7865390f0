"""What a command does not pay for at start-up unless it needs it.

ReportLab's paragraph module compiles, when imported, a regular expression for URLs
(``uri_pat``: Django's validator, case-insensitive over most of Unicode) that it uses only
to split a long web address across lines. Compiling it takes 60-90 ms, a fifth of a
personalised sheet's start-up, in every process that imports ReportLab's paragraphs.
:func:`defer_reportlab_uri_pattern` puts a stand-in for it into :mod:`re`'s cache before
that import: ``re.compile`` returns the stand-in, and the stand-in compiles the pattern
the first time it is used. Anything the stand-in does not expect (another Python whose
cache works otherwise, another ReportLab whose pattern differs, ReportLab imported
already) leaves everything as it was: the pattern is compiled at import, as before.
"""

from __future__ import annotations

import re
import sys
from typing import Any

#: ReportLab 5.0-5.1's ``reportlab.platypus.paragraph.uri_pat`` (with ``re.I``)
URI_PATTERN = (
    "(^(?:[a-z0-9\\.\\-\\+]*)://)(?:\\S+(?::\\S*)?@)?(?:(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)"
    "(?:\\.(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}|\\[[0-9a-f:\\.]+\\]|([a-z\xa1-\uffff0-9]"
    "(?:[a-z\xa1-\uffff0-9-]{0,61}[a-z\xa1-\uffff0-9])?(?:\\.(?!-)[a-z\xa1-\uffff0-9-]{1,63}"
    "(?<!-))*\\.(?!-)(?:[a-z\xa1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?|localhost))"
    "(?::\\d{2,5})?(?:[/?#][^\\s]*)?\\Z"
)


class LazyPattern:
    """A compiled pattern made on first use (``match``, ``search``, any attribute)."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            # (not re.compile: the cache would give this stand-in back)
            self._compiled = re._compiler.compile(self.pattern, self.flags)  # type: ignore[attr-defined]
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)


def defer_reportlab_uri_pattern() -> None:
    cache = getattr(re, "_cache", None)
    if (
        not isinstance(cache, dict)
        or not hasattr(re, "_compiler")
        or "reportlab.platypus.paragraph" in sys.modules
        or len(cache) >= getattr(re, "_MAXCACHE", 0) // 2  # it would soon be evicted
    ):
        return
    flags = re.IGNORECASE.value
    cache.setdefault((str, URI_PATTERN, flags), LazyPattern(URI_PATTERN, flags))
