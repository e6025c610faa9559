"""The exact stop: is the pick settled, and which open questions can still change it?

A question not asked, or answered "not sure", has no answer. The leader L (the pick for
the answers so far) is settled iff no completion of the open questions (each: any
option, or no answer) changes the pick. L stops being the pick iff some rival R comes
before it in the article's order, so it is enough to ask, per rival, "can R beat L on
some completion?".

Every rule depends on one question, so that is a small dynamic programme over the open
questions that touch R or L. Effects add up, so a smaller think-twice difference R - L is
always at least as good for R whatever follows (R needs it below 0, or at 0 with more
weight): per combination of (R is a candidate, L is a candidate) it is enough to keep the
lexicographically best (think-twice difference, -weight difference). That is at most four
states, and per question at most four useful values. The one coupling to other
frameworks is "no candidate at all makes everyone a candidate"; that case is separable
(every open question restricted to values that give nobody a consider point).
Cost: questions x 4 x 4 per rival, linear in the size of the knowledge.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import Knowledge
from .verdicts import EPS, Tables, Verdicts, evaluate

Effect = tuple[int, bool, bool, float]  # (think-twice diff, R gains a consider point, L does, weight diff)
NO_EFFECT: tuple[Effect, ...] = ((0, False, False, 0.0),)


@dataclass(frozen=True)
class Pairs:
    """Per ordered pair (R, L): the open-able questions that can move them apart, each with
    its useful effects, and per question the best think-twice difference among the values
    that give nobody a consider point (for the "no candidate at all" case)."""

    effects: dict[tuple[int, int], tuple[tuple[int, tuple[Effect, ...]], ...]]
    quiet: dict[tuple[int, int], tuple[tuple[int, int], ...]]


@dataclass(frozen=True)
class Analysis:
    leader: int
    alive: frozenset[int]  # frameworks that can still beat the leader on some completion
    relevant: tuple[int, ...]  # open questions that can still change the pick, in knowledge order
    verdicts: Verdicts

    @property
    def settled(self) -> bool:
        return not self.alive


def pairs(knowledge: Knowledge, t: Tables) -> Pairs:
    cached = knowledge.memo.get("pairs")
    if cached is None:
        cached = knowledge.memo["pairs"] = _compile(t)
    return cached  # type: ignore[return-value]


def _compile(t: Tables) -> Pairs:
    n = len(t.frameworks)
    effects: dict[tuple[int, int], list[tuple[int, tuple[Effect, ...]]]] = {}
    quiet: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for qi in range(len(t.qids)):
        ok = [v for v in range(len(t.values[qi])) if qi != t.decides or t.named[v] is None]
        calm = [v for v in ok if not any(t.consider[qi][v])]
        k0, w0 = t.twice[qi][0], t.weight[qi][0]
        for r in range(n):
            for l in range(n):
                if r == l or not (t.touches[qi] & {r, l}):
                    continue
                best: dict[tuple[bool, bool], tuple[int, float]] = {}
                for v in ok:
                    k, c, w = t.twice[qi][v], t.consider[qi][v], t.weight[qi][v]
                    flags = (c[r] > 0, c[l] > 0)
                    dk, dw = (k[r] - k0[r]) - (k[l] - k0[l]), (w[r] - w0[r]) - (w[l] - w0[l])
                    if flags not in best or (dk, -dw) < (best[flags][0], -best[flags][1]):
                        best[flags] = (dk, dw)
                found = tuple((dk, cr, cl, dw) for (cr, cl), (dk, dw) in best.items())
                if found != NO_EFFECT:
                    effects.setdefault((r, l), []).append((qi, found))
                low = min((t.twice[qi][v][r] - k0[r]) - (t.twice[qi][v][l] - k0[l]) for v in calm)
                if low:
                    quiet.setdefault((r, l), []).append((qi, low))
    return Pairs({key: tuple(v) for key, v in effects.items()}, {key: tuple(v) for key, v in quiet.items()})


def can_beat(p: Pairs, v: Verdicts, open_mask: int, r: int, l: int) -> bool:
    """Whether rival r comes before leader l on some completion of the open questions
    (`open_mask`: bit qi set for each open question)."""
    # (R is a candidate, L is a candidate) -> best (think-twice difference, weight difference)
    states = {(v.consider[r] > 0, v.consider[l] > 0): (v.twice[r] - v.twice[l], v.weight[r] - v.weight[l])}
    for qi, effects in p.effects.get((r, l), ()):
        if not open_mask >> qi & 1:
            continue
        new: dict[tuple[bool, bool], tuple[int, float]] = {}
        for (cr, cl), (dk, dw) in states.items():
            for ek, er, el, ew in effects:
                flags = (cr or er, cl or el)
                k, w = dk + ek, dw + ew
                old = new.get(flags)
                if old is None or k < old[0] or (k == old[0] and w > old[1]):
                    new[flags] = (k, w)
        states = new
    for (cr, cl), (dk, dw) in states.items():
        if cr and (not cl or dk < 0 or (dk == 0 and (dw > EPS or (dw > -EPS and r < l)))):
            return True
    if any(v.consider):
        return False
    # Nobody has a consider point yet: on completions that keep it so, everyone is a
    # candidate and nobody has consider weight, so only think-twice counts and shares differ.
    dk = v.twice[r] - v.twice[l] + sum(low for qi, low in p.quiet.get((r, l), ()) if open_mask >> qi & 1)
    return dk < 0 or (dk == 0 and r < l)


def analyse(knowledge: Knowledge, t: Tables, vals: Sequence[int], open_qs: Sequence[int],
            v: Verdicts | None = None) -> Analysis:
    """The leader for these values (0: no answer), and what the open questions can still do.
    `v`: the verdicts for `vals`, when the caller has them already."""
    if v is None:
        v = evaluate(t, vals)
    leader = v.pick()
    if v.decided is not None:
        return Analysis(leader, frozenset(), (), v)
    p = pairs(knowledge, t)
    open_mask = 0
    for qi in open_qs:
        open_mask |= 1 << qi
    alive: set[int] = set()
    if t.decides is not None and open_mask >> t.decides & 1:
        alive |= {f for f in t.named if f is not None and f != leader}
    for r in range(len(t.frameworks)):
        if r != leader and r not in alive and can_beat(p, v, open_mask, r, leader):
            alive.add(r)
    if not alive:
        return Analysis(leader, frozenset(), (), v)
    live = alive | {leader}
    relevant = tuple(qi for qi in open_qs if t.touches[qi] & live)
    return Analysis(leader, frozenset(alive), relevant, v)
