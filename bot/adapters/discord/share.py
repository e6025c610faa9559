"""Share: one public copy of a result, and the private result says "Shared in #channel" only
once that copy is up (a refused post: the reason, and Share again).

Where only the user installed the app (the bot is not in the server), Share posts only if the
user may post in the channel; every reply stays an interaction response (at most two follow-ups
per interaction: Share's public copy, or a note or an error after a deferral), which Discord
allows user-installed apps.
"""
from __future__ import annotations

import asyncio
import contextlib
import dataclasses

import discord

from bot.engine.replies import Recommendation
from bot.service.outcome import MESSAGES, Ref

from bot.adapters.discord.render.conversation import conversation
from bot.adapters.discord.render.result import shared
from .notes import note
from .reply import app_of, ctx, log, message_kwargs, scope_of, screen_of, update, user_of
from .steps import click

NOTHING_TO_SHARE = MESSAGES["nothing_to_share"]
CANNOT_POST = ("You can't post in this channel, so I kept the recommendation private. "
               "Share it from a channel where you can post, or copy it.")
NOT_POSTED_ACCESS = ("I can't post in this channel. Give me access to it (View Channel, Send Messages) "
                     "and press Share again, or copy the recommendation yourself.")
NOT_POSTED_REFUSED = "Discord refused the post (HTTP {status}). Press Share to try again."
NOT_POSTED_UNREACHABLE = "Discord could not be reached. Press Share to try again."


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
    outcome = await click(interaction, app.advisor.share, ref, str(interaction.channel_id or ""))
    if outcome is None:
        return
    if outcome.status == "already_shared":
        await update(interaction, screen_of(interaction, outcome))
        return
    assert isinstance(outcome.reply, Recommendation)
    scope = scope_of(interaction)
    try:
        await interaction.followup.send(ephemeral=False,
                                        **message_kwargs(shared(outcome.reply, user_of(interaction))))
    except Exception as exc:  # noqa: BLE001 - whatever stopped the post, the claim is undone and the user told
        await asyncio.to_thread(app.advisor.unshare, scope, outcome.ref())
        await _not_posted(interaction, _why_not_posted(exc))
        return
    confirmed = await asyncio.to_thread(app.advisor.confirm_share, scope, outcome.ref())
    if confirmed.ok:
        await update(interaction, screen_of(interaction, confirmed))
    else:  # a step landed while posting: that click already showed the new state
        log.info("Discord share posted; the conversation moved on before the confirmation")


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
        screen = conversation(back.reply, dataclasses.replace(ctx(knowledge, back), not_shared=why))
        with contextlib.suppress(discord.HTTPException):
            await update(interaction, screen)
            return
    await note(interaction, f"Not shared: {why}")
