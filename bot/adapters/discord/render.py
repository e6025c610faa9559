"""Replies as Discord messages. Pure: an engine reply in, plain data and discord.Embed out.

Nothing here talks to Discord. Every string that reaches a message goes through
`safe()` (markdown and mentions escaped) and is clipped to Discord's limits, which
discord.py does not check (button label 80, option label/description/value 100,
placeholder 150, content 2000, embed fields 1024, embed total 6000).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import discord

from bot.engine.replies import AboutReply, CompareReply, HelpReply, QuestionReply, Recommendation, Reply

from . import ids

CONTENT_MAX = 2000
LABEL_MAX = 80
OPTION_MAX = 100
PLACEHOLDER_MAX = 150
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
BUTTONS_PER_ROW = 5
ROWS_MAX = 5

COLOUR = 0x3B7A57

# The Discord commands, as the /framework group registers them (see commands.py).
COMMANDS: tuple[tuple[str, str], ...] = (
    ("/framework start [text]", "Start a private conversation; a sentence about your project pre-answers questions"),
    ("/framework about <framework>", "What a framework is, its strengths, caveats and links"),
    ("/framework compare <a> <b>", "Two frameworks side by side"),
    ("/framework help", "This help"),
)

Style = Literal["primary", "secondary", "success", "danger"]


@dataclass(frozen=True)
class ButtonSpec:
    custom_id: str
    label: str
    style: Style = "secondary"
    row: int = 0
    disabled: bool = False


@dataclass(frozen=True)
class SelectOptionSpec:
    label: str
    value: str
    description: str = ""


@dataclass(frozen=True)
class SelectSpec:
    custom_id: str
    placeholder: str
    options: tuple[SelectOptionSpec, ...]
    row: int = 0


Component = ButtonSpec | SelectSpec


@dataclass
class Screen:
    """One message: content, at most one embed, components (rows 0-4)."""

    content: str = ""
    embed: discord.Embed | None = None
    components: tuple[Component, ...] = field(default_factory=tuple)


def clip(text: str, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def safe(text: str, limit: int | None = None) -> str:
    """Text escaped for Discord markdown and mentions: no formatting, no pings."""
    out = discord.utils.escape_mentions(discord.utils.escape_markdown(text or "", ignore_links=False))
    return clip(out, limit) if limit else out


def plain(text: str, limit: int) -> str:
    """For places Discord never renders markdown (labels, placeholders, footers): only mentions
    are neutralised; clipped."""
    return clip(discord.utils.escape_mentions(" ".join((text or "").split())), limit)


def _bullets(items: tuple[str, ...] | list[str], limit: int = FIELD_VALUE_MAX) -> str:
    lines: list[str] = []
    used = 0
    for item in items:
        line = "\u2022 " + safe(item, 400)
        if used + len(line) + 1 > limit:
            lines.append("\u2026")
            break
        lines.append(line)
        used += len(line) + 1
    return clip("\n".join(lines), limit)


def _link(title: str, url: str) -> str:
    ok = url.startswith(("https://", "http://")) and not any(c in url for c in " ()<>\n\t")
    name = safe(title, 100)
    return f"[{name}]({url})" if ok and len(url) <= 512 else name


def _links(links) -> str:  # noqa: ANN001
    out: list[str] = []
    for link in links:
        item = "\u2022 " + _link(link.title, link.url)
        if sum(len(x) + 1 for x in out) + len(item) > FIELD_VALUE_MAX:
            break
        out.append(item)
    return "\n".join(out)


def _field(embed: discord.Embed, name: str, value: str, inline: bool = False) -> None:
    if value and len(embed.fields) < 25:
        embed.add_field(name=clip(name, FIELD_NAME_MAX), value=clip(value, FIELD_VALUE_MAX), inline=inline)


def fit(embed: discord.Embed) -> discord.Embed:
    """Drop trailing fields until the embed is within Discord's 6000-character total."""
    while len(embed) > EMBED_TOTAL_MAX and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > EMBED_TOTAL_MAX and embed.description:
        embed.description = clip(embed.description, max(1, len(embed.description) - (len(embed) - EMBED_TOTAL_MAX)))
    return embed


def _prefilled_text(prefilled) -> str:  # noqa: ANN001
    took = "; ".join(f"{p.question_short}: {p.option_label} (from \u201c{p.keyword}\u201d)" for p in prefilled)
    return took


# ---- the conversation ---------------------------------------------------------------------------------------


def question(reply: QuestionReply, session: str, version: int) -> Screen:
    parts: list[str] = []
    if reply.prefilled:
        parts.append(safe("From your description I took: " + _prefilled_text(reply.prefilled)
                          + ". Use Back to change these.", 700))
    heading = f"Question {reply.asked}" + (" (refining)" if reply.refining else "")
    parts.append(f"**{heading}**")
    parts.append(f"**{safe(reply.text, 600)}**")
    if reply.help:
        parts.append("-# " + safe(" ".join(reply.help.split()), 600))
    content = clip("\n".join(parts), CONTENT_MAX)

    components: list[Component] = []
    if len(reply.options) > BUTTONS_PER_ROW:
        components.append(SelectSpec(
            custom_id=ids.select(session, version, reply.question_id),
            placeholder=plain("Choose an answer\u2026", PLACEHOLDER_MAX),
            options=tuple(SelectOptionSpec(plain(o.label, OPTION_MAX), o.id) for o in reply.options[:25]),
            row=0,
        ))
    else:
        for option in reply.options:
            components.append(ButtonSpec(ids.answer(session, version, reply.question_id, option.id),
                                         plain(option.label, LABEL_MAX), "primary", 0))
    components += [
        ButtonSpec(ids.nav(session, version, "skip"), "Not sure / skip", "secondary", 1),
        ButtonSpec(ids.nav(session, version, "back"), "Back", "secondary", 1, disabled=not reply.can_back),
        ButtonSpec(ids.nav(session, version, "restart"), "Restart", "danger", 1),
    ]
    return Screen(content=content, components=tuple(components))


