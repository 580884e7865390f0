"""The personal namespaces a handout's text may use, spelled once.

- ``patient.*``, ``visit.*``, ``provider.*``: a handout's ``fields`` and ``--set`` values
  (write-in lines when not given);
- in a mailing (``batch``, ``build --layout letter``) also the recipient's name and
  address (:data:`RECIPIENT_FIELDS`, from every CSV row) and ``row.*`` (every CSV column,
  ``Visit Day`` → ``row.visit_day``): **supplied by the CSV**.

No patient data here: only names of fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Protocol


class _Field(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def label(self) -> str: ...


class _Section(Protocol):
    @property
    def heading(self) -> str: ...
    @property
    def body(self) -> str: ...


class _Cover(Protocol):
    @property
    def tagline(self) -> str: ...


class Handout(Protocol):
    """What is read of a :class:`handoutpress.models.Handout` here (this module is below
    the models: they take their field-key rule from it)."""

    @property
    def title(self) -> str: ...
    @property
    def subtitle(self) -> str: ...
    @property
    def cover(self) -> _Cover: ...
    @property
    def fields(self) -> Sequence[_Field]: ...
    @property
    def sections(self) -> Sequence[_Section]: ...


#: a handout's fields and ``--set`` keys
FIELD_NAMESPACES = ("patient", "visit", "provider")
#: every column of a mailing's CSV row
ROW = "row"
PERSONAL_NAMESPACES = (*FIELD_NAMESPACES, ROW)
#: the ``patient.*`` values every mailing row gives (its name and address)
RECIPIENT_FIELDS = (
    "first_name", "last_name", "name", "address1", "address2", "city", "state", "zip",
)  # fmt: skip
#: a handout's field key (``patient.name``)
FIELD_KEY = re.compile(rf"^({'|'.join(FIELD_NAMESPACES)})\.[a-z][a-z0-9_]*$")
#: a ``--set`` key: a field, or (a letter) a CSV column
SET_KEY = re.compile(rf"^({'|'.join(PERSONAL_NAMESPACES)})\.[a-z][a-z0-9_]*$")
_REFERENCE = re.compile(rf"\b(?:{'|'.join(PERSONAL_NAMESPACES)})\.[a-z][a-z0-9_]*")


def texts(handout: Handout) -> Iterator[str]:
    """Every text of a handout that is a template."""
    yield from (handout.title, handout.subtitle, handout.cover.tagline)
    yield from (f.label for f in handout.fields)
    for s in handout.sections:
        yield s.heading
        yield s.body


def references(handout: Handout) -> set[str]:
    """The personal variables its text names (``patient.name``, ``row.visit_day``)."""
    return {ref for text in texts(handout) for ref in _REFERENCE.findall(text)}


def supplied_by_csv(handout: Handout) -> list[str]:
    """The variables its text uses that only a mailing's CSV supplies (not its fields)."""
    declared = {f.key for f in handout.fields}
    recipient = {f"patient.{name}" for name in RECIPIENT_FIELDS}
    return sorted(
        ref
        for ref in references(handout)
        if ref not in declared and (ref.startswith(f"{ROW}.") or ref in recipient)
    )
