"""Shared fixtures. Everything is wired through bot.bootstrap.build, the same root as production."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.bootstrap import App, build
from bot.engine.model import Knowledge
from bot.knowledge.loader import load_knowledge
from bot.settings import Settings
from bot.store.memory import MemoryStore

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = ROOT / "knowledge"

# slack_sdk honours HTTP(S)_PROXY but not NO_PROXY: keep every test on loopback.
for _name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_name, None)


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge(KNOWLEDGE_DIR)


@pytest.fixture
def make_app(knowledge: Knowledge):
    """Build the real composition root with an in-memory store (or the one given)."""

    def factory(store=None, **settings) -> App:
        config = Settings(knowledge_dir=KNOWLEDGE_DIR, **settings)
        return build(config, knowledge=knowledge, store=store if store is not None else MemoryStore())

    return factory
