"""The conversation itself: /framework start, and clicks that answer, navigate or show a step.

The first reply of a conversation is a new ephemeral message; every step edits that message
(interaction response type 7, UPDATE_MESSAGE). A refusal (stale, replaced, expired, someone
else's, invalid) is a short ephemeral note, and nothing changes. Restart only asks ("Discard
your N answers?" in place of the navigation row); the confirming click restarts, "Keep going"
shows the step again.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord

from bot.engine.events import Event
from bot.engine.replies import Recommendation
from bot.service.outcome import MESSAGES, Outcome, Ref

from .cards import touch
from .notes import note
from .reply import app_of, call, foreign, scope_of, screen_of, send, update, user_of


async def start(interaction: discord.Interaction, text: str) -> None:
    app = app_of(interaction)
    outcome = await call(interaction, app.advisor.start, scope_of(interaction), user_of(interaction), text,
                         defer="thinking")
    if not outcome.ok:
        await note(interaction, outcome.message)
        return
    await send(interaction, screen_of(interaction, outcome), ephemeral=True)


async def click(interaction: discord.Interaction, func: Callable[..., Outcome], *args: Any) -> Outcome | None:
    """The service's answer to a click on the clicker's own conversation, or None once
    the refusal (someone else's message, stale, expired, invalid) has been noted.
    "already_shared" counts as an answer: the result is shown again, saying where."""
    if foreign(interaction):
        await note(interaction, MESSAGES["not_owner"])
        return None
    outcome = await call(interaction, func, scope_of(interaction), user_of(interaction), *args, defer="update")
    if not outcome.ok and outcome.status != "already_shared":
        await note(interaction, outcome.message)
        return None
    return outcome


async def step(interaction: discord.Interaction, ref: Ref, event: Event) -> None:
    """A conversation click: apply `event` if `ref` is the current step of the clicker's own session."""
    outcome = await click(interaction, app_of(interaction).advisor.act, event, ref)
    if outcome is not None:
        await update(interaction, screen_of(interaction, outcome))
        if outcome.team and not outcome.team_note and isinstance(outcome.reply, Recommendation):
            touch(interaction.client, scope_of(interaction), outcome.team)  # a member's answers were recorded


async def show(interaction: discord.Interaction, ref: Ref, *, confirm_restart: bool) -> None:
    """Show the current step again, changing nothing: with the restart question in place of
    the navigation (Restart), or without it (Keep going). Only for the step `ref` names."""
    outcome = await click(interaction, app_of(interaction).advisor.current, ref)
    if outcome is not None:
        await update(interaction, screen_of(interaction, outcome, confirm_restart=confirm_restart))
