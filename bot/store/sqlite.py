"""SQLite session store, the default: one embedded file in WAL mode.

Safe for several threads (a small pool of connections, one per concurrent caller) and for
several processes on one file (SQLite's own locking plus a busy timeout). Every save is a
single conditional write statement, committed before `save` returns:

* expected version N:    UPDATE ... WHERE key=? AND version=N AND expires>now
* expected version None: INSERT ... ON CONFLICT(key) DO UPDATE ... WHERE expires<=now
  (creates the row, or replaces an expired one; a live row is left alone)

A write statement run in autocommit mode is its own transaction and takes SQLite's write
lock before it reads anything, exactly like ``BEGIN IMMEDIATE; <stmt>; COMMIT`` but without
two extra statements per step; the comparison and the write therefore cannot interleave with
another writer, in this process or another one. `rowcount` tells whether the condition held.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from . import codec
from .base import Session

BUSY_TIMEOUT_MS = 10_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    key         TEXT PRIMARY KEY,
    id          TEXT NOT NULL,
    version     INTEGER NOT NULL,
    owner       TEXT NOT NULL,
    state_done  INTEGER NOT NULL,
    recommended TEXT,
    expires     REAL NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_expires ON sessions (expires);
"""

_LOAD = "SELECT data FROM sessions WHERE key = ? AND expires > ?"
_UPDATE = (
    "UPDATE sessions SET id = ?, version = ?, owner = ?, state_done = ?, recommended = ?, expires = ?, data = ? "
    "WHERE key = ? AND version = ? AND expires > ?"
)
_CREATE = (
    "INSERT INTO sessions (key, id, version, owner, state_done, recommended, expires, data) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (key) DO UPDATE SET id = excluded.id, version = excluded.version, owner = excluded.owner, "
    "state_done = excluded.state_done, recommended = excluded.recommended, expires = excluded.expires, "
    "data = excluded.data "
    "WHERE sessions.expires <= ?"
)


class SqliteStore:
    def __init__(self, path: str | os.PathLike[str], ttl: float = 86400.0,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = os.fspath(path)
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []  # pooled connections not in use right now
        self._closed = False
        parent = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(parent, exist_ok=True)
        with self._conn() as db:
            # WAL needs a moment of exclusive access the first time; busy_timeout covers a
            # second process doing the same.
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    # -- connections -------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                             check_same_thread=False, cached_statements=32)
        db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: committed, survives a process crash
        return db

    @contextmanager
    def _conn(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._closed:
                raise RuntimeError("SqliteStore is closed")
            db = self._idle.pop() if self._idle else None
        if db is None:
            db = self._connect()
        try:
            yield db
        finally:
            if db.in_transaction:  # only after an error inside an explicit transaction
                db.rollback()
            with self._lock:
                closed = self._closed
                if not closed:
                    self._idle.append(db)
            if closed:  # close() ran while this connection was busy
                db.close()

    # -- the protocol ------------------------------------------------------------------

    def load(self, key: str) -> Session | None:
        with self._conn() as db:
            row = db.execute(_LOAD, (key, self._clock())).fetchone()
        return None if row is None else codec.decode(row[0])

    def save(self, key: str, session: Session, expected_version: int | None) -> bool:
        data = codec.encode(session)
        now = self._clock()
        expires = now + self.ttl
        done = 1 if session.state.done else 0
        with self._conn() as db:
            if expected_version is None:
                cur = db.execute(_CREATE, (key, session.id, session.version, session.owner, done,
                                           session.recommended, expires, data, now))
            else:
                cur = db.execute(_UPDATE, (session.id, session.version, session.owner, done,
                                           session.recommended, expires, data, key, expected_version, now))
            return cur.rowcount == 1

    def delete(self, key: str) -> None:
        with self._conn() as db:
            db.execute("DELETE FROM sessions WHERE key = ?", (key,))

    def purge_expired(self) -> int:
        with self._conn() as db:
            return db.execute("DELETE FROM sessions WHERE expires <= ?", (self._clock(),)).rowcount

    def stats(self) -> dict[str, object]:
        now = self._clock()
        with self._conn() as db:
            db.execute("BEGIN")  # one consistent snapshot for all three queries
            try:
                live, done = db.execute(
                    "SELECT count(*), coalesce(sum(state_done), 0) FROM sessions WHERE expires > ?", (now,)
                ).fetchone()
                by_framework = dict(db.execute(
                    "SELECT recommended, count(*) FROM sessions WHERE expires > ? AND recommended IS NOT NULL "
                    "GROUP BY recommended ORDER BY recommended", (now,)
                ).fetchall())
                (expired,) = db.execute("SELECT count(*) FROM sessions WHERE expires <= ?", (now,)).fetchone()
            finally:
                db.execute("COMMIT")
        return {
            "sessions": live,
            "asking": live - done,
            "recommended": done,
            "by_framework": by_framework,
            "expired": expired,
        }

    def ping(self) -> bool:
        try:
            with self._conn() as db:
                db.execute("SELECT 1").fetchone()
            return True
        except (sqlite3.Error, RuntimeError):
            return False

    def close(self) -> None:
        """Close idle connections now; one busy in another thread closes when it is released."""
        with self._lock:
            self._closed = True
            conns, self._idle = self._idle, []
        for db in conns:
            try:
                db.close()
            except sqlite3.Error:
                pass

    def __repr__(self) -> str:
        return f"SqliteStore({self.path!r}, ttl={self.ttl})"
