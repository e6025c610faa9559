"""The exact stop: is the pick settled, and which open questions can still change it?

A question not asked, or answered "not sure", has no answer. The leader L (the pick for
the answers so far) is settled iff no completion of the open questions (each: any
option, or no answer) changes the pick. L stops being the pick iff some rival R comes
before it in the article's order, so it is enough to ask, per rival, "can R beat L on
some completion?".

Every rule depends on one question, so that is a small dynamic programme over the open
questions that touch R or L, with state (think-twice difference R - L, R is a candidate,
L is a candidate) -> the largest consider-weight difference R - L. The one coupling to
other frameworks is "no candidate at all makes everyone a candidate"; that case is
separable (every open question restricted to values that give nobody a consider point).
Cost: questions x states x values per rival, polynomial in the size of the knowledge.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import Knowledge
from .verdicts import EPS, Tables, Verdicts, evaluate

Effect = tuple[int, bool, bool, float]  # (think-twice diff, R gains a consider point, L does, weight diff)


@dataclass(frozen=True)
class Pairs:
    """Per question and ordered pair (R, L): the distinct effects of its allowed values."""

    effects: tuple[dict[tuple[int, int], tuple[Effect, ...]], ...]
    quiet: tuple[tuple[int, ...], ...]  # per question: values that give nobody a consider point
    allowed: tuple[tuple[int, ...], ...]  # per question: values that do not decide by themselves


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
    effects, quiet, allowed = [], [], []
    for qi in range(len(t.qids)):
        vals = range(len(t.values[qi]))
        ok = tuple(v for v in vals if qi != t.decides or t.named[v] is None)
        allowed.append(ok)
        quiet.append(tuple(v for v in ok if not any(t.consider[qi][v])))
        table: dict[tuple[int, int], tuple[Effect, ...]] = {}
        for r in t.touches[qi]:
            for l in range(n):
                table[(r, l)] = table[(l, r)] = ()  # filled below for every touched pair
        for r, l in list(table):
            best: dict[tuple[int, bool, bool], float] = {}
            k0, w0 = t.twice[qi][0], t.weight[qi][0]
            for v in ok:
                k, c, w = t.twice[qi][v], t.consider[qi][v], t.weight[qi][v]
                key = ((k[r] - k0[r]) - (k[l] - k0[l]), c[r] > 0, c[l] > 0)
                dw = (w[r] - w0[r]) - (w[l] - w0[l])
                if key not in best or dw > best[key]:
                    best[key] = dw
            table[(r, l)] = tuple((dk, cr, cl, dw) for (dk, cr, cl), dw in best.items())
        effects.append(table)
    return Pairs(tuple(effects), tuple(quiet), tuple(allowed))


def can_beat(t: Tables, p: Pairs, v: Verdicts, open_qs: Sequence[int], r: int, l: int) -> bool:
    """Whether rival r comes before leader l on some completion of the open questions."""
    states = {(v.twice[r] - v.twice[l], v.consider[r] > 0, v.consider[l] > 0): v.weight[r] - v.weight[l]}
    key = (r, l)
    for qi in open_qs:
        effects = p.effects[qi].get(key)
        if not effects or len(effects) == 1 and effects[0] == (0, False, False, 0.0):
            continue
        new: dict[tuple[int, bool, bool], float] = {}
        for (dk, cr, cl), dw in states.items():
            for ek, er, el, ew in effects:
                k = (dk + ek, cr or er, cl or el)
                x = dw + ew
                if x > new.get(k, -1e300):
                    new[k] = x
        states = new
    for (dk, cr, cl), dw in states.items():
        if cr and (not cl or dk < 0 or (dk == 0 and (dw > EPS or (dw > -EPS and r < l)))):
            return True
    if any(v.consider):
        return False
    # Nobody has a consider point yet: on completions that keep it so, everyone is a
    # candidate and nobody has consider weight, so only think-twice counts and shares differ.
    dk = v.twice[r] - v.twice[l]
    for qi in open_qs:
        k0 = t.twice[qi][0]
        dk += min((t.twice[qi][x][r] - k0[r]) - (t.twice[qi][x][l] - k0[l]) for x in p.quiet[qi])
    return dk < 0 or (dk == 0 and r < l)


def analyse(knowledge: Knowledge, t: Tables, vals: Sequence[int], open_qs: Sequence[int]) -> Analysis:
    """The leader for these values (0: no answer), and what the open questions can still do."""
    v = evaluate(t, vals)
    leader = v.pick()
    if v.decided is not None:
        return Analysis(leader, frozenset(), (), v)
    p = pairs(knowledge, t)
    alive: set[int] = set()
    if t.decides is not None and t.decides in open_qs:
        alive |= {f for f in t.named if f is not None and f != leader}
    for r in range(len(t.frameworks)):
        if r != leader and r not in alive and can_beat(t, p, v, open_qs, r, leader):
            alive.add(r)
    if not alive:
        return Analysis(leader, frozenset(), (), v)
    live = alive | {leader}
    relevant = tuple(qi for qi in open_qs if t.touches[qi] & live)
    return Analysis(leader, frozenset(alive), relevant, v)
