"""A loaded YAML document (:class:`~handoutpress.loading.Document`: strings, lists and
mappings with their locations) into a typed model, or one :class:`HandoutError` listing
every problem in the file as ``path:line:col: field: message`` in plain words ("unknown key
(did you mean 'window_left'?)", "no such date: 2027-02-30 (February 2027 has 28 days)")."""

from __future__ import annotations

import calendar
import difflib
import re
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .errors import HandoutError, Problem
from .loading import Document, dotted

M = TypeVar("M", bound=BaseModel)

_FRIENDLY = {
    "list_type": "expected a list",
    "dict_type": "expected a mapping (key: value lines)",
    "model_type": "expected a mapping (key: value lines)",
    "string_type": "expected text",
    "date_from_datetime_parsing": "expected a date as YYYY-MM-DD",
    "date_parsing": "expected a date as YYYY-MM-DD",
    "date_type": "expected a date as YYYY-MM-DD",
    "bool_parsing": "expected true or false",
    "float_parsing": "expected a number",
    "int_parsing": "expected a whole number",
    "missing": "required but missing",
}


def _model_at(
    cls: type[BaseModel], loc: tuple[str | int, ...], data: object
) -> type[BaseModel] | None:
    """The model class that owns the mapping at ``loc`` in ``data`` (for "did you mean"
    hints). A model whose field's model depends on the data (a layout's geometry on its
    kind) says which through a ``submodel(field, data)`` class method."""
    current: type[BaseModel] | None = cls
    for part in loc:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and part < len(data) else None
            continue
        if current is None:
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        chosen = current.submodel(part, data) if hasattr(current, "submodel") else None
        current = chosen or _inner_model(info.annotation)
        data = data.get(part) if isinstance(data, dict) else None
    return current


def _inner_model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _no_such_date(value: object) -> str:
    """``2027-02-30``: written as a date, but the calendar has no such day (else '')."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if found is None:
        return ""
    year, month, day = (int(g) for g in found.groups())
    if not 1 <= month <= 12:
        return f"no such date: {text} (the month must be 01 to 12)"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return f"no such date: {text} ({calendar.month_name[month]} {year} has {last} days)"
    return ""


def _describe(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return "text"


def validate(cls: type[M], doc: Document, what: str = "") -> M:
    """Validate ``doc.data`` as ``cls``; raise one HandoutError with every problem."""
    try:
        return cls.model_validate(doc.data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
            field = dotted(loc)
            kind = err["type"]
            if kind == "extra_forbidden":
                owner = _model_at(cls, loc[:-1], doc.data)
                name = str(loc[-1])
                msg = "unknown key"
                if owner is not None:
                    close = difflib.get_close_matches(name, list(owner.model_fields), n=1)
                    if close:
                        msg += f" (did you mean '{close[0]}'?)"
                    else:
                        msg += f" (expected one of: {', '.join(owner.model_fields)})"
            elif kind == "literal_error" and err["loc"][-1:] == ("[key]",):
                # a mapping's key outside its names (``cmyk: {primery: …}``): a misspelt key
                names = list(err.get("ctx", {}).get("expected_values", ())) or re.findall(
                    r"'([^']*)'", str(err.get("ctx", {}).get("expected", ""))
                )
                close = difflib.get_close_matches(str(loc[-1]), names, n=1)
                msg = "unknown key" + (
                    f" (did you mean '{close[0]}'?)"
                    if close
                    else f" (expected one of: {', '.join(names)})"
                )
                kind = "extra_forbidden"  # (located at the key)
            elif kind in ("literal_error", "enum"):
                expected = err.get("ctx", {}).get("expected", "")
                msg = f"expected one of {expected}, got {err['input']!r}"
            elif kind.startswith("date_") and _no_such_date(err.get("input")):
                msg = _no_such_date(err.get("input"))
            elif kind in ("less_than_equal", "greater_than_equal") and loc[:1] == ("cmyk",):
                msg = "CMYK values are percentages 0-100"
            elif kind in _FRIENDLY:
                msg = _FRIENDLY[kind]
                if kind.endswith("_type") and kind not in ("date_type",):
                    msg += f", got {_describe(err['input'])}"
            else:
                msg = str(err["msg"])
                msg = msg.removeprefix("Value error, ")
                if kind == "too_short" and isinstance(err.get("input"), list):
                    msg = "must not be empty"
            where = doc.locate_key(loc) if kind == "extra_forbidden" else doc.locate(loc)
            problems.append(Problem(where, field, msg))
        # one line per problem, in file order
        problems.sort(key=lambda p: (p.location.line or 0, p.location.col or 0))
        raise HandoutError(problems) from None
