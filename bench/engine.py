"""Conversations per second and step latency of the pure engine, in a fresh process.

Nothing is warmed up: the compiled tables are built on the first step and counted in
it, and the engine's one memo (bot/engine/asking.py: a bounded LRU of per-state analyses
and choices) starts empty. `--memo 0` turns it off, so every step is computed. Each
conversation starts, answers what the engine asks from a random profile (70% without
past success; in 30% of them one question is "not sure") and ends at the recommendation.

Two knowledge bases: the shipped one, and a synthetic one of 25 questions x 20 frameworks
(seeded) to show that nothing grows exponentially with the questions.
Run: .venv/bin/python bench/engine.py [--conversations N] [--synthetic N]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import engine  # noqa: E402
from bot.engine.asking import MEMO_SIZE, Memo  # noqa: E402
from bot.engine.model import Framework, Knowledge, Option, Question, Rule  # noqa: E402
from bot.engine.replies import QuestionReply  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402


def profiles(knowledge: Knowledge, n: int, seed: int = 1) -> list[dict[str, str | None]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        p: dict[str, str | None] = {q.id: rng.choice(q.options).id for q in knowledge.questions}
        if knowledge.decides and rng.random() < 0.7:
            p[knowledge.decides] = "none"
        if rng.random() < 0.3:
            p[rng.choice(knowledge.questions).id] = None  # "not sure"
        out.append(p)
    return out


def run(knowledge: Knowledge, batch: list[dict[str, str | None]]) -> tuple[float, list[float]]:
    steps: list[float] = []
    clock = time.perf_counter
    began = clock()
    for profile in batch:
        t = clock()
        state, reply = engine.step(knowledge, None, engine.Start())
        steps.append(clock() - t)
        while isinstance(reply, QuestionReply):
            option = profile[reply.question_id]
            event = engine.Answer(reply.question_id, option) if option else engine.Skip()
            t = clock()
            state, reply = engine.step(knowledge, state, event)
            steps.append(clock() - t)
    return clock() - began, steps


def synthetic(questions: int = 25, frameworks: int = 20, seed: int = 7) -> Knowledge:
    """A bigger knowledge of the same shape: a deciding question naming every framework,
    then questions of 2-4 options; each framework has 3-5 fits (one strong) and 1-3
    warnings (one in three hard), each on one answer."""
    rng = random.Random(seed)
    fids = [f"fw{i}" for i in range(frameworks)]
    qs = [Question("experience", "Past success?", "Past success",
                   tuple(Option(f, f) for f in fids) + (Option("none", "No", likely=0.7),))]
    qs += [Question(f"q{i}", f"Question {i}?", f"Q{i}",
                    tuple(Option(f"o{j}", f"O{j}") for j in range(rng.randint(2, 4))))
           for i in range(1, questions)]
    fws = []
    for n, fid in enumerate(fids):
        rules = [Rule("consider", f"{fid} wins", "experience", frozenset({fid}), strength="fit")]
        for k in range(rng.randint(3, 5)):
            q = rng.choice(qs[1:])
            rules.append(Rule("consider", f"{fid} fits {q.id}", q.id, frozenset({rng.choice(q.options).id}),
                              strength="strong" if k == 0 else "fit"))
        for _ in range(rng.randint(1, 3)):
            q = rng.choice(qs[1:])
            rules.append(Rule("think_twice", f"{fid} warns {q.id}", q.id, frozenset({rng.choice(q.options).id}),
                              strength="hard" if rng.random() < 1 / 3 else "soft"))
        fws.append(Framework(fid, fid.upper(), "synthetic", prior=frameworks - n, rules=tuple(rules)))
    return Knowledge(tuple(qs), tuple(fws), decides="experience")


def report(label: str, knowledge: Knowledge, n: int, memo: int) -> None:
    knowledge.memo["asking"] = Memo(memo)  # empty; size 0 keeps nothing
    seconds, steps = run(knowledge, profiles(knowledge, n))
    steps.sort()
    pick = lambda q: steps[min(len(steps) - 1, int(q * len(steps)))] * 1e3  # noqa: E731
    print(f"  {label:28} {n / seconds:9,.0f} conversations/s   step p50 {pick(0.5):.3f} ms   "
          f"p99 {pick(0.99):.3f} ms   max {steps[-1] * 1e3:.2f} ms   {len(steps) / n:.2f} steps/conversation")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=20_000)
    parser.add_argument("--synthetic", type=int, default=500)
    parser.add_argument("--memo", type=int, default=MEMO_SIZE, help="states the engine's memo keeps (0: off)")
    args = parser.parse_args()
    print(f"engine benchmark: fresh process, no warm-up, one core, Python {sys.version.split()[0]}, "
          f"memo {args.memo or 'off'}")
    report("shipped knowledge", load_knowledge(Path(__file__).resolve().parent.parent / "knowledge"),
           args.conversations, args.memo)
    report("synthetic 25 q x 20 frameworks", synthetic(), args.synthetic, args.memo)


if __name__ == "__main__":
    main()
