"""How an interaction is answered: who and where it comes from, a service call that keeps
Discord's 3-second limit, and a rendered screen sent as a new message or an edit.

Every message is one Components V2 layout (Screen -> view.build_view), so it
carries the IS_COMPONENTS_V2 flag; every message goes out with AllowedMentions.none().
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import discord

from bot.engine.model import Knowledge
from bot.service.outcome import Outcome
from bot.service.team import THREAD_PREFIX
from bot.store.base import Scope
from bot.store.deadlines import StoreUnavailable

from . import ids, render
from bot.adapters.discord.render.context import Ctx
from bot.adapters.discord.render.conversation import conversation
from bot.adapters.discord.render.screen import Screen
from .view import build_view

log = logging.getLogger("bot.discord")

NO_MENTIONS = discord.AllowedMentions.none()
DEFER_AFTER = 2.0  # seconds; Discord drops an interaction not answered within 3

T = TypeVar("T")
Defer = Literal["update", "thinking", "public"]  # public: a "thinking" placeholder the whole channel sees


def app_of(interaction: discord.Interaction) -> Any:
    return interaction.client.app  # type: ignore[attr-defined]


def scope_of(interaction: discord.Interaction) -> Scope:
    """Where the clicker's conversation lives: their own, or for a click in a team member's
    conversation (components set extras["team"] from its custom_id) the one for that team
    decision, bot.service.team.member_scope."""
    guild = str(interaction.guild_id) if interaction.guild_id else "dm"
    team = team_of(interaction)
    return Scope("discord", guild, str(interaction.channel_id or ""), THREAD_PREFIX + team if team else "",
                 str(interaction.user.id))


def team_of(interaction: discord.Interaction) -> str:
    """The team decision of the member's conversation this interaction is about ("" if none)."""
    team = interaction.extras.get("team", "")
    return team if isinstance(team, str) else ""


def user_of(interaction: discord.Interaction) -> str:
    return str(interaction.user.id)


def foreign(interaction: discord.Interaction) -> bool:
    """The clicked message was made for another user's command."""
    message = interaction.message
    meta = getattr(message, "interaction_metadata", None) if message is not None else None
    return meta is not None and meta.user is not None and meta.user.id != interaction.user.id


async def call(interaction: discord.Interaction, func: Callable[..., T], *args: Any, defer: Defer) -> T:
    """Run a (synchronous, maybe I/O-bound) service call off the event loop; defer the
    interaction if it takes longer than `defer_after`, and give up (StoreUnavailable: the
    error note) once the store's `wait` is over, whatever the queue ahead of it."""
    task = asyncio.ensure_future(asyncio.to_thread(func, *args))
    limit = getattr(interaction.client, "defer_after", DEFER_AFTER)
    wait = max(app_of(interaction).settings.store_deadlines.wait, limit)
    done, _ = await asyncio.wait({task}, timeout=limit)
    if not done:
        if not interaction.response.is_done():
            if defer == "update":
                await interaction.response.defer()
            else:
                await interaction.response.defer(ephemeral=defer == "thinking", thinking=True)
        done, _ = await asyncio.wait({task}, timeout=wait - limit)
        if not done:
            task.cancel()
            raise StoreUnavailable("call", wait, "no answer in time (the store is slow or hung)")
    return task.result()


def message_kwargs(screen: Screen) -> dict[str, Any]:
    return {"view": build_view(screen), "allowed_mentions": NO_MENTIONS}


async def send(interaction: discord.Interaction, screen: Screen, *, ephemeral: bool = True) -> Any:
    """A new message, ephemeral unless said otherwise. Returns what can delete it later:
    the interaction (its original response) or the follow-up message."""
    kwargs = message_kwargs(screen)
    response = interaction.response
    if not response.is_done():
        await response.send_message(ephemeral=ephemeral, **kwargs)
        return interaction
    if response.type == discord.InteractionResponseType.deferred_channel_message:
        await interaction.edit_original_response(**kwargs)
        return interaction
    return await interaction.followup.send(ephemeral=ephemeral, wait=True, **kwargs)


async def update(interaction: discord.Interaction, screen: Screen) -> None:
    """Edit the message the clicked component is on (type 7, or an edit after a deferral).
    Content and embeds are reset explicitly: a message sent by an earlier release (content,
    an embed and plain rows) can only take the IS_COMPONENTS_V2 flag with `content: null`
    and `embeds: []`, and on a V2 message they are empty anyway."""
    kwargs = {**message_kwargs(screen), "content": None, "embeds": []}
    if not interaction.response.is_done():
        await interaction.response.edit_message(**kwargs)
    else:
        await interaction.edit_original_response(**kwargs)


def ctx(knowledge: Knowledge, outcome: Outcome, *, confirm_restart: bool = False, team: str = "") -> Ctx:
    """`team`: the member's team decision when `outcome` does not say (a view of the conversation)."""
    names: dict[str, str] = knowledge.memo.setdefault(  # type: ignore[assignment]
        "question_names", {q.id: q.short for q in knowledge.questions})
    team = outcome.team or team
    return Ctx(ids.member_session(outcome.session, team), outcome.version, names, shared=outcome.shared,
                      confirm_restart=confirm_restart, team=team, team_note=outcome.team_note)


def screen_of(interaction: discord.Interaction, outcome: Outcome, *, confirm_restart: bool = False) -> Screen:
    if outcome.reply is None:  # a refusal carries a message, not a reply
        return render.note(outcome.message)
    knowledge = app_of(interaction).knowledge()
    return conversation(outcome.reply, ctx(knowledge, outcome, confirm_restart=confirm_restart,
                                                  team=team_of(interaction)))
