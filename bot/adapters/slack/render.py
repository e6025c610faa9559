"""Replies as Block Kit. Pure: a reply dataclass (plus the interaction token) in, blocks out.

Blocks are built with slack_sdk.models.blocks, so Slack's limits are checked when
`as_dicts()` (or Bolt's `respond` / the Web client) serialises them. Texts that could
exceed a limit are clipped here first, so a long knowledge text degrades instead of
failing.

Every mrkdwn string goes through `escape()` (`&`, `<`, `>`, and `@channel`-style words
are defused), so nothing a user typed can become a mention, a broadcast or a link. The
only markup emitted is what this module builds itself: bold, bullets and `<url|title>`
links from the knowledge.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)

from bot.engine.model import Link
from bot.engine.replies import (
    AboutReply,
    CompareReply,
    HelpReply,
    Prefill,
    QuestionReply,
    Recommendation,
    Reply,
)

from . import ids

MAX_BUTTONS = 5  # more options than this: a static select
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


def section(title: str, body: str, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(text=md(f"*{escape(title)}*\n{body}"), block_id=block_id)


# -- questions ---------------------------------------------------------------------


def _prefill_note(prefilled: Sequence[Prefill]) -> ContextBlock:
    took = "; ".join(f"*{escape(p.question_short)}:* {escape(p.option_label)} "
                     f"(from \u201c{escape(p.keyword)}\u201d)" for p in prefilled)
    return ContextBlock(elements=[md(f"From your description I took: {took}. Use Back to change these.",
                                     CONTEXT_MAX)])


def question(reply: QuestionReply, tok: str) -> list[Block]:
    blocks: list[Block] = []
    if reply.prefilled:
        blocks.append(_prefill_note(reply.prefilled))
    lead = "One more question to refine it. " if reply.refining else ""
    blocks.append(SectionBlock(text=md(f"{lead}*Q{reply.asked}.* {escape(reply.text)}"),
                               block_id=f"question|{reply.question_id}"[:255]))
    if reply.help:
        blocks.append(ContextBlock(elements=[md(escape(reply.help), CONTEXT_MAX)]))
    if len(reply.options) <= MAX_BUTTONS:
        elements: list[Any] = [
            ButtonElement(text=plain(o.label), action_id=ids.answer_id(reply.question_id, o.id), value=tok)
            for o in reply.options
        ]
    else:
        elements = [StaticSelectElement(
            placeholder=plain("Choose an answer"),
            action_id=ids.answer_id(reply.question_id),
            options=[Option(value=o.id, text=plain(o.label)) for o in reply.options],
        )]
    blocks.append(ActionsBlock(elements=elements, block_id=ids.block_id("answers", tok)))
    blocks.append(ActionsBlock(elements=[
        ButtonElement(text=plain("Not sure / skip"), action_id=ids.nav_id("skip"), value=tok),
        ButtonElement(text=plain("Back"), action_id=ids.nav_id("back"), value=tok),
        ButtonElement(text=plain("Restart"), action_id=ids.nav_id("restart"), value=tok),
    ], block_id=ids.block_id("nav", tok)))
    return blocks


# -- recommendation ------------------------------------------------------------------


def recommendation(reply: Recommendation, tok: str | None = None, *, shared_by: str = "") -> list[Block]:
    """The result. With `tok`: the private/thread version with Share, More questions, Back
    and Restart. Without: the shared, button-less version (`shared_by` a Slack user id)."""
    blocks: list[Block] = [HeaderBlock(text=plain(f"Recommendation: {reply.name}", HEADER_MAX))]
    pick = [f"*Pick:* {escape(reply.name)} (confidence: {escape(reply.confidence)})"]
    if reply.runner_up_name:
        pick.append(f"*Runner-up:* {escape(reply.runner_up_name)}")
    if reply.summary:
        pick.append(escape(reply.summary))
    blocks.append(SectionBlock(text=md("\n".join(pick)), block_id=f"recommendation:{reply.framework}"[:255]))
    if reply.prefilled:
        blocks.append(_prefill_note(reply.prefilled))
    for title, items, bid in (("Why", reply.reasons, "reasons"), ("Think twice", reply.caveats, "caveats"),
                              ("What would change the answer", reply.flips, "flips")):
        if items:
            blocks.append(section(title, bullets(items), bid))
    if reply.links:
        blocks.append(section("Links", "\n".join(f"\u2022 {link(x)}" for x in reply.links), "links"))
    ranking = ", ".join(f"{escape(r.name)} {r.score:.0%}" for r in reply.ranking if not r.vetoed)
    asked = f"{reply.questions_asked} question{'s' if reply.questions_asked != 1 else ''} asked"
    context = f"{asked}. Ranking: {ranking}" if ranking else asked
    if shared_by and re.fullmatch(r"[UW][A-Z0-9]{2,20}", shared_by):
        context = f"Shared by <@{shared_by}>. {context}"  # an id we received from Slack, not typed text
    blocks.append(ContextBlock(elements=[md(context, CONTEXT_MAX)]))
    if tok is not None:
        buttons = [ButtonElement(text=plain("Share with the channel"), action_id=ids.SHARE, value=tok,
                                 style="primary")]
        if reply.can_refine:
            buttons.append(ButtonElement(text=plain("More questions"), action_id=ids.nav_id("more"), value=tok))
        buttons += [ButtonElement(text=plain("Back"), action_id=ids.nav_id("back"), value=tok),
                    ButtonElement(text=plain("Restart"), action_id=ids.nav_id("restart"), value=tok)]
        blocks.append(ActionsBlock(elements=buttons, block_id=ids.block_id("done", tok)))
    return blocks


# -- about, compare, help ------------------------------------------------------------------


def about(reply: AboutReply) -> list[Block]:
    f = reply.framework
    blocks: list[Block] = [HeaderBlock(text=plain(f.name, HEADER_MAX))]
    text = f"*{escape(f.summary)}*"
    if f.description:
        text += f"\n{escape(f.description)}"
    blocks.append(SectionBlock(text=md(text), block_id=f"about:{f.id}"[:255], fields=[
        md(f"*First release*\n{escape(f.first_release or 'unknown')}", FIELD_MAX),
        md(f"*Spectrum*\n{escape(f.spectrum or '-')}", FIELD_MAX),
        md(f"*Backing*\n{escape(f.backing or '-')}", FIELD_MAX),
        md(f"*Built in*\n{escape(', '.join(f.built_in) or 'routing only')}", FIELD_MAX),
    ]))
    if f.consider:
        blocks.append(section("Consider it if", bullets(f.consider)))
    if f.think_twice:
        blocks.append(section("Think twice if", bullets(f.think_twice)))
    if f.links:
        blocks.append(section("Links", "\n".join(f"\u2022 {link(x)}" for x in f.links)))
    return blocks


def compare(reply: CompareReply) -> list[Block]:
    blocks: list[Block] = [HeaderBlock(text=plain(" vs ".join(reply.names), HEADER_MAX))]
    for n, row in enumerate(reply.rows[:45]):  # 50 blocks per message
        blocks.append(SectionBlock(
            text=md(f"*{escape(row.label)}*"),
            block_id=f"compare:{n}",
            fields=[md(f"*{escape(name)}*\n{escape(value)}", FIELD_MAX)
                    for name, value in list(zip(reply.names, row.values))[:10]],
        ))
    return blocks


def help_(reply: HelpReply) -> list[Block]:
    lines = "\n".join(f"\u2022 `{escape(usage)}` \u2014 {escape(what)}" for usage, what in reply.commands)
    names = ", ".join(escape(name) for _, name in reply.frameworks)
    return [
        section("Framework Advisor", lines, "help"),
        SectionBlock(text=md("You can also mention me in a channel to choose together in a thread. "
                             f"Frameworks I know: {names}.")),
    ]


# -- entry points ------------------------------------------------------------------


def render(reply: Reply, tok: str | None = None, *, shared_by: str = "") -> list[Block]:
    """Blocks for any reply. `tok` (see ids.token) is required for a question and makes a
    recommendation interactive."""
    if isinstance(reply, QuestionReply):
        if tok is None:
            raise ValueError("a question needs an interaction token")
        return question(reply, tok)
    if isinstance(reply, Recommendation):
        return recommendation(reply, tok, shared_by=shared_by)
    if isinstance(reply, AboutReply):
        return about(reply)
    if isinstance(reply, CompareReply):
        return compare(reply)
    if isinstance(reply, HelpReply):
        return help_(reply)
    raise TypeError(f"cannot render {type(reply).__name__}")


def note(message: str) -> list[Block]:
    """A short notice (stale click, someone else's conversation, an error): all escaped."""
    return [SectionBlock(text=md(escape(message)), block_id="note")]


def fallback_text(reply: Reply | None, message: str = "") -> str:
    """The top-level `text` shown in notifications: plain, short, escaped."""
    if isinstance(reply, QuestionReply):
        text = f"Q{reply.asked}. {reply.text}"
    elif isinstance(reply, Recommendation):
        text = f"Recommendation: {reply.name}"
    elif isinstance(reply, AboutReply):
        text = f"About {reply.framework.name}"
    elif isinstance(reply, CompareReply):
        text = " vs ".join(reply.names)
    elif isinstance(reply, HelpReply):
        text = "Framework Advisor help"
    else:
        text = message
    return clip(escape(text), FALLBACK_MAX)


def as_dicts(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    """Serialise, checking every Slack limit (raises SlackObjectFormationError)."""
    return [b.to_dict() if isinstance(b, Block) else b for b in blocks]


_PLACEHOLDER = "\x00tok\x00"


@lru_cache(maxsize=4096)
def _cached(reply: Reply, interactive: bool, shared_by: str) -> str:
    blocks = render(reply, _PLACEHOLDER if interactive else None, shared_by=shared_by)
    return json.dumps(as_dicts(blocks))


def dicts(reply: Reply, tok: str | None = None, *, shared_by: str = "") -> list[dict[str, Any]]:
    """`as_dicts(render(...))`, memoised: replies are frozen and the same question renders
    the same blocks for everyone, so it is built and limit-checked once and only the
    token differs. Serialising slack_sdk models costs ~2 ms a message; this ~30 us."""
    text = _cached(reply, tok is not None, shared_by)
    if tok is not None:
        text = text.replace(json.dumps(_PLACEHOLDER)[1:-1], json.dumps(tok)[1:-1])
    return json.loads(text)


@lru_cache(maxsize=256)
def _note(message: str) -> str:
    return json.dumps(as_dicts(note(message)))


def note_dicts(message: str) -> list[dict[str, Any]]:
    return json.loads(_note(message))


__all__ = ["DividerBlock", "as_dicts", "clip", "dicts", "escape", "fallback_text", "note", "note_dicts", "render"]
