"""`python -m bot serve` in Slack HTTP mode as a subprocess, against the local Slack Web API
stand-in: /slack/events shares the server with /healthz and /metrics, metrics count a
conversation, SIGTERM finishes a click in flight, SIGHUP with broken knowledge keeps answering
with the old knowledge, and a rejected token stops the start naming the variable."""
from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

try:
    from support.serve_process import HELD_TIMEOUT, Serve, base_env, run_cli, steps_held
    from support.slack_api import SlackAPI
    from support.slack_requests import SlackRequests, elements, fixture
except ImportError:
    from tests.support.serve_process import HELD_TIMEOUT, Serve, base_env, run_cli, steps_held
    from tests.support.slack_api import SlackAPI
    from tests.support.slack_requests import SlackRequests, elements, fixture

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "xoxb-1111111111-2222222222-serveTestTokenValue"
SECRET = "serve-test-signing-secret-0123456789abcdef"
pytestmark = pytest.mark.slow


@pytest.fixture
def slack():
    with SlackAPI() as standin:
        yield standin


def slack_env(tmp: Path, slack: SlackAPI, **extra: str) -> dict[str, str]:
    return base_env(tmp, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_MODE="http",
                    SLACK_API_URL=slack.base_url, **extra)


class Conversation:
    def __init__(self, bot: Serve, slack: SlackAPI) -> None:
        self.slack = slack
        self.req = SlackRequests(SECRET, f"{bot.base}/slack/events")

    def command(self, text: str = "") -> list[dict]:
        """The reply to /framework: in the ack itself when it is quick, or on response_url."""
        url = self.slack.response_url()
        status, body = self.req.command(text, response_url=url)
        assert status == 200, body
        if body.strip():
            inline = json.loads(body)
            if inline.get("blocks"):
                return inline["blocks"]
        return self.slack.wait_for(response_url=url).blocks

    def click_first(self, blocks: list[dict]) -> list[dict]:
        url = self.send_first(blocks)
        return self.slack.wait_for(response_url=url).blocks

    def send_first(self, blocks: list[dict]) -> str:
        el = next(e for e in elements(blocks) if e["action_id"].startswith("answer:"))
        url = self.slack.response_url()
        option = el["options"][0]["value"] if el["type"] == "static_select" else None
        status, body = self.req.click(blocks, el["action_id"], option=option, response_url=url)
        assert status == 200, body
        return url


def recommended(blocks: list[dict]) -> str | None:
    for block in blocks:
        if block.get("block_id", "").startswith("recommendation:"):
            return block["block_id"].split(":", 1)[1]
    return None


def test_metrics_count_a_conversation_driven_through_slack_http(tmp_path, slack):
    with Serve(tmp_path, env=slack_env(tmp_path, slack)) as bot:
        status, ready = bot.json("/readyz")
        assert status == 200 and ready["adapters"] == {"slack": True}
        assert "/slack/events" in bot.log and "SLACK_BOT_TOKEN accepted" in bot.log
        assert "will be unused" not in bot.log, "Bolt was given both a token and a client"
        talk = Conversation(bot, slack)
        blocks = talk.command()
        for _ in range(12):
            if recommended(blocks):
                break
            blocks = talk.click_first(blocks)
        framework = recommended(blocks)
        assert framework
        assert bot.metric("advisor_conversations_started_total") == 1
        assert bot.metric("advisor_conversations_completed_total") == 1
        assert bot.metric("advisor_recommendations_total", f'framework="{framework}"') == 1
        assert bot.metric("advisor_step_seconds_count") >= 2
        # a forged request is refused by the adapter and changes nothing
        status, _ = talk.req.post(b"command=%2Fframework&text=", {"X-Slack-Signature": "v0=bad",
                                                                 "X-Slack-Request-Timestamp": "1"})
        assert status == 401
        assert bot.metric("advisor_conversations_started_total") == 1
        assert bot.terminate()[0] == 0
    assert TOKEN not in bot.log and SECRET not in bot.log


class SlowHook:
    """A response_url that takes `delay` seconds to answer, so SIGTERM lands mid-step."""

    def __init__(self, delay: float) -> None:
        received: list[tuple[float, dict]] = []
        self.received = received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                time.sleep(delay)
                received.append((time.monotonic(), body))
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/response/slow"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_sigterm_finishes_the_click_in_flight_and_loses_nothing(tmp_path, slack):
    env = slack_env(tmp_path, slack)
    hook = SlowHook(delay=1.5)
    try:
        with Serve(tmp_path, env=env) as bot:
            talk = Conversation(bot, slack)
            blocks = talk.command()
            el = next(e for e in elements(blocks) if e["action_id"].startswith("answer:"))
            option = el["options"][0]["value"] if el["type"] == "static_select" else None
            status, _ = talk.req.click(blocks, el["action_id"], option=option, response_url=hook.url)
            assert status == 200  # acked: the step and its reply now run in the background
            sent = time.monotonic()
            code, seconds = bot.terminate()
            exited = time.monotonic()
            log = bot.log
    finally:
        hook.close()
    assert code == 0, log
    assert seconds < 10
    assert len(hook.received) == 1, "the reply in flight was delivered before exit"
    delivered, reply = hook.received[0]
    assert sent < delivered < exited, "SIGTERM arrived while the reply was in flight"
    assert reply.get("blocks") and reply.get("replace_original") is True
    assert "SIGTERM received" in log and "session store closed" in log
    with sqlite3.connect(tmp_path / "sessions.db") as db:
        assert db.execute("SELECT version FROM sessions").fetchall() == [(2,)], "the answer was saved"
    stats = run_cli(["sessions", "stats"], env)
    assert "Live sessions:        1" in stats.stdout, stats.stdout + stats.stderr


