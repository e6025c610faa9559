"""What a user can do, as frozen dataclasses: every adapter turns a payload into one of these."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Start:
    text: str = ""  # optional free-text description of the project
    every: bool = False  # offer every question (a team member's conversation: State.every)


@dataclass(frozen=True)
class Answer:
    question: str
    option: str


@dataclass(frozen=True)
class Skip:
    """"Not sure": leave the pending question unanswered and move on."""

    question: str | None = None  # if given, must be the pending question


@dataclass(frozen=True)
class Back:
    pass


@dataclass(frozen=True)
class Restart:
    pass


@dataclass(frozen=True)
class More:
    """After a recommendation: ask one more question to refine it."""


@dataclass(frozen=True)
class Decide:
    """Stop asking: recommend from the answers so far, marked as not yet settled."""


Event = Start | Answer | Skip | Back | Restart | More | Decide
