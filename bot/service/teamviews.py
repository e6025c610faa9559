"""A team result offers what any result does: Export decision record, Compare top 3 and
what-if, here over the team's answers; and a private result offers "Ask my team". The views
change nothing. Each takes the Scope of a click and the team id its button carries, like
bot/service/team.py, and answers with an Outcome ("expired" when the decision is gone or
belongs elsewhere, "invalid" when there is nothing to show).
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from bot import engine
from bot.engine.errors import EngineError
from bot.engine.recommend import state_for
from bot.engine.replies import Recommendation
from bot.engine.state import State
from bot.engine.teamresult import TeamResult
from bot.export import decision_record
from bot.service.outcome import MESSAGES, Outcome, Ref
from bot.service.team import TeamOutcome, Teams
from bot.store.base import Scope, TeamDecision


class TeamViews(Teams):
    def ask_team(self, scope: Scope, user: str, ref: Ref | None = None, name: str = "",
                 deadline: float | None = None) -> TeamOutcome:
        """"Ask my team" on the result `ref` of `user`'s conversation at `scope`: a team decision
        in that channel whose first member is `user`, with that conversation's answers."""
        current = self.current(scope, user, ref)
        if not current.ok:
            return TeamOutcome("expired" if current.status == "expired" else "invalid", message=current.message)
        if not isinstance(current.reply, Recommendation) or current.state is None:
            return TeamOutcome("invalid", message=MESSAGES["no_result"])
        return self.start_team(scope, user, "", deadline, current.state, name)

    def team_export(self, scope: Scope, team_id: str) -> Outcome:
        """The decision record (MADR): every member a decision maker, the drivers the team's
        answers with their counts, the splits open points."""
        found = self._team_result(scope, team_id)
        if isinstance(found, Outcome):
            return found
        team, result = found
        state = self._team_state(team, result)
        day = dt.datetime.fromtimestamp(self._clock(), dt.UTC).date()
        record = decision_record(self.knowledge, state, result.recommendation, list(result.members), day, team=result)
        return Outcome("ok", result.recommendation, state=state, record=record)

    def team_matrix(self, scope: Scope, team_id: str) -> Outcome:
        """"Compare top 3" of the team result, the team's answers highlighted."""
        found = self._team_result(scope, team_id)
        if isinstance(found, Outcome):
            return found
        try:
            reply = engine.compare_top(self.knowledge, found[1].recommendation, found[1].answers)
        except EngineError as exc:
            return Outcome("invalid", message=str(exc))
        return Outcome("ok", reply)

    def team_whatif(self, scope: Scope, team_id: str, question: str, option: str) -> Outcome:
        """The team result with the team's answer to `question` settled on `option`."""
        found = self._team_result(scope, team_id)
        if isinstance(found, Outcome):
            return found
        try:
            reply = engine.whatif(self.knowledge, self._team_state(*found), question, option)
        except EngineError as exc:
            self.observer.error(exc.code)
            return Outcome("invalid", message=str(exc))
        return Outcome("ok", reply)

    def _team_result(self, scope: Scope, team_id: str) -> tuple[TeamDecision, TeamResult] | Outcome:
        status = self.team_status(scope, team_id)
        if status.team is None or status.result is None:
            return Outcome("expired", message=status.message)
        if not status.team.members:
            return Outcome("invalid", message=MESSAGES["no_result"])
        return status.team, status.result

    def _team_state(self, team: TeamDecision, result: TeamResult) -> State:
        """The team's answers as a finished conversation; the description is context, it answers
        nothing for anyone (as `python -m bot team --format madr`)."""
        return dataclasses.replace(state_for(self.knowledge, result.answers), text=team.description)
