"""How long a user waits when the session store hangs: the ack (what the platform's 3 s limit
is about) and the polite error note, per interactive path, with a real store made to hang.

    .venv/bin/python bench/hung_store.py [--store redis|sqlite|both] [--wait 30]

- Redis: a throwaway redis-server frozen with SIGSTOP (connections are accepted by the
  kernel, nothing is ever answered), resumed with SIGCONT between paths.
- SQLite: the bot's own database file with the write lock held by another connection
  (BEGIN EXCLUSIVE), released between paths.

Slack: the real Bolt app over HTTP on 127.0.0.1 with signed requests (tests/support), the
Web API and response_url stand-in recording what comes back. Discord: the real discord.py
client logged in against the REST stand-in, interactions injected into its own parser.

For each path it prints the seconds until the ack (Slack: the HTTP answer; Discord: the
first interaction callback, a reply or a deferral) and until the user saw something
(Slack: a post to the response_url or views.publish; Discord: the note, as the callback
itself or a follow-up/edit after a deferral). "-" means nothing came within --wait seconds.
"""
from __future__ import annotations

import argparse
import copy
import json
import logging
import os
import signal
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bot.bootstrap import build  # noqa: E402
from bot.settings import Settings  # noqa: E402
from redis_server import start_redis  # noqa: E402
from support.discord_api import DiscordStandIn, Driver, InProcessBot, flat_components  # noqa: E402
from support.discord_api import click as discord_click  # noqa: E402
from support.discord_api import command as discord_command  # noqa: E402
from support.slack_api import BackgroundLoop, SlackAPI, free_port  # noqa: E402
from support.slack_requests import SlackRequests, action_for, actions_body, elements, fixture, post  # noqa: E402

SECRET = "bench-hung-store-signing-secret"


