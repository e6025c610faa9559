"""The pieces `serve` is made of, in-process: Prometheus observer, log redaction, knowledge
fingerprint, and the settings additions (adapters, secret values kept out of repr)."""
from __future__ import annotations

import io
import logging
import shutil
from pathlib import Path

from prometheus_client import REGISTRY

from bot.bootstrap import build
from bot.engine.events import Answer
from bot.engine.replies import QuestionReply
from bot.ops.logging import MASK, RedactingFilter, install
from bot.ops.metrics import PrometheusObserver, fingerprint
from bot.settings import Settings
from bot.store.base import Scope
from bot.store.memory import MemoryStore

ROOT = Path(__file__).resolve().parents[1]


def sample(observer: PrometheusObserver, name: str, **labels: str) -> float:
    value = observer.registry.get_sample_value(name, labels or None)
    return 0.0 if value is None else value


def test_prometheus_observer_counts_a_whole_conversation(knowledge):
    observer = PrometheusObserver(frameworks=[f.id for f in knowledge.frameworks])
    app = build(Settings(knowledge_dir=ROOT / "knowledge"), knowledge=knowledge, store=MemoryStore(),
                observer=observer)
    scope = Scope("test", user="u1")
    outcome = app.advisor.start(scope, "u1")
    steps = 1
    while isinstance(outcome.reply, QuestionReply):
        option = outcome.reply.options[0].id
        outcome = app.advisor.act(scope, "u1", Answer(outcome.reply.question_id, option), outcome.ref())
        steps += 1
        assert steps < 20
    framework = outcome.reply.framework
    assert sample(observer, "advisor_conversations_started_total") == 1
    assert sample(observer, "advisor_conversations_completed_total") == 1
    assert sample(observer, "advisor_recommendations_total", framework=framework) == 1
    assert sample(observer, "advisor_step_seconds_count") == steps
    # errors by kind: an answer to a question that was not asked, a stale click
    app.advisor.act(scope, "u1", Answer("nope", "x"))
    app.advisor.act(scope, "u1", Answer("style", "api"), type(outcome.ref())(outcome.session, 1))
    kinds = {s.labels["kind"] for m in observer.registry.collect() if m.name == "advisor_errors"
             for s in m.samples if s.name == "advisor_errors_total"}
    assert "stale" in kinds and len(kinds) == 2
    # pre-created label sets show zeros for the other frameworks
    assert observer.registry.get_sample_value("advisor_recommendations_total", {"framework": "bottle"}) is not None


def test_dedicated_registries_do_not_collide():
    a, b = PrometheusObserver(), PrometheusObserver()
    a.conversation_started()
    assert sample(a, "advisor_conversations_started_total") == 1
    assert sample(b, "advisor_conversations_started_total") == 0
    assert REGISTRY.get_sample_value("advisor_conversations_started_total") is None
    payload, content_type = a.exposition()
    assert b"advisor_conversations_started_total 1.0" in payload and content_type.startswith("text/plain")


def test_knowledge_info_replaces_the_previous_fingerprint():
    observer = PrometheusObserver()
    observer.set_knowledge("aaa", ["django"], 11)
    observer.set_knowledge("bbb", ["django", "flask"], 11)
    infos = [s.labels for m in observer.registry.collect() if m.name == "advisor_knowledge_info" for s in m.samples]
    assert infos == [{"fingerprint": "bbb", "frameworks": "2", "questions": "11"}]


def test_fingerprint_follows_the_files(tmp_path):
    folder = tmp_path / "k"
    shutil.copytree(ROOT / "knowledge", folder, ignore=shutil.ignore_patterns("__pycache__"))
    first = fingerprint(folder)
    assert first == fingerprint(folder) and len(first) == 12
    (folder / "questions.yaml").write_text((folder / "questions.yaml").read_text() + "\n# edited\n")
    assert fingerprint(folder) != first


