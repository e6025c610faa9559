"""How a team's answers combine (bot/engine/team.py) and the team result (bot/engine/teamresult.py).

Exhaustive on small teams over two questions, seeded property tests on teams of up to 500
over every question. The reference tally here is written independently (collections.Counter,
most_common) so the engine's rule is checked, not copied.
"""
from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from bot import engine
from bot.engine.team import combine
from bot.engine.teamresult import team_result

SEED = 1616


def reference(knowledge, members):
    """The rule as the issue states it, per question, with Counter."""
    answers, splits, open_ = {}, [], []
    for q in knowledge.questions:
        votes = Counter(m.get(q.id) for m in members)
        votes.pop(None, None)
        ranked = votes.most_common()
        if not ranked:
            open_.append(q.id)
        elif len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            splits.append(q.id)
        else:
            answers[q.id] = ranked[0][0]
    return answers, tuple(splits), tuple(open_)


def random_member(knowledge, rng, unsure=0.25):
    out = {}
    for q in knowledge.questions:
        roll = rng.random()
        if roll < unsure / 2:
            continue  # not asked
        out[q.id] = None if roll < unsure else rng.choice(q.options).id
    return out


def check(knowledge, members):
    tally = combine(knowledge, members)
    answers, splits, open_ = reference(knowledge, members)
    assert tally.answers == answers
    assert tally.splits == splits
    assert tally.open == open_
    assert tally.members == len(members)
    for q in knowledge.questions:
        votes = Counter(m.get(q.id) for m in members if m.get(q.id) is not None)
        assert tally.counts.get(q.id, {}) == dict(votes)
    return tally


# -- exhaustive: every team of 1 to 4 over two questions (3 and 2 options, "not sure" too) ------

@pytest.mark.parametrize("size", [1, 2, 3, 4])
def test_every_small_team_matches_the_rule(knowledge, size):
    control = [None, *(o.id for o in knowledge.question("control").options)]
    realtime = [None, *(o.id for o in knowledge.question("realtime").options)]
    sets = [{"control": c, "realtime": r} for c in control for r in realtime]
    n = 0
    for team in itertools.product(sets, repeat=size):
        tally = check(knowledge, list(team))
        # the order of members never matters
        assert combine(knowledge, list(reversed(team))) == tally
        for qid in ("control", "realtime"):
            top = max(tally.counts[qid].values()) if qid in tally.counts else 0
            leaders = [o for o, k in tally.counts.get(qid, {}).items() if k == top]
            assert (qid in tally.splits) == (len(leaders) > 1)  # a tie is always a split
            assert (qid in tally.answers) == (len(leaders) == 1)
            assert (qid in tally.open) == (top == 0)
        n += 1
    assert n == len(sets) ** size


def test_past_success_follows_the_same_rule(knowledge):
    django, flask, none = {"experience": "django"}, {"experience": "flask"}, {"experience": "none"}
    assert combine(knowledge, [django, django, flask]).answers["experience"] == "django"
    assert engine.winner(knowledge, combine(knowledge, [django, django, flask]).answers) == "django"
    split = combine(knowledge, [django, flask])
    assert split.splits == ("experience",) and "experience" not in split.answers
    assert combine(knowledge, [none, none, django]).answers["experience"] == "none"


# -- seeded properties on large teams ---------------------------------------------------------

def test_large_teams_match_the_rule_in_any_order(knowledge):
    rng = random.Random(SEED)
    for _ in range(300):
        size, unsure = rng.choice([5, 17, 50, 500]), rng.choice([0.0, 0.3, 0.8])
        members = [random_member(knowledge, rng, unsure) for _ in range(size)]
        tally = check(knowledge, members)
        shuffled = members[:]
        rng.shuffle(shuffled)
        assert combine(knowledge, shuffled) == tally


def test_a_unanimous_team_gets_exactly_its_answers(knowledge):
    rng = random.Random(SEED + 1)
    for _ in range(2000):
        member = random_member(knowledge, rng)
        tally = combine(knowledge, [dict(member) for _ in range(rng.randint(1, 60))])
        assert tally.answers == {q: o for q, o in member.items() if o is not None}
        assert tally.splits == ()
        assert set(tally.open) == {q.id for q in knowledge.questions} - set(tally.answers)


def test_one_dissenter_among_many_changes_nothing(knowledge):
    rng = random.Random(SEED + 2)
    for _ in range(2000):
        many = {q.id: rng.choice(q.options).id for q in knowledge.questions}
        team = [dict(many) for _ in range(rng.randint(2, 60))]
        before = combine(knowledge, team)
        team.insert(rng.randint(0, len(team)), random_member(knowledge, rng))
        after = combine(knowledge, team)
        assert after.answers == before.answers == many
        assert after.splits == ()
    # the same for a team that already split somewhere: a clear lead of 2 or more survives
    for _ in range(2000):
        team = [random_member(knowledge, rng) for _ in range(rng.randint(3, 40))]
        before = combine(knowledge, team)
        after = combine(knowledge, [*team, random_member(knowledge, rng)])
        for qid, option in before.answers.items():
            counts = [*sorted(before.counts[qid].values(), reverse=True), 0]
            if counts[0] - counts[1] >= 2:
                assert after.answers[qid] == option


