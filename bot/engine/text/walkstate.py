"""The state one walk over a text carries (scope._Walk), declared once for the mixins that read
and change it (cues, matching, prefer), with the steps they call on each other."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from .answers import Pending
from .mention import Mention
from .reach import Reach
from .trie import Payload


class Settings(Protocol):
    """What the walk reads of its scope.Scoper."""

    window: int
    starters: frozenset[str]
    objects: frozenset[str]
    connectors: frozenset[str]
    over_after_keyword: frozenset[str]

    def filler(self, word: str) -> bool: ...


class WalkState:
    s: Settings
    found: list[Mention]
    reaches: list[Reach]
    recent: list[Mention]  # the mention (or list) an `after` cue would reach
    gap: int  # words since the last mention
    list_broken: bool
    comma_since_mention: bool
    after_comma: bool  # the last token was a comma or bracket
    sentence: list[Mention]
    clause: list[Mention]  # the sentence's mentions since its last contrast word
    words: int  # words in the current sentence
    pending: Pending
    contrasted: list[Mention]  # the mentions just before a contrast word
    turned: list[Mention]  # the sentence's mentions before a contrast word, until another is found
    conceded: list[Mention]  # wished for in this sentence: a contrast word gives them up
    preferring: int  # words in the sentence when a preference word ("prefer") was read
    preferred: int  # mentions found by then
    hedged: bool  # the sentence has a hedge that speaks of every question

    def _keep(self, keep: Callable[[Reach], bool]) -> None:
        self.reaches = [r for r in self.reaches if keep(r)]

    if TYPE_CHECKING:  # defined by the mixins and scope._Walk; declared here for each other
        def _cue(self, effect: str, reach: str, questions: frozenset[str], start: int, end: int,
                 first: bool = True, concord: bool = False, item: bool = False) -> None: ...

        def _pick(self, payloads: tuple[Payload, ...], after_comma: bool) -> tuple[Payload, ...]: ...

        def _match(self, payloads: tuple[Payload, ...], start: int, end: int) -> None: ...

        def _word(self, word: str) -> None: ...

        def _words_pass(self) -> None: ...
