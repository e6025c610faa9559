"""Hostile and malformed requests to POST /slack/events, sent as raw bytes over HTTP to the real
Bolt app: the signature is checked on the raw body before anything is parsed (401), a signed but
malformed body is a 400, shapes Slack never sends are a 400, and every one of them is a single
log line without a traceback. A client that hangs up mid-body is one line too."""
from __future__ import annotations

import json
import logging
import socket
import time
from urllib.parse import urlencode

import pytest

from bot.adapters.slack.handlers.dispatch import ERROR_MESSAGE
from bot.adapters.slack.run import run_slack
from bot.store.memory import MemoryStore

try:
    from slack_support import slack  # noqa: F401  (fixture)
    from support.slack_api import BackgroundLoop, free_port
    from support.slack_requests import SlackRequests, command_body, event_body, fixture, sign
except ImportError:  # pragma: no cover
    from tests.slack_support import slack  # noqa: F401
    from tests.support.slack_api import BackgroundLoop, free_port
    from tests.support.slack_requests import SlackRequests, command_body, event_body, fixture, sign

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def _payload(**fields) -> bytes:  # noqa: ANN003
    payload = fixture("block_actions_ephemeral")
    payload.update(fields)
    return urlencode({"payload": json.dumps(payload)}).encode()


# (name, body, content type): bodies no real Slack delivery looks like
MALFORMED = [
    ("binary", bytes(range(256)) * 4, "application/octet-stream"),
    ("json array", b"[1, 2, 3]", JSON),
    ("broken json", b"{oops", JSON),
    ("json string", b'"hello"', JSON),
    ("payload not json", b"payload=%7Boops", FORM),
    ("payload a json array", b"payload=%5B1%5D", FORM),
    ("invalid utf-8 form", b"command=%2Fframework&text=\xff\xfe\xfa", FORM),
    ("empty body", b"", FORM),
]
WRONG_SHAPES = [
    ("actions empty", _payload(actions=[]), FORM),
    ("numeric action_id", _payload(actions=[{"action_id": 7, "block_id": "b", "type": "button", "value": "v"}]), FORM),
    ("actions not a list", _payload(actions={"action_id": "share"}), FORM),
    ("action a string", _payload(actions=["share"]), FORM),
    ("numeric value", _payload(actions=[{"action_id": "share", "type": "button", "value": 7}]), FORM),
    ("selected_option a string", _payload(actions=[{"action_id": "answer:q", "type": "static_select",
                                                    "block_id": "b", "selected_option": "x"}]), FORM),
    ("user a number", _payload(user=5), FORM),
    ("event_callback without event", json.dumps({"type": "event_callback", "event": "x"}).encode(), JSON),
    ("type a number", json.dumps({"type": 5}).encode(), JSON),
    ("command a list", json.dumps({"command": ["/framework"], "user_id": "U1"}).encode(), JSON),
]


@pytest.fixture
def http_bot(slack, make_app):
    def start(store=None):  # noqa: ANN001, ANN202
        app = make_app(store, slack_bot_token="xoxb-test", slack_signing_secret=SECRET,
                       slack_api_url=slack.base_url, slack_mode="http")
        port = free_port()
        loop = BackgroundLoop(lambda ready: run_slack(app, http=True, host="127.0.0.1", port=port, ready=ready))
        loop.start()
        started.append(loop)
        return app, port, SlackRequests(SECRET, f"http://127.0.0.1:{port}/slack/events")

    started: list[BackgroundLoop] = []
    yield start
    for loop in started:
        loop.stop()


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


def test_unsigned_and_forged_garbage_is_401_without_a_traceback(http_bot, caplog) -> None:
    caplog.set_level(logging.INFO)
    app, _, req = http_bot()
    for name, body, ctype in MALFORMED + WRONG_SHAPES:
        assert req.post(body, {"Content-Type": ctype})[0] == 401, name
        forged = {"Content-Type": ctype, **sign(body, "not-the-secret")}
        assert req.post(body, forged)[0] == 401, name
        garbage = {"Content-Type": ctype, "X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=zz"}
        assert req.post(body, garbage)[0] == 401, name
    assert tracebacks(caplog) == []
    assert app.store.stats()["sessions"] == 0


