"""Pre-answer questions from a free-text description (the work is in bot/engine/text/)."""
from __future__ import annotations

from .text.clean import MAX_TEXT
from .text.extract import extract

__all__ = ["MAX_TEXT", "description", "extract"]


def description(text: str) -> str:
    """The free text as kept for the decision record: cut at MAX_TEXT, whitespace collapsed."""
    return " ".join(text[:MAX_TEXT].split())
