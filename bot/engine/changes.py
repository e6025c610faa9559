"""What would change the answer, as the lines every platform shows (console, Slack, Discord,
the shared result, the MADR record's Confirmation). Pure: the engine's `Recommendation.changes`
in, sentences out; the changes themselves stay one entry each for what-if buttons and JSON.

The deciding question ("Past success") has one change per framework it could name, all
saying the same thing: that framework would be the pick. Those collapse into one sentence,
shown after the changes that say something different."""
from __future__ import annotations

from .replies import Change, Recommendation


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" or {names[-1]}"


def _named(change: Change) -> bool:
    """The answer names the framework it makes the pick: the deciding question's rule."""
    return change.option == change.framework


def change_parts(result: Recommendation) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(each change's own sentence, the grouped sentences). Where two or more answers to one
    question each pick the framework they name, one sentence stands for those; the rest keep
    their own. A platform that must clip keeps the grouped sentences and clips the others."""
    named: dict[str, list[Change]] = {}
    for change in result.changes:
        if _named(change):
            named.setdefault(change.question, []).append(change)
    grouped = {q: group for q, group in named.items() if len(group) > 1}
    singles = tuple(c.text for c in result.changes if not (c.question in grouped and _named(c)))
    return singles, tuple(f"If your answer for {group[0].question_short} had been "
                          f"{_names([c.name for c in group])}, that framework would be the pick."
                          for group in grouped.values())


def change_lines(result: Recommendation) -> tuple[str, ...]:
    """What would change the answer, in the order shown: the grouped sentences last."""
    singles, grouped = change_parts(result)
    return singles + grouped
