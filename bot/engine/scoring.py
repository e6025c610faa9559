"""Scores as vector arithmetic over tables compiled once per knowledge.

Every rule is tied to a single answer, so the effect of answering question q with
option o is a fixed vector delta[q][o] that does not depend on other answers. That makes
look-ahead ("could this question still change the pick?") a few additions per option.
"""
from __future__ import annotations

import math
import operator
from dataclasses import dataclass

from .model import Knowledge

Vector = tuple[float, ...]


@dataclass(frozen=True)
class Tables:
    ids: tuple[str, ...]
    base: Vector  # prior + rules that apply while a question is unanswered (`unless`)
    base_veto: tuple[int, ...]
    delta: dict[str, dict[str, Vector]]  # question -> option -> score change
    veto: dict[str, dict[str, tuple[int, ...]]]  # question -> option -> veto count change
    order: tuple[int, ...]  # tie-break: higher prior first, then knowledge order
    spread: dict[str, dict[tuple[int, int], float]]  # how well q separates a pair
    has_veto: frozenset[str]  # questions whose answers can veto or un-veto something
    gain: dict[str, tuple[tuple[float, ...], ...]]  # q -> [leader][f]: best gain of f over leader
    rank: tuple[int, ...]  # position of each framework in `order`


def tables(knowledge: Knowledge) -> Tables:
    cached = knowledge.memo.get("tables")
    if cached is None:
        cached = knowledge.memo["tables"] = _compile(knowledge)
    return cached  # type: ignore[return-value]


def _compile(knowledge: Knowledge) -> Tables:
    n = len(knowledge.candidates)
    base = [f.prior for f in knowledge.candidates]
    base_veto = [0] * n
    delta = {q.id: {o.id: [0.0] * n for o in q.options} for q in knowledge.questions}
    veto = {q.id: {o.id: [0] * n for o in q.options} for q in knowledge.questions}
    for i, framework in enumerate(knowledge.candidates):
        for rule in framework.rules:
            if rule.question is None or rule.question not in delta:
                continue
            w = rule.weight if rule.kind == "consider" else -rule.weight
            sign = 1
            if rule.negate:
                # Applies while unanswered; answering with a listed option lifts it.
                base[i] += w
                base_veto[i] += rule.veto
                sign = -1
            for option_id in rule.options:
                if option_id in delta[rule.question]:
                    delta[rule.question][option_id][i] += sign * w
                    veto[rule.question][option_id][i] += sign * rule.veto
    frozen_delta = {q: {o: tuple(v) for o, v in opts.items()} for q, opts in delta.items()}
    frozen_veto = {q: {o: tuple(v) for o, v in opts.items()} for q, opts in veto.items()}
    order = tuple(sorted(range(n), key=lambda i: (-knowledge.candidates[i].prior, i)))
    spread = {}
    for q, opts in frozen_delta.items():
        pairs = {}
        for a in range(n):
            for b in range(n):
                if a != b:
                    diffs = [v[a] - v[b] for v in opts.values()]
                    pairs[(a, b)] = max(diffs) - min(diffs)
        spread[q] = pairs
    has_veto = frozenset(q for q, opts in frozen_veto.items() if any(any(v) for v in opts.values()))
    gain = {
        q: tuple(tuple(max(v[f] - v[lead] for v in opts.values()) for f in range(n)) for lead in range(n))
        for q, opts in frozen_delta.items()
    }
    rank = tuple(order.index(i) for i in range(n))
    return Tables(tuple(f.id for f in knowledge.candidates), tuple(base), tuple(base_veto), frozen_delta,
                  frozen_veto, order, spread, has_veto, gain, rank)


def totals(t: Tables, answers: dict[str, str]) -> tuple[list[float], list[int]]:
    deltas, vetoes = [t.base], [t.base_veto]
    for q, o in answers.items():
        d = t.delta.get(q, {}).get(o)
        if d is not None:  # an answer the knowledge no longer knows is ignored
            deltas.append(d)
            vetoes.append(t.veto[q][o])
    return [sum(col) for col in zip(*deltas)], [sum(col) for col in zip(*vetoes)]


def top(t: Tables, scores: list[float], vetoes: list[int] | tuple[int, ...]) -> int:
    best, best_score = -1, -math.inf
    for i in t.order:
        if vetoes[i] <= 0 and scores[i] > best_score:
            best, best_score = i, scores[i]
    if best < 0:  # everything vetoed: fall back to plain scores rather than recommend nothing
        for i in t.order:
            if scores[i] > best_score:
                best, best_score = i, scores[i]
    return best


def top_after(t: Tables, scores: list[float], vetoes: list[int], q: str, o: str) -> int:
    d = t.delta[q][o]
    v = t.veto[q][o]
    return top(t, [s + x for s, x in zip(scores, d)], [a + b for a, b in zip(vetoes, v)])


def gaps(t: Tables, scores: list[float], vetoes: list[int], leader: int) -> list[float]:
    """How much each framework must gain on the leader to overtake it (inf: it cannot)."""
    lead, rank = scores[leader], t.rank
    return [
        math.inf if f == leader or vetoes[f] > 0
        else lead - s - (1e-9 if rank[f] < rank[leader] else 0.0)  # wins ties: equal is enough
        for f, s in enumerate(scores)
    ]


def could_change(t: Tables, scores: list[float], vetoes: list[int], leader: int, q: str,
                 need: list[float] | None = None) -> bool:
    """True if some single answer to q would put another framework on top."""
    if q in t.has_veto:
        return any(top_after(t, scores, vetoes, q, o) != leader for o in t.delta[q])
    # Without vetoes in play this is exact: f overtakes the leader for some option iff
    # its best relative gain over the leader closes the gap.
    if need is None:
        need = gaps(t, scores, vetoes, leader)
    return any(map(operator.gt, t.gain[q][leader], need))


def ranking(t: Tables, scores: list[float], vetoes: list[int], temperature: float) -> list[tuple[int, float]]:
    """(framework index, 0..1 score) best first; vetoed frameworks last with 0."""
    live = [i for i in range(len(scores)) if vetoes[i] <= 0] or list(range(len(scores)))
    peak = max(scores[i] for i in live)
    weights = {i: math.exp((scores[i] - peak) / max(temperature, 1e-6)) for i in live}
    total = sum(weights.values())
    rank = {i: pos for pos, i in enumerate(t.order)}
    ordered = sorted(range(len(scores)), key=lambda i: (i not in weights, -scores[i], rank[i]))
    return [(i, weights.get(i, 0.0) / total) for i in ordered]


def winner(knowledge: Knowledge, answers: dict[str, str]) -> str:
    """The id of the framework on top for these answers (question id -> option id)."""
    t = tables(knowledge)
    scores, vetoes = totals(t, answers)
    return t.ids[top(t, scores, vetoes)]
