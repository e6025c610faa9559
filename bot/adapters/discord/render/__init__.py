"""Replies as Discord Components V2 messages. Pure: an engine reply in, plain data out.

Nothing here talks to Discord. Every string that reaches a message goes through
`text.safe()` (markdown and mentions escaped) and is clipped to Discord's limits; every
screen goes through `screen.fit()` (40 components, 4,000 characters of text).

Modules: `screen` (the message as data, the limits), `text` (escaping, clipping),
`context` (what a screen needs besides the reply), `question`, `result` (the
recommendation: its sections and action rows), `conversation`, `info` (about, compare, help),
`team` (a team decision's card and result).
"""
from __future__ import annotations

from .context import Ctx
from .conversation import conversation
from .info import COMMANDS, DESCRIPTIONS, Command, about, compare, help_screen, info
from .question import progress, question
from .result import SECTIONS, action_rows, actions, export_note, recommendation, shared, whatif
from .screen import (
    BUTTONS_PER_ROW, COLOUR, COMPONENTS_MAX, IS_COMPONENTS_V2, NOTE_COLOUR, TEXT_TOTAL_MAX, ButtonSpec, Component,
    Divider, Row, Screen, SelectOptionSpec, SelectSpec, Style, Text, all_custom_ids, component_count, fit, text_length,
)
from .team import card as team_card
from .team import result as team_result
from .team import whatif as team_whatif
from .text import LABEL_MAX, NOTE_MAX, OPTION_MAX, PLACEHOLDER_MAX, clip, plain, safe


def note(message: str, channel: str = "") -> Screen:
    """A short private note (stale click, someone else's conversation, an error). `channel`: a
    channel id from Discord (never user text) whose reference in `message` stays a link."""
    text = safe(message, NOTE_MAX)
    if channel.isdigit():
        text = text.replace(f"<#\u200b{channel}>", f"<#{channel}>")
    return Screen((Text(text),), accent=NOTE_COLOUR)


__all__ = [
    "BUTTONS_PER_ROW", "COLOUR", "COMMANDS", "COMPONENTS_MAX", "DESCRIPTIONS", "IS_COMPONENTS_V2", "LABEL_MAX",
    "NOTE_COLOUR", "NOTE_MAX", "OPTION_MAX", "PLACEHOLDER_MAX", "SECTIONS", "TEXT_TOTAL_MAX", "ButtonSpec", "Command",
    "Component", "Ctx", "Divider", "Row", "Screen", "SelectOptionSpec", "SelectSpec", "Style", "Text", "about",
    "action_rows", "actions", "all_custom_ids", "clip", "compare", "component_count", "conversation", "export_note",
    "fit",
    "help_screen", "info", "note", "plain", "progress", "question", "recommendation", "safe", "shared", "team_card",
    "team_result", "team_whatif", "text_length", "whatif",
]
