"""What happens on a command or a click: interaction -> service call -> rendered reply.

No business rules: the service decides (ok, stale, expired, not_owner, invalid), render.py
decides the looks. This module only answers the interaction the right way:
- the first reply of a conversation is a new ephemeral message;
- every step edits that message (interaction response type 7, UPDATE_MESSAGE);
- a refusal (stale, replaced, expired, someone else's, invalid) is a short ephemeral note,
  and nothing changes; a user's new note deletes their previous one in that channel, so notes do not pile up;
- Restart only asks ("Discard your N answers?" in place of the navigation row); the
  confirming click restarts, "Keep going" shows the step again;
- Share defers the click, posts the public copy, and only then shows "Shared in #channel"
  on the private result (a refused post: the reason, and Share again);
- where only the user installed the app (the bot is not in the server), Share posts only
  if the user may post in the channel; every reply stays an interaction response (at most
  two follow-ups per interaction: Share's public copy, or a note or an error after a
  deferral), which Discord allows user-installed apps;
- if the service has not answered within `client.defer_after` seconds, the interaction
  is deferred first, so Discord's 3-second limit always holds.
Every message is one Components V2 layout (render.Screen -> components.build_view), so it
carries the IS_COMPONENTS_V2 flag; every message goes out with AllowedMentions.none().
"""
from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import io
import logging
from collections.abc import Callable
from typing import Any, Literal

import time

import discord

from bot.engine.events import Event
from bot.engine.model import Knowledge
from bot.engine.replies import Recommendation
from bot.service import MESSAGES, Outcome, Ref
from bot.store.base import Scope

from . import render
from .components import build_view

log = logging.getLogger("bot.discord")

NO_MENTIONS = discord.AllowedMentions.none()
DEFER_AFTER = 2.0  # seconds; Discord drops an interaction not answered within 3
ERROR_MESSAGE = "Sorry, something went wrong on my side. Please try again, or start over with /framework start."
NOTHING_TO_SHARE = MESSAGES["nothing_to_share"]
CANNOT_POST = ("You can't post in this channel, so I kept the recommendation private. "
               "Share it from a channel where you can post, or copy it.")

Defer = Literal["update", "thinking"]


def app_of(interaction: discord.Interaction) -> Any:
    return interaction.client.app  # type: ignore[attr-defined]


def scope_of(interaction: discord.Interaction) -> Scope:
    guild = str(interaction.guild_id) if interaction.guild_id else "dm"
    return Scope("discord", guild, str(interaction.channel_id or ""), "", str(interaction.user.id))


def user_of(interaction: discord.Interaction) -> str:
    return str(interaction.user.id)


def foreign(interaction: discord.Interaction) -> bool:
    """The clicked message was made for another user's command."""
    message = interaction.message
    meta = getattr(message, "interaction_metadata", None) if message is not None else None
    return meta is not None and meta.user is not None and meta.user.id != interaction.user.id


async def call(interaction: discord.Interaction, func: Callable[..., Outcome], *args: Any, defer: Defer) -> Outcome:
    """Run a (synchronous, maybe I/O-bound) service call off the event loop; defer the
    interaction if it takes longer than `defer_after`."""
    task = asyncio.ensure_future(asyncio.to_thread(func, *args))
    limit = getattr(interaction.client, "defer_after", DEFER_AFTER)
    try:
        return await asyncio.wait_for(asyncio.shield(task), limit)
    except asyncio.TimeoutError:
        if not interaction.response.is_done():
            if defer == "update":
                await interaction.response.defer()
            else:
                await interaction.response.defer(ephemeral=True, thinking=True)
        return await task


def _kwargs(screen: render.Screen) -> dict[str, Any]:
    return {"view": build_view(screen), "allowed_mentions": NO_MENTIONS}


async def send(interaction: discord.Interaction, screen: render.Screen, *, ephemeral: bool = True) -> Any:
    """A new message, ephemeral unless said otherwise. Returns what can delete it later:
    the interaction (its original response) or the follow-up message."""
    kwargs = _kwargs(screen)
    response = interaction.response
    if not response.is_done():
        await response.send_message(ephemeral=ephemeral, **kwargs)
        return interaction
    if response.type == discord.InteractionResponseType.deferred_channel_message:
        await interaction.edit_original_response(**kwargs)
        return interaction
    return await interaction.followup.send(ephemeral=ephemeral, wait=True, **kwargs)


