"""Team decisions through the application service (bot/service/team.py) on memory, SQLite and
real Redis: start, members answering through ordinary conversations, the last answers counting,
replays applied once, close by the starter only, refusals, deadlines, expiry, and 50 members
finishing at once on two replicas sharing one store."""
from __future__ import annotations

import random
import threading
import time

import pytest

from bot import engine
from bot.engine.replies import QuestionReply, Recommendation
from bot.engine.teamresult import team_result
from bot.service.advisor import Advisor
from bot.service.team import member_scope
from bot.service.team import KEEP, TEAM_MESSAGES
from bot.store.base import Scope
from store_support import make_store, redis_url, run_threads  # noqa: F401  (fixtures)

CARD = Scope("slack", "W1", "C1", "171.5")  # where the card is (a thread)
CLICK = Scope("slack", "W1", "C1")  # what a click on the card says


class Clock:
    """The store's clock for memory and SQLite; real time (plus an offset) for Redis, whose
    expiry runs on the server's clock."""

    def __init__(self, maker) -> None:  # noqa: ANN001
        self.maker, self.offset = maker, 0.0

    def __call__(self) -> float:
        base = time.time() if self.maker.kind == "redis" else self.maker.clock()
        return base + self.offset

    def advance(self, seconds: float) -> None:
        if self.maker.kind == "redis":
            self.offset += seconds
        else:
            self.maker.clock.advance(seconds)


@pytest.fixture
def replicas(make_store, knowledge):  # noqa: F811
    """Two advisors (two replicas) on one store: two connections to the same file or Redis."""
    import uuid

    clock = Clock(make_store)
    prefix = {"prefix": f"team-{uuid.uuid4().hex[:8]}:"} if make_store.kind == "redis" else {}
    first = make_store(**prefix)
    second = first if make_store.kind == "memory" else make_store(**prefix)
    return [Advisor(lambda: knowledge, s, clock=clock) for s in (first, second)], clock


def answer_all(advisor: Advisor, team, user: str, profile: dict[str, str]):  # noqa: ANN001
    """A member presses Answer and answers what they are asked from `profile` (skipping the rest)."""
    joined = advisor.join_team(CLICK, team.id, user)
    assert joined.ok, joined.message
    out = joined.conversation
    scope = member_scope(team, user)
    while isinstance(out.reply, QuestionReply):
        qid = out.reply.question_id
        event = engine.Answer(qid, profile[qid]) if qid in profile else engine.Skip()
        out = advisor.act(scope, user, event, out.ref())
        assert out.ok, out.message
    assert isinstance(out.reply, Recommendation) and out.team == team.id
    return out


def profile(knowledge, rng, unsure=0.1) -> dict[str, str]:
    return {q.id: rng.choice(q.options).id for q in knowledge.questions if rng.random() >= unsure}


def test_members_answer_every_question_and_the_last_answers_count(replicas, knowledge) -> None:
    (a, b), _ = replicas
    started = a.start_team(CARD, "U1", "our next app", starter_name="Ana")
    assert started.ok and started.team.members == () and started.team.open
    team = started.team
    ana = {q.id: q.options[0].id for q in knowledge.questions}
    done = answer_all(a, team, "U1", ana)
    assert done.team_note == ""
    assert done.state.answer_map() == ana  # every question was offered
    bo = {"experience": "none", "control": "minimal"}
    answer_all(b, team, "U2", bo)
    status = a.team_status(CLICK, team.id)
    assert [m.user for m in status.team.members] == ["U1", "U2"]
    assert status.result == team_result(knowledge, {"U1": ana, "U2": {q: o for q, o in
                                                                      status.team.members[1].answers}})
    # Bo answers again: the last answers count, and Bo is still one member
    bo2 = {**bo, "control": "batteries", "admin": "yes"}
    answer_all(a, team, "U2", bo2)
    members = a.team_status(CLICK, team.id).team.members
    assert [m.user for m in members] == ["U1", "U2"]
    assert {q: o for q, o in members[1].answers if o is not None} == bo2


def test_decide_now_and_back_in_a_member_conversation_record_what_was_given(replicas) -> None:
    (a, _), _ = replicas
    team = a.start_team(CARD, "U1").team
    out = a.join_team(CLICK, team.id, "U3").conversation
    scope = member_scope(team, "U3")
    out = a.act(scope, "U3", engine.Answer(out.reply.question_id, out.reply.options[0].id), out.ref())
    out = a.act(scope, "U3", engine.Decide(), out.ref())
    assert isinstance(out.reply, Recommendation) and out.team_note == ""
    recorded = a.team_status(CLICK, team.id).team.member("U3")
    assert len(recorded.answers) == 1
    # Back after the result, answer again: recorded again, replacing
    out = a.act(scope, "U3", engine.Back(), out.ref())
    out = a.act(scope, "U3", engine.Skip(), out.ref())
    assert isinstance(out.reply, QuestionReply)  # a member goes on to the next question
    out = a.act(scope, "U3", engine.Decide(), out.ref())
    assert out.ok and out.team_note == ""
    assert a.team_status(CLICK, team.id).team.member("U3").answers[0][1] is None


