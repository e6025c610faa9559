"""Microseconds per call for what a finished conversation offers: the MADR decision record,
"Compare top 3" and one what-if, plus rendering each for Slack (limit-checked Block Kit)
and Discord (a fitted Components V2 screen).

States are finished conversations from random profiles; every what-if changes one answer
the result itself offers (Recommendation.changes) or, without any, a random one.
Run: .venv/bin/python bench/results.py [--states N]
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import engine  # noqa: E402
from bot.adapters.discord.render.context import Ctx  # noqa: E402
from bot.adapters.discord.render.info import info  # noqa: E402
from bot.adapters.discord.render.result import whatif  # noqa: E402
from bot.adapters.slack import render as slack_render  # noqa: E402
from bot.engine.replies import QuestionReply  # noqa: E402
from bot.export import decision_record  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402


def finished(knowledge, n: int, seed: int = 1) -> list:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        state, reply = engine.step(knowledge, None, engine.Start(""))
        while isinstance(reply, QuestionReply):
            event = (engine.Skip() if rng.random() < 0.15
                     else engine.Answer(reply.question_id, rng.choice(reply.options).id))
            state, reply = engine.step(knowledge, state, event)
        out.append((state, reply))
    return out


def per_call(label: str, fn, items) -> None:  # noqa: ANN001
    began = time.perf_counter()
    for item in items:
        fn(*item)
    took = time.perf_counter() - began
    print(f"{label:34} {took / len(items) * 1e6:9.1f} us/call  ({len(items)} calls)")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--states", type=int, default=2000)
    args = p.parse_args()
    knowledge = load_knowledge(Path(__file__).resolve().parent.parent / "knowledge")
    states = finished(knowledge, args.states)
    day = dt.date(2026, 12, 1)
    rng = random.Random(2)
    picks = []
    for state, rec in states:
        if rec.changes:
            c = rng.choice(rec.changes)
            picks.append((state, c.question, c.option))
        else:
            q = rng.choice(knowledge.questions)
            picks.append((state, q.id, rng.choice(q.options).id))
    ctx = Ctx("sess1234", 7)
    matrices = [(engine.compare_top(knowledge, rec, state.answer_map()),) for state, rec in states]
    whatifs = [(engine.whatif(knowledge, *x),) for x in picks]
    print(f"{len(states)} finished conversations, knowledge {knowledge.fingerprint}")
    per_call("decision record (MADR)", lambda s, r: decision_record(knowledge, s, r, ["Ann"], day), states)
    per_call("compare top 3 (engine)", lambda s, r: engine.compare_top(knowledge, r, s.answer_map()), states)
    per_call("what-if (engine)", lambda s, q, o: engine.whatif(knowledge, s, q, o), picks)
    per_call("compare top 3 -> Slack table", lambda m: slack_render.as_dicts(slack_render.render(m)), matrices)
    per_call("what-if -> Slack blocks", lambda w: slack_render.as_dicts(slack_render.render(w, "s:1")), whatifs)
    per_call("compare top 3 -> Discord V2", info, matrices)
    per_call("what-if -> Discord V2", lambda w: whatif(w, ctx), whatifs)


if __name__ == "__main__":
    main()
