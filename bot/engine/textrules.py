"""How free text is read: the cues around keywords, as plain frozen data (from knowledge/text.yaml).

The engine only sees these objects; bot/knowledge/text.py loads and validates the YAML.
An empty TextRules means plain keyword matching with no cues.
"""
from __future__ import annotations

from dataclasses import dataclass

# What a cue does to the mentions it reaches.
NEGATE = "negate"  # flips a mention: an even number of negations cancel out
CANCEL = "cancel"  # the mention is not taken at all (hedges, someone else's words)
AFFIRM = "affirm"  # the mention is taken as said, whatever negation came before
CONCEDE = "concede"  # a wish given up by a contrast later in its sentence: "I'd love X, but ..."
EFFECTS = (NEGATE, CANCEL, AFFIRM, CONCEDE)

# Where a cue reaches, relative to the mentions it changes.
BEFORE = "before"  # forward, to the end of the clause or `window` words past the cue or the last mention
NEXT = "next"  # only the mention right after it
AFTER = "after"  # back, to the mention (or list of mentions) just before it in the clause
PHRASE = "phrase"  # forward, to the next comma, bracket, contrast word or sentence end
SENTENCE = "sentence"  # forward, to the next contrast word or sentence end
TURN = "turn"  # back over a contrast word, to the clause before it, when nothing was said since
CLAUSE = "clause"  # back to the last contrast word and forward as `sentence`: the whole clause
REACHES = (BEFORE, NEXT, AFTER, PHRASE, SENTENCE, TURN, CLAUSE)


@dataclass(frozen=True)
class CueSet:
    effect: str
    phrases: tuple[tuple[str, str], ...]  # (reach, phrase as written)
    questions: frozenset[str] = frozenset()  # empty: every question
    exempt: frozenset[str] = frozenset()  # questions it never changes (YAML `except`)


@dataclass(frozen=True)
class Implication:
    """When the text rules out every option in `ruled_out` (and affirms none), take `take`."""

    question: str
    ruled_out: frozenset[str]
    take: str


@dataclass(frozen=True)
class Template:
    """Keywords written once for every option of `question` whose id is a framework id."""

    question: str
    keywords: tuple[str, ...]  # each contains "{name}", the framework's name
    veto: bool = False  # a match leaves the question unanswered (VETO below) instead of answering it


@dataclass(frozen=True)
class Shift:
    """Words that place a mention of `question` elsewhere than the new app ("we use FastAPI at
    work; this side project is a blog"): alone they answer nothing, beside another option of
    `question` they take `take` instead."""

    question: str
    take: str
    phrases: tuple[str, ...]
    unless: tuple[str, ...] = ()  # the new app said to be like the old: "at work, and this is another one"


@dataclass(frozen=True)
class Comparison:
    """"less opinionated than Django", "not as bare as Flask": one of `words` compared with a
    framework in `anchors` rules out the option that framework stands for."""

    question: str
    words: tuple[str, ...]
    anchors: tuple[tuple[str, str], ...]  # (framework name as written, option id)


@dataclass(frozen=True)
class Stack:
    """The stack the writer's app runs on today (bot/engine/text/stack.py): a framework named in
    one of `current` ("runs on {name}") answers `question` with it, another stack in `others`
    (or a framework that is not an option) answers `none`; a sentence with an `unshipped`
    phrase ("before launch") is not read."""

    question: str
    none: str
    current: tuple[str, ...]
    others: tuple[str, ...] = ()
    unshipped: tuple[str, ...] = ()
    unshipped_words: tuple[str, ...] = ()  # right before the name: "our legacy CherryPy service"
    not_before: tuple[str, ...] = ()  # up to two words before a pattern: "it would run on Django"
    moved: tuple[str, ...] = ()  # earlier in the clause: "we rewrote our Pyramid-based API in FastAPI"
    aliases: tuple[tuple[str, str], ...] = ()  # (name, option): "Django REST framework" is Django
    things: tuple[str, ...] = ()  # what "{thing}" in a `current` pattern stands for: "our {name} {thing}"
    background: tuple[str, ...] = ()  # patterns that answer only `none`: "coming from {name}"


SAME = "="  # the option id of an `unless` phrase's mention: it voids the question's shifts
SHIFT = "~"  # prefix of the option id a shift phrase's mention carries until decide.py resolves it
VETO = ""  # the option id of a veto mention: "we want to try FastAPI this time"


@dataclass(frozen=True)
class TextRules:
    cues: tuple[CueSet, ...] = ()
    pseudo: tuple[str, ...] = ()  # look like cues but are not ("no doubt"): they neither negate nor hedge
    ignore: tuple[str, ...] = ()  # look like keywords but mean nothing here ("ship fast", "rest assured")
    contrast: tuple[str, ...] = ()  # end every cue's reach ("but", "however")
    reasons: tuple[str, ...] = ()  # end every cue's reach but a sentence's ("because")
    objects: tuple[str, ...] = ()  # clause starters that are the object a waiting cue reaches ("ditch it")
    clause_starters: tuple[str, ...] = ()  # start a new clause ("we", "it"): end `before` reach
    connectors: tuple[str, ...] = ()  # join a list of mentions ("and", "or") that an `after` cue reaches back over
    concord: tuple[str, ...] = ()  # negations that agree with one just before ("don't need no API")
    fillers: tuple[str, ...] = ()  # words a phrase may skip ("we have been using django" matches "we use django")
    spellings: tuple[tuple[str, str], ...] = ()  # (as typed, as read): "dont" -> "do not"
    implications: tuple[Implication, ...] = ()
    prevail: tuple[tuple[str, str], ...] = ()  # (question, option) that wins over the question's other options
    templates: tuple[Template, ...] = ()
    shifts: tuple[Shift, ...] = ()
    # "prefer X over Y": after one of `prefer` in a sentence, one of `over` negates what follows it
    prefer: tuple[str, ...] = ()
    over: tuple[str, ...] = ()
    over_after_keyword: tuple[str, ...] = ()  # act as `over` only right after a keyword: "prefer X to Y"
    comparisons: tuple[Comparison, ...] = ()
    stack: Stack | None = None
    window: int = 5  # words a `before` cue reaches
    max_gap: int = 2  # filler words a phrase may skip between two of its words
    margin: int = 2  # mentions by which an option must lead a conflicting one to be taken
    typo_min: int = 5  # shortest word corrected for a typo
