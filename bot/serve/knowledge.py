"""Which knowledge is in force, and SIGHUP's reload of it.

A reload that fails (invalid YAML, a vanished folder) is logged and counted, and the previous
knowledge stays in force: a typo on the host must not take the bot down.
"""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from bot.ops.metrics import PrometheusObserver, fingerprint

if TYPE_CHECKING:
    from bot.bootstrap import App
    from bot.engine.model import Knowledge

log = logging.getLogger("bot.serve")


class KnowledgeState:
    def __init__(self, folder: Path, observer: PrometheusObserver) -> None:
        self.folder = folder
        self.observer = observer
        self.info: dict[str, object] = {}  # fingerprint, frameworks, questions: for /readyz and the log
        self._reloading = asyncio.Lock()  # a second SIGHUP waits instead of loading concurrently

    def loaded(self, knowledge: Knowledge) -> None:
        try:
            fp = fingerprint(self.folder)
        except OSError:
            fp = "unknown"
        frameworks = [f.id for f in knowledge.frameworks]
        self.info = {"fingerprint": fp, "frameworks": len(frameworks), "questions": len(knowledge.questions)}
        self.observer.set_knowledge(fp, frameworks, len(knowledge.questions))

    def describe(self) -> str:
        info = self.info
        return (f"fingerprint {info.get('fingerprint', '?')}, {info.get('frameworks', '?')} frameworks, "
                f"{info.get('questions', '?')} questions")

    async def reload(self, app: App) -> bool:
        """Load the folder again; keep the old knowledge if it is invalid."""
        from bot.knowledge.loader import KnowledgeError

        async with self._reloading:
            log.info("SIGHUP received: reloading knowledge from %s", self.folder)
            try:
                knowledge = await asyncio.to_thread(app.knowledge.reload)
            except KnowledgeError as exc:
                self.observer.knowledge_reloads.labels("error").inc()
                log.error("knowledge reload rejected; still serving the previous knowledge (%s). Problems:\n%s",
                          self.describe(), exc)
                return False
            except Exception as exc:  # noqa: BLE001 - e.g. the folder vanished: same outcome
                self.observer.knowledge_reloads.labels("error").inc()
                log.error("knowledge reload failed (%s: %s); still serving the previous knowledge (%s)",
                          type(exc).__name__, exc, self.describe())
                return False
            self.loaded(knowledge)
            self.observer.knowledge_reloads.labels("ok").inc()
            log.info("knowledge reloaded: %s", self.describe())
            return True
