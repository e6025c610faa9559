"""The corpus of real-looking openings (tests/fixtures/text_corpus.yaml): zero misreadings.

Each opening must give exactly its `take` answers; an answer listed under `may` is also
accepted; anything else taken, or anything in `take` missed, fails the case.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.engine.textmatch import extract

CORPUS = yaml.safe_load((Path(__file__).parent / "fixtures" / "text_corpus.yaml").read_text())


def test_corpus_is_big_enough_and_well_formed(knowledge) -> None:
    assert len(CORPUS) >= 40
    for case in CORPUS:
        assert set(case) <= {"text", "take", "may"}, case
        for q, o in {**case["take"], **case.get("may", {})}.items():
            question = knowledge.question(q)
            assert question is not None and question.option(o) is not None, (case["text"], q, o)


@pytest.mark.parametrize("case", CORPUS, ids=[c["text"][:50] for c in CORPUS])
def test_opening_is_read_right(knowledge, case) -> None:
    found = extract(knowledge, case["text"])
    got = {q: o for q, o, _ in found}
    assert len(got) == len(found), "one answer per question"
    may = case.get("may", {})
    misread = {q: o for q, o in got.items() if case["take"].get(q) != o and may.get(q) != o}
    missed = {q: o for q, o in case["take"].items() if got.get(q) != o}
    assert not misread and not missed, f"misread {misread}, missed {missed}, got {found}"


@pytest.mark.parametrize("case", CORPUS, ids=[c["text"][:50] for c in CORPUS])
def test_what_was_taken_is_shown_in_the_writers_words(knowledge, case) -> None:
    text = " ".join(case["text"].split()).lower()
    for _, _, words in extract(knowledge, case["text"]):
        assert words and len(words) <= 80
        assert all(piece.lower() in text for piece in words.rstrip("\u2026").split()), words
