"""The session-store port: a tiny key/value protocol with compare-and-set on a version."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import quote

from bot.engine.state import State


@dataclass(frozen=True)
class Scope:
    """Where a conversation lives. Two people in one channel, or one person in two
    workspaces, get different scopes. Thread conversations leave `user` empty and
    record the owner on the session instead."""

    platform: str
    workspace: str = ""
    channel: str = ""
    thread: str = ""
    user: str = ""

    def key(self) -> str:
        # Quoting keeps the parts unambiguous whatever ids a platform sends.
        parts = (self.platform, self.workspace, self.channel, self.thread, self.user)
        return "fa:" + ":".join(quote(p, safe="") for p in parts)


_NEW_STATE = object()  # the `state` default: a fresh State()


@dataclass(frozen=True)
class Session:
    id: str  # short random id carried by buttons
    version: int  # bumped by every applied step
    owner: str  # user who started the conversation
    state: State = field(default_factory=State)
    created: float = 0.0
    updated: float = 0.0
    recommended: str | None = None  # framework id of the latest recommendation, for stats

    # Written out instead of generated: a frozen dataclass's own __init__ goes through
    # object.__setattr__ once per field, about twice the cost, and every step builds a
    # Session or two. Same parameters and defaults (a test compares them with fields()).
    def __init__(self, id: str, version: int, owner: str, state: State = _NEW_STATE,  # type: ignore[assignment]
                 created: float = 0.0, updated: float = 0.0, recommended: str | None = None) -> None:
        d = self.__dict__
        d["id"] = id
        d["version"] = version
        d["owner"] = owner
        d["state"] = State() if state is _NEW_STATE else state
        d["created"] = created
        d["updated"] = updated
        d["recommended"] = recommended


class SessionStore(Protocol):
    """Implementations: memory, SQLite (default), Redis. All share bot.store.codec."""

    ttl: float  # seconds of inactivity before a session expires

    def load(self, key: str) -> Session | None:
        """The live session at `key`, or None if there is none or it has expired."""
        ...

    def save(self, key: str, session: Session, expected_version: int | None) -> bool:
        """Compare-and-set. `expected_version` None: only if no live session exists.
        Otherwise only if the stored live session has exactly that version.
        Returns False, changing nothing, when the condition fails."""
        ...

    def delete(self, key: str) -> None: ...

    def purge_expired(self) -> int:
        """Delete expired sessions; return how many."""
        ...

    def stats(self) -> dict[str, object]:
        """Counts for operators: {"sessions": n, "asking": n, "recommended": n,
        "by_framework": {"django": n, ...}, "expired": n}."""
        ...

    def ping(self) -> bool: ...

    def close(self) -> None: ...
