"""How cues change what a keyword pre-answers: negation, contrast, hedges, someone else's words."""
from __future__ import annotations

from dataclasses import replace

import pytest

from bot import engine
from bot.engine.replies import QuestionReply
from bot.engine.textmatch import extract
from bot.engine.textrules import TextRules


def answers(knowledge, text: str) -> dict[str, str]:
    return {q: o for q, o, _ in extract(knowledge, text)}


@pytest.mark.parametrize("text, want", [
    # the examples
    ("we don't need an API", {}),
    ("no SPA", {}),
    ("async isn't needed", {"realtime": "no"}),
    ("performance is not critical", {"performance": "normal"}),
    ("an admin panel isn't needed", {"admin": "no"}),
    ("not as opinionated as Django but not as bare as Flask", {"control": "balanced"}),
    ("neither too opinionated nor too minimal", {"control": "balanced"}),
    # negation reaches a list, and stops at a new clause
    ("we don't need websockets, GraphQL or an admin panel", {"realtime": "no", "admin": "no"}),
    ("websockets and an admin panel aren't needed", {"realtime": "no", "admin": "no"}),
    ("no websockets, we want an admin panel", {"realtime": "no", "admin": "yes"}),
    ("no websockets but an admin panel", {"realtime": "no", "admin": "yes"}),
    ("no websockets. admin panel", {"realtime": "no", "admin": "yes"}),
    ("No, we need websockets", {"realtime": "yes"}),
    ("we don't need websockets, prefer batteries included", {"realtime": "no", "control": "batteries"}),
    ("no SPA, server-rendered pages only", {"style": "fullstack"}),
    # double negation
    ("there's no way we don't need an admin panel", {"admin": "yes"}),
    ("we can't not have websockets", {"realtime": "yes"}),
    ("Flask isn't fast enough", {"performance": "critical"}),
    ("Flask is fast enough", {"performance": "normal"}),
    # hedges and pseudo-negations
    ("not sure we need websockets", {}),
    ("maybe websockets later", {}),
    ("websockets would be nice", {}),
    ("if it takes off, we'll need to hire fast", {}),
    ("no doubt we need websockets", {"realtime": "yes"}),
    # a label and its value, a short question and its answer
    ("Admin panel: not needed. Websockets: no. SQLAlchemy: yes", {"admin": "no", "realtime": "no",
                                                                  "orm": "sqlalchemy"}),
    ("Nice to have: GraphQL", {}),
    ("websockets?", {}),
    ("websockets? nope", {"realtime": "no"}),
    ("websockets yes, API no", {"realtime": "yes"}),
    ("forget the API, it's server-rendered", {"style": "fullstack"}),
    ("an admin panel? yes, for the support team", {"admin": "yes"}),
    ("which framework for a React SPA with websockets and an admin panel?", {"style": "api", "realtime": "yes",
                                                                             "admin": "yes"}),
    # hearsay, and someone else's API
    ("I've heard FastAPI is fast", {}),
    ("we integrate with the Stripe API", {}),
    # words that only look like keywords
    ("we need to ship fast", {}),
    ("rest assured the rest is simple", {}),
    ("we integrate a third-party API", {}),
])
def test_negation_contrast_and_hedges(knowledge, text, want) -> None:
    assert answers(knowledge, text) == want


@pytest.mark.parametrize("text, want", [
    ("someone says we should use Bottle", {}),
    ("my CTO suggested Pyramid", {}),
    ("we love Flask but this is a different kind of app", {"experience": "none"}),
    ("we use Django, and the new app is a different kind of project", {"experience": "none"}),
    ("we're not a Django shop", {}),
    ("we want to build with FastAPI", {}),
    ("Django developers are easy to hire", {"team": "growing"}),
    ("we're moving away from Flask", {}),
    ("we've been using Django for years", {"experience": "django"}),
    ("we're a Flask shop", {"experience": "flask"}),
    ("our FastAPI services", {"experience": "fastapi"}),
    ("experienced with Django, but we want to try FastAPI this time", {}),
    ("our FastAPI experience is limited", {}),
])
def test_experience_is_the_teams_own_and_similar(knowledge, text, want) -> None:
    assert answers(knowledge, text) == want


def test_negation_answers_the_other_option_only_where_the_yaml_says(knowledge) -> None:
    assert answers(knowledge, "no websockets") == {"realtime": "no"}
    assert answers(knowledge, "no prototypes") == {}  # small or growing: not said
    without = replace(knowledge, text=replace(knowledge.text, implications=()))
    assert answers(without, "we don't need websockets or an admin panel") == {}


def test_close_conflicts_are_left_alone(knowledge) -> None:
    assert answers(knowledge, "server-rendered templates for a React SPA") == {}
    assert answers(knowledge, "a React SPA on a GraphQL API, plus one server-rendered page") == {"style": "api"}


def test_shown_words_are_the_writers_own(knowledge) -> None:
    found = {q: words for q, _, words in extract(knowledge, "We DON'T need *Websockets*; the ADMIN panel isn't needed")}
    assert found == {"realtime": "DON'T need Websockets", "admin": "ADMIN panel isn't needed"}


def test_without_text_rules_keywords_still_match(knowledge) -> None:
    bare = replace(knowledge, text=TextRules())
    assert answers(bare, "REST APIs with websockets") == {"style": "api", "realtime": "yes"}


def test_start_takes_the_text_and_back_undoes_it(knowledge) -> None:
    state, reply = engine.step(knowledge, None, engine.Start("we don't need websockets; several Protoypes"))
    assert dict(state.answers) == {"realtime": "no", "scope": "prototypes"}
    assert {p.question: p.keyword for p in reply.prefilled} == {"realtime": "don't need websockets",
                                                                 "scope": "Protoypes"}
    while not state.done:
        state, reply = engine.step(knowledge, state, engine.Skip())
    while state.answers:
        state, reply = engine.step(knowledge, state, engine.Back())
    assert isinstance(reply, QuestionReply) and reply.prefilled == ()
    assert state.from_text == ()
