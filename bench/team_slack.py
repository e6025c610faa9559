"""The Slack team card after a burst (bench/team.py runs this): two replicas of the Slack adapter
(real Bolt apps over signed HTTP on loopback, each with its own store connection to one Redis,
or one SQLite file without redis-server) and the Web API stand-in from tests/support.

Fifty members press Answer and answer a question beforehand; then their fifty last clicks
(Decide now, which records their answers) are sent at the same instant, half to each replica.
Measured from that instant: when the stand-in receives the first chat.update showing all fifty
("50 answered"), and how many chat.update calls the card got in all (until 3 s without any).

    .venv/bin/python bench/team.py            # prints this section last
    .venv/bin/python bench/team_slack.py      # this section alone
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from slack_team_support import SECRET, Replica, at_once, first_answer, is_card, members_line  # noqa: E402
from support.slack_api import SlackAPI  # noqa: E402
from support.slack_requests import action_for, actions_body  # noqa: E402

from bot.bootstrap import build  # noqa: E402
from bot.settings import Settings  # noqa: E402

MEMBERS = 50


def _prepared(slack: SlackAPI, replicas: tuple[Replica, Replica], card: list[dict[str, Any]],
              n: int, run: int) -> tuple[Replica, bytes, str]:
    user = f"U{run:03d}{n:06d}"
    here = replicas[n % 2]
    rec = here.click_card_reply(card, "team:answer", user=user, name=f"member{n:02d}", timeout=60)
    action, option = first_answer(rec.blocks, n)
    rec = here.click(rec.blocks, action, user=user, option=option, timeout=60)
    body = actions_body(action_for(rec.blocks, "nav:decide"), response_url=slack.response_url(), user=user)
    return here, body, user


def one_burst(slack: SlackAPI, a: Replica, b: Replica, run: int) -> tuple[float, int]:
    card, _ = a.start(user=f"U{run:03d}LEAD", name="lead")
    ready: list[Any] = []
    for start in range(0, MEMBERS, 10):
        ready += at_once([lambda n=n: _prepared(slack, (a, b), card.blocks, n, run)
                          for n in range(start, start + 10)])
    slack.settle(quiet=1.5, timeout=30)
    before = len(slack.calls("chat.update"))
    signed = [(here, body, here.req.headers(body, here.req.FORM)) for here, body, _ in ready]
    began = time.time()
    at_once([lambda s=s: s[0].req.post(s[1], s[2]) for s in signed])
    shown = slack.wait_for(api="chat.update", timeout=60,
                           where=lambda r: r.at >= began and is_card(r)
                           and members_line(r.blocks).startswith(f"*{MEMBERS} answered"))
    slack.settle(quiet=3.0, timeout=60)
    edits = [r for r in slack.calls("chat.update")[before:] if is_card(r)]
    return shown.at - began, len(edits)


def main(redis_url: str | None = None, runs: int = 3) -> None:
    """`redis_url`: the replicas' shared store (bench/team.py passes its own); without one, a
    throwaway redis-server when the binary exists, else one SQLite file."""
    server = None
    tmp = tempfile.mkdtemp(prefix="bench-team-slack-")
    where, url = "one Redis", redis_url or ""
    if not url:
        try:
            from redis_server import start_redis

            server = start_redis()
            url = server.url
        except (ImportError, FileNotFoundError, RuntimeError):
            where, url = "one SQLite file", f"sqlite:///{tmp}/teams.db"
    with SlackAPI() as slack:
        settings = Settings(knowledge_dir=ROOT / "knowledge", slack_bot_token="xoxb-bench",
                            slack_signing_secret=SECRET, slack_api_url=slack.base_url, slack_mode="http",
                            store_url=url)
        apps = [build(settings) for _ in range(2)]
        try:
            with Replica(apps[0], slack) as a, Replica(apps[1], slack) as b:
                results = [one_burst(slack, a, b, run) for run in range(runs)]
        finally:
            for app in apps:
                app.close()
            if server is not None:
                server.stop()
    shown = [r[0] for r in results]
    edits = [r[1] for r in results]
    print(f"slack card: {MEMBERS} members' last clicks at once on 2 replicas (Bolt over signed HTTP, {where}):")
    print(f"  card shows all {MEMBERS} after {statistics.median(shown) * 1000:.0f} ms "
          f"(median of {runs}; {', '.join(f'{s * 1000:.0f}' for s in shown)} ms)")
    print(f"  chat.update calls for the card per burst: {', '.join(map(str, edits))} "
          "(coalesced: at most one per second per replica)")


if __name__ == "__main__":
    main()
