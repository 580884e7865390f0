"""The rules that keep patient names on this machine (issue 11, item 4).

- The Host header must name the bound host (Flask's ``TRUSTED_HOSTS``: DNS rebinding).
- Every POST carries the page's CSRF token, and a cross-site ``Origin`` or
  ``Sec-Fetch-Site`` is refused even with one.
- Every response: a Content-Security-Policy with no inline script and no outside source,
  ``Cache-Control: no-store`` (static files and thumbnails excepted: they hold no patient
  data), no referrer to other sites, no framing.
- Requests are small (``MAX_CONTENT_LENGTH``); patient values travel only in POST bodies,
  as the page sends them (``application/x-www-form-urlencoded``, UTF-8). A POST of another
  type is refused (415), and a body or query string that is not UTF-8 (``%FF``) is refused
  (400) naming the field, never its value: Werkzeug would hand on ``%FF`` as written, or a
  multipart part as U+FFFD, and either would print on the patient's handout.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
import socket
from urllib.parse import unquote_to_bytes

import flask  # flask.request etc.: no context-local proxy among module globals
from flask import Flask, Response, abort

#: Enough for a visit of twenty handouts with every field filled; a preview needs under 4 KB.
MAX_REQUEST_BYTES = 64 * 1024

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        # blob: the preview PNG and the downloaded PDF are handed to the page as blobs
        "img-src 'self' blob:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
#: Responses that hold no patient data and may be cached by the browser.
CACHEABLE_PREFIXES = ("/static/", "/thumb/")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def trusted_hosts(host: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The Host header values accepted: the bound host (and ``localhost`` on loopback)."""
    names = [host, *extra]
    if is_loopback(host):
        names += ["localhost", "127.0.0.1"]
    if host in ("0.0.0.0", "::"):  # every address: the names desks know this computer by
        name = socket.gethostname()
        names += [name, f"{name}.local", socket.getfqdn()]
    return sorted(set(names))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


FORM_TYPE = "application/x-www-form-urlencoded"
#: A field name that may be echoed in an error: shaped like the names the page sends (one
#: shaped otherwise could be anything, a patient value included).
ECHOABLE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,80}")


def _decoded(part: bytes) -> str | None:
    try:
        return unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return None


def not_utf8(encoded: bytes) -> str | None:
    """The name of the first field of a form body or query string (``a=1&b=%FF``) whose name
    or value is not UTF-8 once percent-decoded, or None when all are. A name the page would
    not send is not echoed (``""``): it could be anything, a patient value included."""
    for pair in encoded.split(b"&"):
        name, _, value = pair.partition(b"=")
        if _decoded(name) is None or _decoded(value) is None:
            shown = _decoded(name) or ""
            return shown if ECHOABLE_NAME.fullmatch(shown) else ""
    return None


class NotText(Exception):
    """A form field or query parameter that is not UTF-8 text: 400, tied to the field."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _check_text(encoded: bytes) -> None:
    name = not_utf8(encoded)
    if name is not None:
        raise NotText(name)


def _check_form_type() -> None:
    request = flask.request
    if "Transfer-Encoding" in request.headers:
        # a streamed body: Werkzeug cuts it at MAX_CONTENT_LENGTH without a word, which
        # could cut a value short; the page always sends the length
        abort(411, "send the form with a Content-Length (not Transfer-Encoding)")
    if request.mimetype != FORM_TYPE and (request.content_length or request.mimetype):
        abort(
            415, f"the front desk takes forms ({FORM_TYPE}), not {request.mimetype[:60] or 'this'}"
        )
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        abort(415, f"the front desk takes UTF-8 forms, not {charset[:20]}")


def install(app: Flask, csrf_token: str) -> None:
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_REQUEST_BYTES

    @app.before_request
    def _refuse_cross_site() -> None:
        _check_text(flask.request.query_string)
        if flask.request.method in ("GET", "HEAD", "OPTIONS"):
            if flask.request.method == "OPTIONS":
                abort(405)
            return
        site = flask.request.headers.get("Sec-Fetch-Site", "")
        if site and site not in ("same-origin", "none"):
            abort(403, "cross-site request refused")
        origin = flask.request.headers.get("Origin")
        if origin is not None and origin != flask.request.host_url.rstrip("/"):
            abort(403, "request from another origin refused")
        _check_form_type()
        # read (and kept for the form parser, limited to MAX_CONTENT_LENGTH) before parsing
        _check_text(flask.request.get_data(cache=True))
        given = flask.request.headers.get("X-CSRF-Token") or flask.request.form.get("csrf")
        if not same_token(given, csrf_token):
            abort(403, "missing or wrong CSRF token: reload the page")

    @app.errorhandler(NotText)
    def _not_text(exc: NotText) -> tuple[Response, int]:
        key = exc.name.removeprefix("field.") if exc.name.startswith("field.") else ""
        if key:
            message = "not UTF-8 text (the page sends UTF-8): type it again"
            problem = {"field": key, "message": message}
        else:
            what = f"'{exc.name}'" if exc.name else "a field name"
            problem = {"field": "", "message": f"bad request: {what} is not UTF-8 text"}
        return flask.jsonify(problems=[problem]), 400

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        # same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on a
        # same-origin POST, which the Origin check above would refuse
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        if not flask.request.path.startswith(CACHEABLE_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response
