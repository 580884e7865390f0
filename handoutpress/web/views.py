"""The front desk's routes. Thin: parse the request, call the engine, answer.

Patient values arrive only in POST bodies (``field.<key>``), are handed to the engine in
memory and are never logged, stored or echoed into a URL, a header or a file name.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass

import flask  # flask.request etc.: no context-local proxy among module globals
from flask import (
    Blueprint,
    Response,
    abort,
    jsonify,
    render_template,
)
from werkzeug.exceptions import HTTPException

from .. import cups
from ..errors import HandoutError
from ..frontdesk import Rendered
from ..scripts import lost_character
from . import rendering
from .catalog import Entry, Variant, language_name
from .printing import paper_text, printer_status
from .security import ECHOABLE_NAME
from .state import desk

log = logging.getLogger(__name__)
bp = Blueprint("desk", __name__)

MAX_VISIT = 20
_PAGE = re.compile(r"[1-9][0-9]{0,3}")
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._-]+")
#: The names the page sends besides ``field.<key>`` (to one request or another).
PAGE_NAMES = frozenset(
    {"handout", "lang", "layout", "large_print", "staff_copy", "page", "printer", "copies"}
    | {"items", "csrf"}
)


class BadRequest(Exception):
    """A request the page never sends (an unknown handout, a path as an id, …): 400."""


class BadValue(Exception):
    """A personal field's value no handout may print (the replacement character U+FFFD: a
    letter lost in a copy, as a value that is not UTF-8 is): 400, tied to the field, never
    quoting the value."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


@dataclass(frozen=True)
class Picked:
    entry: Entry
    variant: Variant
    choice: rendering.Choice


def _layout_label(project_layout: str) -> str:
    d = desk()
    try:
        description = d.project.load_layout(project_layout).description
    except HandoutError:
        return project_layout
    return description.split(",")[0] or project_layout


def _entry(handout_id: str) -> Entry:
    entry = desk().catalog.get(handout_id)
    if entry is None:
        raise BadRequest("not a handout of handouts/")
    return entry


FormData = Mapping[str, "str | list[str]"]


def _pick(data: FormData) -> Picked:
    """A handout choice from a form or a JSON object; anything the page would not send is
    refused (400), never guessed at, as is a value with U+FFFD (tied to its field). A
    tick-box field may carry several values (joined with ``;`` for the engine, as ``--set``
    takes them); invisible characters are the engine's to drop. A value too long is the engine's to
    refuse, as it refuses ``--set`` (before anything is laid out), tied to its field."""

    def one(name: str) -> str:
        value = data.get(name, "")
        if not isinstance(value, str):
            raise BadRequest(f"{name} is not one text value")
        return value

    _known_names(data)
    entry = _entry(one("handout"))
    variant = entry.variant(one("lang") or None)
    if variant is None:
        raise BadRequest("not a language of this handout")
    large = one("large_print") in ("1", "on", "true")
    staff_copy = one("staff_copy") in ("1", "on", "true")
    layout = one("layout") or None
    if layout is not None and layout not in entry.layouts():
        raise BadRequest("not a layout of this handout")
    fields = {f.key: f for f in variant.fields}
    values: dict[str, str] = {}
    for name, raw in data.items():
        if not name.startswith("field."):
            continue
        spec = fields.get(name.removeprefix("field."))
        given = [raw] if isinstance(raw, str) else raw
        if (
            spec is None
            or not isinstance(given, list)
            or not all(isinstance(v, str) for v in given)
        ):
            raise BadRequest("not a field of this handout")
        if len(given) > 1 and not spec.ticks:
            raise BadRequest("not a field of this handout")
        if spec.ticks:
            allowed = {value for value, _ in spec.options}
            if not set(given) <= allowed:
                raise BadRequest("not a choice of this field")
            ticked = [value for value, _ in spec.options if value in given]  # page order
            if ticked:
                values[spec.key] = "; ".join(ticked)
        elif given[0].strip():
            lost = lost_character(given[0])
            if lost is not None:
                raise BadValue(spec.key, lost)
            values[spec.key] = given[0].strip()
    choice = rendering.Choice(variant.ref, layout, large, values, staff_copy)
    return Picked(entry, variant, choice)