def recommendation_embed(reply: Recommendation) -> discord.Embed:
    asked = f"{reply.questions_asked} question{'s' if reply.questions_asked != 1 else ''} asked"
    description = safe(reply.summary, 1500) if reply.summary else ""
    embed = discord.Embed(
        title=clip(f"{plain(reply.name, 100)} \u2014 recommended for your project", TITLE_MAX),
        description=clip(description, DESCRIPTION_MAX) or None,
        colour=COLOUR,
    )
    if reply.runner_up_name:
        _field(embed, "Runner-up", safe(reply.runner_up_name, 200), inline=True)
    _field(embed, "Confidence", safe(f"{reply.confidence} ({asked})", 200), inline=True)
    ranking = ", ".join(f"{r.name} {r.score:.0%}" for r in reply.ranking if not r.vetoed)
    _field(embed, "Ranking", safe(ranking, FIELD_VALUE_MAX))
    _field(embed, "Why", _bullets(reply.reasons))
    _field(embed, "Caveats", _bullets(reply.caveats))
    _field(embed, "What would change the answer", _bullets(reply.flips))
    _field(embed, "Links", _links(reply.links))
    if reply.prefilled:
        embed.set_footer(text=plain("From your description: " + _prefilled_text(reply.prefilled), FOOTER_MAX))
    return fit(embed)


def recommendation(reply: Recommendation, session: str, version: int) -> Screen:
    components: list[Component] = [ButtonSpec(ids.share(session, version), "Share in channel", "success", 0)]
    if reply.can_refine:
        components.append(ButtonSpec(ids.nav(session, version, "more"), "More questions", "primary", 0))
    components += [
        ButtonSpec(ids.nav(session, version, "back"), "Back", "secondary", 0),
        ButtonSpec(ids.nav(session, version, "restart"), "Restart", "danger", 0),
    ]
    return Screen(embed=recommendation_embed(reply), components=tuple(components))


def conversation(reply: Reply, session: str, version: int) -> Screen:
    """The private conversation message for a step: a question or the recommendation."""
    if isinstance(reply, QuestionReply):
        return question(reply, session, version)
    if isinstance(reply, Recommendation):
        return recommendation(reply, session, version)
    return info(reply)


def shared(reply: Recommendation) -> Screen:
    """The public message the Share button posts: the recommendation, no components."""
    return Screen(content="A /framework recommendation:", embed=recommendation_embed(reply))


# ---- about, compare, help -----------------------------------------------------------------------------------


def about(reply: AboutReply) -> discord.Embed:
    f = reply.framework
    description = safe(f.summary, 600)
    if f.description:
        description += "\n\n" + safe(f.description, 2500)
    embed = discord.Embed(title=clip(plain(f.name, 200), TITLE_MAX), description=clip(description, DESCRIPTION_MAX),
                          colour=COLOUR)
    _field(embed, "First release", safe(str(f.first_release or "unknown"), 50), inline=True)
    _field(embed, "Spectrum", safe(f.spectrum or "-", 100), inline=True)
    _field(embed, "Backing", safe(f.backing or "-", 300), inline=True)
    _field(embed, "Built in", safe(", ".join(f.built_in), FIELD_VALUE_MAX))
    _field(embed, "Consider it if", _bullets(f.consider))
    _field(embed, "Think twice if", _bullets(f.think_twice))
    _field(embed, "Links", _links(f.links))
    return fit(embed)


def compare(reply: CompareReply) -> discord.Embed:
    embed = discord.Embed(title=clip(" vs ".join(plain(n, 80) for n in reply.names), TITLE_MAX), colour=COLOUR)
    share = max(40, (FIELD_VALUE_MAX - 20) // max(1, len(reply.names)))
    for row in reply.rows:
        value = "\n".join(f"**{safe(name, 80)}**: {safe(v, share - len(name) - 10)}"
                          for name, v in zip(reply.names, row.values))
        _field(embed, safe(row.label, FIELD_NAME_MAX), value)
    return fit(embed)


def help_embed(reply: HelpReply) -> discord.Embed:
    embed = discord.Embed(title="Framework Advisor", colour=COLOUR,
                          description="I help you choose a Python web framework by asking a few questions.")
    _field(embed, "Commands", "\n".join(f"`{usage}` \u2014 {safe(what, 200)}" for usage, what in COMMANDS))
    _field(embed, "Frameworks I know", safe(", ".join(name for _, name in reply.frameworks), FIELD_VALUE_MAX))
    return fit(embed)


def info(reply: Reply) -> Screen:
    if isinstance(reply, AboutReply):
        return Screen(embed=about(reply))
    if isinstance(reply, CompareReply):
        return Screen(embed=compare(reply))
    if isinstance(reply, HelpReply):
        return Screen(embed=help_embed(reply))
    raise TypeError(f"cannot render {type(reply).__name__}")


def note(message: str) -> Screen:
    """A short private note (stale click, someone else's conversation, an error)."""
    return Screen(content=safe(message, 500))


def all_custom_ids(screen: Screen) -> list[str]:
    return [c.custom_id for c in screen.components]
