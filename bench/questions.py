"""How many questions the engine asks, against the least any adaptive policy could ask.

Population (the issue's): past success "none" with probability 0.7, the other options
sharing 0.3 equally; every other answer uniform.

Optimum: dynamic programming over every partial state (each question unasked or answered
with an option: about 1.4 M states for the shipped questions), with the engine's own
decision rule (bot.engine.verdicts) and the same stop predicate: a state is settled iff
every extension of it (each unasked question any option or left without an answer) has
the same pick. Bottom-up: picks(s) = {pick(s)} | union of picks(s + q=o) as bitmasks, then
V(s) = 0 if settled else 1 + min over unasked q of sum_o P(o) V(s + q=o).

Engine: the real engine.step on all 32,256 complete profiles (weighted), and on a seeded
sample with "not sure" answers; early-stop error = the pick when it stops differs from the
pick with every answer given.
Run: .venv/bin/python bench/questions.py [--sample N]   (about a minute in pure Python)
"""
from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from array import array
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import engine  # noqa: E402
from bot.engine.replies import QuestionReply  # noqa: E402
from bot.engine.verdicts import EPS, tables  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402


def population(knowledge) -> list[list[float]]:  # type: ignore[no-untyped-def]
    """P(option) per question, in option order."""
    out = []
    for q in knowledge.questions:
        if q.id == knowledge.decides:
            others = [o for o in q.options if o.id != "none"]
            out.append([0.7 if o.id == "none" else 0.3 / len(others) for o in q.options])
        else:
            out.append([1 / len(q.options)] * len(q.options))
    return out


def optimum(knowledge) -> tuple[float, list[int], array, list[int]]:  # type: ignore[no-untyped-def]
    """(V(root), radix strides, best question per state (-1: settled), option counts)."""
    t = tables(knowledge)
    sizes = [len(v) - 1 for v in t.values]  # options per question
    strides, n = [], 1
    for k in sizes:
        strides.append(n)
        n *= k + 1
    nf = len(t.frameworks)
    picks = array("H", bytes(2 * n))
    # pick(s) for every state, by a depth-first walk that carries the partial sums
    qn = len(sizes)

    def walk(qi: int, index: int, score: list[float], hard: list[int], decided: int | None) -> None:
        if qi == qn:
            if decided is not None:
                picks[index] = 1 << decided
                return
            best = min(range(nf), key=lambda f: (hard[f], -round(score[f] / EPS), f))
            picks[index] = 1 << best
            return
        for d in range(sizes[qi] + 1):
            rs = [a - b for a, b in zip(t.fit[qi][d], t.warn[qi][d], strict=True)]
            rh = t.hard[qi][d]
            named = t.named[d] if qi == t.decides else None
            walk(qi + 1, index + d * strides[qi], [a + b for a, b in zip(score, rs, strict=True)],
                 [a + b for a, b in zip(hard, rh, strict=True)],
                 named if named is not None else decided)

    walk(0, 0, [0.0] * nf, [0] * nf, None)
    probs = population(knowledge)
    value = array("d", bytes(8 * n))
    best_q = array("b", bytes(n))
    for s in range(n - 1, -1, -1):
        rest, open_qs = s, []
        for q in range(qn):
            rest, d = divmod(rest, sizes[q] + 1)
            if d == 0:
                open_qs.append(q)
        mask = picks[s]
        for q in open_qs:
            for o in range(1, sizes[q] + 1):
                mask |= picks[s + o * strides[q]]
        picks[s] = mask
        if mask & (mask - 1) == 0:
            best_q[s] = -1
            continue
        best, arg = float("inf"), -1
        for q in open_qs:
            e = 0.0
            for o in range(1, sizes[q] + 1):
                e += probs[q][o - 1] * value[s + o * strides[q]]
            if e < best:
                best, arg = e, q
        value[s] = 1.0 + best
        best_q[s] = arg
    return value[0], strides, best_q, sizes


