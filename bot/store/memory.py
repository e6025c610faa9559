"""In-memory store for tests and the one-off console. Goes through the codec like the others,
so a state that would not survive SQLite or Redis fails here too."""
from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable

from . import codec
from . import team as team_codec
from .base import OWNED_MAX, Session, TeamDecision


class MemoryStore:
    def __init__(self, ttl: float = 86400.0, clock: Callable[[], float] = time.time) -> None:
        self.ttl = ttl
        self._clock = clock
        self._data: dict[str, tuple[float, str]] = {}  # key -> (expires at, encoded)
        self._versions: dict[str, int] = {}
        self._claims: dict[str, float] = {}  # key -> expires at
        self._owners: dict[str, set[str]] = {}  # owner -> keys of their sessions (the per-owner index)
        self._teams: dict[str, tuple[TeamDecision, str]] = {}  # key -> (record, encoded)
        self._lock = threading.Lock()

    def _live(self, key: str) -> str | None:
        item = self._data.get(key)
        if item is None or item[0] <= self._clock():
            return None
        return item[1]

    def load(self, key: str) -> Session | None:
        with self._lock:
            raw = self._live(key)
        return None if raw is None else codec.decode(raw)

    def save(self, key: str, session: Session, expected_version: int | None) -> bool:
        encoded = codec.encode(session)
        with self._lock:
            current = None if self._live(key) is None else self._versions.get(key)
            if current != expected_version:
                return False
            self._data[key] = (self._clock() + self.ttl, encoded)
            self._versions[key] = session.version
            if session.owner:
                self._owners.setdefault(session.owner, set()).add(key)
            return True

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)
            self._versions.pop(key, None)

    def owned(self, owner: str, prefix: str = "", limit: int = OWNED_MAX) -> list[tuple[str, Session]]:
        with self._lock:
            keys = self._owners.get(owner, set())
            dead = {k for k in keys if self._live(k) is None}
            keys -= dead  # expired, deleted or replaced: the index forgets them here
            raw = [(k, self._data[k][1]) for k in keys if k.startswith(prefix)]
        found = [(k, codec.decode(r)) for k, r in raw]
        found = [(k, s) for k, s in found if s.owner == owner]  # the key now holds someone else's
        return sorted(found, key=lambda ks: ks[1].updated, reverse=True)[:limit]

    def claim(self, key: str, ttl: float) -> bool:
        now = self._clock()
        with self._lock:
            if self._claims.get(key, 0.0) > now:
                return False
            if len(self._claims) > 10_000:  # keep it bounded without a sweeper
                self._claims = {k: exp for k, exp in self._claims.items() if exp > now}
            self._claims[key] = now + ttl
            return True

    def load_team(self, key: str) -> TeamDecision | None:
        with self._lock:
            item = self._teams.get(key)
            raw = item[1] if item is not None and item[0].expires > self._clock() else None
        return None if raw is None else team_codec.decode(raw)

    def save_team(self, key: str, team: TeamDecision, expected_version: int | None) -> bool:
        encoded = team_codec.encode(team)  # through the codec, like the other stores
        with self._lock:
            item = self._teams.get(key)
            current = item[0].version if item is not None and item[0].expires > self._clock() else None
            if current != expected_version:
                return False
            self._teams[key] = (team, encoded)
            return True

    def due_teams(self, now: float, limit: int = 100, prefix: str = "") -> list[str]:
        with self._lock:
            live = self._clock()
            due = [(t.deadline, k) for k, (t, _) in self._teams.items()
                   if t.open and 0 < t.deadline <= now and t.expires > live and k.startswith(prefix)]
        return [k for _, k in sorted(due)[:limit]]

    def purge_expired(self) -> int:
        now = self._clock()
        with self._lock:
            self._teams = {k: item for k, item in self._teams.items() if item[0].expires > now}
            dead = [k for k, (exp, _) in self._data.items() if exp <= now]
            for k in dead:
                del self._data[k]
                self._versions.pop(k, None)
        return len(dead)

    def stats(self) -> dict[str, object]:
        now = self._clock()
        with self._lock:
            items = list(self._data.values())
        live = [codec.decode(raw) for exp, raw in items if exp > now]
        return {
            "sessions": len(live),
            "asking": sum(1 for s in live if not s.state.done),
            "recommended": sum(1 for s in live if s.state.done),
            "by_framework": dict(Counter(s.recommended for s in live if s.recommended)),
            "expired": len(items) - len(live),
        }

    def ping(self) -> bool:
        return True

    def close(self) -> None:
        pass