def _known_names(data: FormData) -> None:
    """Every name is one the page sends (a personal field as ``field.<key>``): a value sent
    as ``patient.name`` was ignored, and the handout printed with a blank line."""
    for name in data:
        if name not in PAGE_NAMES and not name.startswith("field."):
            shown = f"'{name}'" if ECHOABLE_NAME.fullmatch(name) else "a name"
            raise BadRequest(f"{shown} is not a field the page sends (a field is field.<key>)")


def _problems(exc: HandoutError) -> Response:
    """The engine's problems, each tied to the field it concerns (its key) when it is one."""
    out = []
    for p in exc.problems or ():
        key = p.field.removeprefix("--set ") if p.field.startswith("--set ") else ""
        out.append({"field": key, "message": p.message if key else str(p)})
    if not out:
        out.append({"field": "", "message": exc.message})
    response = jsonify(problems=out)
    response.status_code = 422
    return response


def _render(picked: Picked) -> Rendered:
    d = desk()
    return rendering.render(d.project, picked.choice, d.settings.brand)


def _file_name(picked: Picked, done: Rendered) -> str:
    """``<id>-<layout>.pdf`` (``-staff`` for the staff copy, as ``build`` names it), in
    letters, digits, ``.``, ``_`` and ``-`` only: it goes into a header, and a translation's
    file name (``tpi-aftercare.e"s;x.yaml``) is the clinic's to choose."""
    staff = "-staff" if picked.choice.staff_copy else ""
    return _UNSAFE_IN_NAME.sub("-", f"{picked.variant.ref}-{done.layout.name}{staff}.pdf")


def _one(name: str, default: str = "") -> str:
    """Form field ``name``, given once at most (the page never repeats one: a second page
    or copies would otherwise be dropped unseen)."""
    return _once(flask.request.form.getlist(name), name, default)


def _arg(name: str, default: str = "") -> str:
    """Query parameter ``name``, given once at most, as :func:`_one` (``?lang=en&lang=es``
    showed the English panel)."""
    return _once(flask.request.args.getlist(name), name, default)


def _once(values: list[str], name: str, default: str) -> str:
    if len(values) > 1:
        raise BadRequest(f"{name} is given {len(values)} times")
    return values[0] if values else default


def _count(picked: Picked, done: Rendered, action: str, copies: int = 1) -> None:
    d = desk()
    d.tally.add(
        picked.entry.id,
        picked.variant.lang,
        done.layout.name,
        picked.choice.large_print,
        f"{action} (staff copy)" if picked.choice.staff_copy else action,
        dt.date.today(),
        copies,
    )


def _form() -> FormData:
    return {k: v[0] if len(v) == 1 else v for k, v in flask.request.form.lists()}


# --------------------------------------------------------------------------- pages


@bp.before_app_request
def _fresh_catalog() -> None:
    if flask.request.endpoint != "static":
        desk().refresh()


@bp.get("/")
def index() -> str:
    d = desk()
    query = _arg("q")[:100]
    entries = d.catalog.search(query) if query else list(d.catalog.entries)
    return render_template(
        "index.html",
        entries=entries,
        all_entries=d.catalog.entries,
        query=query,
        csrf=d.csrf_token,
        brand=desk().brand_info(),
        broken=d.catalog.broken,
        staff=flask.g.get("staff"),
        logins=d.settings.logins,
        language_name=language_name,
    )


