"""The /framework app-command group: start [text], team [description] [deadline], about <framework>,
compare <a> <b> [c], help.

Registration with Discord is explicit (`python -m bot discord sync`), never on start-up.
The group is registered for both installation types (a server adds the app, or a user adds
it to their account) and every context (servers, DMs with the bot, group DMs), so anyone
can run `/framework start` anywhere without an admin installing it. See share for what
changes where the bot itself is not in the server.
"""
from __future__ import annotations

from collections.abc import Callable

import discord
from discord import app_commands

from bot import engine
from bot.engine.errors import EngineError
from bot.engine.model import Knowledge
from bot.engine.replies import Reply

from bot.adapters.discord.render.info import DESCRIPTIONS, info
from bot.adapters.discord.render.text import clip
from .notes import note, on_error
from .reply import app_of, send
from .steps import start as start_conversation
from .team import start as start_team

TEXT_MAX = 2000  # longer descriptions are cut before they reach the engine
# /framework team's deadline choices: the value names a number of seconds here.
DEADLINES: dict[str, float | None] = {"none": None, "1h": 3600.0, "24h": 86400.0, "3d": 3 * 86400.0}
DEADLINE_CHOICES = [app_commands.Choice(name=name, value=value) for name, value in (
    ("No deadline: I close it", "none"), ("1 hour", "1h"), ("24 hours", "24h"), ("3 days", "3d"))]
# integration_types [0, 1] and contexts [0, 1, 2] in the registration payload.
INSTALLS = app_commands.AppInstallationType(guild=True, user=True)
CONTEXTS = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)


async def framework_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    knowledge = app_of(interaction).knowledge()
    wanted = (current or "").strip().lower()
    return [
        app_commands.Choice(name=clip(f.name, 100), value=f.id)
        for f in knowledge.frameworks
        if not wanted or wanted in f.id.lower() or wanted in f.name.lower()
    ][:25]


def make_group() -> app_commands.Group:
    # Descriptions come from COMMANDS, the list /framework help shows.
    group = app_commands.Group(name="framework", description="Choose a Python web framework for your project",
                               allowed_installs=INSTALLS, allowed_contexts=CONTEXTS)

    @group.command(name="start", description=DESCRIPTIONS["start"])
    @app_commands.describe(text="Optional: describe your project in a sentence to pre-answer questions")
    async def start(interaction: discord.Interaction, text: str | None = None) -> None:
        await start_conversation(interaction, (text or "")[:TEXT_MAX])

    @group.command(name="team", description=DESCRIPTIONS["team"])
    @app_commands.describe(description="Optional: what the team is choosing a framework for",
                           deadline="Optional: close by itself after this long")
    @app_commands.choices(deadline=DEADLINE_CHOICES)
    async def team(interaction: discord.Interaction, description: str | None = None,
                   deadline: app_commands.Choice[str] | None = None) -> None:
        seconds = DEADLINES.get(deadline.value) if deadline is not None else None
        await start_team(interaction, (description or "")[:TEXT_MAX], seconds)

    @group.command(name="about", description=DESCRIPTIONS["about"])
    @app_commands.describe(framework="The framework")
    @app_commands.autocomplete(framework=framework_choices)
    async def about(interaction: discord.Interaction, framework: str) -> None:
        await _info(interaction, lambda k: engine.about(k, framework))

    @group.command(name="compare", description=DESCRIPTIONS["compare"])
    @app_commands.describe(a="First framework", b="Second framework", c="Optional third framework")
    @app_commands.autocomplete(a=framework_choices, b=framework_choices, c=framework_choices)
    async def compare(interaction: discord.Interaction, a: str, b: str, c: str | None = None) -> None:
        await _info(interaction, lambda k: engine.compare(k, [a, b, c] if c else [a, b]))

    @group.command(name="help", description=DESCRIPTIONS["help"])
    async def help_(interaction: discord.Interaction) -> None:
        await _info(interaction, engine.help_reply)

    return group


async def _info(interaction: discord.Interaction, make: Callable[[Knowledge], Reply]) -> None:
    """about/compare/help read only the knowledge (pure, fast): answer at once, privately."""
    try:
        reply = make(app_of(interaction).knowledge())
    except EngineError as exc:
        await note(interaction, str(exc))
        return
    await send(interaction, info(reply), ephemeral=True)


def install(tree: app_commands.CommandTree) -> None:
    tree.add_command(make_group())

    @tree.error
    async def on_tree_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await on_error(interaction, error)
