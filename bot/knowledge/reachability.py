"""Can every framework come out on top? A search for answers that make each one win.

The engine's scoring is a black box here (any `winner` function will do), so this cannot
prove a framework unreachable; it searches cleverly first and then at random, bounded.
"""
from __future__ import annotations

import random
from collections.abc import Callable, Iterable

from bot.engine.model import Framework, Knowledge


def unreachable_frameworks(
    knowledge: Knowledge,
    winner: Callable[[Knowledge, dict[str, str]], str] | None = None,
    *,
    tries: int = 4000,
    seed: int = 1,
) -> list[str]:
    """Ids of frameworks that no set of answers puts on top, in knowledge order.

    `winner(knowledge, answers)` is the engine's pick (default: bot.engine.verdicts.winner).
    For each framework it first tries answers built from the rules (trigger its
    fits, avoid its warnings, prefer options that hurt the
    others), then single answers, then a bounded, seeded random search. So "never" means
    "not found by this search": a framework reported here is at best extremely hard to
    reach.
    """
    if winner is None:
        from bot.engine.verdicts import winner as engine_winner

        winner = engine_winner
    found: set[str] = set()

    def attempt(answers: dict[str, str]) -> None:
        found.add(winner(knowledge, answers))

    ids = [fw.id for fw in knowledge.candidates]
    attempt({})
    for fw in knowledge.candidates:
        if fw.id in found:
            continue
        for answers in _candidates(knowledge, fw):
            attempt(answers)
            if fw.id in found:
                break
    if len(found) < len(ids):
        rng = random.Random(seed)
        choices = [[None, *(o.id for o in q.options)] for q in knowledge.questions]
        qids = [q.id for q in knowledge.questions]
        for _ in range(tries):
            answers = {}
            for qid, opts in zip(qids, choices, strict=True):
                pick = rng.choice(opts)
                if pick is not None:
                    answers[qid] = pick
            attempt(answers)
            if len(found) == len(ids):
                break
    return [fid for fid in ids if fid not in found]


def _effect(knowledge: Knowledge, fw: Framework, qid: str, oid: str | None) -> tuple[float, int]:
    """(score, hard mismatches) of answering qid with oid (None: unanswered) for fw."""
    score, veto = 0.0, 0
    for rule in fw.rules:
        if rule.question != qid or not rule.applies(oid):
            continue
        score += knowledge.weight(rule)
        veto += rule.hard
    return score, veto


def _candidates(knowledge: Knowledge, fw: Framework) -> Iterable[dict[str, str]]:
    """Answer sets likely to put `fw` on top, the most promising first."""
    others = [g for g in knowledge.candidates if g.id != fw.id]
    greedy_max: dict[str, str] = {}
    greedy_sum: dict[str, str] = {}
    own_only: dict[str, str] = {}
    for q in knowledge.questions:
        best_max = best_sum = best_own = None
        for oid in [None, *(o.id for o in q.options)]:
            mine, my_veto = _effect(knowledge, fw, q.id, oid)
            theirs = [_effect(knowledge, g, q.id, oid) for g in others]
            penalty = 1000.0 * my_veto
            # vetoing a rival is as good as a large lead over it
            rival = [s - 1000.0 * v for s, v in theirs]
            key_max = mine - penalty - max(rival, default=0.0)
            key_sum = mine - penalty - sum(rival) / max(len(rival), 1)
            key_own = mine - penalty
            if best_max is None or key_max > best_max[0]:
                best_max = (key_max, oid)
            if best_sum is None or key_sum > best_sum[0]:
                best_sum = (key_sum, oid)
            if best_own is None or key_own > best_own[0]:
                best_own = (key_own, oid)
        for best, target in ((best_max, greedy_max), (best_sum, greedy_sum), (best_own, own_only)):
            if best is not None and best[1] is not None:
                target[q.id] = best[1]
    yield greedy_max
    yield greedy_sum
    yield own_only
    for rule in fw.rules:
        if rule.kind == "consider" and rule.question and not rule.negate:
            for oid in sorted(rule.options):
                yield {rule.question: oid}
                yield {**greedy_max, rule.question: oid}
