"""`python -m bot serve` as a subprocess, without platform adapters: health, readiness, metrics,
SIGTERM, SIGHUP and start-up failures. (Slack-driven scenarios: tests/test_serve_slack.py.)"""
from __future__ import annotations

import shutil
import signal
import socket
from pathlib import Path

import pytest

try:
    from support.serve_process import Serve, base_env, free_port, run_cli
except ImportError:
    from tests.support.serve_process import Serve, base_env, free_port, run_cli

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def copy_knowledge(tmp: Path) -> Path:
    target = tmp / "knowledge"
    shutil.copytree(ROOT / "knowledge", target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_health_readiness_and_metrics_with_no_adapter(tmp_path):
    with Serve(tmp_path) as bot:
        assert bot.get("/healthz")[0] == 200
        status, ready = bot.json("/readyz")
        assert status == 200 and ready["status"] == "ready"
        assert ready["store"] is True and ready["adapters"] == {}
        assert ready["knowledge"]["frameworks"] == 15  # the article's six and nine to also consider
        metrics = bot.metrics()
        for name in ("advisor_conversations_started_total", "advisor_conversations_completed_total",
                     "advisor_step_seconds_bucket", "advisor_knowledge_info", "advisor_store_up"):
            assert name in metrics
        assert bot.metric("advisor_recommendations_total", 'framework="fastapi"') == 0
        assert bot.metric("advisor_store_up") == 1
        assert bot.get("/nope")[0] == 404
        log = bot.log
        assert "Slack: skipped, SLACK_BOT_TOKEN is not set" in log
        assert "Discord: skipped, DISCORD_TOKEN is not set" in log
        assert "no adapter is configured" in log
        code, seconds = bot.terminate()
    assert code == 0 and seconds < 10


def test_readyz_is_503_while_the_store_is_down_but_healthz_stays_200(tmp_path):
    dead = free_port()  # nothing listens there
    with Serve(tmp_path, ADVISOR_STORE=f"redis://:hunter2secret@127.0.0.1:{dead}/0") as bot:
        assert bot.get("/healthz")[0] == 200
        status, ready = bot.json("/readyz")
        assert status == 503 and ready["store"] is False and ready["status"] == "not ready"
        assert bot.metric("advisor_store_up") == 0
        assert bot.terminate()[0] == 0
    assert "hunter2secret" not in bot.log


def test_sigterm_exits_0_quickly_and_keeps_the_conversations(tmp_path):
    env = base_env(tmp_path)
    # a conversation in the SQLite store, one answer in
    chat = run_cli(["chat", "--jsonl", "--user", "alice"], env, stdin='{"answer": "none"}\n')
    assert '"asked": 2' in chat.stdout, chat.stderr  # (exit 1: stdin closed before a recommendation)
    with Serve(tmp_path, env=env) as bot:
        assert bot.get("/readyz")[0] == 200
        code, seconds = bot.terminate()
        log = bot.log
    assert code == 0, log
    assert seconds < 10
    assert "SIGTERM received: stopping" in log and "session store closed" in log
    stats = run_cli(["sessions", "stats"], env)
    assert stats.returncode == 0, stats.stderr
    assert "Live sessions:        1" in stats.stdout
    assert "asking a question:  1" in stats.stdout
    # and it resumes where it was
    resumed = run_cli(["chat", "--jsonl", "--user", "alice"], env, stdin="")
    assert '"asked": 2' in resumed.stdout, resumed.stdout


def test_sigint_also_stops_cleanly(tmp_path):
    with Serve(tmp_path) as bot:
        bot.signal(signal.SIGINT)
        assert bot.wait_exit(10) == 0


def test_sighup_reloads_valid_knowledge_and_keeps_the_old_one_when_broken(tmp_path):
    knowledge = copy_knowledge(tmp_path)
    with Serve(tmp_path, ADVISOR_KNOWLEDGE=str(knowledge)) as bot:
        first = bot.knowledge_fingerprint()

        # a valid edit is picked up
        flask = knowledge / "frameworks" / "flask.yaml"
        flask.write_text(flask.read_text().replace("name: Flask", "name: Flask (edited)", 1))
        mark = len(bot.log)
        bot.signal(signal.SIGHUP)
        bot.wait_log("knowledge reloaded", after=mark)
        edited = bot.knowledge_fingerprint()
        assert edited != first
        assert bot.metric("advisor_knowledge_reloads_total", 'result="ok"') == 1

        # a broken file is rejected with file:line, and the edited knowledge stays in force
        lines = flask.read_text().splitlines()
        lines.insert(3, "summary: [unclosed")
        flask.write_text("\n".join(lines) + "\n")
        mark = len(bot.log)
        bot.signal(signal.SIGHUP)
        log = bot.wait_log("knowledge reload rejected", after=mark)
        assert "flask.yaml:" in log[mark:]
        assert bot.knowledge_fingerprint() == edited
        assert bot.metric("advisor_knowledge_reloads_total", 'result="error"') == 1
        assert bot.get("/healthz")[0] == 200
        status, ready = bot.json("/readyz")
        assert status == 200 and ready["knowledge"]["fingerprint"] == edited

        # fixing it again works
        lines.pop(3)
        flask.write_text("\n".join(lines) + "\n")
        mark = len(bot.log)
        bot.signal(signal.SIGHUP)
        bot.wait_log("knowledge reloaded", after=mark)
        assert bot.knowledge_fingerprint() == edited
        assert bot.terminate()[0] == 0


def test_invalid_knowledge_at_start_refuses_with_file_and_line(tmp_path):
    knowledge = copy_knowledge(tmp_path)
    (knowledge / "questions.yaml").write_text("schema: 1\nquestions: [\n")
    bot = Serve(tmp_path, wait=False, ADVISOR_KNOWLEDGE=str(knowledge))
    with bot:
        assert bot.wait_exit() == 2
    assert "questions.yaml:" in bot.log and "cannot start" in bot.log


def test_bad_slack_token_prefix_names_the_variable_not_the_value(tmp_path):
    secret = "xoxp-1234567890-personal-token-value"
    bot = Serve(tmp_path, wait=False, SLACK_BOT_TOKEN=secret, SLACK_SIGNING_SECRET="s3cr3t-signing")
    with bot:
        assert bot.wait_exit() == 2
    assert "SLACK_BOT_TOKEN" in bot.log and "xoxb-" in bot.log
    assert secret not in bot.log and "1234567890" not in bot.log


def test_bad_store_url_names_the_variable_not_the_password(tmp_path):
    bot = Serve(tmp_path, wait=False, ADVISOR_STORE="postgres://admin:pa55word-value@db/advisor")
    with bot:
        assert bot.wait_exit() == 2
    assert "ADVISOR_STORE" in bot.log and "pa55word-value" not in bot.log


def test_port_in_use_fails_clearly(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        bot = Serve(tmp_path, wait=False, ADVISOR_HTTP_PORT=str(port))
        with bot:
            assert bot.wait_exit() == 2
    assert "ADVISOR_HTTP_PORT" in bot.log and "cannot listen" in bot.log


def test_bad_numbers_are_configuration_errors(tmp_path):
    bot = Serve(tmp_path, wait=False, ADVISOR_HTTP_PORT="eighty")
    with bot:
        assert bot.wait_exit() == 2
    assert "ADVISOR_HTTP_PORT must be a number" in bot.log
