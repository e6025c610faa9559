"""What the engine answers with: neutral data that each adapter renders its own way.

No markup here. Every string is either knowledge text or built from it; adapters
still escape everything they render.
"""
from __future__ import annotations

from dataclasses import dataclass

from .model import Link, Option


@dataclass(frozen=True)
class Prefill:
    question: str
    question_short: str
    option: str
    option_label: str
    keyword: str  # the words in the user's text that matched


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


@dataclass(frozen=True)
class Ranked:
    framework: str
    name: str
    score: float  # 0..1, sums to 1 over the ranking
    points: float  # raw score
    vetoed: bool = False


@dataclass(frozen=True)
class Recommendation:
    framework: str
    name: str
    runner_up: str | None
    runner_up_name: str | None
    confidence: str  # "high", "medium" or "low"
    ranking: tuple[Ranked, ...]
    reasons: tuple[str, ...]
    caveats: tuple[str, ...]
    flips: tuple[str, ...]  # what single answer change would change the pick
    links: tuple[Link, ...]
    questions_asked: int
    summary: str = ""
    prefilled: tuple[Prefill, ...] = ()
    can_refine: bool = True  # there are unasked questions left


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


@dataclass(frozen=True)
class AboutReply:
    framework: FrameworkFacts


@dataclass(frozen=True)
class CompareRow:
    label: str
    values: tuple[str, ...]  # one per framework, in the order compared


@dataclass(frozen=True)
class CompareReply:
    frameworks: tuple[str, ...]
    names: tuple[str, ...]
    rows: tuple[CompareRow, ...]


@dataclass(frozen=True)
class HelpReply:
    commands: tuple[tuple[str, str], ...]  # (usage, what it does)
    frameworks: tuple[tuple[str, str], ...]  # (id, name)


Reply = QuestionReply | Recommendation | AboutReply | CompareReply | HelpReply
