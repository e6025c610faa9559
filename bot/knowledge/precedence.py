"""The precedence a knowledge base expresses, checked and explained from the engine's verdicts."""
from __future__ import annotations

from bot.engine.model import DECISION_ORDER, Knowledge
from bot.engine.verdicts import generic_reach, tables


def weight_problems(knowledge: Knowledge) -> list[tuple[str, str]]:
    """(framework id, message) for each distinctive point that some framework's generic
    points could outweigh: the article's defining cases must decide step 4."""
    t = tables(knowledge)
    reach = generic_reach(t)
    if not t.frameworks:
        return []
    most = max(range(len(t.frameworks)), key=lambda i: reach[i])
    found = []
    for fw in t.frameworks:
        for rule in fw.rules:
            if rule.kind == "consider" and rule.distinctive and rule.weight <= reach[most]:
                found.append((fw.id, f"distinctive point \u201c{rule.text[:60]}\u201d has weight {rule.weight:g}, "
                              f"not more than the {reach[most]:g} that {t.frameworks[most].name}'s generic points "
                              "can sum to: raise it or lower the generic weights"))
    return found


def describe(knowledge: Knowledge) -> list[str]:
    """The precedence in plain lines, for `knowledge check`."""
    t = tables(knowledge)
    lines = ["Precedence (the article's order; each step only breaks the ties left by the one before):"]
    steps = dict.fromkeys(DECISION_ORDER, "")
    question = knowledge.question(knowledge.decides) if knowledge.decides else None
    if question is not None:
        named = [f"{o.id} -> {fw.name}" for o in question.options if (fw := knowledge.named_by(o.id))]
        steps["decides"] = f"\u201c{question.short}\u201d ({question.id}) decides by itself: " + ", ".join(named)
    else:
        steps["decides"] = "no question decides by itself (settings.decision.decides is not set)"
    steps["candidates"] = "candidates are the pickable frameworks with an applying consider point (all if none has one)"
    if len(t.frameworks) < len(knowledge.frameworks):
        outside = len(knowledge.frameworks) - len(t.frameworks)
        steps["candidates"] += f"; {outside} more frameworks (pickable: false) are never candidates"
    steps["think_twice"] = "fewest applying think-twice points: " + _count(t, "think_twice")
    reach = generic_reach(t)
    distinct = [f"{f.name} {r.question}={'/'.join(sorted(r.options))} {r.weight:g}"
                for f in t.frameworks for r in f.rules if r.kind == "consider" and r.distinctive]
    generic = ", ".join(f"{f.name} {w:g}" for f, w in zip(t.frameworks, reach, strict=True))
    steps["fit"] = ("most consider weight; distinctive: " + (", ".join(distinct) or "none")
                    + "; generic points sum to at most: " + generic)
    steps["share"] = "ties go to the more widely used: " + ", ".join(f.name for f in t.frameworks)
    lines += [f"  {n}. {key}: {text}" for n, (key, text) in enumerate(steps.items(), 1)]
    lines.append("  caveats, shown and never counted: " + _count(t, "caveat"))
    return lines


def _count(t, kind: str) -> str:  # type: ignore[no-untyped-def]
    parts = [f"{f.name} {n}" for f in t.frameworks if (n := sum(1 for r in f.rules if r.kind == kind))]
    return ", ".join(parts) or "none"
