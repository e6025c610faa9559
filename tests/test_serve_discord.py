"""`python -m bot serve` with Discord, and with Slack and Discord together in one process,
against the local stand-ins; and a rejected DISCORD_TOKEN."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

try:
    from support.discord_api import DiscordStandIn, Driver
    from support.serve_process import Serve, base_env
    from support.slack_api import SlackAPI
    from support.slack_requests import SlackRequests
except ImportError:
    from tests.support.discord_api import DiscordStandIn, Driver
    from tests.support.serve_process import Serve, base_env
    from tests.support.slack_api import SlackAPI
    from tests.support.slack_requests import SlackRequests

DISCORD_TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.discordTokenValue.abcdefghijklmnop"
SLACK_TOKEN = "xoxb-1111111111-2222222222-serveTestTokenValue"
SECRET = "serve-test-signing-secret-0123456789abcdef"
pytestmark = pytest.mark.slow


@pytest.fixture
def discord():
    standin = DiscordStandIn().start()
    yield standin
    standin.stop()


def test_slack_and_discord_in_one_process(tmp_path, discord):
    with SlackAPI() as slack:
        env = base_env(tmp_path, DISCORD_TOKEN=DISCORD_TOKEN, DISCORD_API_URL=discord.api_url,
                       SLACK_BOT_TOKEN=SLACK_TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_MODE="http",
                       SLACK_API_URL=slack.base_url, ADVISOR_LOG_LEVEL="DEBUG")  # the chattiest logs
        with Serve(tmp_path, env=env) as bot:
            bot.wait_log("Discord: ready", timeout=30)
            status, ready = bot.json("/readyz")
            assert status == 200 and ready["adapters"] == {"slack": True, "discord": True}
            assert bot.metric("advisor_adapter_ready", 'adapter="discord"') == 1

            driver = Driver(discord, lambda payload: discord.dispatch("INTERACTION_CREATE", payload))
            r, message = driver.command("start", text="a small app")
            assert r.body["type"] == 4 and message["components"]

            url = slack.response_url()
            status, body = SlackRequests(SECRET, f"{bot.base}/slack/events").command("", response_url=url)
            assert status == 200
            assert (body.strip() and json.loads(body).get("blocks")) or slack.wait_for(response_url=url).blocks

            assert bot.metric("advisor_conversations_started_total") == 2
            code, seconds = bot.terminate()
            log = bot.log
    assert code == 0 and seconds < 3, log  # nothing in flight: gateway plumbing is not waited for
    assert DISCORD_TOKEN not in log and SLACK_TOKEN not in log and SECRET not in log
    assert "discordTokenValue" not in log


class Unauthorized:
    """A Discord API that rejects every token, as Discord does for a wrong one."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                body = json.dumps({"message": "401: Unauthorized", "code": 0}).encode()
                self.send_response(401)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.api_url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v10"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_rejected_discord_token_stops_the_start_naming_the_variable(tmp_path):
    api = Unauthorized()
    try:
        bot = Serve(tmp_path, wait=False, DISCORD_TOKEN=DISCORD_TOKEN, DISCORD_API_URL=api.api_url)
        with bot:
            assert bot.wait_exit() == 2
    finally:
        api.close()
    log = bot.log
    assert "DISCORD_TOKEN was rejected" in log, log
    assert DISCORD_TOKEN not in log and "discordTokenValue" not in log
