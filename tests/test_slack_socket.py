"""Socket Mode from the same code: apps.connections.open on the Web API stand-in hands out
ws://127.0.0.1, the stand-in says hello, pushes Slack-shaped envelopes and records acks."""
from __future__ import annotations

import json

import pytest

from bot.adapters.slack.run import run_slack
from bot.store.base import Scope

try:
    from support.slack_api import BackgroundLoop, SlackAPI
    from support.slack_requests import CHANNEL, TEAM, USER, action_for, fixture
except ImportError:  # pragma: no cover
    from tests.support.slack_api import BackgroundLoop, SlackAPI
    from tests.support.slack_requests import CHANNEL, TEAM, USER, action_for, fixture


@pytest.fixture
def socket_bot(make_app):
    with SlackAPI() as slack:
        app = make_app(slack_bot_token="xoxb-test", slack_app_token="xapp-1-test", slack_api_url=slack.base_url,
                       slack_mode="socket")
        with BackgroundLoop(lambda ready: run_slack(app, http=False, ready=ready)):
            slack.wait_connected()
            yield app, slack


def test_socket_mode_command_and_click(socket_bot) -> None:
    app, slack = socket_bot
    opened = slack.wait_for(api="apps.connections.open")
    assert opened.headers["Authorization"] == "Bearer xapp-1-test"

    envelope = fixture("socket_slash_commands")
    url = slack.response_url()
    envelope["payload"]["response_url"] = url
    slack.push(envelope)
    ack = slack.wait_ack(envelope["envelope_id"])
    assert ack["envelope_id"] == envelope["envelope_id"]
    # the first question travels in the ack's payload (accepts_response_payload)
    assert ack["payload"]["response_type"] == "ephemeral"
    blocks = ack["payload"]["blocks"]
    assert any(b.get("block_id", "").startswith("answers|") for b in blocks)
    session = app.store.load(Scope("slack", TEAM, CHANNEL, "", USER).key())
    assert session is not None and session.version == 1

    # a retried envelope is acked and dropped
    retry = {**envelope, "envelope_id": "retry-1", "retry_attempt": 1, "retry_reason": "timeout"}
    slack.push(retry)
    assert "payload" not in slack.wait_ack("retry-1")
    slack.settle()
    assert slack.posts(url) == []
    assert app.store.load(Scope("slack", TEAM, CHANNEL, "", USER).key()) == session

    # a click through an interactive envelope advances the conversation
    answer = next(b for b in blocks if b.get("block_id", "").startswith("answers|"))
    el = answer["elements"][0]
    action = action_for(blocks, el["action_id"], el["options"][0]["value"] if el["type"] == "static_select" else None)
    payload = fixture("block_actions_ephemeral")
    click_url = slack.response_url()
    payload.update(response_url=click_url, actions=[action])
    slack.push({"envelope_id": "click-1", "type": "interactive", "payload": payload, "accepts_response_payload": False})
    slack.wait_ack("click-1")
    replaced = slack.wait_for(response_url=click_url)
    assert replaced.body["replace_original"] is True
    assert app.store.load(Scope("slack", TEAM, CHANNEL, "", USER).key()).version == 2
    assert json.dumps(replaced.blocks) != json.dumps(blocks)
