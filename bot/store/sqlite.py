"""SQLite session store, the default: one embedded file in WAL mode.

Safe for several threads (one connection per thread) and for several processes on one
file (SQLite's own locking plus a busy timeout). Every save is a single conditional write
statement, committed before `save` returns:

* expected version N:    UPDATE ... WHERE key=? AND version=N AND expires>now
* expected version None: INSERT ... ON CONFLICT(key) DO UPDATE ... WHERE expires<=now
  (creates the row, or replaces an expired one; a live row is left alone)

A write statement run in autocommit mode is its own transaction and takes SQLite's write
lock before it reads anything, exactly like ``BEGIN IMMEDIATE; <stmt>; COMMIT`` but without
two extra statements per step; the comparison and the write therefore cannot interleave with
another writer, in this process or another one. `rowcount` tells whether the condition held.

Deadlines (bot.store.deadlines): the busy timeout, how long a statement waits for another
writer's lock, is that of the call's kind (claim, step or admin), set on the thread's
connection only when the kind changes; a call that still finds the database locked raises
StoreUnavailable instead of waiting 10 s.
"""
from __future__ import annotations

import errno
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable

from . import codec
from . import team as team_codec
from .base import OWNED_MAX, Session, TeamDecision
from .cache import DecodeCache
from .deadlines import DEADLINES, Deadlines, StoreUnavailable

