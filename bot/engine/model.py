"""The knowledge the engine reasons over, as plain frozen data.

Loading and validating YAML happens outside the engine (bot/knowledge); the engine
only ever sees these objects.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from .textrules import TextRules

RuleKind = Literal["consider", "think_twice", "caveat"]
# How much a point counts (knowledge/questions.yaml, settings.decision.points): a fit adds its
# weight, a soft warning takes its weight away, a hard mismatch puts the framework in a lower tier.
Strength = Literal["strong", "fit", "soft", "hard", ""]
FIT_STRENGTHS = ("strong", "fit")  # what `consider` points may be (default: fit)
WARNING_STRENGTHS = ("soft", "hard")  # what `think_twice` points may be (default: soft)
# The combining rule, in order (see knowledge/questions.yaml, settings.decision.rule).
DECISION_ORDER = ("decides", "hard", "score", "share")
DEFAULT_POINTS = (("strong", 3.0), ("fit", 1.0), ("soft", 2.0))
LinkKind = Literal["docs", "tutorial", "extension", "reference"]


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    keywords: tuple[str, ...] = ()
    likely: float | None = None  # how often people give this answer, for choosing questions; None: share the rest


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
    """One point of the article's table (or a fact-sheet caveat), tied to one answer.

    kind: "consider" (a fit: `strength` strong or fit), "think_twice" (a warning:
    `strength` soft or hard) or "caveat" (shown with the pick, never counted).
    `when`: applies if `question` is answered with one of `options`.
    `negate` (YAML `unless`): applies unless it is (also while unanswered or skipped).
    `source`: where the point comes from: "table" (the article's table, in its words),
    "article: <its words>" or "facts: <a line of the fact sheet>".
    """

    kind: RuleKind
    text: str
    question: str | None = None
    options: frozenset[str] = frozenset()
    negate: bool = False
    strength: Strength = ""
    source: str = "table"
    short: str = ""  # a few words for reasons ("batteries included"); "" to quote `text`

    @property
    def hard(self) -> bool:
        return self.strength == "hard"

    def applies(self, option: str | None) -> bool:
        """Whether the rule holds when its question has `option` (None: no answer)."""
        if self.question is None:
            return False
        return (option in self.options) != self.negate


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    kind: LinkKind = "docs"


UNCONFIRMED = " (unconfirmed)"  # how a fact the fact sheet marks with its warning sign is shown

# The facts a framework outside the article carries, in the order `about` shows them.
FACT_LABELS: dict[str, str] = {
    "first_release": "First release",
    "latest": "Latest version seen",
    "licence": "Licence",
    "backing": "Backing and governance",
    "interface": "Interface",
    "built_in": "Built in",
    "typical_use": "Typical use",
    "weaknesses": "Weaknesses",
}


@dataclass(frozen=True)
class Fact:
    """One sourced fact about a framework outside the article (from the fact sheet).

    `key` is a fact key ("licence", "backing", ...; see FACT_LABELS in bot.engine.info)
    or a dimension id (then it is that framework's `compare` cell). `unconfirmed` facts
    (the sheet's ⚠) are only ever shown as unconfirmed.
    """

    key: str
    text: str
    source: Link
    unconfirmed: bool = False

    @property
    def shown(self) -> str:
        """The text as users see it: an unconfirmed fact always says so."""
        return self.text + UNCONFIRMED if self.unconfirmed else self.text


@dataclass(frozen=True)
class SuggestionRule:
    """`suggestions.yaml`: suggest `framework` when every `when` answer holds and the pick
    is one of `picks` (any pick if empty). `fact` names the fact that supports `reason`."""

    framework: str
    reason: str
    fact: str
    when: tuple[tuple[str, frozenset[str]], ...]
    picks: frozenset[str] = frozenset()


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
    facts: tuple[Fact, ...] = ()  # sourced facts (frameworks outside the article)
    sources: tuple[Link, ...] = ()  # where its facts come from; empty for the article's six

    def fact(self, key: str) -> Fact | None:
        """The fact `key` (its first entry), or `key#n` for the n-th entry (1-based)."""
        name, _, n = key.partition("#")
        found = [f for f in self.facts if f.key == name]
        index = int(n) - 1 if n.isdigit() else 0 if not n else -1
        return found[index] if 0 <= index < len(found) else None

    def dimension(self, dimension_id: str) -> str:
        return dict(self.dimensions).get(dimension_id, "")


@dataclass(frozen=True)
class Knowledge:
    questions: tuple[Question, ...]
    frameworks: tuple[Framework, ...]
    dimensions: tuple[tuple[str, str], ...] = ()  # (dimension id, label) for compare
    decides: str | None = None  # the question whose answer naming a framework picks it (step 1)
    points: tuple[tuple[str, float], ...] = DEFAULT_POINTS  # weight per strength (hard: a tier)
    source: str = ""  # where it was loaded from, for messages only
    fingerprint: str = ""  # short hash of the files it was loaded from (decision records cite it)
    suggestion_rules: tuple[SuggestionRule, ...] = ()  # "also consider" (suggestions.yaml)
    max_suggestions: int = 2
    facts_as_of: str = ""  # month of the fact sheet the newer frameworks' facts come from
    text: TextRules = TextRules()  # how free text is read (knowledge/text.yaml)

    @cached_property
    def candidates(self) -> tuple[Framework, ...]:
        """The frameworks that may be the pick, in knowledge order: scoring sees only these."""
        return tuple(f for f in self.frameworks if f.pickable)

    @cached_property
    def question_index(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def framework_index(self) -> dict[str, Framework]:
        return {f.id: f for f in self.frameworks}

    @cached_property
    def memo(self) -> dict[str, object]:
        """Compiled per-knowledge tables, one entry per kind (never per answer sequence);
        dropped with the knowledge on reload."""
        return {}

    def weight(self, rule: Rule) -> float:
        """What a point adds to its framework's score: + for a fit, - for a soft warning,
        0 for a hard mismatch (a tier of its own) and for caveats."""
        w = dict(self.points).get(rule.strength, 0.0)
        return -w if rule.kind == "think_twice" else w if rule.kind == "consider" else 0.0

    def question(self, question_id: str) -> Question | None:
        return self.question_index.get(question_id)

    def framework(self, framework_id: str) -> Framework | None:
        return self.framework_index.get(framework_id)

    def named_by(self, option_id: str) -> Framework | None:
        """The pickable framework an option of the deciding question names, if any."""
        framework = self.framework_index.get(option_id)
        return framework if framework is not None and framework.pickable else None
