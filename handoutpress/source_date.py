"""``SOURCE_DATE_EPOCH`` (the reproducible-builds convention): a fixed today and fixed PDF bytes."""

from __future__ import annotations

import datetime as dt
import os
import time
from hashlib import md5

from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfdoc

from .errors import HandoutError


def deterministic_today() -> tuple[bool, dt.date]:
    """``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) fixes dates and PDF bytes.

    Unset or empty: today, and ordinary output. A value that is not a whole number of seconds
    is an error (the convention asks for one), never silently ordinary output.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return False, dt.date.today()
    try:
        if not epoch.isdigit():
            raise ValueError(epoch)
        return True, dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise HandoutError(
            f"SOURCE_DATE_EPOCH={epoch[:40]!r}: expected a whole number of seconds since "
            "1970-01-01 UTC (or unset it)"
        ) from None


def fix_timestamp(doc: pdfdoc.PDFDocument, epoch: int) -> None:
    """What ReportLab's PDFDocument does with ``SOURCE_DATE_EPOCH`` set, for one document:
    its creation and modification dates, and its ID's seed (the timestamp)."""
    ts = TimeStamp(invariant=1)
    gm = time.gmtime(epoch)
    ts.t, ts.lt, ts.YMDhms = epoch, gm, tuple(gm)[:6]
    ts.dhh = ts.dmm = 0
    ts.tzname = "UTC"
    doc._timeStamp = ts
    sig = doc.signature = md5(usedforsecurity=False)
    sig.update(b"a reportlab document")
    sig.update(ascii(epoch).encode())
