"""Staff logins on a clinic network: every page needs a session (but the login page and
static files), the login form (rate-limited), logout. Off on loopback (no ``--tls-cert``)."""

from __future__ import annotations

import flask  # flask.request etc.: no context-local proxy among module globals
from flask import Blueprint, Response, abort, redirect, render_template, url_for
from werkzeug.wrappers import Response as BaseResponse

from .state import desk

accounts = Blueprint("accounts", __name__)
SESSION_COOKIE = "handouts_session"


@accounts.before_app_request
def _require_login() -> BaseResponse | None:
    d = desk()
    flask.g.staff = None
    if not d.settings.logins:
        return None
    flask.g.staff = d.sessions.touch(flask.request.cookies.get(SESSION_COOKIE))
    if flask.g.staff is not None or flask.request.endpoint in ("accounts.login", "static"):
        return None
    if flask.request.method == "GET" and flask.request.endpoint == "desk.index":
        return redirect(url_for("accounts.login"))
    abort(401, "logged out after 15 minutes idle: log in again")


@accounts.route("/login", methods=["GET", "POST"])
def login() -> BaseResponse | str:
    d = desk()
    if not d.settings.logins:
        return redirect(url_for("desk.index"))
    message = ""
    status = 200
    if flask.request.method == "POST":
        name = flask.request.form.get("name", "").strip()
        password = flask.request.form.get("password", "")
        keys = (f"name:{name.casefold()}", f"addr:{flask.request.remote_addr}")
        wait = d.limiter.wait_seconds(*keys)
        if wait:
            message = f"Too many failed logins. Try again in {max(1, wait // 60)} minute(s)."
            status = 429
        elif d.staff.verify(name, password):
            d.limiter.succeeded(*keys)
            response = redirect(url_for("desk.index"))
            response.set_cookie(
                SESSION_COOKIE,
                d.sessions.start(name),
                secure=True,
                httponly=True,
                samesite="Strict",
                path="/",
            )
            return response
        else:
            d.limiter.failed(*keys)
            message = "Wrong name or password."
            status = 401
    page = render_template("login.html", message=message, csrf=d.csrf_token, brand=d.brand_info())
    return Response(page, status=status)


@accounts.post("/logout")
def logout() -> BaseResponse:
    d = desk()
    d.sessions.end(flask.request.cookies.get(SESSION_COOKIE))
    response = redirect(url_for("accounts.login"))
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="Strict")
    return response