@pytest.mark.parametrize("name,body,ctype", MALFORMED + WRONG_SHAPES, ids=[c[0] for c in MALFORMED + WRONG_SHAPES])
def test_signed_but_malformed_is_400_and_one_line(http_bot, caplog, name, body, ctype) -> None:
    caplog.set_level(logging.INFO)
    app, _, req = http_bot()
    caplog.clear()
    status, _ = req.post(body, {"Content-Type": ctype, **sign(body, SECRET)})
    assert status == 400, name
    assert tracebacks(caplog) == []
    lines = [r for r in caplog.records if r.name.startswith("bot")]
    assert len(lines) == 1 and "refused (400)" in lines[0].getMessage()
    assert lines[0].levelno <= logging.WARNING


def test_a_hundred_bad_requests_are_a_hundred_lines(http_bot, caplog) -> None:
    caplog.set_level(logging.INFO)
    _, _, req = http_bot()
    caplog.clear()
    for i in range(100):
        body = b"{oops" if i % 2 else bytes([0xff, 0x00, i])
        headers = {"Content-Type": JSON, **(sign(body, SECRET) if i % 4 < 2 else {})}
        assert req.post(body, headers)[0] in (400, 401)
    assert tracebacks(caplog) == []
    assert len([r for r in caplog.records if r.levelno >= logging.INFO]) == 100


def test_a_client_hanging_up_mid_body_is_one_line(http_bot, caplog) -> None:
    caplog.set_level(logging.INFO)
    _, port, req = http_bot()
    caplog.clear()
    head = (f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {JSON}\r\n"
            "Content-Length: 5000\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(head + b'{"type": "event_callback", "ev')
        time.sleep(0.2)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any("hung up" in r.getMessage() for r in caplog.records):
        time.sleep(0.05)
    assert any("hung up" in r.getMessage() for r in caplog.records)
    assert tracebacks(caplog) == []
    # and the server still answers
    body = command_body("help", response_url="http://127.0.0.1:1/x")
    assert req.post(body, {"Content-Type": FORM, **sign(body, SECRET)})[0] == 200


def test_signed_requests_for_nothing_we_handle_are_not_500(http_bot, caplog) -> None:
    """Well-formed and signed, but no listener: Bolt's 404, one warning, no traceback."""
    caplog.set_level(logging.INFO)
    _, _, req = http_bot()
    bodies = [
        (command_body("", command="/other"), FORM),  # a full slash-command delivery, just not ours
        (_payload(actions=[{"action_id": "not-ours", "block_id": "b", "type": "button", "value": "v",
                            "text": {"type": "plain_text", "text": "Other", "emoji": True},
                            "action_ts": "1700000001.000200"}]), FORM),
        (event_body({"type": "reaction_added", "reaction": "thumbsup", "item_user": "U0000000002",
                     "item": {"type": "message", "channel": "C0000000001", "ts": "1700000000.000100"}}), JSON),
        (json.dumps({"type": "something_new"}).encode(), JSON),
    ]
    for body, ctype in bodies:
        status, _ = req.post(body, {"Content-Type": ctype, **sign(body, SECRET)})
        assert status < 500
    assert tracebacks(caplog) == []


class BrokenStore(MemoryStore):
    def load(self, key: str):  # noqa: ANN201
        raise RuntimeError("the disk caught fire")


def test_a_listener_failure_is_a_logged_error_and_a_safe_reply(http_bot, slack, caplog) -> None:
    caplog.set_level(logging.INFO)
    app, _, req = http_bot(BrokenStore())
    url = slack.response_url()
    body = command_body("", response_url=url)
    status, text = req.post(body, {"Content-Type": FORM, **sign(body, SECRET)})
    assert status == 200 and "fire" not in text
    reply = slack.wait_for(response_url=url)
    assert reply.body["text"] == ERROR_MESSAGE and reply.body["response_type"] == "ephemeral"
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "the disk caught fire" in errors[0].getMessage()
