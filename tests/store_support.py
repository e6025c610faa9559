"""Fixtures and helpers shared by the tests/test_store_*.py files (imported, not a conftest)."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from bot.engine.state import State
from bot.store.base import Session
from bot.store.memory import MemoryStore
from bot.store.sqlite import SqliteStore

try:
    from redis_server import redis_url, require_redis  # noqa: F401  (re-exported fixture)
except ImportError:  # tests/ became a package
    from tests.redis_server import redis_url, require_redis  # noqa: F401

KINDS = ["memory", "sqlite", "redis"]


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


def make_session(version: int = 1, *, id: str = "s1", owner: str = "alice", answers=(),
                 pending: str | None = "experience", recommended: str | None = None,
                 created: float = 1700000000.25, updated: float = 1700000001.5) -> Session:
    state = State(answers=tuple(answers), from_text=(), pending=pending)
    return Session(id, version, owner, state, created, updated, recommended)


def realistic_session(version: int = 1) -> Session:
    """About what a conversation five answers in looks like."""
    answers = (("experience", "none"), ("style", "api"), ("control", "some"), ("orm", "sqlalchemy"),
               ("performance", "high"))
    state = State(answers=answers, from_text=(("experience", "greenfield"),), pending="realtime")
    return Session("Xy3_k9Qa", version, "U024BE7LH", state, 1700000000.0, 1700000100.0, None)


class StoreMaker:
    """Builds stores of one kind; for memory and SQLite with a fake clock, for Redis with a
    real (short) TTL. `advance(dt)` moves time on accordingly."""

    def __init__(self, kind: str, tmp_path, redis_url: str | None) -> None:
        self.kind = kind
        self.tmp_path = tmp_path
        self.redis_url = redis_url
        self.clock = FakeClock()
        self.opened: list = []

    def __call__(self, ttl: float = 86400.0, **kw):
        if self.kind == "memory":
            store = MemoryStore(ttl=ttl, clock=self.clock)
        elif self.kind == "sqlite":
            store = SqliteStore(self.tmp_path / "db" / "sessions.db", ttl=ttl, clock=self.clock)
        else:
            from bot.store.redis import RedisStore

            store = RedisStore(self.redis_url, ttl=ttl, **kw)
        self.opened.append(store)
        return store

    def advance(self, seconds: float) -> None:
        if self.kind == "redis":
            import time

            time.sleep(seconds)
        else:
            self.clock.advance(seconds)

    def close(self) -> None:
        for s in self.opened:
            s.close()


@pytest.fixture(params=KINDS)
def make_store(request, tmp_path) -> Iterator[StoreMaker]:
    url = None
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
    maker = StoreMaker(request.param, tmp_path, url)
    yield maker
    maker.close()


@pytest.fixture
def store(make_store: StoreMaker):
    return make_store()


def store_url(kind: str, tmp_path, redis_url: str | None) -> str:
    """An ADVISOR_STORE URL that two processes can share."""
    if kind == "sqlite":
        return "sqlite:///" + str((tmp_path / "shared.db").resolve()).lstrip("/")
    if kind == "redis":
        assert redis_url
        return redis_url
    raise ValueError(kind)


def run_threads(n: int, target: Callable[[int], None]) -> None:
    errors: list[BaseException] = []

    def wrap(i: int) -> None:
        try:
            target(i)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=wrap, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    if errors:
        raise errors[0]
