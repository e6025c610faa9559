"""What the Slack team card adds to a team decision (bot/service/team.py, teamviews.py): the
deadline the starter picks on the card after it is up, a cheap look at the record for card
edits, and a member's conversation scope from a click.

Platform-neutral, like the rest of the service.

    set_team_deadline(scope, team_id, user, seconds)   the starter only; 0 removes the deadline
        -> TeamOutcome "ok" (team: the record) | "not_starter" | "closed" | "expired" | "invalid"
    team_record(scope, team_id) -> TeamOutcome        the record alone (no result computed): a card edit
    member_scope_at(where, team_id, user) -> Scope    a member's conversation, from a click's scope
"""
from __future__ import annotations

from bot.service.team import MAX_DEADLINE, TEAM_MESSAGES, THREAD_PREFIX, TeamOutcome
from bot.service.teamviews import TeamViews
from bot.store.base import Scope

NOT_STARTER_DEADLINE = "Only the person who started this team decision can set its deadline."


def member_scope_at(where: Scope, team_id: str, user: str) -> Scope:
    """A member's conversation for team decision `team_id`, from a click in the card's channel
    (`where`): the same scope as team.member_scope, without loading the record."""
    return Scope(where.platform, where.workspace, where.channel, THREAD_PREFIX + team_id, user)


class TeamCard(TeamViews):
    def set_team_deadline(self, scope: Scope, team_id: str, user: str, seconds: float) -> TeamOutcome:
        """Close by itself `seconds` from now (0: only the starter closes it). The starter only."""
        if seconds and not 60 <= seconds <= MAX_DEADLINE:
            return TeamOutcome("invalid", message=TEAM_MESSAGES["deadline"])
        team, problem = self._open_team(scope, team_id)
        if problem is not None:
            return problem
        assert team is not None
        if user != team.starter:
            return TeamOutcome("not_starter", team, message=NOT_STARTER_DEADLINE)
        when = self._clock() + seconds if seconds else 0.0
        return self._update(scope, team_id, lambda t: t._replace(deadline=when))

    def team_record(self, scope: Scope, team_id: str) -> TeamOutcome:
        team = self._load_team(scope, team_id)
        if team is None:
            return TeamOutcome("expired", message=TEAM_MESSAGES["expired"])
        return TeamOutcome("ok", team)
