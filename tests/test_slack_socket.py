"""Socket Mode from the same code: apps.connections.open on the Web API stand-in hands out
ws://127.0.0.1, the stand-in says hello, pushes Slack-shaped envelopes and records acks."""
from __future__ import annotations

import json
import logging

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


def events_api_envelope(envelope_id: str, *, text: str, ts: str, retry_attempt: int = 0,
                        retry_reason: str = "") -> dict:
    """An events_api envelope as Slack sends it (slack_sdk's mock_socket_mode_server shape):
    the full event_callback payload, `retry_attempt: 0` and `retry_reason: ""` on a first delivery."""
    payload = fixture("app_mention")
    payload["event"].update(text=text, ts=ts, event_ts=ts)
    payload["event_id"] = f"Ev{envelope_id}"
    return {"envelope_id": envelope_id, "payload": payload, "type": "events_api",
            "accepts_response_payload": False, "retry_attempt": retry_attempt, "retry_reason": retry_reason}


def test_socket_mode_mention_first_delivery_starts_a_thread(socket_bot) -> None:
    """retry_attempt 0 is a first delivery (Bolt mirrors it into x-slack-retry-num: "0")."""
    app, slack = socket_bot
    envelope = events_api_envelope("ev-1", text="<@UBOT000001> help us pick", ts="1700000001.000100")
    slack.push(envelope)
    ack = slack.wait_ack("ev-1")
    assert "payload" not in ack or not ack["payload"]
    post = slack.wait_for(api="chat.postMessage")
    assert post.body["thread_ts"] == "1700000001.000100"
    assert post.blocks
    session = app.store.load(Scope("slack", TEAM, CHANNEL, "1700000001.000100", "").key())
    assert session is not None and session.owner == USER

    # Slack's retry of the same event (retry_attempt 1) is acked and dropped: no second post.
    retry = events_api_envelope("ev-1r", text="<@UBOT000001> help us pick", ts="1700000001.000100",
                                retry_attempt=1, retry_reason="timeout")
    slack.push(retry)
    slack.wait_ack("ev-1r")
    slack.settle()
    assert len(slack.calls("chat.postMessage")) == 1
    assert app.store.load(Scope("slack", TEAM, CHANNEL, "1700000001.000100", "").key()) == session


@pytest.mark.parametrize("frame", [
    "not json at all",
    "[1, 2, 3]",
    json.dumps({"envelope_id": "bad-1", "type": "events_api", "payload": "a string", "retry_attempt": 0}),
    json.dumps({"envelope_id": "bad-2", "type": "events_api", "payload": {"type": "event_callback"},
                "retry_attempt": "zero"}),
    json.dumps({"envelope_id": "bad-3", "type": "interactive", "payload": {"type": "block_actions", "actions": []}}),
    json.dumps({"envelope_id": "bad-4", "type": "interactive",
                "payload": {"type": "block_actions", "actions": [{"action_id": 7, "value": 7}]}}),
    json.dumps({"type": "slash_commands"}),
])
def test_socket_mode_survives_a_malformed_envelope(socket_bot, frame, caplog) -> None:
    """The connection loop keeps going: the next real command is still answered. A payload
    shape Slack never sends is acked (not redelivered) with one line and no traceback."""
    caplog.set_level(logging.INFO)
    app, slack = socket_bot
    slack.push_raw(frame)
    envelope_id = json.loads(frame).get("envelope_id") if frame.startswith("{") else None
    if envelope_id in ("bad-3", "bad-4"):
        slack.wait_ack(envelope_id)
        assert any("envelope refused" in r.getMessage() for r in caplog.records)
        assert not [r for r in caplog.records if r.exc_info]
    envelope = fixture("socket_slash_commands")
    envelope["envelope_id"] = "after-bad"
    envelope["payload"]["response_url"] = slack.response_url()
    slack.push(envelope)
    ack = slack.wait_ack("after-bad")
    assert ack["payload"]["response_type"] == "ephemeral"
