"""The conversation mechanics: adaptive questions, back/skip/restart/more, typed errors, free text."""
from __future__ import annotations

import dataclasses
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


def test_stops_only_when_no_remaining_answers_could_change_the_pick(knowledge):
    """Exact stop, checked against brute force: every combination of the questions not
    asked (each any option or "not sure") leaves the pick as shown."""
    import itertools

    rng = random.Random(3)
    for _ in range(60):
        profile = {q.id: rng.choice(q.options).id for q in knowledge.questions}
        profile["experience"] = "none"
        rec, asked = converse(knowledge, profile)
        answered = {q: profile[q] for q in asked}
        rest = [q for q in knowledge.questions if q.id not in asked]
        if len(rest) > 7:
            continue
        for combo in itertools.product(*[[None, *(o.id for o in q.options)] for q in rest]):
            extra = {q.id: o for q, o in zip(rest, combo, strict=True) if o is not None}
            assert engine.winner(knowledge, {**answered, **extra}) == rec.framework, (answered, extra)


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
    # weighing every point of the table takes more questions on close calls than the old
    # lexicographic rule; bench/questions.py measures the engine against the optimum
    assert 3 <= mean <= 5, mean
    assert sum(1 for c in counts if c <= 5) / len(counts) > 0.5
    assert max(counts) <= len(knowledge.questions)


def test_answer_then_back_restores_the_question(knowledge):
    s1, q1 = engine.step(knowledge, None, engine.Start())
    s2, q2 = engine.step(knowledge, s1, engine.Answer("experience", "none"))
    assert isinstance(q2, QuestionReply) and q2.can_back and q2.asked == 2
    s3, q3 = engine.step(knowledge, s2, engine.Back())
    assert s3.answers == s1.answers and s3.pending == s1.pending == "experience"
    # the re-opened question remembers the answer it had, and only that differs
    assert q3.previous == "none" and q1.previous is None
    assert dataclasses.replace(q3, previous=None) == q1
    assert State.from_dict(s3.to_dict()) == s3


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
    # past success decides by itself, so it is always asked
    assert isinstance(reply, QuestionReply) and reply.question_id == "experience"
    assert {p.question for p in reply.prefilled} == {"style", "performance", "realtime"}
    state, reply = engine.step(knowledge, state, engine.Answer("experience", "none"))
    while isinstance(reply, QuestionReply):
        state, reply = engine.step(knowledge, state, engine.Skip())
    assert isinstance(reply, Recommendation) and reply.framework == "fastapi"
    assert {p.question for p in reply.prefilled} == {"style", "performance", "realtime"}


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
    rec = engine.recommend(knowledge, {"experience": "none", "style": "api", "performance": "critical"})
    assert rec.framework == "fastapi" and rec.runner_up == "flask" and rec.decided_by == "score"
    assert rec.margin == 5 and [r.framework for r in rec.ranking][:2] == ["fastapi", "flask"]
    assert (rec.ranking[0].points, rec.ranking[0].fit, rec.ranking[0].warnings, rec.ranking[0].hard) == (6, 6, 0, 0)
    assert rec.reasons[0] == (
        "FastAPI fits your answers: highest performance (Performance: \u201cYes, it is critical\u201d) and an API "
        "for a rich JavaScript frontend (Web development style: \u201cAPI for a separate frontend\u201d), with no "
        "warning against it.")
    assert rec.reasons[1] == "Flask is the runner-up with 1 point to FastAPI's 6."
    assert rec.margin_text == ("FastAPI leads Flask by 5 points: 6 to 1 (a strong fit counts 3, a fit 1, "
                               "a soft warning \u22122).")
    assert any("maintained long-term" in c and "not asked" in c for c in rec.caveats)
    # not settled: the confidence says so and why
    assert not rec.settled and rec.confidence == "low"
    assert rec.confidence_basis == f"{len(rec.open_questions)} open questions could still change the pick"
    assert any(link.url.startswith("https://") for link in rec.links)


def test_a_soft_warning_is_weighed_not_a_veto(knowledge):
    answers = {"experience": "none", "style": "api", "performance": "critical", "longevity": "critical"}
    rec = engine.recommend(knowledge, answers)
    assert rec.framework == "fastapi" and rec.decided_by == "score" and rec.margin == 2
    assert rec.reasons[0] == (
        "FastAPI: highest performance (Performance: \u201cYes, it is critical\u201d) and an API for a rich "
        "JavaScript frontend (Web development style: \u201cAPI for a separate frontend\u201d) outweigh the warning "
        "about long-term backing (Long-term backing: \u201cCritical: it must be around for years\u201d).")


def test_a_hard_mismatch_keeps_the_top_scorer_out_and_says_so(knowledge):
    answers = {"experience": "none", "style": "fullstack", "performance": "critical", "realtime": "yes"}
    rec = engine.recommend(knowledge, answers)
    assert rec.framework == "flask"
    fastapi = next(r for r in rec.ranking if r.framework == "fastapi")
    assert fastapi.hard == 1 and fastapi.points > rec.ranking[0].points
    assert ("FastAPI would score more (6 points), but it has a hard mismatch for your needs: \u201cYou want to develop "
            "monolithic web applications with server-side rendering\u201d (Web development style: \u201cFull-stack, "
            "server-rendered\u201d).") in rec.reasons


def test_experience_decides_and_says_so(knowledge):
    rec = engine.recommend(knowledge, {"experience": "flask", "control": "batteries"})
    assert rec.framework == "flask" and rec.decided_by == "experience" and rec.confidence == "high"
    assert rec.reasons[0].startswith(
        "Decided by your experience with Flask (Past success: \u201cYes, with Flask\u201d)")
    assert any(c.startswith("Think twice: You prefer opinionated frameworks") for c in rec.caveats)


def test_text_is_proper_sentences(knowledge):
    rng = random.Random(8)
    for _ in range(300):
        answers = {q.id: rng.choice(q.options).id for q in knowledge.questions if rng.random() < 0.6}
        rec = engine.recommend(knowledge, answers)
        for line in (*rec.reasons, *rec.caveats, *rec.flips):
            assert line[0].isupper() and line.endswith("."), line
            assert "sQL" not in line and " to orm" not in line, line


def test_every_change_really_flips_and_every_flip_is_listed(knowledge):
    rng = random.Random(12)
    for _ in range(400):
        answers = {q.id: rng.choice(q.options).id for q in knowledge.questions if rng.random() < 0.5}
        rec = engine.recommend(knowledge, answers)
        assert rec.flips == tuple(c.text for c in rec.changes)
        listed = {(c.question, c.option): c.framework for c in rec.changes}
        for question in knowledge.questions:
            for option in question.options:
                if answers.get(question.id) == option.id:
                    continue
                after = engine.winner(knowledge, {**answers, question.id: option.id})
                if after != rec.framework:
                    assert listed.pop((question.id, option.id)) == after
        assert listed == {}


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
