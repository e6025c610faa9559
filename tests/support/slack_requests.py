"""Signed Slack requests, built from the payload fixtures in tests/fixtures/slack.

Stable API (other tests rely on it)::

    signer = SlackRequests(signing_secret, events_url)   # events_url: "http://127.0.0.1:PORT/slack/events"

    status, text = signer.command("compare django flask", response_url=slack.response_url())
    status, text = signer.click(blocks, "answer:style:api", response_url=url)      # button by exact action_id
    status, text = signer.click(blocks, "answer:experience", option="none", response_url=url)  # static_select
    status, text = signer.mention("<@UBOT000001> help", ts="1700000000.000100")
    status, text = signer.post(body, headers)              # anything, e.g. forged / stale variants

    reply = signer.command_reply("", slack)   # the command's reply message, wherever it comes:
    reply.blocks, reply.body, reply.kind       # kind "ack" (JSON in the HTTP answer; the bot answers
                                               # there when the reply is ready within ~0.3 s) or
                                               # "response" (posted to response_url after an empty ack)

Lower level, all pure:

    body = command_body(text, user="U1", channel="C1", team="T1", response_url=url, user_name="ana")  # form
    body = actions_body(action, response_url=url, user="U1", thread_ts=None)           # "payload=" form bytes
    body = event_body(event_overrides)                                                   # JSON bytes
    headers = sign(body, secret, timestamp=None)          # X-Slack-Signature / X-Slack-Request-Timestamp
    elements(blocks) -> [ {"action_id", "block_id", "type", "value"?, "options"?} ... ]  # every interactive element
    action_for(blocks, action_id, option=None) -> the action dict Slack would send for that click

Every click/command/mention takes keyword overrides for user, channel, team, and `headers`
(extra headers, e.g. {"X-Slack-Retry-Num": "1"}).
"""
from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "slack"
USER = "U0000000001"
OTHER_USER = "U0000000002"
CHANNEL = "C0000000001"
TEAM = "T00000TEST"


def fixture(name: str) -> dict[str, Any]:
    """A fresh copy of tests/fixtures/slack/<name>.json."""
    return json.loads((FIXTURES / f"{name}.json").read_text())


def sign(body: bytes, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Slack's v0 request signature over `body`, as the two headers Slack sends."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + ts.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def command_body(text: str = "", *, user: str = USER, channel: str = CHANNEL, team: str = TEAM,
                 response_url: str = "", command: str = "/framework", user_name: str | None = None) -> bytes:
    form = fixture("command")
    form.update(text=text, user_id=user, channel_id=channel, team_id=team, command=command)
    if user_name is not None:
        form["user_name"] = user_name
    if response_url:
        form["response_url"] = response_url
    return urlencode(form).encode()


