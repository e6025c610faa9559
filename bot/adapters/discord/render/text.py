"""Text for Discord: markdown and mention escaping, and clipping to Discord's limits,
which discord.py does not check (button label 80, option label/description/value 100,
placeholder 150; a text display shares the message's 4,000 characters, see screen).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import discord

from bot.engine.model import Link
from bot.engine.replies import Prefill

LABEL_MAX = 80
OPTION_MAX = 100
PLACEHOLDER_MAX = 150
SECTION_MAX = 1200  # one result section (why, think twice, ...) before the message-wide fit
NOTE_MAX = 500


def clip(text: str, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def clip_lines(text: str, limit: int) -> str:
    """Like clip, but cut at the end of a line when one ends in the second half, so a list
    loses whole bullets rather than half of one."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit - 1)
    if cut >= limit // 2:
        return text[:cut] + "\n\u2026"
    return clip(text, limit)


# discord.utils.escape_mentions only knows 17-20 digit ids; Discord parses <@&123>, <@!1>, <@1>
# and <#1> whatever the length. A zero-width space after "@" / "#" keeps them readable, inert.
_MENTION = re.compile(r"@(everyone|here|[!&]?[0-9]+)|<#([0-9]+)>")


def escape_mentions(text: str) -> str:
    return _MENTION.sub(lambda m: f"@\u200b{m.group(1)}" if m.group(1) else f"<#\u200b{m.group(2)}>", text)


def safe(text: str, limit: int | None = None) -> str:
    """Text escaped for Discord markdown and mentions: no formatting, no pings."""
    out = escape_mentions(discord.utils.escape_markdown(text or "", ignore_links=False))
    return clip(out, limit) if limit else out


def with_channel_links(escaped: str) -> str:
    """Channel references (<#id>) made links again after `safe()`: only for text the service
    built from ids Discord gave (a team decision's "the result is in #channel"), never user text."""
    return re.sub(r"<#\u200b([0-9]+)>", r"<#\1>", escaped)


def plain(text: str, limit: int) -> str:
    """For places Discord never renders markdown (labels, placeholders): only mentions
    are neutralised; clipped."""
    return clip(escape_mentions(" ".join((text or "").split())), limit) or "-"


def bullets(items: Sequence[str], limit: int = SECTION_MAX) -> str:
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


def links(items: Iterable[Link], limit: int = SECTION_MAX) -> str:
    out: list[str] = []
    for item in items:
        line = "\u2022 " + link(item.title, item.url)
        if sum(len(x) + 1 for x in out) + len(line) > limit:
            break
        out.append(line)
    return "\n".join(out)


def section(title: str, body: str) -> str:
    """A titled part of a message; empty when there is nothing to say."""
    return f"**{safe(title)}**\n{body}" if body else ""


def prefilled_text(prefilled: Sequence[Prefill]) -> str:
    return "; ".join(f"{p.question_short}: {p.option_label} (from \u201c{p.keyword}\u201d)" for p in prefilled)