def test_replays_are_applied_once(replicas) -> None:
    (a, b), _ = replicas
    team = a.start_team(CARD, "U1").team
    first = a.record_answers(CLICK, team.id, "U2", (("control", "minimal"),), "s1:5", at=10.0)
    assert first.ok and first.changed
    for advisor in (a, b):  # the same delivery again, on either replica
        again = advisor.record_answers(CLICK, team.id, "U2", (("control", "minimal"),), "s1:5", at=10.0)
        assert again.ok and not again.changed and again.team.version == first.team.version
    older = b.record_answers(CLICK, team.id, "U2", (("control", "batteries"),), "s1:4", at=9.0)
    assert not older.changed  # a late delivery of earlier answers does not undo newer ones
    assert a.team_status(CLICK, team.id).team.member("U2").answers == (("control", "minimal"),)
    # a replayed click in the member's conversation is stale and records nothing more
    out = a.join_team(CLICK, team.id, "U4").conversation
    step = a.act(member_scope(team, "U4"), "U4", engine.Decide(), out.ref())
    version = a.team_status(CLICK, team.id).team.version
    replay = b.act(member_scope(team, "U4"), "U4", engine.Decide(), out.ref())
    assert step.ok and replay.status == "stale"
    assert a.team_status(CLICK, team.id).team.version == version


def test_close_is_for_the_starter_and_a_closed_decision_refuses_politely(replicas, knowledge) -> None:
    (a, b), _ = replicas
    team = a.start_team(CARD, "U1").team
    nobody = a.close_team(CLICK, team.id, "U1")
    assert nobody.status == "nobody" and nobody.message == TEAM_MESSAGES["nobody"]
    answer_all(a, team, "U2", {"experience": "django"})
    out = a.join_team(CLICK, team.id, "U3").conversation  # U3 is still answering when it closes
    refused = b.close_team(CLICK, team.id, "U2")
    assert refused.status == "not_starter" and refused.message == TEAM_MESSAGES["not_starter"]
    assert refused.team.open
    closed = b.close_team(CLICK, team.id, "U1")
    assert closed.ok and not closed.team.open and closed.team.closed_by == "U1"
    assert closed.result.recommendation.framework == "django"
    assert closed.result.members == ("U2",)
    again = a.close_team(CLICK, team.id, "U1")
    assert again.status == "closed" and "<#C1>" in again.message
    late = a.join_team(CLICK, team.id, "U5")
    assert late.status == "closed" and late.conversation is None
    # U3 finishes after the close: their conversation still gives them a result, and says why
    # their answers did not count
    finished = a.act(member_scope(team, "U3"), "U3", engine.Decide(), out.ref())
    assert finished.ok and "closed" in finished.team_note and "<#C1>" in finished.team_note
    assert a.team_status(CLICK, team.id).team.member("U3") is None
    assert a.team_posted(CLICK, team.id, "C9").ok
    assert "<#C9>" in a.record_answers(CLICK, team.id, "U6", (), "x").message


def test_unknown_foreign_and_expired_decisions_say_so(replicas) -> None:
    (a, _), clock = replicas
    team = a.start_team(CARD, "U1").team
    expired = TEAM_MESSAGES["expired"]
    assert a.join_team(CLICK, "nope", "U2").message == expired
    assert a.join_team(Scope("slack", "W2", "C1"), team.id, "U2").message == expired  # another workspace
    assert a.join_team(Scope("slack", "W1", "C2"), team.id, "U2").message == expired  # another channel
    assert a.close_team(CLICK, "nope", "U1").status == "expired"
    assert a.team_status(CLICK, "nope").status == "expired"
    assert a.join_team(CLICK, team.id, "U2").ok
    clock.advance(KEEP + 1)
    if a.store.__class__.__name__ == "RedisStore":
        return  # the server's own clock expires it, a week from now
    assert a.join_team(CLICK, team.id, "U2").status == "expired"


def test_a_deadline_closes_it_once_across_replicas(replicas) -> None:
    (a, b), clock = replicas
    assert a.start_team(CARD, "U1", deadline=10).status == "invalid"
    team = a.start_team(CARD, "U1", deadline=120).team
    a.record_answers(CLICK, team.id, "U2", (("experience", "flask"),), "s:1")
    assert a.close_due_teams() == [] and b.close_due_teams() == []
    clock.advance(121)
    late = a.join_team(CLICK, team.id, "U3")
    assert late.status == "closed"  # refused as closed before any sweep ran
    won: list = []
    run_threads(4, lambda i: won.extend((a, b)[i % 2].close_due_teams()))
    assert len(won) == 1 and won[0].team.closed_by == "" and won[0].result.recommendation.framework == "flask"
    assert a.close_due_teams() == []
    assert a.close_team(CLICK, team.id, "U1").status == "closed"


