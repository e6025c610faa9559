"""Costs the issue-13 work adds per message, and the App Home look-up.

* Discord: rendering a question and a result as Components V2 (render + the LayoutView of
  persistent items + its JSON), per message;
* Slack: rendering the Home tab for 10 results;
* the per-owner index: `SessionStore.owned` for one user among N sessions in SQLite (and in
  memory), against a full scan of the table.

    .venv/bin/python bench/polish.py [--sessions N] [--repeat R]
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import engine  # noqa: E402
from bot.adapters.discord.render.context import Ctx  # noqa: E402
from bot.adapters.discord.render.conversation import conversation  # noqa: E402
from bot.adapters.discord.view import build_view  # noqa: E402
from bot.adapters.slack.render.home import home_view  # noqa: E402
from bot.engine.events import Answer, Start  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402
from bot.service.outcome import Recent, Ref  # noqa: E402
from bot.store.base import Scope, Session  # noqa: E402
from bot.store.memory import MemoryStore  # noqa: E402
from bot.store.sqlite import SqliteStore  # noqa: E402


def per_call(fn: Callable[[], object], repeat: int) -> float:
    fn()
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        for _ in range(repeat):
            fn()
        best = min(best, (time.perf_counter() - began) / repeat)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=500)
    args = parser.parse_args()
    knowledge = load_knowledge(Path(__file__).resolve().parent.parent / "knowledge")

    state, question = engine.step(knowledge, None, Start(""))
    state, _ = engine.step(knowledge, state, Answer("experience", "none"))
    result = engine.recommend(knowledge, {"experience": "none", "style": "api", "performance": "critical"}, "")
    ctx = Ctx("sess1234", 3)
    for name, reply in (("question", question), ("result", result)):
        t = per_call(lambda reply=reply: build_view(conversation(reply, ctx)).to_components(),
                     args.repeat)
        print(f"discord {name:8s} render + LayoutView + JSON: {t * 1e6:8.1f} us")

    recent = [Recent(Scope("slack", "T1", f"C{i:08d}", "", "U1"), Ref("s", i), 1.7e9 + i, result if i % 2 else question)
              for i in range(10)]
    t = per_call(lambda: home_view(recent), args.repeat)
    print(f"slack home tab, 10 results:                {t * 1e6:8.1f} us")

    with tempfile.TemporaryDirectory() as tmp:
        sqlite = SqliteStore(Path(tmp) / "s.db")
        memory = MemoryStore()
        for i in range(args.sessions):
            owner = "U1" if i % (args.sessions // 5) == 0 else f"U{i + 2}"
            session = Session(f"s{i}", 1, owner, state, 1.7e9, 1.7e9 + i)
            key = Scope("slack", "T1", f"C{i:08d}", "", owner).key()
            sqlite.save(key, session, None)
            memory.save(key, session, None)
        prefix = Scope("slack", "T1").workspace_prefix()
        assert len(sqlite.owned("U1", prefix)) == 5 == len(memory.owned("U1", prefix))
        for label, store in (("sqlite", sqlite), ("memory", memory)):
            t = per_call(lambda store=store: store.owned("U1", prefix), args.repeat)
            print(f"owned('U1') among {args.sessions} sessions, {label:6s}: {t * 1e6:8.1f} us")
        db = sqlite3.connect(Path(tmp) / "s.db")
        scan = per_call(lambda: db.execute("SELECT key, data FROM sessions WHERE data LIKE '%\"owner\":\"U1\"%'")
                        .fetchall(), max(5, args.repeat // 50))
        print(f"full table scan for the same, sqlite:      {scan * 1e6:8.1f} us")
        sqlite.close()


if __name__ == "__main__":
    main()