async def update(interaction: discord.Interaction, screen: render.Screen) -> None:
    """Edit the message the clicked component is on (type 7, or an edit after a deferral).
    Content and embeds are reset explicitly: a message sent by an earlier release (content,
    an embed and plain rows) can only take the IS_COMPONENTS_V2 flag with `content: null`
    and `embeds: []`, and on a V2 message they are empty anyway."""
    kwargs = {**_kwargs(screen), "content": None, "embeds": []}
    if not interaction.response.is_done():
        await interaction.response.edit_message(**kwargs)
    else:
        await interaction.edit_original_response(**kwargs)


NOTE_LIFETIME = 14 * 60.0  # s: an interaction token can delete its response for 15 minutes
NOTES_KEPT = 10_000


async def note(interaction: discord.Interaction, message: str) -> None:
    """A short private note that replaces the user's previous one in the same channel (deleted
    after the new one is up, so there is always something to read). Notes are kept in memory
    only: after a restart one old note may stay, which is harmless."""
    handle = await send(interaction, render.note(message), ephemeral=True)
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


def ctx(knowledge: Knowledge, outcome: Outcome, *, confirm_restart: bool = False) -> render.Ctx:
    names: dict[str, str] = knowledge.memo.setdefault(  # type: ignore[assignment]
        "question_names", {q.id: q.short for q in knowledge.questions})
    return render.Ctx(outcome.session, outcome.version, names, shared=outcome.shared, confirm_restart=confirm_restart)


def screen_of(interaction: discord.Interaction, outcome: Outcome, *, confirm_restart: bool = False) -> render.Screen:
    knowledge = app_of(interaction).knowledge()
    return render.conversation(outcome.reply, ctx(knowledge, outcome, confirm_restart=confirm_restart))


# ---- commands -----------------------------------------------------------------------------------------------


async def start(interaction: discord.Interaction, text: str) -> None:
    app = app_of(interaction)
    outcome = await call(interaction, app.advisor.start, scope_of(interaction), user_of(interaction), text,
                         defer="thinking")
    if not outcome.ok:
        await note(interaction, outcome.message)
        return
    await send(interaction, screen_of(interaction, outcome), ephemeral=True)


# ---- clicks -------------------------------------------------------------------------------------------------


async def _click(interaction: discord.Interaction, func: Callable[..., Outcome], *args: Any) -> Outcome | None:
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
    outcome = await _click(interaction, app_of(interaction).advisor.act, event, ref)
    if outcome is not None:
        await update(interaction, screen_of(interaction, outcome))


async def show(interaction: discord.Interaction, ref: Ref, *, confirm_restart: bool) -> None:
    """Show the current step again, changing nothing: with the restart question in place of
    the navigation (Restart), or without it (Keep going). Only for the step `ref` names."""
    outcome = await _click(interaction, app_of(interaction).advisor.current, ref)
    if outcome is not None:
        await update(interaction, screen_of(interaction, outcome, confirm_restart=confirm_restart))


def may_post(interaction: discord.Interaction) -> bool:
    """Whether a public reply here is something the user could have posted themselves.
    In a server that installed the app, interaction replies are the app's own; in a server
    where only the user installed it (the bot is not a member), the reply speaks for the
    user, so it needs their Send Messages permission in the channel. DMs and group DMs: yes."""
    if interaction.guild_id is None or interaction.is_guild_integration():
        return True
    return bool(interaction.permissions.send_messages)


async def share(interaction: discord.Interaction, ref: Ref) -> None:
    """One public message per result, and the private result says "Shared" only once it is up.
    The click is deferred first (DEFERRED_UPDATE_MESSAGE: the private result stays as it is).
    The service records a claim on the session (compare-and-set): only the click that wins
    posts the public copy; then the post is confirmed and only then is the private result
    edited to "Shared in #channel" (no Share button). A crash in between leaves the private
    result with its Share button and a claim that lapses. A post Discord refuses undoes the
    claim and the private result says why, keeping Share. A click while another's post is
    under way gets a note; one on an older copy after the post just shows where it went."""
    if not may_post(interaction):
        await note(interaction, CANNOT_POST)
        return
    if not interaction.response.is_done():
        await interaction.response.defer()
    app = app_of(interaction)
    outcome = await _click(interaction, app.advisor.share, ref, str(interaction.channel_id or ""))
    if outcome is None:
        return
    if outcome.status == "already_shared":
        await update(interaction, screen_of(interaction, outcome))
        return
    assert isinstance(outcome.reply, Recommendation)
    scope = scope_of(interaction)
    try:
        await interaction.followup.send(ephemeral=False, **_kwargs(render.shared(outcome.reply, user_of(interaction))))
    except Exception as exc:  # noqa: BLE001 - whatever stopped the post, the claim is undone and the user told
        await asyncio.to_thread(app.advisor.unshare, scope, outcome.ref())
        await _not_posted(interaction, _why_not_posted(exc))
        return
    confirmed = await asyncio.to_thread(app.advisor.confirm_share, scope, outcome.ref())
    if confirmed.ok:
        await update(interaction, screen_of(interaction, confirmed))
    else:  # a step landed while posting: that click already showed the new state
        log.info("Discord share posted; the conversation moved on before the confirmation")


