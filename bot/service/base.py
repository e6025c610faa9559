"""The Advisor's shared footing: the store, the knowledge, and the checks every entry point makes.

The step path, sharing and the read-only views (sibling modules) build on it.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable

from bot import engine
from bot.engine.model import Knowledge
from bot.engine.replies import Recommendation
from bot.observe import Observer
from bot.service.outcome import MESSAGES, REPLAY_WINDOW, Outcome, Ref
from bot.store.base import Scope, Session, SessionStore
from bot.store.codec import CodecError

# The package's name, not this module's: the log lines read as they did before the split.
log = logging.getLogger("bot.service")


class AdvisorBase:
    """What every part of the Advisor needs: the store, the knowledge, the clock, and the
    checks that turn a missing, foreign or outdated session into an Outcome."""

    def __init__(
        self,
        knowledge: Callable[[], Knowledge],
        store: SessionStore,
        observer: Observer | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._knowledge = knowledge  # a callable, so a reload swaps knowledge under us
        self.store = store
        self.observer = observer or Observer()
        self._clock = clock

    @property
    def knowledge(self) -> Knowledge:
        return self._knowledge()

    def _load(self, key: str) -> Session | None:
        """The live session, treating one this release cannot read as expired: the user
        gets "start again" instead of an error, and the next start replaces it."""
        try:
            return self.store.load(key)
        except CodecError:
            log.warning("unreadable session at %s: discarded", key)
            self.observer.error("codec")
            self.store.delete(key)
            return None

    def _check(self, current: Session | None, user: str, starting: bool, ref: Ref | None) -> Outcome | None:
        if starting:
            return None
        if current is None:
            return Outcome("expired", message=MESSAGES["expired"])
        if current.owner and user and current.owner != user:
            return Outcome("not_owner", message=MESSAGES["not_owner"])
        if ref is not None and ref.session != current.id:
            return Outcome("replaced", None, current.id, current.version, MESSAGES["replaced"])
        if ref is not None and ref.version != current.version:
            return Outcome("stale", None, current.id, current.version, MESSAGES["stale"])
        return None

    def current(self, scope: Scope, user: str, ref: Ref | None = None, session_only: bool = False) -> Outcome:
        """Show the pending reply again without changing anything (resume, share).
        `session_only`: check the session id but accept any version (the share button)."""
        current = self._load(scope.key())
        check_ref = ref
        if ref is not None and session_only and current is not None and ref.session == current.id:
            check_ref = None
        problem = self._check(current, user, False, check_ref)
        if problem is not None:
            return problem
        assert current is not None
        reply = engine.view(self.knowledge, current.state)
        return Outcome("ok", reply, current.id, current.version, resumed=True, state=current.state,
                       shared=confirmed_channel(current))

    def _member_finished(self, scope: Scope, session: Session, reply: Recommendation) -> str:
        """A team member's conversation reached a recommendation: record their answers and return
        a note for them ("" when recorded). bot/service/team.py implements it."""
        return ""

    def first_delivery(self, identity: str) -> bool:
        """False when a request with this identity (a platform's signature, say) was already
        seen within REPLAY_WINDOW: a replay, to be acknowledged and dropped. Shared by every
        replica on the same store."""
        if not identity:
            return True
        return self.store.claim("once:" + identity, REPLAY_WINDOW)


def confirmed_channel(session: Session) -> str:
    """Where the session's result is shared once its post is up ("" before, and during a claim)."""
    return "" if session.sharing_until else session.shared