def test_sighup_with_broken_knowledge_keeps_answering_with_the_old_one(tmp_path, slack):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge, ignore=shutil.ignore_patterns("__pycache__"))
    flask = knowledge / "frameworks" / "flask.yaml"
    with Serve(tmp_path, env=slack_env(tmp_path, slack, ADVISOR_KNOWLEDGE=str(knowledge))) as bot:
        talk = Conversation(bot, slack)
        assert "Flask, as edited" not in json.dumps(talk.command("about flask"))

        flask.write_text(flask.read_text().replace("name: Flask", "name: Flask, as edited", 1))
        mark = len(bot.log)
        bot.signal(signal.SIGHUP)
        bot.wait_log("knowledge reloaded", after=mark)
        assert "Flask, as edited" in json.dumps(talk.command("about flask"))

        flask.write_text(flask.read_text().replace("name: Flask, as edited", "name: [Flask", 1))
        mark = len(bot.log)
        bot.signal(signal.SIGHUP)
        log = bot.wait_log("knowledge reload rejected", after=mark)
        assert "flask.yaml:" in log[mark:]
        assert "Flask, as edited" in json.dumps(talk.command("about flask"))
        assert bot.get("/readyz")[0] == 200
        assert bot.terminate()[0] == 0


def test_rejected_slack_token_stops_the_start_naming_the_variable(tmp_path, slack):
    slack.answer("auth.test", {"ok": False, "error": "invalid_auth"})
    bot = Serve(tmp_path, env=slack_env(tmp_path, slack), wait=False)
    with bot:
        assert bot.wait_exit() == 2
    log = bot.log
    assert "SLACK_BOT_TOKEN was rejected by Slack (invalid_auth)" in log
    assert TOKEN not in log and "serveTestTokenValue" not in log and SECRET not in log


def test_rejected_app_token_in_socket_mode_names_slack_app_token(tmp_path, slack):
    app_token = "xapp-1-A000-999-socketModeTokenValue"
    slack.answer("apps.connections.open", {"ok": False, "error": "invalid_auth"})
    env = base_env(tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_APP_TOKEN=app_token, SLACK_API_URL=slack.base_url)
    bot = Serve(tmp_path, env=env, wait=False)
    with bot:
        assert bot.wait_exit() == 2
    log = bot.log
    assert "SLACK_APP_TOKEN was rejected by Slack (invalid_auth)" in log, log
    assert "Retrying" not in log
    assert app_token not in log and TOKEN not in log


def test_socket_mode_becomes_ready_and_stops_cleanly(tmp_path, slack):
    env = base_env(tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_APP_TOKEN="xapp-1-A000-999-socketModeTokenValue",
                   SLACK_API_URL=slack.base_url)
    with Serve(tmp_path, env=env) as bot:
        bot.wait_log("Slack: ready", timeout=15)
        assert "will be unused" not in bot.log, "Bolt was given both a token and a client"
        status, ready = bot.json("/readyz")
        assert status == 200 and ready["adapters"] == {"slack": True}
        assert "/slack/events" not in bot.log.split("listening on", 1)[1].splitlines()[0]
        code, seconds = bot.terminate()
    assert code == 0 and seconds < 3, "idle: nothing in flight to wait for (Socket Mode plumbing is not work)"


def _command_envelope(slack: SlackAPI, envelope_id: str, user: str) -> dict:
    envelope = fixture("socket_slash_commands")
    envelope["envelope_id"] = envelope_id
    envelope["payload"].update(response_url=slack.response_url(), user_id=user, user_name=user.lower())
    return envelope


@pytest.mark.parametrize("cli", ["serve", "slack"])
def test_sigterm_in_socket_mode_answers_the_envelopes_received_and_reads_no_new_ones(tmp_path, slack, cli):
    """Socket Mode's drain (`serve` and `python -m bot slack`): on SIGTERM the bot stops reading
    the websocket first, so an envelope pushed after that stays unacknowledged on the socket
    (Slack delivers it again elsewhere),
    while every envelope already read is answered on its response_url before the socket closes.
    The received ones are kept in flight by another process holding the SQLite write lock
    (steps_held)."""
    env = base_env(tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_APP_TOKEN="xapp-1-A000-999-socketModeTokenValue",
                   SLACK_API_URL=slack.base_url, **HELD_TIMEOUT)
    with Serve(tmp_path, env=env, command=(cli,), wait=False) as bot:
        bot.wait_log("Slack Socket Mode connected", timeout=30)
        slack.wait_connected()
        with steps_held(env):
            received = [_command_envelope(slack, f"held-{i}", f"U00000HELD{i}") for i in range(3)]
            for envelope in received:
                slack.push(envelope)
            for envelope in received:  # acked empty once the inline budget is spent: read and in flight
                assert not slack.wait_ack(envelope["envelope_id"], timeout=15).get("payload")
            mark = len(bot.log)
            bot.signal(signal.SIGTERM)
            bot.wait_log("taking no new envelopes", after=mark)
            late = _command_envelope(slack, "late-0", "U00000LATE0")
            slack.push(late)
            time.sleep(0.5)  # a reader still running would take it now and answer it once the lock goes
        code = bot.wait_exit(30)
        log = bot.log
    assert code == 0, log
    for envelope in received:
        (post,) = slack.posts(envelope["payload"]["response_url"])
        assert post.blocks and post.body.get("response_type") == "ephemeral", post.body
    assert not [a for a in slack.acks if a.get("envelope_id") == "late-0"], "the late envelope was not read"
    assert slack.posts(late["payload"]["response_url"]) == []
    assert "request(s) in flight" in log and "still running" not in log and "Traceback" not in log, log
