"""Replies as Discord Components V2 messages. Pure: an engine reply in, plain data out.

Nothing here talks to Discord. Every string that reaches a message goes through
`text.safe()` (markdown and mentions escaped) and is clipped to Discord's limits; every
screen goes through `screen.fit()` (40 components, 4,000 characters of text).

Modules: `screen` (the message as data, the limits), `text` (escaping, clipping),
`context` (what a screen needs besides the reply), `question`, `result` (the
recommendation: its sections and action rows), `conversation`, `info` (about, compare, help),
`team` (a team decision's card and result). Import each name from its module; this
package holds only `note`.
"""
from __future__ import annotations

from .screen import NOTE_COLOUR, Screen, Text
from .text import NOTE_MAX, safe


def note(message: str, channel: str = "") -> Screen:
    """A short private note (stale click, someone else's conversation, an error). `channel`: a
    channel id from Discord (never user text) whose reference in `message` stays a link."""
    text = safe(message, NOTE_MAX)
    if channel.isdigit():
        text = text.replace(f"<#\u200b{channel}>", f"<#{channel}>")
    return Screen((Text(text),), accent=NOTE_COLOUR)

