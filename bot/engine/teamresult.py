"""The team result as neutral reply data: what a channel sees when a team decision closes.

The pick, runner-up and reasons come from the ordinary recommendation over the team's
answers (bot/engine/team.py), so a team is decided by the same rule as one person. Around
it: how the team answered each question (counts), where it split, which splits would
change the pick if the team settled them on one of the tied options, and each member's own
pick as counts per framework.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .model import Knowledge
from .recommend import recommend
from .replies import Recommendation
from .team import MemberAnswers, Tally, combine
from .verdicts import winner


@dataclass(frozen=True)
class OptionCount:
    option: str
    label: str
    members: int


@dataclass(frozen=True)
class QuestionTally:
    question: str
    short: str
    counts: tuple[OptionCount, ...]  # options someone chose, in knowledge order
    answer: str | None  # the team's option; None when split or open
    answer_label: str | None
    split: bool

    @property
    def open(self) -> bool:
        return not self.counts

    def counted(self, members: int) -> str:
        """The counts in words: "2 of 3; also Full-stack 1" for the team's answer, every tied
        option's count for a split, "" when open. Every renderer says it this way."""
        if self.split:
            return ", ".join(f"{c.label} {c.members}" for c in self.counts)
        top = sum(c.members for c in self.counts if c.option == self.answer)
        others = ", ".join(f"{c.label} {c.members}" for c in self.counts if c.option != self.answer)
        return f"{top} of {members}" + (f"; also {others}" if others else "") if self.counts else ""


@dataclass(frozen=True)
class SplitChange:
    """Settling a split question on one of its tied options would make another framework the pick."""

    question: str
    question_short: str
    option: str
    option_label: str
    framework: str
    name: str

    @property
    def text(self) -> str:
        return f"If the team settles {self.question_short} on \u201c{self.option_label}\u201d, the pick is {self.name}."


@dataclass(frozen=True)
class PickCount:
    framework: str
    name: str
    members: tuple[str, ...]  # whose own answers pick it, in the order given

    @property
    def count(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class TeamResult:
    recommendation: Recommendation  # over the team's answers, by the single-conversation rule
    members: tuple[str, ...]  # names, in the order given
    questions: tuple[QuestionTally, ...]  # every question, in knowledge order
    splits: tuple[str, ...]
    open: tuple[str, ...]
    split_changes: tuple[SplitChange, ...]
    member_picks: tuple[PickCount, ...]  # most members first, then knowledge order
    tally: Tally

    @property
    def answers(self) -> dict[str, str]:
        return self.tally.answers


def team_result(knowledge: Knowledge, members: Mapping[str, MemberAnswers]) -> TeamResult:
    """`members`: name -> that member's answers. Skipped questions may be None or absent."""
    tally = combine(knowledge, members.values())
    rec = recommend(knowledge, tally.answers)
    questions = []
    for q in knowledge.questions:
        counts = tuple(OptionCount(o, q.option(o).label, n) for o, n in tally.counts.get(q.id, {}).items())  # type: ignore[union-attr]
        answer = tally.answers.get(q.id)
        questions.append(QuestionTally(q.id, q.short, counts, answer,
                                       q.option(answer).label if answer else None,  # type: ignore[union-attr]
                                       q.id in tally.splits))
    return TeamResult(rec, tuple(members), tuple(questions), tally.splits, tally.open,
                      split_changes(knowledge, tally, rec.framework), member_picks(knowledge, members), tally)


def split_changes(knowledge: Knowledge, tally: Tally, pick: str) -> tuple[SplitChange, ...]:
    """Each tied option of each split question that, settled on alone, changes the pick."""
    found = []
    for qid in tally.splits:
        question = knowledge.question(qid)
        assert question is not None  # combine only splits questions the knowledge has
        for option in tally.tied(qid):
            other = winner(knowledge, {**tally.answers, qid: option})
            if other != pick:
                fw = knowledge.framework(other)
                found.append(SplitChange(qid, question.short, option, question.option(option).label,  # type: ignore[union-attr]
                                         other, fw.name if fw else other))
    return tuple(found)


def member_picks(knowledge: Knowledge, members: Mapping[str, MemberAnswers]) -> tuple[PickCount, ...]:
    """Each member's own pick (the single-conversation rule over their answers), per framework."""
    by: dict[str, list[str]] = {}
    for name, answers in members.items():
        by.setdefault(winner(knowledge, {q: o for q, o in answers.items() if o is not None}), []).append(name)
    order = {f.id: i for i, f in enumerate(knowledge.frameworks)}
    return tuple(PickCount(f, _name(knowledge, f), tuple(who))
                 for f, who in sorted(by.items(), key=lambda item: (-len(item[1]), order.get(item[0], len(order)))))


def _name(knowledge: Knowledge, framework: str) -> str:
    fw = knowledge.framework(framework)
    return fw.name if fw else framework
