"""The Flask application: settings in, app out. The views are in :mod:`.views` and
:mod:`.login`; what they share is in :mod:`.state`."""

from __future__ import annotations

import logging

from flask import Flask

from ..project import Project
from . import login, security, views
from .catalog import load_catalog
from .staff import LoginLimiter, Sessions, StaffStore
from .state import FrontDesk, Settings, handout_files_signature
from .tally import Tally

__all__ = ["FrontDesk", "Settings", "create_app"]

log = logging.getLogger(__name__)


def create_app(settings: Settings) -> Flask:
    project = Project(settings.project_root)
    app = Flask(__name__)
    app.config["TRUSTED_HOSTS"] = security.trusted_hosts(settings.host)
    app.config["SESSION_COOKIE_SECURE"] = settings.logins
    app.extensions["handouts"] = FrontDesk(
        settings=settings,
        project=project,
        catalog=load_catalog(project),
        tally=Tally(settings.data_dir / "usage.sqlite3"),
        staff=StaffStore(settings.data_dir / "staff.sqlite3"),
        sessions=Sessions(clock=settings.clock),
        limiter=LoginLimiter(clock=settings.clock),
        csrf_token=security.new_token(),
        seen=handout_files_signature(project),
    )
    security.install(app, app.extensions["handouts"].csrf_token)
    app.register_blueprint(login.accounts)
    app.register_blueprint(views.bp)
    return app
