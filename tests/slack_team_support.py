"""Helpers for the Slack team-decision tests: one real Bolt app (HTTP mode, signed bodies) per
replica against the Web API stand-in, clicks shaped as Slack sends them (a public card's
button carries `message`, an ephemeral answer's does not), and the way to a member's result."""
from __future__ import annotations

import copy
import json
import threading
import time
from typing import Any
from urllib.parse import urlencode

from bot.adapters.slack.run import run_slack
from bot.store.base import TeamDecision
from bot.store.team import team_key

try:
    from support.slack_api import BackgroundLoop, Recorded, SlackAPI, free_port
    from support.slack_requests import TEAM, USER, SlackRequests, action_for, elements, fixture
except ImportError:  # pragma: no cover
    from tests.support.slack_api import BackgroundLoop, Recorded, SlackAPI, free_port
    from tests.support.slack_requests import TEAM, USER, SlackRequests, action_for, elements, fixture

SECRET = "team-test-signing-secret-0123456789abcdef"
CHANNEL = "C0000000001"
CARD = "Team decision"


def is_card(rec: Recorded) -> bool:
    return any(b.get("type") == "header" and CARD in b["text"]["text"] for b in rec.blocks)


def is_result(rec: Recorded) -> bool:
    return any(b.get("type") == "header" and b["text"]["text"].startswith(("Team pick", "Team leaning"))
               for b in rec.blocks)


def text_of(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def members_line(blocks: list[dict[str, Any]]) -> str:
    return next(b["text"]["text"] for b in blocks if b.get("block_id") == "team-members")


class Replica:
    """One bot process's worth: its App (store), its Bolt app on a free port, a signer."""

    def __init__(self, app: Any, slack: SlackAPI, sweep: float = 30.0) -> None:
        self.app = app
        self.slack = slack
        port = free_port()
        self.loop = BackgroundLoop(lambda ready: run_slack(app, http=True, host="127.0.0.1", port=port,
                                                           ready=ready, inline_budget=0, sweep=sweep))
        self.req = SlackRequests(SECRET, f"http://127.0.0.1:{port}/slack/events")

    def __enter__(self) -> Replica:
        self.loop.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.stop()

    def team(self, team_id: str) -> TeamDecision | None:
        return self.app.store.load_team(team_key("slack", TEAM, team_id))

    # -- sending ------------------------------------------------------------------------------
    def command(self, text: str, user: str = USER, **fields: Any) -> tuple[int, str, str]:
        url = self.slack.response_url()
        status, body = self.req.command(text, response_url=url, user=user, **fields)
        return status, body, url

    def start(self, text: str = "team our next internal API", user: str = USER, name: str = "ana",
              **fields: Any) -> tuple[Recorded, str]:
        """/framework team ...: the card as posted, and the team decision's id."""
        before = len(self.slack.calls("chat.postMessage"))
        status, body, _ = self.command(text, user=user, user_name=name, **fields)
        assert status == 200, body
        rec = self.slack.wait_for(api="chat.postMessage", index=before, timeout=10)
        assert is_card(rec), rec.blocks
        team_id = next(e["value"] for e in elements(rec.blocks) if e["action_id"] == "team:answer")
        return rec, team_id

    def click_card(self, blocks: list[dict[str, Any]], action_id: str, *, user: str, name: str = "",
                   option: str | None = None, thread: str = "", headers: dict[str, str] | None = None,
                   ) -> tuple[int, str]:
        """A click on the public card (or team result): the payload carries `message`, as Slack's does."""
        body = card_body(action_for(blocks, action_id, option), self.slack.response_url(), user=user, name=name,
                         blocks=blocks, thread=thread)
        self.last_body = body
        return self.req.post(body, self.req.headers(body, self.req.FORM, headers))

    def click_card_reply(self, blocks: list[dict[str, Any]], action_id: str, *, user: str, name: str = "",
                         option: str | None = None, timeout: float = 10) -> Recorded:
        action = action_for(blocks, action_id, option)
        url = self.slack.response_url()
        body = card_body(action, url, user=user, name=name, blocks=blocks)
        status, text = self.req.post(body, self.req.headers(body, self.req.FORM))
        assert status == 200, text
        return self.slack.wait_for(response_url=url, timeout=timeout)

    def click(self, blocks: list[dict[str, Any]], action_id: str, *, user: str, option: str | None = None,
              timeout: float = 10) -> Recorded:
        """A click on a private (ephemeral) message: what the member sees next."""
        url = self.slack.response_url()
        status, text = self.req.click(blocks, action_id, response_url=url, option=option, user=user)
        assert status == 200, text
        return self.slack.wait_for(response_url=url, timeout=timeout)


def card_body(action: dict[str, Any], response_url: str, *, user: str, name: str = "",
              blocks: list[dict[str, Any]] | None = None, thread: str = "", ts: str = "1700000100.000100") -> bytes:
    payload = fixture("block_actions_message")
    payload["user"].update(id=user, username=name or user.lower(), name=name or user.lower(), team_id=TEAM)
    payload["channel"]["id"] = CHANNEL
    container = payload["container"]
    container.update(channel_id=CHANNEL, message_ts=ts)
    message = payload["message"]
    message.update(ts=ts, blocks=copy.deepcopy(blocks or []))
    if thread:
        container["thread_ts"] = thread
        message["thread_ts"] = thread
    else:
        container.pop("thread_ts", None)
        message.pop("thread_ts", None)
    payload["response_url"] = response_url
    payload["actions"] = [action]
    return urlencode({"payload": json.dumps(payload)}).encode()


def first_answer(blocks: list[dict[str, Any]], pick: int) -> tuple[str, str | None]:
    """The `pick`-th answer (wrapping) of the question in `blocks`: (action id, select option or None)."""
    answers = [e for e in elements(blocks) if e["action_id"].startswith("answer:")]
    if answers[0]["type"] == "static_select":
        options = [o["value"] for o in answers[0].get("options") or []]
        return answers[0]["action_id"], options[pick % len(options)]
    return answers[pick % len(answers)]["action_id"], None


def until(condition: Any, timeout: float = 10.0, every: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not within {timeout}s")


def at_once(calls: list[Any]) -> list[Any]:
    """Run every call on its own thread, released together."""
    gate = threading.Barrier(len(calls))
    out: list[Any] = [None] * len(calls)

    def run(n: int) -> None:
        gate.wait()
        out[n] = calls[n]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out