BUSY_TIMEOUT_MS = int(DEADLINES.admin * 1000)  # a new connection's, until a call sets its own
# Result codes (the low byte of an extended one) that mean the store is unavailable, not that the
# bot has a bug: BUSY and LOCKED (the busy timeout ran out), READONLY, IOERR, FULL, CANTOPEN.
_UNAVAILABLE = {5: "locked", 6: "locked", 8: "refused", 10: "refused", 13: "refused", 14: "refused"}
_PROBE_BLOCK = b"\0" * 4096

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
CREATE INDEX IF NOT EXISTS sessions_owner ON sessions (owner, key);
CREATE TABLE IF NOT EXISTS claims (
    key     TEXT PRIMARY KEY,
    expires REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS claims_expires ON claims (expires);
CREATE TABLE IF NOT EXISTS teams (
    key     TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    due     REAL NOT NULL,  -- the deadline while open, 0 otherwise (the due_teams index)
    expires REAL NOT NULL,
    data    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS teams_due ON teams (due) WHERE due > 0;
"""
CLAIM_SWEEP_EVERY = 500  # claim() calls between deletions of expired claims
# The readiness probe: one real (tiny) write, so a read-only or full volume reads as not ready.
# The row is born expired (purge_expired removes it); claim keys never start with ":".
_PROBE = ("INSERT INTO claims (key, expires) VALUES (':ready-probe', 0) "
          "ON CONFLICT (key) DO UPDATE SET expires = 0")
# One statement, so the check and the write cannot interleave with another writer (see above).
_CLAIM = ("INSERT INTO claims (key, expires) VALUES (?, ?) "
          "ON CONFLICT (key) DO UPDATE SET expires = excluded.expires WHERE claims.expires <= ?")

_LOAD = "SELECT data FROM sessions WHERE key = ? AND expires > ?"
# Team decisions: the same single-statement compare-and-set as sessions (see the module docstring).
_TEAM_LOAD = "SELECT data FROM teams WHERE key = ? AND expires > ?"
_TEAM_UPDATE = ("UPDATE teams SET version = ?, due = ?, expires = ?, data = ? "
                "WHERE key = ? AND version = ? AND expires > ?")
_TEAM_CREATE = ("INSERT INTO teams (key, version, due, expires, data) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET version = excluded.version, due = excluded.due, "
                "expires = excluded.expires, data = excluded.data WHERE teams.expires <= ?")
_TEAM_DUE = ("SELECT key FROM teams WHERE due > 0 AND due <= ? AND expires > ? AND key >= ? AND key < ? "
             "ORDER BY due LIMIT ?")
# Python's sqlite3 binds int, float and str directly but sends every other parameter, None
# included, through its adapter lookup first, which costs about a microsecond (it builds and
# discards an AttributeError). So `state_done` is bound as 0/1 and a missing `recommended` is
# written as a literal NULL by a second variant of each statement instead of bound as None.
_UPDATE_SQL = (
    "UPDATE sessions SET id = ?, version = ?, owner = ?, state_done = ?, recommended = {rec}, expires = ?, "
    "data = ? WHERE key = ? AND version = ? AND expires > ?"
)
_CREATE_SQL = (
    "INSERT INTO sessions (key, id, version, owner, state_done, recommended, expires, data) "
    "VALUES (?, ?, ?, ?, ?, {rec}, ?, ?) "
    "ON CONFLICT (key) DO UPDATE SET id = excluded.id, version = excluded.version, owner = excluded.owner, "
    "state_done = excluded.state_done, recommended = excluded.recommended, expires = excluded.expires, "
    "data = excluded.data "
    "WHERE sessions.expires <= ?"
)
_UPDATE, _UPDATE_NO_REC = _UPDATE_SQL.format(rec="?"), _UPDATE_SQL.format(rec="NULL")
_CREATE, _CREATE_NO_REC = _CREATE_SQL.format(rec="?"), _CREATE_SQL.format(rec="NULL")


class _Connection(sqlite3.Connection):
    """Only so connections can sit in a WeakSet (the C type takes no weak references)."""


# Bumped in the child after every os.fork(): a connection opened before the fork belongs to
# the parent and must not be used. Cheaper than calling os.getpid() on every statement.
_fork_generation = 0


def _after_fork_in_child() -> None:
    global _fork_generation
    _fork_generation += 1


os.register_at_fork(after_in_child=_after_fork_in_child)


class SqliteStore:
    """`clock` is for tests. Each thread gets its own connection (asyncio.to_thread workers
    are long-lived, so this is a small fixed set); a thread that ends takes its connection
    with it. Call close() once no other thread uses the store any more."""

    def __init__(self, path: str | os.PathLike[str], ttl: float = 86400.0,
                 clock: Callable[[], float] = time.time, deadlines: Deadlines = DEADLINES) -> None:
        self.path = os.fspath(path)
        self.ttl = ttl
        self._clock = clock
        self.deadlines = deadlines
        self._busy = {kind: int(getattr(deadlines, kind) * 1000) for kind in ("claim", "step", "admin")}
        self._local = threading.local()
        self._conns: weakref.WeakSet[_Connection] = weakref.WeakSet()
        self._conns_lock = threading.Lock()
        self._cache = DecodeCache()
        self._closed = False
        self._claims = 0  # claim() calls, for the periodic sweep of expired ones
        parent = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(parent, exist_ok=True)
        db = self._cursor("admin").connection
        # WAL needs a moment of exclusive access the first time; busy_timeout covers a
        # second process doing the same.
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(SCHEMA)
        self.check_writable()  # a read-only file or volume fails here, at start, not on the first click

    # -- connections -------------------------------------------------------------------

    def _connect(self) -> _Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                             check_same_thread=False, cached_statements=32, factory=_Connection)
        db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: committed, survives a process crash
        return db

    def _db(self, kind: str = "admin") -> sqlite3.Connection:
        """This thread's connection (a new one after a fork: connections never cross processes)."""
        return self._cursor(kind).connection

    def _cursor(self, kind: str = "step") -> sqlite3.Cursor:
        """A cursor on this thread's connection, kept for the thread's load and save calls
        (saves creating one per statement), its busy timeout that of `kind`. Each of those
        statements finishes before the call returns: a primary-key SELECT reaches its end on
        the first fetchone, an UPDATE or INSERT in autocommit mode commits, so no transaction
        stays open between calls."""
        local = self._local
        cursor: sqlite3.Cursor
        try:
            if local.generation == _fork_generation and not self._closed:
                cursor = local.cursor
            else:
                cursor = self._new_cursor()
        except AttributeError:  # this thread has no connection yet
            cursor = self._new_cursor()
        busy = self._busy[kind]
        if local.busy != busy:
            cursor.execute(f"PRAGMA busy_timeout={busy}")
            local.busy = busy
        return cursor

    def _new_cursor(self) -> sqlite3.Cursor:
        if self._closed:
            raise RuntimeError("SqliteStore is closed")
        db = self._connect()
        local = self._local
        # The cursor refers to the connection, not the other way round: when the thread
        # ends, both go at once (no reference cycle waiting for the garbage collector).
        cursor = db.cursor()
        local.cursor, local.generation, local.busy = cursor, _fork_generation, BUSY_TIMEOUT_MS
        with self._conns_lock:
            self._conns.add(db)
        return cursor

    def _locked(self, exc: sqlite3.OperationalError, kind: str) -> None:
        """Raises StoreUnavailable if `exc` says the database is locked (the busy timeout of
        `kind` ran out) or refuses to write (read-only, full, I/O error); the caller re-raises
        anything else. try/except rather than a context manager: free when nothing fails, and
        load and save are the hot path."""
        why = _UNAVAILABLE.get(getattr(exc, "sqlite_errorcode", 0) & 0xFF)
        if why is not None:
            raise StoreUnavailable(kind, getattr(self.deadlines, kind), f"SQLite {why}: {exc}") from exc

    # -- the protocol ------------------------------------------------------------------

    def load(self, key: str) -> Session | None:
        try:
            row = self._cursor().execute(_LOAD, (key, self._clock())).fetchone()
        except sqlite3.OperationalError as exc:
            self._locked(exc, "step")
            raise
        if row is None:
            return None
        raw = row[0]
        session = self._cache.get(key, raw)
        if session is not None:
            return session
        session = codec.decode(raw)
        self._cache.put(key, raw, session)
        return session

    def save(self, key: str, session: Session, expected_version: int | None) -> bool:
        data = codec.encode(session)
        now = self._clock()
        expires = now + self.ttl
        done = 1 if session.state.done else 0
        rec = session.recommended
        try:
            cur = self._cursor()
            if expected_version is None:
                if rec is None:
                    cur.execute(_CREATE_NO_REC, (key, session.id, session.version, session.owner, done,
                                                 expires, data, now))
                else:
                    cur.execute(_CREATE, (key, session.id, session.version, session.owner, done, rec,
                                          expires, data, now))
            elif rec is None:
                cur.execute(_UPDATE_NO_REC, (session.id, session.version, session.owner, done,
                                             expires, data, key, expected_version, now))
            else:
                cur.execute(_UPDATE, (session.id, session.version, session.owner, done, rec,
                                      expires, data, key, expected_version, now))
        except sqlite3.OperationalError as exc:
            self._locked(exc, "step")
            raise
        if cur.rowcount != 1:
            return False
        self._cache.put(key, data, session)
        return True

    def delete(self, key: str) -> None:
        self._cache.drop(key)
        try:
            self._cursor().execute("DELETE FROM sessions WHERE key = ?", (key,))
        except sqlite3.OperationalError as exc:
            self._locked(exc, "step")
            raise

    def owned(self, owner: str, prefix: str = "", limit: int = OWNED_MAX) -> list[tuple[str, Session]]:
        # The (owner, key) index answers both the owner and the key-prefix range.
        try:
            rows = self._cursor().execute(
                "SELECT key, data FROM sessions WHERE owner = ? AND key >= ? AND key < ? AND expires > ?",
                (owner, prefix, prefix + "\U0010ffff", self._clock())).fetchall()
        except sqlite3.OperationalError as exc:
            self._locked(exc, "step")
            raise
        found = [(key, codec.decode(data)) for key, data in rows]
        return sorted(found, key=lambda ks: ks[1].updated, reverse=True)[:limit]

    def claim(self, key: str, ttl: float) -> bool:
        now = self._clock()
        try:
            cursor = self._cursor("claim")
            won = cursor.execute(_CLAIM, (key, now + ttl, now)).rowcount == 1
            self._claims += 1
            if self._claims % CLAIM_SWEEP_EVERY == 0:  # claims are short-lived: keep the table small
                cursor.execute("DELETE FROM claims WHERE expires <= ?", (now,))
        except sqlite3.OperationalError as exc:
            self._locked(exc, "claim")
            raise
        return won

    def load_team(self, key: str) -> TeamDecision | None:
        try:
            row = self._cursor().execute(_TEAM_LOAD, (key, self._clock())).fetchone()
        except sqlite3.OperationalError as exc:
            self._locked(exc, "step")
            raise
        return None if row is None else team_codec.decode(row[0])

    def save_team(self, key: str, team: TeamDecision, expected_version: int | None) -> bool:
        data = team_codec.encode(team)
        due = team.deadline if team.open and team.deadline > 0 else 0.0
        try:
            cur = self._cursor()
            if expected_version is None:
                cur.execute(_TEAM_CREATE, (key, team.version, due, team.expires, data, self._clock()))
            else:
                cur.execute(_TEAM_UPDATE, (team.version, due, team.expires, data, key, expected_version,
                                           self._clock()))
        except sqlite3.OperationalError as exc:
            self._locked(exc, "step")
            raise
        return cur.rowcount == 1

    def due_teams(self, now: float, limit: int = 100, prefix: str = "") -> list[str]:
        """A periodic sweep that nobody waits on: the admin deadline."""
        try:
            rows = self._cursor("admin").execute(
                _TEAM_DUE, (now, self._clock(), prefix, prefix + "\U0010ffff", limit)).fetchall()
        except sqlite3.OperationalError as exc:
            self._locked(exc, "admin")
            raise
        return [k for (k,) in rows]

    def purge_expired(self) -> int:
        """Expired sessions (the count returned), expired team decisions and expired claims."""
        db = self._db()
        now = self._clock()
        try:
            db.execute("DELETE FROM claims WHERE expires <= ?", (now,))
            db.execute("DELETE FROM teams WHERE expires <= ?", (now,))
            return db.execute("DELETE FROM sessions WHERE expires <= ?", (now,)).rowcount
        except sqlite3.OperationalError as exc:
            self._locked(exc, "admin")
            raise

    def stats(self) -> dict[str, object]:
        now = self._clock()
        db = self._db()
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

    def check_writable(self) -> None:
        """Raises sqlite3.Error or OSError unless both a committed SQLite write and a fresh
        4 KB block next to the database can be written. The upsert catches a read-only file,
        volume or lock; the block catches a full disk, which SQLite alone can hide for a while
        (a checkpointed WAL is rewritten in place, needing no new space)."""
        self._cursor("admin").execute(_PROBE)
        probe = f"{self.path}.probe-{os.getpid()}-{threading.get_ident()}"
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            if os.write(fd, _PROBE_BLOCK) < len(_PROBE_BLOCK):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), probe)
        finally:
            os.close(fd)
            os.unlink(probe)

    def ping(self) -> bool:
        """Ready means able to write, not just to read: /readyz turns false on a full or
        read-only volume. A single-row upsert and a 4 KB file, well under a millisecond."""
        try:
            self.check_writable()
            return True
        except (sqlite3.Error, OSError, RuntimeError):
            return False

    def close(self) -> None:
        with self._conns_lock:
            self._closed = True
            conns = list(self._conns)
            self._conns.clear()
        self._cache.clear()
        for db in conns:
            try:
                db.close()
            except sqlite3.Error:
                pass

    def __repr__(self) -> str:
        return f"SqliteStore({self.path!r}, ttl={self.ttl})"
