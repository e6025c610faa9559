"""Team decisions on Discord (issue 16): /framework team and "Ask my team" post a public card;
its Answer gives the clicker the ordinary private conversation for that decision, Close and
decide (the starter's) posts the team result; the result's Export, Compare top 3 and what-if
answer privately. Everything lives in the service (bot/service/team.py), addressed by the
channel and the team id the buttons carry, so the card works after a restart; cards.py keeps
it in step as members finish, and closes decisions past their deadline.
"""
from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.engine.replies import WhatIfReply
from bot.service.outcome import MESSAGES, Ref
from bot.service.team import TeamOutcome
from bot.store.base import Scope

from . import render
from bot.adapters.discord.render.info import info

from bot.adapters.discord.render.team import card as team_card, whatif as team_whatif
from .cards import cards_of, publish
from .extras import send_record
from .notes import note
from .reply import (app_of, call, foreign, log, message_kwargs, scope_of, screen_of, send, update,
                    user_of)

NEEDS_BOT = ("Team decisions need me in this server (the card is edited as people answer): ask an admin to add "
             "the app to the server, or use /framework start on your own.")


def card_scope(interaction: discord.Interaction) -> Scope:
    """Where a team decision lives: the server and channel (the user is the caller's business)."""
    return Scope("discord", str(interaction.guild_id or "dm"), str(interaction.channel_id or ""))


def name_of(interaction: discord.Interaction) -> str:
    return getattr(interaction.user, "display_name", "") or interaction.user.name


def in_server(interaction: discord.Interaction) -> bool:
    """The card is a message the bot edits later and the result one it posts by itself, so the
    bot must be in the server, not only installed by the user."""
    return interaction.guild_id is not None and interaction.is_guild_integration()


async def refuse(interaction: discord.Interaction, outcome: TeamOutcome) -> None:
    """A refusal, privately; a closed decision's note links to where its result is."""
    team = outcome.team
    await note(interaction, outcome.message, (team.result or team.channel) if team is not None else "")


async def start(interaction: discord.Interaction, description: str, deadline: float | None) -> None:
    """/framework team [description] [deadline]: the card, in the channel."""
    if not in_server(interaction):
        await note(interaction, NEEDS_BOT)
        return
    app = app_of(interaction)
    outcome = await call(interaction, app.advisor.start_team, card_scope(interaction), user_of(interaction),
                         description, deadline, None, name_of(interaction), defer="public")
    await _post_card(interaction, outcome)


async def ask_team(interaction: discord.Interaction, ref: Ref) -> None:
    """"Ask my team" on a private result: a card whose first member's answers are the clicker's."""
    if foreign(interaction):
        await note(interaction, MESSAGES["not_owner"])
        return
    if not in_server(interaction):
        await note(interaction, NEEDS_BOT)
        return
    app = app_of(interaction)
    outcome = await call(interaction, app.advisor.ask_team, scope_of(interaction), user_of(interaction), ref,
                         name_of(interaction), defer="public")
    await _post_card(interaction, outcome)


async def _post_card(interaction: discord.Interaction, outcome: TeamOutcome) -> None:
    if not outcome.ok or outcome.team is None:
        await refuse(interaction, outcome)
        return
    team = outcome.team
    screen = team_card(team)
    response = interaction.response
    if not response.is_done():
        callback = await response.send_message(**message_kwargs(screen))
        message_id = callback.message_id
    else:  # deferred: the public "thinking" placeholder becomes the card
        message_id = (await interaction.edit_original_response(**message_kwargs(screen))).id
    if message_id is None:
        log.warning("Discord team card %s: posted, but Discord did not say its id (it will not be edited)", team.id)
        return
    app = app_of(interaction)
    await asyncio.to_thread(app.advisor.set_team_card, card_scope(interaction), team.id, str(message_id))
    cards = cards_of(interaction.client)
    cards.posted_card(team.id, screen)
    cards.touch(card_scope(interaction), team.id)  # anyone who finished before the card's id was kept


async def answer(interaction: discord.Interaction, team_id: str) -> None:
    """Answer: the clicker's own private conversation for this decision (a new one each time)."""
    app = app_of(interaction)
    outcome = await call(interaction, app.advisor.join_team, card_scope(interaction), team_id, user_of(interaction),
                         name_of(interaction), defer="thinking")
    if not outcome.ok or outcome.conversation is None:
        await refuse(interaction, outcome)
        return
    interaction.extras["team"] = team_id  # its buttons carry the team (reply.ctx)
    await send(interaction, screen_of(interaction, outcome.conversation), ephemeral=True)


async def close(interaction: discord.Interaction, team_id: str) -> None:
    """Close and decide: the starter's; the card closes and the channel gets the result."""
    app = app_of(interaction)
    outcome = await call(interaction, app.advisor.close_team, card_scope(interaction), team_id,
                         user_of(interaction), defer="update")
    if not outcome.ok or outcome.team is None or outcome.result is None:
        await refuse(interaction, outcome)
        return
    team = outcome.team
    # The result goes out as the click's public follow-up, which needs no channel permission of
    # the bot (as Share does); if that cannot be (the card was deleted under the click, say), as the bot.
    post: Callable[..., Awaitable[Any]] | None = functools.partial(interaction.followup.send, ephemeral=False)
    try:
        await update(interaction, team_card(team))
    except discord.NotFound:
        log.info("Discord team card %s is gone; posting the result as the bot", team.id)
        post = None
    try:
        await publish(interaction.client, outcome, post)
    except discord.HTTPException as exc:
        if post is None:
            raise
        log.info("Discord team result: the follow-up was refused (HTTP %s); posting it as the bot", exc.status)
        await publish(interaction.client, outcome)


async def export(interaction: discord.Interaction, team_id: str) -> None:
    app = app_of(interaction)
    outcome = await call(interaction, app.advisor.team_export, card_scope(interaction), team_id, defer="thinking")
    if outcome.record is None:
        await note(interaction, outcome.message)
        return
    await send_record(interaction, outcome.record)


async def compare(interaction: discord.Interaction, team_id: str) -> None:
    app = app_of(interaction)
    outcome = await call(interaction, app.advisor.team_matrix, card_scope(interaction), team_id, defer="thinking")
    screen = info(outcome.reply) if outcome.reply is not None else render.note(outcome.message)
    await send(interaction, screen, ephemeral=True)


async def whatif(interaction: discord.Interaction, team_id: str, question: str, option: str) -> None:
    app = app_of(interaction)
    outcome = await call(interaction, app.advisor.team_whatif, card_scope(interaction), team_id, question, option,
                         defer="thinking")
    if isinstance(outcome.reply, WhatIfReply):
        await send(interaction, team_whatif(outcome.reply), ephemeral=True)
    else:
        await note(interaction, outcome.message)