@bp.get("/panel/<handout_id>")
def panel(handout_id: str) -> str:
    entry = _entry(handout_id)
    variant = entry.variant(_arg("lang") or None)
    if variant is None:
        raise BadRequest("not a language of this handout")
    layouts = entry.layouts()
    layout = _arg("layout") or layouts[0]
    if layout not in layouts:
        raise BadRequest("not a layout of this handout")
    d = desk()
    first_layout = d.project.load_layout(layout)
    return render_template(
        "panel.html",
        entry=entry,
        variant=variant,
        layouts=[(name, _layout_label(name)) for name in layouts],
        layout=layout,
        large_print=_arg("large_print") in ("1", "on", "true"),
        staff_copy=_arg("staff_copy") in ("1", "on", "true"),
        paper=paper_text(first_layout),
        printers=printer_status(),
    )


@bp.get("/favicon.ico")
def favicon() -> Response:
    return Response(status=204)


@bp.get("/thumb/<handout_id>.png")
def thumb(handout_id: str) -> Response:
    """Page 1 of the handout with no personal values (the cover of a tri-fold), cached."""
    d = desk()
    entry = _entry(handout_id)
    with d.thumbs_lock:
        png = d.thumbs.get(entry.id)
    if png is None:
        done = rendering.render(d.project, rendering.Choice(entry.id), d.settings.brand)
        png = rendering.cover_thumbnail(done)
        with d.thumbs_lock:
            d.thumbs[entry.id] = png
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


# --------------------------------------------------------------------------- engine calls


@bp.post("/preview")
def preview() -> Response:
    """Page ``page`` of the handout as the form fills it. A page it does not have is a 404
    saying how many it has (``X-Pages``), never another page: the page switch asks only for
    pages it was told of, and goes to the last one when a handout edited while it is shown
    now has fewer. ``page`` is a whole number from 1 (``0``, ``-1``, ``2.0``, ``٢``: 400)."""
    picked = _pick(_form())
    page = _page_number(_one("page", "1"))
    try:
        done = _render(picked)
    except HandoutError as exc:
        return _problems(exc)
    pages = done.result.pages
    if page > pages:
        plural = "s" if pages != 1 else ""
        message = f"page {page}: out of range; this {done.layout.name} has {pages} page{plural}"
        response = jsonify(problems=[{"field": "", "message": message}])
        response.status_code = 404
        response.headers["X-Pages"] = str(pages)
        return response
    image = rendering.picture(done, page)
    response = Response(image.png, mimetype="image/png")
    response.headers["X-Page"] = str(image.page)
    response.headers["X-Pages"] = str(image.pages)
    response.headers["X-Paper"] = paper_text(done.layout)
    return response


def _page_number(raw: str) -> int:
    """A page number as the page switch sends it: ASCII digits, 1 to 9999 (``int`` would
    take " 2", "1_0" and "٢" as well)."""
    if not _PAGE.fullmatch(raw):
        raise BadRequest("page: a page number from 1 (1, 2, …)")
    return int(raw)


