"""Slack and Discord markup, mentions and hostile input around a description."""
from __future__ import annotations

import pytest

from bot import engine
from bot.engine.replies import QuestionReply, Recommendation
from bot.engine.text.clean import MAX_RAW, MAX_TEXT, clean
from bot.engine.textmatch import extract

PLAIN = "a fast REST API with websockets"
WANT = {"style": "api", "performance": "critical", "realtime": "yes"}


def answers(knowledge, text: str) -> dict[str, str]:
    return {q: o for q, o, _ in extract(knowledge, text)}


@pytest.mark.parametrize("text", [
    "<@U024BE7LH> a fast REST API with websockets <!channel>",
    "<!here> <!subteam^S012|@backend> a *fast* _REST API_ with ~~nothing~~ websockets",
    "<#C01ABC|general> a fast `REST API` with *websockets*",
    "a fast <https://example.com/api|REST API> with websockets <https://example.com>",
    "<@&123456789012> <:party:987654321098> a **fast** __REST API__ with ||websockets|| <a:dance:1>",
    "@everyone @here a fast REST API with websockets :rocket:",
    "> a fast REST API\n> with websockets",
    "a fast [REST API](https://example.com/rest) with websockets </framework:1234>",
    "# A fast REST API\n- with websockets",
    "a fast REST API with websockets\n```\nno websockets, not fast, no api\n```",
    "a fast REST API with websockets &amp; &lt;nothing else&gt;",
])
def test_markup_and_mentions_are_ignored(knowledge, text) -> None:
    assert answers(knowledge, text) == WANT


def test_struck_text_was_taken_back(knowledge) -> None:
    assert answers(knowledge, "we need ~websockets~ a REST API") == {"style": "api"}
    assert answers(knowledge, "we need ~~websockets~~ a REST API") == {"style": "api"}
    assert answers(knowledge, "~5 devs, ~3 of them on websockets") == {"realtime": "yes"}


def test_link_addresses_and_mention_ids_never_match(knowledge) -> None:
    assert answers(knowledge, "<https://fastapi.tiangolo.com/async/> <@UFAST1> <#CASYNC|async-talk>") == {}
    assert answers(knowledge, "see https://example.com/realtime-admin-api and www.fast.example") == {}


def test_mixed_case_plurals_stems_and_typos(knowledge) -> None:
    assert answers(knowledge, "PROTOTYPING") == {"scope": "prototypes"}
    assert answers(knowledge, "Protoypes") == {"scope": "prototypes"}
    assert answers(knowledge, "APIs") == {"style": "api"}
    assert answers(knowledge, "Websockets") == {"realtime": "yes"}
    assert answers(knowledge, "websokets") == {"realtime": "yes"}
    assert answers(knowledge, "asnyc") == {"realtime": "yes"}
    assert answers(knowledge, "Real Time updates") == {"realtime": "yes"}
    assert answers(knowledge, "web sockets") == {"realtime": "yes"}
    assert answers(knowledge, "Server Rendered") == {"style": "fullstack"}


def test_typos_do_not_turn_real_words_into_keywords(knowledge) -> None:
    # one letter from a keyword, but words in their own right
    for text in ("we reach out", "bar charts", "the farms", "stage lighting", "load balancer", "barely any users",
                 "data served", "a larger team"):
        assert answers(knowledge, text) == {}, text


@pytest.mark.parametrize("text", [
    "x" * 10_000,
    "<" * 10_000,
    "<@" * 5_000,
    "~" * 10_000,
    "~a " * 3_000,
    "[a](" * 2_500,
    "http://" + "a" * 10_000,
    "no " * 3_000 + "api",
    "not " * 2_500 + "websockets",
    ("we don't need websockets, " * 400),
    "\u200b" * 10_000,
    "```" * 3_000,
    ":a" * 5_000,
    "é" * 10_000,
])
def test_hostile_input_is_bounded_and_safe(knowledge, text) -> None:
    cleaned = clean(text)
    assert len(cleaned) <= MAX_TEXT
    found = extract(knowledge, text)
    assert all(len(words) <= 80 for _, _, words in found)


def test_only_the_start_of_a_huge_text_is_read(knowledge) -> None:
    assert answers(knowledge, "websockets " + "x" * 10_000 + " graphql") == {"realtime": "yes"}
    assert "graphql" not in clean("a" * MAX_RAW + " graphql")


def test_hostile_start_replies_without_pinging(knowledge) -> None:
    state, reply = engine.step(knowledge, None, engine.Start("<!channel> @everyone <!here> " + "x" * 10_000))
    assert isinstance(reply, (QuestionReply, Recommendation))
    assert state.from_text == ()
    text = "<!channel> a fast API @everyone"
    state, reply = engine.step(knowledge, None, engine.Start(text))
    shown = " ".join(p.keyword for p in reply.prefilled)
    assert "channel" not in shown and "everyone" not in shown and "<" not in shown
