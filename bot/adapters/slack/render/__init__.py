"""Replies as Block Kit. Pure: a reply dataclass (plus the interaction token) in, blocks out.

Blocks are built with slack_sdk.models.blocks, so Slack's limits are checked when
`as_dicts()` (or Bolt's `respond` / the Web client) serialises them. Texts that could
exceed a limit are clipped first (see `text`), so a long knowledge text degrades instead
of failing.

Modules: `text` (escaping, clipping, links), `question`, `result` (recommendation,
about, compare, help). This package holds the entry points the handlers use.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from slack_sdk.models.blocks import Block, SectionBlock

from bot.engine.model import Knowledge
from bot.engine.replies import AboutReply, CompareReply, HelpReply, QuestionReply, Recommendation, Reply, WhatIfReply

from .question import progress, question
from .result import about, compare, help_, recommendation, whatif
from .text import FALLBACK_MAX, clip, escape, escape_keeping_channels, md


Names = tuple[tuple[str, str], ...]  # (question id, short name): see question_names


def question_names(knowledge: Knowledge) -> Names:
    """The short names of the knowledge's questions, for an unsettled result's open questions;
    computed once per knowledge (a reload starts afresh)."""
    return knowledge.memo.setdefault("slack_question_names",  # type: ignore[return-value]
                                     tuple((q.id, q.short) for q in knowledge.questions))


def render(reply: Reply, tok: str | None = None, *, shared_by: str = "", shared_in: str = "",
           names: Names = (), member: bool = False, note: str = "") -> list[Block]:
    """Blocks for any reply. `tok` (see ids.token) is required for a question and makes a
    recommendation interactive; `member`/`note`: a team member's result (result.recommendation).
    A what-if without `tok` is a team result's (no way back)."""
    if isinstance(reply, QuestionReply):
        if tok is None:
            raise ValueError("a question needs an interaction token")
        return question(reply, tok, member)
    if isinstance(reply, Recommendation):
        return recommendation(reply, tok, shared_by=shared_by, shared_in=shared_in, names=names, member=member,
                              note=note)
    if isinstance(reply, WhatIfReply):
        return whatif(reply, tok)
    if isinstance(reply, AboutReply):
        return about(reply)
    if isinstance(reply, CompareReply):
        return compare(reply)
    if isinstance(reply, HelpReply):
        return help_(reply)
    raise TypeError(f"cannot render {type(reply).__name__}")


def note(message: str, channels: bool = False) -> list[Block]:
    """A short notice (stale click, someone else's conversation, an error): all escaped.
    `channels`: channel references stay links (a team decision's notes say where its result is)."""
    return [SectionBlock(text=md(escape_keeping_channels(message) if channels else escape(message)),
                         block_id="note")]


def fallback_text(reply: Reply | None, message: str = "") -> str:
    """The top-level `text` shown in notifications: plain, short, escaped."""
    if isinstance(reply, QuestionReply):
        text = f"{progress(reply)}: {reply.text}"  # the header's own words
    elif isinstance(reply, Recommendation):
        text = f"Recommendation: {reply.name}"
    elif isinstance(reply, AboutReply):
        text = f"About {reply.framework.name}"
    elif isinstance(reply, CompareReply):
        text = " vs ".join(reply.names)
    elif isinstance(reply, WhatIfReply):
        text = f"{reply.title} {reply.after.name}"
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
def _cached(reply: Reply, interactive: bool, shared_by: str, shared_in: str, names: Names, member: bool,
            note: str) -> str:
    blocks = render(reply, _PLACEHOLDER if interactive else None, shared_by=shared_by, shared_in=shared_in,
                    names=names, member=member, note=note)
    return json.dumps(as_dicts(blocks))


def dicts(reply: Reply, tok: str | None = None, *, shared_by: str = "", shared_in: str = "",
          names: Names = (), member: bool = False, note: str = "") -> list[dict[str, Any]]:
    """`as_dicts(render(...))`, memoised: replies are frozen and the same question renders
    the same blocks for everyone, so it is built and limit-checked once and only the
    token differs. Serialising slack_sdk models costs ~2 ms a message; this ~30 us."""
    text = _cached(reply, tok is not None, shared_by, shared_in, names, member, note)
    if tok is not None:
        text = text.replace(json.dumps(_PLACEHOLDER)[1:-1], json.dumps(tok)[1:-1])
    blocks: list[dict[str, Any]] = json.loads(text)
    return blocks


@lru_cache(maxsize=256)
def _note(message: str, channels: bool) -> str:
    return json.dumps(as_dicts(note(message, channels)))


def note_dicts(message: str, channels: bool = False) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = json.loads(_note(message, channels))
    return blocks

