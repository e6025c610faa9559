"""Mentions waiting for a word that answers them.

- A label and its value: "Websockets: no", "Admin: yes" (the value is a lone cue).
- A short question and the next sentence: "websockets? nope". Until answered, a mention in a
  question of a few words is not taken at all: the writer is asking, not telling.
- A forward cue right after a mention with nothing to reach: "websockets yes, API no".
"""
from __future__ import annotations

from ..textrules import CANCEL
from .mention import Mention, look_back

SHORT_QUESTION = 4  # words in a question that asks rather than tells ("an admin panel?")


Cue = tuple[str, frozenset[str], int]  # (effect, questions, end)


class Pending:
    def __init__(self) -> None:
        self.label: list[Mention] = []
        self.label_open = False  # only fillers since the colon
        self.label_answer: Cue | None = None
        self.asked: list[Mention] = []  # the short question just before this sentence
        self.answer: Cue | None = None  # the cue this sentence opens with
        self.dangling: tuple[Cue, list[Mention]] | None = None

    def colon(self, recent: list[Mention]) -> None:
        self.label, self.label_open, self.label_answer = list(recent), bool(recent), None

    def word(self) -> None:
        """A word that is neither a cue nor a filler."""
        self.label_open = False
        self.dangling = None

    def mention(self) -> None:
        self.label, self.label_open, self.dangling = [], False, None

    def cue(self, cue: Cue, looks_back: bool, recent: list[Mention], gap: int, sentence_empty: bool) -> None:
        """cue: (effect, questions, end). Call before the cue takes effect on its own."""
        self.dangling = None
        if self.asked and sentence_empty and cue[0] != CANCEL:
            self.answer = cue
        if looks_back:
            return
        if self.label_open:
            self.label_answer, self.label_open = cue, False
        elif recent and gap == 0:
            self.dangling = (cue, list(recent))

    def clause_end(self, colon: bool) -> None:
        """A comma, stop or bracket: a lone cue after a label or a mention answers it."""
        if self.dangling is not None:
            (effect, questions, end), mentions = self.dangling
            look_back(effect, mentions, questions, end)
            self.dangling = None
        if colon:
            return
        if self.label_answer is not None:
            effect, questions, end = self.label_answer
            look_back(effect, self.label, questions, end)
        self.label, self.label_open, self.label_answer = [], False, None

    def sentence_end(self, question: bool, sentence: list[Mention], words: int) -> None:
        if self.answer is not None and not sentence:
            for m in self.asked:
                m.asked = False
            effect, questions, end = self.answer
            look_back(effect, self.asked, questions, end)
        self.asked, self.answer = [], None
        if question and sentence and words <= SHORT_QUESTION:
            self.asked = list(sentence)
            for m in self.asked:
                m.asked = True
