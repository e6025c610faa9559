"""Free text on openings condensed from real public posts (issue 19).

The dev set (tests/fixtures/real_openings_dev.yaml, a copy of shared/reference/real-openings)
has its targets asserted: at most 1 misreading, at least 70% of the stated facts taken. The
openings in tests/fixtures/real_style_openings.yaml and the cases below are not from it: each
class of reading the issue names, in other words.
"""
from __future__ import annotations

import pytest

from bot.engine.textmatch import extract
from tests.support.openings import DEV, PLAIN, load, score

OPENINGS = load()
WRITTEN = load(DEV.with_name("real_style_openings.yaml"))
VALIDATION = load(DEV.with_name("real_style_validation.yaml"))
CLASSES = {"negated", "leaving", "complaint", "others", "wish", "existing-app", PLAIN}


def answers(knowledge, text: str) -> dict[str, str]:
    return {q: o for q, o, _ in extract(knowledge, text)}


def test_dev_set_is_well_formed(knowledge) -> None:
    assert len(OPENINGS) == 71
    for case in OPENINGS:
        items = set(case["take"]) | set(case["never"])
        assert not set(case["take"]) & set(case["never"]), case["text"]
        assert set(case.get("classes", {})) <= items and set(case.get("classes", {}).values()) <= CLASSES
        for item in items:
            q, o = item.split("=")
            question = knowledge.question(q)
            assert question is not None and question.option(o) is not None, (case["text"], item)


def test_dev_set_targets(knowledge) -> None:
    s = score(OPENINGS, lambda text: extract(knowledge, text))
    assert s.total.misread <= 1, s.misreadings
    assert s.total.rate >= 0.70, f"{s.total.taken}/{s.total.facts} taken"


def test_openings_written_in_the_style_of_real_posts(knowledge) -> None:
    """A regression set of our own (see the file's header): one known misreading, most facts taken."""
    s = score(WRITTEN, lambda text: extract(knowledge, text))
    assert s.total.misread <= 1, s.misreadings
    assert s.total.rate >= 0.70, f"{s.total.taken}/{s.total.facts} taken"


def test_validation_batch_written_blind(knowledge) -> None:
    """The precision pass's validation batch (see the file's header): what it measured stays."""
    s = score(VALIDATION, lambda text: extract(knowledge, text))
    assert s.total.misread <= 1, s.misreadings
    assert s.total.taken >= 32, f"{s.total.taken}/{s.total.facts} taken"


@pytest.mark.parametrize("text, want", [
    # an existing app of the same kind: the stack it runs on today is past success
    ("Our booking site runs on Pyramid and we'd like to move it to FastAPI", {"experience": "pyramid"}),
    ("the booking backend is Flask; for the new version we want something async",
     {"experience": "flask", "realtime": "yes"}),
    ("we plan to migrate the billing API from Django to Litestar", {"experience": "django", "style": "api"}),
    ("the portal is built on web2py, which nobody maintains anymore", {"experience": "none"}),
    ("Coming from Rails, we're writing our first Python service", {"experience": "none"}),
    ("Coming from Django, I found FastAPI refreshing for this API", {"style": "api"}),
    # ... but not a first draft, a candidate, or two stacks at once
    ("The new backend is a Flask app, nothing shipped yet", {}),
    ("we are leaning to CherryPy for this tool", {}),
    ("some apps run on Flask and others run on Pyramid", {}),
    ("Instagram runs on Django, so scale is clearly possible", {}),
    ("We rewrote our Pyramid-based store API in FastAPI last spring", {"style": "api"}),
    ("Our course portal was written in Django by a student who left; none of us has shipped a Django app.", {}),
    ("Our legacy CherryPy service keeps crashing and nobody who wrote it is still here", {}),
    ("The ticketing backend is Django REST framework and we are happy with it",
     {"experience": "django", "style": "api"}),
    # what the team is leaving
    ("We stopped using MongoDB and want a proper relational database this time", {}),
    ("the app was split into an SPA and an API, and it broke sessions", {}),
    ("we initially opted for Bottle because it's a micro framework", {}),
    ("Our mobile backend started as a Flask prototype in 2019 and is still that same app in production.", {}),
    ("We tried FastAPI for a hackathon prototype. The real product must be maintained for years",
     {"longevity": "critical"}),
    # complaints about a framework are not requirements
    ("with Django's synchronous workers our setup was saturated", {}),
    ("micro frameworks like Bottle don't offer much out of the box", {}),
    ("SQLAlchemy gets mysterious when the relations get complex", {}),
    ("SQLAlchemy's session handling confused half the team", {}),
    ("we struggled with Flask extensions breaking on every upgrade", {}),
    # other people's opinions
    ("Commenters say we should use async and Postgres", {}),
    ('"Use FastAPI, it\'s async and fast" is the advice I keep getting; our app is a CRUD back office',
     {"data": "crud", "admin": "yes"}),
    ("a colleague thinks websockets would be nice", {}),
    ("My manager thinks we need real-time updates everywhere", {}),
    ("I know people love SQLAlchemy, but simple models are all we have", {}),
    ("We're benchmarking frameworks for fun: FastAPI is the fastest", {}),
    ("A new contractor suggested rewriting it in FastAPI because it's faster", {}),
    ("People keep telling us to use something minimal, but honestly we want the batteries", {"control": "batteries"}),
    ("No customer cares whether it runs on an async framework", {}),
    # wishes versus decisions
    ("I looked into rewriting it with websockets, but it's too much work", {}),
    ("moving to FastAPI would bring advantages in performance", {}),
    ("our app may be best built with something lightweight", {}),
    ("I'd love a batteries-included framework, honestly, but security wants to audit every dependency", {}),
    ("Our hackathon projects are throwaway Flask apps, but this one must be supported for years",
     {"longevity": "critical"}),
    # a negated list, joined by "or", or labelled
    ("Non-goals: server-side rendering, an admin UI", {"admin": "no"}),
    ("We have no need for an ORM, the admin site, or the project layout", {"admin": "no"}),
    ("docs and community size matter more to us than raw speed", {"performance": "normal"}),
    ("I don't need the template engine, the admin panel or the ORM; it's an API for our mobile app",
     {"admin": "no", "style": "api"}),
    # negation, once: a phrase found twice over a filler negates once
    ("Performance isn't really important, it's a small internal tool", {"performance": "normal"}),
    ("I want to ditch it for the Django admin", {"admin": "yes"}),
    ("Speed isn't our concern; correctness is", {"performance": "normal"}),
])
def test_classes_of_real_posts(knowledge, text, want) -> None:
    assert answers(knowledge, text) == want