def test_redacting_filter_masks_messages_args_and_tracebacks():
    stream = io.StringIO()
    logger = logging.getLogger("test.redaction")
    logger.propagate = False
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    try:
        install(["xoxb-secret-token-1", "short", ""], logger)
        logger.warning("token is %s", "xoxb-secret-token-1")
        logger.warning("inline xoxb-secret-token-1 and a short word")
        try:
            raise RuntimeError("bad xoxb-secret-token-1")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert "xoxb-secret-token-1" not in out
    assert out.count(MASK) >= 3
    assert "short word" in out  # values under 6 characters are not treated as secrets
    assert "RuntimeError" in out


def test_redacting_filter_prefers_the_longest_secret():
    flt = RedactingFilter(["abcdef", "abcdefghij"])
    assert flt.redact("x abcdefghij y") == f"x {MASK} y"


def test_settings_secret_values_and_repr():
    env = {"SLACK_BOT_TOKEN": "xoxb-1-abc", "SLACK_APP_TOKEN": "xapp-1-def", "DISCORD_TOKEN": "disc.tok.en",
           "ADVISOR_STORE": "redis://:redispass@redis:6379/0"}
    settings = Settings.from_env(env)
    assert set(settings.secret_values()) == {"xoxb-1-abc", "xapp-1-def", "disc.tok.en", "redispass"}
    assert settings.adapters == ("slack", "discord")
    text = repr(settings)
    for value in settings.secret_values():
        if value != "redispass":  # the store URL is shown by the store itself, redacted
            assert value not in text
    assert Settings.from_env({}).adapters == ()


def test_readiness_needs_the_store_and_every_adapter_and_drops_on_shutdown():
    import asyncio

    from bot.ops.health import Health

    async def scenario() -> list[tuple[bool, dict]]:
        store_up = {"ok": True}
        slack, discord = asyncio.Event(), asyncio.Event()
        health = Health(lambda: store_up["ok"], PrometheusObserver(), {"slack": slack, "discord": discord})
        seen = [await health.readiness()]
        slack.set()
        seen.append(await health.readiness())
        discord.set()
        seen.append(await health.readiness())
        store_up["ok"] = False
        seen.append(await health.readiness())
        store_up["ok"] = True
        health.stopping = True
        seen.append(await health.readiness())
        return seen

    seen = asyncio.run(scenario())
    assert [ready for ready, _ in seen] == [False, False, True, False, False]
    assert seen[1][1]["adapters"] == {"slack": True, "discord": False}
    assert seen[3][1]["store"] is False
    assert seen[4][1]["status"] == "stopping"


def test_a_store_ping_that_raises_or_hangs_is_not_ready(monkeypatch):
    import asyncio
    import time

    from bot.ops import health as health_module
    from bot.ops.health import Health

    def boom() -> bool:
        raise ConnectionError("down")

    def slow() -> bool:
        time.sleep(0.5)
        return True

    monkeypatch.setattr(health_module, "PING_TIMEOUT", 0.1)
    assert asyncio.run(Health(boom, PrometheusObserver()).readiness())[0] is False
    assert asyncio.run(Health(slow, PrometheusObserver()).readiness())[0] is False


def test_a_hanging_ping_is_not_started_again_by_every_probe(monkeypatch):
    import asyncio
    import threading

    from bot.ops import health as health_module
    from bot.ops.health import Health

    calls = []
    release = threading.Event()

    def stuck() -> bool:
        calls.append(1)
        release.wait(5)
        return True

    monkeypatch.setattr(health_module, "PING_TIMEOUT", 0.05)

    async def scenario() -> list[bool]:
        health = Health(stuck, PrometheusObserver())
        results = [(await health.readiness())[0] for _ in range(5)]
        release.set()
        await asyncio.sleep(0.05)
        results.append((await health.readiness())[0])
        health.close()
        return results

    assert asyncio.run(scenario()) == [False] * 5 + [True]
    assert len(calls) == 2  # five probes shared the stuck ping; the sixth started a fresh one
