"""Team decisions (issue 16): several people answer privately, the team gets one recommendation.

Design note: the API the Slack and Discord adapters call
--------------------------------------------------------
Every operation is a method of `bot.service.advisor.Advisor`; none raises for a user's mistake.
Each returns a `TeamOutcome`:

    status   "ok" | "expired" | "closed" | "not_starter" | "nobody" | "invalid" | "busy"
    team     the TeamDecision after the operation (bot/store/team.py), or None: render the
             card from it (starter, description, members' names, status, deadline)
    result   the TeamResult (bot/engine/teamresult.py) for close_team, close_due_teams and
             team_status: pick/runner-up/reasons, counts, splits, split_changes, member_picks
    message  for every status but "ok": short, safe to show the clicking user privately
    conversation  join_team only: the member's conversation Outcome (its first question)
    changed  record_answers: True when the record changed (update the card, coalescing bursts)

A team decision is addressed by the Scope of a click (platform, workspace, channel; the user
is ignored) plus its id, which the card's buttons carry. An id from another workspace or
channel finds nothing ("expired").

    start_team(scope, starter, description="", deadline=None, first=None, starter_name="")
        Post the card after this. `scope`: where the card goes (thread "" unless in a thread).
        `deadline`: seconds from now (at most MAX_DEADLINE) after which it closes by itself.
        `first`: the State of the starter's finished conversation ("Ask my team"): its answers
        become the first member's. "ok" (team.id for the buttons) or "invalid" (deadline).
    set_team_card(scope, team_id, card)
        Remember the card message's reference (adapter-defined), to edit it after a restart.
    join_team(scope, team_id, user, name="")                     -- the Answer button
        Starts (or restarts) the member's private conversation at member_scope(team, user):
        an ordinary conversation offered every question. "closed"/"expired" refuse politely.
        Route the member's later clicks to advisor.act(member_scope(team, user), user, ...) as
        for any conversation. When it reaches a recommendation (all answered, or Decide now),
        act() records the member's answers itself: Outcome.team is the team id, and
        Outcome.team_note is "" when recorded, else why not (closed: where the result is).
    record_answers(scope, team_id, user, answers, source, name="", at=None)
        What act() calls; also for the CLI and tests. Applied once per `source` (replays and
        retries are no-ops); the last answers count; compare-and-set with retries, so any
        number of members on any number of replicas are all counted, none twice.
    close_team(scope, team_id, user)                             -- Close and decide
        The starter only ("not_starter" for others: a private note). "ok": closed now, post
        `result` in the channel, then call team_posted. "closed": already closed (message says
        where). "nobody": no answers yet, still open.
    team_posted(scope, team_id, where)
        Record where the result was posted (a channel id): later refusals point there.
    team_status(scope, team_id)
        The record and the result as it stands (interim while open), changing nothing.
    close_due_teams(now=None, limit=100, platform="") -> list[TeamOutcome]
        Close every open team decision past its deadline (of `platform` only, when given: each
        adapter posts its own). Each "ok" in the list is one this
        caller closed (exactly one replica wins each) and must post, then call team_posted.
        Run it periodically (say every 30 s); until then, a decision past its deadline
        refuses new answers as closed.

Errors: a store past its deadline raises bot.store.deadlines.StoreUnavailable, as every
Advisor call does (the adapters' error note). Only act()'s recording of a member's answers
catches it, so the member still sees their own result, with team_note saying it was not recorded.
Names: `name`/`starter_name` are display names (user text: escape them); without one a member
is shown by their user id. join_team keeps the name for when the member's answers are recorded.
"""
from __future__ import annotations

import logging
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot import engine
from bot.engine.replies import Recommendation
from bot.engine.state import State
from bot.engine.teamresult import TeamResult, team_result
from bot.engine.textmatch import description as clean_description
from bot.service.steps import Steps
from bot.service.outcome import Outcome
from bot.store.base import Answers, Member, Scope, Session, TeamDecision
from bot.store.codec import CodecError
from bot.store.deadlines import StoreUnavailable
from bot.store.team import team_key, team_prefix

log = logging.getLogger("bot.service")

TeamStatus = Literal["ok", "expired", "closed", "not_starter", "nobody", "invalid", "busy"]
KEEP = 7 * 86400.0  # a team decision is kept this long after its last change
MAX_DEADLINE = KEEP  # so an open decision never expires before its deadline
CAS_TRIES = 200  # compare-and-set attempts before "busy"; 50 members at once need far fewer
NAME_MAX = 80  # characters of a display name kept
THREAD_PREFIX = "team:"  # member conversations live in this pseudo-thread of the card's channel

