""""Also consider": frameworks outside the article, chosen by the rules in suggestions.yaml.

Pure and separate from the decision: suggestions never change the pick, they are picked
after it from the user's answers and the pick. Rules are tried in file order; the first
rule that holds for a framework gives its reason; at most `knowledge.max_suggestions`.
"""
from __future__ import annotations

from collections.abc import Mapping

from .model import FACT_LABELS, Fact, Framework, Knowledge, Link, SuggestionRule
from .replies import Suggestion


def holds(rule: SuggestionRule, answers: Mapping[str, str], pick: str) -> bool:
    """Every condition of `rule` holds: each named question answered with a listed option,
    and the pick among `rule.picks` when it names any. Unanswered or skipped never holds."""
    if rule.picks and pick not in rule.picks:
        return False
    return all(answers.get(question) in options for question, options in rule.when)


def suggestion_links(framework: Framework, fact: Fact | None) -> tuple[Link, ...]:
    """The framework's documentation, then the source of the supporting fact."""
    links = [link for link in framework.links if link.kind == "docs"][:1] or list(framework.links[:1])
    if fact is not None and all(link.url != fact.source.url for link in links):
        links.append(fact.source)
    return tuple(links)


def heading(items: tuple[Suggestion, ...]) -> str:
    """The title adapters put over the suggestions: says they are outside the article and how fresh."""
    month = next((s.as_of for s in items if s.as_of), "")
    if month:
        return "Also consider (not in the article; facts as of " + month + ")"
    return "Also consider (not in the article)"


def suggestions(knowledge: Knowledge, answers: Mapping[str, str], pick: str) -> tuple[Suggestion, ...]:
    """Zero to `knowledge.max_suggestions` frameworks to consider next to `pick`."""
    out: list[Suggestion] = []
    seen = {pick}
    for rule in knowledge.suggestion_rules:
        if len(out) >= knowledge.max_suggestions:
            break
        if rule.framework in seen or not holds(rule, answers, pick):
            continue
        framework = knowledge.framework(rule.framework)
        if framework is None:  # the loader rejects this; a hand-built Knowledge may not
            continue
        fact = framework.fact(rule.fact)
        seen.add(framework.id)
        out.append(Suggestion(
            framework=framework.id,
            name=framework.name,
            reason=rule.reason,
            fact=f"{FACT_LABELS.get(fact.key, fact.key)}: {fact.shown}" if fact else "",
            links=suggestion_links(framework, fact),
            as_of=knowledge.facts_as_of,
        ))
    return tuple(out)
