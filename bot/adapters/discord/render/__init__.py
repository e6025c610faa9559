"""Replies as Discord messages. Pure: an engine reply in, plain data and discord.Embed out.

Nothing here talks to Discord. Every string that reaches a message goes through
`text.safe()` (markdown and mentions escaped) and is clipped to Discord's limits.

Modules: `screen` (the message as data), `text` (escaping, limits, embed helpers),
`conversation` (questions, the recommendation, Share), `info` (about, compare, help).
"""
from __future__ import annotations

from .conversation import conversation, question, recommendation, recommendation_embed, shared
from .info import COMMANDS, DESCRIPTIONS, Command, about, compare, help_embed, info
from .screen import (
    BUTTONS_PER_ROW, ROWS_MAX, ButtonSpec, Component, Screen, SelectOptionSpec, SelectSpec, Style,
    all_custom_ids,
)
from .text import (
    COLOUR, CONTENT_MAX, DESCRIPTION_MAX, EMBED_TOTAL_MAX, FIELD_NAME_MAX, FIELD_VALUE_MAX, FOOTER_MAX,
    LABEL_MAX, OPTION_MAX, PLACEHOLDER_MAX, TITLE_MAX, clip, fit, plain, safe,
)


def note(message: str) -> Screen:
    """A short private note (stale click, someone else's conversation, an error)."""
    return Screen(content=safe(message, 500))


__all__ = [
    "BUTTONS_PER_ROW", "COLOUR", "COMMANDS", "CONTENT_MAX", "DESCRIPTIONS", "DESCRIPTION_MAX", "EMBED_TOTAL_MAX",
    "FIELD_NAME_MAX", "FIELD_VALUE_MAX", "FOOTER_MAX", "LABEL_MAX", "OPTION_MAX", "PLACEHOLDER_MAX", "ROWS_MAX",
    "TITLE_MAX", "ButtonSpec", "Command", "Component", "Screen", "SelectOptionSpec", "SelectSpec", "Style", "about",
    "all_custom_ids", "clip", "compare", "conversation", "fit", "help_embed", "info", "note", "plain", "question",
    "recommendation", "recommendation_embed", "safe", "shared",
]
