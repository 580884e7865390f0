"""The front desk's state: its :class:`Settings` and the :class:`FrontDesk` every view
shares (one per app, found with :func:`desk`). The app (:mod:`.app`) makes it; the views
(:mod:`.views`, :mod:`.login`) read it, so neither imports the other."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import flask  # flask.request etc.: no context-local proxy among module globals

from ..errors import HandoutError
from ..project import BrandSource, Project
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


class BrandInfo(NamedTuple):
    """What the banner says of the brand: its name, whether it is a sample, its file (as the
    clinic finds it, ``layouts/brands/palomar.yaml``), and whether that file (or a logo it
    names) was changed on disk after the front desk read it."""

    name: str
    sample: bool
    file: str
    changed: bool


@dataclass
class FrontDesk:
    """Everything the views share; one per app.

    The brand (and each layout) is read once, when the app is made: the banner and every
    PDF show the same clinic details for as long as the server runs, and an edit to the
    brand file is used only after a restart (the banner says when the file has changed).
    Handouts are read again when a file in ``handouts/`` changes (:meth:`refresh`)."""

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
    #: the brand as read at start, and its files' sizes and times then
    brand: BrandSource | None = None
    brand_seen: tuple[tuple[str, int, int], ...] = ()

    def __post_init__(self) -> None:
        if self.brand is None:
            self.brand = self.project.brand_source(self.settings.brand)
            self.brand_seen = brand_files_signature(self.brand)
            for name in self.project.layout_names():
                try:
                    self.project.load_layout(name)
                except HandoutError:
                    continue  # a broken layout is refused when a handout asks for it

    def brand_info(self) -> BrandInfo:
        """The brand the PDFs are made with (for the banner)."""
        assert self.brand is not None
        path = self.brand.path
        try:
            shown = path.relative_to(self.project.root).as_posix()
        except ValueError:
            shown = path.name
        changed = brand_files_signature(self.brand) != self.brand_seen
        return BrandInfo(self.brand.brand.name, self.brand.brand.sample, shown, changed)

    def refresh(self) -> None:
        """Read the catalog again when a file in ``handouts/`` was added, changed or removed
        (the content owner edits while the front desk runs), and forget the thumbnails."""
        now = handout_files_signature(self.project)
        if now == self.seen:
            return
        with self.thumbs_lock:
            if now != self.seen:
                self.project = self.project.reread_handouts()  # the same brand and layouts
                self.catalog = load_catalog(self.project)
                self.thumbs.clear()
                self.seen = now


def handout_files_signature(project: Project) -> tuple[tuple[str, int, int], ...]:
    return _signature(project.handout_files())


def brand_files_signature(source: BrandSource) -> tuple[tuple[str, int, int], ...]:
    """The brand file's and its logos' names, sizes and times."""
    brand, folder = source.brand, source.path.parent
    logos = [folder / name for name in (brand.logo, brand.logo_on_band) if name]
    return _signature([source.path, *logos])


def _signature(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    out = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((path.name, st.st_size, st.st_mtime_ns))
    return tuple(out)


def desk() -> FrontDesk:
    found: FrontDesk = flask.current_app.extensions["handouts"]
    return found
