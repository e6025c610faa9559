"""Which cues act and what each starts: the cue half of the walk in scope.py."""
from __future__ import annotations

from ..textrules import AFFIRM, AFTER, BEFORE, CANCEL, CLAUSE, NEGATE, NEXT, SENTENCE, TURN
from .mention import look_back
from .trie import Payload
from .reach import NEXT_REACH, POST_GAP, Reach
from .walkstate import WalkState


class Cueing(WalkState):
    """A mixin of scope._Walk, whose state it reads and changes."""

    def _pick(self, payloads: tuple[Payload, ...], after_comma: bool) -> tuple[Payload, ...]:
        """The payloads that act. A cue that may stand before or after ("only", "maybe") looks back
        when a mention is just before it in the same clause, and forward otherwise; one phrase in
        several cue sets ("hate": a negation, and not the team's experience) acts in each."""
        cues = [p for p in payloads if p[0] == "cue"]
        if not cues:
            return payloads[:1]
        looks_back = bool(self.recent) and self.gap <= POST_GAP and not after_comma
        chosen = [p for p in cues if (p[2] == AFTER) == looks_back]
        return tuple(chosen or cues)

    def _cue(self, effect: str, reach: str, questions: frozenset[str], start: int, end: int,
             first: bool = True, concord: bool = False, item: bool = False) -> None:
        if effect == CANCEL and not questions:
            self.hedged = True
        if first:
            # a `next` cue is never a lone answer: "we need an admin panel too" is not "admin: no"
            self.pending.cue((effect, questions, end), reach in (AFTER, NEXT), self.recent, self.gap,
                             not self.sentence and not self.words)
            self.words += 1
        if reach == TURN:
            # "our hackathon projects are throwaway, but this one is for a hospital": the clause
            # before the contrast spoke of something else
            if self.turned:
                look_back(effect, self.turned, questions, end)
            return
        if reach == CLAUSE:
            # "the speed discussions on Reddit are overblown": the clause is about something else,
            # back to its contrast word as well as forward
            look_back(effect, self.clause, questions, end)
            reach = SENTENCE
        if reach == AFTER:
            if self.recent and self.gap <= POST_GAP:
                look_back(effect, self.recent, questions, end)
            elif effect == CANCEL and not self.recent and self.contrasted:
                # "we don't need websockets today, but might later": the hedge is about them
                look_back(effect, self.contrasted, questions, end)
            self.list_broken = True
            if self.reaches:
                self._words_pass()
            return
        if effect == AFFIRM:  # "just", "only": what follows is said plainly
            if self.reaches:
                self._keep(lambda r: r.effect != NEGATE)
            return
        if effect == NEGATE and reach == BEFORE:
            for r in self.reaches:
                if r.effect == NEGATE and r.kind == BEFORE and not r.covered:
                    if not (concord and r.content <= 1):
                        r.parity ^= 1  # "not that we don't need ...": a double negation
                    # else "we don't need no API": the second negation agrees with the first
                    r.left = self.s.window
                    return
            if self.reaches:
                self._keep(lambda r: not (r.effect == NEGATE and r.kind == BEFORE))
        left = NEXT_REACH if reach == NEXT else self.s.window
        self.reaches.append(Reach(effect, reach, questions, left, start, item=item and effect == NEGATE))
