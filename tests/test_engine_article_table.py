"""The article's decision table on the weighing rule: each row's defining answer picks its
framework when nothing else is known; past success decides whatever else was answered; the
hard mismatches the article's text names keep a framework out whenever another is free of
them; and the issue's examples come out as a careful reader would have them."""
from __future__ import annotations

import pytest

from bot import engine
from engine_support import Tree, complete_profiles

# (what the article says, defining answer, the framework it names)
ROWS = [
    ("Django: you prefer the batteries-included approach", {"control": "batteries"}, "django"),
    ("Pyramid: a better balance between opinionated and minimal", {"control": "balanced"}, "pyramid"),
    ("Flask: more control over the components", {"control": "minimal"}, "flask"),
    ("Bottle: multiple quick application prototypes", {"scope": "prototypes"}, "bottle"),
    ("FastAPI: the highest performance", {"performance": "critical"}, "fastapi"),
    ("Flask: a data-heavy application with lots of aggregation", {"data": "aggregation"}, "flask"),
]
EXPERIENCE = ["django", "flask", "fastapi", "pyramid", "bottle", "cherrypy"]
# (framework, answer) the article's text makes a hard mismatch (issue 18's examples)
HARD = [
    ("django", "orm", "sqlalchemy"),  # "you may be better off with a different web development framework"
    ("pyramid", "team", "growing"),  # only 2 percent of Python developers use it
    ("bottle", "scope", "growing"),  # "frameworks with much better upscaling support"
    ("bottle", "longevity", "critical"),
    ("bottle", "control", "batteries"),
    ("bottle", "admin", "yes"),
    ("fastapi", "style", "fullstack"),  # "monolithic web applications with server-side rendering"
]


@pytest.fixture(scope="module")
def profiles(knowledge):
    return complete_profiles(knowledge)


@pytest.mark.parametrize("label,answer,framework", ROWS, ids=[r[0] for r in ROWS])
def test_each_rows_defining_answer_alone_picks_its_framework(knowledge, label, answer, framework):
    assert engine.winner(knowledge, {"experience": "none", **answer}) == framework, label


@pytest.mark.parametrize("framework", EXPERIENCE)
def test_past_success_decides_whatever_else_was_answered(knowledge, profiles, framework):
    found = [p for p in profiles if p["experience"] == framework]
    assert len(found) == 32_256 // 7
    assert {engine.winner(knowledge, p) for p in found} == {framework}


@pytest.mark.parametrize("framework,question,option", HARD, ids=[f"{f}:{q}={o}" for f, q, o in HARD])
def test_the_articles_hard_mismatches_keep_a_framework_out(knowledge, profiles, framework, question, option):
    """On every complete profile without past success that gives this answer, the framework is
    not the pick, unless every other framework carries a hard mismatch too."""
    fw = knowledge.framework(framework)
    assert any(r.hard and r.question == question and r.applies(option) for r in fw.rules), (framework, question)
    hard = {f.id: [r for r in f.rules if r.hard] for f in knowledge.candidates}
    for p in profiles:
        if p["experience"] != "none" or p[question] != option:
            continue
        if engine.winner(knowledge, p) == framework:
            free = [f for f, rules in hard.items() if not any(r.applies(p.get(r.question)) for r in rules)]
            assert not free, (p, free)


def test_the_issues_examples_on_complete_profiles(knowledge):
    tree = Tree(knowledge)
    # p106: server-rendered CRUD, batteries, own ORM, admin, async, performance critical, a small
    # app. The old rule picked Bottle; every review picks Django.
    p106 = {"experience": "none", "style": "fullstack", "control": "batteries", "orm": "builtin", "data": "crud",
            "performance": "critical", "realtime": "yes", "team": "stable", "longevity": "nice", "scope": "small",
            "admin": "yes"}
    assert engine.winner(knowledge, p106) == "django"
    assert tree.walk(p106)[0].framework == "django"  # settled before every question was asked
    rec = engine.recommend(knowledge, p106)
    assert rec.reasons[0] == (
        "Django: batteries included (Level of control: \u201cBatteries included: pick them for me\u201d), its admin "
        "panel and user management (Admin panel: \u201cYes\u201d), many similar CRUD apps (Data work: \u201cMostly "
        "CRUD, simple schema\u201d) and server-side rendering (Web development style: \u201cFull-stack, "
        "server-rendered\u201d) outweigh the warning about highest performance (Performance: \u201cYes, it is "
        "critical\u201d).")
    # a fast async API for a separate frontend: FastAPI, whose long-term backing is weighed, not a veto
    api = {"experience": "none", "style": "api", "control": "minimal", "orm": "any", "data": "crud",
           "performance": "critical", "realtime": "yes", "team": "stable", "longevity": "critical",
           "scope": "growing", "admin": "no"}
    assert engine.winner(knowledge, api) == "fastapi"
    # several quick prototypes for a small, stable team: Bottle
    prototypes = {"experience": "none", "style": "fullstack", "control": "minimal", "orm": "any", "data": "crud",
                  "performance": "normal", "realtime": "no", "team": "stable", "longevity": "nice",
                  "scope": "prototypes", "admin": "no"}
    assert engine.winner(knowledge, prototypes) in {"bottle", "flask"}
    assert engine.winner(knowledge, {"experience": "none", "scope": "prototypes"}) == "bottle"
