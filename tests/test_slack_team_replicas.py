"""Two replicas of the Slack adapter (two real Bolt apps over signed HTTP, each with its own
connection) on one real Redis: fifty members finishing in the same second, each final click
delivered to one replica and replayed to the other, are all counted once, and the card's last
edit shows all fifty."""
from __future__ import annotations

import pytest

from bot.store.redis import RedisStore

try:
    from redis_server import redis_url  # noqa: F401  (fixture)
    from slack_team_support import (SECRET, Replica, at_once, first_answer, is_card, members_line, until)
    from support.slack_api import SlackAPI
    from support.slack_requests import actions_body, action_for
except ImportError:  # pragma: no cover
    from tests.redis_server import redis_url  # noqa: F401
    from tests.slack_team_support import (SECRET, Replica, at_once, first_answer, is_card, members_line, until)
    from tests.support.slack_api import SlackAPI
    from tests.support.slack_requests import actions_body, action_for

MEMBERS = 50


@pytest.fixture
def replicas(make_app, redis_url):  # noqa: F811
    with SlackAPI() as slack:
        apps = [make_app(RedisStore(redis_url), slack_bot_token="xoxb-test", slack_signing_secret=SECRET,
                         slack_api_url=slack.base_url, slack_mode="http") for _ in range(2)]
        with Replica(apps[0], slack) as a, Replica(apps[1], slack) as b:
            yield slack, a, b


def prepared(slack: SlackAPI, replicas: tuple[Replica, Replica], card: list[dict], n: int) -> list[tuple]:
    """Member n pressed Answer and answered the first question (on alternating replicas); their
    Decide now click, signed, is what they send next: (replica, body, headers, response_url)."""
    user = f"U{n:09d}"
    here, there = replicas[n % 2], replicas[(n + 1) % 2]
    rec = here.click_card_reply(card, "team:answer", user=user, name=f"member{n:02d}", timeout=30)
    action, option = first_answer(rec.blocks, n)
    rec = there.click(rec.blocks, action, user=user, option=option, timeout=30)
    url = slack.response_url()
    body = actions_body(action_for(rec.blocks, "nav:decide"), response_url=url, user=user)
    return here, there, body, here.req.headers(body, here.req.FORM), url


def test_fifty_members_at_the_same_second_on_two_replicas_are_counted_once(replicas) -> None:
    slack, a, b = replicas
    card, team_id = a.start(user="U000000100", name="lead")
    ready = []
    for start in range(0, MEMBERS, 10):  # ten at a time: the preparation is not what is measured
        ready += at_once([lambda n=n: prepared(slack, (a, b), card.blocks, n) for n in range(start, start + 10)])
    slack.clear()

    def send(item: tuple) -> tuple[int, int]:
        here, there, body, headers, _ = item
        return here.req.post(body, headers)[0], there.req.post(body, headers)[0]  # a replay on the other replica

    statuses = at_once([lambda item=item: send(item) for item in ready])
    assert all(s == (200, 200) for s in statuses)
    team = until(lambda: (t := a.team(team_id)) is not None and len(t.members) == MEMBERS and t, timeout=60)
    assert sorted(m.user for m in team.members) == [f"U{n:09d}" for n in range(MEMBERS)]
    for _, _, _, _, url in ready:  # each member saw their own result once, whichever replica took it
        assert len(until(lambda url=url: slack.posts(url), timeout=30)) >= 1
    slack.settle(quiet=2.5, timeout=60)
    for _, _, _, _, url in ready:
        assert len(slack.posts(url)) == 1
    edits = [r for r in slack.calls("chat.update") if is_card(r)]
    assert edits and members_line(edits[-1].blocks).startswith(f"*{MEMBERS} answered:*")
    print(f"{len(edits)} card edits for {MEMBERS} members")
    assert len(edits) <= 12, len(edits)  # coalesced: a handful of edits for fifty answers
    assert b.team(team_id).version == team.version


def test_a_deleted_card_is_posted_again_by_one_replica(replicas) -> None:
    slack, a, b = replicas
    card, team_id = a.start(user="U000000100", name="lead")
    until(lambda: a.team(team_id).card)
    slack.answer("chat.update", {"ok": False, "error": "message_not_found"})
    ready = at_once([lambda n=n: prepared(slack, (a, b), card.blocks, n) for n in range(6)])
    at_once([lambda item=item: item[0].req.post(item[2], item[3]) for item in ready])
    until(lambda: len(a.team(team_id).members) == 6, timeout=30)
    slack.settle(quiet=2.5, timeout=30)
    cards = [r for r in slack.calls("chat.postMessage") if is_card(r)]
    assert len(cards) == 2, len(cards)  # the first card and one repost, whichever replica saw it
