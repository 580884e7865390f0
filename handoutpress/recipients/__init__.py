"""A practice-management CSV export → typed recipients, rejects and blank rows.

- :mod:`.csvfile`: reading the file (encoding, delimiter, records, a bad byte or an
  open quote named by record and line before anything is made);
- :mod:`.headers`: which column is which field (aliases, prefixes, ``--columns``);
- :mod:`.rows`: each row → a :class:`Recipient` or a :class:`Reject` (record, field,
  reason: never the value), or blank.

The state, ZIP and barcode rules are :mod:`handoutpress.addressing`'s. No patient data is
logged or put into an error message here.
"""

from .csvfile import FIELD_LIMIT, CsvSource, open_csv, read
from .headers import ALIASES, FIELDS, REQUIRED, identifier, normalise
from .rows import Recipient, Reject, clean, greeting_from_name, language_tag, validate

__all__ = [
    "ALIASES",
    "FIELDS",
    "FIELD_LIMIT",
    "REQUIRED",
    "CsvSource",
    "Recipient",
    "Reject",
    "clean",
    "greeting_from_name",
    "identifier",
    "language_tag",
    "normalise",
    "open_csv",
    "read",
    "validate",
]
