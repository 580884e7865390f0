"""The front desk: ``handouts serve``, a local web page over the engine (issue 11).

| module | one job |
|---|---|
| ``app`` | settings in, Flask app out |
| ``state`` | what the views share (the settings, the `FrontDesk`), read with `desk()` |
| ``views`` | the routes: parse, call the engine, answer |
| ``login`` | staff login, logout, the session every page needs on a clinic network |
| ``security`` | Host, CSRF, Origin, CSP and cache headers, request size |
| ``catalog`` | the handouts, their languages and layouts; search |
| ``rendering`` | the engine in-process: PDF bytes, a page as PNG, a visit as one PDF |
| ``printing`` | the printers CUPS offers and why Print is off |
| ``tally`` | the anonymous usage tally (SQLite) |
| ``staff`` | staff logins (argon2), sessions, login rate limit |
| ``server`` | the production WSGI server (cheroot, with TLS) and the start-up rules |
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def data_dir() -> Path:
    """Where the tally and the staff logins live: ``HANDOUTS_DATA_DIR``, else the user's
    data folder (``~/.local/share/handoutpress``; ``%LOCALAPPDATA%\\handoutpress``)."""
    given = os.environ.get("HANDOUTS_DATA_DIR", "").strip()
    if given:
        return Path(given)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "handoutpress"
    base = os.environ.get("XDG_DATA_HOME", "").strip() or str(Path.home() / ".local" / "share")
    return Path(base) / "handoutpress"
