"""A team member's conversation (Start(every=True)): offered every question, not only until
their own pick settles; Skip, Back, Decide now and Restart work as usual; stored and read back."""
from __future__ import annotations

import random

from bot import engine
from bot.engine.replies import QuestionReply, Recommendation
from bot.engine.state import State
from bot.store import codec
from bot.store.base import Session
from engine_support import converse


def every_conversation(knowledge, profile):
    state, reply = engine.step(knowledge, None, engine.Start(every=True))
    asked = []
    while isinstance(reply, QuestionReply):
        asked.append(reply.question_id)
        assert reply.remaining_at_most == len(knowledge.questions) - len(asked)
        option = profile.get(reply.question_id)
        event = engine.Answer(reply.question_id, option) if option else engine.Skip()
        state, reply = engine.step(knowledge, state, event)
        assert state.every
    return state, reply, asked


def test_every_question_is_offered_and_the_pick_is_the_same(knowledge):
    rng = random.Random(16)
    ids = [q.id for q in knowledge.questions]
    for _ in range(500):
        profile = {q.id: rng.choice(q.options).id for q in knowledge.questions if rng.random() < 0.85}
        state, reply, asked = every_conversation(knowledge, profile)
        assert sorted(asked) == sorted(ids)  # each question once
        assert isinstance(reply, Recommendation)
        assert state.answer_map() == profile
        # The ordinary conversation stops once nothing can change the pick: the same pick.
        alone, _ = converse(knowledge, profile)
        assert reply.framework == alone.framework
        assert reply.framework == engine.winner(knowledge, profile)


def test_skip_back_decide_and_restart_in_a_member_conversation(knowledge):
    state, reply = engine.step(knowledge, None, engine.Start(every=True))
    first = reply.question_id
    state, reply = engine.step(knowledge, state, engine.Skip())
    assert state.answers == ((first, None),) and state.every
    state, reply = engine.step(knowledge, state, engine.Back())
    assert reply.question_id == first and state.every
    state, reply = engine.step(knowledge, state, engine.Answer(first, "django"))
    # past success decided it: an ordinary conversation would stop here, a member's goes on
    assert isinstance(reply, QuestionReply)
    state, reply = engine.step(knowledge, state, engine.Decide())
    assert isinstance(reply, Recommendation) and reply.framework == "django" and state.every
    state, reply = engine.step(knowledge, state, engine.More())
    assert isinstance(reply, QuestionReply) and state.every
    state, reply = engine.step(knowledge, state, engine.Restart())
    assert state.every and state.answers == ()


def test_an_ordinary_conversation_is_unchanged(knowledge):
    state, reply = engine.step(knowledge, None, engine.Start())
    state, reply = engine.step(knowledge, state, engine.Answer(reply.question_id, "django"))
    assert isinstance(reply, Recommendation) and not state.every
    assert "every" not in state.to_dict()


def test_the_option_and_the_team_link_survive_the_codec(knowledge):
    state, _ = engine.step(knowledge, None, engine.Start("an api", every=True))
    session = Session("s1", 3, "U1", state, 1.0, 2.0, team="T9abc")
    back = codec.decode(codec.encode(session))
    assert back.state.every and back.team == "T9abc" and back == session
    plain = Session("s1", 3, "U1", State(), 1.0, 2.0)
    assert '"team"' not in codec.encode(plain) and '"every"' not in codec.encode(plain)
    assert codec.decode(codec.encode(plain)) == plain
