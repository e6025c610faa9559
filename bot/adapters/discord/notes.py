"""The short private replies: a note that replaces the user's previous one, and the one
error hook. A user's new note deletes their previous one in that channel, so notes do not pile up."""
from __future__ import annotations

import time
from typing import Any

import discord

from bot.store.deadlines import StoreUnavailable

from . import render
from .reply import app_of, log, send

ERROR_MESSAGE = "Sorry, something went wrong on my side. Please try again, or start over with /framework start."
NOTE_LIFETIME = 14 * 60.0  # s: an interaction token can delete its response for 15 minutes
NOTES_KEPT = 10_000


async def note(interaction: discord.Interaction, message: str, channel: str = "") -> None:
    """A short private note that replaces the user's previous one in the same channel (deleted
    after the new one is up, so there is always something to read). Notes are kept in memory
    only: after a restart one old note may stay, which is harmless. `channel`: see render.note."""
    handle = await send(interaction, render.note(message, channel), ephemeral=True)
    notes: dict[tuple[int, int | None], tuple[float, Any]] | None = getattr(interaction.client, "notes", None)
    if notes is None:
        return
    now = time.monotonic()
    key = (interaction.user.id, interaction.channel_id)  # a note elsewhere is not the one to replace
    previous = notes.pop(key, None)
    notes[key] = (now, handle)
    if len(notes) > NOTES_KEPT:  # oldest first: dicts keep insertion order
        for key in [k for k, (at, _) in notes.items() if now - at > NOTE_LIFETIME]:
            del notes[key]
    if previous is None or now - previous[0] > NOTE_LIFETIME:
        return
    old = previous[1]
    try:
        if isinstance(old, discord.Interaction):
            await old.delete_original_response()
        else:
            await old.delete()
    except discord.HTTPException:
        log.debug("previous note already gone")


async def on_error(interaction: discord.Interaction, error: BaseException) -> None:
    """For the command tree and every component: log the details, count it, show a short safe message."""
    original = getattr(error, "original", None) or error
    if interaction.client.is_closed():
        # A reply cut off by the shutdown's close: nothing reaches Discord any more, and an error
        # follow-up would fail the same way. One line, no follow-up.
        log.warning("Discord interaction %s: not answered, the client closed while replying (%s)",
                    getattr(interaction, "id", "?"), type(original).__name__)
        return
    store = isinstance(original, StoreUnavailable)
    if store:  # hung or gone: one line per interaction while it lasts, its message says which call
        log.error("Discord interaction %s failed: %s", getattr(interaction, "id", "?"), original)
    else:
        log.error("Discord interaction %s failed: %s", getattr(interaction, "id", "?"), type(original).__name__,
                  exc_info=(type(original), original, original.__traceback__))
    try:
        app_of(interaction).observer.error("store" if store else "discord")
    except Exception:  # noqa: BLE001 - the error hook must not fail
        log.exception("observer failed")
    try:
        await send(interaction, render.note(ERROR_MESSAGE), ephemeral=True)
    except Exception:  # noqa: BLE001
        log.warning("could not tell the user about the error", exc_info=True)
