"""The phrases as a trie, and finding them in a text: most words first, never overlapping.

A phrase element is a vocabulary id (int: the word's inflections and typos match it) or an
exact word (str). Between two elements a phrase may skip up to `max_gap` filler words (or
numbers), never punctuation.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .tokens import WORD, Token

Element = int | str
# ("kw", question, option, own negation) | ("ignore",) | ("cue", effect, reach, questions, concord)
# | ("contrast", reason) | ("prefer",) | ("over",)
Payload = tuple[Any, ...]  # (kind, ...): "kw", "cue", "contrast", "prefer", "over", ...
Word = tuple[Token, frozenset[int]]  # a token and the vocabulary ids it may be
_Found = tuple[int, int, int, tuple[Payload, ...]]  # (-elements, start, end, payloads)


@dataclass(frozen=True)
class Match:
    start: int  # token index
    end: int  # token index, exclusive
    payloads: tuple[Payload, ...]


class _Node:
    __slots__ = ("children", "payloads")

    def __init__(self) -> None:
        self.children: dict[Element, _Node] = {}
        self.payloads: tuple[Payload, ...] = ()


class Trie:
    def __init__(self, phrases: Iterable[tuple[tuple[Element, ...], tuple[Payload, ...]]], fillers: frozenset[str],
                 max_gap: int) -> None:
        self.root = _Node()
        self.fillers = fillers
        self.max_gap = max_gap
        for elements, payloads in phrases:
            node = self.root
            for element in elements:
                node = node.children.setdefault(element, _Node())
            node.payloads = payloads

    def find(self, words: list[Word]) -> list[Match]:
        """Non-overlapping phrase matches, the phrases with most words chosen first."""
        found: list[_Found] = []
        first = self.root.children
        for i, (tok, ids) in enumerate(words):
            if tok[0] != WORD:
                continue
            node = first.get(tok[1])
            if node is not None:
                self._step(words, i, node, i, 0, found)
            for wid in ids:
                node = first.get(wid)
                if node is not None:
                    self._step(words, i, node, i, 0, found)
        # one span found as several phrases (a keyword that is also a cue) is one match of all; the
        # same phrase found twice ("not [really] important" and "not really important") acts once
        merged: dict[tuple[int, int], _Found] = {}
        for f in found:
            key = (f[1], f[2])
            if key in merged:
                seen = merged[key][3]
                f = (min(f[0], merged[key][0]), f[1], f[2], seen + tuple(p for p in f[3] if p not in seen))
            merged[key] = f
        found = sorted(merged.values(), key=lambda f: (f[0], f[1]))
        taken = [False] * len(words)
        matches = []
        for _, start, end, payloads in found:
            if True not in taken[start:end]:
                taken[start:end] = [True] * (end - start)
                matches.append(Match(start, end, payloads))
        matches.sort(key=lambda m: m.start)
        return matches

    def _walk(self, words: list[Word], start: int, node: _Node, j: int, depth: int, found: list[_Found]) -> None:
        """Follow the trie from `node` with the words from index j, skipping up to max_gap fillers
        (none before a phrase's first word)."""
        gaps = self.max_gap if depth else 0
        n = len(words)
        while j < n:
            tok, ids = words[j]
            if tok[0] != WORD:
                return
            children = node.children
            nxt = children.get(tok[1])
            if nxt is not None:
                self._step(words, start, nxt, j, depth, found)
            for wid in ids:
                nxt = children.get(wid)
                if nxt is not None:
                    self._step(words, start, nxt, j, depth, found)
            if gaps <= 0 or not (tok[1] in self.fillers or tok[1].isdigit()):
                return
            gaps -= 1
            j += 1

    def _step(self, words: list[Word], start: int, node: _Node, j: int, depth: int, found: list[_Found]) -> None:
        if node.payloads:
            found.append((-(depth + 1), start, j + 1, node.payloads))
        if node.children:
            self._walk(words, start, node, j + 1, depth + 1, found)
