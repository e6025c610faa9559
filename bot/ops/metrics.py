"""Prometheus metrics for the bot, on a dedicated CollectorRegistry (never the global one,
so several apps in one test process do not collide and library metrics do not leak in).

`PrometheusObserver` implements bot.observe.Observer; the composition root passes it to
`build(settings, observer=...)` and the Advisor calls it on every step.
"""
from __future__ import annotations

import time
from collections.abc import Iterable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from bot.knowledge.fingerprint import fingerprint
from bot.observe import Observer

__all__ = ["PrometheusObserver", "fingerprint"]

# Steps are pure-engine work plus one store round trip: microseconds to tens of milliseconds.
STEP_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class PrometheusObserver(Observer):
    def __init__(self, registry: CollectorRegistry | None = None, frameworks: Iterable[str] = ()) -> None:
        self.registry = registry if registry is not None else CollectorRegistry(auto_describe=True)
        r = self.registry
        self.started = Counter("advisor_conversations_started", "Conversations started", registry=r)
        self.completed = Counter("advisor_conversations_completed",
                                 "Conversations that reached a recommendation", registry=r)
        self.recommendations = Counter("advisor_recommendations", "Recommendations given, by picked framework",
                                       ["framework"], registry=r)
        self.step_seconds = Histogram("advisor_step_seconds", "Time to apply one conversation step "
                                      "(engine plus session store)", buckets=STEP_BUCKETS, registry=r)
        self.errors = Counter("advisor_errors", "Rejected or failed steps, by kind", ["kind"], registry=r)
        self.knowledge_info = Gauge("advisor_knowledge_info", "The knowledge in force (value is always 1)",
                                    ["fingerprint", "frameworks", "questions"], registry=r)
        self.knowledge_loaded = Gauge("advisor_knowledge_loaded_timestamp_seconds",
                                      "When the knowledge in force was loaded", registry=r)
        self.knowledge_reloads = Counter("advisor_knowledge_reloads", "Knowledge reloads (SIGHUP), by result",
                                         ["result"], registry=r)
        self.adapter_ready = Gauge("advisor_adapter_ready", "1 when the adapter is connected and ready",
                                   ["adapter"], registry=r)
        self.store_up = Gauge("advisor_store_up", "1 when the session store answered the last ping", registry=r)
        for result in ("ok", "error"):
            self.knowledge_reloads.labels(result)
        for framework in frameworks:
            self.recommendations.labels(framework)

    # -- Observer
    def conversation_started(self) -> None:
        self.started.inc()

    def conversation_completed(self, framework: str) -> None:
        self.completed.inc()
        self.recommendations.labels(framework).inc()

    def step(self, seconds: float) -> None:
        self.step_seconds.observe(seconds)

    def error(self, kind: str) -> None:
        self.errors.labels(kind or "unknown").inc()

    # -- serve helpers
    def set_knowledge(self, fingerprint: str, frameworks: Iterable[str], questions: int) -> None:
        names = list(frameworks)
        self.knowledge_info.clear()
        self.knowledge_info.labels(fingerprint, str(len(names)), str(questions)).set(1)
        self.knowledge_loaded.set(time.time())
        for framework in names:
            self.recommendations.labels(framework)

    def exposition(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
