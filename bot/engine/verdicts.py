"""Which points apply, for which framework, given the answers: the one place where the
decision rule lives. The pick, reasons, runner-up, confidence, changes, the exact stop
and `knowledge check` all read these verdicts.

The rule (knowledge/questions.yaml, settings.decision):
  1. decides: the deciding question answered with an option naming a framework picks it
     (past success: the article's first factor);
  2. hard:    otherwise fewest hard mismatches (a need the framework serves badly: the
     pick never carries one while another framework carries none);
  3. score:   then the highest score, the weight of its fits (strong or plain) minus the
     weight of its soft warnings;
  4. share:   then the more widely used framework (knowledge order, by `prior`).

Every point depends on one question, so the tables hold, per question and per value
(an option, or None for "no answer"), what each framework gets: fit weight, soft warning
weight and hard mismatches. Evaluating answers is then a sum of table rows.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .model import Framework, Knowledge, Option, Rule

EPS = 1e-9  # weights are YAML decimals: equal within EPS is a tie


@dataclass(frozen=True)
class Tables:
    frameworks: tuple[Framework, ...]  # the pickable ones, in share order (step 4)
    qids: tuple[str, ...]
    values: tuple[tuple[str | None, ...], ...]  # per question: None, then option ids
    vindex: tuple[dict[str | None, int], ...]
    fit: tuple[tuple[tuple[float, ...], ...], ...]  # [q][value][framework] weight of fits
    warn: tuple[tuple[tuple[float, ...], ...], ...]  # weight of soft warnings
    hard: tuple[tuple[tuple[int, ...], ...], ...]  # hard mismatches
    touches: tuple[frozenset[int], ...]  # frameworks whose verdicts depend on each question
    decides: int | None  # index of the deciding question
    named: tuple[int | None, ...]  # per value of the deciding question: the framework it names
    likely: tuple[tuple[float, ...], ...]  # [q][option] probability, for choosing questions
    qpos: dict[str, int]

    def index(self, qid: str) -> int | None:
        return self.qpos.get(qid)


@dataclass(frozen=True)
class Verdicts:
    fit: tuple[float, ...]
    warn: tuple[float, ...]
    hard: tuple[int, ...]
    decided: int | None  # step 1: the framework the deciding answer names

    def score(self, f: int) -> float:
        return self.fit[f] - self.warn[f]

    def key(self, f: int) -> tuple[int, float, int]:
        """Smaller is better: the rule as a sort key."""
        return (self.hard[f], -round((self.fit[f] - self.warn[f]) / EPS) * EPS, f)

    def order(self) -> list[int]:
        ranked = sorted(range(len(self.fit)), key=self.key)
        if self.decided is not None:
            ranked.remove(self.decided)
            ranked.insert(0, self.decided)
        return ranked

    def shift(self, t: Tables, qi: int, old: int, new: int) -> Verdicts:
        """These verdicts with question qi's value changed from `old` to `new`."""
        f0, f1 = t.fit[qi][old], t.fit[qi][new]
        w0, w1 = t.warn[qi][old], t.warn[qi][new]
        h0, h1 = t.hard[qi][old], t.hard[qi][new]
        decided = self.decided
        if qi == t.decides:
            decided = t.named[new]
        return Verdicts(tuple([a - b + c for a, b, c in zip(self.fit, f0, f1, strict=True)]),
                        tuple([a - b + c for a, b, c in zip(self.warn, w0, w1, strict=True)]),
                        tuple([a - b + c for a, b, c in zip(self.hard, h0, h1, strict=True)]), decided)

    def pick_after(self, t: Tables, qi: int, old: int, new: int) -> int:
        """The pick with question qi's value changed from `old` to `new`."""
        if qi == t.decides:
            if t.named[new] is not None:
                return t.named[new]  # type: ignore[return-value]
        elif self.decided is not None:
            return self.decided
        return self.shift(t, qi, old, new).pick()

    def pick(self) -> int:
        if self.decided is not None:
            return self.decided
        # the rule without building sort keys: fewest hard mismatches, highest score,
        # first in share order
        hard, fit, warn = self.hard, self.fit, self.warn
        fewest = min(hard)
        best, top = -1, 0.0
        for f, h in enumerate(hard):
            if h == fewest:
                s = fit[f] - warn[f]
                if best < 0 or s > top + EPS:
                    best, top = f, s
        return best


def tables(knowledge: Knowledge) -> Tables:
    cached = knowledge.memo.get("verdicts")
    if cached is None:
        cached = knowledge.memo["verdicts"] = _compile(knowledge)
    return cached  # type: ignore[return-value]