def elements(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every interactive element in `blocks`, each with its enclosing block_id."""
    found = []
    for block in blocks:
        candidates = list(block.get("elements") or [])
        if block.get("accessory"):
            candidates.append(block["accessory"])
        for el in candidates:
            if isinstance(el, dict) and el.get("action_id"):
                found.append({**el, "block_id": block.get("block_id", "")})
    return found


def action_for(blocks: list[dict[str, Any]], action_id: str, option: str | None = None) -> dict[str, Any]:
    """The `actions[0]` Slack sends when the element `action_id` in `blocks` is used.
    For a static_select, `option` is the value of the chosen option."""
    for el in elements(blocks):
        if el["action_id"] != action_id:
            continue
        base = {"action_id": action_id, "block_id": el["block_id"], "type": el["type"],
                "action_ts": f"{time.time():.6f}"}
        if el["type"] == "static_select":
            options = list(el.get("options") or [])
            for group in el.get("option_groups") or []:
                options += group.get("options", [])
            chosen = [o for o in options if o["value"] == option]
            if not chosen:
                raise KeyError(f"{action_id!r} has no option {option!r}")
            return {**base, "selected_option": chosen[0],
                    "placeholder": el.get("placeholder", {"type": "plain_text", "text": "Choose"})}
        return {**base, "text": el.get("text", {"type": "plain_text", "text": ""}), "value": el.get("value", "")}
    raise KeyError(f"no element {action_id!r} in blocks; have {[e['action_id'] for e in elements(blocks)]}")


def actions_body(action: dict[str, Any], *, response_url: str, user: str = USER, channel: str = CHANNEL,
                 team: str = TEAM, thread_ts: str | None = None, blocks: list[dict[str, Any]] | None = None,
                 message_ts: str | None = None) -> bytes:
    """A block_actions `payload=` form body. Without `thread_ts` it is a click on an ephemeral
    message (no `message` field, like Slack); with it, a click on a public message in that thread."""
    payload = fixture("block_actions_message" if thread_ts else "block_actions_ephemeral")
    payload["user"].update(id=user, username=user.lower(), name=user.lower(), team_id=team)
    payload["team"]["id"] = team
    payload["channel"]["id"] = channel
    payload["container"]["channel_id"] = channel
    if message_ts:
        payload["container"]["message_ts"] = message_ts
    if thread_ts:
        payload["container"]["thread_ts"] = thread_ts
        payload["message"]["thread_ts"] = thread_ts
        payload["message"]["ts"] = payload["container"]["message_ts"]
        payload["message"]["blocks"] = copy.deepcopy(blocks or [])
    payload["response_url"] = response_url
    payload["actions"] = [action]
    return urlencode({"payload": json.dumps(payload)}).encode()


def event_body(event: dict[str, Any] | None = None, *, event_id: str | None = None, team: str = TEAM) -> bytes:
    """An event_callback JSON body wrapping an app_mention (fields of `event` override the fixture's)."""
    body = fixture("app_mention")
    body["team_id"] = team
    body["event"].update(event or {})
    body["event_id"] = event_id or f"Ev{time.time_ns() % 10**10:010d}"
    return json.dumps(body).encode()


def post(url: str, body: bytes, headers: dict[str, str], timeout: float = 10.0) -> tuple[int, str]:
    """POST and return (status, text), never raising on HTTP error statuses."""
    req = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


class SlackRequests:
    """Signs and posts requests to a Bolt endpoint (POST /slack/events)."""

    FORM = "application/x-www-form-urlencoded"

    def __init__(self, secret: str, url: str) -> None:
        self.secret = secret
        self.url = url

    def headers(self, body: bytes, content_type: str, extra: dict[str, str] | None = None,
                timestamp: int | None = None) -> dict[str, str]:
        return {"Content-Type": content_type, **sign(body, self.secret, timestamp), **(extra or {})}

    def post(self, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        return post(self.url, body, headers)

    def command(self, text: str = "", *, response_url: str, headers: dict[str, str] | None = None,
                **fields: Any) -> tuple[int, str]:
        body = command_body(text, response_url=response_url, **fields)
        return self.post(body, self.headers(body, self.FORM, headers))

    def command_reply(self, text: str, slack: Any, *, timeout: float = 5.0, **fields: Any) -> Any:
        """Send `/framework text` and return the reply message as a slack_api.Recorded:
        the JSON the bot answered the command with (kind "ack"), or else the first post to
        the command's response_url (kind "response"). `slack` is a slack_api.SlackAPI."""
        from .slack_api import Recorded

        url = fields.pop("response_url", None) or slack.response_url()
        status, text_ = self.command(text, response_url=url, **fields)
        if status != 200:
            raise AssertionError(f"command answered {status}: {text_[:200]}")
        if text_.strip().startswith("{"):
            return Recorded("ack", self.url, "ack", {}, text_.encode(), json.loads(text_), time.time())
        return slack.wait_for(response_url=url, timeout=timeout)

    def click(self, blocks: list[dict[str, Any]], action_id: str, *, response_url: str, option: str | None = None,
              headers: dict[str, str] | None = None, **fields: Any) -> tuple[int, str]:
        body = actions_body(action_for(blocks, action_id, option), response_url=response_url, blocks=blocks, **fields)
        return self.post(body, self.headers(body, self.FORM, headers))

    def mention(self, text: str, *, ts: str, thread_ts: str | None = None, user: str = USER,
                channel: str = CHANNEL, headers: dict[str, str] | None = None, event_id: str | None = None,
                ) -> tuple[int, str]:
        event: dict[str, Any] = {"text": text, "ts": ts, "event_ts": ts, "user": user, "channel": channel}
        if thread_ts:
            event["thread_ts"] = thread_ts
        body = event_body(event, event_id=event_id)
        return self.post(body, self.headers(body, "application/json", headers))
