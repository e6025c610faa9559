"""Every field of every real Slack delivery the app accepts, turned into each wrong JSON type,
signed and posted to the real Bolt app over HTTP: none of them may end in a traceback or in
Bolt's multi-line "Unhandled request" advice. A body of the wrong shape is a 400 with one log
line (bot.adapters.slack.shape declares what is read); a request no listener handles is one
line too.

The deliveries are the fixtures in tests/fixtures/slack (from Slack's docs and SDK fixtures),
with the ids, tokens and values of a real conversation on this bot, so that what is not
refused runs the handlers as deep as a real click does."""
from __future__ import annotations

import copy
import json
import logging
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.adapters.slack.run import run_slack
from bot.store.memory import MemoryStore

try:
    from support.slack_api import BackgroundLoop, SlackAPI, free_port
    from support.slack_requests import SlackRequests, action_for, elements, fixture
except ImportError:  # pragma: no cover
    from tests.support.slack_api import BackgroundLoop, SlackAPI, free_port
    from tests.support.slack_requests import SlackRequests, action_for, elements, fixture

SECRET = "shape-test-signing-secret-0123456789"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
WRONG: list[Any] = [None, True, 7, "x", [], {}]  # one value of each JSON type
THREAD = "1700000000.000100"


def kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def paths(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every path into a JSON value (object keys and list indexes), the value itself excluded."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield prefix + (key,)
            yield from paths(item, prefix + (key,))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield prefix + (n,)
            yield from paths(item, prefix + (n,))


def mutated(payload: dict, path: tuple, new: Any) -> dict:
    out = copy.deepcopy(payload)
    node = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = copy.deepcopy(new)
    return out


def mutations(payload: dict) -> Iterator[tuple[str, dict]]:
    for path in paths(payload):
        node: Any = payload
        for step in path:
            node = node[step]
        for new in WRONG:
            if kind(new) != kind(node):
                yield ".".join(map(str, path)) + f"={json.dumps(new)}", mutated(payload, path, new)


def encode(payload: dict, form: bool) -> tuple[bytes, str]:
    if form:
        return urlencode({"payload": json.dumps(payload)}).encode(), FORM
    return json.dumps(payload).encode(), JSON


@pytest.fixture
def setup(make_app):
    """The bot, the stand-in, and the thirteen real deliveries: (name, payload, sent as payload= form)."""
    with SlackAPI() as slack:
        app = make_app(MemoryStore(), slack_bot_token="xoxb-test", slack_signing_secret=SECRET,
                       slack_api_url=slack.base_url, slack_mode="http")
        port = free_port()
        loop = BackgroundLoop(lambda ready: run_slack(app, http=True, host="127.0.0.1", port=port, ready=ready,
                                                      inline_budget=0))
        with loop:
            req = SlackRequests(SECRET, f"http://127.0.0.1:{port}/slack/events")
            yield slack, req, deliveries(slack, req)


def clicked_payload(name: str, action: dict, response_url: str, **extra: Any) -> dict:
    payload = fixture(name)
    payload.update(response_url=response_url, actions=[action], **extra)
    return payload


def deliveries(slack: SlackAPI, req: SlackRequests) -> list[tuple[str, dict, bool]]:
    url = slack.response_url()
    blocks = req.command_reply("", slack, response_url=url).blocks
    button = action_for(blocks, "nav:skip")
    select_blocks = blocks
    for _ in range(15):
        selects = [e for e in elements(select_blocks) if e["type"] == "static_select"]
        if selects:
            break
        u = slack.response_url()
        assert req.click(select_blocks, "nav:skip", response_url=u)[0] == 200
        select_blocks = slack.wait_for(response_url=u).blocks
    select = action_for(select_blocks, selects[0]["action_id"], selects[0]["options"][0]["value"])

    assert req.mention("<@UBOT000001> help us pick", ts=THREAD)[0] == 200
    thread_blocks = slack.wait_for(api="chat.postMessage").blocks
    thread_button = action_for(thread_blocks, "nav:skip")
    home_event = fixture("app_home_opened")
    raw = json.dumps(home_event).encode()
    assert req.post(raw, req.headers(raw, JSON))[0] == 200
    view = slack.wait_for(api="views.publish").body["view"]
    view = view if isinstance(view, dict) else json.loads(view)
    home_el = next(e for e in elements(view["blocks"]) if e["action_id"] == "home:continue")
    slack.settle()

    def clicked(name: str, action: dict, **extra: Any) -> dict:
        payload = fixture(name)
        payload["response_url"] = slack.response_url() if "response_url" in payload else None
        payload = {k: v for k, v in payload.items() if v is not None or k != "response_url"}
        payload["actions"] = [action]
        payload.update(extra)
        return payload

    message = fixture("block_actions_message")
    message["message"]["blocks"] = copy.deepcopy(thread_blocks)
    home = fixture("block_actions_home")
    home["view"]["blocks"] = copy.deepcopy(view["blocks"])
    home["actions"] = [{"type": "button", "action_id": "home:continue", "block_id": home_el["block_id"],
                        "value": home_el["value"], "text": home_el["text"], "action_ts": "1700000600.000100"}]
    command = fixture("command")
    command["response_url"] = slack.response_url()
    team_command = {**fixture("command"), "text": "team our next app", "response_url": slack.response_url()}
    assert req.command("team our next app", response_url=slack.response_url(), user_name="ana")[0] == 200
    card_blocks = slack.wait_for(api="chat.postMessage", where=lambda r: "team:answer" in json.dumps(r.blocks)).blocks
    card_message = {**copy.deepcopy(message["message"]), "blocks": copy.deepcopy(card_blocks)}
    card_message.pop("thread_ts", None)
    joined = slack.response_url()
    answer = clicked_payload("block_actions_message", action_for(card_blocks, "team:answer"), joined,
                             message=card_message)
    raw = urlencode({"payload": json.dumps(answer)}).encode()
    assert req.post(raw, req.headers(raw, FORM))[0] == 200
    member_blocks = slack.wait_for(response_url=joined).blocks  # a member's first question (token ~team)
    slack.settle()
    return [
        ("command", command, False),
        ("button", clicked("block_actions_ephemeral", button), False),
        ("select", clicked("block_actions_ephemeral", select), False),
        ("thread button", clicked("block_actions_message", thread_button, message=message["message"]), False),
        ("Home button", home, False),
        ("team command", team_command, False),
        ("team card button", clicked("block_actions_message", action_for(card_blocks, "team:answer"),
                                     message=card_message), False),
        ("team card select", clicked("block_actions_message", action_for(card_blocks, "team:deadline", "3600"),
                                     message=card_message), False),
        ("team member button", clicked("block_actions_ephemeral", action_for(member_blocks, "nav:skip")), False),
        ("app_mention", fixture("app_mention"), False),
        ("app_home_opened", home_event, False),
        ("url_verification", {"token": "Jhj5dZrVaK7ZwHHjRyZWjbDl",
                              "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                              "type": "url_verification"}, False),
        ("ssl_check", {"ssl_check": "1", "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl"}, False),
    ]


def test_every_field_of_every_delivery_in_every_wrong_type(setup, caplog) -> None:
    slack, req, cases = setup
    caplog.set_level(logging.INFO)
    caplog.clear()
    statuses: Counter[tuple[str, int]] = Counter()
    sent = 0
    bad: list[str] = []
    seen = 0

    def check(label: str, status: int | None) -> None:
        """The log records since the last check (background work may log a little later: it
        is then named after the next mutation, but never missed)."""
        nonlocal seen
        records = caplog.records[seen:]
        seen += len(records)
        ours = [r for r in records if r.name.startswith("bot")]
        for r in ours:
            if r.exc_info or "\n" in r.getMessage():
                bad.append(f"{label}: {r.name}: {r.getMessage().splitlines()[0][:120]}"
                           + (f" [{_site(r)}]" if r.exc_info else " [multi-line]"))
        if status == 400 and len([r for r in ours if "refused (400)" in r.getMessage()]) != 1:
            bad.append(f"{label}: 400 without its one log line")

    for name, payload, _ in cases:
        form = "actions" in payload
        for label, body in mutations(payload):
            raw, ctype = encode(body, form)
            status, _ = req.post(raw, req.headers(raw, ctype))
            statuses[(name, status)] += 1
            sent += 1
            if status not in (200, 400, 404):
                bad.append(f"{name} {label}: HTTP {status}")
            time.sleep(0.005)
            check(f"{name} {label}", status)
        slack.settle(quiet=0.3)
        check(f"{name} (after the last)", None)
    print(f"{sent} mutations; statuses: {dict(sorted(statuses.items()))}")
    assert sent > 1000
    assert bad == [], f"{len(bad)} problems:\n" + "\n".join(bad[:80])


def _site(record: logging.LogRecord) -> str:
    tb = record.exc_info[2] if record.exc_info else None
    last = None
    while tb is not None:
        if "/bot/" in tb.tb_frame.f_code.co_filename:
            last = tb
        tb = tb.tb_next
    if last is None:
        return "?"
    return f"{last.tb_frame.f_code.co_filename.rsplit('/bot/', 1)[1]}:{last.tb_lineno}"


EXAMPLES = [  # (delivery, path, wrong value): the tracebacks and multi-line logs, each now one 400
    ("button", ("user",), "x"),
    ("button", ("container", "channel_id"), 7),
    ("button", ("team", "id"), True),
    ("Home button", ("view", "app_installed_team_id"), 7),
    ("Home button", ("user",), "x"),
    ("app_mention", ("event", "text"), 7),
    ("app_mention", ("event", "type"), 7),
    ("app_home_opened", ("authorizations", 0, "team_id"), 7),
    ("command", ("command",), None),
    ("command", ("text",), None),
]


def test_the_reported_examples_are_a_400_and_one_line(setup, caplog) -> None:
    _, req, cases = setup
    by_name = {name: payload for name, payload, _ in cases}
    caplog.set_level(logging.INFO)
    for name, path, new in EXAMPLES:
        caplog.clear()
        payload = by_name[name]
        raw, ctype = encode(mutated(payload, path, new), "actions" in payload)
        assert req.post(raw, req.headers(raw, ctype))[0] == 400, (name, path, new)
        lines = [r.getMessage() for r in caplog.records if r.name.startswith("bot")]
        assert len(lines) == 1 and "refused (400)" in lines[0], lines
        assert ".".join(map(str, path)).replace(".0.", "[0].") in lines[0], lines  # it names the field


def test_a_request_no_listener_takes_is_one_line(setup, caplog) -> None:
    _, req, cases = setup
    by_name = {name: payload for name, payload, _ in cases}
    other = dict(by_name["command"], command="/other")
    reaction = dict(by_name["app_mention"], event={"type": "reaction_added", "user": "U0000000001",
                                                  "reaction": "thumbsup", "event_ts": "1700000000.000200",
                                                  "item": {"type": "message", "channel": "C0000000001",
                                                           "ts": "1700000000.000100"}})
    caplog.set_level(logging.INFO)
    for body in (other, reaction, {"type": "something_new", "token": "t"}):
        caplog.clear()
        raw = json.dumps(body).encode()
        assert req.post(raw, req.headers(raw, JSON))[0] == 404
        lines = [r.getMessage() for r in caplog.records if r.name.startswith("bot")]
        assert len(lines) == 1 and "not handled" in lines[0] and "\n" not in lines[0], lines
