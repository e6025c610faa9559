"""Text for Discord: markdown and mention escaping, and clipping to Discord's limits,
which discord.py does not check (button label 80, option label/description/value 100,
placeholder 150, content 2000, embed fields 1024, embed total 6000).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import discord

from bot.engine.model import Link
from bot.engine.replies import Prefill

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

COLOUR = 0x3B7A57


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


def bullets(items: Sequence[str], limit: int = FIELD_VALUE_MAX) -> str:
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


def link(title: str, url: str) -> str:
    ok = url.startswith(("https://", "http://")) and not any(c in url for c in " ()<>\n\t")
    name = safe(title, 100)
    return f"[{name}]({url})" if ok and len(url) <= 512 else name


def links(items: Iterable[Link]) -> str:
    out: list[str] = []
    for item in items:
        line = "\u2022 " + link(item.title, item.url)
        if sum(len(x) + 1 for x in out) + len(line) > FIELD_VALUE_MAX:
            break
        out.append(line)
    return "\n".join(out)


def add_field(embed: discord.Embed, name: str, value: str, inline: bool = False) -> None:
    """Add a field if it has something to say and the embed has room (25 fields at most)."""
    if value and len(embed.fields) < 25:
        embed.add_field(name=clip(name, FIELD_NAME_MAX), value=clip(value, FIELD_VALUE_MAX), inline=inline)


def fit(embed: discord.Embed) -> discord.Embed:
    """Drop trailing fields until the embed is within Discord's 6000-character total."""
    while len(embed) > EMBED_TOTAL_MAX and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > EMBED_TOTAL_MAX and embed.description:
        embed.description = clip(embed.description, max(1, len(embed.description) - (len(embed) - EMBED_TOTAL_MAX)))
    return embed


def prefilled_text(prefilled: Sequence[Prefill]) -> str:
    return "; ".join(f"{p.question_short}: {p.option_label} (from \u201c{p.keyword}\u201d)" for p in prefilled)
