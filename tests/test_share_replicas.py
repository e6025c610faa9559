"""Two `python -m bot serve` replicas (Slack HTTP mode) on one real Redis: a result is posted to
the channel once, whatever lands where (concurrent clicks on both replicas, the same signed
request replayed to the other one), and a replayed /framework command does not restart a
conversation on either replica."""
from __future__ import annotations

import threading

import pytest

try:
    from redis_server import redis_url  # noqa: F401  (fixture)
    from support.serve_process import Serve, base_env
    from support.slack_api import SlackAPI
    from support.slack_requests import (CHANNEL, TEAM, USER, SlackRequests, action_for, actions_body, command_body,
                                        elements)
except ImportError:  # pragma: no cover
    from tests.redis_server import redis_url  # noqa: F401
    from tests.support.serve_process import Serve, base_env
    from tests.support.slack_api import SlackAPI
    from tests.support.slack_requests import (CHANNEL, TEAM, USER, SlackRequests, action_for, actions_body,
                                              command_body, elements)

from bot.store.base import Scope
from bot.store.redis import RedisStore

TOKEN = "xoxb-1111111111-2222222222-replicaTestTokenValue"
SECRET = "replica-test-signing-secret-0123456789abcdef"
pytestmark = pytest.mark.slow


@pytest.fixture
def replicas(tmp_path, redis_url):  # noqa: F811
    with SlackAPI() as slack:
        bots = []
        for name in ("a", "b"):
            d = tmp_path / name
            d.mkdir()
            env = base_env(d, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_MODE="http",
                           SLACK_API_URL=slack.base_url, ADVISOR_STORE=redis_url)
            bots.append(Serve(d, env=env))
        with bots[0], bots[1]:
            yield slack, [SlackRequests(SECRET, f"{b.base}/slack/events") for b in bots], RedisStore(redis_url)


def reply(slack: SlackAPI, req: SlackRequests, body: bytes, headers: dict, url: str) -> list[dict]:
    status, text = req.post(body, headers)
    assert status == 200, text
    if text.strip().startswith("{"):
        import json

        blocks = json.loads(text).get("blocks")
        if blocks:
            return blocks
    return slack.wait_for(response_url=url, timeout=10).blocks


def result_blocks(slack: SlackAPI, a: SlackRequests, b: SlackRequests) -> list[dict]:
    """A whole conversation, alternating replicas step by step."""
    url = slack.response_url()
    body = command_body("", response_url=url)
    blocks = reply(slack, a, body, a.headers(body, a.FORM), url)
    n = 0
    while not any(bl.get("block_id", "").startswith("recommendation:") for bl in blocks):
        el = next(e for e in elements(blocks) if e["action_id"].startswith("answer:"))
        option = el["options"][0]["value"] if el["type"] == "static_select" else None
        url = slack.response_url()
        body = actions_body(action_for(blocks, el["action_id"], option), response_url=url, blocks=blocks)
        req = (a, b)[n % 2]
        blocks = reply(slack, req, body, req.headers(body, req.FORM), url)
        n += 1
        assert n < 20
    return blocks


def test_share_races_and_replays_across_replicas_post_once(replicas) -> None:
    slack, (a, b), store = replicas
    blocks = result_blocks(slack, a, b)
    # Two genuine clicks (each signed on its own, as a double click is) and a replay of each,
    # all at once, spread over both replicas.
    sends = []
    for req in (a, b):
        url = slack.response_url()
        body = actions_body(action_for(blocks, "share"), response_url=url, blocks=blocks)
        headers = req.headers(body, req.FORM)
        sends += [(a, body, headers), (b, body, headers)]
    barrier = threading.Barrier(len(sends))
    statuses: list[int] = []

    def send(req: SlackRequests, body: bytes, headers: dict) -> None:
        barrier.wait()
        statuses.append(req.post(body, headers)[0])

    threads = [threading.Thread(target=send, args=s) for s in sends]
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    assert statuses == [200] * len(sends)
    slack.settle(quiet=0.8)
    posted = slack.calls("chat.postMessage")
    assert len(posted) == 1, f"{len(posted)} public messages"
    assert f"<@{USER}>" in str(posted[0].blocks), "the public message says whose result it is"
    session = store.load(Scope("slack", TEAM, CHANNEL, "", USER).key())
    assert session is not None and session.shared == CHANNEL
    store.close()


def test_replayed_command_does_not_restart_the_conversation(replicas) -> None:
    slack, (a, b), store = replicas
    url = slack.response_url()
    body = command_body("", response_url=url)
    headers = a.headers(body, a.FORM)
    blocks = reply(slack, a, body, headers, url)
    el = next(e for e in elements(blocks) if e["action_id"].startswith("answer:"))
    option = el["options"][0]["value"] if el["type"] == "static_select" else None
    click_url = slack.response_url()
    click = actions_body(action_for(blocks, el["action_id"], option), response_url=click_url, blocks=blocks)
    reply(slack, b, click, b.headers(click, b.FORM), click_url)
    key = Scope("slack", TEAM, CHANNEL, "", USER).key()
    before = store.load(key)
    assert before is not None and before.version == 2 and before.state.answers
    for req in (a, b):  # the same signed /framework, replayed to each replica within the window
        assert req.post(body, headers) == (200, "")
    slack.settle()
    assert store.load(key) == before, "the conversation and its answers are untouched"
    store.close()
