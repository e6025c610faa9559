"""mrkdwn and plain-text building blocks: escaping, clipping to Slack's limits, links.

Every mrkdwn string goes through `escape()` (`&`, `<`, `>`, and `@channel`-style words
are defused), so nothing a user typed can become a mention, a broadcast or a link. The
only markup emitted is what the render modules build themselves: bold, bullets and
`<url|title>` links from the knowledge.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, PlainTextObject, SectionBlock

from bot.engine.model import Link
from bot.engine.replies import Prefill

SECTION_MAX = 3000
FIELD_MAX = 2000
LABEL_MAX = 75
HEADER_MAX = 150
CONTEXT_MAX = 2000  # per text element; Slack does not document one, stay well clear
FALLBACK_MAX = 3000

_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)


def escape(text: object) -> str:
    """Make any text inert in mrkdwn: Slack's three control characters, and the bare
    `@here`-style words (a zero-width joiner keeps them readable but not parsed)."""
    out = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub(lambda m: "@\u200d" + m.group(1), out)


_CHANNEL_REF = re.compile(r"&lt;#([CG][A-Z0-9]{2,20})&gt;")


def escape_keeping_channels(text: object) -> str:
    """`escape`, except that channel references (`<#C123>`) stay links: the service's notes name
    where a team result was posted with the id Slack gave it. A channel reference pings nobody."""
    return _CHANNEL_REF.sub(r"<#\1>", escape(text))


def clip(text: str, limit: int) -> str:
    """Shorten to `limit` characters, ending with an ellipsis; never cut an &-entity."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "\u2026"


def plain(text: str, limit: int = LABEL_MAX) -> PlainTextObject:
    # plain_text is never parsed for mentions or links: no escaping, only clipping.
    return PlainTextObject(text=clip(" ".join(str(text).split()) or "-", limit), emoji=True)


def md(text: str, limit: int = SECTION_MAX) -> MarkdownTextObject:
    """`text` must already be escaped (or built from escaped parts)."""
    return MarkdownTextObject(text=clip(text, limit) or " ")


def link(item: Link) -> str:
    """A real Slack link built from knowledge; anything that is not http(s) stays plain text."""
    title = escape(item.title).replace("|", "/")
    if not re.match(r"^https?://[^\s]+$", item.url):
        return title
    url = item.url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")
    return f"<{url}|{title}>"


def bullets(items: Iterable[str]) -> str:
    return "\n".join(f"\u2022 {escape(i)}" for i in items)


def link_bullets(links: Iterable[Link]) -> str:
    return "\n".join(f"\u2022 {link(x)}" for x in links)


def section(title: str, body: str, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(text=md(f"*{escape(title)}*\n{body}"), block_id=block_id)


def context(text: str) -> ContextBlock:
    """A grey footnote line; `text` must already be escaped."""
    return ContextBlock(elements=[md(text, CONTEXT_MAX)])


def prefill_note(prefilled: Sequence[Prefill]) -> ContextBlock:
    took = "; ".join(f"*{escape(p.question_short)}:* {escape(p.option_label)} "
                     f"(from \u201c{escape(p.keyword)}\u201d)" for p in prefilled)
    return context(f"From your description I took: {took}. Use Back to change these.")
