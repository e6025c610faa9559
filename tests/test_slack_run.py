"""`python -m bot slack`: configuration errors, HTTP mode started from the CLI, and a token
Slack rejects stopping the start (instead of Socket Mode retrying it forever)."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The developer's environment minus anything Slack, Advisor or proxy related, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ADVISOR_"))
           and k.lower() not in {"http_proxy", "https_proxy", "all_proxy"}}
    env.update(ADVISOR_DATA_DIR=str(tmp_path), ADVISOR_STORE="memory://", **extra)
    return env


def test_cli_http_mode_serves_signed_requests(tmp_path) -> None:  # noqa: ANN001
    secret = "cli-secret"
    with SlackAPI() as slack:
        port = free_port()
        env = cli_env(tmp_path, SLACK_BOT_TOKEN="xoxb-cli", SLACK_SIGNING_SECRET=secret,
                      SLACK_API_URL=slack.base_url)
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


@pytest.mark.parametrize(("method", "variable"), [("apps.connections.open", "SLACK_APP_TOKEN"),
                                                  ("auth.test", "SLACK_BOT_TOKEN")])
def test_cli_socket_mode_with_a_rejected_token_exits_naming_the_variable(tmp_path, method, variable):  # noqa: ANN001
    bot_token, app_token = "xoxb-1-cliBotTokenValue", "xapp-1-A000-999-cliAppTokenValue"
    with SlackAPI() as slack:
        slack.answer(method, {"ok": False, "error": "invalid_auth"})
        env = cli_env(tmp_path, SLACK_BOT_TOKEN=bot_token, SLACK_APP_TOKEN=app_token, SLACK_API_URL=slack.base_url)
        # A timeout here is the bug: Socket Mode retrying the rejected token forever.
        done = subprocess.run([sys.executable, "-m", "bot", "slack"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=30)
        opened = len(slack.calls("apps.connections.open"))
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert f"{variable} was rejected by Slack (invalid_auth)" in done.stderr, output
    assert "Retrying" not in output
    assert opened == (1 if variable == "SLACK_APP_TOKEN" else 0), "asked once, never retried"
    assert bot_token not in output and app_token not in output
