"""End to end: `python -m bot discord` as a subprocess against the local stand-in for Discord's
REST API and gateway (HELLO, IDENTIFY -> READY, heartbeats, zlib-stream). Interactions arrive as
INTERACTION_CREATE gateway events; the bot's answers are read from the recorded callbacks.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.discord_api import APP_ID, DiscordStandIn, Driver, flat_components, is_result, texts

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _env(standin: DiscordStandIn, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "ADVISOR_"))
           and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env.update(DISCORD_TOKEN="fake-token", DISCORD_API_URL=standin.api_url, PYTHONUNBUFFERED="1",
               ADVISOR_DATA_DIR=str(tmp_path / "data"), ADVISOR_STORE=f"sqlite:///{tmp_path / 'sessions.db'}",
               ADVISOR_LOG_LEVEL="INFO")
    return env


class BotProcess:
    def __init__(self, standin: DiscordStandIn, tmp_path: Path, *args: str) -> None:
        self.log = open(tmp_path / f"bot-{time.monotonic_ns()}.log", "w+")  # noqa: SIM115
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "discord", *args], cwd=ROOT,
                                     env=_env(standin, tmp_path), stdout=self.log, stderr=subprocess.STDOUT)

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return self.proc.returncode


def _wait_connected(standin: DiscordStandIn, bot: BotProcess, count: int = 1, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while standin.connected() < count:
        if bot.proc.poll() is not None:
            raise AssertionError(f"bot exited with {bot.proc.returncode}:\n{bot.output()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"bot never identified on the gateway:\n{bot.output()}")
        time.sleep(0.05)


@pytest.fixture
def standin():
    s = DiscordStandIn().start()
    yield s
    s.stop()


def test_whole_conversation_through_the_gateway_and_a_restart(standin, tmp_path) -> None:
    bot = BotProcess(standin, tmp_path)
    try:
        _wait_connected(standin, bot)
        identify = standin.wait_gateway(2)
        assert identify["d"]["token"] == "fake-token"
        assert identify["d"]["shard"] == [0, 1]  # the auto-sharded client, one shard from /gateway/bot
        assert identify["d"]["intents"] & (1 << 15) == 0  # no privileged message-content intent
        assert standin.compress_requested[0] == "zlib-stream"
        standin.wait_gateway(1)  # a heartbeat, answered with op 11

        driver = Driver(standin, lambda payload: standin.dispatch("INTERACTION_CREATE", payload))
        r, message = driver.command("start", text="a small app")
        assert r.body["type"] == 4 and r.data["flags"] & 64

        # two steps, then a restart of the bot process in the middle of the conversation
        for _ in range(2):
            component = flat_components(message)[0]
            values = ["none"] if component["type"] == 3 else None
            r, message = driver.click(message, component["custom_id"], values=values)
            assert r.body["type"] == 7
        assert bot.stop() == 0
    finally:
        bot.stop()

    bot = BotProcess(standin, tmp_path)
    try:
        _wait_connected(standin, bot)
        driver = Driver(standin, lambda payload: standin.dispatch("INTERACTION_CREATE", payload))
        for _ in range(20):
            if is_result(message):
                break
            component = flat_components(message)[0]
            values = ["none"] if component["type"] == 3 else None
            r, message = driver.click(message, component["custom_id"], values=values)
            assert r.body["type"] == 7, bot.output()
        heading = texts(message).split("\n")[0]
        assert heading.startswith("## ") and heading.endswith("recommended for your project")
        assert message["flags"] & (1 << 15)  # Components V2 from the first question to the result

        share = next(c["custom_id"] for c in flat_components(message) if c["custom_id"].endswith(":share"))
        mark = len(standin.requests)
        r, _ = driver.click(message, share)
        assert r.body["type"] == 6, "deferred: nothing says Shared before the post"
        follow = standin.wait_for(lambda q: q.method == "POST" and q.path.startswith("/webhooks/"), after=mark)
        assert not (follow.body.get("flags") or 0) & 64 and follow.body["allowed_mentions"] == {"parse": []}
        edit = standin.wait_for(lambda q: q.method == "PATCH" and q.path.endswith("/messages/@original"), after=mark)
        assert standin.requests.index(follow) < standin.requests.index(edit), "the post, then the private edit"
        assert "Shared in <#" in texts(standin.messages[message["id"]]), "the private result says where it went"
        public = standin.messages[max(standin.messages, key=int)]
        assert heading in texts(public) and public["flags"] & (1 << 15)

        assert not [q for q in standin.requests if q.method == "PUT"]  # never registers commands on start
    finally:
        assert bot.stop() == 0, bot.output()


def test_sync_registers_the_command_group_in_a_guild(standin, tmp_path) -> None:
    bot = BotProcess(standin, tmp_path, "sync", "--guild", "1200000000000000001")
    assert bot.proc.wait(30) == 0, bot.output()
    put = standin.wait_for(lambda q: q.method == "PUT")
    assert put.path == f"/applications/{APP_ID}/guilds/1200000000000000001/commands"
    (group,) = put.body
    assert group["name"] == "framework"
    assert group["integration_types"] == [0, 1] and group["contexts"] == [0, 1, 2]  # user-installable, anywhere
    assert sorted(o["name"] for o in group["options"]) == ["about", "compare", "help", "start", "team"]
    (team,) = [o for o in group["options"] if o["name"] == "team"]
    deadline = next(o for o in team["options"] if o["name"] == "deadline")
    assert not deadline["required"] and [c["value"] for c in deadline["choices"]] == ["none", "1h", "24h", "3d"]
    about = next(o for o in group["options"] if o["name"] == "about")
    assert about["options"][0]["autocomplete"] is True
    assert standin.connected() == 0 and not standin.gateway_log  # sync never opens the gateway
    assert "registered /framework" in bot.output()


def test_global_sync_and_a_missing_token(standin, tmp_path) -> None:
    bot = BotProcess(standin, tmp_path, "sync")
    assert bot.proc.wait(30) == 0, bot.output()
    assert standin.wait_for(lambda q: q.method == "PUT").path == f"/applications/{APP_ID}/commands"

    env = _env(standin, tmp_path)
    env.pop("DISCORD_TOKEN")
    done = subprocess.run([sys.executable, "-m", "bot", "discord"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 2 and "DISCORD_TOKEN" in done.stderr


def test_run_discord_for_serve_sets_ready_and_stops_when_cancelled(standin, make_app) -> None:
    """The coroutine `serve` runs next to other adapters on one loop."""
    import asyncio
    import threading

    from bot.adapters.discord.run import run_discord

    app = make_app(discord_api_url=standin.api_url)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        ready = asyncio.Event()
        task = asyncio.run_coroutine_threadsafe(run_discord(app, "fake-token", ready), loop)
        asyncio.run_coroutine_threadsafe(asyncio.wait_for(ready.wait(), 15), loop).result(20)
        assert standin.connected() == 1

        driver = Driver(standin, lambda payload: standin.dispatch("INTERACTION_CREATE", payload))
        r, message = driver.command("help")
        assert r.body["type"] == 4 and texts(message).startswith("## Framework Advisor")

        task.cancel()
        deadline = time.monotonic() + 10
        while standin.connected() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert standin.connected() == 0  # the gateway connection was closed
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
