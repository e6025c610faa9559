"""The conversation mechanics: adaptive questions, back/skip/restart/more, typed errors, free text."""
from __future__ import annotations

import random

import pytest

from bot import engine
from bot.engine import errors
from bot.engine.replies import QuestionReply, Recommendation
from bot.engine.state import State
from engine_support import converse


def test_first_question_is_past_success(knowledge):
    state, reply = engine.step(knowledge, None, engine.Start())
    assert isinstance(reply, QuestionReply)
    assert reply.question_id == "experience" and reply.asked == 1 and not reply.can_back
    assert state.pending == "experience"


def test_stops_as_soon_as_no_single_answer_could_change_the_pick(knowledge):
    rng = random.Random(3)
    for _ in range(300):
        profile = {q.id: rng.choice(q.options).id for q in knowledge.questions}
        rec, asked = converse(knowledge, profile)
        answered = {q: profile[q] for q in asked}
        for question in knowledge.questions:
            if question.id in asked:
                continue
            for option in question.options:
                assert engine.winner(knowledge, {**answered, question.id: option.id}) == rec.framework


def test_most_people_answer_three_to_five_questions(knowledge):
    """Profiles drawn at random (most teams without a matching framework behind them)."""
    rng = random.Random(11)
    counts = []
    for _ in range(1000):
        profile = {q.id: rng.choice(q.options).id for q in knowledge.questions}
        if rng.random() < 0.7:
            profile["experience"] = "none"
        _, asked = converse(knowledge, profile)
        counts.append(len(asked))
    mean = sum(counts) / len(counts)
    assert 3 <= mean <= 6, mean
    assert sum(1 for c in counts if c <= 5) / len(counts) > 0.6
    assert max(counts) <= len(knowledge.questions)


def test_answer_then_back_restores_the_question(knowledge):
    s1, q1 = engine.step(knowledge, None, engine.Start())
    s2, q2 = engine.step(knowledge, s1, engine.Answer("experience", "none"))
    assert isinstance(q2, QuestionReply) and q2.can_back and q2.asked == 2
    s3, q3 = engine.step(knowledge, s2, engine.Back())
    assert s3 == s1 and q3 == q1


def test_back_on_the_first_question_is_a_typed_error(knowledge):
    state, _ = engine.step(knowledge, None, engine.Start())
    with pytest.raises(errors.NothingToUndo):
        engine.step(knowledge, state, engine.Back())


def test_illegal_events_raise_and_leave_state_usable(knowledge):
    state, reply = engine.step(knowledge, None, engine.Start())
    before = state.to_dict()
    with pytest.raises(errors.UnknownOption):
        engine.step(knowledge, state, engine.Answer("experience", "rails"))
    with pytest.raises(errors.QuestionNotAsked):
        engine.step(knowledge, state, engine.Answer("style", "api"))
    with pytest.raises(errors.UnknownQuestion):
        engine.step(knowledge, state, engine.Answer("nope", "x"))
    with pytest.raises(errors.NotStarted):
        engine.step(knowledge, None, engine.Answer("experience", "none"))
    with pytest.raises(errors.QuestionNotAsked):
        engine.step(knowledge, state, engine.More())
    assert state.to_dict() == before
    _, after = engine.step(knowledge, state, engine.Answer("experience", "none"))
    assert isinstance(after, QuestionReply)


def test_skip_moves_on_and_is_reported_as_not_sure(knowledge):
    state, _ = engine.step(knowledge, None, engine.Start())
    state, reply = engine.step(knowledge, state, engine.Skip())
    assert ("experience", None) in state.answers
    assert isinstance(reply, QuestionReply) and reply.question_id != "experience"
    with pytest.raises(errors.QuestionNotAsked):
        engine.step(knowledge, state, engine.Skip("experience"))


def test_restart_forgets_everything(knowledge):
    state, _ = engine.step(knowledge, None, engine.Start("a fast API for React"))
    state, _ = engine.step(knowledge, state, engine.Restart())
    assert state.answers == () and state.pending == "experience"


