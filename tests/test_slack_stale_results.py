"""Stale, foreign and malformed result clicks on Slack (what-if, export, compare, Home continue)
through the real Bolt app: each gets a safe private reply, saves nothing and logs no traceback."""
from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

import pytest

from slack_support import bot, slack  # noqa: F401  (fixtures)
from test_slack_http import Bot, elements
from test_slack_results import finish, token_of, with_button
from test_slack_home import open_home

try:
    from support.slack_requests import fixture
except ImportError:  # pragma: no cover
    from tests.support.slack_requests import fixture


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()] == []


@pytest.mark.parametrize("action_id", ["whatif:nosuch:x", "whatif:<!channel>:<@U1>", "whatif:experience:*b*<!here>",
                                       "whatif:experience:nope", "whatif:experience"])
def test_malformed_whatif_is_a_safe_reply(bot: Bot, caplog, action_id: str) -> None:
    caplog.set_level(logging.INFO)
    blocks = finish(bot)
    before = bot.session()
    reply = bot.click(with_button(blocks, action_id, token_of(blocks)), action_id)
    assert reply.body.get("text") or reply.blocks
    assert bot.session() == before
    no_tracebacks(caplog)


@pytest.mark.parametrize("action_id", ["export", "compare", "whatif:experience:django"])
def test_result_buttons_while_still_asking_or_foreign(bot: Bot, caplog, action_id: str) -> None:
    caplog.set_level(logging.INFO)
    result = finish(bot)
    tok = token_of(result)
    asking = bot.command("").blocks  # restarts: the token is now stale
    before = bot.session()
    reply = bot.click(with_button(asking, action_id, tok), action_id)
    assert reply.body.get("text") or reply.blocks
    assert bot.session() == before
    other = bot.click(with_button(result, action_id, tok), action_id, user="U0OTHER")
    assert other.body.get("text") or other.blocks
    assert bot.session() == before
    no_tracebacks(caplog)


@pytest.mark.parametrize("value", ["", "garbage", "C1:x:y", json.dumps({"a": 1}), "C0FOREIGN::deadbeef:1", "x" * 10000])
def test_home_continue_with_foreign_or_missing_session(bot: Bot, slack, caplog, value: str) -> None:
    caplog.set_level(logging.INFO)
    finish(bot)
    view = open_home(bot, slack)["view"]
    n = len(slack.calls("views.publish"))
    payload = fixture("block_actions_home")
    payload["view"]["blocks"] = view["blocks"]
    payload["actions"] = [{"type": "button", "action_id": "home:continue", "block_id": "b", "value": value,
                           "text": {"type": "plain_text", "text": "x"}, "action_ts": "1700000600.000100"}]
    raw = urlencode({"payload": json.dumps(payload)}).encode()
    status, _ = bot.req.post(raw, bot.req.headers(raw, bot.req.FORM))
    assert status == 200
    published = slack.wait_for(api="views.publish", index=n).body
    assert published["view"]["type"] == "home"
    no_tracebacks(caplog)


def test_home_continue_with_another_users_value(bot: Bot, slack, caplog) -> None:
    caplog.set_level(logging.INFO)
    bot.command("")
    view = open_home(bot, slack)["view"]
    value = next(e["value"] for e in elements(view["blocks"]) if e["action_id"] == "home:continue")
    n, posts = len(slack.calls("views.publish")), len(slack.calls("chat.postEphemeral"))
    payload = fixture("block_actions_home")
    payload["user"]["id"] = "U0OTHER"
    payload["view"]["blocks"] = view["blocks"]
    payload["actions"] = [{"type": "button", "action_id": "home:continue", "block_id": "b", "value": value,
                           "text": {"type": "plain_text", "text": "x"}, "action_ts": "1700000600.000100"}]
    raw = urlencode({"payload": json.dumps(payload)}).encode()
    assert bot.req.post(raw, bot.req.headers(raw, bot.req.FORM))[0] == 200
    published = slack.wait_for(api="views.publish", index=n).body
    assert published["user_id"] == "U0OTHER"
    assert len(slack.calls("chat.postEphemeral")) == posts, "nothing of Alice's is posted to Bob"
    no_tracebacks(caplog)


@pytest.mark.parametrize("action_id", ["export", "compare", "whatif:experience:django"])
def test_result_buttons_on_a_question_token(bot: Bot, caplog, action_id: str) -> None:
    caplog.set_level(logging.INFO)
    asking = bot.command("").blocks
    tok = next(e["value"] for e in elements(asking) if e.get("value"))
    before = bot.session()
    reply = bot.click(with_button(asking, action_id, tok), action_id)
    assert reply.body.get("text") or reply.blocks  # a note says why nothing happened
    assert bot.session() == before
    no_tracebacks(caplog)