NOT_POSTED_ACCESS = ("I can't post in this channel. Give me access to it (View Channel, Send Messages) "
                     "and press Share again, or copy the recommendation yourself.")
NOT_POSTED_REFUSED = "Discord refused the post (HTTP {status}). Press Share to try again."
NOT_POSTED_UNREACHABLE = "Discord could not be reached. Press Share to try again."


def _why_not_posted(exc: BaseException) -> str:
    """What the user is told; one log line (a refused post is the channel's setup, not a bug)."""
    if isinstance(exc, (discord.Forbidden, discord.NotFound)):
        log.info("Discord share refused: HTTP %s (%s)", exc.status, exc.code)
        return NOT_POSTED_ACCESS
    if isinstance(exc, discord.HTTPException):
        log.warning("Discord share failed: HTTP %s (%s)", exc.status, exc.code)
        return NOT_POSTED_REFUSED.format(status=exc.status)
    log.warning("Discord share failed: %s: %s", type(exc).__name__, exc)
    return NOT_POSTED_UNREACHABLE


async def _not_posted(interaction: discord.Interaction, why: str) -> None:
    """The private result again, saying why it was not shared and offering Share (a note if the
    conversation moved on meanwhile, or the edit itself fails)."""
    app = app_of(interaction)
    back = await asyncio.to_thread(app.advisor.current, scope_of(interaction), user_of(interaction))
    if back.ok and isinstance(back.reply, Recommendation) and not back.shared:
        knowledge = app.knowledge()
        screen = render.conversation(back.reply, dataclasses.replace(ctx(knowledge, back), not_shared=why))
        with contextlib.suppress(discord.HTTPException):
            await update(interaction, screen)
            return
    await note(interaction, f"Not shared: {why}")


async def export(interaction: discord.Interaction, ref: Ref) -> None:
    """The decision record as a .md attachment on a new ephemeral message; nothing changes."""
    name = getattr(interaction.user, "display_name", "") or interaction.user.name
    outcome = await _click(interaction, app_of(interaction).advisor.export, [name], ref)
    if outcome is None or outcome.record is None:
        return
    record = outcome.record
    file = discord.File(io.BytesIO(record.markdown.encode("utf-8")), filename=record.filename,
                        description="Decision record (MADR 4.0)")
    text = render.export_note(record.filename)
    if not interaction.response.is_done():
        await interaction.response.send_message(text, file=file, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.followup.send(text, file=file, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def matrix(interaction: discord.Interaction, ref: Ref) -> None:
    """"Compare top 3" as a new ephemeral message; the result stays as it is."""
    outcome = await _click(interaction, app_of(interaction).advisor.matrix, ref)
    if outcome is not None:
        await send(interaction, render.info(outcome.reply), ephemeral=True)


async def whatif(interaction: discord.Interaction, ref: Ref, question: str, option: str) -> None:
    """The result with one answer changed, in place of the result; "Back to my answers"
    (nav:cancel) shows the step again. Nothing is saved, so `ref` stays current."""
    outcome = await _click(interaction, app_of(interaction).advisor.whatif, question, option, ref)
    if outcome is not None:
        await update(interaction, render.whatif(outcome.reply, ctx(app_of(interaction).knowledge(), outcome)))


# ---- the one error hook -------------------------------------------------------------------------------------


async def on_error(interaction: discord.Interaction, error: BaseException) -> None:
    """For the command tree and every component: log the details, count it, show a short safe message."""
    original = getattr(error, "original", None) or error
    if interaction.client.is_closed():
        # A reply cut off by the shutdown's close: nothing reaches Discord any more, and an error
        # follow-up would fail the same way. One line, no follow-up.
        log.warning("Discord interaction %s: not answered, the client closed while replying (%s)",
                    getattr(interaction, "id", "?"), type(original).__name__)
        return
    log.error("Discord interaction %s failed: %s", getattr(interaction, "id", "?"), type(original).__name__,
              exc_info=(type(original), original, original.__traceback__))
    try:
        app_of(interaction).observer.error("discord")
    except Exception:  # noqa: BLE001 - the error hook must not fail
        log.exception("observer failed")
    try:
        await send(interaction, render.note(ERROR_MESSAGE), ephemeral=True)
    except Exception:  # noqa: BLE001
        log.warning("could not tell the user about the error", exc_info=True)
