"""The decision model a knowledge base expresses, checked and explained from the engine's verdicts."""
from __future__ import annotations

from bot.engine.model import Framework, Knowledge, Rule
from bot.engine.verdicts import tables

LABELS = {"strong": "strong fit", "fit": "fit", "soft": "soft warning", "hard": "hard mismatch"}


def point_problems(knowledge: Knowledge) -> list[tuple[str, str]]:
    """(framework id, message) for points that contradict each other: a fit and a warning
    of one framework that hold on the same answer."""
    found = []
    for fw in tables(knowledge).frameworks:
        counted = [r for r in fw.rules if r.kind in ("consider", "think_twice") and r.question]
        for a in counted:
            for b in counted:
                if a.kind == "consider" and b.kind == "think_twice" and a.question == b.question:
                    question = knowledge.question(a.question)  # type: ignore[arg-type]
                    both = [o.id for o in question.options if a.applies(o.id) and b.applies(o.id)] if question else []
                    if both:
                        found.append((fw.id, f"\u201c{a.text[:50]}\u201d and \u201c{b.text[:50]}\u201d both hold for "
                                      f"{a.question}={'/'.join(both)}: one answer cannot be a fit and a warning"))
    return found


def describe(knowledge: Knowledge) -> list[str]:
    """The decision model in plain lines, for `knowledge check`."""
    t = tables(knowledge)
    weights = dict(knowledge.points)
    lines = ["Decision rule (settings.decision; each step only breaks the ties left by the one before):"]
    question = knowledge.question(knowledge.decides) if knowledge.decides else None
    if question is not None:
        named = [f"{o.id} -> {fw.name}" for o in question.options if (fw := knowledge.named_by(o.id))]
        lines.append(f"  1. decides: \u201c{question.short}\u201d ({question.id}) decides by itself: "
                     + ", ".join(named))
    else:
        lines.append("  1. decides: no question decides by itself (settings.decision.decides is not set)")
    lines.append("  2. hard: fewest hard mismatches (a need the framework serves badly)")
    lines.append(f"  3. score: most points, fits minus soft warnings: strong fit +{weights['strong']:g}, "
                 f"fit +{weights['fit']:g}, soft warning -{weights['soft']:g}")
    lines.append("  4. share: ties go to the more widely used: " + ", ".join(f.name for f in t.frameworks))
    outside = len(knowledge.frameworks) - len(t.frameworks)
    if outside:
        lines.append(f"  {outside} more frameworks (pickable: false) are never picked")
    lines.append("Points (strength, weight, when it holds, source):")
    for fw in t.frameworks:
        lines += _points(knowledge, fw)
    return lines


def _points(knowledge: Knowledge, fw: Framework) -> list[str]:
    out = [f"  {fw.name}:"]
    for rule in fw.rules:
        if rule.kind == "caveat":
            continue
        out.append(f"    {LABELS.get(rule.strength, rule.strength):13} {_weight(knowledge, rule):>4}  "
                   f"{_when(rule):28} {rule.text[:60]} [{rule.source[:40]}]")
    shown = sum(1 for r in fw.rules if r.kind == "caveat")
    if shown:
        out.append(f"    and {shown} caveat{'s' if shown != 1 else ''}, shown and never counted")
    return out


def _weight(knowledge: Knowledge, rule: Rule) -> str:
    return "tier" if rule.hard else f"{knowledge.weight(rule):+g}"


def _when(rule: Rule) -> str:
    return f"{rule.question}{'!=' if rule.negate else '='}{'/'.join(sorted(rule.options))}"