class Requests(SlackRequests):
    """Waits as long as the bot takes (the default 10 s would cut a hung ack short)."""

    def post(self, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        return post(self.url, body, headers, timeout=120.0)


Hang = Callable[[], Callable[[], None]]  # hang the store; returns what resumes it
BURST = 10  # clicks sent at once by as many users (the "at once" row: slowest ack, last note)


def finish_slack(req: SlackRequests, slack: SlackAPI, blocks: list[dict], channel: str) -> list[dict]:
    for _ in range(30):
        if any(e["action_id"] == "share" for e in elements(blocks)):
            return blocks
        el = next(e for e in elements(blocks) if e["action_id"].startswith("answer:"))
        option = el["options"][0]["value"] if el["type"] == "static_select" else None
        url = slack.response_url()
        body = actions_body(action_for(blocks, el["action_id"], option), response_url=url, channel=channel)
        req.post(body, req.headers(body, req.FORM))
        blocks = slack.wait_for(response_url=url).blocks
    raise RuntimeError("no recommendation")


def timed(send: Callable[[], tuple[int, str]], seen: Callable[[float], bool],
          wait: float) -> tuple[float, float | None]:
    began = time.monotonic()
    send()
    ack = time.monotonic() - began
    deadline = began + wait
    while time.monotonic() < deadline:
        if seen(deadline - time.monotonic()):
            return ack, time.monotonic() - began
    return ack, None


def slack_paths(app: Any, slack: SlackAPI, hang: Hang, wait: float) -> list[tuple[str, float, float | None]]:
    port = free_port()
    from bot.adapters.slack.run import run_slack

    loop = BackgroundLoop(lambda ready: run_slack(app, http=True, host="127.0.0.1", port=port, ready=ready))
    rows = []
    with loop:
        req = Requests(SECRET, f"http://127.0.0.1:{port}/slack/events")
        question = req.command_reply("", slack).blocks
        result = finish_slack(req, slack, req.command_reply("", slack, channel="C0000000009").blocks, "C0000000009")
        home_raw = json.dumps(fixture("app_home_opened")).encode()
        req.post(home_raw, req.headers(home_raw, "application/json"))
        view = slack.wait_for(api="views.publish").body["view"]
        view = view if isinstance(view, dict) else json.loads(view)
        slack.settle()

        def response_seen(url: str) -> Callable[[float], bool]:
            def seen(left: float) -> bool:
                try:
                    slack.wait_for(response_url=url, timeout=min(left, 0.5))
                    return True
                except TimeoutError:
                    return False
            return seen

        def publish_seen(before: int) -> Callable[[float], bool]:
            def seen(left: float) -> bool:
                try:
                    slack.wait_for(api="views.publish", index=before, timeout=min(left, 0.5))
                    return True
                except TimeoutError:
                    return False
            return seen

        def command() -> tuple[float, float | None]:
            url = slack.response_url()
            return timed(lambda: req.command("", response_url=url), response_seen(url), wait)

        def click() -> tuple[float, float | None]:
            url = slack.response_url()
            el = next(e for e in elements(question) if e["action_id"].startswith("answer:"))
            option = el["options"][0]["value"] if el["type"] == "static_select" else None
            return timed(lambda: req.click(question, el["action_id"], option=option, response_url=url),
                         response_seen(url), wait)

        def burst() -> tuple[float, float | None]:
            """BURST clicks at once, from as many users: the slowest ack and the last note."""
            from concurrent.futures import ThreadPoolExecutor

            el = next(e for e in elements(question) if e["action_id"].startswith("answer:"))
            option = el["options"][0]["value"] if el["type"] == "static_select" else None

            def one(n: int) -> tuple[float, float | None]:
                url = slack.response_url()
                return timed(lambda: req.click(question, el["action_id"], option=option, response_url=url,
                                               user=f"U0BURST{n:04d}"), response_seen(url), wait)

            with ThreadPoolExecutor(BURST) as pool:
                results = list(pool.map(one, range(BURST)))
            notes = [note for _, note in results]
            return max(ack for ack, _ in results), None if None in notes else max(n for n in notes if n is not None)

        def share() -> tuple[float, float | None]:
            url = slack.response_url()
            share_id = next(e["action_id"] for e in elements(result) if e["action_id"] == "share")
            body = actions_body(action_for(result, share_id), response_url=url, channel="C0000000009")
            return timed(lambda: req.post(body, req.headers(body, req.FORM)), response_seen(url), wait)

        def home_opened() -> tuple[float, float | None]:
            before = len(slack.calls("views.publish"))
            return timed(lambda: req.post(home_raw, req.headers(home_raw, "application/json")),
                         publish_seen(before), wait)

        def home_click() -> tuple[float, float | None]:
            before = len(slack.calls("views.publish"))
            element = next(e for e in elements(view["blocks"]) if e["action_id"] == "home:continue")
            payload = fixture("block_actions_home")
            payload["view"]["blocks"] = copy.deepcopy(view["blocks"])
            payload["actions"] = [{"type": "button", "action_id": element["action_id"],
                                   "block_id": element["block_id"], "value": element["value"],
                                   "text": element["text"], "action_ts": "1700000600.000100"}]
            raw = urlencode({"payload": json.dumps(payload)}).encode()
            return timed(lambda: req.post(raw, req.headers(raw, req.FORM)), publish_seen(before), wait)

        for name, path in (("slack /framework", command), ("slack click", click), ("slack Share", share),
                           ("slack Home opened", home_opened), ("slack Home click", home_click),
                           (f"slack {BURST} clicks at once", burst)):
            resume = hang()
            try:
                ack, note = path()
            finally:
                resume()
            rows.append((name, ack, note))
            slack.settle(quiet=0.5, timeout=wait)
    return rows


def discord_paths(app: Any, standin: DiscordStandIn, hang: Hang, wait: float) -> list[tuple[str, float, float | None]]:
    bot = InProcessBot(app).start()
    driver = Driver(standin, bot.inject)
    rows = []
    try:
        _, message = driver.command("start")
        message = driver.answer_to_result(message)
        result = message

        def run(payload: dict[str, Any]) -> tuple[float, float | None]:
            standin.register(payload)
            after = len(standin.requests)
            began = time.monotonic()
            bot.inject(payload)
            callback = f"/interactions/{payload['id']}/"
            first = standin.wait_for(lambda r: r.method == "POST" and r.path.startswith(callback), wait, after)
            ack = first.at - began
            if first.body.get("type") == 4:  # the note (or reply) itself
                return ack, ack
            token = payload["token"]
            try:
                shown = standin.wait_for(
                    lambda r: "/webhooks/" in r.path and token in r.path and r.method in ("POST", "PATCH"), wait, after)
            except AssertionError:
                return ack, None
            return ack, shown.at - began

        def back_payload() -> dict[str, Any]:  # a step on the current conversation: a load and a save
            back = next(c["custom_id"] for c in flat_components(result) if c["custom_id"].endswith(":nav:back"))
            return discord_click(result, back)

        share_id = next(c["custom_id"] for c in flat_components(result) if c["custom_id"].endswith(":share"))
        for name, make in (("discord /framework start", lambda: discord_command("start")),
                           ("discord click (Back)", back_payload),
                           ("discord Share", lambda: discord_click(result, share_id))):
            resume = hang()
            try:
                ack, note = run(make())
            finally:
                resume()
            rows.append((name, ack, note))
            time.sleep(0.5)
    finally:
        bot.stop()
    return rows


def bench(kind: str, wait: float) -> list[tuple[str, float, float | None]]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-hung-"))
    redis = None
    if kind == "redis":
        redis = start_redis()
        url = redis.url

        def hang() -> Callable[[], None]:
            os.kill(redis.proc.pid, signal.SIGSTOP)
            return lambda: os.kill(redis.proc.pid, signal.SIGCONT)
    else:
        url = f"sqlite:///{tmp / 'sessions.db'}"

        def hang() -> Callable[[], None]:
            lock = sqlite3.connect(tmp / "sessions.db", isolation_level=None)
            lock.execute("BEGIN EXCLUSIVE")

            def resume() -> None:
                lock.execute("ROLLBACK")
                lock.close()
            return resume
    rows = []
    try:
        with SlackAPI() as slack:
            settings = Settings(store_url=url, data_dir=tmp, slack_bot_token="xoxb-bench", slack_signing_secret=SECRET,
                                slack_api_url=slack.base_url, slack_mode="http")
            app = build(settings)
            try:
                rows += slack_paths(app, slack, hang, wait)
            finally:
                app.close()
        standin = DiscordStandIn().start()
        try:
            app = build(Settings(store_url=url, data_dir=tmp, discord_token="bench", discord_api_url=standin.api_url))
            try:
                rows += discord_paths(app, standin, hang, wait)
            finally:
                app.close()
        finally:
            standin.stop()
    finally:
        if redis is not None:
            os.kill(redis.proc.pid, signal.SIGCONT)
            redis.stop()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", choices=["redis", "sqlite", "both"], default="both")
    ap.add_argument("--wait", type=float, default=30.0, help="seconds to wait for the note")
    args = ap.parse_args()
    logging.basicConfig(level=logging.CRITICAL)  # the errors are expected: keep the table readable
    kinds = ["redis", "sqlite"] if args.store == "both" else [args.store]
    print(f"{'store':7} {'path':26} {'ack s':>7} {'note s':>7}")
    for kind in kinds:
        for name, ack, note in bench(kind, args.wait):
            shown = f"{note:7.2f}" if note is not None else f"{'-':>7}"
            print(f"{kind:7} {name:26} {ack:7.2f} {shown}", flush=True)


if __name__ == "__main__":
    main()
