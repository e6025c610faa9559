"""Results a team can keep: the MADR decision record."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bot.engine.model import Knowledge
from bot.engine.replies import Recommendation
from bot.engine.state import State
from bot.engine.teamresult import TeamResult

from . import madr

FORMAT = "madr"


@dataclass(frozen=True)
class DecisionRecord:
    filename: str  # decision-<framework>-<date>.md
    markdown: str
    framework: str
    format: str = FORMAT


def decision_record(knowledge: Knowledge, state: State, result: Recommendation, decision_makers: Sequence[str],
                    day: dt.date, team: TeamResult | None = None) -> DecisionRecord:
    """`team`: the record of a team decision (every member a decision maker; `state` the team's answers)."""
    return DecisionRecord(madr.filename(result, day), madr.record(knowledge, state, result, decision_makers, day, team),
                          result.framework)


__all__ = ["FORMAT", "DecisionRecord", "decision_record"]
