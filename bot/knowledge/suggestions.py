"""also_consider.yaml: the second tier's settings and its "also consider" rules.

    facts_as_of: "2026-11"      # how fresh the fact sheet behind the newer frameworks is
    allow_extra_picks: false    # true lets a framework outside the article be the pick
    max: 2                      # suggestions per recommendation
    rules:                      # tried in order; the first that holds for a framework wins
      - suggest: litestar
        pick: [fastapi]         # optional: only next to these picks
        when: {longevity: [critical]}   # every question named must be answered so
        fact: backing           # the suggested framework's fact that supports the reason
        reason: "..."           # one line, tied to the answers in `when`

The file is optional: without it there are no suggestions and no newer framework may be
the pick.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from bot.engine.model import Framework, Question, SuggestionRule

from .problems import FileProblems, describe, did_you_mean
from .yamlnodes import Y

FILE_KEYS = {"facts_as_of", "allow_extra_picks", "max", "rules"}
RULE_KEYS = {"suggest", "pick", "when", "fact", "reason"}
REASON_MAX = 300
MAX_LIMIT = 5


@dataclass
class AlsoConsider:
    facts_as_of: str = ""
    allow_extra_picks: bool = False
    allow_line: int | None = None
    max: int = 2
    rules: list[SuggestionRule] = field(default_factory=list)


def load_also_consider(f: FileProblems, root: Y, questions: dict[str, Question], declared: set[str],
                       frameworks: dict[str, Framework]) -> AlsoConsider:
    """`declared`: every question id written in questions.yaml, loaded or not (one that
    failed to load has its own problem and is not reported again here)."""
    f.keys(root, FILE_KEYS, (), "also_consider.yaml")
    v = root.value
    out = AlsoConsider()
    if "facts_as_of" in v:
        out.facts_as_of = f.string(v["facts_as_of"], "facts_as_of") or ""
    if "allow_extra_picks" in v:
        node = v["allow_extra_picks"]
        if node.kind != "scalar" or not isinstance(node.value, bool):
            f.add(node.line, f"allow_extra_picks must be true or false, got {describe(node)}")
        else:
            out.allow_extra_picks, out.allow_line = node.value, node.line
    if "max" in v:
        node = v["max"]
        if node.kind != "scalar" or isinstance(node.value, bool) or not isinstance(node.value, int) \
                or not 0 <= node.value <= MAX_LIMIT:
            f.add(node.line, f"max must be a whole number from 0 to {MAX_LIMIT}, got {describe(node)}")
        else:
            out.max = node.value
    for item in f.records(v.get("rules"), "rules", "rule", RULE_KEYS, ("suggest", "when", "fact", "reason")):
        rule = _rule(f, item, questions, declared, frameworks)
        if rule is not None:
            out.rules.append(rule)
    return out


def _rule(f: FileProblems, item: Y, questions: dict[str, Question], declared: set[str],
          frameworks: dict[str, Framework]) -> SuggestionRule | None:
    v = item.value
    ok = True
    fid = f.ident(v.get("suggest"), "suggest")
    framework = frameworks.get(fid) if fid else None
    if fid is not None and framework is None:
        f.add(v["suggest"].line, f"suggest names {fid!r}, which has no frameworks/{fid}.yaml"
                                 f"{did_you_mean(fid, sorted(frameworks))}")
        ok = False
    elif framework is not None and framework.in_article:
        f.add(v["suggest"].line, f"suggest names {fid!r}, one of the article's frameworks: "
                                 "suggestions are for frameworks outside it (in_article: false)")
        ok = False

    picks: list[str] = []
    if "pick" in v:
        for node in f.sequence(v["pick"], "pick"):
            pid = f.ident(node, "framework id in pick")
            if pid is None:
                ok = False
            elif pid not in frameworks or not frameworks[pid].pickable:
                f.add(node.line, f"pick names {pid!r}, which is not a framework that can be picked"
                                 f"{did_you_mean(pid, sorted(k for k, x in frameworks.items() if x.pickable))}")
                ok = False
            else:
                picks.append(pid)

    when = _when(f, v.get("when"), questions, declared)
    ok = ok and when is not None

    key = f.ident(v.get("fact"), "fact")
    if key is not None and framework is not None:
        fact = framework.fact(key)
        if fact is None:
            known = ", ".join(sorted({x.key for x in framework.facts})) or "none"
            f.add(v["fact"].line, f"{fid!r} has no fact {key!r} (its facts: {known}; key#n for the n-th)")
            ok = False
        elif fact.unconfirmed:
            f.add(v["fact"].line, f"fact {key!r} of {fid!r} is unconfirmed: a suggestion must rest on a confirmed fact")
            ok = False
    reason = f.string(v.get("reason"), "reason")
    if reason is not None and ("\n" in reason.strip() or len(reason) > REASON_MAX):
        f.add(v["reason"].line, f"reason must be one line of at most {REASON_MAX} characters")
        ok = False
    if not ok or fid is None or key is None or reason is None or when is None:
        return None
    return SuggestionRule(fid, " ".join(reason.split()), key, when, frozenset(picks))


def _when(f: FileProblems, node: Y | None, questions: dict[str, Question],
          declared: set[str]) -> tuple[tuple[str, frozenset[str]], ...] | None:
    """`{question: [options], ...}`: at least one question, so every reason rests on an answer."""
    if f.mapping(node, "when") is None or node is None:
        return None
    if not node.value:
        f.add(node.line, "when must name at least one question: a suggestion is tied to the user's answers")
        return None
    out = []
    ok = True
    for qid, opts in node.value.items():
        line = node.key_lines[qid]
        question = questions.get(qid) if isinstance(qid, str) else None
        if question is None:
            if qid not in declared:
                f.add(line, f"unknown question {qid!r} in when{did_you_mean(str(qid), sorted(questions))}")
            ok = False
            continue
        items = [opts] if opts.kind == "scalar" else f.sequence(opts, f"options for {qid!r}")
        chosen = set()
        for item in items:
            oid = f.string(item, f"option for {qid!r}")
            if oid is None:
                ok = False
            elif question.option(oid) is None:
                known = ", ".join(o.id for o in question.options)
                f.add(item.line, f"unknown option {oid!r} for question {qid!r} in when (options: {known})")
                ok = False
            else:
                chosen.add(oid)
        if not chosen:
            ok = False
        out.append((qid, frozenset(chosen)))
    return tuple(out) if ok else None
