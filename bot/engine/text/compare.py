"""Comparisons with a framework that stands for one end of a question's range.

"less opinionated than Django", "more structured than Flask", "not as heavy as Django": the
writer wants something other than that framework's end, so its option is ruled out (and
both ends ruled out leave the middle, by an implication in text.yaml). "as X as Django"
without a negation before it compares nothing away, so only "than" counts on its own.
"""
from __future__ import annotations

from ..textrules import TextRules
from .mention import Mention
from .tokens import WORD, Token
from .trie import Word

REACH = 3  # words between the compared word and "than" / "as": "more *clearly* structured than"
ARTICLES = frozenset({"a", "an", "the", "plain", "vanilla", "say"})
NEGATIONS = frozenset({"not", "less", "no", "never"})  # before "as ... as": "not as bare as Flask"


def comparisons(rules: TextRules, words: list[Word]) -> list[Mention]:
    if not rules.comparisons:
        return []
    anchors = {name for c in rules.comparisons for name, _ in c.anchors}
    out: list[Mention] = []
    tokens: list[Token] = []
    for i, (tok, _) in enumerate(words):
        if i < 2 or tok[1] not in anchors or tok[0] != WORD:
            continue
        tokens = tokens or [w[0] for w in words]
        for c in rules.comparisons:
            for name, option in c.anchors:
                start = _compared(c.words, tokens, i) if name == tok[1] else None
                if start is not None:
                    out.append(Mention(((c.question, option),), start, tok[3], negations=1, cue_start=start))
    return out


def _compared(compared: tuple[str, ...], tokens: list[Token], anchor: int) -> int | None:
    """Where the comparison that ends at tokens[anchor] starts, or None if it is not one."""
    j = anchor - 1
    while j > 0 and tokens[j][0] == WORD and tokens[j][1] in ARTICLES:
        j -= 1
    if tokens[j][0] != WORD or tokens[j][1] not in ("than", "as"):
        return None
    for k in range(j - 1, max(j - 1 - REACH, -1), -1):
        if tokens[k][0] != WORD:
            return None
        if tokens[k][1] in compared:
            if tokens[j][1] == "than":
                return tokens[k][2]
            before = [t for t in tokens[max(k - 3, 0):k] if t[0] == WORD]
            hit = next((t for t in before if t[1] in NEGATIONS), None)
            return hit[2] if hit is not None else None
    return None
