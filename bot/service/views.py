"""Read-only views of a conversation: what-if, compare top 3, export, and the recent list.
None of them writes the session, so every button's version stays valid."""
from __future__ import annotations

import datetime as dt

from bot import engine
from bot.engine.errors import EngineError
from bot.engine.replies import Recommendation
from bot.export import decision_record
from bot.service.base import AdvisorBase
from bot.service.outcome import MESSAGES, Outcome, Recent, Ref
from bot.store.base import Scope


class Views(AdvisorBase):
    def whatif(self, scope: Scope, user: str, question: str, option: str, ref: Ref | None = None) -> Outcome:
        """The result with one answer changed, next to the real one. Read-only: the
        session (and so every button's version) stays exactly as it was."""
        outcome = self.current(scope, user, ref)
        if not outcome.ok:
            return outcome
        assert outcome.state is not None
        try:
            reply = engine.whatif(self.knowledge, outcome.state, question, option)
        except EngineError as exc:
            self.observer.error(exc.code)
            return Outcome("invalid", None, outcome.session, outcome.version, str(exc))
        return Outcome("ok", reply, outcome.session, outcome.version, state=outcome.state)

    def matrix(self, scope: Scope, user: str, ref: Ref | None = None) -> Outcome:
        """"Compare top 3": the result's top three side by side, the user's answers highlighted."""
        outcome = self.current(scope, user, ref, session_only=True)
        if not outcome.ok:
            return outcome
        if not isinstance(outcome.reply, Recommendation) or outcome.state is None:
            return Outcome("invalid", None, outcome.session, outcome.version, MESSAGES["no_result"])
        try:
            reply = engine.compare_top(self.knowledge, outcome.reply, outcome.state.answer_map())
        except EngineError as exc:
            return Outcome("invalid", None, outcome.session, outcome.version, str(exc))
        return Outcome("ok", reply, outcome.session, outcome.version, state=outcome.state)

    def export(self, scope: Scope, user: str, decision_makers: list[str], ref: Ref | None = None) -> Outcome:
        """The conversation's result as a MADR decision record (any version of the session
        whose result is shown: exporting changes nothing)."""
        outcome = self.current(scope, user, ref, session_only=True)
        if not outcome.ok:
            return outcome
        if not isinstance(outcome.reply, Recommendation) or outcome.state is None:
            return Outcome("invalid", None, outcome.session, outcome.version, MESSAGES["no_result"])
        day = dt.datetime.fromtimestamp(self._clock(), dt.UTC).date()
        record = decision_record(self.knowledge, outcome.state, outcome.reply, decision_makers, day)
        return Outcome("ok", outcome.reply, outcome.session, outcome.version, state=outcome.state, record=record)

    def recent(self, platform: str, workspace: str, user: str, limit: int = 10) -> list[Recent]:
        """The user's live conversations in one workspace, newest first, each with the reply it
        stands at (through the per-owner index: nobody else's sessions are read)."""
        prefix = Scope(platform, workspace).workspace_prefix()
        out: list[Recent] = []
        for key, session in self.store.owned(user, prefix, limit):
            scope = Scope.from_key(key)
            if scope is None:
                continue
            reply = engine.view(self.knowledge, session.state)
            out.append(Recent(scope, Ref(session.id, session.version), session.updated, reply))
        return out