def stats(counts: list[tuple[int, float]]) -> tuple[float, int, int, int]:
    """Weighted mean, median, p90 and max of (questions, weight) pairs."""
    total = sum(w for _, w in counts)
    mean = sum(c * w for c, w in counts) / total
    ordered = sorted(counts)
    out, acc = [], 0.0
    marks = [0.5, 0.9]
    for c, w in ordered:
        acc += w
        while marks and acc >= marks[0] * total - 1e-12:
            out.append(c)
            marks.pop(0)
    return mean, out[0], out[1], ordered[-1][0]


class Tree:
    """engine.step per distinct answer sequence (profiles share their first answers)."""

    def __init__(self, knowledge) -> None:  # type: ignore[no-untyped-def]
        self.knowledge, self.nodes = knowledge, {}

    def walk(self, profile: dict[str, str | None]) -> tuple[str, int]:
        key: tuple = ()
        if key not in self.nodes:
            self.nodes[key] = engine.step(self.knowledge, None, engine.Start())
        state, reply = self.nodes[key]
        asked = 0
        while isinstance(reply, QuestionReply):
            asked += 1
            option = profile.get(reply.question_id)
            child = key + ((reply.question_id, option),)
            if child not in self.nodes:
                event = engine.Answer(reply.question_id, option) if option else engine.Skip()
                self.nodes[child] = engine.step(self.knowledge, state, event)
            key = child
            state, reply = self.nodes[key]
        return reply.framework, asked


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=20_000, help="profiles with 'not sure' answers")
    args = parser.parse_args()
    knowledge = load_knowledge(Path(__file__).resolve().parent.parent / "knowledge")
    probs = population(knowledge)
    qs = knowledge.questions

    began = time.perf_counter()
    opt, strides, best_q, sizes = optimum(knowledge)
    dp_seconds = time.perf_counter() - began

    tree = Tree(knowledge)
    engine_counts, optimal_counts, errors = [], [], 0
    for combo in itertools.product(*[range(len(q.options)) for q in qs]):
        weight = 1.0
        for q, o in enumerate(combo):
            weight *= probs[q][o]
        profile = {q.id: q.options[o].id for q, o in zip(qs, combo, strict=True)}
        pick, asked = tree.walk(profile)
        errors += pick != engine.winner(knowledge, profile)
        engine_counts.append((asked, weight))
        s, n = 0, 0  # follow the optimal policy
        while best_q[s] >= 0:
            q = best_q[s]
            s += (combo[q] + 1) * strides[q]
            n += 1
        optimal_counts.append((n, weight))

    rng = random.Random(9)
    sample_errors = 0
    for _ in range(args.sample):
        profile = {q.id: None if rng.random() < 0.25 else q.options[rng.choices(range(len(q.options)), probs[i])[0]].id
                   for i, q in enumerate(qs)}
        pick, _ = tree.walk(profile)
        sample_errors += pick != engine.winner(knowledge, {k: v for k, v in profile.items() if v is not None})

    e_mean, e_med, e_p90, e_max = stats(engine_counts)
    o_mean, o_med, o_p90, o_max = stats(optimal_counts)
    print(f"questions asked, weighted population ({len(engine_counts):,} complete profiles; "
          f"optimum by DP over {len(best_q):,} states in {dp_seconds:.0f} s)")
    print(f"  {'':10} {'mean':>7} {'median':>7} {'p90':>5} {'max':>5}")
    print(f"  {'engine':10} {e_mean:7.3f} {e_med:7d} {e_p90:5d} {e_max:5d}")
    print(f"  {'optimum':10} {o_mean:7.3f} {o_med:7d} {o_p90:5d} {o_max:5d}   (V(root) = {opt:.3f})")
    print(f"  engine / optimum: {e_mean / opt:.3f}")
    print(f"early-stop error: {errors} of {len(engine_counts):,} complete profiles; "
          f"{sample_errors} of {args.sample:,} sampled profiles with 'not sure' answers")


if __name__ == "__main__":
    main()