def test_more_after_a_recommendation_asks_another_question(knowledge):
    rec, asked = converse(knowledge, {"experience": "django"})
    state = State(answers=tuple((q, "django" if q == "experience" else None) for q in asked))
    reply = engine.view(knowledge, state)
    assert isinstance(reply, Recommendation) and reply.can_refine
    state, question = engine.step(knowledge, state, engine.More())
    assert isinstance(question, QuestionReply) and question.refining
    assert question.question_id not in asked
    state, again = engine.step(knowledge, state, engine.Answer(question.question_id, question.options[0].id))
    assert isinstance(again, Recommendation)


def test_free_text_prefills_and_says_so(knowledge):
    state, reply = engine.step(knowledge, None, engine.Start("a fast async API for our React frontend"))
    assert dict(state.answers) == {"style": "api", "performance": "critical", "realtime": "yes"}
    assert isinstance(reply, Recommendation) and reply.framework == "fastapi"
    assert {p.question for p in reply.prefilled} == {"style", "performance", "realtime"}
    assert reply.questions_asked == 0


def test_free_text_can_be_corrected_with_back(knowledge):
    state, reply = engine.step(knowledge, None, engine.Start("several quick prototypes"))
    assert [p.question for p in reply.prefilled] == ["scope"]
    while not state.done:
        state, reply = engine.step(knowledge, state, engine.Skip())
    while state.answers:
        state, reply = engine.step(knowledge, state, engine.Back())
    assert isinstance(reply, QuestionReply) and reply.question_id == "scope" and reply.prefilled == ()
    state, reply = engine.step(knowledge, state, engine.Answer("scope", "growing"))
    assert state.from_text == ()


def test_ambiguous_and_hostile_text_is_ignored_safely(knowledge):
    state, reply = engine.step(knowledge, None, engine.Start("server-rendered templates for a React SPA"))
    assert "style" not in dict(state.answers)  # two keywords each way: no guess
    huge = "<!channel> @everyone " + "x" * 10_000
    state, reply = engine.step(knowledge, None, engine.Start(huge))
    assert isinstance(reply, QuestionReply)
    assert "everyone" not in repr(reply) and "channel" not in repr(reply)


def test_recommendation_content(knowledge):
    rec = engine.recommend(knowledge, {"style": "api", "performance": "critical", "longevity": "critical"})
    assert rec.framework == "fastapi" and rec.runner_up
    assert abs(sum(r.score for r in rec.ranking) - 1) < 0.01
    assert any("Yes, it is critical" in r for r in rec.reasons)
    assert any("maintained long-term" in c and "Critical" in c for c in rec.caveats)
    assert rec.confidence in {"high", "medium", "low"}
    assert any(link.url.startswith("https://") for link in rec.links)


def test_flips_really_flip(knowledge):
    profile = {"experience": "none", "control": "balanced", "team": "stable"}
    rec = engine.recommend(knowledge, profile)
    assert rec.flips
    for question in knowledge.questions:
        for option in question.options:
            sentence = f"\u201c{option.label}\u201d to {question.short.lower()}"
            if any(sentence in f for f in rec.flips):
                assert engine.winner(knowledge, {**profile, question.id: option.id}) != rec.framework


def test_about_compare_help(knowledge):
    about = engine.about(knowledge, "Flask")
    assert about.framework.id == "flask" and about.framework.think_twice
    cmp = engine.compare(knowledge, ["django", "fastapi", "bottle"])
    assert cmp.names == ("Django", "FastAPI", "Bottle")
    assert all(len(row.values) == 3 for row in cmp.rows)
    for bad in (["django"], ["django", "django"], ["django", "rails"]):
        with pytest.raises(errors.UnknownFramework):
            engine.compare(knowledge, bad)
    assert ("flask", "Flask") in engine.help_reply(knowledge).frameworks


def test_state_round_trips_through_json(knowledge):
    import json

    state, _ = engine.step(knowledge, None, engine.Start("quick prototypes"))
    state, _ = engine.step(knowledge, state, engine.Skip())
    assert State.from_dict(json.loads(json.dumps(state.to_dict()))) == state
