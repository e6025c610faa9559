"""The one composition root: settings -> knowledge, store, service. Tests pass fakes here too."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from bot.engine.model import Knowledge
from bot.observe import Observer
from bot.service.advisor import Advisor
from bot.settings import Settings
from bot.store.base import SessionStore

log = logging.getLogger("bot")


class KnowledgeHolder:
    """The knowledge in force. `reload()` swaps it atomically or keeps the old one."""

    def __init__(self, directory: Path, knowledge: Knowledge | None = None) -> None:
        self.directory = Path(directory)
        self._current = knowledge if knowledge is not None else load(self.directory)
        self._lock = threading.Lock()

    def __call__(self) -> Knowledge:
        return self._current

    def reload(self) -> Knowledge:
        """Load again from disk. Raises KnowledgeError (and keeps serving the old
        knowledge) when the files are invalid."""
        fresh = load(self.directory)
        with self._lock:
            self._current = fresh
        return fresh


def load(directory: Path) -> Knowledge:
    from bot.knowledge.loader import load_knowledge

    return load_knowledge(directory)


def open_store(settings: Settings) -> SessionStore:
    from bot.store.factory import open_store as factory

    return factory(settings.store, settings.session_ttl, str(settings.data_dir), settings.store_deadlines)


@dataclass
class App:
    settings: Settings
    knowledge: KnowledgeHolder
    store: SessionStore
    advisor: Advisor
    observer: Observer

    def close(self) -> None:
        self.store.close()


def build(
    settings: Settings | None = None,
    *,
    knowledge: Knowledge | None = None,
    store: SessionStore | None = None,
    observer: Observer | None = None,
) -> App:
    settings = settings or Settings.from_env()
    holder = KnowledgeHolder(settings.knowledge_dir, knowledge)
    store = store if store is not None else open_store(settings)
    observer = observer or Observer()
    return App(settings, holder, store, Advisor(holder, store, observer), observer)
