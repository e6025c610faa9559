"""The parts of a decision record that differ for a team decision (issue 16): the drivers are
the team's answers with their counts, and the questions the team split on are open points."""
from __future__ import annotations

from bot.engine.teamresult import TeamResult

from .markdown import text


def context(team: TeamResult) -> list[str]:
    n = len(team.members)
    return [f"{n} of us answered the questions of the article's \u201cHow to choose\u201d section, each on their "
            "own. The team's answer to a question is the option most of us chose; a tie for the most is a split, "
            "which leaves the question open. The outcome follows the article's decision table over the team's "
            "answers.", ""]


def drivers(team: TeamResult) -> list[str]:
    lines = ["## Decision Drivers", ""]
    n = len(team.members)
    for qt in team.questions:
        if qt.open:
            continue
        if qt.split:
            lines.append(f"* {text(qt.short)}: open point, the team split ({text(qt.counted(n))})")
        else:
            lines.append(f"* {text(qt.short)}: {text(qt.answer_label)} ({text(qt.counted(n))})")
    if len(lines) == 2:
        lines.append("* Nobody answered a question: the outcome is the article's default.")
    return lines + [""]


def open_points(team: TeamResult) -> list[str]:
    if not team.splits:
        return []
    lines = ["### Open Points", "", "The team split on these questions; settling them could change the outcome:", ""]
    by_question = {qt.question: qt for qt in team.questions}
    for qid in team.splits:
        qt = by_question[qid]
        changes = [c.text for c in team.split_changes if c.question == qid]
        what = " ".join(changes) if changes else "Settling it on any of the tied options keeps the pick."
        lines.append(f"* {text(qt.short)} ({text(qt.counted(len(team.members)))}). {text(what)}")
    lines.append("")
    picks = ", ".join(f"{text(p.name)} {p.count}" for p in team.member_picks)
    return lines + [f"Each member's own pick: {picks}.", ""]
