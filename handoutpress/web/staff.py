"""Staff logins for a clinic network: names and argon2 password hashes in a local SQLite
file, server-side sessions with an idle logout, and a limit on login attempts."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .security import new_token

NAME = re.compile(r"[^\W_][\w .'-]{0,39}")
MIN_PASSWORD = 8
#: Idle logout (issue 11, item 5).
SESSION_IDLE_SECONDS = 15 * 60
#: Login attempts: this many failures per name or per address in the window, then a wait.
MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 5 * 60

SCHEMA = "CREATE TABLE IF NOT EXISTS staff (name TEXT PRIMARY KEY, hash TEXT NOT NULL)"
_hasher = PasswordHasher()


class StaffError(ValueError):
    """A name or password that cannot be used (one line for the command line)."""


def check_name(name: str) -> str:
    name = name.strip()
    if not NAME.fullmatch(name):
        raise StaffError(
            "NAME: use 1-40 letters, digits, spaces, dots, apostrophes or hyphens, "
            "starting with a letter or digit"
        )
    return name


class StaffStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        con = sqlite3.connect(self.path, timeout=10)
        self.path.chmod(0o600)
        con.execute(SCHEMA)
        return con

    def names(self) -> list[str]:
        if not self.path.exists():
            return []
        con = self._connect()
        try:
            return [n for (n,) in con.execute("SELECT name FROM staff ORDER BY name")]
        finally:
            con.close()

    def add(self, name: str, password: str) -> None:
        name = check_name(name)
        if len(password) < MIN_PASSWORD:
            raise StaffError(f"password: use at least {MIN_PASSWORD} characters")
        con = self._connect()
        try:
            with con:
                con.execute(
                    "INSERT INTO staff VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET "
                    "hash = excluded.hash",
                    (name, _hasher.hash(password)),
                )
        finally:
            con.close()

    def remove(self, name: str) -> bool:
        con = self._connect()
        try:
            with con:
                return con.execute("DELETE FROM staff WHERE name = ?", (name,)).rowcount > 0
        finally:
            con.close()

    def verify(self, name: str, password: str) -> bool:
        if not self.path.exists():
            return False
        con = self._connect()
        try:
            row = con.execute("SELECT hash FROM staff WHERE name = ?", (name,)).fetchone()
        finally:
            con.close()
        if row is None:
            # the same work as a real check, so timing does not tell which names exist
            _hasher.hash(password)
            return False
        try:
            return _hasher.verify(row[0], password)
        except (VerificationError, InvalidHashError):
            return False


@dataclass
class Session:
    staff: str
    last_seen: float


@dataclass
class Sessions:
    """Session token -> staff name, in memory only (a restart logs everyone out)."""

    clock: Callable[[], float] = time.monotonic
    idle_seconds: float = SESSION_IDLE_SECONDS
    _by_token: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, staff: str) -> str:
        token = new_token()
        with self._lock:
            self._by_token[token] = Session(staff, self.clock())
        return token

    def touch(self, token: str | None) -> str | None:
        """The staff name of a live session (its idle time starts again), else None."""
        if not token:
            return None
        now = self.clock()
        with self._lock:
            for t, s in list(self._by_token.items()):
                if now - s.last_seen > self.idle_seconds:
                    del self._by_token[t]
            session = self._by_token.get(token)
            if session is None:
                return None
            session.last_seen = now
            return session.staff

    def end(self, token: str | None) -> None:
        with self._lock:
            self._by_token.pop(token or "", None)


@dataclass
class LoginLimiter:
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(key, []) if now - t < FAILURE_WINDOW_SECONDS]
        self._failures[key] = kept
        return kept

    def wait_seconds(self, *keys: str) -> int:
        """How long until another attempt is allowed (0: now)."""
        now = self.clock()
        with self._lock:
            waits = [
                FAILURE_WINDOW_SECONDS - (now - recent[0])
                for recent in (self._recent(k, now) for k in keys)
                if len(recent) >= MAX_FAILURES
            ]
        return int(max(waits, default=0)) + (1 if waits else 0)

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            for k in keys:
                self._recent(k, now).append(now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self._failures.pop(k, None)
