"""A question as Block Kit: the prompt, its answers (buttons or a select) and navigation."""
from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, Option, SectionBlock, StaticSelectElement

from bot.engine.replies import QuestionReply

from .. import ids
from .text import context, escape, md, plain, prefill_note

MAX_BUTTONS = 5  # more options than this: a static select


def nav_button(what: str, label: str, tok: str) -> ButtonElement:
    return ButtonElement(text=plain(label), action_id=ids.nav_id(what), value=tok)


def answers(reply: QuestionReply, tok: str) -> ActionsBlock:
    elements: list[Any]
    if len(reply.options) <= MAX_BUTTONS:
        elements = [ButtonElement(text=plain(o.label), action_id=ids.answer_id(reply.question_id, o.id), value=tok)
                    for o in reply.options]
    else:
        # A select has no value of its own: its token lives in the block id (see ids).
        elements = [StaticSelectElement(
            placeholder=plain("Choose an answer"),
            action_id=ids.answer_id(reply.question_id),
            options=[Option(value=o.id, text=plain(o.label)) for o in reply.options],
        )]
    return ActionsBlock(elements=elements, block_id=ids.block_id("answers", tok))


def question(reply: QuestionReply, tok: str) -> list[Block]:
    blocks: list[Block] = []
    if reply.prefilled:
        blocks.append(prefill_note(reply.prefilled))
    lead = "One more question to refine it. " if reply.refining else ""
    blocks.append(SectionBlock(text=md(f"{lead}*Q{reply.asked}.* {escape(reply.text)}"),
                               block_id=f"question|{reply.question_id}"[:255]))
    if reply.help:
        blocks.append(context(escape(reply.help)))
    blocks.append(answers(reply, tok))
    blocks.append(ActionsBlock(elements=[
        nav_button("skip", "Not sure / skip", tok),
        nav_button("back", "Back", tok),
        nav_button("restart", "Restart", tok),
    ], block_id=ids.block_id("nav", tok)))
    return blocks
