"""A hook for metrics. The default does nothing; `serve` plugs in Prometheus counters."""
from __future__ import annotations


class Observer:
    def conversation_started(self) -> None:
        pass

    def conversation_completed(self, framework: str) -> None:
        pass

    def step(self, seconds: float) -> None:
        pass

    def error(self, kind: str) -> None:
        pass
