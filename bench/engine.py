"""Full conversations per second and microseconds per step for the pure engine.

Each conversation starts, answers every question the engine asks from a random profile
(30% of them skip a question now and then) and ends at the recommendation. Two figures:
  warm: the engine as the bot runs it, with its per-knowledge memo of next questions and
        recommendations (a pure function's results, keyed by the answers so far);
  cold: the memo cleared before every conversation, so every step is computed.
Run: .venv/bin/python bench/engine.py [--conversations N]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import engine  # noqa: E402
from bot.engine.replies import QuestionReply  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402


def profiles(knowledge, n: int, seed: int = 1) -> list[dict[str, str | None]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        p: dict[str, str | None] = {q.id: rng.choice(q.options).id for q in knowledge.questions}
        if rng.random() < 0.7:
            p["experience"] = "none"
        if rng.random() < 0.3:
            p[rng.choice(knowledge.questions).id] = None  # "not sure"
        out.append(p)
    return out


def run(knowledge, batch, cold: bool) -> tuple[float, int]:
    steps = 0
    began = time.perf_counter()
    for profile in batch:
        if cold:
            knowledge.memo.pop("next", None)
            knowledge.memo.pop("recommendations", None)
        state, reply = engine.step(knowledge, None, engine.Start())
        steps += 1
        while isinstance(reply, QuestionReply):
            option = profile[reply.question_id]
            event = engine.Answer(reply.question_id, option) if option else engine.Skip()
            state, reply = engine.step(knowledge, state, event)
            steps += 1
    return time.perf_counter() - began, steps


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=20_000)
    args = parser.parse_args()
    knowledge = load_knowledge(Path(__file__).resolve().parent.parent / "knowledge")
    batch = profiles(knowledge, args.conversations)
    run(knowledge, batch[:500], cold=False)  # warm-up: compile tables
    print(f"engine benchmark: {args.conversations} conversations, one core, Python {sys.version.split()[0]}")
    for label, cold in (("warm (memo)", False), ("cold (no memo)", True)):
        best = None
        for _ in range(3):
            seconds, steps = run(knowledge, batch, cold)
            best = (seconds, steps) if best is None or seconds < best[0] else best
        seconds, steps = best
        print(f"  {label:15} {args.conversations / seconds:10,.0f} conversations/s   "
              f"{seconds / steps * 1e6:6.1f} us/step   {steps / args.conversations:.2f} steps/conversation")


if __name__ == "__main__":
    main()
