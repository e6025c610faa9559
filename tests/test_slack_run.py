"""`python -m bot slack`: configuration errors, and HTTP mode started from the CLI."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from bot.adapters.slack.run import main
from bot.settings import Settings

try:
    from support.slack_api import SlackAPI, free_port
    from support.slack_requests import SlackRequests
except ImportError:  # pragma: no cover
    from tests.support.slack_api import SlackAPI, free_port
    from tests.support.slack_requests import SlackRequests

ROOT = Path(__file__).resolve().parent.parent


def args(**kw) -> argparse.Namespace:  # noqa: ANN003
    return argparse.Namespace(**{"http": False, "port": None, "host": None, **kw})


def test_configuration_errors(capsys) -> None:  # noqa: ANN001
    assert main(Settings(), args()) == 2
    assert "SLACK_BOT_TOKEN" in capsys.readouterr().err
    assert main(Settings(slack_bot_token="xoxb-1"), args(http=True)) == 2
    assert "SLACK_SIGNING_SECRET" in capsys.readouterr().err
    assert main(Settings(slack_bot_token="xoxb-1", slack_mode="socket"), args()) == 2
    assert "SLACK_APP_TOKEN" in capsys.readouterr().err


def test_cli_http_mode_serves_signed_requests(tmp_path) -> None:  # noqa: ANN001
    secret = "cli-secret"
    with SlackAPI() as slack:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ADVISOR_"))
               and k.lower() not in {"http_proxy", "https_proxy", "all_proxy"}}
        env.update(SLACK_BOT_TOKEN="xoxb-cli", SLACK_SIGNING_SECRET=secret, SLACK_API_URL=slack.base_url,
                   ADVISOR_DATA_DIR=str(tmp_path), ADVISOR_STORE="memory://")
        proc = subprocess.Popen([sys.executable, "-m", "bot", "slack", "--http", "--port", str(port),
                                 "--host", "127.0.0.1"], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            req = SlackRequests(secret, f"http://127.0.0.1:{port}/slack/events")
            deadline = time.monotonic() + 20
            while True:
                try:
                    reply = req.command_reply("about django", slack)
                    break
                except OSError:
                    assert proc.poll() is None, proc.stdout.read().decode()
                    assert time.monotonic() < deadline, "the bot did not start listening"
                    time.sleep(0.2)
            assert reply.blocks[0]["text"]["text"] == "Django"
            forged = SlackRequests("wrong", req.url)
            assert forged.command("", response_url=slack.response_url())[0] == 401
        finally:
            proc.terminate()
            proc.wait(10)
