"""A conversation's state: small, immutable and JSON-friendly so any store can keep it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SKIPPED = None  # the option recorded for a skipped question


@dataclass(frozen=True)
class State:
    # (question id, option id or None when skipped), in the order they were given.
    # Answers taken from the free text come first.
    answers: tuple[tuple[str, str | None], ...] = ()
    # How many leading answers came from the free text, and the keyword each matched.
    from_text: tuple[tuple[str, str], ...] = ()  # (question id, matched keyword)
    pending: str | None = None  # the question being asked; None once recommending
    refining: bool = False  # the user asked for more questions after a recommendation
    text: str = ""  # the free text the conversation started with (for the decision record)
    # After Back: the option the re-opened question had (None if it was skipped), so an
    # adapter can show it as the current choice. Only set while that question is pending.
    previous: str | None = None
    # A team member's conversation: offered every question, not only until the pick settles,
    # because the team's answer to each question depends on everyone (issue 16).
    every: bool = False

    @property
    def done(self) -> bool:
        return self.pending is None

    def answer_map(self) -> dict[str, str]:
        return {q: o for q, o in self.answers if o is not None}

    def seen(self) -> set[str]:
        return {q for q, _ in self.answers}

    def prefilled(self) -> tuple[tuple[str, str], ...]:
        """Answers from the free text that are still in force (Back can remove them)."""
        n = min(len(self.from_text), len(self.answers))
        return tuple((q, o) for q, o in self.answers[:n] if o is not None)

    def user_answers(self) -> int:
        return len(self.answers) - min(len(self.from_text), len(self.answers))

    def to_dict(self) -> dict[str, Any]:
        # map(list, ...) rather than comprehensions: no function object is built per call.
        data: dict[str, Any] = {
            "answers": list(map(list, self.answers)),
            "from_text": list(map(list, self.from_text)),
            "pending": self.pending,
            "refining": self.refining,
            "text": self.text,
        }
        if self.previous is not None:  # absent otherwise: stored sessions keep their old shape
            data["previous"] = self.previous
        if self.every:
            data["every"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> State:
        # List comprehensions, not generators: tuple() of a list is the cheaper build.
        return cls(
            answers=tuple([(str(q), None if o is None else str(o)) for q, o in data.get("answers", ())]),
            from_text=tuple([(str(q), str(k)) for q, k in data.get("from_text", ())]),
            pending=data.get("pending"),
            refining=bool(data.get("refining", False)),
            text=str(data.get("text") or ""),
            previous=None if data.get("previous") is None else str(data["previous"]),
            every=bool(data.get("every", False)),
        )
