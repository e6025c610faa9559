"""Comparisons with a framework that stands for one end of a question's range.

"less opinionated than Django", "more structured than Flask", "not as heavy as Django",
"Django is too heavy": the
writer wants something other than that framework's end, so its option is ruled out (and
both ends ruled out leave the middle, by an implication in text.yaml). "as X as Django"
without a negation before it compares nothing away, so only "than" counts on its own.
"""
from __future__ import annotations

from ..textrules import TextRules
from .mention import ALL, Mention
from .tokens import WORD, Token
from .trie import Word

REACH = 3  # words between the compared word and "than" / "as": "more *clearly* structured than"
ARTICLES = frozenset({"a", "an", "the", "plain", "vanilla", "say"})
NEGATIONS = frozenset({"not", "less", "no", "never"})  # before "as ... as": "not as bare as Flask"


def framework_words(names: frozenset[str], text: str, words: list[Word], mentions: list[Mention]) -> None:
    """A keyword right after a framework's name with 's describes that framework, not the app:
    "with Django's synchronous workers", "Flask's lightweight nature". (A keyword that holds the
    name, "Django's ORM", starts at the name and is read as usual.)"""
    after = set()
    for i, (tok, _) in enumerate(words[:-1]):
        if tok[0] == WORD and tok[1] in names and text[tok[2]:tok[3]].lower().endswith(("'s", "\u2019s")):
            after.add(words[i + 1][0][2])
    for m in mentions:
        if m.start in after:
            m.cancelled.add(ALL)


def comparisons(rules: TextRules, words: list[Word]) -> list[Mention]:
    if not rules.comparisons:
        return []
    anchors = {name for c in rules.comparisons for name, _ in c.anchors}
    out: list[Mention] = []
    tokens: list[Token] = []
    for i, (tok, _) in enumerate(words):
        if tok[1] not in anchors or tok[0] != WORD:
            continue
        tokens = tokens or [w[0] for w in words]
        for c in rules.comparisons:
            for name, option in c.anchors:
                span = _compared(c.words, tokens, i) if name == tok[1] else None
                if span is not None:
                    out.append(Mention(((c.question, option),), *span, negations=1, cue_start=span[0]))
    return out


def _compared(compared: tuple[str, ...], tokens: list[Token], anchor: int) -> tuple[int, int] | None:
    """Where the comparison with tokens[anchor] starts and ends, or None if it is not one."""
    after = tokens[anchor + 1:anchor + 1 + REACH + 1]
    for k, t in enumerate(after[:-1]):
        # "Django feels too heavy", "Flask is too bare for us"
        if t[0] != WORD:
            break
        if (t[1] == "too" and after[k + 1][0] == WORD and after[k + 1][1] in compared
                and (k == 0 or after[k - 1][1] != "not")):
            return tokens[anchor][2], after[k + 1][3]
    j = anchor - 1
    if j < 1:
        return None
    while j > 0 and tokens[j][0] == WORD and tokens[j][1] in ARTICLES:
        j -= 1
    if tokens[j][0] != WORD or tokens[j][1] not in ("than", "as"):
        return None
    for k in range(j - 1, max(j - 1 - REACH, -1), -1):
        if tokens[k][0] != WORD:
            return None
        if tokens[k][1] in compared:
            if tokens[j][1] == "than":
                return tokens[k][2], tokens[anchor][3]
            before = [t for t in tokens[max(k - 3, 0):k] if t[0] == WORD]
            hit = next((t for t in before if t[1] in NEGATIONS), None)
            return (hit[2], tokens[anchor][3]) if hit is not None else None
    return None