def _compile(knowledge: Knowledge) -> Tables:
    frameworks = knowledge.candidates
    qids = tuple(q.id for q in knowledge.questions)
    values, fit, warn, hard, touches, likely = [], [], [], [], [], []
    for q in knowledge.questions:
        vals: tuple[str | None, ...] = (None, *(o.id for o in q.options))
        values.append(vals)
        rows_f, rows_w, rows_h = [], [], []
        for v in vals:
            rows_f.append(tuple(sum(knowledge.weight(r) for r in _rules(f, q.id, "consider") if r.applies(v))
                                for f in frameworks))
            rows_w.append(tuple(-sum(knowledge.weight(r) for r in _rules(f, q.id, "think_twice") if r.applies(v))
                                for f in frameworks))
            rows_h.append(tuple(sum(1 for r in _rules(f, q.id, "think_twice") if r.hard and r.applies(v))
                                for f in frameworks))
        fit.append(tuple(rows_f))
        warn.append(tuple(rows_w))
        hard.append(tuple(rows_h))
        touches.append(frozenset(i for i in range(len(frameworks))
                                 if len({(a[i], b[i], c[i])
                                         for a, b, c in zip(rows_f, rows_w, rows_h, strict=True)}) > 1))
        likely.append(_likely(q.options))
    decides = qids.index(knowledge.decides) if knowledge.decides in qids else None
    named: tuple[int | None, ...] = ()
    if decides is not None:
        pos = {f.id: i for i, f in enumerate(frameworks)}
        named = tuple(pos.get(v) if v is not None else None for v in values[decides])
        touches[decides] = touches[decides] | {i for i in named if i is not None}
    return Tables(frameworks, qids, tuple(values), tuple({v: i for i, v in enumerate(vals)} for vals in values),
                  tuple(fit), tuple(warn), tuple(hard), tuple(touches), decides, named, tuple(likely),
                  {q: i for i, q in enumerate(qids)})


def _rules(framework: Framework, qid: str, kind: str) -> list[Rule]:
    return [r for r in framework.rules if r.kind == kind and r.question == qid]


def _likely(options: tuple[Option, ...]) -> tuple[float, ...]:
    given = [o.likely for o in options]
    rest = max(0.0, 1.0 - sum(p for p in given if p is not None))
    unknown = sum(1 for p in given if p is None)
    probs = [p if p is not None else rest / unknown for p in given]
    total = sum(probs) or 1.0
    return tuple(p / total for p in probs)


def values_of(t: Tables, answers: Mapping[str, str]) -> list[int]:
    """Per question, the index of its value (0: no answer); unknown answers are no answer."""
    out = [0] * len(t.qids)
    for qid, option in answers.items():
        qi = t.index(qid)
        if qi is not None:
            out[qi] = t.vindex[qi].get(option, 0)
    return out


def evaluate(t: Tables, vals: Sequence[int]) -> Verdicts:
    rows = list(enumerate(vals))
    fit = tuple(map(sum, zip(*[t.fit[qi][vi] for qi, vi in rows], strict=True)))
    warn = tuple(map(sum, zip(*[t.warn[qi][vi] for qi, vi in rows], strict=True)))
    hard = tuple(map(sum, zip(*[t.hard[qi][vi] for qi, vi in rows], strict=True)))
    decided = t.named[vals[t.decides]] if t.decides is not None else None
    return Verdicts(fit, warn, hard, decided)


def verdicts(knowledge: Knowledge, answers: Mapping[str, str]) -> Verdicts:
    t = tables(knowledge)
    return evaluate(t, values_of(t, answers))


def winner(knowledge: Knowledge, answers: Mapping[str, str]) -> str:
    """The id of the pick for these answers (question id -> option id)."""
    t = tables(knowledge)
    return t.frameworks[evaluate(t, values_of(t, answers)).pick()].id


def holds(rule: Rule, answers: Mapping[str, str]) -> bool:
    """Whether a point holds for these answers (question id -> option id)."""
    return rule.question is not None and rule.applies(answers.get(rule.question))


def applying(framework: Framework, kind: str, answers: Mapping[str, str]) -> list[Rule]:
    """The points of one kind that hold for these answers, in file order."""
    return [r for r in framework.rules if r.kind == kind and holds(r, answers)]


def weighed(knowledge: Knowledge, framework: Framework, kind: str, answers: Mapping[str, str]) -> list[Rule]:
    """The points of one kind that hold, the heaviest first (hard mismatches first among
    warnings), file order among equals: what an explanation names first."""
    found = applying(framework, kind, answers)
    return sorted(found, key=lambda r: (not r.hard, -abs(knowledge.weight(r))))
