"""A team's answers from its members' answers: the one place where that rule lives (issue 16).

Per question, the option the most members chose is the team's answer. A tie for the most is
a *split* and a question nobody answered is *open*; neither gives the team an answer. The
deciding question (past success) follows the same rule, so it decides for the team only when
one framework is the team's answer. "Not sure" (a skipped question) is no vote.

Pure: members' answer sets in, a Tally out. The order of members never matters.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import Knowledge

MemberAnswers = Mapping[str, str | None]  # question id -> option id (None: "not sure")


@dataclass(frozen=True)
class Tally:
    answers: dict[str, str]  # the team's answer per question that has one, in question order
    counts: dict[str, dict[str, int]]  # question id -> option id -> members; only options someone chose
    splits: tuple[str, ...]  # questions with a tie for the most members, in question order
    open: tuple[str, ...]  # questions nobody answered, in question order
    members: int  # how many answer sets were combined

    def tied(self, question: str) -> tuple[str, ...]:
        """The options tied for the most members on a split question (() otherwise)."""
        if question not in self.splits:
            return ()
        counts = self.counts[question]
        top = max(counts.values())
        return tuple(o for o, n in counts.items() if n == top)


def combine(knowledge: Knowledge, members: Iterable[MemberAnswers]) -> Tally:
    """The team's answers, counts, splits and open questions. Answers to questions or options
    the knowledge does not have are no vote (an answer set from before a knowledge reload)."""
    votes: dict[str, dict[str, int]] = {q.id: {} for q in knowledge.questions}
    n = 0
    for answers in members:
        n += 1
        for qid, option in answers.items():
            question = knowledge.question(qid)
            if option is None or question is None or question.option(option) is None:
                continue
            votes[qid][option] = votes[qid].get(option, 0) + 1
    team: dict[str, str] = {}
    counts: dict[str, dict[str, int]] = {}
    splits: list[str] = []
    open_: list[str] = []
    for question in knowledge.questions:
        got = votes[question.id]
        if not got:
            open_.append(question.id)
            continue
        # knowledge order, so the same votes always give the same mapping
        counts[question.id] = {o.id: got[o.id] for o in question.options if o.id in got}
        top = max(got.values())
        leaders = [o for o, k in got.items() if k == top]
        if len(leaders) == 1:
            team[question.id] = leaders[0]
        else:
            splits.append(question.id)
    return Tally(team, counts, tuple(splits), tuple(open_), n)
