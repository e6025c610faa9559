"""The knowledge the engine reasons over, as plain frozen data.

Loading and validating YAML happens outside the engine (bot/knowledge); the engine
only ever sees these objects.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

RuleKind = Literal["consider", "think_twice"]
LinkKind = Literal["docs", "tutorial", "extension", "reference"]


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    short: str  # a few words, used when citing an answer ("Performance")
    options: tuple[Option, ...]
    help: str = ""

    def option(self, option_id: str) -> Option | None:
        for option in self.options:
            if option.id == option_id:
                return option
        return None


@dataclass(frozen=True)
class Rule:
    """One "consider using if" or "think twice" point, optionally tied to one answer.

    `when`: applies if `question` is answered with one of `options`.
    `negate` (YAML `unless`): applies unless it is (also while unanswered or skipped).
    A rule with no question is shown in `about` but never scores.
    """

    kind: RuleKind
    text: str
    question: str | None = None
    options: frozenset[str] = frozenset()
    negate: bool = False
    weight: float = 0.0
    veto: bool = False


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    kind: LinkKind = "docs"


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    summary: str
    description: str = ""
    spectrum: str = ""  # "full-stack", "middle" or "micro"
    first_release: int | None = None
    backing: str = ""
    built_in: tuple[str, ...] = ()
    prior: float = 0.0
    dimensions: tuple[tuple[str, str], ...] = ()  # (dimension id, text)
    rules: tuple[Rule, ...] = ()
    links: tuple[Link, ...] = ()
    in_article: bool = True  # one of the article's six; False for "also consider" frameworks
    pickable: bool = True  # may be the pick: False for frameworks outside the article by default

    def dimension(self, dimension_id: str) -> str:
        return dict(self.dimensions).get(dimension_id, "")


@dataclass(frozen=True)
class Knowledge:
    questions: tuple[Question, ...]
    frameworks: tuple[Framework, ...]
    dimensions: tuple[tuple[str, str], ...] = ()  # (dimension id, label) for compare
    confidence_high: float = 4.0  # score margin between pick and runner-up
    confidence_medium: float = 2.0
    temperature: float = 2.0  # softmax temperature for the 0..1 ranking scores
    source: str = ""  # where it was loaded from, for messages only
    fingerprint: str = ""  # short hash of the files it was loaded from (decision records cite it)

    @cached_property
    def question_index(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def framework_index(self) -> dict[str, Framework]:
        return {f.id: f for f in self.frameworks}

    @cached_property
    def memo(self) -> dict[str, object]:
        """Per-knowledge cache for compiled tables; dropped with the knowledge on reload."""
        return {}

    def question(self, question_id: str) -> Question | None:
        return self.question_index.get(question_id)

    def framework(self, framework_id: str) -> Framework | None:
        return self.framework_index.get(framework_id)
