"""Which CSV column is which field: names matched ignoring case, spaces, underscores,
hyphens and dots, with the aliases practice-management exports use (``ZIP Code``,
``Street``, ``Preferred Language`` …), prefixes ("Patient City", "Mailing Zip") and
``--columns MAP.yaml`` for anything else. Required columns are checked first; two columns
that could both be a field are an error. Every column is also a template name
(``Visit Day`` → ``row.visit_day``)."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from ..errors import HandoutError, Location, Problem
from ..loading import load_yaml

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


def normalise(header: str) -> str:
    """A header for matching: letters and digits only, case-folded (``ZIP+4`` → ``zip4``)."""
    return re.sub(r"[\W_]+", "", header).casefold()


def identifier(header: str) -> str:
    """A header as a template variable name: ``Visit Date`` → ``visit_date``."""
    s = re.sub(r"[^0-9a-z]+", "_", header.strip().casefold()).strip("_")
    return f"c_{s}" if s[:1].isdigit() else (s or "column")


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
        # every exact alias present, not the first: "ZIP" and "Zip Code" with different
        # values took the first one with nothing said
        exact = [by_norm[a][0] for a in aliases if a in by_norm]
        mailing = _prefixed(by_norm, aliases, PREFIXES[0])
        if exact:
            found = [*exact, *(i for i in mailing if i not in exact)]
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


def match_columns(
    path: Path, headers: list[str], line: int, columns: Path | None
) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """(field → column index, template name → column index for every column) for the
    header at ``line``; raises one HandoutError naming every problem."""
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
    found, ambiguous = _match_aliases(headers, by_norm, mapping, path, line)
    problems += found
    # a column we read that appears twice (by name, ignoring case and spacing) is ambiguous;
    # a repeated column nobody reads ("Phone", "Phone") is not a problem
    for key, idx in mapping.items():
        same = by_norm.get(normalise(headers[idx]), [])
        if len(same) > 1:
            cols = " and ".join(str(i + 1) for i in same[:3])
            problems.append(
                Problem(
                    Location(path, line),
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
                Location(path, line),
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
    return mapping, extra