TEAM_MESSAGES: dict[str, str] = {
    "expired": "This team decision has expired or does not belong here. Start a new one with /framework team.",
    "not_starter": "Only the person who started this team decision can close it.",
    "nobody": "Nobody has answered yet, so there is nothing to decide. Press Answer first.",
    "busy": "Too many answers at once: yours was not recorded. Please try again.",
    "unrecorded": "Your answers could not be added to the team decision just now (the store did not answer). "
                  "Press Answer on the team card to try again.",
    "deadline": f"A deadline must be between 1 minute and {int(MAX_DEADLINE // 86400)} days.",
}


def closed_message(team: TeamDecision) -> str:
    """A closed decision refusing: where its result is. Channel ids come from the platform, not users."""
    if team.result:
        return f"This team decision is closed. The team result is in <#{team.result}>."
    return f"This team decision is closed. The team result is being posted in <#{team.channel}>."


@dataclass(frozen=True)
class TeamOutcome:
    status: TeamStatus
    team: TeamDecision | None = None
    result: TeamResult | None = None
    message: str = ""
    conversation: Outcome | None = None
    changed: bool = False

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def member_scope(team: TeamDecision, user: str) -> Scope:
    """Where `user`'s conversation for this team decision lives (apart from their own /framework)."""
    return Scope(team.platform, team.workspace, team.channel, THREAD_PREFIX + team.id, user)


def member_answers(team: TeamDecision) -> dict[str, dict[str, str | None]]:
    """Display name (or id) -> answers, for the engine's team_result; names made unique."""
    out: dict[str, dict[str, str | None]] = {}
    for m in team.members:
        name = m.name or m.user
        if name in out:
            name = f"{name} ({m.user})"
        out[name] = dict(m.answers)
    return out


