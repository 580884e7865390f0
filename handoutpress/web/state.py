"""The front desk's state: its :class:`Settings` and the :class:`FrontDesk` every view
shares (one per app, found with :func:`desk`). The app (:mod:`.app`) makes it; the views
(:mod:`.views`, :mod:`.login`) read it, so neither imports the other."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import flask  # flask.request etc.: no context-local proxy among module globals

from ..project import Project
from .catalog import Catalog, load_catalog
from .staff import LoginLimiter, Sessions, StaffStore
from .tally import Tally


@dataclass(frozen=True)
class Settings:
    project_root: Path | None = None
    brand: str | None = None
    host: str = "127.0.0.1"
    #: the folder for the tally and the staff logins (``handouts.data_dir()``)
    data_dir: Path = Path(".")
    #: staff must log in (TLS on a clinic network)
    logins: bool = False
    clock: Callable[[], float] = time.monotonic


@dataclass
class FrontDesk:
    """Everything the views share; one per app."""

    settings: Settings
    project: Project
    catalog: Catalog
    tally: Tally
    staff: StaffStore
    sessions: Sessions
    limiter: LoginLimiter
    csrf_token: str
    #: cover thumbnails (no personal data), by handout id
    thumbs: dict[str, bytes] = field(default_factory=dict)
    thumbs_lock: threading.Lock = field(default_factory=threading.Lock)
    #: the handout files' names, sizes and times when the catalog was read
    seen: tuple[tuple[str, int, int], ...] = ()

    def brand_info(self) -> tuple[str, bool, str]:
        """The brand's name, whether it is a sample, and its file name (for the banner)."""
        brand, path = self.project.load_brand(self.settings.brand)
        return brand.name, brand.sample, path.name

    def refresh(self) -> None:
        """Read the catalog again when a file in ``handouts/`` was added, changed or removed
        (the content owner edits while the front desk runs), and forget the thumbnails."""
        now = handout_files_signature(self.project)
        if now == self.seen:
            return
        with self.thumbs_lock:
            if now != self.seen:
                self.project = Project(self.settings.project_root)
                self.catalog = load_catalog(self.project)
                self.thumbs.clear()
                self.seen = now


def handout_files_signature(project: Project) -> tuple[tuple[str, int, int], ...]:
    out = []
    for path in project.handout_files():
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((path.name, st.st_size, st.st_mtime_ns))
    return tuple(out)


def desk() -> FrontDesk:
    found: FrontDesk = flask.current_app.extensions["handouts"]
    return found
