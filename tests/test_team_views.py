"""What a team result offers besides itself (bot/service/teamviews.py), through the service on
an in-memory store: Export decision record, Compare top 3 and what-if over the team's answers,
"Ask my team" from a private result; and each adapter closing only its own platform's
decisions at their deadline."""
from __future__ import annotations

import time

from bot import engine
from bot.engine.replies import CompareReply, Recommendation, WhatIfReply
from bot.engine.whatif import offered
from bot.service.advisor import Advisor
from bot.store.base import Scope
from bot.store.memory import MemoryStore

CLICK = Scope("discord", "G1", "C1")


def advisor(knowledge) -> Advisor:  # noqa: ANN001
    return Advisor(lambda: knowledge, MemoryStore())


def with_members(a: Advisor, knowledge, scope: Scope = CLICK) -> str:  # noqa: ANN001
    team = a.start_team(scope, "U1", "an internal tool").team
    first = tuple((q.id, q.options[0].id) for q in knowledge.questions[:3])
    second = tuple((q.id, q.options[-1].id) for q in knowledge.questions[:3])
    assert a.record_answers(scope, team.id, "U1", first, "s1:1", "ann").ok
    assert a.record_answers(scope, team.id, "U2", second, "s2:1", "ben").ok
    return team.id


def test_export_compare_and_whatif_over_the_team_answers(knowledge) -> None:
    a = advisor(knowledge)
    team_id = with_members(a, knowledge)
    result = a.team_status(CLICK, team_id).result
    exported = a.team_export(CLICK, team_id)
    assert exported.ok and exported.record is not None
    assert exported.record.framework == result.recommendation.framework
    assert "ann" in exported.record.markdown and "ben" in exported.record.markdown
    compared = a.team_matrix(CLICK, team_id)
    assert compared.ok and isinstance(compared.reply, CompareReply)
    change = offered(result.recommendation, 1)[0]
    whatif = a.team_whatif(CLICK, team_id, change.question, change.option)
    assert whatif.ok and isinstance(whatif.reply, WhatIfReply)
    assert whatif.reply.before.framework == result.recommendation.framework  # the team's own pick
    assert whatif.reply.after.framework != result.recommendation.framework
    assert a.team_whatif(CLICK, team_id, change.question, "no-such-option").status == "invalid"
    for view in (a.team_export(CLICK, "nope"), a.team_matrix(Scope("discord", "G1", "C9"), team_id)):
        assert view.status == "expired"  # gone, or clicked from another channel


def test_ask_my_team_takes_the_result_answers(knowledge) -> None:
    a = advisor(knowledge)
    me = Scope("discord", "G1", "C1", "", "U1")
    outcome = a.start(me, "U1", "")
    assert a.ask_team(me, "U1", outcome.ref()).status == "invalid"  # no result yet
    q = outcome.reply.question_id
    outcome = a.act(me, "U1", engine.Answer(q, knowledge.question(q).options[-1].id), outcome.ref())
    if not isinstance(outcome.reply, Recommendation):
        outcome = a.act(me, "U1", engine.Decide(), outcome.ref())
    assert isinstance(outcome.reply, Recommendation)
    asked = a.ask_team(me, "U1", outcome.ref(), "ann")
    assert asked.ok and [m.user for m in asked.team.members] == ["U1"]
    assert dict(asked.team.members[0].answers) == dict(outcome.state.answers)
    assert a.ask_team(me, "U2", outcome.ref()).status in ("expired", "invalid")  # not theirs


def test_each_platform_closes_only_its_own_decisions(knowledge) -> None:
    a = advisor(knowledge)
    slack = Scope("slack", "T1", "C1")
    ids = {p: a.start_team(s, "U1", deadline=60).team.id for p, s in (("discord", CLICK), ("slack", slack))}
    for p, s in (("discord", CLICK), ("slack", slack)):
        assert a.record_answers(s, ids[p], "U1", (), f"{p}:1").ok
    later = time.time() + 120
    closed = a.close_due_teams(later, platform="discord")
    assert [o.team.id for o in closed] == [ids["discord"]]
    assert a.team_status(slack, ids["slack"]).team.open
    assert [o.team.id for o in a.close_due_teams(later, platform="slack")] == [ids["slack"]]
