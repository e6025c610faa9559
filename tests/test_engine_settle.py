"""The exact stop against brute force, "Decide now", progress bounds and engine hygiene."""
from __future__ import annotations

import itertools
import json
import random

import pytest

from bot import engine
from bot.engine import errors
from bot.engine.asking import Memo
from bot.engine.replies import QuestionReply, Recommendation
from bot.engine.settle import analyse
from bot.engine.state import State
from bot.engine.verdicts import tables, values_of


def _brute(knowledge, answers, open_ids):
    """Every pick over every completion (each open question: any option or no answer)."""
    found = set()
    for combo in itertools.product(*[[None, *(o.id for o in knowledge.question(q).options)] for q in open_ids]):
        extra = {q: o for q, o in zip(open_ids, combo, strict=True) if o is not None}
        found.add(engine.winner(knowledge, {**answers, **extra}))
    return found


def test_settled_and_alive_agree_with_brute_force(knowledge):
    t = tables(knowledge)
    rng = random.Random(41)
    checked = 0
    for _ in range(400):
        open_ids = rng.sample([q.id for q in knowledge.questions], rng.randint(1, 5))
        answers = {q.id: rng.choice(q.options).id for q in knowledge.questions
                   if q.id not in open_ids and rng.random() < 0.7}  # the rest: "not sure"
        if rng.random() < 0.5 and "experience" not in open_ids:
            answers["experience"] = "none"
        vals = values_of(t, answers)
        now = analyse(knowledge, t, vals, [t.index(q) for q in open_ids])
        picks = _brute(knowledge, answers, open_ids)
        leader = t.frameworks[now.leader].id
        assert leader == engine.winner(knowledge, answers)
        assert now.settled == (picks == {leader}), (answers, open_ids, picks)
        assert {t.frameworks[f].id for f in now.alive} >= picks - {leader}
        # every open question named as relevant touches a framework still in play
        assert all(t.qids[qi] in open_ids for qi in now.relevant)
        checked += not now.settled
    assert checked > 50


def test_the_hard_tier_is_exact_where_hard_mismatches_come_and_go(knowledge):
    """Open questions that add hard mismatches (orm, scope, team, longevity, admin, control):
    settled exactly when brute force finds one pick, from answers that leave several close."""
    t = tables(knowledge)
    bases = [{"experience": "none"},
             {"experience": "none", "style": "fullstack", "data": "crud", "performance": "normal"},
             {"experience": "none", "style": "api", "control": "balanced", "realtime": "no"}]
    hard_questions = ["orm", "scope", "team", "longevity", "admin", "control"]
    checked = 0
    for answers in bases:
        for size in (1, 2, 3):
            for open_ids in itertools.combinations([q for q in hard_questions if q not in answers], size):
                vals = values_of(t, answers)
                now = analyse(knowledge, t, vals, [t.index(q) for q in open_ids])
                picks = _brute(knowledge, answers, list(open_ids))
                assert now.settled == (picks == {t.frameworks[now.leader].id}), (answers, open_ids, picks)
                checked += 1
    assert checked > 60


def test_decide_now_gives_the_current_pick_not_yet_settled(knowledge):
    state, reply = engine.step(knowledge, None, engine.Start())
    state, reply = engine.step(knowledge, state, engine.Answer("experience", "none"))
    state, reply = engine.step(knowledge, state, engine.Answer(reply.question_id, reply.options[0].id))
    pending = reply.question_id
    decided, rec = engine.step(knowledge, state, engine.Decide())
    assert isinstance(rec, Recommendation) and decided.pending is None
    assert rec.settled is False and rec.confidence == "low"
    assert rec.framework == engine.winner(knowledge, state.answer_map())
    assert pending in rec.open_questions
    # every open question is unasked, and some answers to them could still change the pick
    answered = {q for q, _ in state.answers}
    assert not set(rec.open_questions) & answered
    assert _brute(knowledge, state.answer_map(), list(rec.open_questions)) != {rec.framework}
    # deciding again changes nothing; More goes on asking what is still open
    again, same = engine.step(knowledge, decided, engine.Decide())
    assert again == decided and same == rec
    _, more = engine.step(knowledge, decided, engine.More())
    assert isinstance(more, QuestionReply) and more.question_id in rec.open_questions


def test_a_settled_result_has_no_open_questions(knowledge):
    rec = engine.recommend(knowledge, {"experience": "django"})
    assert rec.settled and rec.open_questions == () and rec.decided_by == "experience"


def test_remaining_at_most_only_shrinks(knowledge):
    rng = random.Random(17)
    for _ in range(300):
        state, reply = engine.step(knowledge, None, engine.Start())
        last = None
        while isinstance(reply, QuestionReply):
            assert reply.remaining_at_most is not None and reply.remaining_at_most >= 0
            if last is not None:
                assert reply.remaining_at_most <= last - 1
            last = reply.remaining_at_most
            event = (engine.Skip() if rng.random() < 0.2
                     else engine.Answer(reply.question_id, rng.choice(reply.options).id))
            state, reply = engine.step(knowledge, state, event)


def test_previous_is_kept_through_the_codec_and_old_sessions_still_load(knowledge):
    state, _ = engine.step(knowledge, None, engine.Start())
    state, _ = engine.step(knowledge, state, engine.Answer("experience", "none"))
    back, reply = engine.step(knowledge, state, engine.Back())
    assert reply.previous == "none" and back.previous == "none"
    assert State.from_dict(json.loads(json.dumps(back.to_dict()))) == back
    # a session stored before `previous` existed
    old = {"answers": [["experience", "none"]], "from_text": [], "pending": "control", "refining": False}
    loaded = State.from_dict(old)
    assert loaded.previous is None and loaded.answers == (("experience", "none"),)
    assert "previous" not in loaded.to_dict()
    # answering the re-opened question forgets it
    after, _ = engine.step(knowledge, back, engine.Answer("experience", "flask"))
    assert after.previous is None


def test_engine_errors_carry_codes_and_no_platform_wording(knowledge):
    state, _ = engine.step(knowledge, None, engine.Start())
    attempts = [
        (None, engine.Answer("experience", "none")),
        (state, engine.Answer("experience", "rails")),
        (state, engine.Answer("style", "api")),
        (state, engine.Answer("nope", "x")),
        (state, engine.Back()),
        (state, engine.More()),
    ]
    for before, event in attempts:
        with pytest.raises(errors.EngineError) as info:
            engine.step(knowledge, before, event)
        assert info.value.code != "invalid" and "/framework" not in str(info.value)


def test_the_memo_is_bounded():
    memo = Memo(size=3)
    for n in range(10):
        memo.put(n, n)
    assert list(memo.data) == [7, 8, 9] and memo.get(1) is memo and memo.get(8) == 8


def test_help_lists_commands_without_platform_syntax(knowledge):
    # Slack words them as `/framework about <framework>`, Discord has its own command group.
    reply = engine.help_reply(knowledge)
    assert [c for c, _, _ in reply.commands] == ["start", "about", "compare", "restart", "help"]
    assert not any("/" in part for command in reply.commands for part in command)
