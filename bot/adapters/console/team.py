"""The team result for the terminal and as JSON (`python -m bot team`). Pure: result in, text out."""
from __future__ import annotations

from typing import Any

from bot.adapters.console.jsonl import render
from bot.adapters.console.render import _wrap, recommendation_lines
from bot.engine.teamresult import QuestionTally, TeamResult


def team_json(result: TeamResult) -> dict[str, Any]:
    """What `ask --json` prints for the team's answers, plus members, counts and splits."""
    out = render(result.recommendation)
    out["members"] = list(result.members)
    out["counts"] = {q: dict(options) for q, options in result.tally.counts.items()}
    out["splits"] = list(result.splits)
    return out


def _answered(qt: QuestionTally, members: int) -> str:
    if qt.open:
        return "open: nobody answered"
    if qt.split:
        return f"split: {qt.counted(members)}"
    return f"{qt.answer_label} ({qt.counted(members)})"


def team_text(result: TeamResult) -> str:
    n = len(result.members)
    lines = [_wrap(f"Team decision: {n} member{'s' if n != 1 else ''} answered ({', '.join(result.members)})."), ""]
    lines += recommendation_lines(result.recommendation)
    lines.append("\nHow the team answered:")
    lines += [_wrap(f"{qt.short}: {_answered(qt, n)}", "  - ") for qt in result.questions]
    if result.splits:
        lines.append("\nSplits that would change the pick:")
        lines += [_wrap(c.text, "  - ") for c in result.split_changes] or [
            "  - None: however the team settles its splits, the pick stays."]
    lines.append("\nEach member's own pick:")
    lines += [f"  - {p.name}: {p.count} ({', '.join(p.members)})" for p in result.member_picks]
    return "\n".join(lines)
