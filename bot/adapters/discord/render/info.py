"""Knowledge-only replies as embeds: about, compare, and help with Discord's own commands."""
from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.engine.replies import AboutReply, CompareReply, HelpReply, Reply

from .screen import Screen
from .text import (
    COLOUR, DESCRIPTION_MAX, FIELD_NAME_MAX, FIELD_VALUE_MAX, TITLE_MAX, add_field, bullets, clip, fit, links,
    plain, safe,
)


@dataclass(frozen=True)
class Command:
    """A /framework subcommand. `description` is also what commands.py registers, so the
    command picker and the help say the same thing."""

    name: str
    args: str
    description: str

    @property
    def usage(self) -> str:
        return f"/framework {self.name} {self.args}".rstrip()


# The engine's help lists Slack's syntax (/framework <text>, restart); Discord has a
# command group instead, so its help lists these.
COMMANDS: tuple[Command, ...] = (
    Command("start", "[text]", "Start a private conversation; a sentence about your project pre-answers questions"),
    Command("about", "<framework>", "What a framework is, its strengths, caveats and links"),
    Command("compare", "<a> <b>", "Two frameworks side by side"),
    Command("help", "", "What this bot can do"),
)
DESCRIPTIONS = {c.name: c.description for c in COMMANDS}


def about(reply: AboutReply) -> discord.Embed:
    f = reply.framework
    description = safe(f.summary, 600)
    if f.description:
        description += "\n\n" + safe(f.description, 2500)
    embed = discord.Embed(title=clip(plain(f.name, 200), TITLE_MAX), description=clip(description, DESCRIPTION_MAX),
                          colour=COLOUR)
    add_field(embed, "First release", safe(str(f.first_release or "unknown"), 50), inline=True)
    add_field(embed, "Spectrum", safe(f.spectrum or "-", 100), inline=True)
    add_field(embed, "Backing", safe(f.backing or "-", 300), inline=True)
    add_field(embed, "Built in", safe(", ".join(f.built_in), FIELD_VALUE_MAX))
    add_field(embed, "Consider it if", bullets(f.consider))
    add_field(embed, "Think twice if", bullets(f.think_twice))
    add_field(embed, "Links", links(f.links))
    return fit(embed)


def compare(reply: CompareReply) -> discord.Embed:
    embed = discord.Embed(title=clip(" vs ".join(plain(n, 80) for n in reply.names), TITLE_MAX), colour=COLOUR)
    share = max(40, (FIELD_VALUE_MAX - 20) // max(1, len(reply.names)))
    for row in reply.rows:
        value = "\n".join(f"**{safe(name, 80)}**: {safe(v, share - len(name) - 10)}"
                          for name, v in zip(reply.names, row.values))
        add_field(embed, safe(row.label, FIELD_NAME_MAX), value)
    return fit(embed)


def help_embed(reply: HelpReply) -> discord.Embed:
    # reply.commands is the engine's Slack-syntax list: only the frameworks are used here.
    embed = discord.Embed(title="Framework Advisor", colour=COLOUR,
                          description="I help you choose a Python web framework by asking a few questions.")
    add_field(embed, "Commands", "\n".join(f"`{c.usage}` \u2014 {safe(c.description, 200)}" for c in COMMANDS))
    add_field(embed, "Frameworks I know", safe(", ".join(name for _, name in reply.frameworks), FIELD_VALUE_MAX))
    return fit(embed)


def info(reply: Reply) -> Screen:
    if isinstance(reply, AboutReply):
        return Screen(embed=about(reply))
    if isinstance(reply, CompareReply):
        return Screen(embed=compare(reply))
    if isinstance(reply, HelpReply):
        return Screen(embed=help_embed(reply))
    raise TypeError(f"cannot render {type(reply).__name__}")