@bp.post("/download")
def download() -> Response:
    picked = _pick(_form())
    try:
        done = _render(picked)
    except HandoutError as exc:
        return _problems(exc)
    _count(picked, done, "downloaded")
    response = Response(done.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{_file_name(picked, done)}"'
    return response


def _copies() -> int:
    raw = _one("copies", "1")
    copies = int(raw) if _PAGE.fullmatch(raw) else 0  # ASCII digits: int() takes "٣", "1_0"
    if not 1 <= copies <= 50:
        raise BadRequest("copies: 1 to 50")
    return copies


def _printer() -> str:
    status = printer_status()
    name = _one("printer")
    if status.problem:
        abort(409, status.problem)
    if name not in status.printers:
        raise BadRequest("not a printer of this computer")
    return name


def _job_json(job: cups.PrintJob, pages: int) -> Response:
    return jsonify(
        job=job.job_id,
        printer=job.printer,
        media=job.media,
        sides=job.sides,
        copies=job.copies,
        pages=pages,
        title=job.title,
    )


@bp.post("/print")
def print_() -> Response:
    picked = _pick(_form())
    copies = _copies()
    printer = _printer()
    try:
        done = _render(picked)
        job = cups.send(done.pdf, done.layout, done.public_title, printer, copies)
    except HandoutError as exc:
        return _problems(exc)
    _count(picked, done, "printed", copies)
    return _job_json(job, done.result.pages)


def _visit() -> list[Picked]:
    _known_names(_form())
    try:
        items = json.loads(_one("items"))
    except (ValueError, RecursionError):  # ("[" * 10000: nested deeper than json parses)
        raise BadRequest("items is not JSON") from None
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_VISIT:
        raise BadRequest(f"a visit holds 1 to {MAX_VISIT} handouts")
    if not all(isinstance(item, dict) for item in items):
        raise BadRequest("a visit item is not an object")
    return [_pick(item) for item in items]


def _render_visit(visit: list[Picked]) -> tuple[list[Rendered], Response | None]:
    done: list[Rendered] = []
    for i, picked in enumerate(visit):
        try:
            done.append(_render(picked))
        except HandoutError as exc:
            response = _problems(exc)
            response.headers["X-Visit-Item"] = str(i)
            return [], response
    return done, None


def _visit_title(parts: list[Rendered]) -> str:
    """The handouts' public titles (never a patient value): the job's and the file's title."""
    return "; ".join(p.public_title for p in parts)[:200]


@bp.post("/visit/download")
def visit_download() -> Response:
    visit = _visit()
    done, failed = _render_visit(visit)
    if failed is not None:
        return failed
    joined = rendering.join_visit(done, _visit_title(done))
    for picked, one in zip(visit, done, strict=True):
        _count(picked, one, "downloaded")
    response = Response(joined.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'attachment; filename="visit-handouts.pdf"'
    return response


@bp.post("/visit/print")
def visit_print() -> Response:
    """The visit as one print job (one per paper size, if a visit mixes them: a job is
    printed on one paper). Sheets and tri-folds share a job printed two-sided on the long
    edge, the tri-folds' backs turned (see :func:`rendering.join_visit`)."""
    visit = _visit()
    copies = _copies()
    printer = _printer()
    done, failed = _render_visit(visit)
    if failed is not None:
        return failed
    groups: dict[str, list[Rendered]] = {}
    for one in done:
        groups.setdefault(cups.media_for(one.layout.paper), []).append(one)
    jobs = []
    try:
        for parts in groups.values():
            title = _visit_title(parts)
            joined = rendering.join_visit(parts, title, for_printer=True, pad_last=copies > 1)
            job = cups.send(joined.pdf, parts[0].layout, title, printer, copies, joined.sides)
            jobs.append(
                {"job": job.job_id, "media": job.media, "sides": job.sides, "pages": joined.pages}
            )
    except HandoutError as exc:
        return _problems(exc)
    for picked, one in zip(visit, done, strict=True):
        _count(picked, one, "printed", copies)
    return jsonify(jobs=jobs, printer=printer, copies=copies)


# --------------------------------------------------------------------------- errors


@bp.app_errorhandler(BadRequest)
def _bad_request(exc: BadRequest) -> tuple[Response, int]:
    return jsonify(problems=[{"field": "", "message": f"bad request: {exc}"}]), 400


@bp.app_errorhandler(BadValue)
def _bad_value(exc: BadValue) -> tuple[Response, int]:
    return jsonify(problems=[{"field": exc.key, "message": exc.message}]), 400


@bp.app_errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> tuple[Response, int]:
    return jsonify(problems=[{"field": "", "message": exc.description}]), exc.code or 500


@bp.app_errorhandler(Exception)
def _unexpected(exc: Exception) -> tuple[Response, int]:
    # the type only: a message or a traceback could hold a patient value
    log.error("internal error (%s) answering a request", type(exc).__name__)
    message = "internal error: try again, or restart the front desk"
    return jsonify(problems=[{"field": "", "message": message}]), 500