def test_a_tie_is_always_a_split(knowledge):
    rng = random.Random(SEED + 3)
    for _ in range(2000):
        q = rng.choice(knowledge.questions)
        a, b = rng.sample([o.id for o in q.options], 2)
        k = rng.randint(1, 30)
        team = [{q.id: a} for _ in range(k)] + [{q.id: b} for _ in range(k)]
        others = [o.id for o in q.options if o.id not in (a, b)]
        if others:  # fewer votes for the rest, and some who were not sure
            team += [{q.id: rng.choice(others)} for _ in range(rng.randint(0, k - 1))]
        team += [{q.id: None} for _ in range(rng.randint(0, 5))]
        rng.shuffle(team)
        tally = combine(knowledge, team)
        assert q.id in tally.splits and q.id not in tally.answers
        assert set(tally.tied(q.id)) == {a, b}


def test_answers_the_knowledge_does_not_have_are_no_vote(knowledge):
    tally = combine(knowledge, [{"control": "minimal", "nope": "x"}, {"control": "gone"}])
    assert tally.answers == {"control": "minimal"} and tally.counts["control"] == {"minimal": 1}


# -- the team result ---------------------------------------------------------------------------

def test_the_team_result_is_the_single_conversation_rule_over_the_team_answers(knowledge):
    rng = random.Random(SEED + 4)
    for _ in range(300):
        members = {f"m{i}": random_member(knowledge, rng) for i in range(rng.randint(1, 12))}
        result = team_result(knowledge, members)
        rec = engine.recommend(knowledge, result.answers)
        assert result.recommendation == rec
        assert rec.framework == engine.winner(knowledge, result.answers)
        assert result.members == tuple(members)
        assert [qt.question for qt in result.questions] == [q.id for q in knowledge.questions]
        for qt in result.questions:
            assert qt.split == (qt.question in result.splits)
            assert qt.open == (qt.question in result.open)
            assert qt.answer == result.answers.get(qt.question)
            assert {c.option: c.members for c in qt.counts} == result.tally.counts.get(qt.question, {})
        # each member's own pick, counted per framework
        assert sum(p.count for p in result.member_picks) == len(members)
        for p in result.member_picks:
            for name in p.members:
                own = {q: o for q, o in members[name].items() if o is not None}
                assert engine.winner(knowledge, own) == p.framework
        # which splits change the pick: exactly the tied options that do
        listed = {(c.question, c.option): c.framework for c in result.split_changes}
        for qid in result.splits:
            for option in result.tally.tied(qid):
                other = engine.winner(knowledge, {**result.answers, qid: option})
                assert listed.get((qid, option), rec.framework) == other
        assert all(c.framework != rec.framework for c in result.split_changes)


def test_a_unanimous_team_is_decided_like_one_member(knowledge):
    rng = random.Random(SEED + 5)
    for _ in range(300):
        member = {q.id: rng.choice(q.options).id for q in knowledge.questions if rng.random() < 0.7}
        result = team_result(knowledge, {"a": member, "b": dict(member), "c": dict(member)})
        assert result.recommendation == engine.recommend(knowledge, member)
        assert [(p.framework, p.count) for p in result.member_picks] == [(result.recommendation.framework, 3)]
        assert result.splits == () and result.split_changes == ()


def test_a_split_that_would_change_the_pick_says_so(knowledge):
    """The issue's example: "if the team settles Level of control on Minimal, the pick is Flask"."""
    rng = random.Random(SEED + 6)
    seen = 0
    for _ in range(400):
        base = {q.id: rng.choice(q.options).id for q in knowledge.questions if q.id not in ("control", "experience")}
        base["experience"] = "none"
        members = {"ana": {**base, "control": "minimal"}, "bo": {**base, "control": "batteries"}}
        result = team_result(knowledge, members)
        assert result.splits == ("control",)
        pick = result.recommendation.framework
        expected = {(o, f) for o in ("minimal", "batteries")
                    if (f := engine.winner(knowledge, {**base, "control": o})) != pick}
        assert {(c.option, c.framework) for c in result.split_changes} == expected
        for change in result.split_changes:
            assert change.text == (f"If the team settles Level of control on \u201c{change.option_label}\u201d, "
                                   f"the pick is {change.name}.")
            if (change.option, change.framework) == ("minimal", "flask"):
                seen += 1
    assert seen, "no team whose Level of control split decides for Flask"