class Teams(Steps):
    """Team decisions build on the step path: a member's answers come from an ordinary conversation."""

    def start_team(self, scope: Scope, starter: str, description: str = "", deadline: float | None = None,
                   first: State | None = None, starter_name: str = "") -> TeamOutcome:
        if deadline is not None and not 60 <= deadline <= MAX_DEADLINE:
            return TeamOutcome("invalid", message=TEAM_MESSAGES["deadline"])
        now = self._clock()
        members: tuple[Member, ...] = ()
        if first is not None and first.answers:
            members = (Member(starter, _name(starter_name), first.answers, "start", now),)
        for _ in range(3):  # a fresh random id collides only by a miracle
            team = TeamDecision(
                id=secrets.token_urlsafe(9), version=1, platform=scope.platform, workspace=scope.workspace,
                channel=scope.channel, thread=scope.thread, starter=starter,
                description=clean_description(description), members=members,
                deadline=now + deadline if deadline else 0.0, created=now, updated=now, expires=now + KEEP,
                starter_name=_name(starter_name))
            if self.store.save_team(self._team_key(scope, team.id), team, None):
                return TeamOutcome("ok", team, changed=True)
        return TeamOutcome("busy", message=TEAM_MESSAGES["busy"])

    def set_team_card(self, scope: Scope, team_id: str, card: str) -> TeamOutcome:
        return self._update(scope, team_id, lambda team: team._replace(card=card))

    def team_posted(self, scope: Scope, team_id: str, where: str) -> TeamOutcome:
        return self._update(scope, team_id, lambda team: team._replace(result=where))

    def join_team(self, scope: Scope, team_id: str, user: str, name: str = "") -> TeamOutcome:
        team, problem = self._open_team(scope, team_id)
        if problem is not None:
            return problem
        assert team is not None
        if name and team.name_of(user) != _name(name):
            given = (user, _name(name))
            named = self._update(scope, team_id, lambda t: t._replace(
                names=(*((u, n) for u, n in t.names if u != user), given)))
            team = named.team or team
        conversation = self.act(member_scope(team, user), user, engine.Start(every=True), team=team.id)
        return TeamOutcome("ok" if conversation.ok else "invalid", team, conversation=conversation,
                           message=conversation.message)

    def record_answers(self, scope: Scope, team_id: str, user: str, answers: Answers, source: str,
                       name: str = "", at: float | None = None) -> TeamOutcome:
        given = self._clock() if at is None else at
        for attempt in range(CAS_TRIES):
            team, problem = self._open_team(scope, team_id)
            if problem is not None:
                return problem
            assert team is not None
            old = team.member(user)
            if old is not None and (old.source == source or old.updated > given):
                return TeamOutcome("ok", team)  # a replay, or older than what counts already
            shown = _name(name) or (old.name if old else "") or team.name_of(user)
            member = Member(user, shown, tuple(answers), source, given)
            members = tuple(member if m.user == user else m for m in team.members) if old else (*team.members, member)
            now = self._clock()
            new = team._replace(version=team.version + 1, members=members, updated=now, expires=now + KEEP)
            if self.store.save_team(self._team_key(scope, team_id), new, team.version):
                return TeamOutcome("ok", new, changed=True)
            _backoff(attempt)  # another member's answers landed first: read again
        self.observer.error("busy")
        return TeamOutcome("busy", message=TEAM_MESSAGES["busy"])

    def close_team(self, scope: Scope, team_id: str, user: str) -> TeamOutcome:
        for attempt in range(CAS_TRIES):
            team = self._load_team(scope, team_id)
            if team is None:
                return TeamOutcome("expired", message=TEAM_MESSAGES["expired"])
            if not team.open:
                return TeamOutcome("closed", team, message=closed_message(team))
            if user != team.starter:
                return TeamOutcome("not_starter", team, message=TEAM_MESSAGES["not_starter"])
            if not team.members:
                return TeamOutcome("nobody", team, message=TEAM_MESSAGES["nobody"])
            closed = self._closed(team, user)
            if self.store.save_team(self._team_key(scope, team_id), closed, team.version):
                return TeamOutcome("ok", closed, self._result(closed), changed=True)
            _backoff(attempt)
        return TeamOutcome("busy", message=TEAM_MESSAGES["busy"])

    def team_status(self, scope: Scope, team_id: str) -> TeamOutcome:
        team = self._load_team(scope, team_id)
        if team is None:
            return TeamOutcome("expired", message=TEAM_MESSAGES["expired"])
        return TeamOutcome("ok", team, self._result(team))

    def close_due_teams(self, now: float | None = None, limit: int = 100, platform: str = "") -> list[TeamOutcome]:
        when = self._clock() if now is None else now
        closed = []
        # each adapter closes (and posts) only its own platform's; another's backlog never hides them
        for key in self.store.due_teams(when, limit, team_prefix(platform) if platform else ""):
            team = self._load_key(key)
            if team is None or not team.open or not 0 < team.deadline <= when:
                continue
            new = self._closed(team, "")
            if self.store.save_team(key, new, team.version):  # of several replicas, one wins
                closed.append(TeamOutcome("ok", new, self._result(new), changed=True))
        return closed

    # -- the member's conversation (called from Steps.act) ----------------------------------

    def _member_finished(self, scope: Scope, session: Session, reply: Recommendation) -> str:
        """Record a member's answers when their conversation reaches a recommendation; the note
        for them ("" when recorded)."""
        team_scope = Scope(scope.platform, scope.workspace, scope.channel)
        try:
            done = self.record_answers(team_scope, session.team, session.owner or scope.user, session.state.answers,
                                       f"{session.id}:{session.version}", at=session.updated)
        except StoreUnavailable as exc:  # their step is saved: say so rather than fail the whole click
            log.warning("team %s: answers not recorded: %s", session.team, exc)
            return TEAM_MESSAGES["unrecorded"]
        return "" if done.ok else done.message

    # -- helpers -------------------------------------------------------------------------------

    def _team_key(self, scope: Scope, team_id: str) -> str:
        return team_key(scope.platform, scope.workspace, team_id)

    def _load_key(self, key: str) -> TeamDecision | None:
        try:
            return self.store.load_team(key)
        except CodecError:
            log.warning("unreadable team decision at %s: treated as expired", key)
            self.observer.error("codec")
            return None

    def _load_team(self, scope: Scope, team_id: str) -> TeamDecision | None:
        team = self._load_key(self._team_key(scope, team_id))
        if team is None or (scope.channel and scope.channel != team.channel):
            return None  # a click from another channel finds nothing, like an id from elsewhere
        return team

    def _open_team(self, scope: Scope, team_id: str) -> tuple[TeamDecision | None, TeamOutcome | None]:
        team = self._load_team(scope, team_id)
        if team is None:
            return None, TeamOutcome("expired", message=TEAM_MESSAGES["expired"])
        if not team.open or (team.deadline and team.deadline <= self._clock()):
            return team, TeamOutcome("closed", team, message=closed_message(team))
        return team, None

    def _update(self, scope: Scope, team_id: str, change: Callable[[TeamDecision], TeamDecision]) -> TeamOutcome:
        for attempt in range(CAS_TRIES):
            team = self._load_team(scope, team_id)
            if team is None:
                return TeamOutcome("expired", message=TEAM_MESSAGES["expired"])
            new = change(team)._replace(version=team.version + 1, updated=self._clock())
            if self.store.save_team(self._team_key(scope, team_id), new, team.version):
                return TeamOutcome("ok", new, changed=True)
            _backoff(attempt)
        return TeamOutcome("busy", message=TEAM_MESSAGES["busy"])

    def _closed(self, team: TeamDecision, by: str) -> TeamDecision:
        now = self._clock()
        return team._replace(version=team.version + 1, status="closed", closed_at=now, closed_by=by, updated=now,
                             expires=now + KEEP)

    def _result(self, team: TeamDecision) -> TeamResult:
        return team_result(self.knowledge, member_answers(team))


def _name(name: str) -> str:
    return " ".join(name[:NAME_MAX].split())


def _backoff(attempt: int) -> None:
    """A jittered pause before trying again, growing with the attempts: contenders spread out."""
    time.sleep(random.uniform(0, min(0.05, 0.0005 * 2 ** min(attempt, 10))))
