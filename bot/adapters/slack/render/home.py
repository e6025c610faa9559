"""The App Home tab: the user's recent recommendations and unfinished conversations, with
"Start a new one" and "Continue", and a short how-to. Pure: Recent items in, a view out."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock, Block, ButtonElement, ContextBlock, DividerBlock, HeaderBlock, SectionBlock,
)
from slack_sdk.models.views import View

from bot.engine.replies import QuestionReply, Recommendation
from bot.service.outcome import Recent

from .. import ids
from .text import clip, context, escape, md, plain

HOME_BLOCKS_MAX = 100  # Slack's limit for a Home tab view
HOW_TO = (
    "*How it works*\n"
    "\u2022 Type `/framework` in any channel, optionally with a sentence about your project "
    "(\u201can API with SQLAlchemy that must be fast\u201d). Only you see the questions.\n"
    "\u2022 Answer a few questions with the buttons: *Back*, *Not sure / skip* and *Decide now* are always there.\n"
    "\u2022 Press *Share with the channel* on the result when you want others to see it.\n"
    "\u2022 Or mention me in a channel to choose together in a thread.\n"
    "\u2022 `/framework team` posts a team card: everyone answers privately, and the channel gets the "
    "team's pick, where you agree and where you split."
)


def when(ts: float) -> str:
    """A date Slack shows in the reader's time zone, with a UTC fallback."""
    day = dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d")
    return f"<!date^{int(ts)}^{{date_short}}|{day}>"


def where(item: Recent) -> str:
    channel = item.scope.channel
    ok = channel[:1] in ("C", "G") and channel.isalnum()
    place = f"<#{channel}>" if ok else "a direct message" if channel[:1] == "D" else "a conversation"
    return f"in a thread in {place}" if item.scope.thread else f"in {place}"


def item_blocks(item: Recent, n: int) -> list[Block]:
    reply = item.reply
    if isinstance(reply, Recommendation):
        settled = "" if reply.settled else " (not yet settled)"
        text = f"*{escape(reply.name)}*{settled} \u00b7 {escape(reply.confidence)} confidence"
        if reply.runner_up_name:
            text += f" \u00b7 runner-up {escape(reply.runner_up_name)}"
        accessory = None
    elif isinstance(reply, QuestionReply):
        text = f"*Unfinished* \u00b7 Question {reply.asked}: {escape(reply.text)}"
        accessory = ButtonElement(text=plain("Continue"), action_id=ids.HOME_CONTINUE, style="primary",
                                  value=ids.home_value(item.scope.channel, item.scope.thread, item.ref))
    else:
        return []
    return [
        SectionBlock(text=md(clip(text, 2900)), block_id=f"recent|{n}", accessory=accessory),
        context(f"{when(item.updated)} \u00b7 {where(item)}"),
    ]


def home_view(recent: Sequence[Recent] | None, notice: str = "") -> dict[str, Any]:
    """The Home tab as a views.publish `view` (limits checked by slack_sdk). `notice`: one
    escaped line at the top (say, a conversation that could not be reopened). `recent` None:
    the list could not be read (the store failed), which the tab says instead of "Nothing yet"."""
    blocks: list[Block] = [HeaderBlock(text=plain("Framework Advisor", 150))]
    if notice:
        blocks.append(SectionBlock(text=md(notice), block_id="notice"))
    blocks += [
        SectionBlock(text=md("Choose a Python web framework for your project in a few questions."),
                     block_id="intro"),
        ActionsBlock(elements=[ButtonElement(text=plain("Start a new one"), action_id=ids.HOME_START,
                                             style="primary", value="start")], block_id="home_start"),
        DividerBlock(),
        HeaderBlock(text=plain("Your recent recommendations", 150)),
    ]
    if recent is None:
        blocks.append(ContextBlock(elements=[md("Not available right now.")]))
    else:
        items = [b for n, item in enumerate(recent) for b in item_blocks(item, n)]
        blocks += items or [ContextBlock(elements=[md("Nothing yet: your results will show up here.")])]
    blocks += [DividerBlock(), SectionBlock(text=md(HOW_TO), block_id="howto")]
    return View(type="home", blocks=blocks[:HOME_BLOCKS_MAX]).to_dict()
