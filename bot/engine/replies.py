"""What the engine answers with: neutral data that each adapter renders its own way.

No markup here. Every string is either knowledge text or built from it; adapters
still escape everything they render.
"""
from __future__ import annotations

from dataclasses import dataclass

from .model import Fact, Link, Option


@dataclass(frozen=True)
class Prefill:
    question: str
    question_short: str
    option: str
    option_label: str
    keyword: str  # the words in the user's text that matched


@dataclass(frozen=True)
class Suggestion:
    """An "also consider" framework from outside the article, shown next to the pick (issue 11)."""

    framework: str
    name: str
    reason: str  # one line tied to the user's answers
    fact: str = ""  # the sourced fact that supports the reason
    links: tuple[Link, ...] = ()
    as_of: str = ""  # month of the fact sheet the fact comes from


@dataclass(frozen=True)
class Change:
    """One answer that would change the pick, computed with the same rule as the pick."""

    question: str
    question_short: str
    option: str
    option_label: str
    framework: str  # the pick with this answer changed
    name: str
    text: str  # a sentence: "If you answered ..., Flask would come out on top."

    @property
    def whatif(self) -> str:
        """The what-if button's text on every platform (each clips it to its own limit)."""
        return f"What if: {self.option_label} ({self.question_short.lower()})?"


@dataclass(frozen=True)
class QuestionReply:
    question_id: str
    text: str
    help: str
    options: tuple[Option, ...]
    asked: int  # 1-based number of this question, not counting answers taken from text
    prefilled: tuple[Prefill, ...] = ()
    can_back: bool = False
    refining: bool = False  # asked because the user wanted more questions
    remaining_at_most: int | None = None  # after this one, at most this many more questions
    previous: str | None = None  # the option given before Back re-opened this question


@dataclass(frozen=True)
class Ranked:
    """One framework in the rule's order (bot/engine/verdicts.py), with the rule's own figures."""

    framework: str
    name: str
    points: float  # fit - warnings
    fit: float  # weight of its fits that hold
    warnings: float  # weight of its soft warnings that hold
    hard: int  # hard mismatches that hold


@dataclass(frozen=True)
class OpenWin:
    """While questions are open: under how many combinations of their answers a framework wins."""

    framework: str
    name: str
    count: int


@dataclass(frozen=True)
class Recommendation:
    framework: str
    name: str
    runner_up: str | None
    runner_up_name: str | None
    confidence: str  # "high", "medium" or "low"; `confidence_basis` says on what
    ranking: tuple[Ranked, ...]
    reasons: tuple[str, ...]
    caveats: tuple[str, ...]
    flips: tuple[str, ...]  # what single answer change would change the pick
    links: tuple[Link, ...]
    questions_asked: int
    summary: str = ""
    prefilled: tuple[Prefill, ...] = ()
    can_refine: bool = True  # there are unasked questions left
    # which step of the rule separates the pick from the runner-up, a code:
    # "experience" | "hard" | "score" | "tie"
    decided_by: str = ""
    settled: bool = True  # False after "decide now": other answers could still change it
    open_questions: tuple[str, ...] = ()  # unasked question ids that could still change it
    changes: tuple[Change, ...] = ()  # structured `flips`, same order
    also_consider: tuple[Suggestion, ...] = ()  # frameworks outside the article (issue 11)
    margin: float = 0.0  # at the deciding step: hard mismatches fewer, or points more
    margin_text: str = ""  # the margin in words, in the rule's own terms
    confidence_basis: str = ""  # what the confidence is based on, in words
    # not settled: how many combinations of answers the open questions have (each counted once),
    # and under how many each framework would be the pick, most first
    open_total: int = 0
    open_wins: tuple[OpenWin, ...] = ()

    @property
    def open_said(self) -> str:
        """ "Of the 96 ways to answer the 4 open questions, Flask would be the pick under 60, FastAPI
        under 36." (each combination of answers counted once), or "" when settled."""
        if not self.open_total or not self.open_wins:
            return ""
        n = len(self.open_questions)
        first, *rest = self.open_wins
        wins = ", ".join([f"{first.name} would be the pick under {first.count:,}",
                          *(f"{w.name} under {w.count:,}" for w in rest)])
        return f"Of the {self.open_total:,} ways to answer the {n} open question{'s' if n != 1 else ''}, {wins}."

    @property
    def confidence_said(self) -> str:
        """The confidence with what it is based on: "medium (a different answer to ORM would ...)"."""
        return f"{self.confidence} ({self.confidence_basis})" if self.confidence_basis else self.confidence


@dataclass(frozen=True)
class FrameworkFacts:
    id: str
    name: str
    summary: str
    description: str
    spectrum: str
    first_release: int | None
    backing: str
    built_in: tuple[str, ...]
    consider: tuple[str, ...]
    think_twice: tuple[str, ...]
    links: tuple[Link, ...]
    in_article: bool = True
    sources: tuple[Link, ...] = ()  # where the facts come from
    facts: tuple[tuple[str, tuple[Fact, ...]], ...] = ()  # (label, its facts), outside the article only
    as_of: str = ""  # month of the fact sheet, outside the article only

    @property
    def note(self) -> str:
        return "" if self.in_article else facts_note(self.as_of)


def facts_note(as_of: str) -> str:
    """Where facts about frameworks outside the article come from, and how fresh they are."""
    month = f" as of {as_of}" if as_of else ""
    return f"Not in the article: facts from the project's fact sheet{month}, each with its source."


@dataclass(frozen=True)
class AboutReply:
    framework: FrameworkFacts


@dataclass(frozen=True)
class CompareRow:
    label: str
    values: tuple[str, ...]  # one per framework, in the order compared
    dimension: str = ""  # the knowledge's dimension id
    answer: str = ""  # the user's answer to the matching question, in their words: highlight the row


@dataclass(frozen=True)
class CompareReply:
    frameworks: tuple[str, ...]
    names: tuple[str, ...]
    rows: tuple[CompareRow, ...]
    pick: str = ""  # the recommended framework's id when compared from a result ("Compare top 3")
    note: str = ""  # where the facts of frameworks outside the article come from


@dataclass(frozen=True)
class WhatIfReply:
    """A result re-ranked with one answer changed; the conversation itself is untouched."""

    question: str
    question_short: str
    option: str
    option_label: str
    before: Recommendation  # the conversation's own result
    after: Recommendation  # the result with that one answer changed

    @property
    def title(self) -> str:
        return f"What if you answered \u201c{self.option_label}\u201d to {self.question_short.lower()}?"


@dataclass(frozen=True)
class HelpReply:
    commands: tuple[tuple[str, str, str], ...]  # (command, arguments, what it does): no platform syntax
    frameworks: tuple[tuple[str, str], ...]  # (id, name)
    outside: tuple[str, ...] = ()  # ids of the frameworks outside the article (suggestions only)

    @property
    def listing(self) -> str:
        """The frameworks it knows, the article's first, as one line for every adapter."""
        article = ", ".join(name for fid, name in self.frameworks if fid not in self.outside)
        others = ", ".join(name for fid, name in self.frameworks if fid in self.outside)
        return f"{article}; and, outside the article, to also consider: {others}" if others else article


Reply = QuestionReply | Recommendation | AboutReply | CompareReply | HelpReply | WhatIfReply
