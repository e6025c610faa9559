"""Issue 18: no number that measures nothing. No rank-position percentage reaches any surface
(console, JSON lines, Slack, Discord, the decision record); the figures shown are the rule's own,
and they are true: the margin is the points between the pick and the runner-up, the confidence
says what it rests on, and the ranking's points are fits minus warnings."""
from __future__ import annotations

import datetime as dt
import json
import random
import re

from bot import engine
from bot.adapters.console import jsonl
from bot.adapters.console.render import render_text
from bot.adapters.discord.render.context import Ctx
from bot.adapters.discord.render.conversation import conversation
from bot.adapters.slack import render as slack_render
from bot.adapters.slack.render.result import recommendation
from bot.engine.recommend import state_for
from bot.engine.verdicts import verdicts
from bot.export import madr

PERCENT = re.compile(r"\d\s*%")


def _results(knowledge, n=60):  # noqa: ANN001, ANN202
    rng = random.Random(18)
    for _ in range(n):
        answers = {q.id: rng.choice(q.options).id for q in knowledge.questions if rng.random() < 0.7}
        if rng.random() < 0.7:
            answers["experience"] = "none"
        yield answers, engine.recommend(knowledge, answers)


def test_no_percentage_on_any_surface(knowledge):
    for answers, rec in _results(knowledge):
        surfaces = {
            "console": render_text(rec),
            "jsonl": json.dumps(jsonl.render(rec)),
            "slack": json.dumps(slack_render.as_dicts(recommendation(rec, "s:1"))),
            "discord": conversation(rec, Ctx("sess1234", 1)).text,
            "madr": madr.record(knowledge, state_for(knowledge, answers), rec, ["a"], dt.date(2026, 12, 6)),
        }
        for name, text in surfaces.items():
            assert not PERCENT.search(text), (name, PERCENT.search(text).group(0))  # type: ignore[union-attr]
            assert "Ranking:" not in text, name
        if rec.margin_text:
            assert rec.margin_text in surfaces["console"].replace("\n", " ") or "Margin:" in surfaces["console"]
            assert "Margin:" in surfaces["slack"] and "**Margin:**" in surfaces["discord"]


def test_the_figures_are_the_rules_own(knowledge):
    weights = dict(knowledge.points)
    for answers, rec in _results(knowledge, 200):
        v = verdicts(knowledge, answers)
        ids = [f.id for f in knowledge.candidates]
        for r in rec.ranking:
            f = ids.index(r.framework)
            assert (r.fit, r.warnings, r.hard) == (v.fit[f], v.warn[f], v.hard[f])
            assert r.points == r.fit - r.warnings
        if rec.decided_by == "score":
            pick, runner = rec.ranking[0], rec.ranking[1]
            assert rec.margin == pick.points - runner.points > 0
            assert rec.margin_text.startswith(f"{rec.name} leads {rec.runner_up_name} by {rec.margin:g} point")
            assert f"a strong fit counts {weights['strong']:g}" in rec.margin_text
        elif rec.decided_by == "hard":
            assert rec.ranking[1].hard > rec.ranking[0].hard and "hard mismatch" in rec.margin_text


def test_confidence_says_what_it_rests_on_and_it_is_true(knowledge):
    for _, rec in _results(knowledge, 200):
        assert rec.confidence_said.startswith(rec.confidence + " (") and rec.confidence_basis
        if rec.decided_by == "experience":
            assert rec.confidence == "high" and "past success" in rec.confidence_basis
            continue
        if not rec.settled:
            assert rec.confidence == "low"
            assert rec.confidence_basis.startswith(f"{len(rec.open_questions)} open question")
            continue
        flips = {c.question_short for c in rec.changes if c.question != knowledge.decides}
        if not flips:
            assert rec.confidence == "high"
            assert rec.confidence_basis == "no single different answer besides Past success would change the pick"
        elif len(flips) <= 2:
            assert rec.confidence == "medium" and all(f in rec.confidence_basis for f in flips)
        else:
            assert rec.confidence == "low" and f"any of {len(flips)} questions" in rec.confidence_basis


def test_open_counts_are_brute_force_counts(knowledge):
    """After "decide now", each framework's count is the number of combinations of answers to
    the open questions (one option each) under which it is the pick, by the engine's winner."""
    import itertools

    rng = random.Random(7)
    checked = 0
    for _ in range(40):
        answers = {q.id: rng.choice(q.options).id for q in knowledge.questions if rng.random() < 0.6}
        rec = engine.recommend(knowledge, answers)
        if rec.settled:
            assert rec.open_total == 0 and rec.open_wins == () and rec.open_said == ""
            continue
        open_ids = list(rec.open_questions)
        counts: dict[str, int] = {}
        for combo in itertools.product(*[[o.id for o in knowledge.question(q).options] for q in open_ids]):
            pick = engine.winner(knowledge, {**answers, **dict(zip(open_ids, combo, strict=True))})
            counts[pick] = counts.get(pick, 0) + 1
        assert rec.open_total == sum(counts.values())
        assert {w.framework: w.count for w in rec.open_wins} == counts
        assert [w.count for w in rec.open_wins] == sorted(counts.values(), reverse=True)
        assert rec.open_said.startswith(f"Of the {rec.open_total:,} ways to answer the {len(open_ids)} open question")
        checked += 1
    assert checked > 10


def test_decide_now_shows_the_counts_on_every_surface(knowledge):
    rec = engine.recommend(knowledge, {"experience": "none", "style": "api", "performance": "critical"})
    assert not rec.settled and rec.open_said.startswith("Of the 384 ways to answer the 7 open questions, FastAPI "
                                                        "would be the pick under 270")
    assert "Not settled: Of the 384 ways" in render_text(rec)
    assert "Of the 384 ways" in json.dumps(slack_render.as_dicts(recommendation(rec, "s:1")))
    assert "Of the 384 ways" in conversation(rec, Ctx("sess1234", 1)).text
    assert jsonl.render(rec)["recommendation"]["open_wins"]["total"] == 384
