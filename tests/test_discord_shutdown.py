"""SIGTERM with Discord interactions in flight, against the gateway stand-in: `serve` stops
taking gateway events first, answers every interaction it already received, then closes. An
interaction is never left half answered (deferred, never completed) and a shutdown never turns
into an error follow-up.

The interactions are kept in flight the way a busy volume does it: another process holds the
SQLite write lock, so every step waits on it (the bot's busy timeout) until the test lets go."""
from __future__ import annotations

import signal
import time

import pytest

try:
    from support.discord_api import DiscordStandIn, Request, command, texts, user
    from support.serve_process import HELD_TIMEOUT, Serve, base_env, steps_held
    from test_serve_discord import discord as standin  # noqa: F401  (the stand-in fixture)
except ImportError:  # pragma: no cover
    from tests.support.discord_api import DiscordStandIn, Request, command, texts, user
    from tests.support.serve_process import HELD_TIMEOUT, Serve, base_env, steps_held
    from tests.test_serve_discord import discord as standin  # noqa: F401

from bot.adapters.discord.notes import ERROR_MESSAGE

DISCORD_TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.discordTokenValue.abcdefghijklmnop"
pytestmark = pytest.mark.slow


def about(standin: DiscordStandIn, token: str) -> list[Request]:
    """Everything the bot sent for one interaction: its callback and webhook calls."""
    return [r for r in standin.requests if token in r.path]


def answered(standin: DiscordStandIn, payload: dict) -> bool:
    """Answered for good: a message callback (4), or a deferral (5) and then the edit of it."""
    calls = about(standin, payload["token"])
    kinds = [r.body.get("type") for r in calls if r.path.endswith("/callback")]
    if 4 in kinds:
        return True
    return 5 in kinds and any(r.method == "PATCH" and r.path.endswith("/messages/@original") for r in calls)


@pytest.mark.parametrize("cli", ["serve", "discord"])
def test_sigterm_answers_every_interaction_received_and_takes_no_new_ones(tmp_path, standin, cli) -> None:
    env = base_env(tmp_path, DISCORD_TOKEN=DISCORD_TOKEN, DISCORD_API_URL=standin.api_url, **HELD_TIMEOUT)
    with Serve(tmp_path, env=env, command=(cli,), wait=False) as bot:
        bot.wait_log("Discord: connected", timeout=30)
        with steps_held(env):
            received = [command("start", {"text": "an API"}, user(f"15000000000000001{i:02d}", f"u{i}"))
                        for i in range(4)]
            for payload in received:
                standin.register(payload)
                standin.dispatch("INTERACTION_CREATE", payload)
            for payload in received:  # each deferred (type 5): read by the bot and in flight
                standin.wait_for(lambda r, t=payload["token"]: t in r.path and r.body.get("type") == 5, timeout=15)
            bot.signal(signal.SIGTERM)
            late = []
            for i in range(3):  # right behind the signal: maybe read before the gateway closed, maybe not
                payload = command("start", {}, user(f"15000000000000002{i:02d}", f"late{i}"))
                standin.register(payload)
                try:
                    standin.dispatch("INTERACTION_CREATE", payload)
                except AssertionError:  # the gateway is already closed
                    break
                late.append(payload)
            time.sleep(1.0)
        code = bot.wait_exit(30)
        log = bot.log
    assert code == 0, log
    for payload in received:
        assert answered(standin, payload), f"interaction {payload['id']} was received but not answered\n{log}"
    for payload in late:
        calls = about(standin, payload["token"])
        assert not calls or answered(standin, payload), f"late interaction {payload['id']} half answered\n{log}"
    everything = " ".join(texts(r.body.get("data") or r.body) for r in standin.requests if isinstance(r.body, dict))
    assert ERROR_MESSAGE not in everything, "no error follow-up"
    assert "Traceback" not in log and "not answered" not in log, log
    assert "request(s) in flight" in log and "still running" not in log, log