def test_ask_my_team_and_hostile_text(replicas, knowledge) -> None:
    (a, _), _ = replicas
    state, reply = engine.step(knowledge, None, engine.Start())
    state, reply = engine.step(knowledge, state, engine.Answer(reply.question_id, "fastapi"))
    hostile = "<!channel> @everyone <@U1> *x* " + "y" * 10_000
    started = a.start_team(CARD, "U1", hostile, first=state, starter_name=hostile)
    team = started.team
    assert len(team.description) <= 2_000 and team.description.startswith("<!channel>")  # kept, escaped by adapters
    assert len(team.starter_name) <= 80
    assert team.members[0].user == "U1" and team.members[0].answers == state.answers
    stored = a.team_status(CLICK, team.id)
    assert stored.team == team and stored.result.recommendation.framework == "fastapi"


@pytest.mark.parametrize("members", [50])
def test_fifty_members_finishing_at_once_on_two_replicas_are_all_counted_once(replicas, knowledge, members) -> None:
    (a, b), _ = replicas
    team = a.start_team(CARD, "U0").team
    rng = random.Random(50)
    profiles = {f"M{i}": profile(knowledge, rng) for i in range(members)}
    # Everyone answers all but the last question first, then all finish at the same moment.
    pending = {}
    for i, (user, p) in enumerate(profiles.items()):
        advisor = (a, b)[i % 2]
        out = advisor.join_team(CLICK, team.id, user).conversation
        scope = member_scope(team, user)
        for _ in range(len(knowledge.questions) - 1):
            qid = out.reply.question_id
            out = advisor.act(scope, user, engine.Answer(qid, p[qid]) if qid in p else engine.Skip(), out.ref())
        assert isinstance(out.reply, QuestionReply)
        pending[user] = out
    barrier = threading.Barrier(members)
    users = list(profiles)
    notes: dict[str, str] = {}

    def finish(i: int) -> None:
        user = users[i]
        out = pending[user]
        qid = out.reply.question_id
        event = engine.Answer(qid, profiles[user][qid]) if qid in profiles[user] else engine.Skip()
        barrier.wait()
        # each finishing click delivered twice, once to each replica (a Slack retry)
        done = (a, b)[i % 2].act(member_scope(team, user), user, event, out.ref())
        retry = (b, a)[i % 2].act(member_scope(team, user), user, event, out.ref())
        assert done.ok and isinstance(done.reply, Recommendation) and retry.status == "stale"
        notes[user] = done.team_note

    run_threads(members, finish)
    assert set(notes.values()) == {""}
    final = b.team_status(CLICK, team.id).team
    assert sorted(m.user for m in final.members) == sorted(users)  # all counted, none twice
    assert final.version == 1 + members
    for m in final.members:
        assert {q: o for q, o in m.answers if o is not None} == profiles[m.user]


def test_a_name_given_on_answer_is_the_member_s_name(replicas) -> None:
    (a, b), _ = replicas
    team = a.start_team(CARD, "U1").team
    joined = a.join_team(CLICK, team.id, "U2", name="  Bo <@U1>  " + "x" * 200)
    assert joined.ok and joined.team.name_of("U2").startswith("Bo <@U1> x") and len(joined.team.name_of("U2")) <= 80
    out = b.act(member_scope(team, "U2"), "U2", engine.Decide(), joined.conversation.ref())
    assert out.team_note == ""
    status = a.team_status(CLICK, team.id)
    assert status.team.member("U2").name == joined.team.name_of("U2")
    assert status.result.members == (joined.team.name_of("U2"),)
    # without a name, the user id stands in
    answer_all(a, team, "U3", {})
    assert a.team_status(CLICK, team.id).result.members[1] == "U3"


def test_one_platform_s_backlog_never_hides_another_s_deadlines(replicas) -> None:
    (a, _), clock = replicas
    for i in range(3):  # Slack decisions past their deadline that no Slack adapter closes
        a.start_team(Scope("slack", "W1", f"C{i}"), "U1", deadline=60)
    mine = a.start_team(Scope("discord", "G1", "C9"), "U1", deadline=120).team
    clock.advance(121)
    closed = a.close_due_teams(limit=2, platform="discord")
    assert [o.team.id for o in closed] == [mine.id] and closed[0].team.platform == "discord"
    assert len(a.close_due_teams(limit=10, platform="slack")) == 3
