"""A result's other buttons: Export, "Compare top 3" and what-if. None of them saves anything."""
from __future__ import annotations

import io

import discord

from bot.engine.replies import WhatIfReply
from bot.export import DecisionRecord
from bot.service.outcome import Ref

from . import render
from bot.adapters.discord.render.info import info
from bot.adapters.discord.render.result import export_note, whatif as render_whatif
from .reply import NO_MENTIONS, app_of, ctx, screen_of, send, team_of, update
from .steps import click


async def export(interaction: discord.Interaction, ref: Ref) -> None:
    """The decision record as a .md attachment on a new ephemeral message; nothing changes."""
    name = getattr(interaction.user, "display_name", "") or interaction.user.name
    outcome = await click(interaction, app_of(interaction).advisor.export, [name], ref)
    if outcome is None or outcome.record is None:
        return
    await send_record(interaction, outcome.record)


async def send_record(interaction: discord.Interaction, record: DecisionRecord) -> None:
    """A decision record as a .md attachment on a new ephemeral message (a result's or a team's)."""
    file = discord.File(io.BytesIO(record.markdown.encode("utf-8")), filename=record.filename,
                        description="Decision record (MADR 4.0)")
    text = export_note(record.filename)
    if not interaction.response.is_done():
        await interaction.response.send_message(text, file=file, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.followup.send(text, file=file, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def matrix(interaction: discord.Interaction, ref: Ref) -> None:
    """"Compare top 3" as a new ephemeral message; the result stays as it is."""
    outcome = await click(interaction, app_of(interaction).advisor.matrix, ref)
    if outcome is not None:
        screen = info(outcome.reply) if outcome.reply is not None else render.note(outcome.message)
        await send(interaction, screen, ephemeral=True)


async def whatif(interaction: discord.Interaction, ref: Ref, question: str, option: str) -> None:
    """The result with one answer changed, in place of the result; "Back to my answers"
    (nav:cancel) shows the step again. Nothing is saved, so `ref` stays current."""
    outcome = await click(interaction, app_of(interaction).advisor.whatif, question, option, ref)
    if outcome is not None and isinstance(outcome.reply, WhatIfReply):
        await update(interaction, render_whatif(outcome.reply, ctx(app_of(interaction).knowledge(), outcome,
                                                                 team=team_of(interaction))))
    elif outcome is not None:  # "already_shared" shows the result again, not a what-if
        await update(interaction, screen_of(interaction, outcome))
