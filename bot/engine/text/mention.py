"""A keyword found in the text, and what the cues around it did to it."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..textrules import AFFIRM, CANCEL, NEGATE

ALL = "*"  # cancelled for every question


@dataclass
class Mention:
    targets: tuple[tuple[str, str], ...]  # (question id, option id)
    start: int  # character offsets in the cleaned text
    end: int
    negations: int = 0
    cue_start: int = -1  # where the negation that reached it starts (or ends, for an `after` cue)
    cue_end: int = -1
    affirmed: bool = False
    cancelled: set[str] = field(default_factory=set)  # question ids, or ALL
    asked: bool = False  # in a short question ("websockets?"), not answered after it
    listed: bool = False  # its negation reached it only as the next item of a list, after a comma

    def polarity(self, question: str) -> int:
        """+1 taken as said, -1 negated, 0 not taken."""
        if self.asked or ALL in self.cancelled or question in self.cancelled:
            return 0
        if self.affirmed:
            return 1
        return -1 if self.negations % 2 else 1

    def span(self) -> tuple[int, int]:
        """The mention with the cue that negated it: the writer's own words for what was ruled out."""
        starts = [self.start] + ([self.cue_start] if self.cue_start >= 0 else [])
        return min(starts), max(self.end, self.cue_end)


def look_back(effect: str, mentions: list[Mention], questions: frozenset[str], end: int) -> None:
    """A cue that speaks of the mentions before it. A negation or hedge reaches the whole list
    ("websockets and GraphQL aren't needed"), an affirmation only the nearest ("no SQLAlchemy,
    Django's ORM is fine")."""
    for m in mentions if effect != AFFIRM else mentions[-1:]:
        if effect == NEGATE:
            if m is mentions[-1]:
                # "Flask isn't fast enough": a second negation of one mention; but a negation that
                # reached it only as a list item gives way ("no SPA, and speed is not critical")
                m.negations = 1 if m.listed else m.negations + 1
            elif m.negations:
                continue  # negated by its own cue already: "we don't need X, and Y isn't critical"
            else:
                m.negations = 1
            m.cue_end = max(m.cue_end, end)
        elif effect == CANCEL:
            m.cancelled.update(questions or {ALL})
        elif m.listed or not m.negations:
            # "no SPA, server-rendered pages only" (the list had ended), but not
            # "no live updates needed" (the negation is the writer's own)
            m.affirmed = True
