"""The article's decision table, as data: each profile it clearly covers gets the table's pick."""
from __future__ import annotations

import itertools
import random

import pytest

from bot import engine
from engine_support import converse

# (what the article says, answers given when asked, expected pick)
CONSIDER = [
    ("Django: many similar CRUD apps for clients, batteries included",
     {"experience": "none", "data": "crud", "control": "batteries"}, "django"),
    ("Django: server-rendered, growing team, long-term backing",
     {"experience": "none", "style": "fullstack", "team": "growing", "longevity": "critical"}, "django"),
    ("Django: batteries included with an admin panel out of the box",
     {"experience": "none", "control": "batteries", "admin": "yes"}, "django"),
    ("Flask: more control over components and data-heavy aggregation",
     {"experience": "none", "control": "minimal", "data": "aggregation"}, "flask"),
    ("Flask: SQLAlchemy is a major requirement (the article: better off without Django)",
     {"experience": "none", "orm": "sqlalchemy", "style": "fullstack"}, "flask"),
    ("FastAPI: highest performance API for a React team",
     {"experience": "none", "style": "api", "performance": "critical"}, "fastapi"),
    ("FastAPI: async real-time API for a separate frontend",
     {"experience": "none", "style": "api", "realtime": "yes"}, "fastapi"),
    ("Pyramid: a balance between opinionated and minimal, stable team",
     {"experience": "none", "control": "balanced", "team": "stable"}, "pyramid"),
    ("Bottle: several quick prototypes",
     {"experience": "none", "scope": "prototypes"}, "bottle"),
    ("Bottle: quick prototypes even for a team that likes minimal cores (Flask's home turf)",
     {"experience": "none", "scope": "prototypes", "control": "minimal"}, "bottle"),
    ("CherryPy: a team with deep CherryPy experience building a similar app",
     {"experience": "cherrypy"}, "cherrypy"),
    ("Past success: a Django shop building a similar app",
     {"experience": "django"}, "django"),
    ("Past success: a Flask team building a similar app",
     {"experience": "flask"}, "flask"),
    ("Past success: a FastAPI team building a similar app",
     {"experience": "fastapi"}, "fastapi"),
]

# (think twice: the article's warning, answers, framework that must NOT be picked)
THINK_TWICE = [
    ("Django: highest performance critical", {"performance": "critical", "style": "api"}, "django"),
    ("Django: data-heavy with aggregation", {"data": "aggregation", "orm": "sqlalchemy"}, "django"),
    ("Flask: prefers opinionated frameworks", {"control": "batteries"}, "flask"),
    ("FastAPI: monolithic server-side rendering", {"style": "fullstack", "performance": "critical"}, "fastapi"),
    ("FastAPI: must be sure of long-term maintenance", {"longevity": "critical", "style": "fullstack"}, "fastapi"),
    ("Pyramid: must hire quickly", {"control": "balanced", "team": "growing"}, "pyramid"),
    ("Bottle: defined scope expected to grow", {"scope": "growing", "control": "minimal"}, "bottle"),
]


@pytest.mark.parametrize("label,profile,expected", CONSIDER, ids=[c[0] for c in CONSIDER])
def test_consider_using_if(knowledge, label, profile, expected):
    recommendation, _ = converse(knowledge, profile)
    assert recommendation.framework == expected, (label, recommendation.ranking)
    assert engine.recommend(knowledge, profile).framework == expected


@pytest.mark.parametrize("label,profile,avoid", THINK_TWICE, ids=[c[0] for c in THINK_TWICE])
def test_think_twice_before_using_if(knowledge, label, profile, avoid):
    recommendation, _ = converse(knowledge, {"experience": "none", **profile})
    assert recommendation.framework != avoid, label


def test_cherrypy_only_for_cherrypy_experts(knowledge):
    """The table: think twice about CherryPy in "all other scenarios"."""
    rng = random.Random(7)
    for _ in range(2000):
        profile = {q.id: rng.choice(q.options).id for q in knowledge.questions}
        if profile["experience"] == "cherrypy":
            continue
        assert engine.winner(knowledge, profile) != "cherrypy", profile


def test_every_framework_wins_somewhere(knowledge):
    winners = {expected for _, _, expected in CONSIDER}
    assert winners == {f.id for f in knowledge.candidates}


def test_exhaustive_over_the_decision_factors_never_recommends_against_a_veto(knowledge):
    style, perf, control = (knowledge.question(q).options for q in ("style", "performance", "control"))
    for s, p, c in itertools.product(style, perf, control):
        rec = engine.recommend(knowledge, {"style": s.id, "performance": p.id, "control": c.id})
        assert rec.framework != "cherrypy"
        assert not next(r for r in rec.ranking if r.framework == rec.framework).vetoed
