"""The session-store port: a tiny key/value protocol with compare-and-set on a version."""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Protocol
from urllib.parse import quote, unquote

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

    def workspace_prefix(self) -> str:
        """What every key of this platform and workspace starts with (for SessionStore.owned)."""
        return f"fa:{quote(self.platform, safe='')}:{quote(self.workspace, safe='')}:"

    @classmethod
    def from_key(cls, key: str) -> Scope | None:
        """The scope a key() was made from, or None if it is not one."""
        parts = key.split(":")
        if len(parts) != 6 or parts[0] != "fa":
            return None
        return cls(*(unquote(p) for p in parts[1:]))




class Session(NamedTuple):
    """A NamedTuple rather than a frozen dataclass: just as immutable, and several times
    cheaper to build, which every step does once or twice."""

    id: str  # short random id carried by buttons
    version: int  # bumped by every applied step
    owner: str  # user who started the conversation
    state: State = State()  # immutable, so one shared default is safe
    created: float = 0.0
    updated: float = 0.0
    recommended: str | None = None  # framework id of the latest recommendation, for stats
    shared: str = ""  # where the current recommendation was shared (a channel id); "" until then
    # While a share's post is under way: until when its claim holds (unix time). 0 once the
    # post went out. An expired, unconfirmed claim is no share (the poster crashed).
    sharing_until: float = 0.0
    # A team member's conversation: the team decision it answers for (bot/service/team.py); "" otherwise.
    team: str = ""


# A team decision (issue 16; key and codec in bot/store/team.py, service in bot/service/team.py).
Answers = tuple[tuple[str, str | None], ...]  # (question id, option id or None for "not sure")


class Member(NamedTuple):
    user: str  # the platform's user id (or the name given on the command line)
    name: str  # a display name, "" if unknown; user text, so adapters escape it
    answers: Answers
    source: str  # what gave these answers, e.g. "<session id>:<version>": the same source twice is a replay
    updated: float  # unix time they were given; older answers never replace newer ones


class TeamDecision(NamedTuple):
    id: str
    version: int
    platform: str
    workspace: str
    channel: str
    thread: str  # "" unless the card lives in a thread
    starter: str
    description: str
    members: tuple[Member, ...] = ()  # in the order they first answered
    status: str = "open"  # "open" | "closed"
    deadline: float = 0.0  # unix time it closes by itself; 0: only the starter closes it
    card: str = ""  # the adapter's reference to the card message ("" until posted)
    created: float = 0.0
    updated: float = 0.0
    expires: float = 0.0  # unix time the store may forget it
    closed_at: float = 0.0
    closed_by: str = ""  # the starter's id, or "" when the deadline closed it
    result: str = ""  # where the team result was posted (an adapter's channel id), "" until then
    starter_name: str = ""  # a display name, "" if unknown; user text, so adapters escape it
    names: tuple[tuple[str, str], ...] = ()  # (user id, display name) given on Answer; user text

    @property
    def open(self) -> bool:
        return self.status == "open"

    def member(self, user: str) -> Member | None:
        return next((m for m in self.members if m.user == user), None)

    def name_of(self, user: str) -> str:
        """The display name `user` gave on Answer ("" if none)."""
        return next((n for u, n in self.names if u == user), "")


OWNED_MAX = 20  # sessions `owned` returns at most


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

    def owned(self, owner: str, prefix: str = "", limit: int = OWNED_MAX) -> list[tuple[str, Session]]:
        """The live sessions `owner` started whose keys start with `prefix` (say, one Slack
        workspace), most recently updated first, at most `limit`: a per-owner index, so this
        never scans other people's sessions (the Slack App Home)."""
        ...

    def claim(self, key: str, ttl: float) -> bool:
        """Set a short-lived marker at `key` (separate from sessions) unless a live one is there.
        True for exactly one caller while it lives, whichever process or replica asks: the
        replay check of signed requests. Markers expire by themselves after `ttl` seconds."""
        ...

    def load_team(self, key: str) -> TeamDecision | None:
        """The team decision at `key` (bot.store.team.team_key), or None if there is none or it expired."""
        ...

    def save_team(self, key: str, team: TeamDecision, expected_version: int | None) -> bool:
        """Compare-and-set on `team.version`, exactly as `save` does for sessions. The store keeps
        the record until `team.expires`, and indexes it by `team.deadline` while it is open."""
        ...

    def due_teams(self, now: float, limit: int = 100, prefix: str = "") -> list[str]:
        """Keys of open team decisions whose deadline (when they have one) is at or before `now`,
        earliest first, at most `limit`; only keys starting with `prefix` (bot.store.team.team_prefix:
        one platform's), so one adapter's backlog never hides another's."""
        ...

    def purge_expired(self) -> int:
        """Delete expired sessions; return how many."""
        ...

    def stats(self) -> dict[str, object]:
        """Counts for operators: {"sessions": n, "asking": n, "recommended": n,
        "by_framework": {"django": n, ...}, "expired": n}."""
        ...

    def ping(self) -> bool: ...

    def close(self) -> None: ...
