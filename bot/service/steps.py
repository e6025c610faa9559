"""The conversation step path: one engine event applied to the stored session with compare-and-set."""
from __future__ import annotations

import time

from bot import engine
from bot.engine.errors import EngineError
from bot.engine.events import Event, Start
from bot.engine.replies import Recommendation, Reply
from bot.service.base import AdvisorBase
from bot.service.outcome import MESSAGES, Outcome, Ref, new_session_id
from bot.store.base import Scope, Session


class Steps(AdvisorBase):
    def start(self, scope: Scope, user: str, text: str = "") -> Outcome:
        """Begin a new conversation at `scope`, replacing any earlier one there."""
        return self.act(scope, user, Start(text))

    def act(self, scope: Scope, user: str, event: Event, ref: Ref | None = None, team: str = "") -> Outcome:
        """Apply one event. `team`, with a Start: the conversation answers for that team decision
        (use Advisor.join_team rather than passing it yourself)."""
        began = time.perf_counter()
        try:
            return self._act(scope, user, event, ref, team)
        finally:
            self.observer.step(time.perf_counter() - began)

    def _act(self, scope: Scope, user: str, event: Event, ref: Ref | None, team: str = "") -> Outcome:
        key = scope.key()
        for _ in range(3):  # only a Start can lose a race and retry
            current = self._load(key)
            problem = self._check(current, user, isinstance(event, Start), ref)
            if problem is not None:
                self.observer.error(problem.status)
                return problem
            state = None if isinstance(event, Start) else current.state  # type: ignore[union-attr]
            try:
                new_state, reply = engine.step(self.knowledge, state, event)
            except EngineError as exc:
                self.observer.error(exc.code)
                return Outcome("invalid", None, current.id if current else "", current.version if current else 0,
                               str(exc))
            now = self._clock()
            if isinstance(event, Start) or current is None:
                session = Session(new_session_id(), 1, user, new_state, now, now, team=team)
            else:
                session = Session(current.id, current.version + 1, current.owner, new_state, current.created, now,
                                  current.recommended, team=current.team)
            if isinstance(reply, Recommendation):
                session = session._replace(recommended=reply.framework)
            if self.store.save(key, session, current.version if current else None):
                self._observe(event, current, reply)
                note = self._member_finished(scope, session, reply) if session.team and isinstance(
                    reply, Recommendation) else ""
                return Outcome("ok", reply, session.id, session.version, state=new_state, team=session.team,
                               team_note=note)
            if not isinstance(event, Start):
                self.observer.error("stale")
                return Outcome("stale", None, message=MESSAGES["stale"])
        self.observer.error("stale")
        return Outcome("stale", None, message=MESSAGES["stale"])

    def _observe(self, event: Event, before: Session | None, reply: Reply) -> None:
        if isinstance(event, Start):
            self.observer.conversation_started()
        was_done = before is not None and before.state.done and not isinstance(event, Start)
        if isinstance(reply, Recommendation) and not was_done:
            self.observer.conversation_completed(reply.framework)

